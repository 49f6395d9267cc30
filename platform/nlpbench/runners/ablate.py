"""The ablation job: plan a table's runs, run the missing ones, build and write the table.

A unit is one (variant, seed): a pretraining run with the variant's overrides, then one
fine-tuning run of its checkpoint per column task, with the same seed. Units run as trials on
Ray Tune (``nlpbench.tuning.ablation``), or one after another with ``local=True``. Every run is
recorded with ``group=ablation:<table>``; a run already in the store with status ok is reused.

A run's identity: the table (its group), the variant and seed (in the pretraining run name, with
the hash of the composed pretraining config) and for fine-tuning the task and the hash of its
composed config (paths, logging and the checkpoint's absolute location left out).
"""

from __future__ import annotations

import copy
import functools
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpbench.boards.ablation import AblationTable, Observation, build_ablation_table
from nlpbench.boards.ablation_spec import AblationSpec
from nlpbench.errors import ConfigError, Problem

# Config paths that do not change a run's result (or are part of its identity elsewhere).
NOT_DEFINING = ("paths", "records", "logger", "group", "run_name", "trainer.enable_progress_bar",
                "trainer.num_workers", "data.num_proc", "model.checkpoint", "task.data_dir", "resume")


@dataclass(frozen=True)
class FinetunePlan:
    task: str
    overrides: tuple[str, ...]
    identity: str


@dataclass(frozen=True)
class Unit:
    """One variant x seed: its pretraining run and its fine-tuning runs (the missing ones when planned)."""

    variant: str
    seed: int
    run_name: str
    checkpoint: str
    pretrain: tuple[str, ...]
    finetunes: tuple[FinetunePlan, ...]
    pretrain_needed: bool = True

    @property
    def label(self) -> str:
        return f"{self.variant} seed {self.seed}"


@dataclass
class Plan:
    """Every unit of the table with what is already in the store."""

    spec: AblationSpec
    url: str
    root: Path
    units: list[Unit]
    observations: list[Observation]
    reused: int = 0
    todo: list[Unit] = field(default_factory=list)
    selections: dict[str, dict[str, Any]] = field(default_factory=dict)  # tuned rows: what was chosen
    pending: list[str] = field(default_factory=list)  # tuned rows whose candidates are still running

    @property
    def missing_runs(self) -> int:
        return sum(len(u.finetunes) + (1 if u.pretrain_needed else 0) for u in self.todo)


def defining_hash(config: dict[str, Any], seed: int | None = None) -> str:
    """The hash of a composed config without the paths that do not change a run's result."""
    from nlpbench.records import config_hash

    cfg = copy.deepcopy(config)
    for path in NOT_DEFINING:
        node: Any = cfg
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(parts[-1], None)
    if seed is not None:
        cfg["seed"] = seed
    return config_hash(cfg)


def run_name_of(table: str, variant: str, seed: int, pretrain_hash: str) -> str:
    return f"ablation-{table}-{variant}-s{seed}-{pretrain_hash[:8]}"


def finetune_identity(run_name: str, task: str, finetune_hash: str) -> str:
    return f"{run_name}|{task}|{finetune_hash[:16]}"


def record_identity(record: Any) -> str | None:
    """The identity of a stored run of an ablation (None when it is not one)."""
    config = record.config or {}
    if record.job == "pretrain":
        return str(config.get("run_name")) if config.get("run_name") else None
    checkpoint = (config.get("model") or {}).get("checkpoint")
    if not checkpoint or record.task is None:
        return None
    return finetune_identity(Path(str(checkpoint)).parent.name, record.task, defining_hash(config))


def plan(spec: AblationSpec, url: str | None = None) -> Plan:
    """Compose every variant's configs (all problems at once, before any run), then match the
    store's records: what is reused and which units still have runs to do. A tuned row (``tune``)
    first pretrains its candidates on the first ``tune_seeds`` seeds; once they are all in the
    store, the candidate with the lowest mean validation loss becomes the row's setting."""
    extra = [f"records.url={url}"] if url else []
    composed = _compose_variants(spec, extra, url)
    records = _stored(composed.store_url, spec.group)
    losses = {r.config.get("run_name"): r.metric("loss", "validation") for r in reversed(records)
              if r.job == "pretrain" and r.status == "ok"}
    unit = functools.partial(_pretrain_unit, spec, composed, extra)
    chosen, selections, candidates_todo = _choose_tuned(spec, unit, losses)
    units = []
    # seed-major: a table stopped part-way still has every variant of its first seeds (matched pairs)
    for seed in spec.seeds:
        for variant in spec.variants:
            if variant.name in chosen:
                units.append(unit(variant, chosen[variant.name], seed, True))
    result = Plan(spec, composed.store_url, composed.root, units, [], selections=selections,
                  pending=[v.name for v in spec.variants if v.name not in chosen])
    match(result, records)
    result.todo = candidates_todo + result.todo
    return result


@dataclass
class _Composed:
    """Every variant's resolved pretraining (per tuned value) and fine-tuning (per column) configs."""

    pretrain: dict[tuple[str, str | None], dict[str, Any]]
    finetune: dict[tuple[str, str], dict[str, Any]]
    root: Path
    store_url: str


def _compose_variants(spec: AblationSpec, extra: list[str], url: str | None) -> _Composed:
    """Compose each variant's configs; every problem of every variant at once as one ConfigError."""
    from nlpbench.config import compose_config, conf_dir

    problems: list[Problem] = []
    pretrain_cfg: dict[tuple[str, str | None], dict[str, Any]] = {}  # (variant, tuned value)
    finetune_cfg: dict[tuple[str, str], dict[str, Any]] = {}
    root: Path | None = None
    store_url = url
    placeholder = str(conf_dir())  # an existing folder: the checkpoint does not exist yet
    for variant in spec.variants:
        for value in list(variant.tune[1]) if variant.tune else [None]:
            try:
                composed = compose_config("pretrain", [*variant.pretrain, *_tuned(variant, value), *extra,
                                                       "seed=0"])
                pretrain_cfg[(variant.name, value)] = composed.raw
                root = root or Path(composed.typed.paths.root).resolve()
                store_url = store_url or composed.typed.records.url
            except ConfigError as err:
                problems += [_in_variant(p, variant.name, "pretrain") for p in err.problems]
        for column in spec.columns:
            try:
                composed = compose_config("finetune", [*variant.finetune, *extra, f"task={column.task}",
                                                       "model=checkpoint", f"model.checkpoint={placeholder}",
                                                       "seed=0"])
                finetune_cfg[(variant.name, column.task)] = composed.raw
            except ConfigError as err:
                problems += [_in_variant(p, variant.name, f"finetune ({column.task})") for p in err.problems]
    if problems:
        raise ConfigError(_unique(problems), header=f"invalid ablation table {spec.path}")
    assert root is not None and store_url is not None
    return _Composed(pretrain_cfg, finetune_cfg, root, store_url)


def _pretrain_unit(spec: AblationSpec, composed: _Composed, extra: list[str], variant: Any,
                   value: str | None, seed: int, finetunes: bool) -> Unit:
    """One pretraining run of ``variant`` (with tuned ``value``) and, if ``finetunes``, its columns."""
    cfg = composed.pretrain[(variant.name, value)]
    run_name = run_name_of(spec.name, variant.name, seed, defining_hash(cfg, seed))
    checkpoint = str(_output_dir(cfg, composed.root) / "pretrain" / run_name / "checkpoint")
    planned = []
    for column in spec.columns if finetunes else []:
        overrides = (*variant.finetune, *extra, f"task={column.task}", "model=checkpoint",
                     f"model.checkpoint={checkpoint}", f"seed={seed}", f"group={spec.group}")
        identity = finetune_identity(run_name, column.task,
                                     defining_hash(composed.finetune[(variant.name, column.task)], seed))
        planned.append(FinetunePlan(column.task, overrides, identity))
    pretrain = (*variant.pretrain, *_tuned(variant, value), *extra, f"seed={seed}",
                f"group={spec.group}", f"run_name={run_name}")
    tuned = not finetunes and variant.tune is not None
    shown = f"{variant.name} ({variant.tune[0]}={value})" if tuned else variant.name
    return Unit(shown, seed, run_name, checkpoint, pretrain, tuple(planned))


def _choose_tuned(spec: AblationSpec, unit: Any, losses: dict[Any, Any]
                  ) -> tuple[dict[str, str | None], dict[str, dict[str, Any]], list[Unit]]:
    """Each row's setting (tuned rows: the candidate of lowest mean validation loss once all its
    candidate runs are stored), the selections made, and the candidate runs still to do."""
    chosen: dict[str, str | None] = {}
    selections: dict[str, dict[str, Any]] = {}
    candidates_todo: list[Unit] = []
    for variant in spec.variants:
        if variant.tune is None:
            chosen[variant.name] = None
            continue
        tried = {}
        for value in variant.tune[1]:
            units = [unit(variant, value, seed, False) for seed in spec.seeds[:spec.tune_seeds]]
            found = [losses.get(u.run_name) for u in units]
            candidates_todo += [u for u, loss in zip(units, found, strict=True) if loss is None]
            if all(loss is not None for loss in found):
                tried[value] = sum(float(x) for x in found if x is not None) / len(found)
        if len(tried) == len(variant.tune[1]):
            best = min(tried, key=lambda v: tried[v])
            chosen[variant.name] = best
            selections[variant.name] = {"key": variant.tune[0], "value": best, "by": "validation loss",
                                        "seeds": list(spec.seeds[:spec.tune_seeds]), "candidates": tried}
    return chosen, selections, candidates_todo


def _tuned(variant: Any, value: str | None) -> list[str]:
    return [] if value is None or variant.tune is None else [f"{variant.tune[0]}={value}"]


def _output_dir(raw: dict[str, Any], root: Path) -> Path:
    """Where the pretraining runner will write (it resolves output_dir the same way)."""
    return Path(str(raw["paths"]["output_dir"])).resolve()


def _in_variant(problem: Problem, variant: str, where: str) -> Problem:
    return Problem(f"variant {variant} {where}: {problem.key}", problem.message, fix=problem.fix,
                   choices=problem.choices)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.key, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _stored(url: str, group: str) -> list[Any]:
    from sqlalchemy.engine import make_url

    from nlpbench.records import open_store

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and not Path(parsed.database).exists():
        return []
    return open_store(url).query(group=group)


def match(result: Plan, records: list[Any]) -> None:
    """Fill ``observations`` (ok and failed fine-tuning runs of the plan) and ``todo`` (units with
    runs still to do: only the fine-tuning runs without an ok record, and the pretraining run only
    when one of those needs a checkpoint that no ok record left on disk). Records newest first."""
    spec = result.spec
    ok: dict[str, Any] = {}
    failed: dict[str, Any] = {}
    for record in records:  # newest first: keep the newest ok run of each identity
        identity = record_identity(record)
        if identity is None:
            continue
        if record.status == "ok":
            ok.setdefault(identity, record)
        elif record.status == "failed":
            failed.setdefault(identity, record)
    metric = {c.task: c.metric for c in spec.columns}
    observations, todo, reused = [], [], 0
    for unit in result.units:
        missing = []
        for ft in unit.finetunes:
            record = ok.get(ft.identity)
            if record is not None:
                reused += 1
                observations.append(Observation(unit.variant, unit.seed, ft.task,
                                                _value(record, metric[ft.task]), "ok", record.id))
                continue
            if ft.identity in failed:
                observations.append(Observation(unit.variant, unit.seed, ft.task, None, "failed",
                                                failed[ft.identity].id))
            missing.append(ft)
        if missing:
            have = unit.run_name in ok and Path(unit.checkpoint, "config.json").is_file()
            todo.append(Unit(unit.variant, unit.seed, unit.run_name, unit.checkpoint, unit.pretrain,
                             tuple(missing), pretrain_needed=not have))
    result.observations, result.todo, result.reused = observations, todo, reused


def _value(record: Any, metric: str) -> float | None:
    value = record.metric(metric, "dev")
    if value is None and record.headline_metric == metric:
        value = record.headline_value
    return value


# -- running ------------------------------------------------------------------------------------


def run_unit(unit: Unit, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Run one unit: pretrain (unless its checkpoint is reused), then fine-tune each missing task.
    A fine-tuning failure is recorded and the next task still runs; a pretraining failure ends
    the unit. Returns {task: headline value or the error}. The Ray trial and ``--local`` call it."""
    from nlpbench.config import compose_config
    from nlpbench.runners.finetune import finetune
    from nlpbench.runners.pretrain import pretrain

    out: dict[str, Any] = {}
    if unit.pretrain_needed or not Path(unit.checkpoint, "config.json").is_file():
        t0 = time.perf_counter()
        record = pretrain(compose_config("pretrain", list(unit.pretrain)))
        loss = record.metric("loss", "validation")
        say(f"  {unit.label}: pretrained in {time.perf_counter() - t0:.0f}s (validation loss {loss:.3f})")
    for ft in unit.finetunes:
        t0 = time.perf_counter()
        try:
            record = finetune(compose_config("finetune", list(ft.overrides)))
        except Exception as err:  # noqa: BLE001 - recorded as failed by the runner; go on
            out[ft.task] = f"{type(err).__name__}: {err}"
            say(f"  {unit.label}: {ft.task} failed: {out[ft.task]}")
            continue
        out[ft.task] = record.headline_value
        say(f"  {unit.label}: {ft.task} {record.headline_metric}={record.headline_value:.4f} "
            f"in {time.perf_counter() - t0:.0f}s")
    return out


def warm_data(result: Plan, say: Callable[[str], None] = print) -> None:
    """Build the shared data (corpus, tokenizer, pretraining examples, task stand-ins) once, before
    trials start, so that concurrent trials only read it."""
    from nlpbench.catalog import TASKS
    from nlpbench.config import compose_config
    from nlpbench.runners.pretrain import load_objective, prepare_data
    from nlpbench.tasks.sources import prepare_task

    t0 = time.perf_counter()
    for unit in result.todo:
        if unit.pretrain_needed:
            cfg = compose_config("pretrain", list(unit.pretrain)).typed
            if cfg.model.checkpoint is None:
                prepare_data(cfg, cfg.data.format or load_objective(cfg).data_format)
    tasks: dict[str, tuple[str, ...]] = {}
    for unit in result.todo:
        for ft in unit.finetunes:
            tasks.setdefault(ft.task, tuple(o for o in ft.overrides
                                                if not o.startswith(("model.checkpoint=", "model="))))
    for task, overrides in tasks.items():
        cfg = compose_config("finetune", [*overrides, "model=bert_tiny"]).typed
        prepare_task(cfg.task, TASKS.load(task))
    say(f"data ready in {time.perf_counter() - t0:.0f}s")


def run_plan(result: Plan, local: bool = False, say: Callable[[str], None] = print) -> list[str]:
    """Run the plan's missing units (Ray Tune trials, or sequentially with ``local``); return the
    errors of units that failed (their runs are recorded as failed)."""
    errors: list[str] = []
    if not result.todo:
        return errors
    warm_data(result, say)
    if local:
        for i, unit in enumerate(result.todo, 1):
            say(f"[{i}/{len(result.todo)}] {unit.label}")
            try:
                run_unit(unit, say)
            except Exception as err:  # noqa: BLE001
                errors.append(f"{unit.label}: {type(err).__name__}: {err}")
                say(f"  {unit.label} failed: {type(err).__name__}: {err}")
        return errors
    from nlpbench.tuning.ablation import run_units

    return run_units(result.todo, result.spec, result.root, say)


def build(result: Plan) -> AblationTable:
    spec = result.spec
    return build_ablation_table(
        result.observations, name=spec.name, title=spec.title,
        variants=[(v.name, _label(v, result.selections.get(v.name))) for v in spec.variants],
        baseline=spec.baseline,
        columns=[(c.task, c.label) for c in spec.columns], seeds=spec.seeds, reduce=spec.reduce,
        test=spec.test, metric={c.task: c.metric for c in spec.columns}, scale=spec.scale,
        resamples=spec.resamples, notes=[_note(name, chosen) for name, chosen in result.selections.items()],
    )


def _note(name: str, chosen: dict[str, Any]) -> str:
    tried = ", ".join(f"{v}: {loss:.4f}" for v, loss in chosen["candidates"].items())
    seeds = ", ".join(map(str, chosen["seeds"]))
    return (f"row `{name}`: {chosen['key']}={chosen['value']} chosen by the lowest pretraining "
            f"validation loss (mean over seeds {seeds}) among {tried}")


def _label(variant: Any, selection: dict[str, Any] | None) -> str:
    if selection is None:
        return str(variant.label) + (" (tuning)" if variant.tune else "")
    return f"{variant.label}, {selection['key'].split('.')[-1]}={selection['value']} (tuned)"


def write_outputs(table: AblationTable, spec: AblationSpec, out_dir: Path) -> dict[str, Path]:
    """table.md, table.csv, table.json and table.png, written together (temp folder, then rename)."""
    from nlpbench.boards.ablation_render import to_csv, to_json, to_markdown, to_png
    from nlpbench.fsio import atomic_dir

    files = {"table.md": to_markdown(table, spec.reference, spec.description).encode(),
             "table.csv": to_csv(table).encode(), "table.json": to_json(table, spec.reference).encode(),
             "table.png": to_png(table)}
    with atomic_dir(out_dir) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
    return {name: out_dir / name for name in files}


def ablate(spec: AblationSpec, *, url: str | None = None, out_dir: Path | None = None, dry_run: bool = False,
           local: bool = False, say: Callable[[str], None] = print) -> tuple[Plan, AblationTable | None]:
    """The job: plan, run what is missing, rebuild the table from the store and write it."""
    result = plan(spec, url)
    total = len(spec.variants) * len(spec.seeds) * len(spec.columns)
    say(f"ablation {spec.name} ({spec.title}), scale {spec.scale}: {len(spec.variants)} variants x "
        f"{len(spec.seeds)} seeds x {len(spec.columns)} tasks = {total} fine-tuning runs; "
        f"{result.reused} in the store, {len(result.todo)} unit(s) with runs to do"
        + (f"; rows still tuning: {', '.join(result.pending)}" if result.pending else ""))
    if dry_run:
        return result, None
    for _phase in range(3):  # tuned rows: candidates first, then the chosen setting's units
        if not result.todo:
            break
        started = time.perf_counter()
        errors = run_plan(result, local, say)
        say(f"ran {len(result.todo)} unit(s) in {time.perf_counter() - started:.0f}s"
            + (f"; {len(errors)} failed" if errors else ""))
        for err in errors:
            say(f"  failed: {err}")
        tuning = result.pending
        result = plan(spec, url)
        if result.pending == tuning:  # no tuned row was unlocked: nothing new to run (a failed run
            break                     # is retried by the next `nlpbench ablate`, not in a loop)
    for name, chosen in result.selections.items():
        shown = ", ".join(f"{v}: {loss:.4f}" for v, loss in chosen["candidates"].items())
        say(f"row {name}: {chosen['key']}={chosen['value']} by validation loss on seeds {chosen['seeds']} "
            f"({shown})")
    table = build(result)
    target = out_dir or spec.path.parent / spec.name
    if spec.scale != "tiny" and out_dir is None:
        target = spec.path.parent / f"{spec.name}-{spec.scale}"
    write_outputs(table, spec, target)
    return result, table


def describe_missing(result: Plan) -> list[str]:
    """One line per run still to do (the dry run's listing), with the command that runs it alone."""
    lines = []
    for unit in result.todo:
        if unit.pretrain_needed:
            lines.append(f"{unit.label}: pretrain   " + shlex.join(["nlpbench", "pretrain", *unit.pretrain]))
        for ft in unit.finetunes:
            lines.append(f"{unit.label}: {ft.task}   " + shlex.join(["nlpbench", "finetune", *ft.overrides]))
    return lines
