"""The objective contract: which models it fits, which data it reads, its batches and its loss."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch


@dataclass
class Objective:
    """Base of every pretraining objective.

    An objective builds the trainable model from a family (choosing the head), optionally
    preprocesses the dataset once (static masks), turns examples into batches (dynamic masks) and
    computes the loss with the metrics to log. ``kinds`` lists the model kinds it applies to.
    """

    name: str = "base"
    kinds: tuple[str, ...] = ()
    data_format: str = "doc_sentences"
    needs_tokens: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        raise NotImplementedError

    def preprocess(self, dataset: Any, tokenizer: Any, seed: int) -> Any:
        """Work done once before training (default: none)."""
        return dataset

    def collate(
        self, features: list[dict[str, Any]], tokenizer: Any, seed: int, epoch: int
    ) -> dict[str, Any]:
        raise NotImplementedError

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        raise NotImplementedError

    def tokens_in(self, batch: dict[str, Any]) -> int:
        """Non-padding input tokens of a batch, for throughput logging."""
        return int(batch["attention_mask"].sum().item())

    def save(self, model: torch.nn.Module, folder: Any) -> None:
        from nlpbench.models.sharing import untied

        with untied(model):  # ALBERT's shared-attention / shared-FFN layers are saved as copies
            model.save_pretrained(folder)  # type: ignore[operator]


def pad(sequences: list[list[int]], value: int) -> torch.Tensor:
    longest = max(len(s) for s in sequences)
    return torch.tensor([list(s) + [value] * (longest - len(s)) for s in sequences], dtype=torch.long)


def example_generator(seed: int, epoch: int, index: int) -> torch.Generator:
    """A generator that depends only on (seed, epoch, example): masks survive resume and workers."""
    return torch.Generator().manual_seed((seed * 1_000_003 + epoch) * 1_000_033 + index)
