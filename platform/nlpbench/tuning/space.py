"""The search space: distributions keyed by override path, their checks, and trial overrides (no Ray)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from nlpbench.config.schema import SearchDimension
from nlpbench.errors import Problem

DISTRIBUTIONS = ("choice", "grid", "uniform", "loguniform", "randint", "quniform")
DISCRETE = ("choice", "grid")


@dataclass(frozen=True)
class Dimension:
    """One parsed dimension: the override path, the distribution's name and its parameters."""

    key: str
    kind: str
    params: tuple[Any, ...]

    @property
    def safe_name(self) -> str:
        """The key as a Tune config name (Tune treats '/' and '.' in names specially)."""
        return self.key.replace(".", "__").replace("/", "__")

    def samples(self) -> list[Any]:
        """Values that exercise this dimension when checked up front: every option, or both ends."""
        if self.kind in DISCRETE:
            return list(self.params)
        low, high = self.params[0], self.params[1]
        if self.kind == "randint":
            return [low, high - 1]
        return [low, high]


def dimension_problems(key: str, dim: SearchDimension) -> tuple[Dimension | None, list[Problem]]:
    """Parse one entry of ``space``; every invalid parameter is a Problem keyed ``space.<key>``."""
    where = f"space.{key}"
    given = [name for name in DISTRIBUTIONS if getattr(dim, name) is not None]
    if len(given) != 1:
        what = "no distribution" if not given else f"{len(given)} distributions ({', '.join(given)})"
        return None, [Problem(where, f"expected exactly one distribution, got {what}",
                              choices=DISTRIBUTIONS, fix=f"{key}: {{loguniform: [1.0e-5, 1.0e-3]}}")]
    kind = given[0]
    params = tuple(getattr(dim, kind))
    problems: list[Problem] = []
    if kind in DISCRETE:
        if not params:
            problems.append(Problem(where, f"{kind} needs at least one value",
                                    fix=f"{key}: {{{kind}: [a, b]}}"))
    else:
        low, high = params[0], params[1]
        if not low < high:
            problems.append(Problem(where, f"{kind} needs low < high, got low={low}, high={high}",
                                    fix=f"{key}: {{{kind}: [{min(low, high)}, {max(low, high) or 1}]}}"))
        if kind == "loguniform" and low <= 0:
            problems.append(Problem(where, f"loguniform needs low > 0, got {low}",
                                    fix=f"{key}: {{loguniform: [1.0e-5, {high}]}}"))
        if kind == "quniform" and not params[2] > 0:
            problems.append(Problem(where, f"quniform needs a step q > 0, got {params[2]}",
                                    fix=f"{key}: {{quniform: [{low}, {high}, 1]}}"))
        if any(isinstance(p, float) and not math.isfinite(p) for p in params):
            problems.append(Problem(where, f"{kind} parameters must be finite, got {list(params)}"))
    return (Dimension(key, kind, params) if not problems else None), problems


def format_value(value: Any) -> str:
    """A value as a Hydra override writes it (booleans lower-case, floats in full precision)."""
    if value is None:
        return "null"  # e.g. model.checkpoint=null: the random-init row of a checkpoint grid
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def trial_overrides(base: list[str], dims: list[Dimension], params: dict[str, Any], seed: int,
                    group: str) -> list[str]:
    """The `nlpbench finetune` overrides of one trial: base, the sampled values, seed and group."""
    sampled = [f"{d.key}={format_value(params[d.safe_name])}" for d in dims]
    return [*base, *sampled, f"seed={seed}", f"group={group}"]


def to_tune(dims: list[Dimension], seeds: list[int], search: str) -> dict[str, Any]:
    """The Tune ``param_space``: {"params": {name: domain}, "seed": domain} (imports ray)."""
    from ray import tune

    def domain(d: Dimension) -> Any:
        if d.kind == "grid" or (d.kind == "choice" and search == "grid"):
            return tune.grid_search(list(d.params))
        if d.kind == "choice":
            return tune.choice(list(d.params))
        if d.kind == "uniform":
            return tune.uniform(*d.params)
        if d.kind == "loguniform":
            return tune.loguniform(*d.params)
        if d.kind == "randint":
            return tune.randint(*d.params)
        return tune.quniform(*d.params)

    seed_domain: Any = seeds[0] if len(seeds) == 1 else (
        tune.choice(seeds) if search == "optuna" else tune.grid_search(list(seeds)))
    return {"params": {d.safe_name: domain(d) for d in dims}, "seed": seed_domain}


def mutations(dims: list[Dimension]) -> dict[str, Any]:
    """PBT's ``hyperparam_mutations`` for the space: value lists for grid/choice, domains otherwise."""
    from ray import tune

    def domain(d: Dimension) -> Any:
        if d.kind in ("grid", "choice"):
            return list(d.params)
        return {"uniform": tune.uniform, "loguniform": tune.loguniform, "randint": tune.randint,
                "quniform": tune.quniform}[d.kind](*d.params)

    return {d.safe_name: domain(d) for d in dims}
