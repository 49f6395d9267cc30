"""Local `evaluate` module serving the nlpbench metric 'gender_parity', offline."""

import nlpbench.metrics.evaluate_adapter as adapter


class GenderParity(adapter.NlpbenchMetric):
    """AX-g gender parity: share of minimal pairs (2k, 2k+1) with the same prediction."""

    metric_name = "gender_parity"
