"""The Lightning module for fine-tuning: a model trained through its task head; validation decodes
the head's outputs and computes the task's registered metrics."""

from __future__ import annotations

from typing import Any

import lightning as L
import torch

from nlpbench.errors import TrainingError
from nlpbench.training.optim import adamw_with_schedule


class FineTuneModule(L.LightningModule):
    """Trains ``model`` on ``head.loss`` with AdamW (linear warm-up and decay). A validation pass
    keeps ``head.evaluate``'s outputs per batch, decodes them against ``eval_split`` (the encoded split being
    validated, set by the runner) and scores them against ``eval_gold`` with every metric."""

    def __init__(self, model: Any, head: Any, optim: Any, metrics: dict[str, Any], total_steps: int) -> None:
        super().__init__()
        self.model = model
        self.head = head
        self.optim = optim
        self.metric_fns = metrics
        self.total_steps = max(1, total_steps)
        self.eval_split: Any = None
        self.eval_gold: list[Any] = []
        self.record_history = True  # off while validating extra dev sets (MNLI mismatched)
        self._outputs: list[Any] = []
        self.last_metrics: dict[str, float] = {}
        self.history: list[dict[str, float]] = []

    def forward(self, **batch: torch.Tensor) -> Any:
        return self.model(**batch)

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        loss = self.head.loss(self.model, batch)
        if not torch.isfinite(loss):
            raise TrainingError(f"non-finite training loss ({loss.item()}) at step {self.global_step}")
        self.log("train/loss", loss, prog_bar=True, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> None:
        loss, outputs = self.head.evaluate(self.model, batch)
        if loss is not None:
            self.log("val/loss", loss, prog_bar=False, on_epoch=True)
        self._outputs.append(outputs)

    def on_validation_epoch_end(self) -> None:
        if not self._outputs:
            return
        preds = self.head.decode(self._outputs, self.eval_split)
        self._outputs = []
        self.last_metrics = {name: float(fn(self.eval_gold, preds)) for name, fn in self.metric_fns.items()}
        extra = getattr(self.head, "extra_metrics", None)  # what a head tuned while decoding (v2's threshold)
        self.last_metrics.update(extra() if extra is not None else {})
        for name, value in self.last_metrics.items():
            self.log(f"val/{name}", value, prog_bar=True)
        if self.record_history and not self.trainer.sanity_checking:
            self.history.append({"step": float(self.global_step), **self.last_metrics})

    def predict_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> Any:
        return self.head.evaluate(self.model, batch)[1]

    def configure_optimizers(self) -> Any:
        return adamw_with_schedule(self.model, self.optim, self.total_steps)
