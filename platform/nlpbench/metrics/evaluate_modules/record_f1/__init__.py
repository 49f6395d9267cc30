"""Folder of the local `evaluate` module for the metric 'record_f1' (packaged with nlpbench)."""
