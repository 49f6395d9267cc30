"""Local `evaluate` module serving the nlpbench metric 'accuracy_macro_f1', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class AccuracyMacroF1(adapter.NlpbenchMetric):
    """Mean of accuracy and macro-F1 (SuperGLUE CB task score)."""

    metric_name = "accuracy_macro_f1"
