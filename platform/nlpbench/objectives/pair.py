"""MLM plus a two-way sentence-pair task: next-sentence prediction (BERT) or sentence order (ALBERT)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import torch

from nlpbench.objectives.mlm import MaskedLM

# the pair head's keyword in `transformers` pretraining models, first match wins
PAIR_KWARGS = ("next_sentence_label", "sentence_order_label")


def pair_kwarg(model: torch.nn.Module) -> str:
    """The keyword under which ``model`` takes the pair label (BertForPreTraining: NSP,
    AlbertForPreTraining: SOP); both heads are a two-way classifier over the first token."""
    accepted = inspect.signature(model.forward).parameters
    for name in PAIR_KWARGS:
        if name in accepted:
            return name
    raise TypeError(f"{type(model).__name__} has no sentence-pair head (expected one of {PAIR_KWARGS})")


@dataclass
class PairMLM(MaskedLM):
    """Masked LM (fresh masks each epoch unless ``dynamic`` is off) plus a binary pair label read
    from the examples' ``label_field``; the two losses are summed as in BERT and ALBERT."""

    label_field: str = "next_sentence_label"
    head: str = "pair"

    def _extra(self, features: list[dict[str, Any]], batch: dict[str, Any]) -> dict[str, Any]:
        if self.label_field not in features[0]:
            raise ValueError(
                f"objective {self.name!r} reads {self.label_field!r} from its examples, which this data "
                f"format lacks; use data.format={self.data_format} (or null for the objective's own)"
            )
        batch["pair_labels"] = torch.tensor([int(f[self.label_field]) for f in features], dtype=torch.long)
        return batch

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        inputs = {k: v for k, v in batch.items() if k != "pair_labels"}
        out = model(**inputs, **{pair_kwarg(model): batch["pair_labels"]})
        pair_logits = getattr(out, "seq_relationship_logits", None)
        pair_logits = out.sop_logits if pair_logits is None else pair_logits
        metrics = self._metrics(out, batch)
        metrics[f"{self.name}_accuracy"] = (pair_logits.argmax(-1) == batch["pair_labels"]).float().mean()
        return out.loss, metrics


NSP = PairMLM(
    name="nsp",
    kinds=("encoder",),
    data_format="segment_pair",
    needs_tokens=("mask_token_id", "sep_token_id"),
    dynamic=True,
    label_field="next_sentence_label",
)
SOP = PairMLM(
    name="sop",
    kinds=("encoder",),
    data_format="sop",
    needs_tokens=("mask_token_id", "sep_token_id"),
    dynamic=True,
    label_field="sentence_order_label",
)
