"""Sweeps survive faults: a trial killed by the operating system is recorded and retried, a driver
killed alone with SIGKILL leaves no Ray process behind and resumes without rerunning or duplicating
anything (unfinished trials continue from their checkpoint, and the leaderboard equals the
uninterrupted one), a damaged Tune state is a clear error, and PBT exploits checkpoints. These
start Ray and train for real, so they are marked slow."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from nlpbench.processes import alive
from nlpbench.records import open_store
from tests.conftest import NLPBENCH

pytestmark = pytest.mark.slow

GRID = ("sweep", "sweep=lr_grid", "sweep.seeds=[0]", "sweep.max_concurrent=1",
        "task.synthetic.n_train=320", "task.synthetic.n_dev=32", "task.synthetic.n_test=8",
        "trainer.max_epochs=3", "trainer.batch_size=16")


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "NLPBENCH_HOME": str(home), "WANDB_MODE": "offline", "COLUMNS": "200"}


def _records(home: Path) -> list:
    return open_store(f"sqlite:///{home}/results/records.sqlite").query()


def _summary(home: Path) -> dict:
    [path] = (home / "outputs" / "sweeps").glob("*/summary.json")
    return json.loads(path.read_text())


def _run_until(home: Path, args: tuple[str, ...], condition: Callable[[], bool],
               timeout: float = 900) -> subprocess.Popen:
    """Start the sweep and return once ``condition()`` holds (the process still running)."""
    proc = subprocess.Popen([*NLPBENCH, *args], env=_env(home), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the sweep ended before the fault was injected:\n{proc.stdout.read()}")
        assert time.monotonic() < deadline, "timed out waiting to inject the fault"
        time.sleep(0.5)
    return proc


def _kill_driver_alone(proc: subprocess.Popen) -> list[psutil.Process]:
    """SIGKILL the driver only, as the out-of-memory killer does, and return the processes it had
    started (Ray's among them), which must not outlive it."""
    family = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return family


def _left_after(family: list[psutil.Process], seconds: float) -> list[str]:
    """The processes of ``family`` still running ``seconds`` from now (name and pid)."""
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = []
    for proc in family:
        with contextlib.suppress(psutil.Error):
            if alive(proc):
                left.append(f"{proc.pid} {' '.join(proc.cmdline())[:80]}")
    return left


def _trial_process(proc: subprocess.Popen) -> psutil.Process:
    """The (one) Ray worker process running a trial under this driver."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = []
        for child in psutil.Process(proc.pid).children(recursive=True):
            try:
                if "Trainable" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:  # a process that ended while we looked
                continue
        if len(found) == 1:
            return found[0]
        assert proc.poll() is None, "the sweep ended before its trial could be killed"
        time.sleep(0.2)
    raise AssertionError("no single trial process found under the sweep's driver")


def _checkpoints(home: Path) -> list[Path]:
    return sorted((home / "outputs" / "sweeps").glob("*/*/checkpoint_*/fit.ckpt"))


def _finish(home: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NLPBENCH, *args], env=_env(home), capture_output=True, text=True, timeout=1200)


def test_a_trial_killed_by_the_os_is_recorded_failed_and_retried(tmp_path: Path) -> None:
    home = tmp_path
    args = (*GRID, "sweep.space.optim.lr={grid: [5.0e-4]}", "sweep.max_failures=1")
    proc = _run_until(home, args, lambda: bool(_checkpoints(home)))
    time.sleep(1.5)  # let Tune register the checkpoint whose file just appeared
    trial = _trial_process(proc)
    trial.kill()  # what the out-of-memory killer does
    out, _ = proc.communicate(timeout=1200)
    assert proc.returncode == 0, out
    records = _records(home)
    failed = [r for r in records if r.status == "failed"]
    ok = [r for r in records if r.status == "ok"]
    assert len(failed) == 1 and failed[0].error.startswith("killed:"), [r.error for r in records]
    assert failed[0].artifacts["recorded_by"] == "sweep driver" and failed[0].command == ok[0].command
    assert len(ok) == 1 and "resumed_from" in ok[0].artifacts  # the retry continued from its checkpoint
    [row] = _summary(home)["trials"]
    assert row["status"] == "ok" and row["attempts"] == 2


def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_leaderboard(tmp_path: Path) -> None:
    args = (*GRID, "sweep.space.optim.lr={grid: [1.0e-4, 5.0e-4]}")
    clean = tmp_path / "clean"
    done = _finish(clean, args)
    assert done.returncode == 0, done.stdout + done.stderr

    home = tmp_path / "killed"

    def first_done_second_checkpointed() -> bool:
        if not (home / "results" / "records.sqlite").is_file():
            return False
        return len([r for r in _records(home) if r.status == "ok"]) == 1 and len(_checkpoints(home)) >= 3

    proc = _run_until(home, args, first_done_second_checkpointed)
    time.sleep(1.5)  # Tune snapshots which checkpoint each trial reached every second
    family = _kill_driver_alone(proc)
    assert len(family) >= 3, family  # Ray's processes and the trial's worker, not only a helper
    assert not _left_after(family, 15)  # Ray's agents and the trial's worker end with their driver
    before = {r.id for r in _records(home)}
    again = _finish(home, args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "(resumed)" in again.stdout

    records = _records(home)
    assert {r.status for r in records} == {"ok"} and len(records) == 2  # nothing rerun, nothing twice
    new = [r for r in records if r.id not in before]
    assert len(new) == 1, "the second trial finished before the driver was killed"
    [new] = new
    assert "resumed_from" in new.artifacts  # the unfinished trial continued from its checkpoint

    def board(h: Path) -> dict[str, float]:
        return {t["params"]["optim.lr"]: t["value"] for t in _summary(h)["trials"]}
    assert board(home) == board(clean)
    assert _summary(home)["best"]["params"] == _summary(clean)["best"]["params"]


def test_pbt_exploits_a_better_trials_checkpoint(tmp_path: Path) -> None:
    home = tmp_path
    done = _finish(home, ("sweep", "sweep=pbt_lr", "sweep.num_samples=2", "task.synthetic.n_train=96",
                          "task.synthetic.n_dev=32", "task.synthetic.n_test=8", "trainer.max_epochs=6"))
    assert done.returncode == 0, done.stdout + done.stderr
    records = _records(home)
    assert records and {r.status for r in records} == {"ok"}
    exploited = [r for r in records if "resumed_from" in r.artifacts]
    assert exploited, [r.artifacts for r in records]
    # an exploited segment runs with a perturbed learning rate, not the one it started with
    lrs = {r.config["optim"]["lr"] for r in records}
    assert len(lrs) > 2


def test_a_damaged_tune_state_is_a_clear_error_and_resume_false_starts_afresh(tmp_path: Path) -> None:
    args = (*GRID, "sweep.space.optim.lr={grid: [5.0e-4]}", "task.synthetic.n_train=64",
            "trainer.max_epochs=1")
    first = _finish(tmp_path, args)
    assert first.returncode == 0, first.stdout + first.stderr
    [stored] = _records(tmp_path)
    [sweep_dir] = (tmp_path / "outputs" / "sweeps").iterdir()
    states = sorted(sweep_dir.glob("experiment_state-*.json"))
    assert states, sorted(p.name for p in sweep_dir.iterdir())
    for state in states:  # what a full disk or a kill while Tune wrote its snapshot leaves
        state.write_text(state.read_text()[: len(state.read_text()) // 2])
    damaged = _finish(tmp_path, args)
    assert damaged.returncode != 0 and "Traceback" not in damaged.stderr, damaged.stderr
    assert str(sweep_dir) in damaged.stderr and "sweep.resume=false" in damaged.stderr
    afresh = _finish(tmp_path, (*args, "sweep.resume=false"))
    assert afresh.returncode == 0, afresh.stdout + afresh.stderr
    assert "set aside" in afresh.stderr
    assert list(sweep_dir.parent.glob(f".{sweep_dir.name}.set-aside-*"))  # kept, not deleted
    # the stored trial is reused, not rerun and not lost
    assert [(r.id, r.status) for r in _records(tmp_path)] == [(stored.id, "ok")]
    summary = json.loads((sweep_dir / "summary.json").read_text())
    assert [t["record_id"] for t in summary["trials"]] == [stored.id]
