"""Local `evaluate` module serving the nlpbench metric 'record_f1_em', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class RecordF1Em(adapter.NlpbenchMetric):
    """Mean of ReCoRD token F1 and exact match (SuperGLUE ReCoRD task score)."""

    metric_name = "record_f1_em"
