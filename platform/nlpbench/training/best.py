"""Fine-tuning keeps the best validation pass: its weights and metrics, and early stopping on it."""

from __future__ import annotations

import math
from typing import Any

from lightning.pytorch.callbacks import Callback


class KeepBest(Callback):
    """Remembers the weights and metrics of the validation pass with the best ``metric`` (higher is
    better; NaN counts as worst) and restores them when fitting ends, so the record and the test
    predictions come from the best pass. With ``patience``, training stops after that many passes
    without improvement."""

    def __init__(self, metric: str, patience: int | None = None) -> None:
        self.metric, self.patience = metric, patience
        self.best = -math.inf
        self.metrics: dict[str, float] | None = None
        self.state: dict[str, Any] | None = None
        self.since_best = 0
        self.stopped_early = False

    def on_validation_end(self, trainer: Any, module: Any) -> None:  # after the module's epoch end
        if trainer.sanity_checking or not module.last_metrics:
            return
        value = module.last_metrics.get(self.metric, math.nan)
        if not math.isnan(value) and value > self.best:
            self.best, self.since_best = value, 0
            self.metrics = dict(module.last_metrics)
            self.state = {k: v.detach().clone() for k, v in module.model.state_dict().items()}
            return
        self.since_best += 1
        if self.patience is not None and self.since_best >= self.patience:
            trainer.should_stop = True
            self.stopped_early = True

    def state_dict(self) -> dict[str, Any]:
        """Saved in a trial's checkpoint, so a resumed run still keeps the best pass of the whole fit."""
        return {"best": self.best, "metrics": self.metrics, "state": self.state,
                "since_best": self.since_best, "stopped_early": self.stopped_early}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best, self.metrics, self.state = state["best"], state["metrics"], state["state"]
        self.since_best, self.stopped_early = state["since_best"], state["stopped_early"]

    def on_fit_end(self, trainer: Any, module: Any) -> None:
        if self.state is not None and self.metrics is not None:
            module.model.load_state_dict(self.state)
            module.last_metrics = dict(self.metrics)
