"""Local `evaluate` module serving the nlpbench metric 'squad_v2_f1', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class SquadV2F1(adapter.NlpbenchMetric):
    """SQuAD v2.0 token F1 x100 (unanswerable: empty answer), no threshold."""

    metric_name = "squad_v2_f1"
