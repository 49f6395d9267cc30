"""The board as ONE self-contained static page: sortable table, per-cell tooltips, plots inlined.

No external assets: the style, the sorting script and the PNG plots (base64) are in the page.
Click a column header to sort (again to reverse); hover a cell for its seed spread and run ids.
"""

from __future__ import annotations

import base64
from html import escape

from nlpbench.boards.model import Board, Row
from nlpbench.boards.render import (
    aggregate_text,
    aggregate_tooltip,
    cell_parts,
    cell_tooltip,
    notes,
    plural,
    runs_count,
    short,
)

STYLE = """
:root { --fg:#1d2433; --muted:#5b6577; --line:#dfe3ea; --head:#f4f6f9; --accent:#2457c5;
        --missing:#b45309; --failed:#b91c1c; --reported:#6b7280; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; color: var(--fg); background: #fff;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.desc { margin: 4px 0; max-width: 70em; }
.meta { color: var(--muted); margin: 4px 0 16px; font-size: 13px; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table.board { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.board th, table.board td { padding: 7px 10px; border-bottom: 1px solid var(--line);
       text-align: right; white-space: nowrap; vertical-align: top; }
table.board th.text, table.board td.text { text-align: left; }
table.board thead th { background: var(--head); position: sticky; top: 0; cursor: pointer;
       user-select: none; font-weight: 600; }
table.board thead th:hover { color: var(--accent); }
table.board thead th .metric { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
table.board thead th .name::after { content: ""; display: inline-block; width: 1.1em; text-align: right;
       color: var(--accent); }
table.board thead th[aria-sort="ascending"] .name::after { content: "\\25B2"; }
table.board thead th[aria-sort="descending"] .name::after { content: "\\25BC"; }
table.board tbody tr:nth-child(even) td { background: #fafbfc; }
table.board tbody tr:hover td { background: #eef3ff; }
td .sub { display: block; color: var(--muted); font-size: 12px; }
td.agg { font-weight: 600; }
td.status-missing, td.status-partial .sub.warn { color: var(--missing); }
td.status-failed { color: var(--failed); }
td.status-absent { color: #9aa3b2; }
tr.reported td { color: var(--reported); font-style: italic; }
.badge { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 9px; font-size: 11px;
         font-style: normal; background: #eceff3; color: var(--reported); }
tr.section th { text-align: left; background: #fff; color: var(--muted); font-weight: 600;
                cursor: default; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.notes { color: var(--muted); max-width: 75em; font-size: 13px; }
.notes li { margin: 2px 0; }
.plots { display: flex; flex-wrap: wrap; gap: 20px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("board");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function sortKey(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? cell.getAttribute("data-sort") : null;
    if (numeric) { return raw === null || raw === "" ? NaN : Number(raw); }
    return (raw === null ? (cell ? cell.textContent : "") : raw).toLowerCase();
  }
  function sortBy(index) {
    var th = headers[index];
    var numeric = th.getAttribute("data-type") === "num";
    var current = th.getAttribute("aria-sort");
    var dir = current === "descending" ? "ascending" : current === "ascending" ? "descending"
      : (th.getAttribute("data-first") || (numeric ? "descending" : "ascending"));
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      var rows = Array.prototype.filter.call(body.rows, function (r) {
        return !r.classList.contains("section");
      });
      rows.sort(function (a, b) {
        var x = sortKey(a, index, numeric), y = sortKey(b, index, numeric);
        if (numeric) {
          var xn = isNaN(x), yn = isNaN(y);
          if (xn || yn) { return (xn ? 1 : 0) - (yn ? 1 : 0); }  // empty cells last either way
          return sign * (x - y);
        }
        return sign * x.localeCompare(y);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }
  headers.forEach(function (th, index) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(index); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(index); }
    });
  });
})();
"""


def to_html(board: Board, images: dict[str, bytes] | None = None,
            captions: dict[str, str] | None = None) -> str:
    """The page; ``images`` maps a file name (aggregate.png, ...) to PNG bytes to inline."""
    images = images or {}
    captions = captions or {}
    ncols = 4 + len(board.columns)
    head = [
        '<th class="num" data-type="num" data-first="ascending" aria-sort="ascending" '
        'title="rank by aggregate score (click to sort)"><span class="name">rank</span></th>',
        '<th class="text" data-type="text" title="row: records grouped by the board key">'
        '<span class="name">row</span></th>',
        f'<th class="num" data-type="num" title="{escape(_agg_title(board))}">'
        f'<span class="name">{escape(board.aggregate_name)}</span><span class="metric">mean</span></th>',
    ]
    for c in board.columns:
        subs = ", ".join(m.name for m in c.metrics)
        title = f"{c.task}: headline {c.headline.name} on {c.split}" + (f"; also {subs}" if subs else "")
        head.append(f'<th class="num" data-type="num" data-task="{escape(c.task)}" title="{escape(title)}">'
                    f'<span class="name">{escape(c.label)}</span>'
                    f'<span class="metric">{escape(short(c.headline.name))}</span></th>')
    head.append('<th class="num" data-type="num" title="runs behind the row\'s cells">'
                '<span class="name">runs</span></th>')

    bodies = []
    if board.mixed:
        bodies.append(_tbody(board, board.rows, "all", None, ncols))
    else:
        bodies.append(_tbody(board, board.measured, "measured", None, ncols))
        if board.reported:
            bodies.append(_tbody(board, board.reported, "reported",
                                 "Reported: published numbers, ranked apart", ncols))
    s = board.stats
    meta = (f"board <b>{escape(board.name)}</b> v{board.version} · "
            f"{plural(len(board.measured), 'measured row')} · {len(board.reported)} reported · "
            f"{plural(len(board.columns), 'task')} · "
            f"{plural(s.get('used', 0), 'run')} behind cells · missing cells: {board.missing_cells}"
            + (f" · latest record {escape(str(s['latest_record'])[:19])}" if s.get("latest_record") else ""))
    figures = "".join(
        f'<figure><img alt="{escape(captions.get(name, name))}" src="data:image/png;base64,'
        f'{base64.b64encode(data).decode("ascii")}"><figcaption>{escape(captions.get(name, name))}'
        f"</figcaption></figure>"
        for name, data in images.items()
    )
    note_items = "".join(f"<li>{escape(line.removeprefix('- '))}</li>"
                         for line in notes(board) if line.strip())
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(board.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(board.title)}</h1>"
        + (f'<p class="desc">{escape(board.description)}</p>' if board.description else "")
        + f'<p class="meta">{meta}</p></header>\n<main>\n'
        f'<div class="table-wrap"><table id="board" class="board">\n<thead><tr>{"".join(head)}</tr></thead>\n'
        + "\n".join(bodies)
        + "\n</table></div>\n"
        f'<section class="notes"><ul>{note_items}</ul></section>\n'
        + (f'<h2>Plots</h2><section class="plots">{figures}</section>\n' if figures else "")
        + f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _agg_title(board: Board) -> str:
    return f"{board.aggregate_name}: mean of the headlines of {', '.join(board.aggregate_tasks)} (percent)"


def _tbody(board: Board, rows: tuple[Row, ...], kind: str, section: str | None, ncols: int) -> str:
    lines = [f'<tbody class="{kind}">']
    if section:
        lines.append(f'<tr class="section"><th colspan="{ncols}">{escape(section)}</th></tr>')
    for row in rows:
        lines.append(_tr(board, row))
    lines.append("</tbody>")
    return "\n".join(lines)


def _tr(board: Board, row: Row) -> str:
    agg = row.aggregate
    badge = '<span class="badge">reported</span>' if row.reported else ""
    row_title = row.source if row.reported else "key: " + ", ".join(f"{k}={v}" for k, v in row.key.items()
                                                                  if not isinstance(v, dict))
    tds = [
        f'<td class="num" data-sort="{"" if row.rank is None else row.rank}">{escape(row.rank_label)}</td>',
        f'<td class="text" data-sort="{escape(row.label)}" title="{escape(row_title)}">{escape(row.label)}'
        f"{badge}</td>",
        f'<td class="num agg" data-sort="{_sort(agg.value)}" title="{escape(aggregate_tooltip(board, row))}">'
        f"{escape(aggregate_text(row))}</td>",
    ]
    for c in board.columns:
        cell = row.cells[c.task]
        value = cell.value
        head, subs = cell_parts(cell, c, board.seed_reduce)
        sub_html = "".join(
            f'<span class="sub{" warn" if "missing" in s or "failed" in s else ""}">{escape(s)}</span>'
            for s in subs)
        tds.append(
            f'<td class="num cell status-{cell.status}" data-task="{escape(c.task)}" '
            f'data-sort="{_sort(None if value is None else value * c.headline.scale)}" '
            f'data-runs="{escape(" ".join(cell.run_ids))}" '
            f'title="{escape(cell_tooltip(row, cell, c, board.seed_reduce))}">'
            f"{escape(head)}{sub_html}</td>")
    runs = runs_count(row)
    tds.append(f'<td class="num" data-sort="{runs if not row.reported else ""}">'
               f'{runs if not row.reported else "—"}</td>')
    return f'<tr class="{row.kind}" data-row="{escape(row.id)}">' + "".join(tds) + "</tr>"


def _sort(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"
