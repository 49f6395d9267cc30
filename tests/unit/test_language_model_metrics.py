"""Tests for the unigram-perplexity baseline (nlpbench.metrics.language_model)."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from scipy import stats

from nlpbench.metrics.language_model import unigram_perplexity


def test_matches_an_independent_computation_with_add_one_smoothing() -> None:
    train = [[1, 2, 2, 3, 0, 0], [2, 4]]
    held_out = [[2, 3, 5, 0], [1]]
    vocab, pad = 6, 0
    counts = Counter(t for row in train for t in row if t != pad)
    mass = {t: counts[t] + 1 for t in range(vocab) if t != pad}
    z = sum(mass.values())
    scored = [t for row in held_out for t in row if t != pad]
    expected = math.exp(-sum(math.log(mass[t] / z) for t in scored) / len(scored))
    assert unigram_perplexity(train, held_out, vocab, ignore=[pad]) == pytest.approx(expected, rel=1e-12)


def test_a_uniform_stream_has_the_vocabulary_size_and_entropy_agrees() -> None:
    uniform = [list(range(8)) * 50]
    assert unigram_perplexity(uniform, uniform, 8) == pytest.approx(8.0, rel=1e-9)
    skewed = [[0] * 90 + [1] * 9 + [2]]
    p = [91 / 103, 10 / 103, 2 / 103]  # add-one counts
    cross = -sum(c * math.log(q) for c, q in zip([90, 9, 1], p, strict=True)) / 100
    assert unigram_perplexity(skewed, skewed, 3) == pytest.approx(math.exp(cross), rel=1e-9)
    assert unigram_perplexity(skewed, skewed, 3) > math.exp(stats.entropy([0.9, 0.09, 0.01])) - 1e-9


def test_nothing_to_score_is_an_error() -> None:
    with pytest.raises(ValueError, match="no held-out token"):
        unigram_perplexity([[1, 2]], [[0, 0]], 3, ignore=[0])
