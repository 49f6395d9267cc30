"""The board job and its commands: outputs, summaries, bad input (exit 2, no traceback), old stores,
W&B mode selection and `wandb-sync` argument handling."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from nlpbench.errors import StoreError
from nlpbench.records import Metric, RunRecord, open_store
from nlpbench.records import schema as store_schema
from nlpbench.runners.board import PLOT_FILES, TEXT_FILES, board
from nlpbench.tracking import offline_run_dirs, resolve_mode, sync_command
from tests.conftest import run_cli


def _records(url: str, n_models: int = 2, history_dir: Path | None = None) -> list[RunRecord]:
    out = []
    with open_store(url) as store:
        for i in range(n_models):
            for seed in range(2):
                artifacts = {}
                if history_dir is not None:
                    path = history_dir / f"h{i}{seed}.json"
                    path.write_text(json.dumps([{"step": 10, "accuracy": 0.6},
                                                {"step": 20, "accuracy": 0.7}]))
                    artifacts["history"] = str(path)
                record = RunRecord(job="finetune", status="ok", model=f"m{i}", task="synthetic/sst2",
                                   seed=seed, config={"model": {"name": f"m{i}"}, "seed": seed},
                                   metrics=[Metric("accuracy", "dev", 0.7 + 0.1 * i + 0.01 * seed)],
                                   headline_metric="accuracy", artifacts=artifacts)
                store.append(record)
                out.append(record)
    return out


@pytest.fixture()
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/store/records.sqlite"


def test_board_writes_every_output_and_keeps_other_files(home: Path, tmp_path: Path, url: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    records = _records(url, history_dir=tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "screenshot.png").write_bytes(b"keep me")
    result = board("synthetic", url=url, out_dir=out, use_wandb=False)
    assert sorted(p.name for p in result.files) == sorted((*TEXT_FILES, *PLOT_FILES))
    assert (out / "screenshot.png").read_bytes() == b"keep me"
    assert not list(tmp_path.glob(".out.*"))  # no staging folder left behind
    for name in PLOT_FILES:
        assert (out / name).read_bytes()[:4] == b"\x89PNG"
    data = json.loads((out / "table.json").read_text())
    assert [r["label"] for r in data["rows"]] == ["m1", "m0"]
    assert sorted(data["rows"][0]["run_ids"]) == sorted(r.id for r in records[2:])
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["rows"] == 2 and metrics["top"] == {"synthetic_score": 80.5}
    assert (out / "plots.csv").read_text().splitlines()[0] == "row,kind,synthetic_score,std"
    said = capsys.readouterr().out
    assert "board synthetic:" in said and "2 rows" in said and "missing cells: 0" in said
    assert str(out) in said and "W&B off" in said

    board("synthetic", url=url, out_dir=out, use_wandb=False, plots=False, quiet=True)
    assert not (out / "curves.png").exists() and (out / "screenshot.png").exists()
    assert "data:image/png" not in (out / "index.html").read_text()


def test_records_from_an_older_schema_are_migrated(home: Path, tmp_path: Path, url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _records(url)

    def add_note_column(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE runs ADD COLUMN note TEXT"))

    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_schema, "MIGRATIONS", {1: add_note_column})
    result = board("synthetic", url=url, out_dir=tmp_path / "out", use_wandb=False, plots=False, quiet=True)
    assert len(result.board.measured) == 2
    db = url.removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)


def test_empty_missing_and_unrelated_stores_are_clear_errors(home: Path, tmp_path: Path, url: str) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "nowhere" / "records.sqlite"
    with pytest.raises(StoreError, match=f"the results store {missing} does not exist"):
        board("synthetic", url=f"sqlite:///{missing}", out_dir=out, quiet=True)
    assert not missing.parent.exists()

    open_store(url).close()
    with pytest.raises(StoreError, match=r"the results store .*records.sqlite is empty: no runs"):
        board("synthetic", url=url, out_dir=out, quiet=True)

    with open_store(url) as store:
        store.append(RunRecord(job="finetune", status="ok", task="glue/rte",
                               metrics=[Metric("accuracy", "dev", 1)]))
    with pytest.raises(StoreError, match=r"no runs of the tasks of board 'synthetic' \(synthetic/sst2\); "
                                         r"it holds runs of: glue/rte"):
        board("synthetic", url=url, out_dir=out, quiet=True)
    assert not out.exists()


def test_cli_errors_exit_2_without_traceback(home: Path, tmp_path: Path, url: str) -> None:
    open_store(url).close()
    empty = run_cli("board", "synthetic", "--url", url, "--out", str(tmp_path / "out"))
    assert empty.returncode == 2 and "Traceback" not in empty.stderr
    assert "is empty" in empty.stderr and "records.sqlite" in empty.stderr

    unknown = run_cli("board", "synthetc")
    assert unknown.returncode == 2 and "unknown board 'synthetc'" in unknown.stderr
    assert "Did you mean 'synthetic'?" in unknown.stderr and "Traceback" not in unknown.stderr

    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  - task: synthetic/sst3\n")
    result = run_cli("board", str(bad), "--url", url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"invalid board definition {bad}" in result.stderr
    assert "columns[0].task: unknown task 'synthetic/sst3'. Did you mean 'synthetic/sst2'?" in result.stderr
    assert not (tmp_path / "bad").exists()


def test_cli_builds_next_to_a_definition_file(home: Path, tmp_path: Path, url: str) -> None:
    _records(url, n_models=1)
    definition = tmp_path / "mine.yaml"
    definition.write_text("# nlpbench board mine.yaml\naggregate: {name: mine}\n"
                          "columns: [{task: synthetic/sst2}]\nreference: null\n")
    result = run_cli("board", str(definition), "--url", url, "--no-wandb", "--no-plots",
                     env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "board mine:" in result.stdout and "1 row " in result.stdout
    assert (tmp_path / "mine" / "table.md").read_text().startswith("# mine\n")


# -- W&B settings and wandb-sync --------------------------------------------------------------


def test_wandb_mode_follows_flag_logger_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WANDB_MODE", raising=False)
    offline = {"name": "wandb", "mode": "offline"}
    assert resolve_mode(offline) == "offline"
    assert resolve_mode(offline, enabled=False) is None
    assert resolve_mode({"name": "none", "mode": "disabled"}) is None
    monkeypatch.setenv("WANDB_MODE", "disabled")
    assert resolve_mode(offline) is None
    monkeypatch.setenv("WANDB_MODE", "online")
    assert resolve_mode(offline) == "online"
    monkeypatch.setenv("WANDB_MODE", "dryrun")
    assert resolve_mode(offline) == "offline"


def _offline_run(root: Path, name: str, synced: bool = False) -> Path:
    run_dir = root / f"offline-run-20260101_000000-{name}"
    run_dir.mkdir(parents=True)
    (run_dir / f"run-{name}.wandb").write_bytes(b":W&B\xe1\xbe\x00")
    if synced:
        (run_dir / f"run-{name}.wandb.synced").write_text("")
    return run_dir


def test_offline_runs_are_found_and_synced_ones_skipped(tmp_path: Path) -> None:
    wandb_dir = tmp_path / "outputs" / "wandb"
    fresh, done = _offline_run(wandb_dir, "aaa"), _offline_run(wandb_dir, "bbb", synced=True)
    (wandb_dir / "offline-run-empty").mkdir()
    assert offline_run_dirs(wandb_dir) == [fresh]
    assert offline_run_dirs(tmp_path / "outputs") == [fresh]  # the folder holding wandb/
    assert offline_run_dirs(wandb_dir, include_synced=True) == [fresh, done]
    assert offline_run_dirs(done) == [] and offline_run_dirs(fresh) == [fresh]
    command = sync_command([fresh])
    assert Path(command[0]).name == "wandb" and command[1:] == ["sync", str(fresh)]


def test_wandb_sync_dry_run_lists_runs_and_the_command(home: Path) -> None:
    wandb_dir = home / "outputs" / "wandb"
    nothing = run_cli("wandb-sync", "--dry-run")
    assert nothing.returncode == 2 and "no such folder" in nothing.stderr
    assert "Traceback" not in nothing.stderr
    fresh = _offline_run(wandb_dir, "aaa")
    _offline_run(wandb_dir, "bbb", synced=True)
    listed = run_cli("wandb-sync", "--dry-run")
    assert listed.returncode == 0, listed.stderr
    assert str(fresh) in listed.stdout and "bbb" not in listed.stdout
    assert "1 offline run(s); would run: " in listed.stdout and f"sync {fresh}" in listed.stdout
    both = run_cli("wandb-sync", "--dry-run", "--include-synced", str(wandb_dir))
    assert "2 offline run(s)" in both.stdout
    (wandb_dir / "offline-run-20260101_000000-aaa" / "run-aaa.wandb.synced").write_text("")
    none = run_cli("wandb-sync", "--dry-run")
    assert none.returncode == 0 and "no offline W&B runs to sync" in none.stdout
