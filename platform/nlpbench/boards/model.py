"""What a built board holds: rows of cells, each cell's seed-reduced values and the records behind it.

Cell values are in the metric's own units (as records store them); ``Column`` metrics carry the
``scale`` that turns them into percent. Aggregate scores are in percent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nlpbench.boards.definition import Column

FORMAT = 1  # version of the board's JSON layout; bump when table.json changes shape

# Cell statuses: every record a board expects is accounted for, never silently dropped.
OK, PARTIAL, MISSING, FAILED, ABSENT, REPORTED = "ok", "partial", "missing", "failed", "absent", "reported"


@dataclass(frozen=True)
class MetricCell:
    """One metric of one cell, reduced over the seeds of the representative trial."""

    metric: str
    value: float | None
    std: float | None = None
    lo: float | None = None
    hi: float | None = None
    n: int = 0
    missing: int = 0
    run_ids: tuple[str, ...] = ()
    seeds: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A row x task cell: its headline and sub-metrics, the trial behind it and what is missing."""

    task: str
    status: str
    metrics: dict[str, MetricCell] = field(default_factory=dict)
    headline: str = ""
    run_ids: tuple[str, ...] = ()
    failed_ids: tuple[str, ...] = ()
    trials: int = 0
    trial: str | None = None
    group: str | None = None
    source: str = ""

    @property
    def value(self) -> float | None:
        """The seed-reduced headline value (metric units), None when there is none."""
        cell = self.metrics.get(self.headline)
        return cell.value if cell is not None else None

    @property
    def missing(self) -> int:
        """How many records behind this cell lack its headline metric."""
        cell = self.metrics.get(self.headline)
        return cell.missing if cell is not None else 0

    @property
    def has_missing(self) -> bool:
        return any(m.missing for m in self.metrics.values())


@dataclass(frozen=True)
class Aggregate:
    """The row's aggregate score in percent (e.g. glue_score), with its seed spread."""

    value: float | None
    std: float | None = None
    lo: float | None = None
    hi: float | None = None
    tasks_present: int = 0
    tasks_total: int = 0
    source: str = "computed"  # computed | reported

    @property
    def complete(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Row:
    """One leaderboard row: measured (from records) or reported (published numbers)."""

    id: str
    label: str
    kind: str  # measured | reported
    cells: dict[str, Cell]
    aggregate: Aggregate
    key: dict[str, Any] = field(default_factory=dict)
    rank: int | None = None
    rank_label: str = "-"  # "3"; reported rows ranked apart read "r1", "r2", ...
    source: str = ""
    note: str = ""

    @property
    def reported(self) -> bool:
        return self.kind == "reported"


@dataclass(frozen=True)
class Board:
    """A built board: pure data, ready for any renderer."""

    name: str
    title: str
    version: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    aggregate_name: str
    aggregate_tasks: tuple[str, ...]
    seed_reduce: str = "mean"
    description: str = ""
    definition_digest: str = ""
    mixed: bool = False
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def measured(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.reported)

    @property
    def reported(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.reported)

    @property
    def missing_cells(self) -> int:
        """Measured cells where some expected metric is missing from a record behind them."""
        return sum(1 for r in self.measured for c in r.cells.values() if c.has_missing)
