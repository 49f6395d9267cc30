"""The span-pair head (SuperGLUE WSC): does the pronoun (span 2) refer to the noun phrase (span 1)?

The text is tokenised once, as the model sees any text; each span's tokens are found from its
word indices into ``text.split()`` (the official convention) through the tokenizer's character
offsets, so it works for every fast tokenizer family (WordPiece, byte-level BPE, Unigram) alike.
The family's bare encoder gives token states; each span is mean-pooled and a linear layer over
``[s1; s2; s1 * s2]`` gives the two classes (False, True), trained with cross-entropy.

Saving and reloading: ``SpanPairModel.save_pretrained(dir)`` writes the encoder as a plain
`transformers` checkpoint (``config.json`` and weights, loadable by ``AutoModel.from_pretrained``
or as ``model.checkpoint=dir`` for further fine-tuning) plus the span classifier's state dict in
``span_pair_head.pt`` and its sizes in ``span_pair_head.json``; ``SpanPairModel.from_pretrained(dir)``
rebuilds the whole model.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from nlpbench.errors import DataError
from nlpbench.tasks.heads.base import require_fast_tokenizer
from nlpbench.tasks.spec import Examples
from nlpbench.training.data import EncodedSplit

HEAD_WEIGHTS = "span_pair_head.pt"
HEAD_CONFIG = "span_pair_head.json"


# --------------------------------------------------------------------------- span location


def word_char_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each word of ``text.split()``, end exclusive."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if ch.isspace():  # the same test str.split() uses
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def span_chars(text: str, words: Sequence[tuple[int, int]], index: int, span_text: str) -> tuple[int, int]:
    """The characters of the span that starts at word ``index`` and has as many words as
    ``span_text``: narrowed to ``span_text`` itself when it occurs there (so punctuation attached
    to a word, "himself," or "(Mark", stays out), else the whole words."""
    n = max(1, len(span_text.split()))
    last = min(index + n, len(words)) - 1
    start, end = words[index][0], words[last][1]
    found = text[start:end].lower().find(span_text.strip().lower()) if span_text.strip() else -1
    if found >= 0:
        start += found
        end = start + len(span_text.strip())
    return start, end


def token_mask(offsets: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    """1 for each token whose characters overlap [start, end); special tokens (empty offsets) never."""
    return [int(b > a and a < end and b > start) for a, b in offsets]


# --------------------------------------------------------------------------- encoding


class EncodedSpanPairs(EncodedSplit):
    """A tokenised WSC split: one sequence per example with a 0/1 token mask per span. A span cut
    off by truncation falls back to the first token ([CLS]); ``truncated_spans`` counts them."""

    def __init__(self, examples: Examples, tokenizer: Any, max_length: int) -> None:
        source = examples.source.examples
        texts = [ex.inputs["text"] for ex in source]
        enc = tokenizer(texts, truncation=True, max_length=max_length, return_offsets_mapping=True)
        self.features: list[dict[str, Any]] = []
        self.truncated_spans = 0
        for i, ex in enumerate(source):
            words = word_char_spans(ex.inputs["text"])
            offsets = enc["offset_mapping"][i]
            item = {k: enc[k][i] for k in enc if k != "offset_mapping"}
            for key, index_field, text_field in (("span1_mask", "span1_index", "span1_text"),
                                                 ("span2_mask", "span2_index", "span2_text")):
                index = ex.inputs[index_field]
                if index >= len(words):
                    raise DataError(f"{examples.path}, {ex.where}: {index_field} is {index} but the text "
                                    f"has {len(words)} words; expected an index into text.split()")
                chars = span_chars(ex.inputs["text"], words, index, ex.inputs[text_field])
                mask = token_mask(offsets, *chars)
                if not any(mask):
                    self.truncated_spans += 1
                    mask = [1] + [0] * (len(mask) - 1)
                item[key] = mask
            self.features.append(item)
        self.labels = examples.labels


# --------------------------------------------------------------------------- the model


def _accepted(module: Any) -> set[str]:
    return set(inspect.signature(module.forward).parameters)


class SpanPairModel(torch.nn.Module):
    """A `transformers` encoder plus a span-pair classifier over mean-pooled span states."""

    def __init__(self, encoder: Any, num_labels: int = 2, dropout: float | None = None) -> None:
        super().__init__()
        config = encoder.config
        hidden = int(config.hidden_size)
        if dropout is None:
            dropout = float(getattr(config, "hidden_dropout_prob", None)
                            or getattr(config, "dropout_rate", None) or 0.1)
        self.encoder = encoder
        self.config = config
        self.num_labels, self.dropout_p = num_labels, dropout
        self.dropout = torch.nn.Dropout(dropout)
        self.classifier = torch.nn.Linear(3 * hidden, num_labels)
        self._encoder_inputs = _accepted(encoder)

    def forward(self, input_ids: torch.Tensor, span1_mask: torch.Tensor, span2_mask: torch.Tensor,
                attention_mask: torch.Tensor | None = None, token_type_ids: torch.Tensor | None = None,
                labels: torch.Tensor | None = None) -> Any:
        from transformers.modeling_outputs import SequenceClassifierOutput

        inputs = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
        inputs = {k: v for k, v in inputs.items() if v is not None and k in self._encoder_inputs}
        states = self.encoder(**inputs).last_hidden_state
        first, second = span_mean(states, span1_mask), span_mean(states, span2_mask)
        logits = self.classifier(self.dropout(torch.cat([first, second, first * second], dim=-1)))
        loss = torch.nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)

    def save_pretrained(self, directory: str | Path, **kwargs: Any) -> None:
        """The encoder as a `transformers` checkpoint, the classifier beside it."""
        from nlpbench.models.sharing import untied

        directory = Path(directory)
        with untied(self.encoder):  # ALBERT's shared-attention / shared-FFN layers are saved as copies
            self.encoder.save_pretrained(directory, **kwargs)
        torch.save(self.classifier.state_dict(), directory / HEAD_WEIGHTS)
        sizes = {"num_labels": self.num_labels, "dropout": self.dropout_p, "pooling": "mean",
                 "features": "[s1; s2; s1*s2]"}
        (directory / HEAD_CONFIG).write_text(json.dumps(sizes, indent=2) + "\n")

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> SpanPairModel:
        """The model ``save_pretrained`` wrote (in train mode, as the runner expects)."""
        from transformers import AutoModel

        directory = Path(directory)
        sizes = json.loads((directory / HEAD_CONFIG).read_text())
        from nlpbench.models.sharing import apply_sharing

        encoder = apply_sharing(AutoModel.from_pretrained(directory, local_files_only=True), loaded=True)
        model = cls(encoder, sizes["num_labels"], sizes["dropout"])
        model.classifier.load_state_dict(torch.load(directory / HEAD_WEIGHTS, weights_only=True))
        return model.train()


def span_mean(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean of ``states`` (batch, tokens, hidden) over each row's masked tokens."""
    weights = mask.to(states.dtype).unsqueeze(-1)
    return (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)


# --------------------------------------------------------------------------- the head


class SpanPairHead:
    """WSC: the family's encoder with a span-pair classifier; predictions are class ids (0 False, 1 True)."""

    name = "span_pair"

    def __init__(self, task: Any) -> None:
        self.task = task

    def build(self, model_cfg: Any, train: Examples) -> tuple[Any, Any]:
        from nlpbench.models.families import build_for_classification
        from nlpbench.tasks.heads import check_model

        check_model(self.name, model_cfg)  # an encoder: validation says so first, this when built directly
        texts = [ex.inputs["text"] for ex in train.source.examples]
        encoder, tokenizer = build_for_classification(model_cfg, texts, self.task.num_labels, "encoder")
        require_fast_tokenizer(tokenizer, model_cfg, self.name)
        return SpanPairModel(encoder, self.task.num_labels), tokenizer

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any:
        return EncodedSpanPairs(examples, tokenizer, max_length)

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
        from nlpbench.training.data import collate

        return collate(pad_id)  # span masks pad with 0 like attention masks

    def loss(self, model: Any, batch: dict[str, Any]) -> Any:
        return model(**batch).loss

    def evaluate(self, model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
        out = model(**batch)
        return out.loss, out.logits.argmax(-1).cpu()

    def decode(self, outputs: list[Any], encoded: Any) -> list[Any]:
        return [int(v) for v in torch.cat(outputs).tolist()] if outputs else []

    def gold(self, examples: Examples) -> list[Any]:
        return list(examples.labels or [])
