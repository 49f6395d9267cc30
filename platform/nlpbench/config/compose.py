"""Compose a job's config from conf/ with Hydra's compose API and validate it in one pass.

Every problem (unknown group option, unknown key, wrong type, missing value, unknown
registered name, unwritable output) is collected and raised together as one ConfigError.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, Problem
from nlpbench.registry import did_you_mean

CONFIG_GROUPS = (
    "model", "objective", "task", "trainer", "logger", "paths", "sweep", "experiment", "corpus", "tokenizer",
)
MISSING = "???"


def conf_dir() -> Path:
    """The conf/ folder: $NLPBENCH_CONF, else ./conf when the working directory is a checkout of
    the project (DVC runs stages there), else the repository's conf/ next to platform/."""
    env = os.environ.get("NLPBENCH_CONF")
    if env:
        return Path(env).resolve()
    here = Path.cwd() / "conf"
    if (here / "finetune.yaml").is_file():
        return here.resolve()
    return Path(__file__).resolve().parents[3] / "conf"


def group_options(group: str) -> list[str]:
    """Options of a config group, e.g. ``task`` -> ``['glue/sst2', 'synthetic/sst2']``."""
    root = conf_dir() / group
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.yaml"))


@dataclass(frozen=True)
class Composed:
    """A validated config: the resolved plain dict (for records) and its typed view."""

    job: str
    overrides: tuple[str, ...]
    raw: dict[str, Any]
    typed: Any


def compose_config(job: str, overrides: list[str] | tuple[str, ...] = ()) -> Composed:
    """Compose ``conf/<job>.yaml`` with ``overrides``; raise ConfigError listing every problem."""
    from nlpbench.config.schema import JOB_SCHEMAS
    from nlpbench.config.validate import check_semantics, pydantic_problems

    if job not in JOB_SCHEMAS:
        raise ConfigError([Problem("job", f"unknown job {job!r}", choices=tuple(JOB_SCHEMAS))])
    problems: list[Problem] = []
    parsed = _parse(list(overrides), problems)
    groups = [o for o in parsed if _group_of(o) is not None]
    values = [o for o in parsed if _group_of(o) is None]
    groups = [o for o in groups if _check_group(o, problems)]

    cfg = _hydra_compose(job, [o.input_line for o in groups], problems)
    if cfg is None:
        raise ConfigError(problems)
    values = [o for o in values if _not_a_spec(o, cfg, problems) and _check_key(cfg, o, problems)]
    cfg = _hydra_compose(job, [o.input_line for o in groups + values], problems)
    if cfg is None:
        raise ConfigError(problems)

    raw = _to_container(cfg, problems)
    if raw is None:
        raise ConfigError(problems)
    if isinstance(raw.get("task"), dict):
        raw["task"].pop("spec", None)  # the task's definition: TASKS reads it from the task's file
    if isinstance(raw.get("model"), dict):
        raw["model"].pop("family_spec", None)  # the family's definition: MODELS reads it from its file
    _default_hub_data_dir(raw)
    missing = _missing_values(raw)
    problems += missing
    typed, type_problems = pydantic_problems(JOB_SCHEMAS[job], raw)
    reported = {p.key for p in problems}
    problems += [p for p in type_problems if p.key not in reported]
    problems += check_semantics(job, raw, skip={p.key for p in missing})
    if problems:
        raise ConfigError(problems)
    return Composed(job=job, overrides=tuple(overrides), raw=raw, typed=typed)


def _not_a_spec(override: Any, cfg: Any, problems: list[Problem]) -> bool:
    """A task's spec and a model family's spec are their files', never an override."""
    key = override.key_or_group
    specs = (("task.spec", "task", "task"), ("model.family_spec", "model", "model family"))
    for prefix, group, what in specs:
        if key.startswith(prefix):
            node = cfg.get(group) if group in cfg else None
            name = (node.get("name") if group == "task" else node.get("family")) if node is not None else None
            name = name or "<name>"
            problems.append(Problem(key, f"the spec of {what} {name!r} is read from conf/{group}/{name}.yaml "
                                    "and cannot be overridden", fix=f"copy conf/{group}/{name}.yaml to a new "
                                    f"file and edit its {prefix.split('.')[1]}: block (the copy's file name "
                                    f"names the new {what})"))
            return False
    return True


def _parse(overrides: list[str], problems: list[Problem]) -> list[Any]:
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import OverrideParseException

    parser = OverridesParser.create()
    parsed = []
    for line in overrides:
        try:
            found = parser.parse_overrides([line])
        except OverrideParseException as err:
            key = line.split("=", 1)[0] if "=" in line else line
            problems.append(
                Problem(key, f"cannot parse override {line!r}: {err}", fix="write it as key=value")
            )
            continue
        sweeps = [o for o in found if o.is_sweep_override()]
        problems += [_sweep_problem(o) for o in sweeps]
        parsed += [o for o in found if not o.is_sweep_override()]
    return parsed


def _sweep_problem(override: Any) -> Problem:
    """A sweep value (``a,b``, ``range(...)``, ``interval(...)``) given to one run: name the ways to sweep."""
    key = override.key_or_group.lstrip("+~")
    return Problem(key, f"{override.input_line!r} holds several values (Hydra's sweep grammar), but one run "
                        f"takes one value; to run each value, sweep it: add -m (`nlpbench finetune -m "
                        f"{override.input_line}`, likewise pretrain) or run `nlpbench sweep "
                        f"{override.input_line} ...`, or give it a `space:` entry in conf/sweep/<name>.yaml",
                   fix=f"{key}=<one value>")


def _group_of(override: Any) -> str | None:
    key = override.key_or_group.lstrip("+~")
    return key if key in CONFIG_GROUPS else None


def _check_group(override: Any, problems: list[Problem]) -> bool:
    group = _group_of(override)
    assert group is not None
    if override.is_delete():
        return True
    value = override.value()
    options = group_options(group)
    if isinstance(value, str) and value in options:
        return True
    hint = did_you_mean(str(value), options)
    message = f"unknown {group} {value!r}."
    if hint:
        message += f" Did you mean {hint[0]!r}?"
    prefix = "+" if override.is_add() else ""
    fix = f"{prefix}{group}={hint[0] if hint else (options[0] if options else '<name>')}"
    problems.append(Problem(group, message, fix=fix, choices=tuple(options)))
    return False


def _check_key(cfg: Any, override: Any, problems: list[Problem]) -> bool:
    from omegaconf import OmegaConf

    if override.is_add() or override.is_force_add():
        return True
    key = override.key_or_group
    parent_key, _, leaf = key.rpartition(".")
    parent = OmegaConf.select(cfg, parent_key) if parent_key else cfg
    if parent is not None and OmegaConf.is_dict(parent) and leaf in parent.keys():
        return True
    siblings = list(parent.keys()) if parent is not None and OmegaConf.is_dict(parent) else []
    hint = did_you_mean(leaf, [str(s) for s in siblings])
    message = "unknown key."
    if hint:
        message += f" Did you mean {(parent_key + '.' if parent_key else '') + hint[0]!r}?"
    value = override.value()
    fix = (
        f"{parent_key + '.' if parent_key else ''}{hint[0]}={value}"
        if hint
        else f"+{key}={value} (the + adds a key the config does not have)"
    )
    problems.append(Problem(key, message, fix=fix, choices=tuple(str(s) for s in siblings)))
    return False


def _hydra_compose(job: str, overrides: list[str], problems: list[Problem]) -> Any:
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    try:
        with initialize_config_dir(config_dir=str(conf_dir()), version_base="1.3", job_name=job):
            return compose(config_name=job, overrides=overrides)
    except (HydraException, OmegaConfBaseException, ValueError) as err:
        problems.append(Problem("overrides", f"Hydra could not compose the config: {err}"))
        return None


def _to_container(cfg: Any, problems: list[Problem]) -> dict[str, Any] | None:
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    try:
        return OmegaConf.to_container(cfg, resolve=True, throw_on_missing=False)  # type: ignore[return-value]
    except OmegaConfBaseException as err:
        key = getattr(err, "full_key", None) or "config"
        problems.append(Problem(str(key), f"cannot resolve value: {err.msg if hasattr(err, 'msg') else err}"))
        return None


def _default_hub_data_dir(raw: dict[str, Any]) -> None:
    """A hub task without ``task.data_dir`` is written under ``<paths.data_dir>/tasks/hub/<path>/<name>``."""
    from nlpbench.tasks.official.hub import default_data_dir

    task, paths = raw.get("task"), raw.get("paths")
    if not isinstance(task, dict) or task.get("source") != "hub":
        return
    if task.get("data_dir") not in (MISSING, None):
        return
    hub = task.get("hub")
    if isinstance(hub, dict) and isinstance(hub.get("path"), str) and isinstance(paths, dict) \
            and isinstance(paths.get("data_dir"), str):
        task["data_dir"] = default_data_dir(paths["data_dir"], hub["path"], hub.get("name"))


def _missing_values(raw: Any, prefix: str = "") -> list[Problem]:
    found: list[Problem] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            found += _missing_values(value, f"{prefix}{key}.")
    elif raw == MISSING:
        key = prefix.rstrip(".")
        found.append(Problem(key, "required value is missing", fix=f"{key}=<value>"))
    return found


def compose_value(job: str, overrides: list[str], key: str) -> Any:
    """One resolved value of a job's config (e.g. ``records.url``) without full validation."""
    from omegaconf import OmegaConf

    problems: list[Problem] = []
    parsed = _parse(overrides, problems)
    cfg = _hydra_compose(job, [o.input_line for o in parsed], problems) if not problems else None
    if cfg is None:
        raise ConfigError(problems)
    return OmegaConf.select(cfg, key, throw_on_missing=True)
