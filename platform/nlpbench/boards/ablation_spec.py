"""Ablation-table definitions (leaderboards/ablations/<table>.yaml): the schema and its validation.

A definition names its variants (each a set of pretraining and fine-tuning overrides, one of them
the baseline), the shared pretraining and fine-tuning budget, the columns (registered tasks and
the metric each shows), the seeds, the reduction (median or mean) and the paired test, named
scales (``tiny`` by default, ``paper`` for the paper's size and budget) and the published
numbers to show apart. Every problem in a file is reported at once, each naming the file and key.
Composing the configs themselves (Hydra) happens in ``nlpbench.runners.ablate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nlpbench.errors import ConfigError, Problem
from nlpbench.registry import Registry, did_you_mean

DEFAULT_SCALE = "tiny"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Overrides(_Strict):
    pretrain: list[str] = Field(default_factory=list)
    finetune: list[str] = Field(default_factory=list)
    tune: dict[str, list[float | int | str]] | None = None  # a scale may replace a row's candidates


class VariantSpec(Overrides):
    """One row: a named set of overrides on top of the shared budget. ``tune`` (one pretraining
    override path -> candidate values) picks the row's value by validation loss before fine-tuning."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.+-]+$")
    label: str | None = None


class ColumnSpec(_Strict):
    task: str
    label: str | None = None
    metric: str | None = None  # default: the task's headline


class ScaleSpec(Overrides):
    """A named scale: overrides added to every run, and per-variant ones (e.g. E at base size)."""

    description: str = ""
    variants: dict[str, Overrides] = Field(default_factory=dict)


class ReferenceRowSpec(_Strict):
    label: str
    values: dict[str, float | str | None] = Field(default_factory=dict)


class ReferenceBlockSpec(_Strict):
    """The paper's published numbers, in the paper's own columns (shown apart, never as our rows)."""

    source: str
    note: str = ""
    row_header: str = "row"
    columns: list[str] = Field(min_length=1)
    rows: list[ReferenceRowSpec] = Field(min_length=1)


class ExecutionSpec(_Strict):
    """How the trials run (does not change results): concurrent trials and resources per trial."""

    max_concurrent: int = Field(default=2, ge=1)
    cpus: float = Field(default=1.0, gt=0)
    gpus: float = Field(default=0.0, ge=0)
    num_cpus: int | None = Field(default=None, ge=1)  # local Ray's CPUs (None: Ray decides)
    address: str | None = None  # an existing Ray cluster


class AblationFile(_Strict):
    name: str | None = None
    title: str
    description: str = ""
    baseline: str | None = None
    pretrain: list[str] = Field(default_factory=list)
    finetune: list[str] = Field(default_factory=list)
    variants: list[VariantSpec] = Field(min_length=2)
    columns: list[ColumnSpec] = Field(min_length=1)
    seeds: int | list[int] = 5
    reduce: Literal["median", "mean"] = "median"
    test: Literal["sign_flip", "bootstrap"] = "sign_flip"
    resamples: int = Field(default=10_000, ge=100)
    tune_seeds: int = Field(default=1, ge=1)  # a tuned row's candidates are pretrained on these first seeds
    scales: dict[str, ScaleSpec] = Field(default_factory=dict)
    reference: ReferenceBlockSpec | None = None
    execution: ExecutionSpec = ExecutionSpec()


@dataclass(frozen=True)
class Variant:
    """A resolved row: its overrides with the chosen scale's applied."""

    name: str
    label: str
    pretrain: tuple[str, ...]
    finetune: tuple[str, ...]
    tune: tuple[str, tuple[str, ...]] | None = None  # (pretraining override path, candidate values)


@dataclass(frozen=True)
class Column:
    task: str
    label: str
    metric: str


@dataclass(frozen=True)
class AblationSpec:
    """A validated ablation definition at one scale, ready to plan."""

    name: str
    title: str
    description: str
    path: Path
    baseline: str
    variants: tuple[Variant, ...]
    columns: tuple[Column, ...]
    seeds: tuple[int, ...]
    reduce: str
    test: str
    resamples: int
    scale: str
    reference: dict[str, Any] | None
    execution: ExecutionSpec
    tune_seeds: int = 1

    @property
    def group(self) -> str:
        """The records' group: every run of this table, whatever its scale, carries it."""
        return f"ablation:{self.name}"


def ablations_dir() -> Path:
    from nlpbench.boards.definition import leaderboards_dir

    return leaderboards_dir() / "ablations"


def available_tables() -> list[str]:
    folder = ablations_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def ablation_path(name: str) -> Path:
    """``name`` as a path to a YAML file, or a table in leaderboards/ablations/ (did-you-mean)."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") and as_path.is_file():
        return as_path
    path = ablations_dir() / f"{name}.yaml"
    if path.is_file():
        return path
    tables = available_tables()
    hint = did_you_mean(name, tables)
    raise ConfigError([Problem("table", f"unknown ablation table {name!r}." + (
        f" Did you mean {hint[0]!r}?" if hint else ""), choices=tuple(tables),
        fix=f"nlpbench ablate {hint[0] if hint else (tables[0] if tables else '<table>')}")])


def load_ablation(name: str, scale: str | None = None, seeds: int | None = None,
                  tasks: Registry | None = None) -> AblationSpec:
    """Read and check an ablation definition; raise one ConfigError naming the file and every key."""
    path = ablation_path(name)
    header = f"invalid ablation table {path}"
    spec, problems = _parse_file(path, header)
    names = [v.name for v in spec.variants]
    problems += _variant_problems(spec, names, path)
    table = spec.name or path.stem
    seed_list = _seeds(spec.seeds, seeds, problems)
    columns = _columns(spec.columns, tasks, problems)
    chosen = scale or DEFAULT_SCALE
    problems += _scale_problems(spec, chosen, names, table)
    if problems:
        raise ConfigError(problems, header)
    block = spec.scales.get(chosen, ScaleSpec())
    return AblationSpec(
        name=table, title=spec.title, description=(block.description or spec.description).strip()
        if chosen != DEFAULT_SCALE else spec.description.strip(),
        path=path, baseline=str(spec.baseline), variants=_resolve_variants(spec, block),
        columns=tuple(columns), seeds=tuple(seed_list), reduce=spec.reduce, test=spec.test,
        resamples=spec.resamples, scale=chosen,
        reference=spec.reference.model_dump() if spec.reference is not None else None,
        execution=spec.execution, tune_seeds=min(spec.tune_seeds, len(seed_list)),
    )


def _parse_file(path: Path, header: str) -> tuple[AblationFile, list[Problem]]:
    """The file validated against the schema, and the missing-baseline problem (raised with the
    schema's problems, which stop the reading)."""
    from nlpbench.boards.reference import read_yaml

    data = read_yaml(path, header)
    if not isinstance(data, dict):
        raise ConfigError([Problem("file", f"expected a mapping, got {type(data).__name__}")], header)
    problems: list[Problem] = []
    if "baseline" not in data or data.get("baseline") in (None, ""):
        given = [str(v["name"]) for v in data.get("variants") or [] if isinstance(v, dict) and v.get("name")]
        problems.append(Problem("baseline", "no baseline: name the variant the others are compared with",
                                choices=tuple(given),
                                fix=f"baseline: {given[0] if given else '<variant name>'}"))
    try:
        return AblationFile.model_validate(data), problems
    except ValidationError as err:
        problems += [Problem(_loc(e["loc"]) or "file", f"{e['msg']} (got {e.get('input')!r})")
                     for e in err.errors()]
        raise ConfigError(problems, header) from err


def _variant_problems(spec: AblationFile, names: list[str], path: Path) -> list[Problem]:
    """Duplicate variant names, a baseline that is no variant, a name unlike the file's, bad tunes."""
    problems = []
    for i, variant in enumerate(names):
        if variant in names[:i]:
            problems.append(Problem(f"variants[{i}].name", f"duplicate variant name {variant!r} "
                                    f"(first used by variants[{names.index(variant)}])",
                                    fix=f"name: {variant}_2"))
    if spec.baseline is not None and spec.baseline not in names:
        hint = did_you_mean(spec.baseline, names)
        problems.append(Problem("baseline", f"baseline {spec.baseline!r} is not a variant." + (
            f" Did you mean {hint[0]!r}?" if hint else ""), choices=tuple(names),
            fix=f"baseline: {hint[0] if hint else names[0]}"))
    if spec.name is not None and spec.name != path.stem:
        problems.append(Problem("name", f"{spec.name!r} differs from the file name {path.stem!r}",
                                fix=f"name: {path.stem}"))
    tunes = [(f"variants[{i}].tune", v.tune) for i, v in enumerate(spec.variants)]
    tunes += [(f"scales.{k}.variants.{n}.tune", o.tune) for k, b in spec.scales.items()
              for n, o in b.variants.items()]
    for key, tune in tunes:
        if tune is not None and (len(tune) != 1 or any(not values for values in tune.values())):
            problems.append(Problem(key, f"expected one override path with at least one candidate value, "
                                    f"got {tune}", fix="tune: {optim.lr: [5.0e-4, 1.0e-3]}"))
    return problems


def _scale_problems(spec: AblationFile, chosen: str, names: list[str], table: str) -> list[Problem]:
    """The asked-for scale exists, and every scale's variant overrides name a variant."""
    problems = []
    if chosen != DEFAULT_SCALE and chosen not in spec.scales:
        hint = did_you_mean(chosen, list(spec.scales))
        problems.append(Problem("--scale", f"table {table!r} has no scale {chosen!r}." + (
            f" Did you mean {hint[0]!r}?" if hint else ""), choices=(DEFAULT_SCALE, *spec.scales),
            fix=f"--scale {hint[0] if hint else DEFAULT_SCALE}"))
    for key, block in spec.scales.items():
        for variant in block.variants:
            if variant not in names:
                hint = did_you_mean(variant, names)
                problems.append(Problem(f"scales.{key}.variants.{variant}", "not a variant." + (
                    f" Did you mean {hint[0]!r}?" if hint else ""), choices=tuple(names)))
    return problems


def _resolve_variants(spec: AblationFile, block: ScaleSpec) -> tuple[Variant, ...]:
    """Each variant's overrides: the table's, the scale's, its own, then the scale's for it."""
    variants = []
    for v in spec.variants:
        extra = block.variants.get(v.name, Overrides())
        candidates = extra.tune if extra.tune is not None else v.tune
        resolved = next(((k, tuple(_format(x) for x in vals)) for k, vals in (candidates or {}).items()),
                        None)
        variants.append(Variant(
            name=v.name, label=v.label or v.name,
            pretrain=(*spec.pretrain, *block.pretrain, *v.pretrain, *extra.pretrain),
            finetune=(*spec.finetune, *block.finetune, *v.finetune, *extra.finetune), tune=resolved,
        ))
    return tuple(variants)


def _format(value: float | int | str) -> str:
    """A value as a Hydra override writes it (floats in full precision)."""
    return repr(value) if isinstance(value, float) else str(value)


def _seeds(given: int | list[int], override: int | None, problems: list[Problem]) -> list[int]:
    if override is not None:
        if override < 1:
            problems.append(Problem("--seeds", f"expected at least 1 seed, got {override}", fix="--seeds 5"))
            return []
        return list(range(override))
    if isinstance(given, int):
        if given < 1:
            problems.append(Problem("seeds", f"expected at least 1 seed, got {given}", fix="seeds: 5"))
            return []
        return list(range(given))
    if not given:
        problems.append(Problem("seeds", "the seed list is empty", fix="seeds: 5"))
    if len(set(given)) != len(given):
        problems.append(Problem("seeds", f"repeated seeds in {given}", fix=f"seeds: {sorted(set(given))}"))
    return list(given)


def _columns(columns: list[ColumnSpec], tasks: Registry | None, problems: list[Problem]) -> list[Column]:
    if tasks is None:
        from nlpbench.catalog import TASKS

        tasks = TASKS
    out = []
    seen: list[str] = []
    for i, col in enumerate(columns):
        key = f"columns[{i}]"
        if col.task in seen:
            problems.append(Problem(f"{key}.task", f"task {col.task!r} is already a column"))
            continue
        seen.append(col.task)
        if col.task not in tasks:
            hint = did_you_mean(col.task, tasks.names())
            problems.append(Problem(f"{key}.task", f"unknown task {col.task!r}." + (
                f" Did you mean {hint[0]!r}?" if hint else ""), choices=tuple(tasks.names()),
                fix=f"task: {hint[0]}" if hint else None))
            continue
        task = tasks.load(col.task)
        produced = list(dict.fromkeys((*task.metrics, task.headline)))
        metric = col.metric or str(task.headline)
        if metric not in produced:
            hint = did_you_mean(metric, produced)
            problems.append(Problem(f"{key}.metric", f"task {col.task!r} does not produce {metric!r}." + (
                f" Did you mean {hint[0]!r}?" if hint else ""), choices=tuple(produced),
                fix=f"metric: {hint[0] if hint else produced[0]}"))
            continue
        out.append(Column(col.task, col.label or col.task, metric))
    return out


def _loc(loc: tuple[Any, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key
