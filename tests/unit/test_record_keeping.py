"""A run whose record the store refuses (locked past its timeout, read-only, disk full) keeps the record
as a file and says where; `nlpbench runs add` stores it later; nothing already stored is lost."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import pytest

from nlpbench.errors import StoreError
from nlpbench.records import open_store
from nlpbench.records import sqlite as sqlite_module
from nlpbench.records import store as store_module
from nlpbench.records.model import new_run_id
from nlpbench.runners.recording import run_recorded
from tests.conftest import run_cli
from tests.unit.test_store import full_record


def _stored_and_new(tmp_path: Path) -> tuple[str, str, object]:
    """A store holding one record, and a new record whose run folder is under tmp_path."""
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    earlier = full_record(id=new_run_id())
    open_store(url).append(earlier)
    record = full_record(id=new_run_id())
    record.artifacts = {"run_dir": str(tmp_path / "runs" / record.id)}
    return url, earlier.id, record


def _refusing(monkeypatch: pytest.MonkeyPatch, detail: str) -> None:
    def refuse(self: object, record: object) -> None:
        raise StoreError(f"results store {self}: could not append run: database error: {detail}")

    monkeypatch.setattr(store_module.Store, "append", refuse)


def test_a_store_locked_past_its_timeout_keeps_the_record_and_runs_add_stores_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, earlier, record = _stored_and_new(tmp_path)
    monkeypatch.setattr(store_module, "RETRY_SECONDS", 0.3)
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(tmp_path / "records.sqlite", isolation_level=None)

    def work(started: float) -> None:
        holder.execute("BEGIN IMMEDIATE")  # another process's write lock, held past the timeout

    with pytest.raises(StoreError) as err:
        run_recorded(url, record, work)  # type: ignore[arg-type]
    kept = Path(record.artifacts["run_dir"]) / "record.json"  # type: ignore[attr-defined]
    message = str(err.value)
    assert "locked" in message and f"nlpbench runs add {kept}" in message
    assert json.loads(kept.read_text())["id"] == record.id  # type: ignore[attr-defined]
    holder.execute("ROLLBACK")
    holder.close()

    added = run_cli("runs", "add", str(kept), f"records.url={url}")
    assert added.returncode == 0, added.stderr
    assert f"added run {record.id}" in added.stdout  # type: ignore[attr-defined]
    again = run_cli("runs", "add", str(kept), f"records.url={url}")
    assert again.returncode == 0 and "already in" in again.stdout
    stored = {r.id: r for r in open_store(url).query()}
    assert set(stored) == {earlier, record.id}  # type: ignore[attr-defined]
    assert stored[record.id].metrics == record.metrics  # type: ignore[attr-defined]


def test_a_full_disk_keeps_the_record_under_the_temp_folder_when_the_run_folder_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, earlier, record = _stored_and_new(tmp_path)
    (tmp_path / "runs").write_text("a file where the run folder should be")  # its record cannot go there
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    _refusing(monkeypatch, "database or disk is full")
    with pytest.raises(StoreError) as err:
        run_recorded(url, record, lambda started: None)  # type: ignore[arg-type]
    kept = tmp_path / "tmp" / "nlpbench-records" / f"{record.id}.json"  # type: ignore[attr-defined]
    assert "disk is full" in str(err.value) and str(kept) in str(err.value)
    assert json.loads(kept.read_text())["status"] == "ok"
    monkeypatch.undo()
    assert [r.id for r in open_store(url).query()] == [earlier]  # the stored record is untouched


def test_with_nowhere_to_write_the_record_is_in_the_message(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    url, _, record = _stored_and_new(tmp_path)
    (tmp_path / "runs").write_text("not a folder")
    (tmp_path / "tmp").write_text("not a folder either")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    _refusing(monkeypatch, "attempt to write a readonly database")
    with pytest.raises(StoreError) as err:
        run_recorded(url, record, lambda started: None)  # type: ignore[arg-type]
    message = str(err.value)
    assert "readonly" in message and "could not be written to a file either" in message
    text = message[message.index("{"):]
    assert json.loads(text)["id"] == record.id  # type: ignore[attr-defined]


def test_a_failed_run_keeps_its_record_and_its_own_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    url, _, record = _stored_and_new(tmp_path)
    _refusing(monkeypatch, "attempt to write a readonly database")

    def work(started: float) -> None:
        raise RuntimeError("training blew up")

    with pytest.raises(RuntimeError, match="training blew up"):
        run_recorded(url, record, work)  # type: ignore[arg-type]
    kept = Path(record.artifacts["run_dir"]) / "record.json"  # type: ignore[attr-defined]
    assert json.loads(kept.read_text())["status"] == "failed"
    assert f"nlpbench runs add {kept}" in capsys.readouterr().err


def test_runs_add_refuses_a_file_that_is_not_a_kept_record(tmp_path: Path) -> None:
    bad = tmp_path / "record.json"
    bad.write_text('{"id": "x", "nonsense": 1}')
    result = run_cli("runs", "add", str(bad), f"records.url=sqlite:///{tmp_path / 'r.sqlite'}")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr and "not a run record" in result.stderr
    missing = run_cli("runs", "add")
    assert missing.returncode == 2 and "runs add" in missing.stderr
