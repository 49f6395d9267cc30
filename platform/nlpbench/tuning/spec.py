"""Load conf/sweep/<name>.yaml with CLI overrides and validate all of it before any trial starts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, Problem
from nlpbench.registry import did_you_mean
from nlpbench.tuning.space import DISCRETE, Dimension, dimension_problems, format_value

DEV_LOSS = "dev_loss"  # the dev loss each trial reports beside its metrics (what ASHA may compare)
VALIDATION = "validation"  # pretraining trials report validation_loss, validation_<objective metric>
PRETRAIN_METRICS = (f"{VALIDATION}_loss", f"{VALIDATION}_perplexity")  # + the objective's (mlm_accuracy)

JOBS = ("finetune", "pretrain")  # what one trial runs: the runner of that name
SCHEDULERS = ("fifo", "asha", "pbt")
SEARCHES = ("random", "grid", "optuna")
_EXECUTION_ONLY = {"ray", "resources", "max_concurrent", "max_failures", "resume"}  # do not change results


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: its config, parsed space, trial base overrides, id and where it lives."""

    config: Any  # SweepConfig
    dims: tuple[Dimension, ...]
    base: tuple[str, ...]
    sweep_id: str
    metric: str
    sweep_dir: Path
    root: Path
    conf: Path
    max_epochs: int
    records_url: str = ""  # the results store every trial writes to
    cli_overrides: tuple[str, ...] = field(default_factory=tuple)
    max_reports: int = 0  # pretraining: the periodic validations (Tune reports) of a whole trial


def record_metric(job: str, name: str) -> tuple[str, str]:
    """(record metric name, split) of a metric as a trial reports it to Tune: fine-tuning reports its
    dev metrics by name, pretraining its validation metrics as ``validation_<name>``."""
    if job == "pretrain":
        return name.removeprefix(f"{VALIDATION}_"), VALIDATION
    return name, "dev"


def reported_metrics(job: str, record: Any) -> dict[str, float]:
    """A record's evaluation metrics named as its trial reports them to Tune (see record_metric)."""
    split = VALIDATION if job == "pretrain" else "dev"
    prefix = f"{VALIDATION}_" if job == "pretrain" else ""
    return {f"{prefix}{m.name}": m.value for m in record.metrics if m.split == split}


def lower_is_better(metric: str | None) -> bool:
    """Losses and perplexities are minimised."""
    return metric is not None and metric.endswith(("loss", "perplexity"))


def split_overrides(overrides: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(sweep name, ``sweep.*`` overrides without the prefix, the rest = base overrides of the trials)."""
    name, own, base = None, [], []
    for line in overrides:
        if line.startswith("sweep="):
            name = line.split("=", 1)[1]
        elif line.startswith("sweep."):
            own.append(line[len("sweep."):])
        else:
            base.append(line)
    return name, own, base


def load_sweep(overrides: list[str]) -> SweepSpec:
    """Compose and validate a sweep from ``sweep=<name> [sweep.<key>=<value>] [trial overrides]`` (the
    trials' job is ``finetune`` or ``pretrain``); raise one ConfigError listing every problem.

    Trial overrides in Hydra's sweep grammar (``model=a,b``, ``optim.lr=tag(log,interval(1e-5,1e-3))``)
    join the space; with them, ``sweep=<name>`` may be left out (conf/sweep/cli.yaml's defaults)."""
    from nlpbench.config.compose import conf_dir, group_options
    from nlpbench.tuning.grammar import CLI_SWEEP, split_sweep_values

    name, own, cli_base = split_overrides(overrides)
    cli_base, cli_space, problems = split_sweep_values(cli_base)
    if name is None and cli_space:
        name = CLI_SWEEP  # `nlpbench sweep model=a,b ...`: the whole sweep is on the command line
    options = group_options("sweep")
    if name is None or name not in options:
        hint = did_you_mean(name or "", options)
        message = "missing sweep=<name>" if name is None else f"unknown sweep {name!r}." + (
            f" Did you mean {hint[0]!r}?" if hint else "")
        fix = f"sweep={hint[0] if hint else (options[0] if options else '<name>')}"
        raise ConfigError([Problem("sweep", message, choices=tuple(options), fix=fix)])
    path = conf_dir() / "sweep" / f"{name}.yaml"
    raw = _read_yaml(path, problems)
    if cli_space:
        raw["space"] = {**(raw.get("space") or {}), **cli_space}
    for line in own:
        _apply(raw, line, problems)
    raw.setdefault("name", name)
    if "mode" not in raw:  # a pretraining sweep minimises its loss or perplexity unless told otherwise
        metric = raw.get("metric") or (PRETRAIN_METRICS[0] if raw.get("job") == "pretrain" else None)
        raw["mode"] = "min" if lower_is_better(metric) else "max"
    typed = _typed(raw, problems)
    if typed is None:
        raise ConfigError(problems, header=f"invalid sweep {path}")
    dims = _dimensions(typed, problems)
    base = [*typed.base, *cli_base]
    base_cfg, metric = _check_trials(typed, dims, base, problems) if typed.job in JOBS else (None, "")
    if problems or base_cfg is None:
        raise ConfigError(problems, header=f"invalid sweep {path}")
    sweep_id = _sweep_id(typed, base)
    trainer = base_cfg.trainer
    every = getattr(trainer, "val_every_n_steps", None) or 0
    return SweepSpec(
        config=typed, dims=tuple(dims), base=tuple(base), sweep_id=sweep_id, metric=metric,
        sweep_dir=Path(base_cfg.paths.output_dir).resolve() / "sweeps" / sweep_id,
        root=Path(base_cfg.paths.root).resolve(), conf=conf_dir().resolve(),
        max_epochs=trainer.max_epochs, records_url=base_cfg.records.url,
        cli_overrides=tuple(overrides),
        # a point every `every` steps and one where training ends
        max_reports=-(-trainer.max_steps // every) if typed.job == "pretrain" and every and
        trainer.max_steps > 0 else 0,
    )


def _read_yaml(path: Path, problems: list[Problem]) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        problems.append(Problem(str(path), f"not valid YAML: {err}"))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(str(path), f"expected a mapping, got {type(data).__name__}"))
        return {}
    return data


def _apply(raw: dict[str, Any], line: str, problems: list[Problem]) -> None:
    """Set ``key=value`` (value parsed as YAML); ``space.<override path>`` keeps the dotted path whole."""
    import yaml

    key, sep, text = line.partition("=")
    if not sep or not key:
        problems.append(Problem(f"sweep.{line}", "cannot parse override", fix="sweep.<key>=<value>"))
        return
    try:
        value = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        value = text
    parts = ["space", key[len("space."):]] if key.startswith("space.") else key.split(".")
    node = raw
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def _typed(raw: dict[str, Any], problems: list[Problem]) -> Any:
    from nlpbench.config.schema import SweepConfig
    from nlpbench.config.validate import pydantic_problems

    typed, found = pydantic_problems(SweepConfig, raw)
    for p in found:
        fix = p.fix.replace(p.key, f"sweep.{p.key}", 1) if p.fix else None
        problems.append(Problem(f"sweep.{p.key}", p.message, fix=fix, choices=p.choices))
    return typed


def _dimensions(cfg: Any, problems: list[Problem]) -> list[Dimension]:
    for key, choices in (("job", JOBS), ("scheduler", SCHEDULERS), ("search", SEARCHES)):
        value = getattr(cfg, key)
        if value not in choices:
            hint = did_you_mean(value, choices)
            problems.append(Problem(f"sweep.{key}", f"unknown {key} {value!r}." + (
                f" Did you mean {hint[0]!r}?" if hint else ""), choices=choices,
                fix=f"sweep.{key}={hint[0] if hint else choices[0]}"))
    if cfg.scheduler == "pbt" and cfg.search == "optuna":
        problems.append(Problem("sweep.search", "pbt explores by itself: it runs with random or grid "
                                "starting points, not an optuna search", fix="sweep.search=random"))
    if not cfg.space:
        problems.append(Problem("sweep.space", "the search space is empty",
                                fix="space: {optim.lr: {loguniform: [1.0e-5, 1.0e-3]}}"))
    dims: list[Dimension] = []
    for key, entry in cfg.space.items():
        dim, found = dimension_problems(key, entry)
        problems += found
        if dim is not None:
            dims.append(dim)
    if cfg.search == "grid":
        for d in dims:
            if d.kind not in DISCRETE:
                problems.append(Problem(f"space.{d.key}", f"search=grid needs choice or grid values, "
                                        f"got {d.kind}", fix="sweep.search=random"))
    if cfg.search == "optuna":
        for d in dims:
            if d.kind == "grid":
                problems.append(Problem(f"space.{d.key}", "optuna cannot search a grid",
                                        fix=f"{d.key}: {{choice: {list(d.params)}}}"))
    return dims


def _check_trials(cfg: Any, dims: list[Dimension], base: list[str],
                  problems: list[Problem]) -> tuple[Any, str]:
    """Compose the base config of the sweep's job, then every space key with each sample value (an
    unknown key or option fails to compose); check that every trial produces the metric."""
    from nlpbench.config import compose_config

    # the first value of every dimension completes the base (a space may set a required key)
    firsts = {d.key: f"{d.key}={format_value(d.samples()[0])}" for d in dims}
    seed = f"seed={cfg.seeds[0]}"
    try:
        base_cfg = compose_config(cfg.job, [*base, *firsts.values(), seed]).typed
    except ConfigError as completed:
        firsts = {}  # a bad space value: check each dimension on the bare base instead
        try:
            base_cfg = compose_config(cfg.job, [*base, seed]).typed
        except ConfigError:
            problems += completed.problems
            return None, ""
    trials = [base_cfg]
    for d in dims:
        others = [line for key, line in firsts.items() if key != d.key]
        for value in d.samples():
            line = f"{d.key}={format_value(value)}"
            try:
                trials.append(compose_config(cfg.job, [*base, *others, line]).typed)
            except ConfigError as err:
                problems += [Problem(f"space.{d.key}", f"{line}: {p.key}: {p.message}", fix=p.fix,
                                     choices=p.choices) for p in err.problems]
                break
    check = _check_pretrain_metrics if cfg.job == "pretrain" else _check_task_metrics
    return base_cfg, check(cfg, trials, problems)


def _check_task_metrics(cfg: Any, trials: list[Any], problems: list[Problem]) -> str:
    """Fine-tuning: every trial's task produces the sweep's metric (null: the first task's headline)."""
    metric = cfg.metric or _headline(trials[0].task.name)
    checked: list[tuple[str, str, list[str]]] = [("sweep.metric", metric, [])]
    if cfg.asha.metric is not None:
        checked.append(("sweep.asha.metric", cfg.asha.metric, [DEV_LOSS]))
    for task in sorted({t.task.name for t in trials}):
        for key, name, extra in checked:
            produced = [*_produced(task), *extra]
            if name not in produced:
                hint = did_you_mean(name, produced)
                problems.append(Problem(key, f"task {task!r} does not produce {name!r}." + (
                    f" Did you mean {hint[0]!r}?" if hint else ""), choices=tuple(produced),
                    fix=f"{key}={hint[0] if hint else produced[0]}"))
    return metric


def _check_pretrain_metrics(cfg: Any, trials: list[Any], problems: list[Problem]) -> str:
    """Pretraining: the metric is one a trial reports after each periodic validation (null:
    validation_loss), a loss is minimised, and every trial validates periodically."""
    metric = cfg.metric or PRETRAIN_METRICS[0]
    for key, name in (("sweep.metric", metric), ("sweep.asha.metric", cfg.asha.metric)):
        if name is None or name in PRETRAIN_METRICS:
            continue
        suffix = name.removeprefix(f"{VALIDATION}_")
        if suffix == name:  # not a validation metric at all
            hint = did_you_mean(name, PRETRAIN_METRICS)
        else:  # an objective's metric (validation_mlm_accuracy), unless a near miss of loss or perplexity
            own = [n.removeprefix(f"{VALIDATION}_") for n in PRETRAIN_METRICS]
            hint = [f"{VALIDATION}_{n}" for n in difflib.get_close_matches(suffix, own, n=1, cutoff=0.8)]
            if not hint:
                continue
        problems.append(Problem(key, f"pretraining trials report {', '.join(PRETRAIN_METRICS)} and "
                                f"{VALIDATION}_<objective metric> (e.g. {VALIDATION}_mlm_accuracy), "
                                f"not {name!r}." + (f" Did you mean {hint[0]!r}?" if hint else ""),
                                choices=PRETRAIN_METRICS, fix=f"{key}={(hint or PRETRAIN_METRICS)[0]}"))
    if lower_is_better(metric) and cfg.mode == "max":
        problems.append(Problem("sweep.mode", f"{metric} is better when lower", fix="sweep.mode=min",
                                choices=("min", "max")))
    if any(not t.trainer.val_every_n_steps for t in trials):
        problems.append(Problem("trainer.val_every_n_steps", "a pretraining trial reports to Tune after each "
                                "periodic validation; without them the scheduler has nothing to compare",
                                fix="trainer.val_every_n_steps=100"))
    return metric


def _headline(task: str) -> str:
    from nlpbench.catalog import TASKS

    return str(TASKS.load(task).headline)


def _produced(task: str) -> list[str]:
    from nlpbench.catalog import TASKS

    spec = TASKS.load(task)
    return list(dict.fromkeys((*spec.metrics, spec.headline)))


def _sweep_id(cfg: Any, base: list[str]) -> str:
    """``<name>-<hash>``: the same sweep definition and base overrides always get the same id."""
    from nlpbench.records import config_hash

    defining = cfg.model_dump(exclude=_EXECUTION_ONLY)
    defining["base"] = list(base)
    return f"{cfg.name}-{config_hash(defining)[:8]}"
