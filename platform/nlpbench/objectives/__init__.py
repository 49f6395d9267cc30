"""Pretraining objectives, registered by name (populated by the pretraining work)."""

from nlpbench.registry import Registry

OBJECTIVES = Registry("objective")
