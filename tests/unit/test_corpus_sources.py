"""Corpus sources: pydocs from the running interpreter, local files and folders, hub-style folders."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from nlpbench.data.documents import split_sentences
from nlpbench.data.hub import load_hf
from nlpbench.data.local import load_local
from nlpbench.data.pydocs import load_pydocs
from nlpbench.errors import DataError
from tests.conftest import REPO


def test_split_sentences_keeps_abbreviation_free_prose_whole() -> None:
    text = "The cat sat. It was happy!  Was it?\nYes, 3 times."
    assert split_sentences(text) == ["The cat sat.", "It was happy!", "Was it?", "Yes, 3 times."]
    assert split_sentences("   ") == []


def test_pydocs_reads_the_interpreters_topics_at_run_time() -> None:
    from pydoc_data.topics import topics

    docs = list(load_pydocs())
    assert len(docs) > 100 and sum(len(d.sentences) for d in docs) > 1000
    assert docs == list(load_pydocs())  # stable order and content
    assert {d.meta["topic"] for d in docs} <= set(topics)
    # prose, not code: no sentence is an indented grammar rule
    assert all("::=" not in s for d in docs for s in d.sentences)
    first = next(d for d in docs if d.meta["topic"] == "assert")
    assert first.sentences[0].startswith("Assert statements are a convenient way")


def test_pydocs_text_is_not_copied_into_the_repository() -> None:
    sentence = next(iter(load_pydocs())).sentences[0]
    tracked = subprocess.run(["git", "grep", "-l", "-F", sentence[:60]], cwd=REPO,
                             capture_output=True, text=True)
    assert tracked.stdout.strip() == ""


def test_local_txt_blocks_jsonl_and_parquet(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("First doc. Two sentences.\n\n\nSecond doc here. It wraps\nlines.\n")
    (folder / "b.jsonl").write_text('{"body": "A json doc. With two."}\n\n{"body": "Another one."}\n')
    pq.write_table(pa.table({"body": ["Parquet text. Also two."]}), folder / "c.parquet")
    txt = list(load_local(str(folder / "a.txt")))
    assert [d.sentences for d in txt] == [("First doc.", "Two sentences."),
                                          ("Second doc here.", "It wraps lines.")]
    docs = list(load_local(str(folder), text_field="body"))
    assert [d.sentences[0] for d in docs] == ["First doc.", "Second doc here.", "A json doc.", "Another one.",
                                              "Parquet text."]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.jsonl", b'{"text": "fine."}\n{"text": broken}\n', r"bad.jsonl, line 2: not valid JSON"),
        ("nofield.jsonl", b'{"text": "ok."}\n\n{"body": "x"}\n', r"nofield.jsonl, line 3: no 'text' field"),
        ("latin.txt", "Caf\u00e9 ok.\nna\u00efve.\n".encode("latin-1"), r"latin.txt, line 1: not UTF-8"),
        ("late.txt", b"fine line.\nsecond fine.\nbad \xff here.\n", r"late.txt, line 3: not UTF-8"),
    ],
)
def test_local_errors_name_file_and_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        list(load_local(str(path)))


def test_local_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope: no such file or folder"):
        list(load_local(str(tmp_path / "nope")))
    with pytest.raises(DataError, match=r"holds no corpus files"):
        list(load_local(str(tmp_path)))


def test_hf_source_reads_a_local_dataset_folder(tmp_path: Path) -> None:
    folder = tmp_path / "my_dataset"
    folder.mkdir()
    rows = [{"text": f"Row {i} says hello. It has two sentences."} for i in range(5)]
    (folder / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    docs = list(load_hf(str(folder), None, None, "train", "text"))
    assert len(docs) == 5 and docs[0].sentences == ("Row 0 says hello.", "It has two sentences.")
    with pytest.raises(DataError, match="no column 'body'"):
        list(load_hf(str(folder), None, None, "train", "body"))
    with pytest.raises(DataError, match="cannot load"):
        list(load_hf(str(tmp_path / "missing"), None, None, "train", "text"))
