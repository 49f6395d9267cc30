"""Local `evaluate` module serving the nlpbench metric 'record_f1', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class RecordF1(adapter.NlpbenchMetric):
    """ReCoRD token F1, best over gold entities after SQuAD normalisation."""

    metric_name = "record_f1"
