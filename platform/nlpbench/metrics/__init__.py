"""Pure metric functions over label/prediction arrays, registered by name.

Each entry's meta says how it is called (``inputs``) and its best value (``best``):

- ``labels``: ``fn(gold, pred)`` over 1-D class arrays;  ``scores``: the same over real values;
- ``grouped``: ``fn(gold, pred, questions)``, answer options grouped by question (MultiRC);
- ``pairs``: ``fn(gold, pred)`` in minimal-pair order, -1 meaning no prediction (AX-g);
- ``answers``: ``fn(golds, preds)``, gold answer texts per question and predicted texts;
- ``task_scores``: ``fn({task name: task score})`` for a benchmark score.

Every metric is also a local `evaluate` module: ``evaluate.load(str(evaluate_module_path(name)))``.
"""

from pathlib import Path

from nlpbench.registry import Registry

METRICS = Registry("metric")


def _metric(name: str, target: str, summary: str, inputs: str, best: float = 1.0) -> None:
    METRICS.register(name, target, summary, higher_is_better=True, inputs=inputs, best=best)


_C, _R, _G, _S, _Q = (
    "nlpbench.metrics.classification", "nlpbench.metrics.regression", "nlpbench.metrics.glue",
    "nlpbench.metrics.superglue", "nlpbench.metrics.squad",
)
_metric("accuracy", f"{_C}:accuracy", "share of predictions equal to the gold label", "labels")
_metric("f1", f"{_C}:f1", "binary F1 of the positive class (label 1)", "labels")
_metric("macro_f1", f"{_C}:macro_f1",
        "unweighted mean of per-class F1 over the gold and predicted classes", "labels")
_metric("mcc", f"{_C}:mcc", "Matthews correlation coefficient, binary or multi-class", "labels")
_metric("pearson", f"{_R}:pearson", "Pearson correlation of predicted and gold scores", "scores")
_metric("spearman", f"{_R}:spearman", "Spearman rank correlation of predicted and gold scores", "scores")
_metric("f1_accuracy", f"{_G}:f1_accuracy",
        "mean of binary F1 and accuracy (GLUE MRPC and QQP task score)", "labels")
_metric("pearson_spearman", f"{_G}:pearson_spearman",
        "mean of Pearson and Spearman correlation (GLUE STS-B task score)", "scores")
_metric("glue_score", f"{_G}:glue_score",
        "GLUE score: mean of the nine GLUE task scores, by task name", "task_scores")
_metric("glue_score_no_wnli", f"{_G}:glue_score_no_wnli",
        "GLUE score without WNLI: mean of the other eight GLUE task scores", "task_scores")
_metric("accuracy_macro_f1", f"{_S}:accuracy_macro_f1",
        "mean of accuracy and macro-F1 (SuperGLUE CB task score)", "labels")
_metric("f1a", f"{_S}:f1a", "MultiRC F1a: binary F1 over all answer options", "grouped")
_metric("multirc_em", f"{_S}:multirc_em",
        "MultiRC EM: share of questions with every answer option right", "grouped")
_metric("f1a_em", f"{_S}:f1a_em", "mean of MultiRC F1a and EM (SuperGLUE MultiRC task score)", "grouped")
_metric("record_em", f"{_S}:record_em",
        "ReCoRD exact match, best over gold entities after SQuAD normalisation", "answers")
_metric("record_f1", f"{_S}:record_f1",
        "ReCoRD token F1, best over gold entities after SQuAD normalisation", "answers")
_metric("record_f1_em", f"{_S}:record_f1_em",
        "mean of ReCoRD token F1 and exact match (SuperGLUE ReCoRD task score)", "answers")
_metric("gender_parity", f"{_S}:gender_parity",
        "AX-g gender parity: share of minimal pairs (2k, 2k+1) with the same prediction", "pairs")
_metric("superglue_score", f"{_S}:superglue_score",
        "SuperGLUE score: mean of the eight SuperGLUE task scores, by task name", "task_scores")
_metric("squad_exact_match", f"{_Q}:squad_exact_match",
        "SQuAD v1.1 exact match x100, best over gold answers after normalisation", "answers", 100.0)
_metric("squad_f1", f"{_Q}:squad_f1",
        "SQuAD v1.1 token F1 x100, best over gold answers after normalisation", "answers", 100.0)
_metric("squad_v2_exact", f"{_Q}:squad_v2_exact",
        "SQuAD v2.0 exact x100 (unanswerable: empty answer), no threshold", "answers", 100.0)
_metric("squad_v2_f1", f"{_Q}:squad_v2_f1",
        "SQuAD v2.0 token F1 x100 (unanswerable: empty answer), no threshold", "answers", 100.0)


_MODULE = '''"""Local `evaluate` module of the nlpbench metric {name!r}, offline (written by nlpbench)."""

import nlpbench.metrics.evaluate_adapter as adapter


class NlpbenchMetric{camel}(adapter.NlpbenchMetric):
    """{summary}"""

    metric_name = "{name}"
'''


def evaluate_module_path(name: str, root: Path | None = None) -> Path:
    """Folder of the local `evaluate` module of registered metric ``name``, written from the metric
    registry on first use under ``<root>/data/cache/evaluate_modules`` (root: $NLPBENCH_HOME or .)."""
    import os

    from nlpbench.fsio import write_text_atomic

    entry = METRICS.get(name)  # an unknown name fails here, with did-you-mean
    base = Path(root if root is not None else os.environ.get("NLPBENCH_HOME", "."))
    folder = (base / "data" / "cache" / "evaluate_modules" / name).resolve()
    camel = "".join(part.capitalize() for part in name.split("_"))
    text = _MODULE.format(name=name, camel=camel, summary=entry.summary.replace('"', "'"))
    script = folder / f"{name}.py"
    if not script.is_file() or script.read_text() != text:
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(script, text)
    return folder
