"""Shared helpers of the objective tests: a tiny corpus, and training on one fixed batch."""

from __future__ import annotations

from typing import Any

import torch

# a tiny corpus for tokenizers and batches: 36 sentences of one pattern, three times
TEXTS = [
    f"the {a} {v} the {b} near the river ."
    for a in ("dog", "cat", "bird", "fox")
    for v in ("saw", "chased", "liked")
    for b in ("ball", "tree", "house")
] * 3


def train_losses(model: Any, objective: Any, batch: dict[str, Any], steps: int,
                 lr: float = 2e-3) -> list[float]:
    """``steps`` AdamW steps on ``batch`` from a fixed seed: the loss after each, as floats."""
    torch.manual_seed(1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(steps):
        loss, _ = objective.step(model, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
