"""Local `evaluate` module serving the nlpbench metric 'superglue_score', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class SuperglueScore(adapter.NlpbenchMetric):
    """SuperGLUE score: mean of the eight SuperGLUE task scores, by task name."""

    metric_name = "superglue_score"
