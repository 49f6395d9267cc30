"""Local `evaluate` module serving the nlpbench metric 'macro_f1', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class MacroF1(adapter.NlpbenchMetric):
    """Unweighted mean of per-class F1 over the gold and predicted classes."""

    metric_name = "macro_f1"
