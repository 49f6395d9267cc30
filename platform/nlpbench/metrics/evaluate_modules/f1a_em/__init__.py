"""Folder of the local `evaluate` module for the metric 'f1a_em' (packaged with nlpbench)."""
