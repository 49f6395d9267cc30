"""Encode sentences fast for BERT-style WordPiece: a word cache on an exact pure-Python pre-split.

For printable-ASCII text, BertNormalizer (clean text, lower-case) and BertPreTokenizer (split on
whitespace and on each punctuation character) reduce to the regular expression below, and
WordPiece encodes each word on its own; so each distinct word is sent to the Rust model once and
a sentence's ids are the concatenation of its words' ids. Any other sentence (non-ASCII,
tabs) and any other tokenizer go through the Rust tokenizer unchanged. Tests and the throughput
benchmark check the ids equal the tokenizer's own.
"""

from __future__ import annotations

import json
import re
from typing import Any

# BERT's punctuation in ASCII is every printable non-alphanumeric character: ranges 33-47,
# 58-64, 91-96 and 123-126 (the underscore included)
_ASCII_PIECES = re.compile(r"[A-Za-z0-9]+|[!-/:-@\[-`{-~]")
_ENCODERS: dict[int, tuple[Any, WordCacheEncoder | None]] = {}


class WordCacheEncoder:
    """Ids without special tokens for many sentences, each distinct word encoded once."""

    def __init__(self, backend: Any, lowercase: bool) -> None:
        self.backend, self.lowercase = backend, lowercase
        self.model = backend.model
        self.cache: dict[str, list[int]] = {}

    @classmethod
    def of(cls, tokenizer: Any) -> WordCacheEncoder | None:
        """The encoder for ``tokenizer``, or None when it is not a BERT-style WordPiece."""
        key = id(tokenizer)
        if key not in _ENCODERS:
            backend = tokenizer.backend_tokenizer
            spec = json.loads(backend.to_str())
            normalizer, pre = spec.get("normalizer") or {}, spec.get("pre_tokenizer") or {}
            model = spec["model"]
            fits = (normalizer.get("type") == "BertNormalizer" and normalizer.get("clean_text", True)
                    and pre.get("type") == "BertPreTokenizer" and model.get("type") == "WordPiece"
                    and not spec.get("added_tokens_decoder_only"))
            _ENCODERS[key] = (tokenizer, cls(backend, bool(normalizer.get("lowercase"))) if fits else None)
        return _ENCODERS[key][1]

    def encode(self, sentences: list[str]) -> list[list[int]]:
        out: list[list[int] | None] = []
        slow: list[int] = []
        cache, model = self.cache, self.model
        for k, sentence in enumerate(sentences):
            if not (sentence.isascii() and sentence.isprintable()):
                slow.append(k)
                out.append(None)
                continue
            ids: list[int] = []
            for word in _ASCII_PIECES.findall(sentence.lower() if self.lowercase else sentence):
                pieces = cache.get(word)
                if pieces is None:
                    pieces = cache[word] = [t.id for t in model.tokenize(word)]
                ids.extend(pieces)
            out.append(ids)
        if slow:
            encoded = self.backend.encode_batch([sentences[k] for k in slow], add_special_tokens=False)
            for k, enc in zip(slow, encoded, strict=True):
                out[k] = enc.ids
        return out  # type: ignore[return-value]
