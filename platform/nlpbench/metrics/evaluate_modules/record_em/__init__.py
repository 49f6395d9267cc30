"""Folder of the local `evaluate` module for the metric 'record_em' (packaged with nlpbench)."""
