"""The board build: a pure function of run records, a definition and reference rows -> Board.

Records become rows by the definition's key; within a row x task cell, records are split into
trials (a sweep's group plus the config with seed-like paths ignored); each trial's seeds are
reduced (mean with std, or median), and the representative trial is the best one on the
headline. Failed runs and records missing a metric are counted in the cell, never dropped.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from nlpbench.boards.definition import RECORD_FIELDS, BoardDefinition, Column
from nlpbench.boards.model import (
    ABSENT,
    FAILED,
    MISSING,
    OK,
    PARTIAL,
    REPORTED,
    Aggregate,
    Board,
    Cell,
    MetricCell,
    Row,
)
from nlpbench.boards.reference import ReferenceRow
from nlpbench.records.model import RunRecord, canonical_json

MAX_DICT_LABEL = 48


def build_board(records: Iterable[RunRecord], definition: BoardDefinition,
                reference: Sequence[ReferenceRow] = (), mix_reported: bool = False) -> Board:
    """Build the board of ``definition`` from ``records`` (any order) and published ``reference``
    rows. Reported rows are ranked apart from measured ones unless ``mix_reported``."""
    tasks = set(definition.tasks)
    total = 0
    grouped: dict[str, dict[str, list[RunRecord]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[str, dict[str, Any]] = {}
    for record in records:
        total += 1
        if record.task not in tasks or (definition.jobs is not None and record.job not in definition.jobs):
            continue
        key = row_key(record, definition.row_key)
        row_id = _digest(canonical_json(key))
        keys.setdefault(row_id, key)
        grouped[row_id][record.task].append(record)

    labels = row_labels(keys, definition.row_key)
    measured = [_measured_row(row_id, labels[row_id], keys[row_id], grouped[row_id], definition)
                for row_id in keys]
    reported = [_reported_row(ref, definition) for ref in reference
                if any(task in ref.cells for task in tasks)]
    rows = _rank(measured, reported, mix_reported)

    considered = sum(len(recs) for by_task in grouped.values() for recs in by_task.values())
    used = {rid for r in measured for c in r.cells.values() for rid in c.run_ids}
    failed = sum(len(c.failed_ids) for r in measured for c in r.cells.values())
    created = [rec.created_at for by_task in grouped.values() for recs in by_task.values() for rec in recs
               if rec.id in used]
    stats = {
        "records": total,
        "considered": considered,
        "used": len(used),
        "failed": failed,
        "not_selected": considered - len(used) - failed,
        "latest_record": max(created) if created else None,
    }
    return Board(
        name=definition.name, title=definition.title, version=definition.version,
        columns=definition.columns, rows=tuple(rows), aggregate_name=definition.aggregate_name,
        aggregate_tasks=definition.aggregate_tasks, seed_reduce=definition.seed_reduce,
        description=definition.description, definition_digest=definition.digest,
        mixed=mix_reported, stats=stats,
    )


# -- rows -------------------------------------------------------------------------------------


def field_value(record: RunRecord, path: str) -> Any:
    """A record field (``model``) or a config path (``config.model.config``); None if absent."""
    if path in RECORD_FIELDS:
        return getattr(record, path)
    value: Any = record.config
    for part in path.split(".")[1:]:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def row_key(record: RunRecord, fields: Sequence[str]) -> dict[str, Any]:
    return {name: field_value(record, name) for name in fields}


def row_labels(keys: dict[str, dict[str, Any]], fields: Sequence[str]) -> dict[str, str]:
    """Readable row labels: the first key field always, a later one only where rows that agree on
    the fields shown so far differ in it (dicts show just their differing entries, or a short
    hash when that is long)."""
    varying: list[str] = []
    for i, name in enumerate(fields):
        seen: dict[str, set[str]] = defaultdict(set)
        for key in keys.values():
            shown = canonical_json([key[f] for f in varying])
            seen[shown].add(canonical_json(key[name]))
        if i == 0 or any(len(values) > 1 for values in seen.values()):
            varying.append(name)
    labels = {}
    for row_id, key in keys.items():
        parts = []
        for name in varying:
            value = key[name]
            if value is None and name == "config.model.checkpoint":
                parts.append("random init")  # beside pretrained rows, say what no checkpoint means
                continue
            if value is None:
                continue
            if name == "config.model.checkpoint" and isinstance(value, str):
                parts.append(checkpoint_label(value))
            elif isinstance(value, (dict, list)):
                parts.append(_dict_label(value, [k[name] for k in keys.values()]))
            else:
                text = str(value)
                parts.append(text if len(text) <= MAX_DICT_LABEL else "…" + text[-(MAX_DICT_LABEL - 1):])
        head, rest = (parts[0], parts[1:]) if parts else ("(no key)", [])
        labels[row_id] = head + (f" ({', '.join(rest)})" if rest else "")
    return labels


def checkpoint_label(path: str) -> str:
    """A checkpoint by the run that wrote it: `.../pretrain/bert_mlm_dynamic/checkpoint` reads
    `pretrained bert_mlm_dynamic`; another local folder by its name; a hub id (`org/name`) whole."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if len(parts) > 1 and parts[-1] == "checkpoint":
        name = parts[-2]
    elif path.startswith(("/", ".", "~", "$")) or len(parts) > 2:
        name = parts[-1] if parts else path
    else:
        name = path
    return f"pretrained {name if len(name) <= MAX_DICT_LABEL else '…' + name[-(MAX_DICT_LABEL - 1):]}"


def _dict_label(value: Any, others: list[Any]) -> str:
    if isinstance(value, dict) and all(isinstance(o, dict) or o is None for o in others):
        names = sorted({k for o in others if o for k in o} | set(value))
        differing = [k for k in names
                     if len({canonical_json((o or {}).get(k)) for o in others}) > 1]
        text = ", ".join(f"{k}={value.get(k)}" for k in differing)
        if text and len(text) <= MAX_DICT_LABEL:
            return text
    return "cfg " + _digest(canonical_json(value))[:6]


def _measured_row(row_id: str, label: str, key: dict[str, Any], by_task: dict[str, list[RunRecord]],
                  definition: BoardDefinition) -> Row:
    cells = {c.task: _measured_cell(c, by_task.get(c.task, []), definition) for c in definition.columns}
    return Row(id=row_id, label=label, kind="measured", cells=cells, key=key,
               aggregate=_aggregate(cells, definition))


def _reported_row(ref: ReferenceRow, definition: BoardDefinition) -> Row:
    cells = {}
    for column in definition.columns:
        published = ref.cells.get(column.task)
        if published is None:
            cells[column.task] = Cell(task=column.task, status=ABSENT, headline=column.headline.name)
            continue
        metrics = {}
        for info in column.all_metrics:
            pct = published.metrics.get(info.name)
            if pct is None and info is column.headline:
                pct = published.score
            if pct is not None:
                metrics[info.name] = MetricCell(info.name, pct / info.scale)
        cells[column.task] = Cell(task=column.task, status=REPORTED, metrics=metrics,
                                  headline=column.headline.name, source=published.source)
    published_aggregate = ref.aggregates.get(definition.aggregate_name)
    if published_aggregate is not None:
        aggregate = Aggregate(published_aggregate, tasks_present=_present(cells, definition),
                              tasks_total=len(definition.aggregate_tasks), source="reported")
    else:
        aggregate = _aggregate(cells, definition)
    return Row(id=f"reported-{ref.id}", label=ref.label, kind="reported", cells=cells,
               aggregate=aggregate, source=ref.source, note=ref.note)


def _rank(measured: list[Row], reported: list[Row], mix: bool) -> list[Row]:
    def order(row: Row) -> tuple[bool, float, str]:
        value = row.aggregate.value
        return (value is None, -(value if value is not None else 0.0), row.label)

    def ranked(rows: list[Row], prefix: str) -> list[Row]:
        out = []
        rank = 0
        for row in sorted(rows, key=order):
            rank += row.aggregate.value is not None
            number = rank if row.aggregate.value is not None else None
            label = f"{prefix}{number}" if number is not None else "-"
            out.append(_replace(row, rank=number, rank_label=label))
        return out

    if mix:
        return ranked(measured + reported, "")
    return ranked(measured, "") + ranked(reported, "r")


def _replace(row: Row, **changes: Any) -> Row:
    from dataclasses import replace

    return replace(row, **changes)


# -- cells ------------------------------------------------------------------------------------


def _measured_cell(column: Column, records: list[RunRecord], definition: BoardDefinition) -> Cell:
    headline = column.headline.name
    if not records:
        return Cell(task=column.task, status=ABSENT, headline=headline)
    ok = [r for r in records if r.status == "ok"]
    failed = tuple(sorted(r.id for r in records if r.status != "ok"))
    if not ok:
        return Cell(task=column.task, status=FAILED, headline=headline, failed_ids=failed)

    trials: dict[str, list[RunRecord]] = defaultdict(list)
    for record in ok:
        trials[_trial_id(record, definition)].append(record)
    reduced = {tid: {info.name: _reduce(recs, info.name, column.split, definition.seed_reduce)
                     for info in column.all_metrics}
               for tid, recs in trials.items()}
    best = _best_trial(reduced, trials, column)
    metrics = reduced[best]
    head = metrics[headline]
    if head.value is None:
        status = MISSING
    elif any(m.missing for m in metrics.values()):
        status = PARTIAL
    else:
        status = OK
    chosen = trials[best]
    return Cell(task=column.task, status=status, metrics=metrics, headline=headline,
                run_ids=tuple(sorted(r.id for r in chosen)), failed_ids=failed, trials=len(trials),
                trial=best.split(":", 1)[1], group=chosen[0].group)


def _trial_id(record: RunRecord, definition: BoardDefinition) -> str:
    """``group:digest`` of the record's config without the ignored (seed-like) paths."""
    if definition.trial_select == "pool":
        return "pool:all"
    config = _without(record.config, definition.trial_ignore)
    return f"{record.group or ''}:{_digest(canonical_json(config))}"


def _without(config: dict[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    out = dict(config)
    for path in paths:
        parts = path.split(".")
        node = out
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                break
            node[part] = child = dict(child)  # copy on the way down: the record stays untouched
            node = child
        else:
            node.pop(parts[-1], None)
    return out


def _reduce(records: list[RunRecord], metric: str, split: str, how: str) -> MetricCell:
    values, ids, seeds = [], [], []
    missing = 0
    for record in sorted(records, key=lambda r: (r.seed is None, r.seed or 0, r.id)):
        value = record_metric(record, metric, split)
        if value is None or not math.isfinite(value):
            missing += 1
            continue
        values.append(value)
        ids.append(record.id)
        seeds.append(record.seed)
    if not values:
        return MetricCell(metric, None, missing=missing)
    center = statistics.fmean(values) if how == "mean" else statistics.median(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return MetricCell(metric, center, std, min(values), max(values), len(values), missing,
                      tuple(ids), tuple(seeds))


def record_metric(record: RunRecord, metric: str, split: str) -> float | None:
    """The record's ``metric`` on ``split``; for its headline metric stored only as
    ``headline_value`` (a task score with no Metric entry of any split), that value."""
    value = record.metric(metric, split)
    if value is None and record.headline_metric == metric and record.metric(metric) is None:
        return record.headline_value
    return value


def _best_trial(reduced: dict[str, dict[str, MetricCell]], trials: dict[str, list[RunRecord]],
                column: Column) -> str:
    sign = 1.0 if column.headline.higher_is_better else -1.0
    name = column.headline.name

    def score(tid: str) -> tuple[bool, float, int, str]:
        value = reduced[tid][name].value
        return (value is not None, sign * value if value is not None else 0.0, len(trials[tid]), tid)

    return max(reduced, key=score)


# -- aggregate --------------------------------------------------------------------------------


def _present(cells: dict[str, Cell], definition: BoardDefinition) -> int:
    return sum(cells[t].value is not None for t in definition.aggregate_tasks)


def _aggregate(cells: dict[str, Cell], definition: BoardDefinition) -> Aggregate:
    """Mean of the aggregate tasks' headlines in percent; None unless every one has a value.
    The spread combines the tasks' seed std as if independent: sqrt(sum std^2) / k."""
    tasks = definition.aggregate_tasks
    present = _present(cells, definition)
    if present < len(tasks):
        return Aggregate(None, tasks_present=present, tasks_total=len(tasks))
    values, variances, los, his = [], [], [], []
    for task in tasks:
        scale = definition.column(task).headline.scale
        cell = cells[task].metrics[cells[task].headline]
        assert cell.value is not None
        values.append(cell.value * scale)
        variances.append(((cell.std or 0.0) * scale) ** 2)
        los.append((cell.lo if cell.lo is not None else cell.value) * scale)
        his.append((cell.hi if cell.hi is not None else cell.value) * scale)
    k = len(tasks)
    has_spread = any(cells[t].status != REPORTED for t in tasks)
    return Aggregate(
        statistics.fmean(values), math.sqrt(sum(variances)) / k if has_spread else None,
        statistics.fmean(los), statistics.fmean(his), present, k,
    )


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
