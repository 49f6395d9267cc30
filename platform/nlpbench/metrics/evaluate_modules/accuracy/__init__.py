"""Folder of the local `evaluate` module for the metric 'accuracy' (packaged with nlpbench)."""
