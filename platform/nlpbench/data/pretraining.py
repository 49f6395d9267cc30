"""Pretraining example formats over tokenised documents: the four RoBERTa inputs and SOP pairs.

Pure functions: documents arrive as lists of sentences, each a list of token ids without special
tokens; examples come out as input ids with their special-token layout and pair labels (single-
segment formats also give ``sentence_ends``, the offset after each sentence in ``input_ids``).
Labels follow `transformers`: ``next_sentence_label`` 0 = B continues A, 1 = B is random;
``sentence_order_label`` 0 = original order, 1 = swapped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

FORMATS = ("full_sentences", "doc_sentences", "segment_pair", "sentence_pair", "sop")
PAIR_LABEL = {"segment_pair": "next_sentence_label", "sentence_pair": "next_sentence_label",
              "sop": "sentence_order_label"}


@dataclass(frozen=True)
class Layout:
    """Where special tokens go: ``prefix + A + sep`` and ``prefix + A + sep + B + sep``."""

    prefix: tuple[int, ...]
    sep: int

    def single(self, a: list[int]) -> dict[str, list[int]]:
        ids = [*self.prefix, *a, self.sep]
        mask = [1] * len(self.prefix) + [0] * len(a) + [1]
        return {"input_ids": ids, "token_type_ids": [0] * len(ids), "special_tokens_mask": mask}

    def pair(self, a: list[int], b: list[int]) -> dict[str, list[int]]:
        first = self.single(a)
        return {
            "input_ids": first["input_ids"] + [*b, self.sep],
            "token_type_ids": first["token_type_ids"] + [1] * (len(b) + 1),
            "special_tokens_mask": first["special_tokens_mask"] + [0] * len(b) + [1],
        }

    def budget(self, block_size: int, pair: bool) -> int:
        return block_size - len(self.prefix) - (2 if pair else 1)


def layout_of(tokenizer: Any) -> Layout:
    """The special-token layout of a trained tokenizer ([CLS]/[SEP], <s>/</s>, or only </s>)."""
    cls = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    if sep is None:
        raise ValueError("tokenizer has neither a separator nor an end-of-sequence token")
    return Layout(prefix=(cls,) if cls is not None else (), sep=sep)


def _pack(sentences: list[list[int]], budget: int) -> list[list[list[int]]]:
    """Greedy contiguous packing of whole sentences into blocks of at most ``budget`` tokens;
    each block is its list of (possibly truncated) sentences."""
    blocks: list[list[list[int]]] = []
    current: list[list[int]] = []
    size = 0
    for sentence in sentences:
        piece = sentence[:budget]
        if current and size + len(piece) > budget:
            blocks.append(current)
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    if current:
        blocks.append(current)
    return blocks


def _block(layout: Layout, sentences: list[list[int]]) -> dict[str, Any]:
    """One example from a block of sentences, with ``sentence_ends``: the offset in ``input_ids``
    just after each sentence (what sentence permutation needs)."""
    ends = list(accumulate(len(s) for s in sentences))
    example = layout.single([t for s in sentences for t in s])
    return {**example, "sentence_ends": [len(layout.prefix) + e for e in ends]}


def full_sentences(docs: list[list[list[int]]], layout: Layout, block_size: int) -> list[dict[str, Any]]:
    """Contiguous sentences that may cross document boundaries (a separator marks the crossing)."""
    budget = layout.budget(block_size, pair=False)
    stream: list[list[int]] = []
    for k, doc in enumerate(docs):
        if k and stream:
            stream[-1] = stream[-1] + [layout.sep]  # the extra separator between documents
        stream.extend(doc)
    return [_block(layout, block) for block in _pack(stream, budget)]


def doc_sentences(docs: list[list[list[int]]], layout: Layout, block_size: int) -> list[dict[str, Any]]:
    """Contiguous sentences that never cross a document boundary."""
    budget = layout.budget(block_size, pair=False)
    return [_block(layout, block) for doc in docs for block in _pack(doc, budget)]


def _truncate_pair(a: list[int], b: list[int], budget: int, rng: random.Random) -> None:
    while len(a) + len(b) > budget:
        longer = a if len(a) > len(b) else b
        if rng.random() < 0.5:
            del longer[0]
        else:
            longer.pop()


def _segments(doc: list[list[int]], budget: int, short_prob: float,
              rng: random.Random) -> list[tuple[list[int], list[int], int, int]]:
    """BERT-style chunks of whole sentences, each split into (A, B) at a sentence boundary.
    Returns (A, B, index of B's first sentence, index after the chunk)."""
    out = []
    target = budget if rng.random() >= short_prob else rng.randint(2, budget)
    chunk: list[list[int]] = []
    start = 0
    for i, sentence in enumerate(doc):
        chunk.append(sentence)
        length = sum(len(s) for s in chunk)
        if (i == len(doc) - 1 or length >= target) and len(chunk) >= 2:
            cut = rng.randint(1, len(chunk) - 1)
            a = [t for s in chunk[:cut] for t in s]
            b = [t for s in chunk[cut:] for t in s]
            out.append((a, b, start + cut, i + 1))
            chunk, start = [], i + 1
            target = budget if rng.random() >= short_prob else rng.randint(2, budget)
    return out


def _random_other(docs: list[list[list[int]]], k: int, rng: random.Random,
                  n_sentences: int) -> list[int] | None:
    others = [j for j in range(len(docs)) if j != k and docs[j]]
    if not others:
        return None
    doc = docs[rng.choice(others)]
    start = rng.randrange(len(doc))
    return [t for s in doc[start:start + n_sentences] for t in s]


def segment_pair(docs: list[list[list[int]]], layout: Layout, block_size: int, rng: random.Random,
                 short_prob: float = 0.1) -> list[dict[str, Any]]:
    """Pairs of multi-sentence segments with NSP labels: half continue, half come from elsewhere."""
    budget = layout.budget(block_size, pair=True)
    examples = []
    for k, doc in enumerate(docs):
        for a, b, _, _ in _segments(doc, budget, short_prob, rng):
            label = 0
            if rng.random() < 0.5:
                other = _random_other(docs, k, rng, n_sentences=max(1, len(doc) // 2))
                if other is not None:
                    b, label = other, 1
            _truncate_pair(a, b, budget, rng)
            examples.append({**layout.pair(a, b), "next_sentence_label": label})
    return examples


def sentence_pair(docs: list[list[list[int]]], layout: Layout, block_size: int,
                  rng: random.Random) -> list[dict[str, Any]]:
    """Pairs of single sentences with NSP labels: the next sentence, or one from another document."""
    budget = layout.budget(block_size, pair=True)
    examples = []
    for k, doc in enumerate(docs):
        for i in range(len(doc) - 1):
            a, b, label = list(doc[i]), list(doc[i + 1]), 0
            if rng.random() < 0.5:
                other = _random_other(docs, k, rng, n_sentences=1)
                if other is not None:
                    b, label = other, 1
            _truncate_pair(a, b, budget, rng)
            examples.append({**layout.pair(a, b), "next_sentence_label": label})
    return examples


def sop(docs: list[list[list[int]]], layout: Layout, block_size: int, rng: random.Random,
        short_prob: float = 0.1) -> list[dict[str, Any]]:
    """ALBERT's sentence-order pairs: two consecutive segments, swapped half of the time."""
    budget = layout.budget(block_size, pair=True)
    examples = []
    for doc in docs:
        for a, b, _, _ in _segments(doc, budget, short_prob, rng):
            label = int(rng.random() < 0.5)
            if label:
                a, b = b, a
            _truncate_pair(a, b, budget, rng)
            examples.append({**layout.pair(a, b), "sentence_order_label": label})
    return examples


def build_examples(fmt: str, docs: list[list[list[int]]], layout: Layout, block_size: int,
                   rng: random.Random, short_prob: float = 0.1) -> list[dict[str, Any]]:
    """Examples of format ``fmt`` (one of FORMATS) from tokenised documents."""
    builders: dict[str, Any] = {
        "full_sentences": lambda: full_sentences(docs, layout, block_size),
        "doc_sentences": lambda: doc_sentences(docs, layout, block_size),
        "segment_pair": lambda: segment_pair(docs, layout, block_size, rng, short_prob),
        "sentence_pair": lambda: sentence_pair(docs, layout, block_size, rng),
        "sop": lambda: sop(docs, layout, block_size, rng, short_prob),
    }
    if fmt not in builders:
        raise ValueError(f"unknown pretraining format {fmt!r}; expected one of {FORMATS}")
    return builders[fmt]()
