"""What the encoder-decoder objectives share: teacher-forced batches, the seq2seq head and the loss."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from nlpbench.objectives.base import Objective, pad

# The token a decoder starts from, by convention of the family: T5 starts from pad, BART from </s>.
DECODER_START = {"pad": "pad_token_id", "eos": "eos_token_id"}


def decoder_start_id(tokenizer: Any, choice: str) -> int:
    """The id of the decoder start token ``choice`` ("pad" for T5, "eos" for BART)."""
    if choice not in DECODER_START:
        raise ValueError(f"decoder_start must be one of {sorted(DECODER_START)}, not {choice!r}")
    value = getattr(tokenizer, DECODER_START[choice], None)
    if value is None:
        raise ValueError(f"the tokenizer has no {choice} token to start the decoder from")
    return int(value)


def seq2seq_batch(
    inputs: list[list[int]], targets: list[list[int]], pad_id: int, start_id: int
) -> dict[str, torch.Tensor]:
    """Padded encoder inputs and labels (-100 on padding) with explicit decoder inputs: the targets
    shifted right behind ``start_id``, so the batch runs with or without its labels."""
    return {
        "input_ids": pad(inputs, pad_id),
        "attention_mask": pad([[1] * len(x) for x in inputs], 0),
        "labels": pad(targets, -100),
        "decoder_input_ids": pad([[start_id, *t[:-1]] for t in targets], pad_id),
        "decoder_attention_mask": pad([[1] * len(t) for t in targets], 0),
    }


@dataclass
class Seq2SeqObjective(Objective):
    """Base of the objectives that train an encoder-decoder to write a target from a noised input."""

    head: str = "seq2seq"

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        model = family.build(self.head, architecture, tokenizer)
        start = decoder_start_id(tokenizer, self.params["decoder_start"])
        if model.config.decoder_start_token_id != start:
            raise ValueError(
                f"objective {self.name!r} starts the decoder from token {start} but a {family.name} "
                f"model starts from {model.config.decoder_start_token_id}; "
                "set objective.params.decoder_start=pad (T5) or eos (BART)"
            )
        return model

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        out = model(**batch)
        labels = batch["labels"]
        targets = labels != -100
        hits = (out.logits.argmax(-1) == labels) & targets
        return out.loss, {"token_accuracy": hits.sum() / targets.sum().clamp(min=1)}
