"""Folder of the local `evaluate` module for the metric 'macro_f1' (packaged with nlpbench)."""
