"""Folder of the local `evaluate` module for the metric 'record_f1_em' (packaged with nlpbench)."""
