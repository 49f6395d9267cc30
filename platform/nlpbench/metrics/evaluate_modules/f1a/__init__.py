"""Folder of the local `evaluate` module for the metric 'f1a' (packaged with nlpbench)."""
