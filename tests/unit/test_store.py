"""Tests for the results store (nlpbench.records): round trips, append-only, lookup, queries,
concurrency, bad locations, schema versions and migrations, rendering."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from nlpbench.errors import StoreError
from nlpbench.records import (
    Metric,
    RunRecord,
    Store,
    check_writable,
    config_hash,
    open_store,
)
from nlpbench.records import schema as store_schema
from nlpbench.records.render import record_detail, runs_table

HERE = Path(__file__).resolve().parent


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "results" / "records.sqlite"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with open_store(url_of(db)) as s:
        yield s


def full_record(**overrides: object) -> RunRecord:
    values: dict[str, object] = dict(
        id="0123456789ab",
        job="finetune",
        status="ok",
        model="bert_tiny",
        task="glue/rte",
        objective="mlm_dynamic",
        group="sweep-7",
        config={"trainer": {"lr": 3e-4, "epochs": 2}, "model": "bert_tiny", "tags": ["a", "ü"]},
        components={"model": {"name": "bert_tiny", "version": 1}, "task": {"name": "glue/rte"}},
        versions={"torch": "2.3.0", "transformers": "4.41.0"},
        seed=17,
        git_commit="deadbeef" * 5,
        git_dirty=True,
        data_hashes={"train": "aa11", "validation": "bb22"},
        metrics=[Metric("accuracy", "validation", 0.8125), Metric("loss", "train", 0.25)],
        headline_metric="accuracy",
        headline_value=0.8125,
        error=None,
        timings={"total": 65.5, "train": 60.0},
        artifacts={"checkpoint": "results/ckpt/last.ckpt"},
        command="nlpbench finetune model=bert_tiny task=glue/rte seed=17",
        created_at="2025-01-02T03:04:05.000006+00:00",
    )
    values.update(overrides)
    return RunRecord(**values)  # type: ignore[arg-type]


def raw(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


# -- record model ------------------------------------------------------------------------


def test_config_hash_is_canonical_and_filled_in() -> None:
    a = config_hash({"x": 1, "y": {"b": 2, "a": [1, 2]}})
    assert a == config_hash({"y": {"a": [1, 2], "b": 2}, "x": 1})
    assert a != config_hash({"x": 2, "y": {"b": 2, "a": [1, 2]}})
    assert len(a) == 16 and int(a, 16) >= 0
    record = RunRecord(job="pretrain", status="ok", config={"x": 1})
    assert record.config_hash == config_hash({"x": 1})
    assert len(record.id) == 12 and record.id != RunRecord(job="p", status="ok").id
    assert datetime.fromisoformat(record.created_at).tzinfo is not None


def test_to_dict_from_dict_round_trip() -> None:
    record = full_record(error="boom", status="failed")
    data = json.loads(json.dumps(record.to_dict()))
    assert data["metrics"][0] == {"name": "accuracy", "split": "validation", "value": 0.8125}
    assert RunRecord.from_dict(data) == record
    with pytest.raises(StoreError, match="unknown run record field.*colour"):
        RunRecord.from_dict({**data, "colour": "red"})


# -- append / get ------------------------------------------------------------------------


def test_round_trip_of_every_field(store: Store) -> None:
    record = full_record()
    store.append(record)
    back = store.get(record.id)
    assert back == record
    assert back.to_dict() == record.to_dict()
    failed = full_record(
        id="f" * 12,
        status="failed",
        error="Traceback...\nValueError: x",
        metrics=[],
        headline_metric=None,
        headline_value=None,
        seed=None,
        git_dirty=None,
        model=None,
        task=None,
        objective=None,
        group=None,
    )
    store.append(failed)
    assert store.get(failed.id) == failed


def test_nan_metric_survives(store: Store) -> None:
    store.append(full_record(metrics=[Metric("loss", "train", float("nan"))]))
    value = store.get("0123456789ab").metrics[0].value
    assert value != value  # NaN


def test_append_only_rejects_duplicate_id_and_keeps_original(store: Store, db: Path) -> None:
    original = full_record()
    store.append(original)
    with pytest.raises(StoreError, match="record 0123456789ab already exists.*append-only"):
        store.append(full_record(status="failed", metrics=[Metric("x", "test", 1.0)]))
    assert store.count() == 1
    assert store.get(original.id) == original
    assert raw(db, "SELECT COUNT(*) FROM metrics") == [(2,)]


def test_append_writes_run_and_metrics_in_one_transaction(store: Store, db: Path) -> None:
    # A trigger makes the second metric insert fail: the run row must not be left behind.
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON metrics WHEN NEW.name = 'boom' "
        "BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    conn.commit()
    conn.close()
    bad = full_record(metrics=[Metric("fine", "validation", 1.0), Metric("boom", "test", 2.0)])
    with pytest.raises(StoreError, match="boom"):
        store.append(bad)
    assert store.count() == 0
    assert raw(db, "SELECT COUNT(*) FROM metrics") == [(0,)]


def test_invalid_records_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="status must be one of ok, failed"):
        store.append(full_record(status="running"))
    with pytest.raises(StoreError, match="field config.*not JSON-serializable"):
        store.append(full_record(config={"fn": object()}, config_hash="x"))
    with pytest.raises(StoreError, match="metric acc/val value must be a number"):
        store.append(full_record(metrics=[Metric("acc", "val", "high")]))  # type: ignore[arg-type]
    assert store.count() == 0


def test_get_by_unique_prefix_ambiguous_and_unknown(store: Store) -> None:
    for run_id in ("abc123", "abd456", "x_y"):
        store.append(full_record(id=run_id))
    assert store.get("abc").id == "abc123"
    assert store.get("abd456").id == "abd456"
    with pytest.raises(StoreError, match="prefix 'ab' is ambiguous.*abc123, abd456"):
        store.get("ab")
    with pytest.raises(StoreError, match="no run with id or id prefix 'zzz'"):
        store.get("zzz")
    with pytest.raises(StoreError, match="no run"):
        store.get("ABC")  # ids are case-sensitive
    with pytest.raises(StoreError, match="no run"):
        store.get("x%")  # no LIKE wildcards
    with pytest.raises(StoreError, match="empty run id"):
        store.get("")


# -- query / count -----------------------------------------------------------------------


def test_query_filters_and_newest_first(store: Store) -> None:
    t0 = datetime(2025, 3, 1, tzinfo=UTC)
    specs = [
        ("r0", "finetune", "ok", "bert", "glue/rte", "mlm", "g1"),
        ("r1", "finetune", "failed", "bert", "glue/sst2", "mlm", "g1"),
        ("r2", "pretrain", "ok", "gpt", None, "clm", None),
        ("r3", "finetune", "ok", "gpt", "glue/rte", "clm", "g2"),
    ]
    for i, (run_id, job, status, model, task, objective, group) in enumerate(specs):
        store.append(
            full_record(
                id=run_id,
                job=job,
                status=status,
                model=model,
                task=task,
                objective=objective,
                group=group,
                created_at=(t0 + timedelta(hours=i)).isoformat(timespec="microseconds"),
            )
        )

    def ids(**kw: object) -> list[str]:
        return [r.id for r in store.query(**kw)]  # type: ignore[arg-type]

    assert ids() == ["r3", "r2", "r1", "r0"]
    assert ids(job="finetune") == ["r3", "r1", "r0"]
    assert ids(status="failed") == ["r1"]
    assert ids(model="gpt") == ["r3", "r2"]
    assert ids(task="glue/rte") == ["r3", "r0"]
    assert ids(objective="mlm") == ["r1", "r0"]
    assert ids(group="g1") == ["r1", "r0"]
    assert ids(job="finetune", model="bert", status="ok") == ["r0"]
    assert ids(limit=2) == ["r3", "r2"]
    assert ids(since=t0 + timedelta(hours=2)) == ["r3", "r2"]
    assert ids(since=(t0 + timedelta(hours=1)).isoformat()) == ["r3", "r2", "r1"]
    assert ids(since=datetime(2025, 3, 1, 3)) == ["r3"]  # naive means UTC
    assert ids(model="nope") == []
    assert [len(r.metrics) for r in store.query()] == [2, 2, 2, 2]

    assert store.count() == 4
    assert store.count(job="finetune") == 3
    assert store.count(group="g2", status="ok") == 1
    assert store.count(since="2025-03-01T02") == 2


def test_same_timestamp_keeps_insertion_order(store: Store) -> None:
    for run_id in ("b", "a", "c"):
        store.append(full_record(id=run_id))
    assert [r.id for r in store.query()] == ["c", "a", "b"]


def test_many_records_load_with_their_metrics(store: Store) -> None:
    for i in range(600):  # more than one batch of metric lookups
        store.append(full_record(id=f"run{i:04d}", metrics=[Metric("m", "val", float(i))]))
    records = store.query()
    assert len(records) == 600
    assert all(r.metrics == [Metric("m", "val", float(r.id[3:]))] for r in records)


# -- concurrency -------------------------------------------------------------------------


def test_concurrent_appends_from_eight_processes_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spawned children start with the parent's sys.path, so they can import the worker
    # module and nlpbench however pytest was configured.
    monkeypatch.syspath_prepend(str(HERE))
    import _store_worker

    workers, per_worker = 8, 25
    db = tmp_path / "fresh" / "records.sqlite"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    procs = [
        ctx.Process(target=_store_worker.append_many, args=(url_of(db), w, per_worker, barrier))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * workers

    total = workers * per_worker
    per_run = _store_worker.METRICS_PER_RUN
    assert raw(db, "SELECT COUNT(*), COUNT(DISTINCT id) FROM runs") == [(total, total)]
    assert raw(db, "SELECT COUNT(*) FROM metrics") == [(total * per_run,)]
    assert raw(db, "SELECT COUNT(*) FROM (SELECT DISTINCT run_id, name, split FROM metrics)") == [
        (total * per_run,)
    ]
    assert raw(db, "SELECT COUNT(*) FROM meta") == [(1,)]
    expected = {f"w{w}-{i:03d}" for w in range(workers) for i in range(per_worker)}
    with open_store(url_of(db)) as store:
        records = store.query()
    assert {r.id for r in records} == expected
    assert all(len(r.metrics) == per_run for r in records)
    assert raw(db, "PRAGMA journal_mode") == [("wal",)]


# -- bad locations and files -------------------------------------------------------------


@pytest.mark.parametrize("content", [os.urandom(4096), b"name,score\nbert,0.9\n" * 10])
def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "records.sqlite"
    path.write_bytes(content)
    for attempt in (lambda: open_store(url_of(path)), lambda: check_writable(url_of(path))):
        with pytest.raises(StoreError) as info:
            attempt()
        message = str(info.value)
        assert str(path) in message
        assert "is not a valid SQLite results store (file is not a database)" in message
        assert "Move it aside or point records.url at another file" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.sqlite"]


def test_damaged_database_body_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "records.sqlite"
    open_store(url_of(path)).close()
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # keep the header, destroy the rest
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="not a valid SQLite results store"):
        open_store(url_of(path))


@pytest.mark.parametrize("tail", ["records.sqlite", "deeper/records.sqlite"])
def test_unwritable_location_is_refused_and_nothing_created(tmp_path: Path, tail: str) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    path = afile / tail
    for attempt in (lambda: check_writable(url_of(path)), lambda: open_store(url_of(path))):
        with pytest.raises(StoreError) as info:
            attempt()
        assert str(path) in str(info.value)
        assert f"{afile} is not a directory" in str(info.value)
        assert "records.url" in str(info.value)
    assert afile.read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["afile"]


def test_check_writable_accepts_new_location_without_creating_it(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "records.sqlite"
    check_writable(url_of(path))
    assert list(tmp_path.iterdir()) == []
    check_writable("sqlite://")  # in-memory: nothing to check
    open_store(url_of(path)).close()
    check_writable(url_of(path))  # an existing store is fine too


def test_directory_and_bad_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory; records.url must name a file"):
        open_store(url_of(tmp_path))
    with pytest.raises(StoreError, match="is not a database URL"):
        open_store("results/records.sqlite")
    with pytest.raises(StoreError, match="driver that is not available"):
        check_writable("postgresql+nosuchdriver://u@localhost/db")


def test_foreign_database_with_clashing_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    raw(path, "CREATE TABLE runs (x INTEGER)")
    with pytest.raises(StoreError, match="not an nlpbench results store"):
        open_store(url_of(path))


# -- schema versions and migrations ------------------------------------------------------


def schema_version(db: Path) -> int:
    return int(raw(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0])


def columns(db: Path, table: str) -> list[str]:
    return [row[1] for row in raw(db, f"PRAGMA table_info({table})")]


def test_new_store_is_stamped_with_current_version(store: Store, db: Path) -> None:
    assert schema_version(db) == store_schema.SCHEMA_VERSION == 1


def test_store_from_newer_nlpbench_is_refused(db: Path) -> None:
    open_store(url_of(db)).close()
    raw(db, "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match=r"written by a newer nlpbench \(schema v2\).*Upgrade"):
        open_store(url_of(db))
    assert schema_version(db) == 2


def add_note_column(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE runs ADD COLUMN note TEXT"))


def test_migration_from_v1_to_v2_is_applied_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(url_of(db)) as v1:
        v1.append(full_record())
    calls: list[int] = []

    def migrate(conn: Connection) -> None:
        calls.append(1)
        add_note_column(conn)

    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_schema, "MIGRATIONS", {1: migrate})
    with open_store(url_of(db)) as v2:
        assert v2.get("0123456789ab") == full_record()
        v2.append(full_record(id="after"))
        assert v2.count() == 2
    assert schema_version(db) == 2
    assert "note" in columns(db, "runs")
    open_store(url_of(db)).close()
    assert calls == [1]


def test_failed_migration_leaves_store_unchanged(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(url_of(db)).close()

    def broken(conn: Connection) -> None:
        add_note_column(conn)
        raise RuntimeError("step exploded")

    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_schema, "MIGRATIONS", {1: broken})
    with pytest.raises(StoreError, match="from schema v1 to v2 failed: step exploded.*v1"):
        open_store(url_of(db))
    assert schema_version(db) == 1
    assert "note" not in columns(db, "runs")

    monkeypatch.setattr(store_schema, "MIGRATIONS", {})
    with pytest.raises(StoreError, match="no migration from results-store schema v1 to v2"):
        open_store(url_of(db))


# -- rendering ---------------------------------------------------------------------------


def test_runs_table_shows_ids_and_headlines() -> None:
    from rich.console import Console

    records = [
        full_record(),
        full_record(
            id="feedfacecafe", status="failed", seed=None, headline_metric=None, timings={}
        ),
    ]
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(runs_table(records))
    rendered = out.getvalue()
    for expected in (
        "0123456789ab",
        "feedfacecafe",
        "accuracy=0.8125",
        "1m06s",
        "failed",
        "bert_tiny",
        "glue/rte",
        "01-02 03:04",  # on screen: month-day hour:minute
        "17",
    ):
        assert expected in rendered


def test_a_narrow_terminal_folds_cells_and_keeps_ids_whole() -> None:
    from rich.console import Console

    from nlpbench.records.render import runs_text

    record = full_record(task="synthetic/superglue/multirc")
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(runs_table([record]))
    rendered = out.getvalue()
    assert "…" not in rendered and record.id in rendered and "finetune" in rendered
    assert max(len(line) for line in rendered.splitlines()) <= 80
    lines = rendered.splitlines()
    first = next(i for i, line in enumerate(lines) if record.id in line)
    start = lines[first].index("synth")  # the task column: read it down the folded row
    width = len(lines[first][start:].split()[0])
    folded = "".join(line[start:start + width].strip() for line in lines[first:] if line.strip())
    assert folded == "synthetic/superglue/multirc"
    narrow = io.StringIO()
    Console(file=narrow, width=80, color_system=None).print(runs_table([record], columns=("id", "task")))
    assert "synthetic/superglue/multirc" in narrow.getvalue()  # two columns fit on one line
    text = runs_text([record], ("id", "created", "headline")).splitlines()
    assert text == ["id\tcreated\theadline", f"{record.id}\t2025-01-02 03:04:05\taccuracy=0.8125"]


def test_record_detail_shows_every_field() -> None:
    record = full_record(error="ValueError: bad batch")
    detail = record_detail(record)
    for expected in (
        record.id,
        record.created_at,
        "finetune",
        "mlm_dynamic",
        "sweep-7",
        record.config_hash,
        record.git_commit,
        "git dirty:",
        "True",
        "accuracy=0.8125",
        record.command,
        "ValueError: bad batch",
        "transformers: 4.41.0",
        "train: aa11",
        "total: 65.5",
        "checkpoint: results/ckpt/last.ckpt",
        "validation",
        "0.8125",
        "loss",
        "0.25",
        "lr: 0.0003",
        "epochs: 2",
        "version: 1",
    ):
        assert str(expected) in detail, expected
    assert "(none)" in record_detail(RunRecord(job="pretrain", status="ok"))
