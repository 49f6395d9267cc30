"""Local `evaluate` module serving the nlpbench metric 'glue_score_no_wnli', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class GlueScoreNoWnli(adapter.NlpbenchMetric):
    """GLUE score without WNLI: mean of the other eight GLUE task scores."""

    metric_name = "glue_score_no_wnli"
