"""Lightning callbacks of pretraining: periodic validation on a fixed subset, kept as a learning curve."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lightning as L
import torch

Evaluation = Callable[[], tuple[float, dict[str, float]]]


class PeriodicValidation(L.Callback):
    """Every ``every_n_steps`` optimizer steps, and once more when training ends between two of
    them, call ``evaluate()`` (the validation loss and metrics of the model on fixed examples and
    masks), log ``validation/loss`` and ``validation/<metric>`` to the trainer's loggers, and append a
    point ``{step, tokens_seen, loss, <metric>...}`` to ``curve``. Callbacks that define
    ``on_periodic_validation(trainer, pl_module, point)`` (a sweep's reporter to Ray Tune) are called
    with each new point. The curve is saved in Lightning checkpoints and restored on resume.
    ``every_n_steps`` 0 or None: no point at all (the runner's final validation still runs)."""

    def __init__(self, evaluate: Evaluation, every_n_steps: int | None) -> None:
        self.evaluate = evaluate
        self.every = int(every_n_steps or 0)
        self.curve: list[dict[str, float]] = []

    def on_train_batch_end(self, trainer: L.Trainer, pl_module: L.LightningModule, outputs: Any,
                           batch: Any, batch_idx: int) -> None:
        step = trainer.global_step  # optimizer steps: with gradient accumulation, several batches share one
        if self.every and step > 0 and step % self.every == 0 and not self._has(step):
            self._point(trainer, pl_module)

    def on_train_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.every and trainer.global_step > 0 and not self._has(trainer.global_step):
            self._point(trainer, pl_module)  # the curve ends where training did

    def _has(self, step: int) -> bool:
        return bool(self.curve) and self.curve[-1]["step"] == step

    def _point(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        # a forked RNG: evaluating must not change the random numbers training draws next
        with torch.random.fork_rng(devices=_cuda_devices(pl_module)):
            loss, metrics = self.evaluate()
        step = trainer.global_step
        point = {"step": step, "tokens_seen": int(getattr(pl_module, "tokens_seen", 0)),
                 "loss": float(loss), **{k: float(v) for k, v in metrics.items()}}
        self.curve.append(point)
        logged = {f"validation/{k}": v for k, v in point.items() if k not in ("step", "tokens_seen")}
        for logger in trainer.loggers:  # straight to the loggers: self.log would wait for log_every_n_steps
            logger.log_metrics(logged, step=step)
        for callback in trainer.callbacks:  # type: ignore[attr-defined]
            if hasattr(callback, "on_periodic_validation"):
                callback.on_periodic_validation(trainer, pl_module, dict(point))

    def state_dict(self) -> dict[str, Any]:
        return {"curve": [dict(p) for p in self.curve]}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.curve = [dict(p) for p in state_dict.get("curve", [])]


def _cuda_devices(pl_module: L.LightningModule) -> list[int]:
    device = pl_module.device
    return [device.index or 0] if device.type == "cuda" else []
