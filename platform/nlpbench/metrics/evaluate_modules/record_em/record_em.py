"""Local `evaluate` module serving the nlpbench metric 'record_em', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class RecordEm(adapter.NlpbenchMetric):
    """ReCoRD exact match, best over gold entities after SQuAD normalisation."""

    metric_name = "record_em"
