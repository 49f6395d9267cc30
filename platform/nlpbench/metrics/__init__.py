"""Pure metric functions over label/prediction arrays, registered by name."""

from nlpbench.registry import Registry

METRICS = Registry("metric")
METRICS.register("accuracy", "nlpbench.metrics.classification:accuracy",
                 "share of predictions equal to the gold label", higher_is_better=True)
METRICS.register("f1", "nlpbench.metrics.classification:f1",
                 "binary F1 of the positive class (label 1)", higher_is_better=True)
METRICS.register("macro_f1", "nlpbench.metrics.classification:macro_f1",
                 "unweighted mean of per-class F1 over the gold and predicted classes",
                 higher_is_better=True)
METRICS.register("mcc", "nlpbench.metrics.classification:mcc",
                 "Matthews correlation coefficient, binary or multi-class", higher_is_better=True)
METRICS.register("pearson", "nlpbench.metrics.regression:pearson",
                 "Pearson correlation of predicted and gold scores", higher_is_better=True)
METRICS.register("spearman", "nlpbench.metrics.regression:spearman",
                 "Spearman rank correlation of predicted and gold scores", higher_is_better=True)
