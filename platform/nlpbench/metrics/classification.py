"""Classification metrics as pure numpy functions; they equal scikit-learn's definitions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike


def _pair(gold: ArrayLike, pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y, p = np.asarray(gold), np.asarray(pred)
    if y.shape != p.shape or y.ndim != 1:
        raise ValueError(
            f"gold and predictions must be 1-D and equal length, got {y.shape} and {p.shape}"
        )
    if y.size == 0:
        raise ValueError("cannot score an empty prediction set")
    return y, p


def accuracy(gold: ArrayLike, pred: ArrayLike) -> float:
    """Share of predictions equal to the gold label, in [0, 1]."""
    y, p = _pair(gold, pred)
    return float(np.mean(y == p))


def _f1_of(y: np.ndarray, p: np.ndarray, label: object) -> float:
    tp = float(np.sum((y == label) & (p == label)))
    fp = float(np.sum((y != label) & (p == label)))
    fn = float(np.sum((y == label) & (p != label)))
    denom = 2 * tp + fp + fn
    return 0.0 if denom == 0 else 2 * tp / denom


def f1(gold: ArrayLike, pred: ArrayLike, positive: object = 1) -> float:
    """Binary F1 of the ``positive`` class; 0 when it is neither predicted nor gold."""
    y, p = _pair(gold, pred)
    return _f1_of(y, p, positive)


def macro_f1(gold: ArrayLike, pred: ArrayLike, labels: Sequence[object] | None = None) -> float:
    """Unweighted mean of per-class F1 over ``labels`` (default: classes seen in gold or pred)."""
    y, p = _pair(gold, pred)
    classes = list(labels) if labels is not None else sorted(set(y.tolist()) | set(p.tolist()))
    return float(np.mean([_f1_of(y, p, c) for c in classes]))


def mcc(gold: ArrayLike, pred: ArrayLike) -> float:
    """Matthews correlation (Gorodkin's multi-class form); 0 when undefined, as scikit-learn."""
    y, p = _pair(gold, pred)
    classes, y_idx = np.unique(np.concatenate([y, p]), return_inverse=True)
    k = len(classes)
    yi, pi = y_idx[: y.size], y_idx[y.size :]
    conf = np.zeros((k, k), dtype=np.float64)
    np.add.at(conf, (yi, pi), 1.0)
    t = conf.sum(axis=1)
    pr = conf.sum(axis=0)
    c = np.trace(conf)
    s = conf.sum()
    cov_yp = c * s - t @ pr
    cov_pp = s * s - pr @ pr
    cov_yy = s * s - t @ t
    denom = np.sqrt(cov_yy * cov_pp)
    return 0.0 if denom == 0 else float(cov_yp / denom)
