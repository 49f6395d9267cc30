"""A `job: pretrain` sweep on local Ray: recorded pretraining trials in the sweep's group, validation
reports that ASHA compares, and a rerun that resumes without running a trial again."""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path

import pytest

from nlpbench.records import open_store
from tests.conftest import run_cli

TINY = ("sweep.num_samples=2", "sweep.space={optim.lr: {loguniform: [3.0e-4, 5.0e-3]}}",
        "sweep.asha={grace_period: 1, reduction_factor: 2}", "corpus.n_documents=60", "trainer.max_steps=4",
        "trainer.val_every_n_steps=2", "trainer.batch_size=8", "data.block_size=32", "checkpoint_every=2")


def test_pretrain_sweep_records_trials_reports_validation_and_resumes(home: Path) -> None:
    args = ("sweep", "sweep=pretrain_recipe", *TINY)
    first = run_cli(*args, env={"COLUMNS": "200"})
    assert first.returncode == 0, first.stdout + first.stderr
    [path] = (home / "outputs" / "sweeps").glob("*/summary.json")
    summary = json.loads(path.read_text())
    sweep_id = summary["sweep_id"]
    records = open_store(f"sqlite:///{home}/results/records.sqlite").query(group=sweep_id)
    assert len(records) == 2 and {(r.job, r.status) for r in records} == {("pretrain", "ok")}
    for record in records:
        argv = shlex.split(record.command or "")
        assert argv[:2] == ["nlpbench", "pretrain"] and f"group={sweep_id}" in argv
        curve = json.loads(Path(record.artifacts["curve"]).read_text())
        assert [p["step"] for p in curve] in ([2], [2, 4])  # [2]: stopped by ASHA after its first rung
        assert ("stopped_early" in record.artifacts) == (len(curve) == 1)
    # what Tune saw: one result per periodic validation, named validation_<metric>
    reports = [[json.loads(line) for line in result.read_text().splitlines()]
               for result in path.parent.glob("*/result.json")]
    assert len(reports) == 2 and max(len(r) for r in reports) == 2  # ASHA lets the first at a rung go on
    for trial in reports:
        assert [r["step"] for r in trial] == [2, 4][:len(trial)]
        assert all({"validation_loss", "validation_mlm_accuracy", "tokens_seen"} <= set(r) for r in trial)
    assert summary["metric"] == "validation_loss" and summary["best"]
    assert summary["best"]["mean"] == min(t["value"] for t in summary["trials"])
    assert "best validation_loss=" in first.stdout

    again = run_cli(*args, env={"COLUMNS": "200"})
    assert again.returncode == 0, again.stdout + again.stderr
    assert "(resumed)" in again.stdout
    assert len(open_store(f"sqlite:///{home}/results/records.sqlite").query(group=sweep_id)) == 2
    assert len(list((home / "outputs" / "pretrain").iterdir())) == 2


@pytest.mark.slow
def test_a_killed_pretraining_trial_is_recorded_and_continues_from_its_checkpoint(tmp_path: Path) -> None:
    from tests.integration.test_sweep_faults import _checkpoints, _run_until, _trial_process

    home = tmp_path
    args = ("sweep", "sweep=pretrain_recipe", *TINY, "sweep.num_samples=1", "sweep.max_concurrent=1",
            "sweep.max_failures=1", "sweep.scheduler=fifo", "trainer.max_steps=120")
    proc = _run_until(home, args, lambda: bool(_checkpoints(home)))
    time.sleep(1.5)  # let Tune register the checkpoint whose file just appeared
    _trial_process(proc).kill()  # what the out-of-memory killer does
    out, _ = proc.communicate(timeout=1200)
    assert proc.returncode == 0, out
    records = open_store(f"sqlite:///{home}/results/records.sqlite").query()
    failed = [r for r in records if r.status == "failed"]
    ok = [r for r in records if r.status == "ok"]
    assert len(failed) == 1 and failed[0].error.startswith("killed:") and failed[0].job == "pretrain"
    assert failed[0].artifacts["recorded_by"] == "sweep driver" and failed[0].command == ok[0].command
    assert len(ok) == 1 and ok[0].artifacts["resumed_from"].endswith("fit.ckpt")
    curve = json.loads(Path(ok[0].artifacts["curve"]).read_text())
    assert [p["step"] for p in curve] == list(range(2, 121, 2))  # the points before the kill came back
