"""nlpbench: run and compare transformer language-model experiments."""

__version__ = "0.1.0"
