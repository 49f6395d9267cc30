"""Local `evaluate` module serving the nlpbench metric 'accuracy', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class Accuracy(adapter.NlpbenchMetric):
    """Share of predictions equal to the gold label."""

    metric_name = "accuracy"
