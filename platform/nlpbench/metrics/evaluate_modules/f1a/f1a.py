"""Local `evaluate` module serving the nlpbench metric 'f1a', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class F1a(adapter.NlpbenchMetric):
    """MultiRC F1a: binary F1 over all answer options."""

    metric_name = "f1a"
