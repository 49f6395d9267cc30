"""Official file formats: GLUE-style TSV read without quote processing, written atomically."""

from __future__ import annotations

from pathlib import Path

from nlpbench.errors import DataError
from nlpbench.fsio import write_text_atomic


def read_tsv(path: Path, *, header: bool = True) -> tuple[list[str], list[list[str]]]:
    """Read a TSV as distributed (BOM allowed, quotes are plain characters).

    Returns (column names, rows). Every row must have as many fields as the header; a file
    that breaks this gets a DataError naming the file and the line.
    """
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        # bytes, not read_text: universal newlines would split a field at a lone "\r"
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text (byte {err.start}): {err.reason}") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if not lines:
        raise DataError(f"{path}: empty file, expected a header line")
    columns = lines[0].split("\t") if header else []
    start = 1 if header else 0
    rows: list[list[str]] = []
    width = len(columns) if header else None
    for number, line in enumerate(lines[start:], start=start + 1):
        fields = line.split("\t")
        if width is None:
            width = len(fields)
        if len(fields) != width:
            raise DataError(
                f"{path}, line {number}: expected {width} tab-separated fields"
                f"{' (' + ', '.join(columns) + ')' if columns else ''}, found {len(fields)}"
            )
        rows.append(fields)
    return columns, rows


def write_tsv_atomic(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    """Write a TSV via a temporary file and rename, so readers never see half a file."""
    text = "\t".join(columns) + "\n" + "".join("\t".join(map(str, r)) + "\n" for r in rows)
    write_text_atomic(path, text)
