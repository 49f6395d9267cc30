"""Local `evaluate` module serving the nlpbench metric 'squad_exact_match', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class SquadExactMatch(adapter.NlpbenchMetric):
    """SQuAD v1.1 exact match x100, best over gold answers after normalisation."""

    metric_name = "squad_exact_match"
