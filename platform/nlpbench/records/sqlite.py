"""SQLite specifics of the store: file checks, WAL + busy timeout, write locks, lock detection."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from nlpbench.errors import StoreError

BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_OPTION = "nlpbench_write"
FIX_URL = "point records.url at another file"


def file_path(url: URL) -> Path | None:
    """The database file of a SQLite URL; None for other backends and in-memory databases."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute()


def not_a_database(path: Path) -> StoreError:
    return StoreError(
        f"{path} is not a valid SQLite results store (file is not a database). "
        f"Move it aside or {FIX_URL}"
    )


def check_existing(path: Path) -> None:
    """Refuse a path that is a directory or a file that is not SQLite, reading only its header."""
    if path.is_dir():
        raise StoreError(
            f"the results store {path} is a directory; records.url must name a file, "
            f"e.g. sqlite:///{path / 'records.sqlite'}"
        )
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as err:
        raise StoreError(
            f"cannot read the results store {path}: {err.strerror}. Fix its "
            f"permissions or {FIX_URL}"
        ) from err
    # An empty file is a valid, empty SQLite database.
    if header and header != SQLITE_HEADER:
        raise not_a_database(path)


# Store files whose header this process has read. SQLite's locks are POSIX advisory locks, which a
# process loses on ALL its connections to a file as soon as it closes ANY descriptor of that file;
# reading the header again while a connection is open would drop its locks, and another process
# could then reset the write-ahead log and lose committed records. So each file is read once.
_CHECKED: set[Path] = set()


def check_writable(path: Path) -> None:
    """Raise StoreError unless ``path`` could be written (or created); creates nothing."""
    if path.exists():
        if path not in _CHECKED:  # see _CHECKED: never reopen a file this process has connections to
            check_existing(path)
            _CHECKED.add(path)
        if not os.access(path, os.W_OK):
            raise StoreError(
                f"the results store {path} is read-only. Fix its permissions or {FIX_URL}"
            )
        directory = path.parent
    else:
        directory = nearest_existing(path.parent)
        if not directory.is_dir():
            raise StoreError(
                f"cannot create the results store {path}: {directory} is not a directory. "
                f"Point records.url at a writable location such as sqlite:///results/records.sqlite"
            )
    # SQLite writes its -wal and -shm files next to the database, so the folder must be writable.
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StoreError(
            f"cannot write the results store {path}: directory {directory} is not writable. "
            f"Fix its permissions or {FIX_URL}"
        )


def nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def prepare(path: Path) -> None:
    """Check an existing store file (once per process, see ``_CHECKED``), or check and create the
    folders for a new one."""
    if path in _CHECKED:
        return
    if path.exists():
        check_existing(path)
        _CHECKED.add(path)
        return
    check_writable(path)
    _CHECKED.add(path)  # SQLite creates it: nothing to check later
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(
            f"cannot create the folder {path.parent} for the results store: "
            f"{err.strerror}. Point records.url at a writable location"
        ) from err


def configure(engine: Engine) -> None:
    """Set WAL and a busy timeout on every connection, and take SQLite's write lock up front.

    pysqlite's own BEGIN is switched off so that writes can use BEGIN IMMEDIATE: taking the
    write lock at the start (waiting up to the busy timeout) avoids the deadlock-prone upgrade
    from a read lock that makes concurrent writers fail at once with "database is locked".
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_locked(err: BaseException) -> bool:
    """True for SQLite's transient lock errors, which are worth retrying."""
    if not isinstance(err, OperationalError):
        return False
    text = str(err.orig).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text
