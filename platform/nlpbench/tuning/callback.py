"""A Lightning callback that reports each validation pass's metrics to Ray Tune (imports ray)."""

from __future__ import annotations

import math
from typing import Any

import lightning as L

from nlpbench.tuning.spec import DEV_LOSS, VALIDATION

CHECKPOINT_FILE = "fit.ckpt"


class TuneReporter(L.Callback):
    """After every validation pass of ``fit`` (fine-tuning), and after every periodic validation of
    pretraining (``on_periodic_validation``, called by training.callbacks.PeriodicValidation),
    ``tune.report`` the metrics with a checkpoint of the fit; when the scheduler (ASHA, PBT) stops the
    trial, stop training gracefully so the run is still recorded."""

    def __init__(self) -> None:
        self.stopped_at_epoch: int | None = None
        self.max_epochs: int | None = None
        self.stopped_at_step: int | None = None  # pretraining: the step of the report ASHA stopped
        self.max_steps: int | None = None

    def on_validation_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        metrics = dict(getattr(pl_module, "last_metrics", {}) or {})
        fitting = trainer.state.fn == "fit" and not trainer.sanity_checking
        if not fitting or not metrics or self._stopped():
            return
        report = {**metrics, "epoch": trainer.current_epoch, "step": trainer.global_step}
        if "val/loss" in trainer.callback_metrics:  # what ASHA can compare instead (sweep.asha.metric)
            report[DEV_LOSS] = float(trainer.callback_metrics["val/loss"])
        if self._report(trainer, report):
            self.stopped_at_epoch = trainer.current_epoch
            self.max_epochs = trainer.max_epochs

    def on_periodic_validation(self, trainer: L.Trainer, pl_module: L.LightningModule,
                               point: dict[str, float]) -> None:
        """Pretraining: report ``validation_<name>`` of a learning-curve point (validation_loss, ...)."""
        if self._stopped():
            return
        report: dict[str, Any] = {f"{VALIDATION}_{k}": v for k, v in point.items()
                                  if k not in ("step", "tokens_seen")}
        report[f"{VALIDATION}_perplexity"] = math.exp(min(point["loss"], 20.0))
        report.update(step=int(point["step"]), tokens_seen=int(point["tokens_seen"]))
        if self._report(trainer, report):
            self.stopped_at_step = trainer.global_step
            self.max_steps = trainer.max_steps

    def _stopped(self) -> bool:
        return self.stopped_at_epoch is not None or self.stopped_at_step is not None

    def _report(self, trainer: L.Trainer, report: dict[str, Any]) -> bool:
        """Report with a checkpoint of the whole fit; True when the scheduler stopped the trial."""
        import tempfile
        from pathlib import Path

        from ray import tune

        try:
            with tempfile.TemporaryDirectory(prefix="nlpbench-trial-") as folder:
                # the whole training state: a restarted trial (or PBT's exploit) continues from it
                trainer.save_checkpoint(Path(folder) / CHECKPOINT_FILE)
                tune.report(report, checkpoint=tune.Checkpoint.from_directory(folder))
        except SystemExit:  # Tune's way to end a function trial that its scheduler stopped
            trainer.should_stop = True
            return True
        return False

    def annotate_record(self, record: Any) -> None:
        """Note an early stop in the run record (called by the runner before it appends it)."""
        # ASHA also stops trials that reached max_t: their last pass is no early stop
        if self.stopped_at_epoch is not None and self.stopped_at_epoch != (self.max_epochs or 0) - 1:
            record.artifacts["stopped_early"] = f"by the scheduler after epoch {self.stopped_at_epoch}"
        if self.stopped_at_step is not None and not 0 < (self.max_steps or 0) <= self.stopped_at_step:
            record.artifacts["stopped_early"] = f"by the scheduler after step {self.stopped_at_step}"
