"""The Lightning module for sequence classification fine-tuning; metrics come from the registry."""

from __future__ import annotations

import inspect
from typing import Any

import lightning as L
import numpy as np
import torch

from nlpbench.errors import TrainingError
from nlpbench.training.optim import adamw_with_schedule


class SequenceClassificationModule(L.LightningModule):
    """Wraps a transformers ``*ForSequenceClassification`` model (one output and MSE for
    regression); the optimiser is AdamW with linear warm-up and decay; validation computes the
    task's registered metrics."""

    def __init__(self, model: Any, optim: Any, metrics: dict[str, Any], total_steps: int,
                 regression: bool = False) -> None:
        super().__init__()
        self.regression = regression
        self.model = model
        self.optim = optim
        self.metric_fns = metrics
        self.total_steps = max(1, total_steps)
        self._val_preds: list[np.ndarray] = []
        self._val_gold: list[np.ndarray] = []
        self.last_metrics: dict[str, float] = {}
        self.history: list[dict[str, float]] = []

    def forward(self, **batch: torch.Tensor) -> Any:
        return self.model(**batch)

    def _inputs(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Only the inputs this model's forward accepts (DistilBERT, GPT-2, T5 take no token types)."""
        if not hasattr(self, "_accepted"):
            self._accepted = set(inspect.signature(self.model.forward).parameters)
        return {k: v for k, v in batch.items() if k in self._accepted}

    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        loss = self.model(**self._inputs(batch)).loss
        if not torch.isfinite(loss):
            raise TrainingError(f"non-finite training loss ({loss.item()}) at step {self.global_step}")
        self.log("train/loss", loss, prog_bar=True, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> None:
        out = self.model(**self._inputs(batch))
        self.log("val/loss", out.loss, prog_bar=False, on_epoch=True)
        self._val_preds.append(self._predict(out.logits).cpu().numpy())
        self._val_gold.append(batch["labels"].cpu().numpy())

    def on_validation_epoch_end(self) -> None:
        if not self._val_preds:
            return
        preds, gold = np.concatenate(self._val_preds), np.concatenate(self._val_gold)
        self._val_preds.clear()
        self._val_gold.clear()
        self.last_metrics = {name: float(fn(gold, preds)) for name, fn in self.metric_fns.items()}
        for name, value in self.last_metrics.items():
            self.log(f"val/{name}", value, prog_bar=True)
        if not self.trainer.sanity_checking:
            self.history.append({"step": float(self.global_step), **self.last_metrics})

    def predict_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        batch = {k: v for k, v in batch.items() if k != "labels"}
        return self._predict(self.model(**self._inputs(batch)).logits)

    def _predict(self, logits: torch.Tensor) -> torch.Tensor:
        """Class ids, or the score itself for a regression head (STS-B)."""
        return logits.squeeze(-1) if self.regression else logits.argmax(-1)

    def configure_optimizers(self) -> Any:
        return adamw_with_schedule(self.model, self.optim, self.total_steps)
