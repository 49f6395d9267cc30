"""Folder of the local `evaluate` module for the metric 'multirc_em' (packaged with nlpbench)."""
