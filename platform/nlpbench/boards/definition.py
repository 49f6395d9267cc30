"""Board definitions: the YAML schema (pydantic), its validation against the registries, the resolved form.

A definition names its columns (registered tasks, each with a headline metric and sub-metrics),
how records become rows (a grouping key), how seeds are reduced, how the representative trial
of a sweep is chosen and how the aggregate score is computed. Every problem in a file is
reported at once, each naming the file and the key, with did-you-mean for unknown names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nlpbench.errors import ConfigError, Problem
from nlpbench.registry import Registry, did_you_mean

RECORD_FIELDS = ("model", "objective", "group", "task", "job", "seed", "config_hash", "git_commit")
# model x objective x pretraining config (size preset, architecture overrides, starting checkpoint)
DEFAULT_ROW_KEY = ("model", "objective", "config.model.size", "config.model.config",
                   "config.model.checkpoint")
# Config paths that differ between seeds / machines of the same trial; not part of its identity.
DEFAULT_TRIAL_IGNORE = ("seed", "paths", "logger", "records", "group", "trainer.enable_progress_bar",
                        "trainer.num_workers")


def leaderboards_dir() -> Path:
    """The project's leaderboards/ folder (definitions, reference rows, committed outputs): the one
    in the working directory when there is one (DVC runs stages there), else the repository's."""
    here = Path.cwd() / "leaderboards"
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "leaderboards"


# -- the file's schema ------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(_Strict):
    """One column: a registered task, its headline metric (default: the task's) and sub-metrics."""

    task: str
    label: str | None = None
    headline: str | None = None
    metrics: list[str] | None = None
    split: str | None = None
    aggregate: bool = True


class RowsSpec(_Strict):
    key: list[str] = Field(default_factory=lambda: list(DEFAULT_ROW_KEY), min_length=1)


class SeedsSpec(_Strict):
    reduce: Literal["mean", "median"] = "mean"


class TrialsSpec(_Strict):
    select: Literal["best", "pool"] = "best"
    ignore: list[str] = Field(default_factory=lambda: list(DEFAULT_TRIAL_IGNORE))


class AggregateSpec(_Strict):
    name: str = "score"
    tasks: list[str] | None = None


class BoardSpec(_Strict):
    """The YAML file as written."""

    name: str | None = None
    title: str | None = None
    description: str = ""
    version: int = Field(1, ge=1)
    split: str = "dev"
    jobs: list[str] | None = None
    rows: RowsSpec = Field(default_factory=RowsSpec)
    seeds: SeedsSpec = Field(default_factory=SeedsSpec)
    trials: TrialsSpec = Field(default_factory=TrialsSpec)
    aggregate: AggregateSpec = Field(default_factory=AggregateSpec)
    columns: list[ColumnSpec] = Field(min_length=1)
    reference: str | None = "reference.yaml"
    curves: int = Field(3, ge=0)


# -- the resolved definition ------------------------------------------------------------------


@dataclass(frozen=True)
class MetricInfo:
    """A registered metric as the board shows it: ``scale`` turns its values into percent."""

    name: str
    higher_is_better: bool = True
    scale: float = 100.0


@dataclass(frozen=True)
class Column:
    """A resolved column: task, label, split, headline metric and sub-metrics."""

    task: str
    label: str
    split: str
    headline: MetricInfo
    metrics: tuple[MetricInfo, ...] = ()
    in_aggregate: bool = True

    @property
    def all_metrics(self) -> tuple[MetricInfo, ...]:
        """The headline first, then the sub-metrics."""
        return (self.headline, *self.metrics)


@dataclass(frozen=True)
class BoardDefinition:
    """A validated board definition; everything the pure build needs, nothing it must look up."""

    name: str
    title: str
    columns: tuple[Column, ...]
    description: str = ""
    version: int = 1
    jobs: tuple[str, ...] | None = None
    row_key: tuple[str, ...] = DEFAULT_ROW_KEY
    seed_reduce: str = "mean"
    trial_select: str = "best"
    trial_ignore: tuple[str, ...] = DEFAULT_TRIAL_IGNORE
    aggregate_name: str = "score"
    aggregate_tasks: tuple[str, ...] = ()
    reference: str | None = None
    curves: int = 3
    source: str = ""
    digest: str = ""

    def column(self, task: str) -> Column:
        return next(c for c in self.columns if c.task == task)

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(c.task for c in self.columns)


# -- loading ----------------------------------------------------------------------------------


def available_boards(folder: Path | None = None) -> list[str]:
    """Names of the board definitions in ``folder`` (default: leaderboards/), reference excluded."""
    folder = folder or leaderboards_dir()
    return sorted(p.stem for p in folder.glob("*.yaml") if p.stem != "reference")


def definition_path(name: str) -> Path:
    """The definition file of board ``name``: a path to a YAML file, or a name in leaderboards/."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml"):
        if candidate.is_file():
            return candidate
        raise ConfigError([Problem("board", f"no board definition file {candidate}")],
                          header="cannot build the board")
    path = leaderboards_dir() / f"{name}.yaml"
    if path.is_file():
        return path
    boards = available_boards()
    hint = did_you_mean(name, boards)
    message = f"unknown board {name!r} (no {path})." + (f" Did you mean {hint[0]!r}?" if hint else "")
    raise ConfigError([Problem("board", message, fix=f"nlpbench board {hint[0] if hint else '<name>'}",
                               choices=tuple(boards))], header="cannot build the board")


def load_definition(path: str | Path, tasks: Registry | None = None,
                    metrics: Registry | None = None) -> BoardDefinition:
    """Read, check and resolve the board definition at ``path`` (every problem at once)."""
    import yaml

    path = Path(path)
    header = f"invalid board definition {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError([Problem("file", f"cannot read it: {err.strerror or err}")], header) from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise ConfigError([Problem("file", f"{where}not valid YAML ({getattr(err, 'problem', err)})")],
                          header) from err
    if not isinstance(data, dict):
        raise ConfigError([Problem("file", "expected a mapping with at least `columns:`")], header)
    try:
        spec = BoardSpec.model_validate(data)
    except ValidationError as err:
        raise ConfigError([_schema_problem(dict(e)) for e in err.errors()], header) from err
    if tasks is None or metrics is None:
        from nlpbench.catalog import METRICS, TASKS

        tasks, metrics = tasks or TASKS, metrics or METRICS
    definition, problems = resolve(spec, path, tasks, metrics, hashlib.sha256(text.encode()).hexdigest())
    if problems:
        raise ConfigError(problems, header)
    assert definition is not None
    return definition


def resolve(spec: BoardSpec, path: Path, tasks: Registry, metrics: Registry,
            digest: str = "") -> tuple[BoardDefinition | None, list[Problem]]:
    """Check ``spec`` against the task and metric registries and fill in the defaults."""
    problems: list[Problem] = []
    columns: list[Column] = []
    seen: set[str] = set()
    for i, col in enumerate(spec.columns):
        key = f"columns[{i}]"
        if col.task in seen:
            problems.append(Problem(f"{key}.task", f"task {col.task!r} has two columns; keep one"))
            continue
        seen.add(col.task)
        if col.task not in tasks:
            problems.append(_unknown("task", f"{key}.task", col.task, tasks.names()))
            continue
        column = _resolve_column(col, key, spec.split, tasks, metrics, problems)
        if column is not None:
            columns.append(column)

    for i, field in enumerate(spec.rows.key):
        if field not in RECORD_FIELDS and not (field.startswith("config.") and len(field) > 7):
            problems.append(_unknown("row key field", f"rows.key[{i}]", field, list(RECORD_FIELDS),
                                     extra=" (or a config path such as config.model.config)"))

    task_names = [c.task for c in spec.columns]
    if spec.aggregate.tasks is None:
        aggregate_tasks = tuple(c.task for c in spec.columns if c.aggregate)
    else:
        aggregate_tasks = tuple(spec.aggregate.tasks)
        for i, task in enumerate(spec.aggregate.tasks):
            if task not in task_names:
                problems.append(_unknown("aggregate task", f"aggregate.tasks[{i}]", task, task_names,
                                         extra=" (it must be one of the board's columns)"))
    if not aggregate_tasks:
        problems.append(Problem("aggregate.tasks", "no column is part of the aggregate score",
                                fix="set `aggregate: true` on at least one column"))

    if problems:
        return None, problems
    return BoardDefinition(
        name=spec.name or path.stem, title=spec.title or (spec.name or path.stem),
        description=spec.description.strip(), version=spec.version,
        jobs=tuple(spec.jobs) if spec.jobs is not None else None, row_key=tuple(spec.rows.key),
        seed_reduce=spec.seeds.reduce, trial_select=spec.trials.select,
        trial_ignore=tuple(spec.trials.ignore), aggregate_name=spec.aggregate.name,
        aggregate_tasks=aggregate_tasks, columns=tuple(columns),
        reference=str(path.parent / spec.reference) if spec.reference else None,
        curves=spec.curves, source=str(path), digest=digest,
    ), []


def metric_info(name: str, metrics: Registry) -> MetricInfo:
    """Direction and percent scale of registered metric ``name`` (its meta ``best``: 1 or 100)."""
    meta = metrics.get(name).meta
    best = float(meta.get("best", 1.0)) or 1.0
    return MetricInfo(name, bool(meta.get("higher_is_better", True)), 100.0 / abs(best))


def _resolve_column(col: ColumnSpec, key: str, split: str, tasks: Registry, metrics: Registry,
                    problems: list[Problem]) -> Column | None:
    entry = tasks.get(col.task)
    computed = _task_metrics(tasks, col.task)
    registered = entry.meta.get("headline")
    if computed is not None and registered and registered not in computed:
        computed = (registered, *computed)  # a task score such as f1_accuracy (MRPC) is a metric too
    headline = col.headline or registered
    if headline is None:
        problems.append(Problem(f"{key}.headline", f"task {col.task!r} registers no headline metric; "
                                "name one", choices=tuple(computed or ())))
        return None
    explicit = col.metrics is not None
    subs = [m for m in (col.metrics if col.metrics is not None else computed or ()) if m != headline]
    checks = [(f"{key}.headline", headline)] + [
        (f"{key}.metrics[{col.metrics.index(m)}]" if explicit and col.metrics else f"{key}.metrics", m)
        for m in subs
    ]
    before = len(problems)
    for where, name in checks:
        if name not in metrics:
            # suggest what this task computes first: `acc` means accuracy here, not mcc
            choices = list(computed) if computed and did_you_mean(name, list(computed)) else metrics.names()
            problems.append(_unknown("metric", where, name, choices))
        elif computed is not None and name not in computed:
            problems.append(_unknown("metric", where, name, list(computed),
                                     extra=f" (task {col.task!r} does not compute it)"))
    if len(problems) > before:
        return None
    names = [headline, *subs]
    label = col.label or col.task.split("/", 1)[-1]
    infos = [metric_info(n, metrics) for n in names]
    return Column(task=col.task, label=label, split=col.split or split, headline=infos[0],
                  metrics=tuple(infos[1:]), in_aggregate=col.aggregate)


def _task_metrics(tasks: Registry, name: str) -> tuple[str, ...] | None:
    """The metrics task ``name`` computes, or None when its spec cannot say."""
    try:
        spec = tasks.load(name)
    except Exception:  # noqa: BLE001 - a task module that fails to import: skip this one check
        return None
    found = getattr(spec, "metrics", None)
    return tuple(found) if found else None


def _unknown(kind: str, key: str, value: str, choices: Sequence[str], extra: str = "") -> Problem:
    hint = did_you_mean(value, list(choices))
    message = f"unknown {kind} {value!r}{extra}." + (f" Did you mean {hint[0]!r}?" if hint else "")
    return Problem(key, message, fix=f"{key}: {hint[0]}" if hint else None, choices=tuple(choices))


def _schema_problem(error: dict[str, Any]) -> Problem:
    loc = error["loc"]
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    if error["type"] == "extra_forbidden":
        model = _model_at(loc[:-1])
        siblings = list(model.model_fields) if model is not None else []
        hint = did_you_mean(str(loc[-1]), siblings)
        return Problem(key, "unknown key." + (f" Did you mean {hint[0]!r}?" if hint else ""),
                       choices=tuple(siblings))
    if error["type"] == "missing":
        return Problem(key, "required key is missing")
    return Problem(key or "file", f"{error['msg']} (got {error.get('input')!r})")


def _model_at(loc: Sequence[Any]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at ``loc`` (for did-you-mean of its keys)."""
    model: type[BaseModel] = BoardSpec
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        found = None
        for candidate in (ColumnSpec, RowsSpec, SeedsSpec, TrialsSpec, AggregateSpec):
            if candidate is annotation or candidate in getattr(annotation, "__args__", ()):
                found = candidate
        if found is None:
            return None
        model = found
    return model
