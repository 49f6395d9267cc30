"""Resolve a task config to its split files: generate synthetic stand-ins, write hub datasets in the
official layout (only when ``task.source=hub``), read local folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, Problem
from nlpbench.tasks.spec import Examples, TaskSpec


def copa_options(inputs: Any) -> tuple[str, ...]:
    """COPA as (premise, option 1, option 2), each option joined by the question's connective."""
    connective = "because" if inputs["question"] == "cause" else "so"
    return inputs["premise"], f"{connective} {inputs['choice1']}", f"{connective} {inputs['choice2']}"


# tasks whose label picks one of several options: their inputs as (context, option 1, option 2, ...)
MULTIPLE_CHOICE = {"COPA": copa_options}


def prepare_task(cfg: Any, spec: TaskSpec) -> dict[str, Examples]:
    """Read train/dev (and test, and the other halves of split tasks such as MNLI's mismatched
    sets, when present) for ``spec`` from the source named in ``cfg``."""
    from nlpbench.tasks.official import readers

    if "train" not in spec.split_files:
        raise ConfigError([Problem("task.name", f"{cfg.name!r} has no train split: it is predicted by "
                                   "another task's model or only scored with `nlpbench score`")])
    data_dir = Path(cfg.data_dir)
    if cfg.source == "synthetic":
        _write_synthetic(cfg, data_dir)
    if cfg.source == "hub":
        _materialise_hub(cfg, spec)
    splits: dict[str, Examples] = {}
    for split in fine_tuning_splits(spec):
        path = spec.split_path(data_dir, split)
        if split in ("train", "dev") or path.is_file():
            splits[split] = as_examples(readers.read_split(spec, data_dir, split))
    return splits


def _write_synthetic(cfg: Any, data_dir: Path) -> None:
    """Generate the stand-in's files: with the builder its task file names, else the stand-in writer."""
    from nlpbench.catalog import TASKS
    from nlpbench.registry import Entry
    from nlpbench.tasks.standins import write_standin

    meta, s = TASKS.get(cfg.name).meta, cfg.synthetic
    if meta.get("builder"):
        build = Entry("builder", cfg.name, meta["builder"], "").load()
        build(data_dir, s.seed, s.n_train, s.n_dev, s.n_test)
        return
    write_standin(meta.get("standin_of", cfg.name), data_dir, seed=s.seed,
                  n_train=s.n_train, n_dev=s.n_dev, n_test=s.n_test)


def _materialise_hub(cfg: Any, spec: TaskSpec) -> None:
    """Write ``cfg.hub``'s dataset as the task's official files under ``cfg.data_dir`` (reused when
    already there), so the readers below take it exactly like a local folder."""
    from nlpbench.tasks.official.hub import hub_fix, materialise

    if cfg.hub is None or not cfg.hub.path:
        raise ConfigError([Problem("task.hub.path", "task.source=hub needs the dataset to load",
                                   fix=hub_fix(cfg.name))])
    materialise(cfg.hub, spec, Path(cfg.data_dir), cfg.name)


def fine_tuning_splits(spec: TaskSpec) -> list[str]:
    """train, dev, test, then every other dev_*/test_* file (MNLI: dev_mismatched, test_mismatched)."""
    main = {spec.split_files[s] for s in ("dev", "test") if s in spec.split_files}
    extra = [s for s in spec.split_files
             if s.startswith(("dev_", "test_")) and spec.split_files[s] not in main]
    return ["train", "dev", *(["test"] if "test" in spec.split_files else []), *extra]


def as_examples(split: Any) -> Examples:
    """A read official split as the fine-tuning view: input texts in the spec's field order."""
    spec = split.spec
    leaves = [f.rsplit(".", 1)[-1] for f in spec.inputs]  # nested JSON fields are read by leaf name
    options = MULTIPLE_CHOICE.get(spec.folder)
    texts = [options(ex.inputs) if options else tuple(str(ex.inputs[f]) for f in leaves)
             for ex in split.examples]
    labels = [ex.label for ex in split.examples] if split.labeled else None
    return Examples(texts=texts, labels=labels, index=[ex.id for ex in split.examples], path=split.path,
                    source=split)


def grouped_metric(metric: Any, split: Examples) -> Any:
    """``metric`` with the split's question groups bound when it groups answer options by question
    (MultiRC's EM); otherwise ``metric`` itself."""
    import functools
    import inspect

    if "questions" not in inspect.signature(metric).parameters or split.source is None:
        return metric
    return functools.partial(metric, questions=[ex.group for ex in split.source.examples])
