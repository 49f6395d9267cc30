"""Local `evaluate` module serving the nlpbench metric 'squad_f1', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class SquadF1(adapter.NlpbenchMetric):
    """SQuAD v1.1 token F1 x100, best over gold answers after normalisation."""

    metric_name = "squad_f1"
