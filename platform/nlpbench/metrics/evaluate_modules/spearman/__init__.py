"""Folder of the local `evaluate` module for the metric 'spearman' (packaged with nlpbench)."""
