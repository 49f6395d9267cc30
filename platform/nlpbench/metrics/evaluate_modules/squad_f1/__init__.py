"""Folder of the local `evaluate` module for the metric 'squad_f1' (packaged with nlpbench)."""
