"""Task specs as data: each ``conf/task/**.yaml`` holds its task's ``spec:`` block, read and checked
here with errors that name the file and the field; ``task_registry`` indexes those files."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from nlpbench.errors import DataError
from nlpbench.fsio import read_yaml_file
from nlpbench.registry import Registry, did_you_mean
from nlpbench.tasks.spec import TaskSpec

FILE_FORMATS = ("glue_tsv", "superglue_jsonl", "squad_json")
MAPPINGS = ("split_files", "aliases", "metric_keys", "submissions", "hub_columns", "hub_dataset")
LISTS = ("inputs", "labels", "columns", "metrics", "parts", "submission_labels")
STANDIN_KEYS = ("standin_of", "builder", "summary")  # a stand-in's spec: the real task's, its builder
REQUIRED = ("benchmark", "file_format", "kind", "folder", "split_files", "inputs", "metrics", "headline",
            "submissions")


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in ``path``; a DataError naming the file when it is not YAML or not a mapping."""
    data = read_yaml_file(path, "task file")
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a mapping with name, source and spec; got {type(data).__name__}")
    return data


def spec_block(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    """The ``spec:`` mapping of a task file, its keys checked (did-you-mean on a misspelling)."""
    block = data.get("spec")
    if not isinstance(block, dict):
        raise DataError(f"{path}: field 'spec' is missing or not a mapping; every task file describes "
                        "its task there (copy the spec block of a task of the same kind, e.g. "
                        "conf/task/glue/rte.yaml)")
    known = STANDIN_KEYS if "standin_of" in block else tuple(f.name for f in fields(TaskSpec))
    for key in block:
        if key not in known or key == "name":
            hint = did_you_mean(str(key), [k for k in known if k != "name"])
            advice = f"did you mean 'spec.{hint[0]}'?" if hint else f"expected one of {list(known)}"
            raise DataError(f"{path}: unknown field 'spec.{key}'; {advice}")
    return block


def spec_from_block(path: Path, name: str, block: Mapping[str, Any]) -> TaskSpec:
    """A TaskSpec from a checked ``spec:`` block of a real (not stand-in) task."""
    missing = [k for k in REQUIRED if k not in block]
    if missing:
        raise DataError(f"{path}: spec needs the field(s) {['spec.' + k for k in missing]}")
    from nlpbench.tasks.kinds import KINDS

    for key, allowed in (("file_format", FILE_FORMATS), ("kind", tuple(KINDS.names()))):
        if block[key] not in allowed:
            raise DataError(f"{path}: spec.{key} is {block[key]!r}; expected one of {list(allowed)}")
    values: dict[str, Any] = {"name": name}
    for key, value in block.items():
        if key in MAPPINGS and value is not None:
            if not isinstance(value, dict):
                raise DataError(f"{path}: spec.{key} must be a mapping, got {value!r}")
            value = {str(k): v for k, v in value.items()}
        elif key in LISTS and value is not None:
            if not isinstance(value, list):
                raise DataError(f"{path}: spec.{key} must be a list, got {value!r}")
            value = tuple(value)
        elif value is not None and not isinstance(value, str):
            raise DataError(f"{path}: spec.{key} must be text, got {value!r}")
        values[key] = value
    if values["headline"] not in values["metrics"] and "_" not in values["headline"]:
        raise DataError(f"{path}: spec.headline {values['headline']!r} is neither one of spec.metrics "
                        f"{list(values['metrics'])} nor a combined metric (e.g. f1_accuracy)")
    return TaskSpec(**values)


def task_files(conf: Path) -> dict[str, Path]:
    """Registered name -> task file, for every YAML file under ``conf/task``."""
    root = conf / "task"
    return {p.relative_to(root).with_suffix("").as_posix(): p for p in sorted(root.rglob("*.yaml"))}


def task_registry(conf: Path) -> Registry:
    """TASKS: one entry per task file, its spec read when the task is used."""
    registry = Registry("task")
    files = task_files(conf)
    blocks = {name: (path, spec_block(path, read_yaml(path))) for name, path in files.items()}
    for name, (path, block) in blocks.items():
        real = block.get("standin_of")
        if real is not None and real not in blocks:
            raise DataError(f"{path}: spec.standin_of names {real!r}, which has no task file "
                            f"under {conf / 'task'}")
        own = blocks[real][1] if real else block
        for key in ("benchmark", "headline"):
            if key not in own:
                raise DataError(f"{blocks[real][0] if real else path}: spec needs the field 'spec.{key}'")
        meta: dict[str, Any] = {"benchmark": "synthetic" if real else own["benchmark"],
                                "headline": own["headline"], "file": str(path)}
        meta.update({k: block[k] for k in ("standin_of", "builder") if k in block})
        if own.get("model_task"):
            meta["model_task"] = own["model_task"]
        summary = block.get("summary") or (
            f"stand-in generated from the synthetic language: {own.get('summary', real)}" if real else "")
        loader = functools.partial(load_spec, str(files[real or name]), real or name)
        registry.register_data(name, str(path), summary, loader, **meta)
    return registry


@functools.cache
def load_spec(path: str, name: str) -> TaskSpec:
    """The spec of task ``name`` from its file (read once; a stand-in shares its real task's spec)."""
    file = Path(path)
    return spec_from_block(file, name, spec_block(file, read_yaml(file)))
