"""What the fine-tuning runner asks of a head (the ``Head`` protocol) and its shared defaults."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Protocol

from nlpbench.tasks.spec import Examples


class Head(Protocol):
    """A head bound to one task. The runner builds the model with ``build``, tokenises each split
    with ``encode`` (a torch Dataset of feature dicts) and batches it with ``collate``. Training
    minimises ``loss``; evaluation keeps the outputs ``evaluate`` returns for every batch (with the
    batch's loss when it has labels) and ``decode`` turns them into
    one prediction per example, in the split's order, as the task's metrics and submission files
    take them. ``gold`` is what the metrics compare against."""

    name: str

    def build(self, model_cfg: Any, train: Examples) -> tuple[Any, Any]: ...

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any: ...

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]: ...

    def loss(self, model: Any, batch: dict[str, Any]) -> Any: ...

    def evaluate(self, model: Any, batch: dict[str, Any]) -> tuple[Any, Any]: ...

    def decode(self, outputs: list[Any], encoded: Any) -> list[Any]: ...

    def gold(self, examples: Examples) -> list[Any]: ...


def model_inputs(model: Any, batch: dict[str, Any]) -> dict[str, Any]:
    """Only the keys of ``batch`` that the model's forward accepts (DistilBERT, GPT-2 and T5 take no
    token types; labels are dropped by a caller that predicts)."""
    accepted = getattr(model, "_nlpbench_accepted", None)
    if accepted is None:
        accepted = set(inspect.signature(model.forward).parameters)
        model._nlpbench_accepted = accepted  # noqa: SLF001  # a cache on the model object
    return {k: v for k, v in batch.items() if k in accepted}


def hf_loss(model: Any, batch: dict[str, Any]) -> Any:
    """The loss a `transformers` head computes itself from the batch's labels."""
    return model(**model_inputs(model, batch)).loss


def require_fast_tokenizer(tokenizer: Any, model_cfg: Any, head: str) -> None:
    """A ``DataError`` unless ``tokenizer`` is a fast (Rust `tokenizers`) one: heads that locate
    spans by character (span_pair, span_extraction) need its offset mappings, which a slow
    (Python) tokenizer cannot give."""
    if getattr(tokenizer, "is_fast", False):
        return
    from nlpbench.errors import DataError

    source = (f"checkpoint {model_cfg.checkpoint}" if getattr(model_cfg, "checkpoint", None)
              else f"model {getattr(model_cfg, 'name', None) or getattr(model_cfg, 'family', '?')}")
    raise DataError(f"{source}: the {head} head needs a fast tokenizer (a `tokenizers`-backed "
                    f"PreTrainedTokenizerFast that returns offset mappings), but its tokenizer is the slow "
                    f"{type(tokenizer).__name__}; save a fast tokenizer (tokenizer.json) with the "
                    f"checkpoint or use a family whose tokenizer has one")
