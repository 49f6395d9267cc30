"""Folder of the local `evaluate` module for the metric 'squad_v2_f1' (packaged with nlpbench)."""
