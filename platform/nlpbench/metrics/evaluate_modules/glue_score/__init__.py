"""Folder of the local `evaluate` module for the metric 'glue_score' (packaged with nlpbench)."""
