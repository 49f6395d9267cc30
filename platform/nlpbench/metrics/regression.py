"""Correlation metrics as pure numpy functions; they equal scipy.stats' definitions."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _pair(gold: ArrayLike, pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y, p = np.asarray(gold, dtype=np.float64), np.asarray(pred, dtype=np.float64)
    if y.shape != p.shape or y.ndim != 1:
        raise ValueError(f"gold and predictions must be 1-D and equal length, got {y.shape} and {p.shape}")
    if y.size < 2:
        raise ValueError("correlation needs at least two examples")
    return y, p


def pearson(gold: ArrayLike, pred: ArrayLike) -> float:
    """Pearson's r; NaN when either side is constant (as scipy)."""
    y, p = _pair(gold, pred)
    yc, pc = y - y.mean(), p - p.mean()
    denom = np.sqrt(np.dot(yc, yc) * np.dot(pc, pc))
    if denom == 0:
        return float("nan")
    return float(np.clip(np.dot(yc, pc) / denom, -1.0, 1.0))


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks (1-based), ties share the mean of their positions."""
    order = np.argsort(x, kind="mergesort")
    sorted_x = x[order]
    ranks = np.empty(x.size, dtype=np.float64)
    starts = np.flatnonzero(np.r_[True, sorted_x[1:] != sorted_x[:-1]])
    ends = np.r_[starts[1:], x.size]
    for s, e in zip(starts, ends, strict=True):
        ranks[order[s:e]] = (s + e + 1) / 2.0
    return ranks


def spearman(gold: ArrayLike, pred: ArrayLike) -> float:
    """Spearman's rho: Pearson's r of the average ranks."""
    y, p = _pair(gold, pred)
    return pearson(_ranks(y), _ranks(p))
