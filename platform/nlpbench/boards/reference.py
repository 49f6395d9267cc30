"""Published ("reported") reference rows: the data file of paper numbers, its schema and validation.

Values are percentages as the papers print them. A task's value is either a number (the task
score as the paper reported it) or a mapping of registered metric names to numbers, with an
optional ``score`` (task score) and ``source`` (when it differs from the row's source).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nlpbench.errors import ConfigError, Problem
from nlpbench.registry import Registry, did_you_mean


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReferenceRowSpec(_Strict):
    id: str
    label: str
    source: str
    note: str = ""
    aggregates: dict[str, float] = Field(default_factory=dict)
    values: dict[str, float | dict[str, float | str]] = Field(default_factory=dict)


class ReferenceSpec(_Strict):
    version: int = Field(1, ge=1)
    rows: list[ReferenceRowSpec]


@dataclass(frozen=True)
class ReferenceCell:
    """One published cell: the task score and/or named metrics, in percent, and its source."""

    score: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class ReferenceRow:
    """A published row: label, source, per-task cells and published aggregate scores (percent)."""

    id: str
    label: str
    source: str
    cells: dict[str, ReferenceCell]
    aggregates: dict[str, float] = field(default_factory=dict)
    note: str = ""


def read_yaml(path: Path, header: str) -> Any:
    """A YAML file's content; an unreadable file or invalid YAML is one ConfigError under ``header``."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError([Problem("file", f"cannot read it: {err.strerror or err}")], header) from err
    except yaml.YAMLError as err:
        raise ConfigError([Problem("file", f"not valid YAML: {err}")], header) from err


def load_reference(path: str | Path, tasks: Registry | None = None,
                   metrics: Registry | None = None) -> list[ReferenceRow]:
    """Read and check the reference rows at ``path``; every problem names the file and key."""
    path = Path(path)
    header = f"invalid reference rows {path}"
    data = read_yaml(path, header)
    try:
        spec = ReferenceSpec.model_validate(data)
    except ValidationError as err:
        raise ConfigError([Problem(_loc(e["loc"]) or "file", f"{e['msg']} (got {e.get('input')!r})")
                           for e in err.errors()], header) from err
    if tasks is None or metrics is None:
        from nlpbench.catalog import METRICS, TASKS

        tasks, metrics = tasks or TASKS, metrics or METRICS
    problems: list[Problem] = []
    rows = [_row(r, i, tasks, metrics, problems) for i, r in enumerate(spec.rows)]
    ids = [r.id for r in spec.rows]
    problems += [Problem(f"rows[{i}].id", f"id {rid!r} is used twice") for i, rid in enumerate(ids)
                 if rid in ids[:i]]
    if problems:
        raise ConfigError(problems, header)
    return rows


def _row(spec: ReferenceRowSpec, i: int, tasks: Registry, metrics: Registry,
         problems: list[Problem]) -> ReferenceRow:
    cells: dict[str, ReferenceCell] = {}
    for task, value in spec.values.items():
        key = f"rows[{i}].values.{task}"
        if task not in tasks:
            problems.append(_unknown("task", key, task, tasks.names()))
            continue
        if not isinstance(value, dict):
            cells[task] = ReferenceCell(score=float(value), source=spec.source)
            continue
        score, source, named = None, spec.source, {}
        for name, number in value.items():
            if name == "source":
                source = str(number)
            elif isinstance(number, str):
                problems.append(Problem(f"{key}.{name}", f"expected a number, got {number!r}"))
            elif name == "score":
                score = float(number)
            elif name not in metrics:
                problems.append(_unknown("metric", f"{key}.{name}", name, ["score", "source",
                                                                          *metrics.names()]))
            else:
                named[name] = float(number)
        cells[task] = ReferenceCell(score=score, metrics=named, source=source)
    return ReferenceRow(id=spec.id, label=spec.label, source=spec.source, cells=cells,
                        aggregates=dict(spec.aggregates), note=spec.note.strip())


def _unknown(kind: str, key: str, value: str, choices: list[str]) -> Problem:
    hint = did_you_mean(value, choices)
    return Problem(key, f"unknown {kind} {value!r}." + (f" Did you mean {hint[0]!r}?" if hint else ""),
                   choices=tuple(choices))


def _loc(loc: tuple[Any, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key
