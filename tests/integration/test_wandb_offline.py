"""W&B for real, no mocks: a tiny fine-tuning run and a board run log offline, and their .wandb files
are read back to check what was logged (config, per-step history, summary, job type, group, table)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.runners.board import board
from nlpbench.runners.finetune import finetune
from nlpbench.tracking_files import read_run

TINY = ["task.synthetic.n_train=96", "task.synthetic.n_dev=48", "task.synthetic.n_test=8",
        "trainer.max_epochs=2", "trainer.val_check_interval=0.5", "trainer.enable_progress_bar=false",
        "trainer.log_every_n_steps=1", "optim.lr=1e-3", "logger=wandb", "group=sweep-7", "seed=3"]


def test_finetune_and_board_runs_are_logged_offline(home: Path, tmp_path: Path) -> None:
    record = finetune(compose_config("finetune", TINY))
    wandb_dir = Path(record.artifacts["wandb_dir"])
    assert wandb_dir.parent == home / "outputs" / "wandb"

    run = read_run(wandb_dir)
    assert (run.run_id, run.name, run.job_type, run.group) == (record.id, record.id, "finetune", "sweep-7")
    assert run.project == "nlpbench" and run.exit_code == 0
    assert run.config == record.config  # the whole resolved config, as the record has it

    # one history row per validation, matching the run's own history file
    validations = [row for row in run.history if "val/accuracy" in row]
    history = json.loads(Path(record.artifacts["history"]).read_text())
    assert len(validations) == len(history) >= 4
    assert [row["val/accuracy"] for row in validations] == pytest.approx([h["accuracy"] for h in history])
    steps = [row["trainer/global_step"] for row in validations]
    assert steps == sorted(steps) and steps[-1] > steps[0]
    assert all("val/loss" in row for row in validations)
    assert any("train/loss" in row for row in run.history)

    assert run.summary["record_id"] == record.id and run.summary["status"] == "ok"
    assert run.summary["dev/accuracy"] == pytest.approx(record.metric("accuracy", "dev"))

    # the board of that store, logged as a table and images into a job_type=board run
    url = f"sqlite:///{home}/results/records.sqlite"
    result = board("synthetic", url=url, out_dir=tmp_path / "board", quiet=True)
    assert result.wandb_dir is not None
    logged = read_run(result.wandb_dir)
    assert logged.job_type == "board" and logged.group == "board-synthetic" and logged.exit_code == 0
    assert logged.config["board"] == "synthetic" and logged.config["store"] == url
    assert logged.config["board_version"] == 1 and logged.config["tasks"] == ["synthetic/sst2"]
    assert logged.summary["record_ids"] == [record.id] and logged.summary["rows"] == 1
    assert logged.summary["synthetic_score"] == pytest.approx(100 * record.headline_value)

    table = logged.table("board/table")
    assert table["columns"] == ["rank", "row", "kind", "synthetic_score", "SST-2 (synthetic) (accuracy)",
                                "status", "run_ids"]
    assert table["data"] == [["1", "bert_tiny", "measured", round(100 * record.headline_value, 4),
                              round(100 * record.headline_value, 4), "SST-2 (synthetic):ok", record.id]]
    (step,) = [row for row in logged.history if "board/table" in row]
    for key in ("board/aggregate", "board/heatmap", "board/curves"):
        assert step[key]["_type"] == "image-file"
        assert (logged.files_dir / step[key]["path"]).read_bytes()[:4] == b"\x89PNG"


def test_no_wandb_and_disabled_mode_log_nothing(home: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpbench.records import Metric, RunRecord, open_store

    url = f"sqlite:///{tmp_path}/records.sqlite"
    with open_store(url) as store:
        store.append(RunRecord(job="finetune", status="ok", model="m", task="synthetic/sst2",
                               metrics=[Metric("accuracy", "dev", 0.9)]))
    assert board("synthetic", url=url, out_dir=tmp_path / "a", use_wandb=False, quiet=True).wandb_dir is None
    monkeypatch.setenv("WANDB_MODE", "disabled")
    assert board("synthetic", url=url, out_dir=tmp_path / "b", quiet=True).wandb_dir is None
    assert board("synthetic", ["logger=none"], url=url, out_dir=tmp_path / "c", quiet=True).wandb_dir is None
    assert not (home / "outputs" / "wandb").exists()
