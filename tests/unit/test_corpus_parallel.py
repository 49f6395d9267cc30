"""The synthetic corpus generated in parallel shards is byte for byte the one a single process makes."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from nlpbench.config.schema import CorpusConfig
from nlpbench.runners import data
from nlpbench.runners.data import build_corpus


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("corpora")
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data, "MIN_DOCUMENTS_PER_PROCESS", 50)  # 240 documents in 2 processes
        for num_proc in (2, 1):  # parallel first: its workers must not depend on what the parent made
            cfg = CorpusConfig(source="synthetic", n_documents=240, seed=3, num_proc=num_proc)
            build_corpus("synthetic", cfg, root / f"p{num_proc}")
            built[num_proc] = root / f"p{num_proc}" / "synthetic"
    return built


def test_parallel_corpus_is_byte_identical_to_the_serial_one(corpora: dict[int, Path]) -> None:
    serial, parallel = (json.loads((corpora[n] / "manifest.json").read_text()) for n in (1, 2))
    assert parallel["sha256"] == serial["sha256"]
    assert _folder_bytes(corpora[2]) == _folder_bytes(corpora[1])
    assert "num_proc" not in serial["config"]  # how it was made is not what it is
    assert not [p for p in corpora[2].parent.iterdir() if p.name.startswith(".")], "scratch left behind"


def test_corpus_is_the_sources_documents_in_order_with_the_seeded_split(corpora: dict[int, Path]) -> None:
    import datasets

    from nlpbench.data import CORPORA

    cfg = CorpusConfig(source="synthetic", n_documents=240, seed=3)
    docs = [d for d in CORPORA.load("synthetic")(cfg) if d.sentences]
    sha = hashlib.sha256()
    for d in docs:
        sha.update(d.id.encode() + b"\n" + "\n".join(d.sentences).encode() + b"\n\n")
    manifest = json.loads((corpora[2] / "manifest.json").read_text())
    assert manifest["sha256"] == sha.hexdigest()
    order = list(range(len(docs)))
    random.Random("corpus-split/3").shuffle(order)
    held_out = set(order[:round(0.1 * len(docs))])
    corpus = datasets.load_from_disk(str(corpora[2]))
    assert corpus["validation"]["id"][:] == [d.id for i, d in enumerate(docs) if i in held_out]
    assert corpus["train"]["id"][:] == [d.id for i, d in enumerate(docs) if i not in held_out]
    assert corpus["train"]["sentences"][:3] == [list(d.sentences) for d in docs if d.id in
                                                corpus["train"]["id"][:3]]
    train = manifest["splits"]["train"]
    assert train["documents"] == corpus["train"].num_rows
    assert train["words"] == sum(len(s.split()) for doc in corpus["train"]["sentences"] for s in doc)
    assert manifest["documents"] == len(docs) == 240
