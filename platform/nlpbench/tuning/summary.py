"""The sweep's outcome as rows, the best configuration (mean over seeds) and summary.json (pure)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from nlpbench.tuning.space import format_value
from nlpbench.tuning.spec import record_metric


@dataclass(frozen=True)
class TrialRow:
    """One trial as the table shows it: sampled values, seed, metric, status and its record."""

    params: dict[str, str]
    seed: int
    value: float | None
    status: str
    record_id: str | None
    attempts: int
    command: str
    error: str | None = None


@dataclass
class SweepSummary:
    """Every trial of a sweep and the best configuration by the sweep's metric."""

    sweep_id: str
    name: str
    metric: str
    mode: str
    resumed: bool
    trials: list[TrialRow] = field(default_factory=list)
    best: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"sweep_id": self.sweep_id, "name": self.name, "metric": self.metric, "mode": self.mode,
                "resumed": self.resumed, "best": self.best, "trials": [vars(t) for t in self.trials]}


def summarize(spec: Any, outcomes: list[Any], records: list[Any], resumed: bool) -> SweepSummary:
    """Join Tune's trial outcomes with the store's records of the sweep (matched by command)."""
    by_command: dict[str, list[Any]] = {}
    for record in records:
        by_command.setdefault(record.command or "", []).append(record)
    summary = SweepSummary(spec.sweep_id, spec.config.name, spec.metric, spec.config.mode, resumed)
    for outcome in sorted(outcomes, key=lambda o: o.command):
        runs = by_command.get(outcome.command, [])
        ok = [r for r in runs if r.status == "ok"]
        latest = ok[0] if ok else (runs[0] if runs else None)
        status = latest.status if latest is not None else ("failed" if outcome.error else "missing")
        if latest is not None and latest.artifacts.get("stopped_early"):
            status = "stopped"
        recorded = record_metric(spec.config.job, spec.metric)  # (name, split) in the trial's record
        value = latest.metric(*recorded) if latest is not None and latest.status == "ok" else None
        if value is None and isinstance(outcome.metrics.get(spec.metric), (int, float)):
            value = float(outcome.metrics[spec.metric])
        params = {d.key: format_value(outcome.params[d.safe_name]) for d in spec.dims}
        summary.trials.append(TrialRow(
            params=params, seed=outcome.seed, value=value, status=status,
            record_id=latest.id if latest is not None else None, attempts=len(runs),
            command=outcome.command,
            error=(latest.error if latest is not None and latest.status == "failed" else outcome.error),
        ))
    summary.best = best_config(summary.trials, spec.config.mode, list(spec.base))
    return summary


def best_config(trials: list[TrialRow], mode: str, base: list[str]) -> dict[str, Any] | None:
    """The sampled values with the best mean metric over their seeds (finished trials only)."""
    groups: dict[tuple[tuple[str, str], ...], list[TrialRow]] = {}
    for t in trials:
        if t.value is not None and t.status in ("ok", "stopped"):
            groups.setdefault(tuple(sorted(t.params.items())), []).append(t)
    if not groups:
        return None
    pick = max if mode == "max" else min
    key = pick(groups, key=lambda k: statistics.fmean(t.value for t in groups[k] if t.value is not None))
    values = [t.value for t in groups[key] if t.value is not None]
    overrides = merge_overrides([*base, *(f"{k}={v}" for k, v in key)])
    return {"params": dict(key), "mean": statistics.fmean(values), "seeds": [t.seed for t in groups[key]],
            "records": [t.record_id for t in groups[key]], "overrides": overrides}


def merge_overrides(overrides: list[str]) -> list[str]:
    """Hydra overrides with each key once, at its first place, holding its last value (as Hydra
    applies them): a base of `trainer.max_epochs=4 trainer.max_epochs=2` reproduces as `...=2`."""
    merged: dict[str, str] = {}
    for override in overrides:
        key = override.split("=", 1)[0].lstrip("+~") if "=" in override else override
        merged[key] = override
    return list(merged.values())
