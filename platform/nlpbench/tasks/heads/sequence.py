"""The sequence heads: classification / regression / MultiRC answer options, and multiple choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlpbench.tasks.heads.base import hf_loss, model_inputs
from nlpbench.tasks.spec import Examples


class SequenceHead:
    """A `*ForSequenceClassification` model over one text or a text pair: argmax class ids, or the
    score itself for regression (one output, MSE; STS-B)."""

    name = "classification"
    family_head = "classification"

    def __init__(self, task: Any) -> None:
        self.task = task
        self.regression = getattr(task, "kind", "classification") == "regression"

    def build(self, model_cfg: Any, train: Examples) -> tuple[Any, Any]:
        from nlpbench.models.families import build_for_classification

        texts = [" ".join(t) for t in train.texts]
        return build_for_classification(model_cfg, texts, self.task.num_labels, self.family_head)

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any:
        from nlpbench.training.data import EncodedSplit

        return EncodedSplit(examples, tokenizer, max_length)

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
        from nlpbench.training.data import collate

        return collate(pad_id)

    def loss(self, model: Any, batch: dict[str, Any]) -> Any:
        return hf_loss(model, batch)

    def evaluate(self, model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
        """(loss or None without labels, class ids or regression scores)."""
        out = model(**model_inputs(model, batch))
        logits = out.logits
        return out.loss, (logits.squeeze(-1) if self.regression else logits.argmax(-1)).cpu()

    def decode(self, outputs: list[Any], encoded: Any) -> list[Any]:
        import torch

        values = torch.cat(outputs).tolist() if outputs else []
        return [float(v) for v in values] if self.regression else [int(v) for v in values]

    def gold(self, examples: Examples) -> list[Any]:
        return list(examples.labels or [])


class ChoiceHead(SequenceHead):
    """A `*ForMultipleChoice` model: each example's (context, option) pairs scored, softmax over
    the options, the label is the right option's index (COPA)."""

    name = "multiple_choice"
    family_head = "multiple_choice"

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any:
        from nlpbench.training.data import EncodedChoices

        return EncodedChoices(examples, tokenizer, max_length)

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
        from nlpbench.training.data import collate_choices

        return collate_choices(pad_id)
