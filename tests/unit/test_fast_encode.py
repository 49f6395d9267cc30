"""The WordPiece word-cache fast path gives exactly the tokenizer's own ids, on any text."""

from __future__ import annotations

from nlpbench.config.schema import TokenizerSpec
from nlpbench.data import TOKENIZERS
from nlpbench.data.fast_encode import WordCacheEncoder
from nlpbench.data.pydocs import load_pydocs

SENTENCES = [s for d in load_pydocs() for s in d.sentences]
TRICKY = ["snake_case_names and __dunder__ (x[1]) {y}!", "Caf\u00e9 na\u00efve \u00fcber", "tab\tseparated",
          "x" * 150 + " tail", "", "   ", "UPPER lower MiXeD 123abc", "emoji \U0001f600 here",
          "\u4e2d\u6587 chinese", "quote\"s and 'apostrophes' `ticks` ~tilde~ | pipe"]


def test_word_cache_equals_the_tokenizer_for_both_casings() -> None:
    for lowercase in (True, False):
        spec = TokenizerSpec(family="wordpiece", corpus="pydocs", vocab_size=1500, lowercase=lowercase)
        tokenizer = TOKENIZERS.load("wordpiece")(lambda: iter(SENTENCES[:800]), spec)
        encoder = WordCacheEncoder.of(tokenizer)
        assert encoder is not None
        texts = SENTENCES + TRICKY
        expected = [e.ids for e in tokenizer.backend_tokenizer.encode_batch(texts, add_special_tokens=False)]
        assert encoder.encode(texts) == expected
        assert encoder.cache  # the fast path was taken


def test_other_families_are_not_served_by_the_word_cache() -> None:
    for family in ("bpe", "byte_bpe", "unigram"):
        spec = TokenizerSpec(family=family, corpus="pydocs", vocab_size=600)
        tokenizer = TOKENIZERS.load(family)(lambda: iter(SENTENCES[:300]), spec)
        assert WordCacheEncoder.of(tokenizer) is None
