"""Folder of the local `evaluate` module for the metric 'pearson_spearman' (packaged with nlpbench)."""
