"""Folder of the local `evaluate` module for the metric 'gender_parity' (packaged with nlpbench)."""
