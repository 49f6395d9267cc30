"""The registered corpus sources: each turns a CorpusConfig into an iterator of Documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nlpbench.data.documents import Document


def synthetic(cfg: Any) -> Iterator[Document]:
    from nlpbench.data.synthetic.generator import SyntheticConfig, generate_documents

    options: dict[str, Any] = {"seed": cfg.seed, "n_documents": cfg.n_documents,
                               "sentences_per_document": tuple(cfg.sentences_per_document)}
    if cfg.phenomena:
        options["phenomena"] = dict(cfg.phenomena)
    for doc in generate_documents(SyntheticConfig(**options)):
        yield Document(str(doc.id), tuple(s.text for s in doc.sentences), {"topic": doc.topic})


def pydocs(cfg: Any) -> Iterator[Document]:
    from nlpbench.data.pydocs import load_pydocs

    return load_pydocs(cfg.min_sentences)


def local(cfg: Any) -> Iterator[Document]:
    from nlpbench.data.local import load_local

    return load_local(cfg.path, cfg.text_field)


def hf(cfg: Any) -> Iterator[Document]:
    from nlpbench.data.hub import load_hf

    return load_hf(cfg.name, cfg.config, cfg.revision, cfg.split, cfg.text_field)


def source_version(source: str) -> str:
    """The generator/reader version written into the corpus manifest."""
    if source == "synthetic":
        from nlpbench.data.synthetic.generator import GENERATOR_VERSION

        return f"synthetic-{GENERATOR_VERSION}"
    if source == "pydocs":
        import sys

        return f"pydoc_data-{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    return f"{source}-1"
