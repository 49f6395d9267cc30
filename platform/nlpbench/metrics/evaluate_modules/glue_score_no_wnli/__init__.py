"""Folder of the local `evaluate` module for the metric 'glue_score_no_wnli' (packaged with nlpbench)."""
