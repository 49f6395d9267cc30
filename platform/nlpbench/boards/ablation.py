"""Ablation tables (pure): observations -> rows of seed-reduced cells with paired tests vs the baseline.

An observation is one fine-tuning result: (variant, seed, task) -> value, or a failed / missing run.
Rows are variants, columns are tasks; a cell holds the reduced value (median or mean) over its
seeds with the seed spread, and beside it a paired comparison against the baseline row over the
seeds both have: the mean difference and the p-value of a sign-flip (exact) or paired bootstrap
test. No files, stores or Ray here; the runner (``nlpbench.runners.ablate``) does the edges.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

REDUCTIONS = ("median", "mean")
TESTS = ("sign_flip", "bootstrap")
EXACT_MAX_N = 16  # 2^16 sign patterns: enumerate exactly; above that, sample
FORMAT = 1  # version of table.json's layout


@dataclass(frozen=True)
class Observation:
    """One fine-tuning run of an ablation: its variant, seed, task, value (metric units) and status."""

    variant: str
    seed: int
    task: str
    value: float | None
    status: str = "ok"  # ok | failed | missing
    record_id: str | None = None


@dataclass(frozen=True)
class PairedTest:
    """A variant vs the baseline over matched seeds: mean difference (variant - baseline) and p-value."""

    test: str
    n: int
    diff: float | None
    p_value: float | None
    seeds: tuple[int, ...] = ()
    wins: int = 0  # seeds where the variant beats the baseline
    ties: int = 0  # seeds where both are equal (e.g. both predict the majority class)
    resamples: int | None = None  # bootstrap resamples / sampled sign patterns; None when exact


@dataclass(frozen=True)
class AblationCell:
    """A variant x task cell: the per-seed values, their reduction and spread, and the paired test."""

    task: str
    values: dict[int, float]
    value: float | None
    spread: tuple[float, float] | float | None  # (min, max) for the median, std for the mean
    failed: int = 0
    missing: int = 0
    record_ids: tuple[str, ...] = ()
    test: PairedTest | None = None


@dataclass(frozen=True)
class AblationRow:
    variant: str
    label: str
    baseline: bool
    cells: dict[str, AblationCell]


@dataclass(frozen=True)
class AblationTable:
    """A built ablation table (measured rows only; the published block travels beside it)."""

    name: str
    title: str
    reduce: str
    test: str
    columns: tuple[tuple[str, str], ...]  # (task, label)
    rows: tuple[AblationRow, ...]
    seeds: tuple[int, ...]
    scale: str = "tiny"
    metric: dict[str, str] = field(default_factory=dict)  # task -> metric name
    percent: bool = True  # values are fractions shown as percentages
    notes: tuple[str, ...] = ()  # e.g. how a tuned row chose its learning rate

    @property
    def baseline(self) -> AblationRow:
        return next(r for r in self.rows if r.baseline)


# -- reductions and paired tests ----------------------------------------------------------------


Spread = tuple[float, float] | float | None


def reduce_values(values: Sequence[float], how: str) -> tuple[float | None, Spread]:
    """(reduced value, spread): median with its (min, max) range, or mean with the sample std."""
    if how not in REDUCTIONS:
        raise ValueError(f"unknown reduction {how!r}; expected one of {REDUCTIONS}")
    if not values:
        return None, None
    if how == "median":
        return float(statistics.median(values)), (float(min(values)), float(max(values)))
    std = float(statistics.stdev(values)) if len(values) > 1 else 0.0
    return float(statistics.fmean(values)), std


def sign_flip_test(diffs: Sequence[float], resamples: int = 100_000,
                   seed: int = 0) -> tuple[float, int | None]:
    """Two-sided paired sign-flip (permutation) test of mean(diffs) == 0.

    Under the null each paired difference is as likely to have either sign; the p-value is the
    share of the 2^n sign patterns whose |mean| is at least the observed |mean| (exact for
    n <= 16, else ``resamples`` random patterns with the observed one counted, fixed ``seed``).
    Returns (p-value, resamples or None when exact)."""
    n = len(diffs)
    if n == 0:
        return math.nan, None
    observed = abs(math.fsum(diffs)) / n
    tol = 1e-12 * max(1.0, observed)
    if n <= EXACT_MAX_N:
        hits = 0
        for signs in itertools.product((1.0, -1.0), repeat=n):
            if abs(math.fsum(s * d for s, d in zip(signs, diffs, strict=True))) / n >= observed - tol:
                hits += 1
        return hits / 2**n, None
    rng = random.Random(seed)
    hits = 1  # the observed pattern
    for _ in range(resamples):
        total = math.fsum(d if rng.random() < 0.5 else -d for d in diffs)
        if abs(total) / n >= observed - tol:
            hits += 1
    return hits / (resamples + 1), resamples


def paired_bootstrap_test(diffs: Sequence[float], resamples: int = 10_000, seed: int = 0) -> float:
    """Two-sided paired bootstrap test of mean(diffs) == 0 (Efron and Tibshirani, 16.4): resample
    the paired differences with replacement after shifting them to mean 0 (the null), and count
    resampled |means| at least the observed |mean| (plus one for the observed). Fixed ``seed``."""
    n = len(diffs)
    if n == 0:
        return math.nan
    mean = math.fsum(diffs) / n
    centred = [d - mean for d in diffs]
    observed = abs(mean)
    tol = 1e-12 * max(1.0, observed)
    rng = random.Random(seed)
    hits = 1
    for _ in range(resamples):
        total = math.fsum(centred[rng.randrange(n)] for _ in range(n))
        if abs(total) / n >= observed - tol:
            hits += 1
    return hits / (resamples + 1)


def paired_test(variant: dict[int, float], baseline: dict[int, float], test: str = "sign_flip",
                resamples: int = 10_000, seed: int = 0) -> PairedTest:
    """Compare a variant's per-seed values with the baseline's over the seeds both have."""
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r}; expected one of {TESTS}")
    seeds = tuple(sorted(set(variant) & set(baseline)))
    diffs = [variant[s] - baseline[s] for s in seeds]
    if not diffs:
        return PairedTest(test, 0, None, None)
    wins = sum(1 for d in diffs if d > 0)
    ties = sum(1 for d in diffs if d == 0)
    diff = math.fsum(diffs) / len(diffs)
    if test == "sign_flip":
        p, sampled = sign_flip_test(diffs, resamples=resamples, seed=seed)
        return PairedTest(test, len(diffs), diff, p, seeds, wins, ties, sampled)
    return PairedTest(test, len(diffs), diff, paired_bootstrap_test(diffs, resamples, seed), seeds, wins,
                      ties, resamples)


# -- the table ----------------------------------------------------------------------------------


def build_ablation_table(observations: Iterable[Observation], *, name: str, title: str,
                         variants: Sequence[tuple[str, str]], baseline: str,
                         columns: Sequence[tuple[str, str]], seeds: Sequence[int], reduce: str = "median",
                         test: str = "sign_flip", metric: dict[str, str] | None = None, scale: str = "tiny",
                         resamples: int = 10_000, test_seed: int = 0,
                         notes: Sequence[str] = ()) -> AblationTable:
    """Build the table: ``variants`` are (name, label) in row order, ``columns`` (task, label).
    Only observations of the listed seeds count; for a (variant, seed, task) seen twice the first
    ok one wins (pass records newest first). Missing and failed runs are counted, never dropped."""
    if baseline not in {v for v, _ in variants}:
        raise ValueError(f"baseline {baseline!r} is not one of the variants")
    wanted = set(seeds)
    found: dict[tuple[str, str], dict[int, Observation]] = {}
    for obs in observations:
        if obs.seed not in wanted:
            continue
        slot = found.setdefault((obs.variant, obs.task), {})
        current = slot.get(obs.seed)
        if current is None or (current.status != "ok" and obs.status == "ok"):
            slot[obs.seed] = obs

    def values_of(variant: str, task: str) -> dict[int, float]:
        return {s: float(o.value) for s, o in found.get((variant, task), {}).items()
                if o.status == "ok" and o.value is not None and math.isfinite(o.value)}

    rows = []
    for variant, label in variants:
        cells = {}
        for task, _ in columns:
            values = values_of(variant, task)
            slots = found.get((variant, task), {})
            value, spread = reduce_values([values[s] for s in sorted(values)], reduce)
            tested = None
            if variant != baseline:
                tested = paired_test(values, values_of(baseline, task), test, resamples, test_seed)
            cells[task] = AblationCell(
                task=task, values=dict(sorted(values.items())), value=value, spread=spread,
                failed=sum(1 for o in slots.values() if o.status == "failed"),
                missing=len(wanted) - len(values) - sum(1 for o in slots.values() if o.status == "failed"),
                record_ids=tuple(o.record_id for _, o in sorted(slots.items()) if o.record_id),
                test=tested,
            )
        rows.append(AblationRow(variant, label, variant == baseline, cells))
    return AblationTable(name=name, title=title, reduce=reduce, test=test, columns=tuple(columns),
                         rows=tuple(rows), seeds=tuple(sorted(wanted)), scale=scale,
                         metric=dict(metric or {}), notes=tuple(notes))


# -- plain views (for json / csv renderers) -----------------------------------------------------


def table_dict(table: AblationTable, reference: dict[str, Any] | None = None) -> dict[str, Any]:
    """The table as JSON-able data; the published numbers go under ``reference``, apart."""

    def cell(c: AblationCell) -> dict[str, Any]:
        spread: Any = list(c.spread) if isinstance(c.spread, tuple) else c.spread
        out: dict[str, Any] = {"value": c.value, "spread": spread, "n": len(c.values),
                               "values": {str(s): v for s, v in c.values.items()}, "failed": c.failed,
                               "missing": c.missing, "record_ids": list(c.record_ids)}
        if c.test is not None:
            out["vs_baseline"] = {"test": c.test.test, "n": c.test.n, "diff": c.test.diff,
                                  "p_value": c.test.p_value, "wins": c.test.wins, "ties": c.test.ties,
                                  "seeds": list(c.test.seeds), "resamples": c.test.resamples}
        return out

    return {
        "format": FORMAT, "name": table.name, "title": table.title, "scale": table.scale,
        "reduce": table.reduce, "test": table.test, "seeds": list(table.seeds),
        "columns": [{"task": t, "label": label, "metric": table.metric.get(t)} for t, label in table.columns],
        "rows": [{"variant": r.variant, "label": r.label, "baseline": r.baseline,
                  "cells": {t: cell(c) for t, c in r.cells.items()}} for r in table.rows],
        "notes": list(table.notes),
        "reference": reference,
    }
