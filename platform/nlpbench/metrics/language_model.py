"""Context-free baselines of language modelling: the perplexity of a unigram model (pure)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np


def unigram_perplexity(train: Iterable[Sequence[int]], held_out: Iterable[Sequence[int]], vocab_size: int,
                       ignore: Iterable[int] = ()) -> float:
    """Perplexity on ``held_out`` of the add-one-smoothed unigram model of ``train`` (token ids).

    What a language model reaches without any context: a pretraining run whose validation perplexity
    is not well below it has learned the token frequencies and little else. Ids in ``ignore`` (padding)
    are neither counted nor scored."""
    skip = np.asarray(sorted(set(ignore)), dtype=np.int64)
    counts = 1.0 + np.bincount(_flat(train, skip), minlength=vocab_size)[:vocab_size]  # add-one smoothing
    if skip.size:
        counts[skip[skip < vocab_size]] = 0.0
    log_p = np.log(counts / counts.sum(), where=counts > 0, out=np.full(vocab_size, -np.inf))
    scored = _flat(held_out, skip)
    if scored.size == 0:
        raise ValueError("no held-out token to score")
    return math.exp(-float(log_p[scored].mean()))


def _flat(rows: Iterable[Sequence[int]], skip: np.ndarray) -> np.ndarray:
    """All ids of ``rows`` in one array, without those in ``skip``."""
    parts = [np.asarray(ids, dtype=np.int64) for ids in rows]
    array = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return array[~np.isin(array, skip)] if skip.size else array
