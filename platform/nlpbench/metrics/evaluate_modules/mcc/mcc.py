"""Local `evaluate` module serving the nlpbench metric 'mcc', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class Mcc(adapter.NlpbenchMetric):
    """Matthews correlation coefficient, binary or multi-class."""

    metric_name = "mcc"
