"""`pydocs` corpus: the documentation topics shipped with this Python, read at run time."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlpbench.data.documents import Document, split_sentences

_UNDERLINE = re.compile(r"^[*=\-~^\"]{3,}\s*$")


def _sections(topic: str, text: str) -> Iterator[tuple[str, list[str]]]:
    """(title, prose paragraphs) per section; indented blocks (code, grammar) are dropped."""
    lines = text.splitlines()
    title = topic
    paragraphs: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]) and line.strip():
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if paragraphs:
                yield title, paragraphs
            title, paragraphs = line.strip(), []
            i += 2
            continue
        if not line.strip() or line.startswith((" ", "\t")):
            if current:
                paragraphs.append(" ".join(current))
                current = []
        else:
            current.append(line.strip())
        i += 1
    if current:
        paragraphs.append(" ".join(current))
    if paragraphs:
        yield title, paragraphs


def load_pydocs(min_sentences: int = 2) -> Iterator[Document]:
    """One document per section of each topic in ``pydoc_data.topics``, in a stable order."""
    from pydoc_data.topics import topics

    for topic in sorted(topics):
        for k, (title, paragraphs) in enumerate(_sections(topic, topics[topic])):
            sentences = [s for p in paragraphs for s in split_sentences(p) if len(s.split()) >= 3]
            if len(sentences) >= min_sentences:
                yield Document(f"pydocs/{topic}/{k}", tuple(sentences), {"topic": topic, "title": title})
