"""Folder of the local `evaluate` module for the metric 'pearson' (packaged with nlpbench)."""
