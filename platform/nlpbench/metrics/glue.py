"""GLUE task scores that average two metrics, and the GLUE benchmark score over task scores."""

from __future__ import annotations

from collections.abc import Mapping

from numpy.typing import ArrayLike

from nlpbench.metrics.classification import accuracy, f1
from nlpbench.metrics.regression import pearson, spearman

GLUE_TASKS = ("glue/cola", "glue/sst2", "glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/qnli",
              "glue/rte", "glue/wnli")
GLUE_DIAGNOSTICS = ("glue/ax",)


def f1_accuracy(gold: ArrayLike, pred: ArrayLike) -> float:
    """Mean of binary F1 (label 1) and accuracy: the MRPC and QQP task score."""
    return (f1(gold, pred) + accuracy(gold, pred)) / 2


def pearson_spearman(gold: ArrayLike, pred: ArrayLike) -> float:
    """Mean of Pearson's r and Spearman's rho: the STS-B task score (NaN if either is)."""
    return (pearson(gold, pred) + spearman(gold, pred)) / 2


def benchmark_mean(
    task_scores: Mapping[str, float], tasks: tuple[str, ...], ignored: tuple[str, ...] = ()
) -> float:
    """Unweighted mean of the scores of exactly ``tasks``; names in ``ignored`` may be present."""
    missing = [t for t in tasks if t not in task_scores]
    unknown = sorted(set(task_scores) - set(tasks) - set(ignored))
    if missing or unknown:
        raise ValueError(
            f"task scores must cover {list(tasks)}; missing {missing}, unknown {unknown}"
        )
    return sum(float(task_scores[t]) for t in tasks) / len(tasks)


def glue_score(task_scores: Mapping[str, float]) -> float:
    """GLUE score: mean of the nine task scores (CoLA MCC, SST-2 acc, MRPC (F1+acc)/2, STS-B
    (r+rho)/2, QQP (F1+acc)/2, MNLI (m+mm)/2, QNLI, RTE and WNLI acc), keyed by task name."""
    return benchmark_mean(task_scores, GLUE_TASKS, GLUE_DIAGNOSTICS)


def glue_score_no_wnli(task_scores: Mapping[str, float]) -> float:
    """GLUE score without WNLI: mean of the other eight task scores (glue/wnli may be present)."""
    tasks = tuple(t for t in GLUE_TASKS if t != "glue/wnli")
    return benchmark_mean(task_scores, tasks, GLUE_DIAGNOSTICS + ("glue/wnli",))
