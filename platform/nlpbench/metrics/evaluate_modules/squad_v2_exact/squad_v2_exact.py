"""Local `evaluate` module serving the nlpbench metric 'squad_v2_exact', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class SquadV2Exact(adapter.NlpbenchMetric):
    """SQuAD v2.0 exact x100 (unanswerable: empty answer), no threshold."""

    metric_name = "squad_v2_exact"
