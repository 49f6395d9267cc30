"""SuperGLUE metrics beyond plain classification: MultiRC, ReCoRD, AX-g parity, task and benchmark scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike

from nlpbench.metrics.classification import _pair, accuracy, f1, macro_f1
from nlpbench.metrics.glue import benchmark_mean
from nlpbench.metrics.squad import best_scores

SUPERGLUE_TASKS = ("superglue/boolq", "superglue/cb", "superglue/copa", "superglue/multirc",
                   "superglue/record", "superglue/rte", "superglue/wic", "superglue/wsc")
SUPERGLUE_DIAGNOSTICS = ("superglue/axb", "superglue/axg")


def accuracy_macro_f1(gold: ArrayLike, pred: ArrayLike) -> float:
    """Mean of accuracy and macro-F1 over the classes seen: the CB task score."""
    return (accuracy(gold, pred) + macro_f1(gold, pred)) / 2


def f1a(gold: ArrayLike, pred: ArrayLike, questions: ArrayLike | None = None) -> float:
    """MultiRC F1a: binary F1 of label 1 over all answer options (``questions`` is not needed)."""
    return f1(gold, pred)


def multirc_em(gold: ArrayLike, pred: ArrayLike, questions: ArrayLike) -> float:
    """MultiRC EM: share of questions (grouped by ``questions``) whose answer options are all right."""
    y, p = _pair(gold, pred)
    q = np.asarray(questions)
    if q.shape != y.shape:
        raise ValueError(f"questions must align with the answer options, got {q.shape} and {y.shape}")
    _, group = np.unique(q, return_inverse=True)
    wrong = np.zeros(group.max() + 1, dtype=bool)
    np.logical_or.at(wrong, group, y != p)
    return float(np.mean(~wrong))


def f1a_em(gold: ArrayLike, pred: ArrayLike, questions: ArrayLike) -> float:
    """Mean of F1a and EM: the MultiRC task score."""
    return (f1a(gold, pred) + multirc_em(gold, pred, questions)) / 2


def record_em(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """ReCoRD exact match in [0, 1]: best over the gold entities, after SQuAD normalisation."""
    exact = best_scores(golds, preds)[0]
    return sum(exact) / len(exact)


def record_f1(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """ReCoRD token F1 in [0, 1]: best over the gold entities, after SQuAD normalisation."""
    scores = best_scores(golds, preds)[1]
    return sum(scores) / len(scores)


def record_f1_em(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """Mean of ReCoRD F1 and EM: the ReCoRD task score."""
    exact, scores = best_scores(golds, preds)
    return (sum(scores) / len(scores) + sum(exact) / len(exact)) / 2


NO_PREDICTION = -1


def gender_parity(gold: ArrayLike, pred: ArrayLike) -> float:
    """AX-g gender parity: share of minimal pairs (examples 2k, 2k+1 in idx order) predicted alike.

    ``gold`` only checks the alignment (the two halves of a pair share their gold label by
    construction). A prediction of ``NO_PREDICTION`` (-1) means none was given: it agrees
    with nothing, so a pair with a missing prediction never counts as parity.
    """
    y, p = _pair(gold, pred)
    if y.size % 2:
        raise ValueError(f"gender parity needs pairs, got an odd number of examples ({y.size})")
    first, second = p[0::2], p[1::2]
    same = first == second
    if p.dtype.kind in "iu":
        same &= first != NO_PREDICTION
    return float(np.mean(same))


def superglue_score(task_scores: Mapping[str, float]) -> float:
    """SuperGLUE score: mean of the eight task scores (BoolQ, CB, COPA, MultiRC, ReCoRD, RTE, WiC,
    WSC), keyed by task name; the diagnostics AX-b and AX-g may be present and are not counted."""
    return benchmark_mean(task_scores, SUPERGLUE_TASKS, SUPERGLUE_DIAGNOSTICS)
