"""Correlation metrics as pure numpy functions; they equal scipy.stats' definitions."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def _pair(gold: ArrayLike, pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y, p = np.asarray(gold, dtype=np.float64), np.asarray(pred, dtype=np.float64)
    if y.shape != p.shape or y.ndim != 1:
        raise ValueError(
            f"gold and predictions must be 1-D and equal length, got {y.shape} and {p.shape}"
        )
    if y.size < 2:
        raise ValueError("correlation needs at least two examples")
    return y, p


def _unit(x: np.ndarray) -> np.ndarray:
    """``x`` centred and scaled to unit length. Dividing by max|x - mean| first keeps the norm
    from underflowing (values ~1e-300) or overflowing (values ~1e200)."""
    xc = x - x.mean()
    scale = np.max(np.abs(xc))
    xs = xc / scale
    return xs / np.sqrt(np.dot(xs, xs))


def pearson(gold: ArrayLike, pred: ArrayLike) -> float:
    """Pearson's r; NaN when either side is constant (as scipy)."""
    y, p = _pair(gold, pred)
    # Test constancy on the raw values, not on the centred ones: the float mean of a constant
    # array need not equal its elements (e.g. [0.1] * 3), which would leave tiny non-zero
    # deviations and a meaningless r instead of NaN.
    if np.all(y == y[0]) or np.all(p == p[0]):
        return float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        r = float(np.clip(np.dot(_unit(y), _unit(p)), -1.0, 1.0))
    # Two points are always perfectly (anti-)correlated; return exactly +-1 as scipy does.
    return float(np.round(r)) if y.size == 2 else r


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
