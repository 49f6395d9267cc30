"""Base class that serves a registered nlpbench metric as a local `evaluate` module (offline).

Imported only by the module scripts that ``evaluate_module_path`` writes, which `evaluate.load`
runs; it pulls in `evaluate` and `datasets`, so nothing else in nlpbench imports it.
"""

from __future__ import annotations

from typing import Any

import datasets
import evaluate

from nlpbench.metrics import METRICS

_STRING, _INT, _FLOAT = datasets.Value("string"), datasets.Value("int64"), datasets.Value("float64")
FEATURES: dict[str, datasets.Features] = {
    "labels": datasets.Features({"predictions": _INT, "references": _INT}),
    "grouped": datasets.Features({"predictions": _INT, "references": _INT}),
    "pairs": datasets.Features({"predictions": _INT, "references": _INT}),
    "scores": datasets.Features({"predictions": _FLOAT, "references": _FLOAT}),
    "answers": datasets.Features({"predictions": _STRING, "references": datasets.Sequence(_STRING)}),
    "task_scores": datasets.Features({"predictions": _FLOAT, "references": _STRING}),
}
INPUTS = {
    "labels": "predictions: predicted class ids; references: gold class ids.",
    "grouped": "predictions / references: 0/1 per answer option; questions=[question id per option].",
    "pairs": "predictions / references: class ids in minimal-pair order (examples 2k, 2k+1).",
    "scores": "predictions: predicted real scores; references: gold scores.",
    "answers": "predictions: predicted answer texts; references: the gold answer texts per question.",
    "task_scores": "predictions: task scores; references: the task names (e.g. glue/cola).",
}


class NlpbenchMetric(evaluate.Metric):
    """An `evaluate` metric computed by the nlpbench function registered as ``metric_name``."""

    metric_name = ""

    def _info(self) -> evaluate.MetricInfo:
        entry = METRICS.get(self.metric_name)
        kind = entry.meta["inputs"]
        return evaluate.MetricInfo(
            description=f"nlpbench metric {entry.name!r}: {entry.summary}",
            citation="",
            inputs_description=INPUTS[kind],
            features=FEATURES[kind],
        )

    def _compute(self, predictions: Any = None, references: Any = None, **kwargs: Any) -> dict[str, float]:
        entry = METRICS.get(self.metric_name)
        fn = entry.load()
        kind = entry.meta["inputs"]
        if kind == "task_scores":
            value = fn(dict(zip(references, predictions, strict=True)))
        elif kind == "grouped":
            value = fn(references, predictions, kwargs["questions"])
        else:
            value = fn(references, predictions)
        return {self.metric_name: float(value)}
