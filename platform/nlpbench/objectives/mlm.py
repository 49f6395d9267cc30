"""Masked LM (BERT's 15% with 80/10/10), with masks drawn once (static) or per epoch (dynamic)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from nlpbench.objectives.base import Objective, example_generator, pad


def mask_tokens(
    input_ids: torch.Tensor,
    special: torch.Tensor,
    *,
    mask_id: int,
    vocab_size: int,
    probability: float,
    mask_share: float,
    random_share: float,
    generator: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(masked inputs, labels) for one sequence: each non-special token is selected with
    ``probability``; of those, ``mask_share`` become the mask token, ``random_share`` a random
    token and the rest stay. Labels are -100 except at selected positions. A sequence (a row, when
    ``input_ids`` is a batch) that drew no position but has a selectable one gets one, drawn
    uniformly: otherwise a batch of one short sequence has no target and a 0/0 (NaN) loss."""
    selectable = ~special.bool()
    selected = (torch.rand(input_ids.shape, generator=generator) < probability) & selectable
    empty = ~selected.any(-1, keepdim=True) & selectable.any(-1, keepdim=True)
    if bool(empty.any()):  # rare for a block of 25+ tokens (0.85^25 = 1.7%); draws only then
        scores = torch.rand(input_ids.shape, generator=generator).masked_fill(~selectable, -1.0)
        selected |= empty & (scores == scores.max(-1, keepdim=True).values)
    roll = torch.rand(input_ids.shape, generator=generator)
    to_mask = selected & (roll < mask_share)
    to_random = selected & (roll >= mask_share) & (roll < mask_share + random_share)
    randoms = torch.randint(vocab_size, input_ids.shape, generator=generator)
    masked = input_ids.clone()
    masked[to_mask] = mask_id
    masked[to_random] = randoms[to_random]
    labels = torch.where(selected, input_ids, torch.full_like(input_ids, -100))
    return masked, labels


@dataclass
class MaskedLM(Objective):
    """BERT/RoBERTa masked LM. ``dynamic`` draws fresh masks each epoch (RoBERTa); otherwise the
    masks are drawn once per example in preprocessing and reused every epoch (original BERT)."""

    dynamic: bool = True
    head: str = "mlm"

    def __post_init__(self) -> None:
        self.params = {"probability": 0.15, "mask_share": 0.8, "random_share": 0.1, **self.params}

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        return family.build(self.head, architecture, tokenizer)

    def _mask(
        self, ids: list[int], special: list[int], tokenizer: Any, seed: int, epoch: int, index: int
    ) -> tuple[list[int], list[int]]:
        masked, labels = mask_tokens(
            torch.tensor(ids),
            torch.tensor(special),
            mask_id=tokenizer.mask_token_id,
            vocab_size=len(tokenizer),
            probability=self.params["probability"],
            mask_share=self.params["mask_share"],
            random_share=self.params["random_share"],
            generator=example_generator(seed, epoch, index),
        )
        return masked.tolist(), labels.tolist()

    def preprocess(self, dataset: Any, tokenizer: Any, seed: int) -> Any:
        if self.dynamic:
            return dataset

        def draw(example: dict[str, Any], index: int) -> dict[str, Any]:
            masked, labels = self._mask(
                example["input_ids"], example["special_tokens_mask"], tokenizer, seed, 0, index
            )
            return {"static_input_ids": masked, "static_labels": labels}

        return dataset.map(draw, with_indices=True, desc="static masks")

    def collate(
        self, features: list[dict[str, Any]], tokenizer: Any, seed: int, epoch: int
    ) -> dict[str, Any]:
        inputs, labels = [], []
        for f in features:
            if self.dynamic:
                masked, label = self._mask(
                    f["input_ids"], f["special_tokens_mask"], tokenizer, seed, epoch, f["index"]
                )
            else:
                masked, label = f["static_input_ids"], f["static_labels"]
            inputs.append(masked)
            labels.append(label)
        batch = {
            "input_ids": pad(inputs, tokenizer.pad_token_id),
            "labels": pad(labels, -100),
            "attention_mask": pad([[1] * len(x) for x in inputs], 0),
        }
        if "token_type_ids" in features[0]:
            batch["token_type_ids"] = pad([f["token_type_ids"] for f in features], 0)
        return self._extra(features, batch)

    def _extra(self, features: list[dict[str, Any]], batch: dict[str, Any]) -> dict[str, Any]:
        return batch

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        out = model(**batch)
        return out.loss, self._metrics(out, batch)

    def _metrics(self, out: Any, batch: dict[str, Any]) -> dict[str, torch.Tensor]:
        """``mlm_accuracy`` over the masked tokens, and beside it ``mlm_constant_accuracy``: the
        accuracy of guessing the batch's most frequent masked token everywhere. A model on the
        unigram plateau (one token whatever the context) scores at or below that reference."""
        logits = out.logits if hasattr(out, "logits") else out.prediction_logits
        labels = batch["labels"]
        selected = labels != -100
        masked = labels[selected]
        n = selected.sum().clamp(min=1)
        with torch.no_grad():  # argmax over the masked rows only: a sixth of the vocabulary scan
            hits = logits.detach()[selected].argmax(-1) == masked
        counts = torch.unique(masked, return_counts=True)[1]
        constant = counts.max() if counts.numel() else torch.zeros((), dtype=torch.long)
        return {"mlm_accuracy": hits.sum() / n, "mlm_constant_accuracy": constant / n}


MLM_STATIC = MaskedLM(
    name="mlm_static",
    kinds=("encoder",),
    data_format="doc_sentences",
    needs_tokens=("mask_token_id",),
    dynamic=False,
)
MLM_DYNAMIC = MaskedLM(
    name="mlm_dynamic",
    kinds=("encoder",),
    data_format="doc_sentences",
    needs_tokens=("mask_token_id",),
    dynamic=True,
)
