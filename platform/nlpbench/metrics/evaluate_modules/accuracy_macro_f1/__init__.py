"""Folder of the local `evaluate` module for the metric 'accuracy_macro_f1' (packaged with nlpbench)."""
