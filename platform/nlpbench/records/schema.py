"""The store's tables, its schema version, and the migrations that bring old stores up to date."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    inspect,
    select,
    update,
)

from nlpbench.errors import StoreError

# Bump when the tables change, and add the step from the old version to MIGRATIONS.
SCHEMA_VERSION = 1

# MIGRATIONS[n] upgrades a store from schema version n to n + 1. Each step runs inside the
# transaction that also records the new version, so a failed step leaves the store untouched.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    # seq only breaks ties in created_at so "newest first" is deterministic.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("job", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("model", String(255), index=True),
    Column("task", String(255), index=True),
    Column("objective", String(255), index=True),
    Column("group", String(255), index=True),
    Column("config", Text, nullable=False),
    Column("config_hash", String(64), nullable=False, index=True),
    Column("components", Text, nullable=False),
    Column("versions", Text, nullable=False),
    Column("seed", Integer),
    Column("git_commit", String(64)),
    Column("git_dirty", Boolean),
    Column("data_hashes", Text, nullable=False),
    Column("headline_metric", String(255)),
    Column("headline_value", Float),
    Column("error", Text),
    Column("timings", Text, nullable=False),
    Column("artifacts", Text, nullable=False),
    Column("command", Text),
    Column("created_at", String(40), nullable=False, index=True),
)

metrics = Table(
    "metrics",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(255), nullable=False),
    Column("split", String(64), nullable=False),
    # Nullable because SQLite stores NaN as NULL.
    Column("value", Float),
    PrimaryKeyConstraint("run_id", "position"),
    Index("ix_metrics_name_split", "name", "split"),
)

OUR_TABLES = ("meta", "runs", "metrics")


def read_version(conn: Connection, location: str) -> int | None:
    """The store's schema version, or None for a database that holds no nlpbench tables."""
    tables = set(inspect(conn).get_table_names())
    if "meta" not in tables:
        clashing = sorted(tables & set(OUR_TABLES))
        if clashing:
            raise StoreError(
                f"the database {location} has table(s) {', '.join(clashing)} but no nlpbench "
                "'meta' table, so it is not an nlpbench results store. "
                "Point records.url at another database"
            )
        return None
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    if row is None:
        raise StoreError(
            f"the results store {location} has no schema_version in its 'meta' table "
            "(damaged store). Move it aside or point records.url at another database"
        )
    return int(row[0])


def create(conn: Connection) -> None:
    """Create every table in an empty database and stamp it with SCHEMA_VERSION."""
    metadata.create_all(conn, checkfirst=True)
    conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))


def migrate(conn: Connection, current: int) -> None:
    """Apply MIGRATIONS[current], [current + 1], ... up to SCHEMA_VERSION on ``conn``."""
    for version in range(current, SCHEMA_VERSION):
        step = MIGRATIONS.get(version)
        if step is None:
            raise StoreError(
                f"no migration from results-store schema v{version} to v{version + 1}; "
                "this nlpbench cannot open the store"
            )
        step(conn)
        conn.execute(
            update(meta).where(meta.c.key == "schema_version").values(value=str(version + 1))
        )


def ensure(conn: Connection, location: str) -> None:
    """Bring the store on ``conn`` to SCHEMA_VERSION: create it, migrate it, or refuse it.

    Runs inside the caller's (write-locked) transaction so concurrent openers serialize.
    """
    version = read_version(conn, location)
    if version is None:
        create(conn)
    elif version > SCHEMA_VERSION:
        raise StoreError(newer_message(location, version))
    elif version < SCHEMA_VERSION:
        try:
            migrate(conn, version)
        except StoreError:
            raise
        except Exception as err:
            raise StoreError(
                f"migrating the results store {location} from schema v{version} to "
                f"v{SCHEMA_VERSION} failed: {err}. The store was left unchanged at v{version}"
            ) from err


def newer_message(location: str, version: int) -> str:
    return (
        f"the results store {location} was written by a newer nlpbench (schema v{version}); "
        f"this nlpbench reads schema v{SCHEMA_VERSION}. Upgrade nlpbench, or point "
        "records.url at another file"
    )
