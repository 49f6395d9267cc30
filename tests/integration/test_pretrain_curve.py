"""Pretraining's periodic validation: the learning curve in curve.json, and a resume that keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.runners.pretrain import pretrain
from nlpbench.training.pretrain import PretrainModule

TINY = [
    "corpus.n_documents=60",  # 17 validation examples: fewer than the curve's 256
    "logger=none",
    "trainer.enable_progress_bar=false",
    "trainer.batch_size=8",
    "data.block_size=32",
    "trainer.val_every_n_steps=2",
]


def _run(*overrides: str):
    return pretrain(compose_config("pretrain", [*TINY, *overrides]))


def _curve(record) -> list[dict]:
    return json.loads(Path(record.artifacts["curve"]).read_text())


def test_curve_has_a_point_every_n_steps_and_where_training_ends(home: Path) -> None:
    record = _run("trainer.max_steps=5", "run_name=curve")
    curve = _curve(record)
    assert Path(record.artifacts["curve"]) == Path(record.artifacts["run_dir"]) / "curve.json"
    assert [p["step"] for p in curve] == [2, 4, 5]
    tokens = [p["tokens_seen"] for p in curve]
    assert tokens == sorted(tokens) and len(set(tokens)) == 3 and tokens[0] > 0
    assert tokens[-1] == record.metric("tokens_seen", "train")
    assert all({"loss", "mlm_accuracy"} <= set(p) for p in curve)
    # the same examples and masks as the recorded validation (the validation split is under 256 examples)
    assert curve[-1]["loss"] == pytest.approx(record.metric("loss", "validation"), rel=1e-5)
    assert curve[-1]["mlm_accuracy"] == pytest.approx(record.metric("mlm_accuracy", "validation"), rel=1e-5)


def test_resume_keeps_the_curve(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = ("trainer.max_steps=6", "checkpoint_every=4")
    straight = _curve(_run(*steps, "run_name=straight"))
    original = PretrainModule.on_train_batch_end

    def interrupt(self: PretrainModule, outputs: object, batch: object, batch_idx: int) -> None:
        original(self, outputs, batch, batch_idx)
        if self.global_step == 5:
            raise KeyboardInterrupt  # after the step-4 checkpoint, which holds the points of steps 2 and 4

    monkeypatch.setattr(PretrainModule, "on_train_batch_end", interrupt)
    with pytest.raises(SystemExit):
        _run(*steps, "run_name=interrupted")
    monkeypatch.setattr(PretrainModule, "on_train_batch_end", original)
    resumed = _run(*steps, "run_name=interrupted")
    assert resumed.artifacts["resumed_from"].endswith("last.ckpt")
    curve = _curve(resumed)
    assert [p["step"] for p in curve] == [2, 4, 6]
    assert [p["tokens_seen"] for p in curve] == [p["tokens_seen"] for p in straight]
    assert [p["loss"] for p in curve] == pytest.approx([p["loss"] for p in straight], rel=1e-5)


def test_no_periodic_validation_leaves_an_empty_curve(home: Path) -> None:
    record = _run("trainer.max_steps=2", "trainer.val_every_n_steps=0")
    assert _curve(record) == [] and record.metric("loss", "validation") is not None
