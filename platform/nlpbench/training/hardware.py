"""The numeric precision a run trains in: mixed precision on a GPU, fp32 on the CPU."""

from __future__ import annotations

from typing import Any


def trainer_precision(accelerator: str, precision: str) -> Any:
    """``precision`` unless it is ``auto``: bf16 mixed precision on a GPU that supports it, fp16
    mixed precision on an older GPU, and full fp32 on the CPU."""
    if precision != "auto":
        return precision
    import torch

    if accelerator not in ("gpu", "cuda", "auto") or not torch.cuda.is_available():
        return "32-true"
    return "bf16-mixed" if torch.cuda.is_bf16_supported() else "16-mixed"
