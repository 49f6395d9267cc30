"""The data jobs end to end on the pydocs corpus: corpus -> tokenizer -> pretraining data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.config.schema import CorpusConfig, PretrainingDataConfig, TokenizerSpec
from nlpbench.errors import DataError
from nlpbench.runners.data import build_corpus, build_pretraining_data, compare_tokenizers, train_tokenizer


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data")
    build_corpus("pydocs", CorpusConfig(source="pydocs", validation_fraction=0.1), root / "corpora")
    train_tokenizer("wordpiece", TokenizerSpec(family="wordpiece", corpus="pydocs", vocab_size=1500,
                                               lowercase=True), root / "corpora", root / "tokenizers")
    return root


def test_corpus_is_a_dataset_with_manifest(built: Path) -> None:
    import datasets

    folder = built / "corpora" / "pydocs"
    corpus = datasets.load_from_disk(str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(corpus) == {"train", "validation"}
    assert manifest["documents"] == corpus["train"].num_rows + corpus["validation"].num_rows
    assert manifest["splits"]["validation"]["documents"] == round(0.1 * manifest["documents"])
    assert manifest["sentences"] == sum(len(s) for split in corpus.values() for s in split["sentences"])
    assert len(manifest["sha256"]) == 64 and manifest["source"] == "pydocs"
    assert manifest["generator_version"].startswith("pydoc_data-3.")
    assert not list(folder.parent.glob(".*tmp")), "no staging folder left behind"


def test_rebuilding_gives_the_same_content_hash(built: Path, tmp_path: Path) -> None:
    again = build_corpus("pydocs", CorpusConfig(source="pydocs"), tmp_path)
    first = json.loads((built / "corpora" / "pydocs" / "manifest.json").read_text())
    assert again["sha256"] == first["sha256"]


def test_pretraining_data_is_deterministic_across_processes(built: Path, tmp_path: Path) -> None:
    import datasets

    cfg = PretrainingDataConfig(corpus="pydocs", tokenizer="wordpiece", format="segment_pair",
                                block_size=64, num_proc=2)
    build_pretraining_data("a", cfg, built / "corpora", built / "tokenizers", tmp_path)
    build_pretraining_data("b", cfg, built / "corpora", built / "tokenizers", tmp_path)
    a, b = (datasets.load_from_disk(str(tmp_path / n)) for n in "ab")
    assert a["train"]["input_ids"][:] == b["train"]["input_ids"][:]
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert 0.4 < manifest["splits"]["train"]["positive_label_share"] < 0.6
    assert manifest["splits"]["train"]["max_length"] <= 64


def test_failed_build_leaves_previous_output_intact(built: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    cfg = PretrainingDataConfig(corpus="pydocs", tokenizer="wordpiece", format="doc_sentences",
                                block_size=64, num_proc=1)
    build_pretraining_data("docs", cfg, built / "corpora", built / "tokenizers", tmp_path)
    before = (tmp_path / "docs" / "manifest.json").read_text()

    def broken(self: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while it was writing

    monkeypatch.setattr(datasets.DatasetDict, "save_to_disk", broken)
    with pytest.raises(KeyboardInterrupt):
        build_pretraining_data("docs", cfg.model_copy(update={"block_size": 32}), built / "corpora",
                               built / "tokenizers", tmp_path)
    assert (tmp_path / "docs" / "manifest.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_missing_inputs_are_clear_errors(built: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"corpus 'nope' has not been built"):
        train_tokenizer("x", TokenizerSpec(family="bpe", corpus="nope", vocab_size=500), built / "corpora",
                        tmp_path)
    cfg = PretrainingDataConfig(corpus="pydocs", tokenizer="absent", format="sop", block_size=64)
    with pytest.raises(DataError, match=r"tokenizer 'absent' has not been trained"):
        build_pretraining_data("x", cfg, built / "corpora", built / "tokenizers", tmp_path)
    assert not (tmp_path / "x").exists()


def test_empty_corpus_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n   \n")
    with pytest.raises(DataError, match=r"corpus 'mine' \(local at .*empty.txt\) is empty"):
        build_corpus("mine", CorpusConfig(source="local", path=str(empty)), tmp_path / "out")
    assert not (tmp_path / "out" / "mine").exists()


def test_comparison_table(built: Path, tmp_path: Path) -> None:
    reports = compare_tokenizers(["wordpiece"], built / "tokenizers", tmp_path)
    table = (tmp_path / "tokenizers.md").read_text()
    assert "| wordpiece | wordpiece | pydocs |" in table
    assert json.loads((tmp_path / "tokenizers.json").read_text())["wordpiece"]["vocab_size"] == 1500
    assert reports[0]["fertility"] > 1
