"""Folder of the local `evaluate` module for the metric 'f1' (packaged with nlpbench)."""
