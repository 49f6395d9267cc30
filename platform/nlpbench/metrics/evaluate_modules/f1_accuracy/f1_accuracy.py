"""Local `evaluate` module serving the nlpbench metric 'f1_accuracy', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class F1Accuracy(adapter.NlpbenchMetric):
    """Mean of binary F1 and accuracy (GLUE MRPC and QQP task score)."""

    metric_name = "f1_accuracy"
