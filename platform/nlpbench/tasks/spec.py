"""What a task is: its splits, fields, labels, metrics and headline, independent of its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Examples:
    """One split read from disk: inputs as tuples of texts, gold labels (None on test), ids."""

    texts: list[tuple[str, ...]]
    labels: list[int] | None
    index: list[str]
    path: Path

    def __len__(self) -> int:
        return len(self.texts)


@dataclass(frozen=True)
class ClassificationTask:
    """A sentence(-pair) classification task in the GLUE TSV layout."""

    folder: str
    text_columns: tuple[str, ...]
    label_column: str
    labels: tuple[str, ...]
    metrics: tuple[str, ...]
    headline: str
    submission_name: str
    split_files: dict[str, str] = field(
        default_factory=lambda: {"train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"}
    )

    @property
    def num_labels(self) -> int:
        return len(self.labels)

    def split_path(self, data_dir: Path, split: str) -> Path:
        return data_dir / self.folder / self.split_files[split]
