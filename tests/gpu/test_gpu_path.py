"""The GPU path: fine-tuning with trainer=gpu in mixed precision, and a sweep whose four trials share
one GPU (resources.gpus=0.25). Marked gpu: skipped where torch sees no CUDA device."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlpbench.records import open_store
from tests.conftest import run_cli

pytestmark = [pytest.mark.gpu, pytest.mark.slow]

FAST = ("task=synthetic/glue/sst2", "task.synthetic.n_train=400", "task.synthetic.n_dev=100",
        "task.synthetic.n_test=20", "trainer.max_epochs=2", "logger=none")


def _records(home: Path) -> list:
    return open_store(f"sqlite:///{home}/results/records.sqlite").query()


def test_finetune_on_the_gpu_in_mixed_precision(home: Path) -> None:
    import torch

    from nlpbench.training.hardware import trainer_precision

    expected = "bf16-mixed" if torch.cuda.is_bf16_supported() else "16-mixed"
    assert trainer_precision("gpu", "auto") == expected
    done = run_cli("finetune", "model=bert_tiny", "trainer=gpu", *FAST)
    assert done.returncode == 0, done.stdout + done.stderr
    [record] = _records(home)
    assert record.status == "ok" and record.config["trainer"]["accelerator"] == "gpu"
    assert record.config["trainer"]["precision"] == "auto"
    assert 0.0 <= record.headline_value <= 1.0


def test_four_trials_share_one_gpu(home: Path) -> None:
    done = run_cli("sweep", "sweep=lr_grid", "sweep.seeds=[0]", "sweep.resources.gpus=0.25",
                   "sweep.space.optim.lr={grid: [1.0e-4, 2.0e-4, 5.0e-4, 1.0e-3]}", "trainer=gpu", *FAST,
                   env={"COLUMNS": "200"}, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    records = _records(home)
    assert len(records) == 4 and {r.status for r in records} == {"ok"}
    assert {r.config["trainer"]["accelerator"] for r in records} == {"gpu"}
