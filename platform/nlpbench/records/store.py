"""The results store: opens any SQLAlchemy URL, appends run records once, reads them back."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Row, create_engine, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from nlpbench.errors import DuplicateRunError, StoreError
from nlpbench.records import schema, sqlite
from nlpbench.records.model import (
    Metric,
    RunRecord,
    canonical_json,
    float_or_nan,
    validate,
)
from nlpbench.records.schema import metrics, runs

T = TypeVar("T")

DEFAULT_URL = "sqlite:///results/records.sqlite"
RETRY_SECONDS = 120.0
CHUNK = 500
JSON_FIELDS = ("config", "components", "versions", "data_hashes", "timings", "artifacts")


def parse_url(url: str) -> URL:
    """Parse a records.url, checking that its database driver is installed."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(
            f"records.url {url!r} is not a database URL; use e.g. {DEFAULT_URL} "
            "or postgresql://user@host/db"
        ) from err
    try:
        parsed.get_dialect().import_dbapi()
    except Exception as err:  # NoSuchModuleError, ImportError
        raise StoreError(
            f"records.url {parsed.render_as_string(hide_password=True)!r} needs a database "
            f"driver that is not available ({err}); install it or use {DEFAULT_URL}"
        ) from err
    return parsed


def check_writable(url: str) -> None:
    """Raise StoreError if the store at ``url`` could not be written; creates nothing.

    Checks SQLite locations only (folder writable, existing file is a SQLite database);
    other backends are checked for a valid URL and installed driver.
    """
    path = sqlite.file_path(parse_url(url))
    if path is not None:
        sqlite.check_writable(path)


def open_store(url: str = DEFAULT_URL) -> Store:
    """Open (creating or migrating as needed) the results store at ``url``."""
    return Store(url)


class Store:
    """An append-only store of :class:`RunRecord`, in SQLite by default or any SQLAlchemy URL."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        parsed = parse_url(url)
        self.path: Path | None = sqlite.file_path(parsed)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.location = str(self.path) if self.path else parsed.render_as_string(True)
        if self.path is not None:
            sqlite.prepare(self.path)
        self.engine: Engine = create_engine(parsed)
        if self.is_sqlite:
            sqlite.configure(self.engine)
        try:
            self._ensure_schema()
        except BaseException:
            self.engine.dispose()
            raise

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    # -- writing -------------------------------------------------------------------------

    def append(self, record: RunRecord) -> None:
        """Write ``record`` and its metrics in one transaction; an existing id is refused."""
        validate(record)
        run_row = encode_run(record)
        metric_rows = [
            {
                "run_id": record.id,
                "position": i,
                "name": m.name,
                "split": m.split,
                "value": float(m.value),
            }
            for i, m in enumerate(record.metrics)
        ]

        def write() -> None:
            with self._transaction(write=True) as conn:
                if conn.execute(select(runs.c.id).where(runs.c.id == record.id)).first():
                    raise self._duplicate(record.id)
                conn.execute(runs.insert(), run_row)
                if metric_rows:
                    conn.execute(metrics.insert(), metric_rows)

        try:
            self._run(write, f"append run {record.id}")
        except StoreError as err:
            # Another writer may have inserted the same id between our check and insert
            # (backends without BEGIN IMMEDIATE); report that as the duplicate it is.
            if isinstance(err.__cause__, IntegrityError) and self._exists(record.id):
                raise self._duplicate(record.id) from err.__cause__
            raise

    # -- reading -------------------------------------------------------------------------

    def get(self, run_id: str) -> RunRecord:
        """The run with id ``run_id``, or the one run whose id starts with it (like git)."""
        if not run_id:
            raise StoreError("an empty run id matches every run; give an id or id prefix")

        def read() -> RunRecord:
            with self._transaction() as conn:
                row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
                if row is None:
                    ids = self._ids_with_prefix(conn, run_id)
                    if len(ids) != 1:
                        raise self._not_unique(run_id, ids)
                    row = conn.execute(select(runs).where(runs.c.id == ids[0])).one()
                return load_records(conn, [row])[0]

        return self._run(read, f"read run {run_id}")

    def query(
        self,
        job: str | None = None,
        status: str | None = None,
        model: str | None = None,
        task: str | None = None,
        objective: str | None = None,
        group: str | None = None,
        limit: int | None = None,
        since: str | datetime | None = None,
    ) -> list[RunRecord]:
        """Runs matching every given filter, newest first; ``since`` is inclusive."""
        where = filters(job, status, model, task, objective, group, since)
        stmt = select(runs).where(*where).order_by(runs.c.created_at.desc(), runs.c.seq.desc())
        if limit is not None:
            stmt = stmt.limit(limit)

        def read() -> list[RunRecord]:
            with self._transaction() as conn:
                return load_records(conn, list(conn.execute(stmt)))

        return self._run(read, "query runs")

    def count(
        self,
        job: str | None = None,
        status: str | None = None,
        model: str | None = None,
        task: str | None = None,
        objective: str | None = None,
        group: str | None = None,
        since: str | datetime | None = None,
    ) -> int:
        """How many runs match every given filter."""
        where = filters(job, status, model, task, objective, group, since)
        stmt = select(func.count()).select_from(runs).where(*where)

        def read() -> int:
            with self._transaction() as conn:
                return int(conn.execute(stmt).scalar_one())

        return self._run(read, "count runs")

    # -- internals -----------------------------------------------------------------------

    def _exists(self, run_id: str) -> bool:
        def read() -> bool:
            with self._transaction() as conn:
                row = conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first()
                return row is not None

        return self._run(read, f"read run {run_id}")

    def _ensure_schema(self) -> None:
        # Fast path: a read-only look, so opening an up-to-date store takes no write lock.
        version = self._run(self._read_version, "open")
        if version == schema.SCHEMA_VERSION:
            return
        if version is not None and version > schema.SCHEMA_VERSION:
            raise StoreError(schema.newer_message(self.location, version))

        def upgrade() -> None:
            with self._transaction(write=True) as conn:
                schema.ensure(conn, self.location)

        try:
            self._run(upgrade, "initialise")
        except StoreError:
            # Another process may have created the tables first (backends without
            # BEGIN IMMEDIATE); accept the store if it is now current.
            if self.is_sqlite or self._run(self._read_version, "open") != schema.SCHEMA_VERSION:
                raise

    def _read_version(self) -> int | None:
        with self._transaction() as conn:
            return schema.read_version(conn, self.location)

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(**{sqlite.WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def _run(self, action: Callable[[], T], what: str) -> T:
        """Run ``action``, retrying SQLite lock errors with backoff; raise StoreError on failure."""
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.05
        while True:
            try:
                return action()
            except StoreError:
                raise
            except SQLAlchemyError as err:
                if sqlite.is_locked(err) and time.monotonic() < deadline:
                    time.sleep(delay * random.uniform(0.5, 1.5))
                    delay = min(delay * 2, 2.0)
                    continue
                raise self._translate(err, what) from err

    def _translate(self, err: SQLAlchemyError, what: str) -> StoreError:
        orig = getattr(err, "orig", None)
        detail = str(orig if orig is not None else err).strip()
        lowered = detail.lower()
        if self.path is not None and (
            "file is not a database" in lowered or "malformed" in lowered
        ):
            return sqlite.not_a_database(self.path)
        if "unable to open database file" in lowered:
            return StoreError(
                f"cannot open the results store {self.location} ({detail}). Check that its "
                f"folder exists and is writable, or {sqlite.FIX_URL}"
            )
        if "readonly database" in lowered:
            return StoreError(
                f"the results store {self.location} is read-only. Fix its "
                f"permissions or {sqlite.FIX_URL}"
            )
        if sqlite.is_locked(err):
            return StoreError(
                f"the results store {self.location} stayed locked by another process for "
                f"{RETRY_SECONDS:.0f}s while trying to {what}. Retry when it is free"
            )
        kind = "database error" if isinstance(err, DatabaseError) else type(err).__name__
        return StoreError(f"results store {self.location}: could not {what}: {kind}: {detail}")

    def _duplicate(self, run_id: str) -> StoreError:
        return DuplicateRunError(
            f"record {run_id} already exists in {self.location}; records are append-only. "
            "Give the new run another id"
        )

    @staticmethod
    def _ids_with_prefix(conn: Connection, prefix: str) -> list[str]:
        # substr, not LIKE: LIKE is case-insensitive in SQLite and treats _ and % specially.
        stmt = (
            select(runs.c.id)
            .where(func.substr(runs.c.id, 1, len(prefix)) == prefix)
            .order_by(runs.c.id)
            .limit(11)
        )
        return list(conn.execute(stmt).scalars())

    def _not_unique(self, run_id: str, ids: Sequence[str]) -> StoreError:
        if not ids:
            return StoreError(f"no run with id or id prefix {run_id!r} in {self.location}")
        shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
        return StoreError(
            f"run id prefix {run_id!r} is ambiguous in {self.location}; it matches {shown}. "
            "Give more characters of the id"
        )


def filters(
    job: str | None,
    status: str | None,
    model: str | None,
    task: str | None,
    objective: str | None,
    group: str | None,
    since: str | datetime | None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses for the given (non-None) query filters."""
    equal = {
        "job": job,
        "status": status,
        "model": model,
        "task": task,
        "objective": objective,
        "group": group,
    }
    where = [runs.c[name] == value for name, value in equal.items() if value is not None]
    if since is not None:
        where.append(runs.c.created_at >= since_text(since))
    return where


def since_text(since: str | datetime) -> str:
    """``since`` as text comparable with stored created_at (ISO-8601 UTC)."""
    if isinstance(since, str):
        return since
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since.astimezone(UTC).isoformat(timespec="microseconds")


def encode_run(record: RunRecord) -> dict[str, Any]:
    """The ``runs`` row for ``record``, dict fields as canonical JSON."""
    row: dict[str, Any] = {
        "id": record.id,
        "job": record.job,
        "status": record.status,
        "model": record.model,
        "task": record.task,
        "objective": record.objective,
        "group": record.group,
        "config_hash": record.config_hash,
        "seed": record.seed,
        "git_commit": record.git_commit,
        "git_dirty": record.git_dirty,
        "headline_metric": record.headline_metric,
        "headline_value": record.headline_value,
        "error": record.error,
        "command": record.command,
        "created_at": record.created_at,
    }
    for name in JSON_FIELDS:
        try:
            row[name] = canonical_json(getattr(record, name))
        except (TypeError, ValueError) as err:
            raise StoreError(f"cannot store run record {record.id!r}: field {name}: {err}") from err
    return row


def decode_run(row: Row[Any], run_metrics: list[Metric]) -> RunRecord:
    """The RunRecord for a ``runs`` row and its metrics."""
    data = row._asdict()
    return RunRecord(
        id=data["id"],
        job=data["job"],
        status=data["status"],
        model=data["model"],
        task=data["task"],
        objective=data["objective"],
        group=data["group"],
        config_hash=data["config_hash"],
        seed=data["seed"],
        git_commit=data["git_commit"],
        git_dirty=data["git_dirty"],
        headline_metric=data["headline_metric"],
        headline_value=data["headline_value"],
        error=data["error"],
        command=data["command"],
        created_at=data["created_at"],
        metrics=run_metrics,
        **{name: json.loads(data[name]) for name in JSON_FIELDS},
    )


def load_records(conn: Connection, rows: list[Row[Any]]) -> list[RunRecord]:
    """Decode ``rows`` of ``runs``, fetching their metrics in a few batched queries."""
    by_run: dict[str, list[Metric]] = {row.id: [] for row in rows}
    ids = list(by_run)
    for start in range(0, len(ids), CHUNK):
        stmt = (
            select(metrics.c.run_id, metrics.c.name, metrics.c.split, metrics.c.value)
            .where(metrics.c.run_id.in_(ids[start : start + CHUNK]))
            .order_by(metrics.c.run_id, metrics.c.position)
        )
        for run_id, name, split, value in conn.execute(stmt):
            by_run[run_id].append(Metric(name, split, float_or_nan(value)))
    return [decode_run(row, by_run[row.id]) for row in rows]
