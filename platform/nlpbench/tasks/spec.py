"""What a task is: its splits, fields, labels, metrics and headline, independent of its source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Examples:
    """One split read from disk: inputs as tuples of texts, gold labels (None on test), ids."""

    texts: list[tuple[str, ...]]
    labels: list[int] | list[float] | None
    index: list[str]
    path: Path
    source: Any = None  # the official split it came from (readers.Split), for submission files

    def __len__(self) -> int:
        return len(self.texts)


@dataclass(frozen=True, kw_only=True)
class TaskSpec:
    """A benchmark task as distributed: its files, fields, labels, metrics and submission files.

    One type serves GLUE, SuperGLUE and SQuAD; ``file_format`` names the reader
    (``nlpbench.tasks.official.readers``) and ``kind`` what one example holds and how it is scored.
    """

    benchmark: str  # glue | superglue | squad | synthetic
    file_format: str  # glue_tsv | superglue_jsonl | squad_json
    kind: str  # classification | regression | multiple_choice | wsc | multirc | record | squad_v1 | squad_v2
    folder: str  # under the benchmark's data folder ("" for SQuAD's bare files)
    split_files: Mapping[str, str]
    inputs: tuple[str, ...]  # input fields: TSV columns, JSON keys (dotted when nested)
    labels: tuple[str, ...] = ()  # class names in id order; () for regression and span answers
    label_field: str = "label"
    index_field: str | None = "index"  # the file's own id column (GLUE); else 0-based positions
    columns: tuple[str, ...] | None = None  # column names of headerless files (CoLA train/dev)
    aliases: Mapping[str, str] = field(default_factory=dict)  # other header names of a column
    metrics: tuple[str, ...]  # registered metric names, computed when scoring
    metric_keys: Mapping[str, str] = field(default_factory=dict)  # metric -> output key if not its name
    headline: str  # registered metric whose value is the task score
    submissions: Mapping[str, str]  # split -> official submission file name
    parts: tuple[str, ...] = ()  # scored separately and averaged (MNLI matched / mismatched)
    name: str = ""  # the registered name (conf/task/<name>.yaml)
    summary: str = ""
    model_task: str | None = None  # a diagnostic set: the task whose fine-tuned model predicts it
    hub_columns: Mapping[str, str] = field(default_factory=dict)  # hub column -> spec column
    hub_dataset: Mapping[str, str | None] | None = None  # {path, name} of the hub copy
    submission_labels: tuple[Any, ...] = ()  # how a class id is written in a submission (else labels)

    @property
    def num_labels(self) -> int:
        """Output size of a head: the number of classes, 1 for regression and span tasks."""
        return len(self.labels) or 1

    @property
    def text_columns(self) -> tuple[str, ...]:
        return self.inputs

    @property
    def label_column(self) -> str:
        return self.label_field

    @property
    def submission_name(self) -> str:
        """The official submission file of the (first) test split."""
        return next(iter(self.submissions.values()))

    def key(self, metric: str) -> str:
        """The output key under which ``metric`` is reported."""
        return self.metric_keys.get(metric, metric)

    def split_path(self, data_dir: Path, split: str) -> Path:
        return data_dir / self.folder / self.split_files[split]
