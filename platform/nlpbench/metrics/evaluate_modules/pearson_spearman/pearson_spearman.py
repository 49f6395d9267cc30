"""Local `evaluate` module serving the nlpbench metric 'pearson_spearman', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class PearsonSpearman(adapter.NlpbenchMetric):
    """Mean of Pearson and Spearman correlation (GLUE STS-B task score)."""

    metric_name = "pearson_spearman"
