"""The board job: definition + results store -> built board -> files in leaderboards/<name>/ and W&B.

The CLI (`nlpbench board`), the DVC stage (`pipelines/board.py`) and tests all call :func:`board`.
Building is pure (``nlpbench.boards.build_board``); this module does the edges: reading the
store and history files, writing outputs (staged, then moved in: never half-written), W&B.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpbench.boards import Board, BoardDefinition, build_board, definition_path, load_definition
from nlpbench.errors import ConfigError, Problem, StoreError
from nlpbench.records import RunRecord

# Every file a build may write; the folder's other files (e.g. screenshot.png) are left alone.
TEXT_FILES = ("table.md", "table.csv", "table.json", "index.html", "metrics.json", "plots.csv")
PLOT_FILES = ("aggregate.png", "heatmap.png", "curves.png")
CAPTIONS = {
    "aggregate.png": "aggregate score by row, seed spread as error bars",
    "heatmap.png": "headline metric by row and task",
    "curves.png": "validation learning curves of the runs behind the top rows",
}


@dataclass
class BoardResult:
    """What one board build produced."""

    board: Board
    out_dir: Path
    files: list[Path]
    store: str
    wandb_dir: str | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def board(name: str, overrides: Sequence[str] = (), url: str | None = None, out_dir: str | Path | None = None,
          mix_reported: bool = False, use_wandb: bool = True, plots: bool = True,
          quiet: bool = False) -> BoardResult:
    """Build board ``name`` (a name in leaderboards/ or a path to a definition) from the results
    store (``url``, else ``records.url`` composed from conf/ with ``overrides``), write its files
    and log it to W&B (unless ``use_wandb`` is False, ``logger=none`` or WANDB_MODE=disabled)."""
    from nlpbench.progress import summary, track

    started = time.perf_counter()
    path = definition_path(name)
    definition = load_definition(path)  # every definition problem before any work
    reference = _reference(definition)
    settings = _settings(overrides)
    store_url = url or str(settings["records"]["url"])
    records = read_records(store_url, definition)
    built = build_board(records, definition, reference, mix_reported=mix_reported)
    if not built.measured:
        raise StoreError(_no_rows_message(store_url, definition, records))
    target = Path(out_dir) if out_dir is not None else path.parent / definition.name

    notes: list[str] = []
    steps = ["tables", "plots", "page", "write"] if plots else ["tables", "page", "write"]
    texts: dict[str, str] = {}
    images: dict[str, bytes] = {}
    for step in (steps if quiet else track(steps, f"board {definition.name}")):
        if step == "tables":
            texts.update(render_texts(built))
        elif step == "plots":
            images = render_plots(built, definition, {r.id: r for r in records}, notes)
        elif step == "page":
            from nlpbench.boards.html import to_html

            texts["index.html"] = to_html(built, images, CAPTIONS)
        else:
            files = write_outputs(target, texts, images)

    from nlpbench.tracking import resolve_mode

    wandb_dir = None
    mode = resolve_mode(settings["logger"], enabled=use_wandb)
    if mode is not None:
        wandb_dir = log_to_wandb(built, definition, settings["logger"], mode, store_url, target)
    result = BoardResult(built, target, files, store_url, wandb_dir, time.perf_counter() - started, notes)
    if not quiet:
        summary(f"board {definition.name}:", summary_text(result))
    return result


def summary_text(result: BoardResult) -> str:
    """The human summary a build ends with: rows, tasks, missing cells, where outputs are."""
    from nlpbench.boards.render import plural

    b = result.board
    top = next((r for r in b.measured if r.rank == 1), None)
    text = (f"{plural(len(b.measured), 'row')} ({len(b.reported)} reported beside them) x "
            f"{plural(len(b.columns), 'task')} from {plural(b.stats.get('used', 0), 'run')} in "
            f"{result.store}; missing cells: {b.missing_cells}; "
            f"failed runs: {b.stats.get('failed', 0)}.")
    if top is not None and top.aggregate.value is not None:
        text += f" Top: {top.label} {b.aggregate_name}={top.aggregate.value:.1f}."
    text += f" Outputs in {result.out_dir}/ ({', '.join(p.name for p in result.files)})"
    text += f"; W&B run {result.wandb_dir}." if result.wandb_dir else "; W&B off."
    return text + "".join(f" {n}" for n in result.notes) + f" ({result.seconds:.1f}s)"


# -- inputs -----------------------------------------------------------------------------------


def _settings(overrides: Sequence[str]) -> dict[str, Any]:
    """records.url and logger.* composed from conf/ (the finetune job's) with ``overrides``."""
    from omegaconf import OmegaConf

    from nlpbench.config.compose import compose_value

    records = compose_value("finetune", list(overrides), "records")
    logger = compose_value("finetune", list(overrides), "logger")
    return {"records": OmegaConf.to_container(records, resolve=True),
            "logger": OmegaConf.to_container(logger, resolve=True)}


def _reference(definition: BoardDefinition) -> list[Any]:
    from nlpbench.boards import load_reference

    if definition.reference is None:
        return []
    if not Path(definition.reference).is_file():
        raise ConfigError([Problem("reference", f"the reference rows file {definition.reference} does "
                                   "not exist", fix="reference: null (no reported rows)")],
                          header=f"invalid board definition {definition.source}")
    return load_reference(definition.reference)


def read_records(url: str, definition: BoardDefinition) -> list[RunRecord]:
    """The records of the board's tasks, through Store (older schema versions are migrated).
    An absent or empty store is an error that names it."""
    from sqlalchemy.engine import make_url

    from nlpbench.records import open_store

    parsed = make_url(url) if "://" in url else None
    if parsed is not None and parsed.drivername.startswith("sqlite") and parsed.database:
        if not Path(parsed.database).exists():
            raise StoreError(f"the results store {parsed.database} does not exist: no runs recorded yet. "
                             "Run `nlpbench finetune ...` first, or point --url at another store")
    with open_store(url) as store:
        if store.count() == 0:
            raise StoreError(f"the results store {store.location} is empty: no runs to put on a board. "
                             "Run `nlpbench finetune ...` first, or point --url at another store")
        records = []
        for task in definition.tasks:
            records += store.query(task=task)
    return records


def _no_rows_message(url: str, definition: BoardDefinition, records: list[RunRecord]) -> str:
    from nlpbench.records import open_store

    with open_store(url) as store:
        tasks = sorted({r.task or "-" for r in store.query(limit=2000)})
    jobs = f" from jobs {', '.join(definition.jobs)}" if definition.jobs else ""
    return (f"the results store {url} has no runs{jobs} of the tasks of board {definition.name!r} "
            f"({', '.join(definition.tasks)}); it holds runs of: {', '.join(tasks) or '(none)'}")


def read_histories(records: dict[str, RunRecord], run_ids: set[str]) -> tuple[dict[str, list[Any]], int]:
    """run id -> its validation history (the record's ``history`` artifact); and how many were unreadable."""
    histories: dict[str, list[Any]] = {}
    unreadable = 0
    for rid in sorted(run_ids):
        record = records.get(rid)
        path = record.artifacts.get("history") if record is not None else None
        if not path:
            unreadable += 1
            continue
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError):
            unreadable += 1
            continue
        if isinstance(data, list):
            histories[rid] = [h for h in data if isinstance(h, dict)]
    return histories, unreadable


# -- rendering and writing --------------------------------------------------------------------


def render_texts(built: Board) -> dict[str, str]:
    """Every text output of a board: md, csv, json, and the DVC metrics and plots files."""
    from nlpbench.boards.render import dvc_metrics, dvc_plot_rows, to_csv, to_json, to_markdown

    return {
        "table.md": to_markdown(built),
        "table.csv": to_csv(built),
        "table.json": to_json(built),
        "metrics.json": json.dumps(dvc_metrics(built), indent=2) + "\n",
        "plots.csv": dvc_plot_rows(built),
    }


def render_plots(built: Board, definition: BoardDefinition, records: dict[str, RunRecord],
                 notes: list[str]) -> dict[str, bytes]:
    from nlpbench.boards import plots

    top = plots.top_rows(built, definition.curves)
    wanted = {rid for row in top for cell in row.cells.values() for rid in cell.run_ids}
    histories, unreadable = read_histories(records, wanted)
    if unreadable:
        notes.append(f"{unreadable} run(s) behind the top rows have no readable history; "
                     "their learning curves are left out.")
    return {
        "aggregate.png": plots.aggregate_plot(built),
        "heatmap.png": plots.heatmap(built),
        "curves.png": plots.curves(built, histories, definition.curves),
    }


def write_outputs(target: Path, texts: dict[str, str], images: dict[str, bytes]) -> list[Path]:
    """Stage every file beside ``target``, then move them in; stale board files are removed.
    A failure leaves the previous outputs as they were."""
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
        for name, data in images.items():
            (staging / name).write_bytes(data)
        written = []
        for name in [*texts, *images]:
            os.replace(staging / name, target / name)
            written.append(target / name)
        for name in (*TEXT_FILES, *PLOT_FILES):
            if name not in texts and name not in images:
                (target / name).unlink(missing_ok=True)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# -- W&B --------------------------------------------------------------------------------------


def wandb_table(built: Board) -> tuple[list[str | int], list[list[Any]]]:
    """The board as W&B table columns and rows (percent values; None where a cell has none)."""
    columns: list[str | int] = ["rank", "row", "kind", built.aggregate_name]
    columns += [f"{c.label} ({c.headline.name})" for c in built.columns]
    columns += ["status", "run_ids"]
    rows = []
    for row in built.rows:
        line: list[Any] = [row.rank_label, row.label, row.kind,
                           None if row.aggregate.value is None else round(row.aggregate.value, 4)]
        for c in built.columns:
            value = row.cells[c.task].value
            line.append(None if value is None else round(value * c.headline.scale, 4))
        line.append(" ".join(f"{c.label}:{row.cells[c.task].status}" for c in built.columns))
        line.append(" ".join(sorted({rid for cell in row.cells.values() for rid in cell.run_ids})))
        rows.append(line)
    return columns, rows


def log_to_wandb(built: Board, definition: BoardDefinition, logger_cfg: dict[str, Any], mode: str,
                 store_url: str, out_dir: Path) -> str:
    """Log the board (table + plots) into a W&B run with job_type=board; return its folder."""
    from nlpbench.records import new_run_id
    from nlpbench.tracking import finish_run, log_table_and_images, start_run

    run_id = new_run_id()
    config = {"board": definition.name, "board_version": definition.version,
              "definition": definition.source, "definition_sha256": definition.digest,
              "aggregate": definition.aggregate_name, "tasks": list(definition.tasks),
              "seed_reduce": definition.seed_reduce, "trial_select": definition.trial_select,
              "row_key": list(definition.row_key), "mixed_reported": built.mixed, "store": store_url}
    run = start_run(logger_cfg, mode, run_id, f"board-{definition.name}", "board",
                    f"board-{definition.name}", config)
    failed = True
    summary: dict[str, Any] = {}
    try:
        columns, rows = wandb_table(built)
        images = {f"board/{p.stem}": out_dir / p.name for p in map(Path, PLOT_FILES)
                  if (out_dir / p.name).is_file()}
        log_table_and_images(run, "board/table", columns, rows, images)
        top = next((r for r in built.measured if r.rank == 1), None)
        summary = {
            "board": definition.name, "board_version": definition.version,
            "rows": len(built.measured), "reported_rows": len(built.reported),
            "missing_cells": built.missing_cells, "records_used": built.stats.get("used", 0),
            "record_ids": sorted({rid for r in built.measured for c in r.cells.values()
                                  for rid in c.run_ids}),
        }
        if top is not None and top.aggregate.value is not None:
            summary["top_row"] = top.label
            summary[built.aggregate_name] = top.aggregate.value
        failed = False
    finally:
        run_dir = finish_run(run, summary, failed=failed)
    return run_dir
