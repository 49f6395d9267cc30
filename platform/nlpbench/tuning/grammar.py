"""Hydra's sweep grammar on the command line (``a,b``, ``choice``, ``range``, ``interval``, ``tag(log, ...)``)
as entries of a sweep's search space, so that a sweep needs no YAML file."""

from __future__ import annotations

import math
from typing import Any

from nlpbench.errors import Problem

CLI_SWEEP = "cli"  # conf/sweep/cli.yaml: the defaults of a sweep given wholly on the command line
_GRAMMAR = ("a,b (every value: a grid, as Hydra's -m runs it)", "choice(a,b) (sampled)",
            "range(start,stop[,step]) (a grid)", "interval(low,high) (uniform)",
            "tag(log,interval(low,high)) (log-uniform)")


def split_sweep_values(lines: list[str]) -> tuple[list[str], dict[str, dict[str, list[Any]]], list[Problem]]:
    """(the overrides that set one value, the space entries of those that sweep, problems).

    A space entry is keyed by the override's key with its ``+``/``++`` prefix, as conf/sweep/*.yaml
    writes it: ``model=a,b`` gives ``{"model": {"grid": ["a", "b"]}}``.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    plain: list[str] = []
    space: dict[str, dict[str, list[Any]]] = {}
    problems: list[Problem] = []
    parser = OverridesParser.create()
    for line in lines:
        try:
            override = parser.parse_overrides([line])[0]
        except HydraException:
            plain.append(line)  # composing the trials reports it with the config's own checks
            continue
        if not override.is_sweep_override():
            plain.append(line)
            continue
        entry = _entry(override)
        if entry is None:
            problems.append(Problem(override.key_or_group, f"{line!r}: this sweep form is not supported; "
                                    f"use one of {', '.join(_GRAMMAR)}",
                                    fix=f"{override.get_key_element()}=a,b"))
        else:
            space[override.get_key_element()] = entry
    return plain, space, problems


def _entry(override: Any) -> dict[str, list[Any]] | None:
    """The space entry of one sweep override, or None for forms a Tune space has no use for."""
    from hydra.core.override_parser.types import ChoiceSweep, IntervalSweep, RangeSweep

    sweep = override.value()
    if isinstance(sweep, ChoiceSweep) and not sweep.shuffle:
        values = [_plain(v) for v in sweep.list]
        return {"grid": values} if sweep.simple_form else {"choice": values}
    if isinstance(sweep, RangeSweep) and not sweep.shuffle:
        return {"grid": _range(sweep.start, sweep.stop, sweep.step)}
    if isinstance(sweep, IntervalSweep):
        kind = "loguniform" if "log" in sweep.tags else "uniform"
        return {kind: [sweep.start, sweep.end]}
    return None


def _plain(value: Any) -> Any:
    """A swept value as the YAML space would hold it."""
    return round(value, 12) if isinstance(value, float) else value


def _range(start: float, stop: float, step: float) -> list[Any]:
    """``range``'s values, stop excluded, without float drift (Hydra's own iterator yields 0.4 for
    range(0.1,0.4,0.1), because 0.1 + 0.1 + 0.1 falls short of 0.3)."""
    count = max(0, math.ceil((stop - start) / step - 1e-9))
    return [_plain(start + i * step) for i in range(count)]
