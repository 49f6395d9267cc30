"""Shared test helper: train a model on one fixed batch with an objective and return the losses."""

from __future__ import annotations

from typing import Any

import torch


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
