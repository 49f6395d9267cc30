"""Tests for the synthetic benchmark stand-ins (nlpbench.tasks.standins*): official layouts read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.errors import DataError
from nlpbench.tasks.readers import read_split
from nlpbench.tasks.scoring import benchmark_spec
from nlpbench.tasks.standins import STANDIN_SIZES, prepare_standin, standin_files, write_standin

GLUE = ["glue/cola", "glue/sst2", "glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/qnli", "glue/rte",
        "glue/wnli", "glue/ax"]
SUPERGLUE = ["superglue/boolq", "superglue/cb", "superglue/copa", "superglue/multirc", "superglue/rte",
             "superglue/wic", "superglue/wsc", "superglue/axb"]
SQUAD = ["squad/v1", "squad/v2"]
TASKS = GLUE + SUPERGLUE + SQUAD
SIZES = {"n_train": 30, "n_dev": 24, "n_test": 12}
LABELLED_TEST = {"superglue/axb"}  # its test file is labelled, as distributed


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("task", TASKS)
def test_every_split_reads_back_in_the_official_layout(task: str, tmp_path: Path) -> None:
    spec = benchmark_spec(task)
    folder = write_standin(task, tmp_path, seed=3, **SIZES)
    assert folder == tmp_path / spec.folder
    for split in spec.split_files:
        data = read_split(spec, tmp_path, split)
        assert data.labeled == (not split.startswith("test") or task in LABELLED_TEST), split
        n = 30 if split == "train" else 24 if split.startswith("dev") else 12
        assert len(data) == (3 * n if task == "superglue/multirc" else n), split  # 3 options a question
        if not data.labeled:
            continue
        labels = [ex.label for ex in data.examples]
        if spec.kind == "regression":
            assert all(0.0 <= x <= 5.0 for x in labels) and len(set(labels)) > 3  # type: ignore[operator]
        elif spec.labels:
            assert set(labels) == set(range(len(spec.labels))), (split, labels)  # every class present
        elif task == "squad/v2":
            assert () in labels and any(labels)  # unanswerable and answerable questions
        else:
            assert all(labels)


@pytest.mark.parametrize("task", TASKS)
def test_same_seed_same_bytes_other_seed_other_bytes(task: str) -> None:
    from nlpbench.tasks.standins import Sizes

    sizes = Sizes(8, 6, 6)
    first = standin_files(task, 0, sizes)
    assert first == standin_files(task, 0, sizes)
    other = standin_files(task, 1, sizes)
    assert first.keys() == other.keys() and all(first[k] != other[k] for k in first)


def test_written_files_are_deterministic(tmp_path: Path) -> None:
    a = write_standin("glue/mnli", tmp_path / "a", seed=5, **SIZES)
    b = write_standin("glue/mnli", tmp_path / "b", seed=5, **SIZES)
    assert _files(a) == _files(b)
    assert sorted(p.name for p in a.iterdir()) == [".standin.json", "dev_matched.tsv", "dev_mismatched.tsv",
                                                   "test_matched.tsv", "test_mismatched.tsv", "train.tsv"]


def test_skips_when_the_manifest_matches_and_regenerates_when_arguments_differ(tmp_path: Path) -> None:
    folder = write_standin("glue/rte", tmp_path, seed=0, **SIZES)
    manifest = json.loads((folder / ".standin.json").read_text())
    assert manifest["task"] == "glue/rte" and manifest["seed"] == 0 and manifest["n_train"] == 30
    marker = folder / "train.tsv"
    before = marker.stat().st_mtime_ns
    write_standin("glue/rte", tmp_path, seed=0, **SIZES)
    assert marker.stat().st_mtime_ns == before
    write_standin("glue/rte", tmp_path, seed=1, **SIZES)
    assert json.loads((folder / ".standin.json").read_text())["seed"] == 1
    write_standin("glue/rte", tmp_path, seed=1, **{**SIZES, "n_train": 7})
    assert len(read_split(benchmark_spec("glue/rte"), tmp_path, "train")) == 7
    # SQuAD's files lie in data_dir itself, with a manifest per task
    write_standin("squad/v2", tmp_path, seed=0, **SIZES)
    assert json.loads((tmp_path / ".standin-squad-v2.json").read_text())["n_dev"] == 24
    write_standin("squad/v2", tmp_path, seed=0, **{**SIZES, "n_dev": 5})
    assert len(read_split(benchmark_spec("squad/v2"), tmp_path, "dev")) == 5


def test_real_data_without_a_manifest_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "RTE").mkdir()
    (tmp_path / "RTE" / "train.tsv").write_text("index\tsentence1\tsentence2\tlabel\n")
    with pytest.raises(DataError, match="refusing to overwrite"):
        write_standin("glue/rte", tmp_path, **SIZES)
    with pytest.raises(DataError, match="no synthetic stand-in"):
        write_standin("superglue/record", tmp_path, **SIZES)


def test_glue_layout_quirks(tmp_path: Path) -> None:
    cola = write_standin("glue/cola", tmp_path, **SIZES)
    first = (cola / "train.tsv").read_text().splitlines()[0].split("\t")
    assert len(first) == 4 and first[1] in ("0", "1") and first[2] in ("", "*")  # no header
    assert (cola / "test.tsv").read_text().startswith("index\tsentence\n")
    mrpc = write_standin("glue/mrpc", tmp_path, **SIZES)
    assert (mrpc / "train.tsv").read_text(encoding="utf-8-sig").startswith(
        "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n")
    assert (mrpc / "test.tsv").read_text().startswith("index\t#1 ID\t#2 ID\t#1 String\t#2 String\n")
    mnli = write_standin("glue/mnli", tmp_path, **SIZES)
    assert (mnli / "dev_matched.tsv").is_file() and (mnli / "dev_mismatched.tsv").is_file()
    spec = benchmark_spec("glue/mnli")
    genres = {part: {line.split("\t")[3] for line in (mnli / f"dev_{part}.tsv").read_text().splitlines()[1:]}
              for part in ("matched", "mismatched")}
    assert genres["matched"] and genres["mismatched"] and not genres["matched"] & genres["mismatched"]
    assert "gold_label" not in (mnli / "test_mismatched.tsv").read_text().splitlines()[0]
    assert read_split(spec, tmp_path, "test_mismatched").labeled is False
    ax = write_standin("glue/ax", tmp_path, **SIZES)
    assert sorted(p.name for p in ax.glob("*.tsv")) == ["diagnostic-full.tsv", "diagnostic.tsv"]


def test_span_fields_point_at_their_words(tmp_path: Path) -> None:
    write_standin("superglue/wsc", tmp_path, **SIZES)
    wsc = read_split(benchmark_spec("superglue/wsc"), tmp_path, "dev")
    for ex in wsc.examples:
        words = ex.inputs["text"].split()
        assert words[ex.inputs["span2_index"]] == ex.inputs["span2_text"]
        assert words[ex.inputs["span1_index"]] == ex.inputs["span1_text"].split()[0]
    wic = write_standin("superglue/wic", tmp_path, **SIZES)
    for line in (wic / "val.jsonl").read_text().splitlines():
        row = json.loads(line)
        assert row["sentence1"][row["start1"]:row["end1"]] and row["sentence2"][row["start2"]:row["end2"]]
    squad = read_split(benchmark_spec("squad/v1"), write_standin("squad/v1", tmp_path, **SIZES), "dev")
    for ex in squad.examples:
        assert isinstance(ex.label, tuple)
        start = ex.inputs["answer_starts"][0]
        assert ex.inputs["context"][start:start + len(ex.label[0])] == ex.label[0]


def test_prepare_standin_uses_the_default_sizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpbench.tasks import standins

    assert set(STANDIN_SIZES) == set(TASKS)
    assert STANDIN_SIZES["glue/sst2"].train >= 1000
    monkeypatch.setitem(standins.STANDIN_SIZES, "glue/sst2", standins.Sizes(9, 5, 4))
    folder = prepare_standin("glue/sst2", tmp_path, seed=2)
    assert len(read_split(benchmark_spec("glue/sst2"), tmp_path, "train")) == 9
    assert json.loads((folder / ".standin.json").read_text())["seed"] == 2
