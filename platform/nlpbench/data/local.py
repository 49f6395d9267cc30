"""`local` corpus: .txt (blank-line blocks), .jsonl or .parquet files, one file or a folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from nlpbench.data.documents import Document, split_sentences
from nlpbench.errors import DataError

SUFFIXES = (".txt", ".jsonl", ".parquet")


def corpus_files(path: Path) -> list[Path]:
    """The corpus files under ``path`` (itself when a file), sorted for a stable order."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder (corpus path); fix the corpus `path` setting")
    if path.is_file():
        if path.suffix not in SUFFIXES:
            raise DataError(f"{path}: unsupported corpus file type {path.suffix!r}; expected {SUFFIXES}")
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    if not files:
        raise DataError(f"{path}: folder holds no corpus files ({', '.join(SUFFIXES)})")
    return files


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DataError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "re-encode the file as UTF-8"
        ) from None


def _documents_from_txt(path: Path) -> Iterator[Document]:
    blocks: list[list[str]] = [[]]
    for line in _decode(path).splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    for k, block in enumerate(b for b in blocks if b):
        sentences = split_sentences(" ".join(block))
        yield Document(f"{path.name}/{k}", tuple(sentences), {"file": str(path)})


def _documents_from_jsonl(path: Path, text_field: str) -> Iterator[Document]:
    for number, line in enumerate(_decode(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataError(
                f"{path}, line {number}: not valid JSON ({err.msg}); expected one object per line"
            ) from None
        if not isinstance(row, dict) or text_field not in row:
            raise DataError(
                f"{path}, line {number}: no {text_field!r} field; expected an object with a string "
                f"{text_field!r} (set the corpus `text_field` to the right key)"
            )
        if not isinstance(row[text_field], str):
            raise DataError(f"{path}, line {number}: field {text_field!r} is not a string")
        sentences = split_sentences(row[text_field])
        doc_id = str(row.get("id", f"{path.name}/{number}"))
        yield Document(doc_id, tuple(sentences), {"file": str(path), "line": number})


def _documents_from_parquet(path: Path, text_field: str) -> Iterator[Document]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as err:  # noqa: BLE001 - pyarrow raises several unrelated types
        raise DataError(f"{path}: cannot read parquet file: {err}") from None
    if text_field not in table.column_names:
        raise DataError(f"{path}: no column {text_field!r}; columns are {table.column_names}")
    for row, text in enumerate(table.column(text_field).to_pylist()):
        if not isinstance(text, str):
            raise DataError(f"{path}, row {row}: column {text_field!r} is not a string")
        yield Document(f"{path.name}/{row}", tuple(split_sentences(text)), {"file": str(path), "row": row})


def load_local(path: str, text_field: str = "text") -> Iterator[Document]:
    """Documents from every corpus file under ``path``; empty documents are dropped."""
    for file in corpus_files(Path(path)):
        if file.suffix == ".txt":
            docs = _documents_from_txt(file)
        elif file.suffix == ".jsonl":
            docs = _documents_from_jsonl(file, text_field)
        else:
            docs = _documents_from_parquet(file, text_field)
        yield from (d for d in docs if d.sentences)
