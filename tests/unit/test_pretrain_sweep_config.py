"""Periodic validation (the callback alone) and the config checks of pretraining sweeps (no Ray)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.errors import ConfigError
from nlpbench.tuning.spec import load_sweep, record_metric


def _problems(job: str, *overrides: str) -> dict[str, tuple[str, str | None]]:
    with pytest.raises(ConfigError) as err:
        compose_config(job, list(overrides)) if job != "sweep" else load_sweep(list(overrides))
    return {p.key: (p.message, p.fix) for p in err.value.problems}


def test_periodic_validation_logs_reports_and_keeps_a_curve(tmp_path: Path) -> None:
    """Every 2 optimizer steps and where training ends (step 5), once per step even with gradient
    accumulation; straight to the logger; other callbacks hear of each point; the curve round-trips."""
    import lightning as L
    from lightning.pytorch.demos.boring_classes import BoringModel
    from lightning.pytorch.loggers import CSVLogger

    from nlpbench.training.callbacks import PeriodicValidation

    heard: list[dict[str, float]] = []

    class Spy(L.Callback):
        def on_periodic_validation(self, trainer: L.Trainer, module: L.LightningModule, point: dict) -> None:
            heard.append(point)

    losses = iter([3.0, 2.0, 1.0])
    periodic = PeriodicValidation(lambda: (next(losses), {"accuracy": 0.5}), every_n_steps=2)
    trainer = L.Trainer(max_steps=5, accumulate_grad_batches=2, logger=CSVLogger(tmp_path),
                        log_every_n_steps=50, callbacks=[periodic, Spy()], enable_progress_bar=False,
                        enable_model_summary=False, enable_checkpointing=False, limit_val_batches=0)
    trainer.fit(BoringModel())
    assert [p["step"] for p in periodic.curve] == [2, 4, 5] and heard == periodic.curve
    assert [p["loss"] for p in periodic.curve] == [3.0, 2.0, 1.0]
    assert periodic.curve[0] == {"step": 2, "tokens_seen": 0, "loss": 3.0, "accuracy": 0.5}
    with (Path(trainer.logger.log_dir) / "metrics.csv").open() as rows:
        logged = [(int(r["step"]), float(r["validation/loss"]), float(r["validation/accuracy"]))
                  for r in csv.DictReader(rows) if r.get("validation/loss")]
    assert logged == [(2, 3.0, 0.5), (4, 2.0, 0.5), (5, 1.0, 0.5)]  # not only every log_every_n_steps
    again = PeriodicValidation(lambda: (0.0, {}), every_n_steps=2)
    again.load_state_dict(periodic.state_dict())
    assert again.curve == periodic.curve and again.curve is not periodic.curve


def test_warmup_ratio_and_validation_interval_are_checked_before_work(home: Path) -> None:
    found = _problems("pretrain", "optim.warmup_ratio=1.0", "trainer.val_every_n_steps=-1")
    message, fix = found["optim.warmup_ratio"]
    assert "< 1" in message and "cannot outlast the run" in message and fix == "optim.warmup_ratio=0.06"
    message, fix = found["trainer.val_every_n_steps"]
    assert ">= 0" in message and "0 or null validates only at the end" in message
    assert fix == "trainer.val_every_n_steps=100"
    assert "optim.warmup_ratio" in _problems("pretrain", "optim.warmup_ratio=-0.1")
    cfg = compose_config("pretrain", ["optim.warmup_ratio=0.99", "trainer.val_every_n_steps=null"]).typed
    assert cfg.trainer.val_every_n_steps is None
    assert compose_config("pretrain").typed.trainer.val_every_n_steps == 100
    assert not (home / "outputs").exists()


def test_pretrain_sweep_validates_and_reports_its_problems(home: Path) -> None:
    spec = load_sweep(["sweep=pretrain_recipe"])
    assert spec.config.job == "pretrain" and spec.metric == "validation_loss" and spec.config.mode == "min"
    assert spec.max_reports == 12  # 600 steps, a validation every 50
    assert "+model.config.num_hidden_layers" in {d.key for d in spec.dims}
    assert record_metric("pretrain", "validation_mlm_accuracy") == ("mlm_accuracy", "validation")
    assert record_metric("finetune", "accuracy") == ("accuracy", "dev")
    assert load_sweep(["sweep=pretrain_recipe", "sweep.metric=validation_mlm_accuracy",
                       "sweep.mode=max"]).metric == "validation_mlm_accuracy"

    sweep = ("sweep", "sweep=pretrain_recipe")
    found = _problems(*sweep, "sweep.job=pretrian")
    assert "Did you mean 'pretrain'" in found["sweep.job"][0]
    assert found["sweep.job"][1] == "sweep.job=pretrain"
    found = _problems(*sweep, "sweep.metric=validation_los", "sweep.asha.metric=accuracy",
                      "trainer.val_every_n_steps=0")
    assert "Did you mean 'validation_loss'" in found["sweep.metric"][0]
    assert "validation_loss" in found["sweep.asha.metric"][0]
    assert found["trainer.val_every_n_steps"][1] == "trainer.val_every_n_steps=100"
    found = _problems(*sweep, "sweep.mode=max")
    assert found["sweep.mode"] == ("validation_loss is better when lower", "sweep.mode=min")
    found = _problems(*sweep, "sweep.space.optim.warmup_ratio={uniform: [0.0, 1.0]}")
    assert "cannot outlast the run" in found["space.optim.warmup_ratio"][0]


def test_asha_on_a_pretraining_sweep_minimises_and_counts_validation_reports(home: Path) -> None:
    from nlpbench.tuning.tuner import _scheduler, asha_mode

    spec = load_sweep(["sweep=pretrain_recipe", "trainer.max_steps=130", "sweep.mode=max",
                       "sweep.metric=validation_mlm_accuracy", "sweep.asha.metric=validation_loss"])
    scheduler = _scheduler(spec)
    assert asha_mode(spec.config) == "min"
    assert (scheduler._metric, scheduler._mode) == ("validation_loss", "min")
    assert scheduler._max_t == 3  # validations at steps 50, 100 and 130 (where training ends)
