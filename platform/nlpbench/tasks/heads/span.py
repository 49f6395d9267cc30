"""The span-extraction head (SQuAD v1.1 / v2.0): a `*ForQuestionAnswering` model over windows of
(question, context); the answer text is the best span over an example's windows, and for v2 ""
when the no-answer probability passes a threshold tuned on the labelled dev split.

v2's headline ``squad_v2_exact``/``squad_v2_f1`` score exactly the written predictions, which use
that threshold: tuned on the same dev set they are scored on, they are an optimistic estimate
(the official evaluation's ``best_exact``/``best_f1``, as the BERT paper reports for v2). Beside
them the record keeps ``squad_v2_exact_untuned``/``squad_v2_f1_untuned``, the official
``exact``/``f1`` at the default decision (no answer when the null score beats the best span,
i.e. a no-answer probability above 0.5), and ``best_f1_thresh``, the tuned threshold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from nlpbench.tasks.heads.base import hf_loss, model_inputs, require_fast_tokenizer
from nlpbench.tasks.heads.spans import (
    SpanAnswer,
    Windows,
    build_windows,
    decode_spans,
    tune_threshold,
    with_threshold,
)
from nlpbench.tasks.spec import Examples

#: the threshold a v2 head applies before it has tuned one (null and best span equally likely)
DEFAULT_NA_THRESHOLD = 0.5


class EncodedSpans:
    """A split as span windows (a torch-style Dataset of feature dicts). What decoding needs and
    the model must not see stays here: the example of each window, the context offsets, the
    contexts, ids and gold answers, and the latest decode's no-answer probabilities."""

    def __init__(self, examples: Examples, tokenizer: Any, max_length: int, doc_stride: int) -> None:
        source = examples.source.examples
        self.examples = source
        self.ids = [ex.id for ex in source]
        self.contexts = [str(ex.inputs["context"]) for ex in source]
        self.golds: list[tuple[str, ...]] | None = (
            [tuple(ex.label) for ex in source] if examples.labels is not None else None)
        answers = None
        if self.golds is not None:
            answers = [(ex.label[0], int(ex.inputs["answer_starts"][0])) if ex.label else None
                       for ex in source]
        self.windows: Windows = build_windows(tokenizer, [str(ex.inputs["question"]) for ex in source],
                                              self.contexts, max_length, doc_stride, answers)
        self.na_probs: list[float] | None = None

    def __len__(self) -> int:
        return len(self.windows)

    def __getitem__(self, i: int) -> dict[str, Any]:
        item: dict[str, Any] = dict(self.windows.inputs[i])
        if self.windows.starts is not None and self.windows.ends is not None:
            item["start_positions"] = self.windows.starts[i]
            item["end_positions"] = self.windows.ends[i]
        return item


def collate_spans(pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    """Pad windows to the longest in the batch; answer positions as (batch,) tensors."""
    import torch

    def _collate(items: list[dict[str, Any]]) -> dict[str, Any]:
        longest = max(len(it["input_ids"]) for it in items)
        batch: dict[str, Any] = {}
        for key in items[0]:
            if key in ("start_positions", "end_positions"):
                batch[key] = torch.tensor([it[key] for it in items], dtype=torch.long)
                continue
            fill = pad_id if key == "input_ids" else 0
            batch[key] = torch.tensor([list(it[key]) + [fill] * (longest - len(it[key])) for it in items],
                                      dtype=torch.long)
        return batch

    return _collate


class SpanHead:
    """A `*ForQuestionAnswering` model trained on the first gold answer's start and end tokens
    (the first token when a window does not hold the answer, or for an unanswerable question).

    v2: the headline metrics are computed on the written predictions, whose no-answer threshold is
    tuned for the best F1 on the labelled split being decoded (dev), so they are optimistic, as in
    the BERT paper; ``extra_metrics`` adds the untuned official scores (threshold 0.5)."""

    name = "span_extraction"
    family_head = "question_answering"

    def __init__(self, task: Any, doc_stride: int = 128, n_best: int = 20,
                 max_answer_length: int = 30) -> None:
        self.task = task
        self.v2 = getattr(task, "kind", "") == "squad_v2"
        self.doc_stride, self.n_best, self.max_answer_length = doc_stride, n_best, max_answer_length
        self.na_threshold = DEFAULT_NA_THRESHOLD
        self.tuned: dict[str, float] = {}

    @classmethod
    def from_task_config(cls, task: Any, cfg: Any) -> SpanHead:
        """The head with the run's ``task.span`` settings."""
        span = cfg.span
        return cls(task, span.doc_stride, span.n_best, span.max_answer_length)

    def build(self, model_cfg: Any, train: Examples) -> tuple[Any, Any]:
        from nlpbench.models.families import build_for_classification
        from nlpbench.tasks.heads import check_model

        check_model(self.name, model_cfg)  # an encoder: validation says so first, this when built directly
        texts = [" ".join(t) for t in train.texts]
        model, tokenizer = build_for_classification(model_cfg, texts, 2, self.family_head)
        require_fast_tokenizer(tokenizer, model_cfg, self.name)  # windows map tokens to characters
        return model, tokenizer

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any:
        return EncodedSpans(examples, tokenizer, max_length, self.doc_stride)

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
        return collate_spans(pad_id)

    def loss(self, model: Any, batch: dict[str, Any]) -> Any:
        return hf_loss(model, batch)

    def evaluate(self, model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
        """(loss or None without answer positions, per window (start logits, end logits) arrays
        cut to the window's own length)."""
        out = model(**model_inputs(model, batch))
        lengths = batch["attention_mask"].sum(-1).tolist()
        starts, ends = out.start_logits.float().cpu().numpy(), out.end_logits.float().cpu().numpy()
        return out.loss, [(starts[i, :n], ends[i, :n]) for i, n in enumerate(lengths)]

    def decode(self, outputs: list[Any], encoded: Any) -> list[Any]:
        """One answer text per example. v2: "" when the no-answer probability exceeds the
        threshold, which a labelled split re-tunes for the best F1 (``best_f1_thresh``)."""
        answers = self.answers(outputs, encoded)
        if not self.v2:
            return [a.text for a in answers]
        encoded.na_probs = [a.na_prob for a in answers]
        if encoded.golds is not None:
            from nlpbench.metrics.squad import squad_v2_exact, squad_v2_f1

            untuned = with_threshold(answers, DEFAULT_NA_THRESHOLD)  # null score vs best span
            self.na_threshold = tune_threshold(encoded.ids, answers, encoded.golds)
            self.tuned = {"best_f1_thresh": self.na_threshold,
                          "squad_v2_exact_untuned": squad_v2_exact(encoded.golds, untuned),
                          "squad_v2_f1_untuned": squad_v2_f1(encoded.golds, untuned)}
        return with_threshold(answers, self.na_threshold)

    def answers(self, outputs: list[Any], encoded: Any) -> list[SpanAnswer]:
        """The n-best spans and no-answer score of every example of ``encoded``."""
        logits = [pair for batch in outputs for pair in batch]
        if len(logits) != len(encoded.windows):
            raise ValueError(f"{len(logits)} windows decoded for {len(encoded.windows)} encoded")
        per_example: list[list[Any]] = [[] for _ in encoded.ids]
        for (start, end), i, offsets in zip(logits, encoded.windows.example_index, encoded.windows.offsets,
                                            strict=True):
            per_example[i].append((start, end, offsets))
        return [decode_spans(context, windows, self.n_best, self.max_answer_length)
                for context, windows in zip(encoded.contexts, per_example, strict=True)]

    def extra_metrics(self) -> dict[str, float]:
        """Values of the latest decode of a labelled split that the record keeps beside the task's
        metrics: v2's tuned no-answer threshold (``best_f1_thresh``) and the official exact/F1
        at the default threshold 0.5 (``squad_v2_exact_untuned``/``squad_v2_f1_untuned``), the
        honest counterparts of the headline, whose threshold is tuned on the same split."""
        return dict(self.tuned)

    def write_beside(self, encoded: Any, folder: Path) -> dict[str, Path]:
        """v2: the no-answer probabilities of the latest decode of ``encoded`` as ``na_prob.json``
        (the official evaluation's --na-prob-file) beside the predictions."""
        from nlpbench.tasks.official.submission import write_na_probs

        if not self.v2 or encoded.na_probs is None:
            return {}
        return {"na_prob": write_na_probs(encoded.examples, encoded.na_probs, Path(folder) / "na_prob.json")}

    def gold(self, examples: Examples) -> list[Any]:
        return [tuple(label) for label in examples.labels or []]  # type: ignore[arg-type]
