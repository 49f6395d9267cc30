"""Folder of the local `evaluate` module for the metric 'squad_exact_match' (packaged with nlpbench)."""
