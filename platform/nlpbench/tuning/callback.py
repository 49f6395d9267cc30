"""A Lightning callback that reports each validation pass's metrics to Ray Tune (imports ray)."""

from __future__ import annotations

from typing import Any

import lightning as L

from nlpbench.tuning.spec import DEV_LOSS

CHECKPOINT_FILE = "fit.ckpt"


class TuneReporter(L.Callback):
    """After every validation pass of ``fit``, ``tune.report`` the module's ``last_metrics`` with a
    checkpoint of the fit; when the scheduler (ASHA, PBT) stops the trial, stop training gracefully
    so the run is still recorded."""

    def __init__(self) -> None:
        self.stopped_at_epoch: int | None = None
        self.max_epochs: int | None = None

    def on_validation_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        metrics = dict(getattr(pl_module, "last_metrics", {}) or {})
        fitting = trainer.state.fn == "fit" and not trainer.sanity_checking
        if not fitting or not metrics or self.stopped_at_epoch is not None:
            return
        import tempfile
        from pathlib import Path

        from ray import tune

        report = {**metrics, "epoch": trainer.current_epoch, "step": trainer.global_step}
        if "val/loss" in trainer.callback_metrics:  # what ASHA can compare instead (sweep.asha.metric)
            report[DEV_LOSS] = float(trainer.callback_metrics["val/loss"])
        try:
            with tempfile.TemporaryDirectory(prefix="nlpbench-trial-") as folder:
                # the whole training state: a restarted trial (or PBT's exploit) continues from it
                trainer.save_checkpoint(Path(folder) / CHECKPOINT_FILE)
                tune.report(report, checkpoint=tune.Checkpoint.from_directory(folder))
        except SystemExit:  # Tune's way to end a function trial that its scheduler stopped
            self.stopped_at_epoch = trainer.current_epoch
            self.max_epochs = trainer.max_epochs
            trainer.should_stop = True

    def annotate_record(self, record: Any) -> None:
        """Note an early stop in the run record (called by the runner before it appends it)."""
        last = self.max_epochs is not None and self.stopped_at_epoch == self.max_epochs - 1
        if self.stopped_at_epoch is not None and not last:  # ASHA also stops trials that reached max_t
            record.artifacts["stopped_early"] = f"by the scheduler after epoch {self.stopped_at_epoch}"
