"""Local `evaluate` module serving the nlpbench metric 'f1', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class F1(adapter.NlpbenchMetric):
    """Binary F1 of the positive class (label 1)."""

    metric_name = "f1"
