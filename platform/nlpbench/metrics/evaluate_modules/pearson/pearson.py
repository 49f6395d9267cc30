"""Local `evaluate` module serving the nlpbench metric 'pearson', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class Pearson(adapter.NlpbenchMetric):
    """Pearson correlation of predicted and gold scores."""

    metric_name = "pearson"
