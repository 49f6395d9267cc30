"""The unit every corpus source yields: a document as an ordered tuple of sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Document:
    """One document: a stable id, its sentences in order, and source metadata."""

    id: str
    sentences: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def split_sentences(paragraph: str) -> list[str]:
    """Split running prose into sentences at ., ! or ? followed by a capitalised word."""
    text = _SPACES.sub(" ", paragraph).strip()
    if not text:
        return []
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def word_count(text: str) -> int:
    return len(text.split())
