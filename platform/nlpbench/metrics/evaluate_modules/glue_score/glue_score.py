"""Local `evaluate` module serving the nlpbench metric 'glue_score', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class GlueScore(adapter.NlpbenchMetric):
    """GLUE score: mean of the nine GLUE task scores, by task name."""

    metric_name = "glue_score"
