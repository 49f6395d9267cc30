"""Causal LM: predict each next token; padding is never a target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from nlpbench.objectives.base import Objective, pad


@dataclass
class CausalLM(Objective):
    """GPT-style next-token prediction over contiguous blocks."""

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        return family.build("clm", architecture, tokenizer)

    def collate(
        self, features: list[dict[str, Any]], tokenizer: Any, seed: int, epoch: int
    ) -> dict[str, Any]:
        ids = [f["input_ids"] for f in features]
        batch = {
            "input_ids": pad(ids, tokenizer.pad_token_id),
            "attention_mask": pad([[1] * len(x) for x in ids], 0),
        }
        batch["labels"] = pad(ids, -100)
        return batch

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        out = model(**batch)
        shifted, targets = out.logits[:, :-1], batch["labels"][:, 1:]
        valid = targets != -100
        hits = (shifted.argmax(-1) == targets) & valid
        return out.loss, {"next_token_accuracy": hits.sum() / valid.sum().clamp(min=1)}


CLM = CausalLM(name="clm", kinds=("decoder",), data_format="full_sentences")
