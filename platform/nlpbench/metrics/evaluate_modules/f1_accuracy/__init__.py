"""Folder of the local `evaluate` module for the metric 'f1_accuracy' (packaged with nlpbench)."""
