"""GLUE tasks: specs and the reader of the official TSV files (quirks included)."""

from __future__ import annotations

from pathlib import Path

from nlpbench.errors import DataError
from nlpbench.tasks.formats import read_tsv
from nlpbench.tasks.spec import ClassificationTask, Examples

SST2 = ClassificationTask(
    folder="SST-2",
    text_columns=("sentence",),
    label_column="label",
    labels=("0", "1"),
    metrics=("accuracy",),
    headline="accuracy",
    submission_name="SST-2.tsv",
)


def read_split(task: ClassificationTask, data_dir: Path, split: str) -> Examples:
    """Read one split of ``task`` from a GLUE-layout folder; labels are None when absent (test)."""
    path = task.split_path(data_dir, split)
    columns, rows = read_tsv(path)
    missing = [c for c in task.text_columns if c not in columns]
    if missing:
        raise DataError(f"{path}, line 1: missing column(s) {missing}; header is {columns}")
    text_idx = [columns.index(c) for c in task.text_columns]
    has_label = task.label_column in columns
    label_idx = columns.index(task.label_column) if has_label else None
    index_idx = columns.index("index") if "index" in columns else None
    labels: list[int] | None = [] if has_label else None
    texts, index = [], []
    for number, row in enumerate(rows, start=2):
        texts.append(tuple(row[i] for i in text_idx))
        index.append(row[index_idx] if index_idx is not None else str(number - 2))
        if labels is not None and label_idx is not None:
            value = row[label_idx].strip()
            if value not in task.labels:
                raise DataError(
                    f"{path}, line {number}: label {value!r} is not one of {list(task.labels)}"
                )
            labels.append(task.labels.index(value))
    if not texts:
        raise DataError(f"{path}: no examples after the header")
    return Examples(texts=texts, labels=labels, index=index, path=path)
