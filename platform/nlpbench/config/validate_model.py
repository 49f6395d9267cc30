"""Up-front checks of a run's model and objective settings: the named size, the keys of
``model.config`` (against the family's ``transformers`` config class), the keys and values of
``objective.params`` (against the objective's own file), and objectives that cannot start from one
checkpoint; each a Problem with its fixing override, raised before any corpus or example is built."""

from __future__ import annotations

import functools
from typing import Any

from nlpbench.errors import Problem
from nlpbench.registry import did_you_mean


def _select(raw: dict[str, Any], key: str) -> Any:
    node: Any = raw
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_size(raw: dict[str, Any]) -> list[Problem]:
    """``model.size`` names one of the family's sizes."""
    size, sizes = _select(raw, "model.size"), _select(raw, "model.sizes")
    if size is None or not isinstance(sizes, dict) or not sizes or size in sizes:
        return []
    hint = did_you_mean(str(size), list(sizes))
    return [Problem("model.size", f"unknown size {size!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
                    choices=tuple(sizes), fix=f"model.size={(hint or list(sizes))[0]}")]


def check_model_config(raw: dict[str, Any]) -> list[Problem]:
    """Every key of ``model.config`` is a field of the family's ``transformers`` config class
    (``transformers`` is imported only when the run sets such keys)."""
    config, family = _select(raw, "model.config"), _select(raw, "model.family")
    if not isinstance(config, dict) or not config or _select(raw, "model.checkpoint") is not None:
        return []
    model_type = config.get("model_type") if family == "hf_auto" else _model_type(family)
    known = _config_fields(model_type) if isinstance(model_type, str) else None
    if known is None:
        return []  # an unknown model_type is refused, with its fix, where the model is built
    problems = []
    for key in sorted(set(config) - known - {"model_type"}):
        hint = did_you_mean(str(key), sorted(known))
        problems.append(Problem(
            f"model.config.{key}", f"{model_type} models have no config field {key!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else ""),
            fix=f"model.config.{hint[0]}={config[key]}" if hint else f"~model.config.{key}"))
    return problems


@functools.cache
def _config_fields(model_type: str) -> frozenset[str] | None:
    """The fields of ``model_type``'s default ``transformers`` config (None for an unknown type)."""
    import transformers

    try:
        return frozenset(transformers.AutoConfig.for_model(model_type).to_dict())
    except (ValueError, KeyError):
        return None


def _model_type(family: Any) -> str | None:
    """The ``transformers`` model type of a registered family (None for hf_auto and checkpoints)."""
    from nlpbench.catalog import MODELS

    if not isinstance(family, str) or family not in MODELS or MODELS.get(family).meta["kind"] == "any":
        return None
    return family.replace("_", "-")


def check_objective(raw: dict[str, Any], known: dict[str, Any] | None,
                    composite: str | None) -> list[Problem]:
    """``objective.params`` keys are the objective's own (``known``: its file's params), RTD's
    generator is a positive fraction of the discriminator's width at most 1, and an objective that
    builds a pair of models (``composite``) does not start from ``model.checkpoint``."""
    name, params = _select(raw, "objective.name"), _select(raw, "objective.params")
    problems = []
    if isinstance(params, dict) and known is not None:
        for key in sorted(set(params) - set(known)):
            hint = did_you_mean(str(key), sorted(known))
            problems.append(Problem(
                f"objective.params.{key}", f"objective {name!r} has no parameter {key!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else ""), choices=tuple(sorted(known)),
                fix=f"objective.params.{hint[0]}={params[key]}" if hint else f"~objective.params.{key}"))
    size = params.get("generator_size") if isinstance(params, dict) else None
    if name == "rtd" and isinstance(size, int | float) and not 0 < size <= 1:
        problems.append(Problem("objective.params.generator_size", f"{size} is not a fraction of the "
                                "discriminator's width in (0, 1]; ELECTRA's generators are 1/4 to 1/2 "
                                "as wide",
                                fix="objective.params.generator_size=0.25"))
    if composite and _select(raw, "model.checkpoint") is not None:
        problems.append(Problem("model.checkpoint", f"objective {name!r} builds its own pair of models "
                                f"({composite}) and cannot start from one checkpoint",
                                fix="model=<a family config> (drop model.checkpoint)"))
    return problems


def objective_params(name: Any) -> dict[str, Any] | None:
    """The params of ``conf/objective/<name>.yaml`` (None when there is no such file)."""
    import yaml

    from nlpbench.config.compose import conf_dir

    path = conf_dir() / "objective" / f"{name}.yaml"
    if not isinstance(name, str) or not path.is_file():
        return None
    params = (yaml.safe_load(path.read_text()) or {}).get("params")
    return params if isinstance(params, dict) else None
