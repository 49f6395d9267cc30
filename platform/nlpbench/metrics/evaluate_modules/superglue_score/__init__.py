"""Folder of the local `evaluate` module for the metric 'superglue_score' (packaged with nlpbench)."""
