"""What every run job shares: one record per run, appended once, ok or failed with its error; a record
the store refuses (locked, read-only, disk full) is kept as a file for `nlpbench runs add`."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, DuplicateRunError, StoreError
from nlpbench.records import RunRecord

KEPT_NAME = "record.json"  # in the run's folder, or under the temp folder's nlpbench-records/


def describe_error(err: BaseException) -> str:
    if isinstance(err, SystemExit):  # Lightning turns Ctrl-C / SIGTERM into a graceful exit(1)
        return "interrupted: training stopped by KeyboardInterrupt or SIGTERM; rerun to resume"
    return f"{type(err).__name__}: {err}"


def run_recorded(url: str, record: RunRecord, work: Callable[[float], Any]) -> RunRecord:
    """Call ``work(started)`` (it returns the W&B logger or None) and append ``record``: ok, or
    failed with the error (then re-raised). A ConfigError found late records nothing."""
    from nlpbench.records import open_store

    store = open_store(url)  # a corrupt or unwritable store fails before any work
    started = time.perf_counter()
    try:
        logger = work(started)
        record.status = "ok"
    except ConfigError:
        raise  # a user mistake found late: nothing ran worth recording
    except BaseException as err:  # noqa: BLE001 - a failed run is recorded as failed, then re-raised
        record.status, record.error = "failed", describe_error(err)
        record.timings["total"] = time.perf_counter() - started
        try:
            append_or_keep(store, record)
        except StoreError as lost:
            print(f"error: {lost}", file=sys.stderr)  # the run's own error follows
        raise
    record.timings["total"] = time.perf_counter() - started
    finish_tracking(logger, record)
    append_or_keep(store, record)
    return record


def append_or_keep(store: Any, record: RunRecord) -> None:
    """Append ``record``; when the store refuses it, keep it as JSON (``keep_record``) and raise a
    StoreError that says why, where the record is and how to add it later. Nothing stored is touched."""
    try:
        store.append(record)
    except DuplicateRunError:
        raise  # the stored record stays; nothing of this one to keep
    except StoreError as err:
        text = json.dumps(record.to_dict(), indent=2)
        kept = keep_record(record, text)
        where = (f"its record is kept in {kept}; add it once the store takes writes again: "
                 f"`nlpbench runs add {kept}`" if kept is not None else
                 f"its record could not be written to a file either, so here it is (save it as "
                 f"{KEPT_NAME}, then `nlpbench runs add {KEPT_NAME}`):\n{text}")
        raise StoreError(f"{err}. The run itself ended ({record.status}); {where}") from err


def keep_record(record: RunRecord, text: str) -> Path | None:
    """Write the record next to the run's outputs, else under the temp folder; None if both fail."""
    from nlpbench.fsio import write_text_atomic

    places = [Path(record.artifacts["run_dir"]) / KEPT_NAME] if record.artifacts.get("run_dir") else []
    places.append(Path(tempfile.gettempdir()) / "nlpbench-records" / f"{record.id}.json")
    for path in places:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text + "\n")
            return path
        except OSError:
            continue
    return None


def finish_tracking(logger: Any, record: RunRecord) -> None:
    """Write the record id, status and metrics into the W&B summary and close the run."""
    from nlpbench.tracking import finish

    if logger is None:
        return
    summary: dict[str, object] = {"record_id": record.id, "status": record.status}
    summary.update({f"{m.split}/{m.name}": m.value for m in record.metrics})
    run_dir = finish(logger, summary, failed=record.status != "ok")
    if run_dir:
        record.artifacts["wandb_dir"] = run_dir
