"""How a run uses the hardware: the Lightning Trainer settings shared by every job, precision included."""

from __future__ import annotations

from typing import Any

from nlpbench.progress import stdout_is_terminal


def trainer_precision(accelerator: str, precision: str) -> Any:
    """``precision`` unless it is ``auto``: bf16 mixed precision on a GPU that supports it, fp16
    mixed precision on an older GPU, and full fp32 on the CPU."""
    if precision != "auto":
        return precision
    import torch

    if accelerator not in ("gpu", "cuda", "auto") or not torch.cuda.is_available():
        return "32-true"
    return "bf16-mixed" if torch.cuda.is_bf16_supported() else "16-mixed"


def trainer_settings(trainer: Any) -> dict[str, Any]:
    """The ``lightning.Trainer`` keyword arguments that come from a ``TrainerConfig``, the same for
    pretraining and fine-tuning (each job adds its logger, callbacks and validation settings)."""
    return dict(
        accelerator=trainer.accelerator,
        devices=trainer.devices,
        precision=trainer_precision(trainer.accelerator, trainer.precision),
        max_steps=trainer.max_steps,
        max_epochs=trainer.max_epochs,
        gradient_clip_val=trainer.gradient_clip_val,
        accumulate_grad_batches=trainer.accumulate_grad_batches,
        log_every_n_steps=trainer.log_every_n_steps,
        deterministic=trainer.deterministic,
        # into a log or a pipe the bar is buffered: training.plain_progress prints lines there instead
        enable_progress_bar=trainer.enable_progress_bar and stdout_is_terminal(),
    )
