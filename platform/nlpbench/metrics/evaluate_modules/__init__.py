"""Local `evaluate` module scripts, one folder per registered metric (see nlpbench.metrics)."""
