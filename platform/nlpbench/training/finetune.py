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

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Keep the validation history and the RNG states, so a run resumed from this checkpoint
        (a Tune trial restarted after a crash) continues exactly as the uninterrupted run would."""
        checkpoint["nlpbench"] = {"history": self.history, "rng": rng_states()}

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        """Restore history and RNG states; take this run's learning rate, not the checkpoint's (PBT
        continues another trial's checkpoint with perturbed hyperparameters)."""
        own = checkpoint.get("nlpbench", {})
        self.history = list(own.get("history", []))
        if "rng" in own:
            set_rng_states(own["rng"])
        for scheduler in checkpoint.get("lr_schedulers", []):
            if "base_lrs" in scheduler:
                scheduler["base_lrs"] = [self.optim.lr] * len(scheduler["base_lrs"])
        for state in checkpoint.get("optimizer_states", []):
            for group in state.get("param_groups", []):
                group["initial_lr"] = self.optim.lr

    def configure_optimizers(self) -> Any:
        return adamw_with_schedule(self.model, self.optim, self.total_steps)


def rng_states() -> dict[str, Any]:
    """The Python, NumPy and torch RNG states (dropout and masking draw from them)."""
    import random

    import numpy as np

    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    numpy = {"kind": kind, "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(pos),
             "has_gauss": int(has_gauss), "gauss": float(gauss)}  # tensors and ints load with weights_only
    return {"python": random.getstate(), "numpy": numpy, "torch": torch.get_rng_state()}


def set_rng_states(states: dict[str, Any]) -> None:
    import random

    import numpy as np

    random.setstate(states["python"])
    n = states["numpy"]
    keys = n["keys"].numpy().astype(np.uint32)
    np.random.set_state((n["kind"], keys, n["pos"], n["has_gauss"], n["gauss"]))
    torch.set_rng_state(states["torch"])
