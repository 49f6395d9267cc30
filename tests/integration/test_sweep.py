"""`nlpbench sweep` end to end on local Ray: records with the sweep's group, reproducible commands,
summary.json, a failing trial recorded and retried, and resume without rerunning finished trials."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from nlpbench.records import open_store
from tests.conftest import run_cli

FAST = ("task.synthetic.n_train=100", "task.synthetic.n_dev=40", "task.synthetic.n_test=10",
        "trainer.max_epochs=1")


def _records(home: Path, group: str) -> list:
    return open_store(f"sqlite:///{home}/results/records.sqlite").query(group=group)


def _summary(home: Path) -> dict:
    [path] = (home / "outputs" / "sweeps").glob("*/summary.json")
    return json.loads(path.read_text())


def test_grid_sweep_records_trials_and_resumes_without_rerunning(home: Path) -> None:
    args = ("sweep", "sweep=lr_grid", "sweep.seeds=[0]", *FAST)
    # a stray RAY_ADDRESS (or a stale /tmp/ray/ray_current_cluster) must not hijack a local sweep
    first = run_cli(*args, env={"COLUMNS": "200", "RAY_ADDRESS": "127.0.0.1:9"})
    assert first.returncode == 0, first.stdout + first.stderr
    summary = _summary(home)
    sweep_id = summary["sweep_id"]
    records = _records(home, sweep_id)
    assert len(records) == 2 and {r.status for r in records} == {"ok"}
    assert {t["params"]["optim.lr"] for t in summary["trials"]} == {"0.0001", "0.0005"}
    assert summary["best"] and summary["best"]["mean"] == max(t["value"] for t in summary["trials"])
    for record in records:
        argv = shlex.split(record.command or "")
        assert argv[:2] == ["nlpbench", "finetune"] and f"group={sweep_id}" in argv and "seed=0" in argv
        assert record.config["optim"]["lr"] == float(next(a for a in argv if a.startswith("optim.lr="))[9:])
    assert "best accuracy=" in first.stdout and sweep_id in first.stdout

    again = run_cli(*args, env={"COLUMNS": "200"})
    assert again.returncode == 0, again.stdout + again.stderr
    assert "(resumed)" in again.stdout
    assert len(_records(home, sweep_id)) == 2
    assert len(list((home / "outputs" / "runs").iterdir())) == 2
    assert _summary(home)["resumed"] is True


def test_multirun_flag_runs_hydra_sweep_values_as_a_recorded_sweep(home: Path) -> None:
    args = ("finetune", "-m", "model=bert_tiny", "task=synthetic/sst2", "optim.lr=1.0e-4,5.0e-4", *FAST)
    first = run_cli(*args, env={"COLUMNS": "200"})
    assert first.returncode == 0, first.stdout + first.stderr
    summary = _summary(home)
    assert summary["sweep_id"].startswith("cli-")
    records = _records(home, summary["sweep_id"])
    assert sorted(r.config["optim"]["lr"] for r in records) == [1.0e-4, 5.0e-4]
    assert {r.status for r in records} == {"ok"}
    again = run_cli(*args, env={"COLUMNS": "200"})
    assert again.returncode == 0 and "(resumed)" in again.stdout, again.stdout + again.stderr
    assert len(_records(home, summary["sweep_id"])) == 2


def test_failing_trial_is_recorded_failed_and_retried(home: Path) -> None:
    result = run_cli("sweep", "sweep=lr_grid", "sweep.seeds=[0]", "sweep.max_failures=1",
                     "sweep.space.optim.lr={grid: [5.0e-4, 1.0e30]}", *FAST, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    summary = _summary(home)
    records = _records(home, summary["sweep_id"])
    failed = [r for r in records if r.status == "failed"]
    assert len(failed) == 2  # the first attempt and its one retry
    assert all("non-finite training loss" in (r.error or "") for r in failed)
    assert len({r.command for r in failed}) == 1
    rows = {float(t["params"]["optim.lr"]): t for t in summary["trials"]}
    assert rows[1e30]["status"] == "failed" and rows[1e30]["attempts"] == 2, rows
    assert rows[5e-4]["status"] == "ok" and summary["best"]["params"]["optim.lr"] == "0.0005"
    assert "failed" in result.stdout and "non-finite" in result.stdout


@pytest.mark.slow
def test_asha_random_sweep_stops_trials_and_records_them(home: Path) -> None:
    result = run_cli("sweep", "sweep=asha_random", "sweep.num_samples=4", "task.synthetic.n_train=100",
                     "task.synthetic.n_dev=40", "task.synthetic.n_test=10", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    summary = _summary(home)
    assert len(summary["trials"]) == 4
    assert {t["status"] for t in summary["trials"]} <= {"ok", "stopped"}
    assert len(_records(home, summary["sweep_id"])) == 4


def test_more_gpus_than_the_cluster_has_is_refused_before_any_trial(home: Path) -> None:
    import torch

    have = torch.cuda.device_count()  # local Ray detects the host's GPUs: 0 here, more on a GPU host
    result = run_cli("sweep", "sweep=lr_grid", f"sweep.resources.gpus={have + 1}", *FAST,
                     env={"COLUMNS": "200"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sweep.resources.gpus" in result.stderr
    assert f"asks for {have + 1} GPUs but local Ray has {have}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (home / "outputs" / "runs").exists()  # no trial ran


def test_optuna_search_samples_and_records_its_trials(home: Path) -> None:
    result = run_cli("sweep", "sweep=lr_grid", "sweep.search=optuna", "sweep.num_samples=2",
                     "sweep.seeds=[0]", "sweep.space.optim.lr={loguniform: [1.0e-5, 1.0e-3]}", *FAST,
                     env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stdout + result.stderr
    summary = _summary(home)
    records = _records(home, summary["sweep_id"])
    assert len(records) == 2 and {r.status for r in records} == {"ok"}
    lrs = {r.config["optim"]["lr"] for r in records}
    assert len(lrs) == 2 and all(1.0e-5 <= lr <= 1.0e-3 for lr in lrs)
    assert summary["best"]["mean"] == max(t["value"] for t in summary["trials"])
