"""The store never reopens its SQLite file by hand once this process may hold connections to it:
closing any descriptor of the file drops the process's POSIX locks on all its connections, after
which another process can reset the write-ahead log and lose committed records."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlpbench.records import check_writable, open_store
from nlpbench.records.model import new_run_id
from tests.unit.test_store import full_record


def test_the_file_header_is_read_once_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    first = open_store(url)
    first.append(full_record(id=new_run_id()))
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    for _ in range(3):
        open_store(url).append(full_record(id=new_run_id()))
        check_writable(url)
    assert tmp_path / "records.sqlite" not in opened
    assert len(first.query()) == 4


def test_a_file_that_is_not_a_database_is_still_refused(tmp_path: Path) -> None:
    from nlpbench.errors import StoreError

    bad = tmp_path / "records.sqlite"
    bad.write_text("not sqlite at all, just text in a file that is long enough")
    with pytest.raises(StoreError, match="not a valid SQLite results store"):
        open_store(f"sqlite:///{bad}")
