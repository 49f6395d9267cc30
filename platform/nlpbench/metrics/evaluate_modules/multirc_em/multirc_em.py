"""Local `evaluate` module serving the nlpbench metric 'multirc_em', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class MultircEm(adapter.NlpbenchMetric):
    """MultiRC EM: share of questions with every answer option right."""

    metric_name = "multirc_em"
