"""Thin command-line wrappers over the runners; nothing heavy is imported at start-up."""
