"""Folder of the local `evaluate` module for the metric 'mcc' (packaged with nlpbench)."""
