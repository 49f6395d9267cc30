"""The results store: append-only run records in SQLite by default, or any SQLAlchemy URL.

from nlpbench.records import Metric, RunRecord, open_store

with open_store("sqlite:///results/records.sqlite") as store:
    store.append(RunRecord(job="finetune", status="ok", metrics=[Metric("acc", "val", 0.9)]))
    latest = store.query(job="finetune", limit=5)
"""

from __future__ import annotations

from nlpbench.records.model import STATUSES, Metric, RunRecord, config_hash, new_run_id
from nlpbench.records.schema import MIGRATIONS, SCHEMA_VERSION
from nlpbench.records.store import DEFAULT_URL, Store, check_writable, open_store

__all__ = [
    "DEFAULT_URL",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATUSES",
    "Metric",
    "RunRecord",
    "Store",
    "check_writable",
    "config_hash",
    "new_run_id",
    "open_store",
]
