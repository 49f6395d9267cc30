"""Human-readable views of run records: a rich table of many runs, a text page for one."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from nlpbench.records.model import Metric, RunRecord, json_default

if TYPE_CHECKING:
    from rich.table import Table

TABLE_COLUMNS = ("id", "created", "job", "status", "model", "task", "seed", "headline", "wall")


def format_value(value: float | None) -> str:
    """A metric value in 4 significant digits; '-' for missing."""
    if value is None:
        return "-"
    if math.isnan(value):
        return "nan"
    return f"{value:.4g}"


def format_duration(seconds: float | None) -> str:
    """Seconds as '12.3s', '4m05s' or '2h03m'; '-' for missing."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def format_created(created_at: str) -> str:
    """'2025-01-02T03:04:05.123456+00:00' -> '2025-01-02 03:04:05'."""
    return created_at[:19].replace("T", " ")


def headline(record: RunRecord) -> str:
    """'name=value' for the record's headline metric, or '-'."""
    if record.headline_metric is None:
        return "-"
    value = record.headline_value
    if value is None:
        value = record.metric(record.headline_metric)
    return f"{record.headline_metric}={format_value(value)}"


def table_row(record: RunRecord) -> tuple[str, ...]:
    """The cells of ``record`` in TABLE_COLUMNS order."""
    return (
        record.id,
        format_created(record.created_at),
        record.job,
        record.status,
        record.model or "-",
        record.task or "-",
        "-" if record.seed is None else str(record.seed),
        headline(record),
        format_duration(record.timings.get("total")),
    )


def runs_table(records: Iterable[RunRecord], title: str | None = None,
               columns: tuple[str, ...] = TABLE_COLUMNS) -> Table:
    """A rich Table with one row per record (id, created, job, status, model, task, seed,
    headline metric=value, wall time, or the ``columns`` asked for). A narrow terminal folds long
    cells onto more lines; the id is never cut."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)  # room for cells
    for name in columns:
        whole = name in ("id", "job", "status", "seed", "wall")  # short: kept whole, others fold
        table.add_column(name, no_wrap=whole, min_width=len(name) if whole else 4, overflow="fold",
                         justify="right" if name in ("seed", "wall") else "left")
    picks = [TABLE_COLUMNS.index(c) for c in columns]
    for record in records:
        style = "red" if record.status == "failed" else None
        cells = list(table_row(record))
        cells[1] = cells[1][5:16]  # created: month-day hour:minute on screen (runs_text keeps it whole)
        table.add_row(*(cells[i] for i in picks), style=style)
    return table


def runs_text(records: Iterable[RunRecord], columns: tuple[str, ...] = TABLE_COLUMNS) -> str:
    """The same rows as plain tab-separated text with a header (for a pipe or a log: nothing is cut)."""
    picks = [TABLE_COLUMNS.index(c) for c in columns]
    lines = ["\t".join(columns)]
    lines += ["\t".join(table_row(r)[i] for i in picks) for r in records]
    return "\n".join(lines)


def dump_mapping(data: dict[str, Any]) -> str:
    """``data`` as block YAML (JSON if PyYAML is missing), ready to indent."""
    plain = json.loads(json.dumps(data, default=json_default))
    try:
        import yaml
    except ImportError:
        return json.dumps(plain, indent=2, sort_keys=True)
    return yaml.safe_dump(plain, sort_keys=True, default_flow_style=False).rstrip()


def metrics_table(metrics: list[Metric]) -> str:
    """Metrics as aligned plain-text columns: name, split, value."""
    rows = [("name", "split", "value")]
    rows += [(m.name, m.split, format_value(m.value)) for m in metrics]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}" for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def record_detail(record: RunRecord) -> str:
    """Every field of ``record`` as text: scalars first, then mappings, metrics, config."""
    scalars = [
        ("id", record.id),
        ("created", record.created_at),
        ("job", record.job),
        ("status", record.status),
        ("model", record.model),
        ("task", record.task),
        ("objective", record.objective),
        ("group", record.group),
        ("seed", record.seed),
        ("config hash", record.config_hash),
        ("git commit", record.git_commit),
        ("git dirty", record.git_dirty),
        ("headline", headline(record)),
        ("wall time", format_duration(record.timings.get("total"))),
        ("command", record.command),
    ]
    width = max(len(label) for label, _ in scalars)
    lines = [
        f"{label + ':':<{width + 1}} {'-' if value is None else value}" for label, value in scalars
    ]
    if record.error:
        lines += ["error:", indent(record.error)]
    mappings: list[tuple[str, dict[str, Any]]] = [
        ("components", record.components),
        ("versions", record.versions),
        ("data hashes", record.data_hashes),
        ("timings", record.timings),
        ("artifacts", record.artifacts),
    ]
    for label, mapping in mappings:
        lines += [f"{label}:", indent(dump_mapping(mapping)) if mapping else "  (none)"]
    lines += ["metrics:", indent(metrics_table(record.metrics)) if record.metrics else "  (none)"]
    lines += ["config:", indent(dump_mapping(record.config)) if record.config else "  (none)"]
    return "\n".join(lines)
