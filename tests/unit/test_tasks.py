"""Tests for task data: the GLUE TSV reader (nlpbench.tasks.official.formats), the SST-2 split as fine-tuning
reads it (nlpbench.tasks.official.readers through sources.as_examples) and the synthetic SST-2 generator
(nlpbench.tasks.standins.sst2)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from nlpbench import fsio
from nlpbench.errors import DataError
from nlpbench.tasks import TASKS
from nlpbench.tasks.official import readers
from nlpbench.tasks.official.formats import read_tsv, write_tsv_atomic
from nlpbench.tasks.sources import as_examples
from nlpbench.tasks.spec import Examples, TaskSpec
from nlpbench.tasks.standins import sst2 as synthetic_sst2
from nlpbench.tasks.standins.sst2 import NEGATIVE, POSITIVE, generate, prepare

BOM = "\ufeff"
SST2 = TASKS.load("glue/sst2")


def read_split(spec: TaskSpec, data_dir: Path, split: str) -> Examples:
    """One split as fine-tuning reads it: the official reader, then the fine-tuning view."""
    return as_examples(readers.read_split(spec, data_dir, split))


def write_split(data_dir: Path, split: str, content: str | bytes) -> Path:
    """Write one raw SST-2 split file under ``data_dir`` in the GLUE layout."""
    path = SST2.split_path(data_dir, split)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_with_tsv(data_dir: Path, split: str) -> list[list[str]]:
    return read_tsv(SST2.split_path(data_dir, split))[1]


def read_with_glue(data_dir: Path, split: str) -> Examples:
    return read_split(SST2, data_dir, split)


READERS: dict[str, Callable[[Path, str], object]] = {
    "read_tsv": read_with_tsv,
    "read_split": read_with_glue,
}
both_readers = pytest.mark.parametrize("reader", list(READERS.values()), ids=list(READERS))


# --------------------------------------------------------------------------- TSV reader


def test_read_tsv_plain(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", "sentence\tlabel\na fine film\t1\na dull one\t0\n")
    columns, rows = read_tsv(path)
    assert columns == ["sentence", "label"]
    assert rows == [["a fine film", "1"], ["a dull one", "0"]]


def test_read_tsv_bom_at_file_start_is_accepted(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", BOM + "sentence\tlabel\nok\t1\n")
    columns, rows = read_tsv(path)
    assert columns == ["sentence", "label"]  # not "\ufeffsentence"
    assert rows == [["ok", "1"]]


def test_read_tsv_crlf_and_missing_final_newline(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", "sentence\tlabel\r\nok\t1\r\nbad\t0")
    assert read_tsv(path) == (["sentence", "label"], [["ok", "1"], ["bad", "0"]])


@pytest.mark.parametrize(
    "text",
    ['he said "wow', '"quoted at start', 'ends with a quote"', '""', "it 's ' a \" mess"],
)
def test_read_tsv_quotes_are_plain_characters(tmp_path: Path, text: str) -> None:
    path = write_split(tmp_path, "train", f"sentence\tlabel\n{text}\t1\nnext row\t0\n")
    _, rows = read_tsv(path)
    # an unescaped quote must neither swallow the tab nor the following line
    assert rows == [[text, "1"], ["next row", "0"]]


def test_read_tsv_without_header(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", "a\t1\nb\t0\n")
    assert read_tsv(path, header=False) == ([], [["a", "1"], ["b", "0"]])


def test_read_tsv_without_header_wrong_width(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", "a\t1\nb\t0\nc\n")
    with pytest.raises(DataError) as info:
        read_tsv(path, header=False)
    assert f"{path}, line 3:" in str(info.value)


def test_read_tsv_empty_file(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", "")
    with pytest.raises(DataError, match="empty file") as info:
        read_tsv(path)
    assert str(path) in str(info.value)


def test_write_tsv_atomic_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "out.tsv"
    write_tsv_atomic(path, ["index", "sentence"], [[0, 'he said "wow'], [1, "fine"]])
    assert read_tsv(path) == (["index", "sentence"], [["0", 'he said "wow'], ["1", "fine"]])
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.tsv"]


def test_write_text_atomic_failure_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.tsv"
    path.write_text("old\n")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(fsio.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_tsv_atomic(path, ["a"], [["1"]])
    monkeypatch.undo()
    assert path.read_text() == "old\n"  # previous content intact
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]  # no temp file left


# --------------------------------------------------------------------------- both readers


@both_readers
def test_bom_with_header_accepted_by_both(tmp_path: Path, reader: Callable) -> None:
    write_split(tmp_path, "train", BOM + "sentence\tlabel\ngood\t1\nbad\t0\n")
    result = reader(tmp_path, "train")
    if isinstance(result, Examples):
        assert result.texts == [("good",), ("bad",)]
        assert result.labels == [1, 0]
    else:
        assert result == [["good", "1"], ["bad", "0"]]


@both_readers
def test_unescaped_quote_read_verbatim_by_both(tmp_path: Path, reader: Callable) -> None:
    write_split(tmp_path, "train", 'sentence\tlabel\nhe said "wow\t1\nafter\t0\n')
    result = reader(tmp_path, "train")
    if isinstance(result, Examples):
        assert result.texts == [('he said "wow',), ("after",)]
        assert result.labels == [1, 0]
    else:
        assert result == [['he said "wow', "1"], ["after", "0"]]


@both_readers
@pytest.mark.parametrize(
    ("content", "line"),
    [
        # header is line 1, so the third data row is line 4
        ("sentence\tlabel\na\t1\nb\t0\nno tab here\nd\t1\n", 4),
        ("sentence\tlabel\na\t1\nextra\t0\tfield\n", 3),
        # BOM and CRLF must not shift the count
        (BOM + "sentence\tlabel\r\na\t1\r\nb\t0\r\nc\t1\r\nd\t0\r\ne\r\n", 6),
        # an unescaped quote does not join lines: the bad row is still counted as line 3
        ('sentence\tlabel\nhe said "wow\t1\nbroken\n', 3),
        # a blank line in the middle is a row with one field
        ("sentence\tlabel\na\t1\n\nb\t0\n", 3),
    ],
    ids=["missing-tab", "extra-field", "bom-crlf", "after-quote", "blank-line"],
)
def test_wrong_field_count_names_file_and_line(
    tmp_path: Path, reader: Callable, content: str, line: int
) -> None:
    path = write_split(tmp_path, "train", content)
    with pytest.raises(DataError) as info:
        reader(tmp_path, "train")
    message = str(info.value)
    assert f"{path}, line {line}:" in message
    assert re.findall(r"line (\d+)", message) == [str(line)]
    assert "expected 2 tab-separated fields" in message


@both_readers
def test_non_utf8_file_names_the_file(tmp_path: Path, reader: Callable) -> None:
    latin1 = "sentence\tlabel\ncaf\xe9 cr\xe8me\t1\n".encode("latin-1")
    path = write_split(tmp_path, "train", latin1)
    with pytest.raises(DataError, match="not UTF-8") as info:
        reader(tmp_path, "train")
    assert str(path) in str(info.value)


@both_readers
def test_missing_file(tmp_path: Path, reader: Callable) -> None:
    with pytest.raises(DataError, match="file not found") as info:
        reader(tmp_path, "dev")
    assert str(SST2.split_path(tmp_path, "dev")) in str(info.value)


@both_readers
def test_directory_instead_of_file(tmp_path: Path, reader: Callable) -> None:
    SST2.split_path(tmp_path, "dev").mkdir(parents=True)
    with pytest.raises(DataError, match="file not found"):
        reader(tmp_path, "dev")


# --------------------------------------------------------------------------- GLUE SST-2 reader


def test_read_split_train(tmp_path: Path) -> None:
    write_split(tmp_path, "train", "sentence\tlabel\ngood\t1\nbad\t0\nfine\t 1 \n")
    ex = read_split(SST2, tmp_path, "train")
    assert ex.texts == [("good",), ("bad",), ("fine",)]
    assert ex.labels == [1, 0, 1]  # surrounding whitespace in the label is tolerated
    assert ex.index == ["0", "1", "2"]  # no index column: row positions
    assert ex.path == SST2.split_path(tmp_path, "train")
    assert len(ex) == 3


def test_read_split_columns_in_any_order(tmp_path: Path) -> None:
    write_split(tmp_path, "dev", "label\tsentence\n0\tbad\n1\tgood\n")
    ex = read_split(SST2, tmp_path, "dev")
    assert ex.texts == [("bad",), ("good",)]
    assert ex.labels == [0, 1]


@pytest.mark.parametrize(
    ("content", "line", "bad"),
    [
        ("sentence\tlabel\ngood\t1\nbad\t2\n", 3, "2"),
        ("sentence\tlabel\ngood\t1\nbad\t0\nmeh\tpositive\n", 4, "positive"),
        ("sentence\tlabel\ngood\t\n", 2, ""),
    ],
)
def test_label_outside_label_set(tmp_path: Path, content: str, line: int, bad: str) -> None:
    path = write_split(tmp_path, "train", content)
    with pytest.raises(DataError) as info:
        read_split(SST2, tmp_path, "train")
    message = str(info.value)
    assert f"{path}, line {line}:" in message
    assert repr(bad) in message
    assert "['0', '1']" in message


def test_test_split_has_no_labels_and_uses_index(tmp_path: Path) -> None:
    write_split(tmp_path, "test", "index\tsentence\n7\tgood\n3\the said \"wow\n12\tbad\n")
    ex = read_split(SST2, tmp_path, "test")
    assert ex.labels is None
    assert ex.index == ["7", "3", "12"]
    assert ex.texts == [("good",), ('he said "wow',), ("bad",)]


def test_test_split_with_bom(tmp_path: Path) -> None:
    write_split(tmp_path, "test", BOM + "index\tsentence\n0\tgood\n")
    ex = read_split(SST2, tmp_path, "test")
    assert ex.index == ["0"]
    assert ex.labels is None


def test_missing_text_column(tmp_path: Path) -> None:
    path = write_split(tmp_path, "train", "text\tlabel\ngood\t1\n")
    with pytest.raises(DataError, match="missing column") as info:
        read_split(SST2, tmp_path, "train")
    assert f"{path}, line 1:" in str(info.value)


def test_header_only_file(tmp_path: Path) -> None:
    path = write_split(tmp_path, "dev", "sentence\tlabel\n")
    with pytest.raises(DataError, match="no examples") as info:
        read_split(SST2, tmp_path, "dev")
    assert str(path) in str(info.value)


# --------------------------------------------------------------------------- synthetic SST-2

SIZES = {"n_train": 60, "n_dev": 20, "n_test": 15}
SPLIT_FILES = ("train.tsv", "dev.tsv", "test.tsv", "manifest.json")


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in SPLIT_FILES}


def test_prepare_writes_official_layout(tmp_path: Path) -> None:
    folder = prepare(tmp_path, seed=1, **SIZES)
    assert folder == tmp_path / "SST-2"
    assert sorted(p.name for p in folder.iterdir()) == sorted(SPLIT_FILES)
    # no staging folder left beside it
    assert [p.name for p in tmp_path.iterdir()] == ["SST-2"]

    for split, n in (("train", 60), ("dev", 20)):
        text = (folder / f"{split}.tsv").read_text(encoding="utf-8")
        assert text.startswith("sentence\tlabel\n")
        columns, rows = read_tsv(folder / f"{split}.tsv")
        assert columns == ["sentence", "label"]
        assert len(rows) == n
        assert {label for _, label in rows} <= {"0", "1"}
        ex = read_split(SST2, tmp_path, split)
        assert len(ex) == n and ex.labels is not None

    test_text = (folder / "test.tsv").read_text(encoding="utf-8")
    assert test_text.startswith("index\tsentence\n")
    ex = read_split(SST2, tmp_path, "test")
    assert ex.labels is None
    assert ex.index == [str(i) for i in range(15)]


def test_prepare_is_deterministic(tmp_path: Path) -> None:
    a = prepare(tmp_path / "a", seed=3, **SIZES)
    b = prepare(tmp_path / "b", seed=3, **SIZES)
    assert _bytes(a) == _bytes(b)


def test_prepare_different_seed_differs(tmp_path: Path) -> None:
    a = _bytes(prepare(tmp_path / "a", seed=3, **SIZES))
    b = _bytes(prepare(tmp_path / "b", seed=4, **SIZES))
    for name in ("train.tsv", "dev.tsv", "test.tsv", "manifest.json"):
        assert a[name] != b[name], name


def test_generate_is_deterministic_and_split_specific() -> None:
    assert generate(5, 40, "train") == generate(5, 40, "train")
    assert generate(5, 40, "train") != generate(6, 40, "train")
    assert generate(5, 40, "train") != generate(5, 40, "dev")
    # a prefix of a longer draw: n does not change earlier examples
    assert generate(5, 40, "train")[:10] == generate(5, 10, "train")


def test_prepare_second_call_does_not_rewrite(tmp_path: Path) -> None:
    folder = prepare(tmp_path, seed=2, **SIZES)
    # back-date the files so a rewrite would be visible even on coarse-mtime filesystems
    for name in SPLIT_FILES:
        os.utime(folder / name, ns=(1_000_000_000, 1_000_000_000))
    before = {name: (folder / name).stat() for name in SPLIT_FILES}

    assert prepare(tmp_path, seed=2, **SIZES) == folder

    for name in SPLIT_FILES:
        after = (folder / name).stat()
        assert after.st_mtime_ns == before[name].st_mtime_ns == 1_000_000_000, name
        assert after.st_ino == before[name].st_ino, name
    assert [p.name for p in tmp_path.iterdir()] == ["SST-2"]


def test_prepare_with_new_parameters_rewrites(tmp_path: Path) -> None:
    folder = prepare(tmp_path, seed=2, **SIZES)
    first = _bytes(folder)
    prepare(tmp_path, seed=2, n_train=61, n_dev=20, n_test=15)
    second = _bytes(folder)
    assert second["train.tsv"] != first["train.tsv"]
    assert len(read_tsv(folder / "train.tsv")[1]) == 61
    assert [p.name for p in tmp_path.iterdir()] == ["SST-2"]


ADJ_CLAUSE = re.compile(
    r"^the (?P<noun>\w+) (?:was|is|seemed|felt) (?P<neg>(?:not|never|hardly) )?"
    r"(?:(?:very|really|quite|truly|rather|remarkably) )?(?P<adj>\w+)"
    r"(?: from start to finish| for most of its running time| at times| in every scene)?$"
)
VERB_CLAUSE = re.compile(r"^i (?:(?P<neg>did not) (?P<base>\w+)|(?P<verb>\w+)) the \w+$")
VERB_POLARITY = {"loved": 1, "enjoyed": 1, "adored": 1, "admired": 1, "love": 1, "enjoy": 1,
                 "adore": 1, "admire": 1, "hated": 0, "disliked": 0, "resented": 0,
                 "regretted": 0, "hate": 0, "dislike": 0, "resent": 0, "regret": 0}
FILLER = re.compile(r"^(?:honestly|in the end|overall|for what it is worth|to be fair) , ")


def polarity(adj: str) -> int:
    if adj in POSITIVE:
        return 1
    assert adj in NEGATIVE, adj
    return 0


def expected_label(sentence: str) -> tuple[int, bool]:
    """The gold label from the sentence's words alone, and whether the deciding clause is
    negated: the last clause decides (``X , but Y``); negation flips its polarity."""
    assert sentence.endswith(" .")
    body = FILLER.sub("", sentence[: -len(" .")])
    clause = body.split(" , but ")[-1]
    if m := ADJ_CLAUSE.match(clause):
        negated = m["neg"] is not None
        return polarity(m["adj"]) ^ int(negated), negated
    m = VERB_CLAUSE.match(clause)
    assert m is not None, sentence
    negated = m["neg"] is not None
    return VERB_POLARITY[m["base"] or m["verb"]] ^ int(negated), negated


def test_negation_flips_the_label_simple_sentences() -> None:
    # One-clause sentences "the X was [not] [very] Y [tail] ." (any copula, any negator:
    # not / never / hardly); no filler and no "but", so Y alone decides.
    negated: dict[int, int] = {}
    plain: dict[int, int] = {}
    for text, label in generate(11, 3000, "train"):
        m = ADJ_CLAUSE.match(text.removesuffix(" ."))
        if m is None:
            continue
        if m["neg"]:
            assert label == 1 - polarity(m["adj"]), text
            negated[label] = negated.get(label, 0) + 1
        else:
            assert label == polarity(m["adj"]), text
            plain[label] = plain.get(label, 0) + 1
    # both labels seen, negated and not, so the checks above were not vacuous
    assert min(negated.get(0, 0), negated.get(1, 0), plain.get(0, 0), plain.get(1, 0)) >= 20


def test_every_generated_label_follows_the_semantics() -> None:
    seen_negated = {0: 0, 1: 0}
    for split in ("train", "dev"):
        for text, label in generate(0, 2000, split):
            want, negated = expected_label(text)
            assert label == want, text
            if negated:
                seen_negated[label] += 1
    assert min(seen_negated.values()) > 50


def test_written_labels_follow_the_semantics(tmp_path: Path) -> None:
    folder = prepare(tmp_path, seed=9, **SIZES)
    _, rows = read_tsv(folder / "dev.tsv")
    for text, label in rows:
        assert int(label) == expected_label(text)[0], text


@pytest.mark.parametrize("exc", [OSError("no space left"), KeyboardInterrupt()])
def test_failed_prepare_leaves_no_partial_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    real = synthetic_sst2.write_tsv_atomic
    written: list[str] = []

    def failing_on_test(path: Path, columns: list[str], rows: list[list[str]]) -> None:
        if path.name == "test.tsv":
            raise exc
        real(path, columns, rows)
        written.append(path.name)

    monkeypatch.setattr(synthetic_sst2, "write_tsv_atomic", failing_on_test)
    data_dir = tmp_path / "data"
    with pytest.raises(type(exc)):
        prepare(data_dir, seed=1, **SIZES)

    assert written == ["train.tsv", "dev.tsv"]  # it really failed midway
    assert not (data_dir / "SST-2").exists()
    assert list(data_dir.iterdir()) == []  # no staging dir, no temp files

    # and a later successful run works normally
    monkeypatch.setattr(synthetic_sst2, "write_tsv_atomic", real)
    folder = prepare(data_dir, seed=1, **SIZES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(SPLIT_FILES)


def test_failed_regeneration_keeps_previous_complete_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = prepare(tmp_path, seed=1, **SIZES)
    before = _bytes(folder)
    real = synthetic_sst2.write_tsv_atomic

    def failing_on_test(path: Path, columns: list[str], rows: list[list[str]]) -> None:
        if path.name == "test.tsv":
            raise OSError("interrupted")
        real(path, columns, rows)

    monkeypatch.setattr(synthetic_sst2, "write_tsv_atomic", failing_on_test)
    with pytest.raises(OSError, match="interrupted"):
        prepare(tmp_path, seed=2, **SIZES)

    assert _bytes(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["SST-2"]
