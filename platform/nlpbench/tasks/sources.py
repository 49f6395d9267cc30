"""Resolve a task config to its split files: generate synthetic stand-ins, read local folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlpbench.tasks.glue import read_split
from nlpbench.tasks.spec import ClassificationTask, Examples


def prepare_task(cfg: Any, task: ClassificationTask) -> dict[str, Examples]:
    """Read train/dev (and test when present) for ``task`` from the source named in ``cfg``."""
    if cfg.source == "synthetic":
        from nlpbench.tasks.synthetic_sst2 import prepare

        s = cfg.synthetic
        prepare(Path(cfg.data_dir), s.seed, s.n_train, s.n_dev, s.n_test)
    data_dir = Path(cfg.data_dir)
    splits = {split: read_split(task, data_dir, split) for split in ("train", "dev")}
    if task.split_path(data_dir, "test").is_file():
        splits["test"] = read_split(task, data_dir, "test")
    return splits
