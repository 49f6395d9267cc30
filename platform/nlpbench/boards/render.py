"""Board renderers to text: Markdown table, CSV, JSON (with the record ids behind every cell), DVC files.

All are pure functions of a Board; cells read in percent with one decimal, mean ± std over
seeds (or median and range), "missing (k)" where k records lack a metric the board expects.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from nlpbench.boards.definition import Column
from nlpbench.boards.model import ABSENT, FAILED, FORMAT, REPORTED, Board, Cell, MetricCell, Row

SHORT = {"accuracy": "acc", "exact_match": "em", "squad_exact_match": "em", "squad_v2_exact": "exact",
         "squad_f1": "f1", "squad_v2_f1": "f1", "macro_f1": "macro-f1"}
DASH = "—"


def plural(n: int, noun: str) -> str:
    """'1 row', '2 rows'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def short(metric: str) -> str:
    return SHORT.get(metric, metric)


def pct(value: float | None, scale: float, digits: int = 1) -> str:
    return DASH if value is None else f"{value * scale:.{digits}f}"


def metric_text(m: MetricCell, scale: float, reduce: str) -> str:
    """'81.2 ± 0.4' (mean), '81.2 (80.1–82.0)' (median), '81.2' (one seed), 'missing (k)'."""
    if m.value is None:
        return f"missing ({m.missing})" if m.missing else DASH
    text = pct(m.value, scale)
    if m.n > 1:
        if reduce == "median":
            text += f" ({pct(m.lo, scale)}–{pct(m.hi, scale)})"
        else:
            text += f" ± {pct(m.std, scale)}"
    return text


def cell_parts(cell: Cell, column: Column, reduce: str) -> tuple[str, list[str]]:
    """The headline text and the sub-metric notes of a cell."""
    if cell.status == ABSENT:
        return DASH, []
    if cell.status == FAILED:
        return f"failed ({len(cell.failed_ids)})", []
    head = cell.metrics.get(column.headline.name)
    head_text = metric_text(head, column.headline.scale, reduce) if head else DASH
    notes = []
    for info in column.metrics:
        m = cell.metrics.get(info.name)
        if m is None:
            continue
        if m.value is None:
            if m.missing:
                notes.append(f"{short(info.name)} missing ({m.missing})")
            continue
        notes.append(f"{short(info.name)} {pct(m.value, info.scale)}")
    if head is not None and head.value is not None and head.missing:
        notes.append(f"{head.missing} missing")
    for info in column.metrics:
        m = cell.metrics.get(info.name)
        if m is not None and m.value is not None and m.missing:
            notes.append(f"{short(info.name)}: {m.missing} missing")
    if cell.failed_ids:
        notes.append(f"{len(cell.failed_ids)} failed")
    return head_text, notes


def cell_text(cell: Cell, column: Column, reduce: str) -> str:
    head, notes = cell_parts(cell, column, reduce)
    return " · ".join([head, *notes])


def aggregate_text(row: Row) -> str:
    agg = row.aggregate
    if agg.value is None:
        return f"{DASH} ({agg.tasks_present}/{agg.tasks_total} tasks)" if agg.tasks_total > 1 else DASH
    text = f"{agg.value:.1f}"
    if agg.std is not None and agg.std > 0:
        text += f" ± {agg.std:.1f}"
    return text


def runs_count(row: Row) -> int:
    return sum(len(c.run_ids) for c in row.cells.values())


def cell_tooltip(row: Row, cell: Cell, column: Column, reduce: str) -> str:
    """Everything behind a cell, one fact per line: seed spread, seeds, run ids, trial, failures."""
    lines = [f"{row.label} · {column.task} ({column.split})"]
    if cell.status == ABSENT:
        return "\n".join(lines + ["no runs of this task for this row"])
    if cell.status == REPORTED:
        for info in column.all_metrics:
            m = cell.metrics.get(info.name)
            if m is not None and m.value is not None:
                lines.append(f"{info.name}: {pct(m.value, info.scale)} (reported)")
        return "\n".join(lines + [f"source: {cell.source}"])
    for info in column.all_metrics:
        m = cell.metrics.get(info.name)
        if m is None:
            continue
        if m.value is None:
            lines.append(f"{info.name}: missing in {m.missing} record(s)")
            continue
        center = "median" if reduce == "median" else "mean"
        lines.append(f"{info.name}: {center} {pct(m.value, info.scale, 2)} ± {pct(m.std, info.scale, 2)} "
                     f"(range {pct(m.lo, info.scale, 2)}–{pct(m.hi, info.scale, 2)}) over {m.n} seed(s)"
                     + (f"; missing in {m.missing}" if m.missing else ""))
    seeds = next((m.seeds for m in cell.metrics.values() if m.seeds), ())
    if seeds:
        lines.append("seeds: " + ", ".join("-" if s is None else str(s) for s in seeds))
    lines.append("runs: " + (", ".join(cell.run_ids) or DASH))
    if cell.trials > 1 or cell.group:
        lines.append(f"trial {cell.trial} of group {cell.group or DASH}: best on dev of {cell.trials}")
    if cell.failed_ids:
        lines.append("failed runs: " + ", ".join(cell.failed_ids))
    return "\n".join(lines)


def aggregate_tooltip(board: Board, row: Row) -> str:
    agg = row.aggregate
    names = ", ".join(board.aggregate_tasks)
    if agg.value is None:
        return (f"{board.aggregate_name}: needs all of {names}; "
                f"{agg.tasks_present} of {agg.tasks_total} present")
    if agg.source == "reported":
        return f"{board.aggregate_name} {agg.value:.2f} as reported by the source"
    lines = [f"{board.aggregate_name}: mean of {names} = {agg.value:.2f}"]
    if agg.std is not None:
        lines.append(f"seed spread ± {agg.std:.2f} (task stds combined); range {agg.lo:.2f}–{agg.hi:.2f}")
    return "\n".join(lines)


# -- Markdown ---------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(board: Board) -> str:
    head = ["rank", "row", board.aggregate_name, *[c.label for c in board.columns], "runs"]
    lines = [f"# {board.title}", ""]
    if board.description:
        lines += [board.description, ""]
    lines += ["| " + " | ".join(head) + " |",
              "|" + "|".join(["---:", ":---", "---:", *["---:"] * len(board.columns), "---:"]) + "|"]
    for row in board.rows:
        label = row.label + (" *(reported)*" if row.reported else "")
        cells = [cell_text(row.cells[c.task], c, board.seed_reduce) for c in board.columns]
        runs = str(runs_count(row)) if not row.reported else DASH
        lines.append("| " + " | ".join(_md_escape(x) for x in
                                        [row.rank_label, label, aggregate_text(row), *cells, runs]) + " |")
    lines += ["", *notes(board)]
    return "\n".join(lines) + "\n"


def notes(board: Board) -> list[str]:
    """The lines under the table: what the numbers are, sources of reported rows, what is missing."""
    center = "median (range)" if board.seed_reduce == "median" else "mean ± std"
    metrics = ", ".join(f"{c.label} {c.headline.name}" for c in board.columns)
    out = [
        f"Values in percent on the {board.columns[0].split} split: {center} over the seeds of each "
        f"row's best trial on dev. Headline metrics: {metrics}. `{board.aggregate_name}` is the mean "
        f"of {', '.join(board.aggregate_tasks)}.",
    ]
    if board.reported:
        ranking = "ranked together with measured rows" if board.mixed else "ranked apart (r1, r2, ...)"
        out += ["", f"Reported rows are published numbers, not runs of this project; {ranking}:"]
        out += [f"- {r.label}: {r.source}." + (f" {r.note}" if r.note else "") for r in board.reported]
    s = board.stats
    out += ["", f"Records: {s.get('considered', 0)} on this board's tasks ({s.get('used', 0)} behind cells, "
            f"{s.get('failed', 0)} failed, {s.get('not_selected', 0)} in trials not selected); "
            f"missing cells: {board.missing_cells}; latest record {s.get('latest_record') or DASH}.",
            f"Board {board.name} version {board.version}, format {FORMAT}, definition sha256 "
            f"{board.definition_digest[:12] or DASH}."]
    return out


# -- CSV and JSON -----------------------------------------------------------------------------


def to_csv(board: Board) -> str:
    """One line per row; per task and metric: value, std, n, missing (percent), plus status and runs."""
    header = ["rank", "row", "kind", board.aggregate_name, f"{board.aggregate_name}_std"]
    for c in board.columns:
        for info in c.all_metrics:
            base = f"{c.task}:{info.name}"
            header += [base, f"{base}:std", f"{base}:n", f"{base}:missing"]
        header += [f"{c.task}:status", f"{c.task}:runs"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in board.rows:
        line: list[Any] = [row.rank_label, row.label, row.kind, _num(row.aggregate.value),
                           _num(row.aggregate.std)]
        for c in board.columns:
            cell = row.cells[c.task]
            for info in c.all_metrics:
                m = cell.metrics.get(info.name)
                if m is None:
                    line += ["", "", 0, 0]
                    continue
                line += [_num(m.value, info.scale), _num(m.std, info.scale), m.n, m.missing]
            line += [cell.status, " ".join(cell.run_ids)]
        writer.writerow(line)
    return out.getvalue()


def _num(value: float | None, scale: float = 1.0) -> str:
    return "" if value is None else f"{value * scale:.4f}"


def to_dict(board: Board) -> dict[str, Any]:
    """The board as JSON-ready data: versions, columns, rows, every cell with its record ids."""
    return {
        "format": FORMAT,
        "board": board.name,
        "board_version": board.version,
        "definition_sha256": board.definition_digest,
        "title": board.title,
        "units": "cell values in metric units (times the metric's scale = percent); aggregates in percent",
        "seed_reduce": board.seed_reduce,
        "mixed_reported": board.mixed,
        "aggregate": {"name": board.aggregate_name, "tasks": list(board.aggregate_tasks)},
        "columns": [
            {"task": c.task, "label": c.label, "split": c.split, "headline": c.headline.name,
             "in_aggregate": c.in_aggregate,
             "metrics": [{"name": m.name, "scale": m.scale, "higher_is_better": m.higher_is_better}
                         for m in c.all_metrics]}
            for c in board.columns
        ],
        "rows": [_row_dict(board, row) for row in board.rows],
        "stats": {**board.stats, "missing_cells": board.missing_cells},
    }


def _row_dict(board: Board, row: Row) -> dict[str, Any]:
    agg = row.aggregate
    return {
        "id": row.id, "label": row.label, "kind": row.kind, "rank": row.rank, "rank_label": row.rank_label,
        "key": row.key, "source": row.source or None, "note": row.note or None,
        "aggregate": {"value": agg.value, "std": agg.std, "lo": agg.lo, "hi": agg.hi,
                      "tasks_present": agg.tasks_present, "tasks_total": agg.tasks_total,
                      "source": agg.source},
        "run_ids": sorted({rid for c in row.cells.values() for rid in c.run_ids}),
        "cells": {c.task: _cell_dict(row.cells[c.task], c, board.seed_reduce) for c in board.columns},
    }


def _cell_dict(cell: Cell, column: Column, reduce: str) -> dict[str, Any]:
    head = cell.metrics.get(column.headline.name)
    return {
        "status": cell.status,
        "text": cell_text(cell, column, reduce),
        "value": head.value if head else None,
        "missing": head.missing if head else 0,
        "run_ids": list(cell.run_ids),
        "failed_ids": list(cell.failed_ids),
        "trials": cell.trials,
        "trial": cell.trial,
        "group": cell.group,
        "source": cell.source or None,
        "metrics": {
            name: {"value": m.value, "std": m.std, "lo": m.lo, "hi": m.hi, "n": m.n, "missing": m.missing,
                   "run_ids": list(m.run_ids), "seeds": list(m.seeds)}
            for name, m in cell.metrics.items()
        },
    }


def to_json(board: Board) -> str:
    return json.dumps(to_dict(board), indent=2, sort_keys=False, allow_nan=False) + "\n"


def dvc_metrics(board: Board) -> dict[str, Any]:
    """Numbers for `dvc metrics show`: counts, the top measured row, every measured row's scores."""
    top = next((r for r in board.measured if r.rank == 1), None)
    by_row = {}
    for row in board.measured:
        scores: dict[str, float] = {}
        if row.aggregate.value is not None:
            scores[board.aggregate_name] = round(row.aggregate.value, 4)
        for c in board.columns:
            value = row.cells[c.task].value
            if value is not None:
                scores[c.task] = round(value * c.headline.scale, 4)
        by_row[row.label] = scores
    return {
        "rows": len(board.measured),
        "reported_rows": len(board.reported),
        "missing_cells": board.missing_cells,
        "records_used": board.stats.get("used", 0),
        "records_failed": board.stats.get("failed", 0),
        "top": {board.aggregate_name: round(top.aggregate.value, 4)} if top and top.aggregate.value else {},
        "by_row": by_row,
    }


def dvc_plot_rows(board: Board) -> str:
    """CSV for `dvc plots show`: one line per ranked row with its aggregate score and spread."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "kind", board.aggregate_name, "std"])
    for row in board.rows:
        if row.aggregate.value is not None:
            writer.writerow([row.label, row.kind, f"{row.aggregate.value:.4f}",
                             "" if row.aggregate.std is None else f"{row.aggregate.std:.4f}"])
    return out.getvalue()
