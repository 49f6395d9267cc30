"""Render an ablation table: markdown (the paper's layout), csv, json and a PNG plot (pure)."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from nlpbench.boards.ablation import AblationCell, AblationTable, table_dict


def _pct(value: float | None, table: AblationTable, signed: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    shown = value * 100 if table.percent else value
    return f"{shown:+.1f}" if signed else f"{shown:.1f}"


def cell_text(cell: AblationCell, table: AblationTable) -> str:
    """``48.5 [46.0-50.5]`` (median, range) or ``48.5 ± 1.2`` (mean, std), then failures/missing."""
    if cell.value is None:
        text = "-"
    elif isinstance(cell.spread, tuple):
        text = f"{_pct(cell.value, table)} [{_pct(cell.spread[0], table)}-{_pct(cell.spread[1], table)}]"
    else:
        text = f"{_pct(cell.value, table)} ± {_pct(cell.spread, table)}"
    notes = [f"n={len(cell.values)}"]
    if cell.failed:
        notes.append(f"{cell.failed} failed")
    if cell.missing:
        notes.append(f"{cell.missing} missing")
    return f"{text} ({', '.join(notes)})"


def test_text(cell: AblationCell, table: AblationTable) -> str:
    """``+0.5, p=0.63 (3 up, 2 down)`` for a variant (seeds where it is higher, equal, lower);
    ``baseline`` for the baseline row."""
    t = cell.test
    if t is None:
        return "baseline"
    if t.n == 0 or t.diff is None:
        return "no matched seeds"
    p = "-" if t.p_value is None or math.isnan(t.p_value) else f"{t.p_value:.3g}"
    tied = f", {t.ties} tied" if t.ties else ""
    return f"{_pct(t.diff, table, signed=True)}, p={p} ({t.wins} up{tied}, {t.n - t.wins - t.ties} down)"


def _test_name(table: AblationTable) -> str:
    return ("an exact two-sided sign-flip test" if table.test == "sign_flip"
            else "a two-sided paired bootstrap test")


def to_markdown(table: AblationTable, reference: dict[str, Any] | None, description: str = "") -> str:
    """The table as the paper lays it out (rows: variants, columns: tasks), then the published block."""
    base = table.baseline
    seeds = ", ".join(map(str, table.seeds))
    how = ("median over seeds, [min-max] across seeds" if table.reduce == "median"
           else "mean ± std over seeds")
    lines = [f"# {table.title}", ""]
    if description:
        lines += [description.strip(), ""]
    lines += [
        f"Measured at scale `{table.scale}`, seeds {seeds}. Cells: {how}"
        + (", in percent" if table.percent else "") + ". Beside each cell: the mean paired difference "
        f"against the baseline row `{base.variant}` over matched seeds, the p-value of {_test_name(table)}, "
        "and on how many seeds the variant was higher, equal or lower.",
        "",
    ]
    header = ["variant"]
    for task, label in table.columns:
        metric = table.metric.get(task)
        header += [f"{label}" + (f" ({metric})" if metric else ""), f"vs {base.variant}"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in table.rows:
        name = f"{row.label} (baseline)" if row.baseline else row.label
        cells = [name]
        for task, _ in table.columns:
            cell = row.cells[task]
            cells += [cell_text(cell, table), test_text(cell, table)]
        lines.append("| " + " | ".join(cells) + " |")
    if table.notes:
        lines += [""] + [f"- {note}" for note in table.notes]
    n = len(table.seeds)
    if table.test == "sign_flip" and n:
        lines += ["", f"With {n} matched seeds the smallest possible two-sided sign-flip p-value is "
                  f"{2 / 2**n:.3g}."]
    if reference:
        lines += ["", "## Reported in the paper (published numbers, not measured here)", ""]
        lines.append(f"Source: {reference.get('source', '')}." + (f" {reference['note'].strip()}"
                                                                    if reference.get("note") else ""))
        lines.append("")
        cols = list(reference.get("columns", []))
        lines.append("| " + " | ".join([str(reference.get("row_header", "row")), *cols]) + " |")
        lines.append("|" + "---|" * (len(cols) + 1))
        for ref in reference.get("rows", []):
            values = ref.get("values", {})
            shown = [str(ref["label"]), *(_ref_value(values.get(c)) for c in cols)]
            lines.append("| " + " | ".join(shown) + " |")
    return "\n".join(lines) + "\n"


def _ref_value(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(table: AblationTable) -> str:
    """One line per variant x task (measured rows only): value, spread, n, diff, p."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["variant", "label", "baseline", "task", "metric", "reduce", "value", "spread_lo",
                     "spread_hi", "std", "n", "failed", "missing", "diff_vs_baseline", "p_value", "test",
                     "matched_seeds", "wins", "ties"])
    for row in table.rows:
        for task, _ in table.columns:
            c = row.cells[task]
            lo, hi, std = ((c.spread[0], c.spread[1], None) if isinstance(c.spread, tuple)
                           else (None, None, c.spread))
            t = c.test
            writer.writerow([row.variant, row.label, row.baseline, task, table.metric.get(task, ""),
                             table.reduce,
                             _num(c.value), _num(lo), _num(hi), _num(std), len(c.values), c.failed, c.missing,
                             _num(t.diff if t else None), _num(t.p_value if t else None),
                             t.test if t else "", t.n if t else "", t.wins if t else "", t.ties if t else ""])
    return out.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else repr(float(value))


def to_json(table: AblationTable, reference: dict[str, Any] | None) -> str:
    return json.dumps(table_dict(table, reference), indent=2, sort_keys=False) + "\n"


def to_png(table: AblationTable) -> bytes:
    """One panel per task: the reduced value per variant (bar), every seed (dots), baseline dashed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    k = max(1, len(table.columns))
    fig = Figure(figsize=(3.2 * k + 0.8, 3.4), dpi=110)
    FigureCanvasAgg(fig)
    scale = 100.0 if table.percent else 1.0
    for i, (task, label) in enumerate(table.columns):
        ax = fig.add_subplot(1, k, i + 1)
        names = [r.label for r in table.rows]
        xs = list(range(len(table.rows)))
        for x, row in zip(xs, table.rows, strict=True):
            cell = row.cells[task]
            if cell.value is not None:
                ax.bar(x, cell.value * scale, color="#4c72b0" if not row.baseline else "#999999", alpha=0.6)
            ys = [v * scale for v in cell.values.values()]
            ax.scatter([x] * len(ys), ys, color="black", s=10, zorder=3)
        base = table.baseline.cells[task].value
        if base is not None:
            ax.axhline(base * scale, color="#555555", linestyle="--", linewidth=0.8)
        values = [v * scale for r in table.rows for v in r.cells[task].values.values()]
        if values:
            lo, hi = min(values), max(values)
            pad = max(1.0, (hi - lo) * 0.3)
            ax.set_ylim(lo - pad, hi + pad)
        ax.set_xticks(xs)
        ax.set_xticklabels(names, rotation=30, ha="right", fontsize=7)
        ax.set_title(label, fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(f"{table.title} ({table.reduce} of seeds {', '.join(map(str, table.seeds))})", fontsize=9)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
