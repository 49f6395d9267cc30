"""Folder of the local `evaluate` module for the metric 'squad_v2_exact' (packaged with nlpbench)."""
