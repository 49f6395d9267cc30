"""Local `evaluate` module serving the nlpbench metric 'f1a_em', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class F1aEm(adapter.NlpbenchMetric):
    """Mean of MultiRC F1a and EM (SuperGLUE MultiRC task score)."""

    metric_name = "f1a_em"
