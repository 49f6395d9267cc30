"""The registered corpus sources: each turns a CorpusConfig into an iterator of Documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from nlpbench.data.documents import Document


@dataclass(frozen=True)
class IndexedSource:
    """A source whose document k depends only on (config, k), so any range of indices can be made
    alone: the corpus builder generates such a source in parallel shards of indices.

    Called with a config it is an ordinary source (an iterator over all its documents, in order).
    """

    size: Callable[[Any], int]
    documents: Callable[[Any, Sequence[int]], list[Document]]
    chunk: int = 1000

    def __call__(self, cfg: Any) -> Iterator[Document]:
        n = self.size(cfg)
        for start in range(0, n, self.chunk):
            yield from self.documents(cfg, range(start, min(n, start + self.chunk)))


def _synthetic_config(cfg: Any) -> Any:
    """The generator's config for a corpus config (its checks name any bad field)."""
    from nlpbench.data.synthetic.generator import SyntheticConfig

    options: dict[str, Any] = {"seed": cfg.seed, "n_documents": cfg.n_documents,
                               "sentences_per_document": tuple(cfg.sentences_per_document)}
    if cfg.phenomena:
        options["phenomena"] = dict(cfg.phenomena)
    return SyntheticConfig(**options)


def _synthetic_documents(cfg: Any, indices: Sequence[int]) -> list[Document]:
    """Documents ``indices`` of the synthetic language: each depends only on its seed and index,
    never on how many others are generated or in which process."""
    from nlpbench.data.synthetic.generator import generate_document

    config = _synthetic_config(cfg)
    docs = (generate_document(config, k) for k in indices)
    return [Document(str(d.id), tuple(s.text for s in d.sentences), {"topic": d.topic}) for d in docs]


synthetic = IndexedSource(size=lambda cfg: _synthetic_config(cfg).n_documents, documents=_synthetic_documents)


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
