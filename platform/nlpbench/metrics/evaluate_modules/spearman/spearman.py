"""Local `evaluate` module serving the nlpbench metric 'spearman', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class Spearman(adapter.NlpbenchMetric):
    """Spearman rank correlation of predicted and gold scores."""

    metric_name = "spearman"
