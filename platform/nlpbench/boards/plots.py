"""Board plots as PNG bytes (matplotlib, Agg, no pyplot state): aggregate bars, heat map, learning curves."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from nlpbench.boards.model import Board, Row

MEASURED, REPORTED = "#2457c5", "#9aa3b2"
PALETTE = ("#2457c5", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d")


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight", metadata={"Software": None})
    return out.getvalue()


def aggregate_plot(board: Board) -> bytes:
    """Horizontal bars of each ranked row's aggregate score, seed spread as error bars."""
    rows = [r for r in board.rows if r.aggregate.value is not None]
    fig = _figure(7.5, 0.9 + 0.42 * max(1, len(rows)))
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "no row has every task of the aggregate yet", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig)
    ys = list(range(len(rows)))[::-1]
    values = [r.aggregate.value or 0.0 for r in rows]
    if board.seed_reduce == "median":
        pairs = list(zip(rows, values, strict=True))
        lows = [r.aggregate.lo if r.aggregate.lo is not None else v for r, v in pairs]
        highs = [r.aggregate.hi if r.aggregate.hi is not None else v for r, v in pairs]
        err = [[max(0.0, v - lo) for v, lo in zip(values, lows, strict=True)],
               [max(0.0, hi - v) for v, hi in zip(values, highs, strict=True)]]
    else:
        err = [[r.aggregate.std or 0.0 for r in rows]] * 2
    colors = [REPORTED if r.reported else MEASURED for r in rows]
    ax.barh(ys, values, xerr=err, color=colors, height=0.6, capsize=3, error_kw={"elinewidth": 1})
    ax.set_yticks(ys, [f"{r.rank_label}  {r.label}" + ("  (reported)" if r.reported else "") for r in rows])
    for y, v, above in zip(ys, values, err[1], strict=True):
        ax.text(v + above, y, f"  {v:.1f}", va="center", ha="left", fontsize=8)
    low = min(values)
    ax.set_xlim(max(0.0, math.floor(low / 10) * 10 - 10), min(100.0, max(values) + 12))
    ax.set_xlabel(f"{board.aggregate_name} (percent; error bar: seed "
                  f"{'range' if board.seed_reduce == 'median' else 'std'})")
    ax.set_title(f"{board.title}: {board.aggregate_name} by row", fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def heatmap(board: Board) -> bytes:
    """Rows x tasks of headline values in percent; blank cells say why (missing, failed, no runs)."""
    import numpy as np

    rows = list(board.rows)
    cols = list(board.columns)
    grid = np.full((max(1, len(rows)), max(1, len(cols))), np.nan)
    for i, row in enumerate(rows):
        for j, c in enumerate(cols):
            value = row.cells[c.task].value
            if value is not None:
                grid[i, j] = value * c.headline.scale
    fig = _figure(max(5.0, 1.6 + 1.05 * len(cols) + 1.8), max(2.6, 1.0 + 0.42 * len(rows)))
    ax = fig.add_subplot()
    finite = grid[np.isfinite(grid)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 100.0)
    if vmax - vmin < 1:
        vmin, vmax = vmin - 1, vmax + 1
    from matplotlib import colormaps

    cmap = colormaps["viridis"].with_extremes(bad="#eceff3")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    for i, row in enumerate(rows):
        for j, c in enumerate(cols):
            cell = row.cells[c.task]
            if np.isfinite(grid[i, j]):
                dark = (grid[i, j] - vmin) / (vmax - vmin) < 0.6
                ax.text(j, i, f"{grid[i, j]:.1f}", ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
            else:
                text = {"missing": f"missing ({cell.missing})", "failed": "failed"}.get(cell.status, "—")
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color="#8a5a00"
                        if cell.status in ("missing", "failed") else "#6b7280")
    ax.set_xticks(range(len(cols)), [c.label for c in cols], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), [r.label + (" (reported)" if r.reported else "") for r in rows])
    ax.set_title(f"{board.title}: headline metric by row and task (percent)", fontsize=11)
    if len(set(finite.round(1).tolist())) > 1:  # one value needs no colour scale
        fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    return _png(fig)


def top_rows(board: Board, n: int) -> list[Row]:
    """The ``n`` best measured rows (ranked first, then rows without an aggregate)."""
    return list(board.measured[:n])


def curves(board: Board, histories: Mapping[str, Sequence[Mapping[str, float]]], n: int) -> bytes:
    """Validation learning curves (headline metric vs step) of the runs behind the top ``n`` rows,
    one panel per task; runs of one row share a colour. ``histories``: run id -> history rows."""
    rows = top_rows(board, n)
    tasks = [c for c in board.columns
             if any(rid in histories for r in rows for rid in r.cells[c.task].run_ids)]
    panels = max(1, len(tasks))
    per_row = min(3, panels)
    lines = math.ceil(panels / per_row)
    fig = _figure(4.6 * per_row + 1.0, 3.3 * lines)
    if not tasks:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no learning curves recorded for the top rows", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig)
    for k, column in enumerate(tasks):
        ax = fig.add_subplot(lines, per_row, k + 1)
        metric, scale = column.headline.name, column.headline.scale
        for i, row in enumerate(rows):
            color = PALETTE[i % len(PALETTE)]
            labelled = False
            for rid in row.cells[column.task].run_ids:
                points = [(float(h["step"]), float(h[metric]) * scale) for h in histories.get(rid, ())
                          if "step" in h and metric in h and h[metric] is not None]
                if not points:
                    continue
                xs, ys = zip(*sorted(points), strict=True)
                ax.plot(xs, ys, color=color, alpha=0.8, linewidth=1.4, marker="o", markersize=2.5,
                        label=None if labelled else f"{row.rank_label}  {row.label}")
                labelled = True
        ax.set_title(f"{column.label} ({column.task})", fontsize=10)
        ax.set_xlabel("step")
        ax.set_ylabel(f"{metric} on {column.split} (%)")
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if k == 0:
            ax.legend(fontsize=7, loc="lower right")
    top = "best row" if len(rows) == 1 else f"top {len(rows)} rows"
    fig.suptitle(f"{board.title}: learning curves of the {top}", fontsize=11)
    return _png(fig)
