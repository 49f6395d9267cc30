"""What every run job shares: one record per run, appended once, ok or failed with its error."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from nlpbench.errors import ConfigError
from nlpbench.records import RunRecord


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
        store.append(record)
        raise
    record.timings["total"] = time.perf_counter() - started
    finish_tracking(logger, record)
    store.append(record)
    return record


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
