"""The text-to-text head (T5, Raffel et al. 2020): an encoder-decoder reads the task prefix and
"field: value" pairs and writes the label word; prediction ranks the label words by likelihood."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nlpbench.tasks.spec import Examples

# STS-B as T5 writes it: the score rounded to the nearest 0.2, as a string, a 26-way choice
STSB_SCORES = tuple(f"{i / 5:.1f}" for i in range(26))
# decoder rows (examples x label words) scored in one forward pass when ranking
_ROWS = 256


@dataclass(frozen=True)
class TextFormat:
    """How one task is written as text: ``prefix``, then every input as "name: value" in ``order``
    (by default sorted by name, as T5's GLUE preprocessor does), and one target word per label id
    (empty for regression, whose targets are ``STSB_SCORES``). ``names`` renames input fields
    (the file's column -> the name T5 writes); ``strip_html`` drops MultiRC's <br>/<b> markup."""

    prefix: str
    words: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    order: tuple[str, ...] | None = None
    strip_html: bool = False


_PREMISE = {"sentence1": "premise", "sentence2": "hypothesis"}
_FALSE_TRUE = ("False", "True")
# (benchmark, task folder) -> its format in the T5 paper (appendix D; the T5 code's
# glue_utils / preprocessors.glue for field order and the TFDS label names for the words).
# The diagnostics are written as the task whose model predicts them: AX as MNLI, AX-b as RTE
# (its sentence1/sentence2 renamed to premise/hypothesis, as T5 does).
FORMATS: dict[tuple[str, str], TextFormat] = {
    ("glue", "CoLA"): TextFormat("cola", ("unacceptable", "acceptable")),
    ("glue", "SST-2"): TextFormat("sst2", ("negative", "positive")),
    ("glue", "MRPC"): TextFormat("mrpc", ("not_equivalent", "equivalent"),
                                 names={"#1 String": "sentence1", "#2 String": "sentence2"}),
    ("glue", "STS-B"): TextFormat("stsb"),
    ("glue", "QQP"): TextFormat("qqp", ("not_duplicate", "duplicate")),
    ("glue", "MNLI"): TextFormat("mnli", ("entailment", "neutral", "contradiction"), names=_PREMISE),
    ("glue", "QNLI"): TextFormat("qnli", ("entailment", "not_entailment")),
    ("glue", "RTE"): TextFormat("rte", ("entailment", "not_entailment")),
    ("glue", "WNLI"): TextFormat("wnli", ("not_entailment", "entailment")),
    ("superglue", "BoolQ"): TextFormat("boolq", _FALSE_TRUE),
    ("superglue", "CB"): TextFormat("cb", ("entailment", "contradiction", "neutral")),
    ("superglue", "COPA"): TextFormat("copa", ("choice1", "choice2")),
    ("superglue", "MultiRC"): TextFormat("multirc", _FALSE_TRUE, order=("question", "answer", "paragraph"),
                                         strip_html=True),
    ("superglue", "RTE"): TextFormat("rte", ("entailment", "not_entailment"), names=_PREMISE),
    ("superglue", "WiC"): TextFormat("wic", _FALSE_TRUE),
}


def text_format(task: Any) -> TextFormat:
    """The task's entry in ``FORMATS``, or the generic one: the task folder lower-cased (letters
    and digits only) as prefix, the input fields by their own names, the label names as words."""
    key = (getattr(task, "benchmark", "glue"), task.folder)
    if key in FORMATS:
        return FORMATS[key]
    return TextFormat(re.sub(r"[^a-z0-9]", "", task.folder.lower()), tuple(task.labels))


def target_words(task: Any) -> tuple[str, ...]:
    """The target text of every label id (regression: the 26 score strings 0.0 .. 5.0)."""
    if getattr(task, "kind", "classification") == "regression":
        return STSB_SCORES
    words = text_format(task).words
    if len(words) != task.num_labels:
        raise ValueError(f"{task.folder}: {len(words)} target words for {task.num_labels} labels")
    return words


def score_text(score: float) -> str:
    """A regression score as T5 writes it: rounded to the nearest 0.2 (half to even, like
    ``tf.round``), clipped to 0..5, one decimal."""
    return f"{min(max(round(score * 5) / 5, 0.0), 5.0):.1f}"


def format_input(fmt: TextFormat, fields: Mapping[str, Any]) -> str:
    """``prefix name1: value1 name2: value2 ...`` for one example's input fields."""
    named = {fmt.names.get(k, k): str(v) for k, v in fields.items()}
    order = fmt.order or tuple(sorted(named))
    text = " ".join([fmt.prefix, *(f"{name}: {named[name]}" for name in order)])
    if fmt.strip_html:
        text = re.sub(r"</?b>", "", text.replace("<br>", " "))
    return text


def format_inputs(task: Any, examples: Examples) -> list[str]:
    """The input text of every example: its fields read from the official split when there is one
    (COPA's flat texts are reshaped into options), else the flat texts under the task's columns."""
    fmt = text_format(task)
    if examples.source is not None:
        return [format_input(fmt, ex.inputs) for ex in examples.source.examples]
    columns = [c.rsplit(".", 1)[-1] for c in task.text_columns]
    return [format_input(fmt, dict(zip(columns, texts, strict=True))) for texts in examples.texts]


def format_targets(task: Any, examples: Examples) -> list[str] | None:
    """The target text of every labelled example (None for an unlabelled split)."""
    if examples.labels is None:
        return None
    if getattr(task, "kind", "classification") == "regression":
        return [score_text(float(y)) for y in examples.labels]
    words = target_words(task)
    return [words[int(y)] for y in examples.labels]


class TextToTextSplit:
    """A tokenised split for an encoder-decoder: the formatted input, and when labelled the
    target word's tokens (``labels``) and its index among the target words (``choice``)."""

    def __init__(self, task: Any, examples: Examples, tokenizer: Any, max_length: int) -> None:
        enc = tokenizer(format_inputs(task, examples), truncation=True, max_length=max_length)
        self.features = [{"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i]}
                         for i in range(len(examples))]
        targets = format_targets(task, examples)
        if targets is not None:
            index = {w: i for i, w in enumerate(target_words(task))}
            ids = tokenizer(targets)["input_ids"]
            for item, target, target_ids in zip(self.features, targets, ids, strict=True):
                item["labels"], item["choice"] = target_ids, index[target]

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.features[i]


def collate_text_to_text(pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    """Pad inputs with ``pad_id`` (mask 0) and target tokens with -100, which the loss ignores."""
    import torch

    def _collate(items: list[dict[str, Any]]) -> dict[str, Any]:
        batch: dict[str, Any] = {}
        for key, fill in (("input_ids", pad_id), ("attention_mask", 0), ("labels", -100)):
            if key in items[0]:
                longest = max(len(it[key]) for it in items)
                batch[key] = torch.tensor([list(it[key]) + [fill] * (longest - len(it[key])) for it in items],
                                          dtype=torch.long)
        if "choice" in items[0]:
            batch["choice"] = torch.tensor([it["choice"] for it in items], dtype=torch.long)
        return batch

    return _collate


def rank_scores(model: Any, input_ids: Any, attention_mask: Any, candidates: Any) -> Any:
    """(examples, candidates) sequence log-likelihoods of every candidate target under ``model``:
    the encoder runs once per batch and its states are repeated over the candidates (a chunk of
    them at a time); ``candidates`` holds token ids padded with -100."""
    import torch
    from transformers.modeling_outputs import BaseModelOutput

    hidden = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    n, total = input_ids.size(0), candidates.size(0)
    per = max(1, _ROWS // max(1, n))
    scores = []
    for start in range(0, total, per):
        chunk = candidates[start:start + per]
        c = chunk.size(0)
        labels = chunk.repeat(n, 1)  # row i * c + j: example i, candidate j
        out = model(encoder_outputs=BaseModelOutput(last_hidden_state=hidden.repeat_interleave(c, 0)),
                    attention_mask=attention_mask.repeat_interleave(c, 0),
                    decoder_input_ids=model.prepare_decoder_input_ids_from_labels(labels=labels))
        logp = out.logits.float().log_softmax(-1)
        keep = labels != -100
        token = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1) * keep
        scores.append(token.sum(-1).view(n, c))
    return torch.cat(scores, 1)


class TextToTextHead:
    """T5's text-to-text format on an encoder-decoder (`*ForConditionalGeneration`): trained with
    teacher-forced cross-entropy on the target word's tokens; predicts by rank classification,
    the target word (STS-B: score string) with the highest sequence log-likelihood, so every
    prediction is a valid label id (or score) of the task."""

    name = "text_to_text"
    family_head = "seq2seq"

    def __init__(self, task: Any) -> None:
        self.task = task
        self.regression = getattr(task, "kind", "classification") == "regression"
        self.words = target_words(task)
        self._candidates: Any = None

    def build(self, model_cfg: Any, train: Examples) -> tuple[Any, Any]:
        from nlpbench.errors import ConfigError
        from nlpbench.models.families import build_for_classification
        from nlpbench.tasks.heads import model_problem

        problem = model_problem(self.name, None if model_cfg.checkpoint else model_cfg.family)
        if problem is not None:
            raise ConfigError([problem])
        # the tokenizer learns the prefix, field names and target words along with the texts
        texts = format_inputs(self.task, train) + list(self.words) * 8
        return build_for_classification(model_cfg, texts, self.task.num_labels, self.family_head)

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any:
        import torch

        ids = tokenizer(list(self.words))["input_ids"]
        longest = max(len(i) for i in ids)
        self._candidates = torch.tensor([list(i) + [-100] * (longest - len(i)) for i in ids],
                                        dtype=torch.long)
        return TextToTextSplit(self.task, examples, tokenizer, max_length)

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
        return collate_text_to_text(pad_id)

    def loss(self, model: Any, batch: dict[str, Any]) -> Any:
        return model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                     labels=batch["labels"]).loss

    def evaluate(self, model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
        """(the gold targets' token cross-entropy or None without labels, the best target's index)."""
        if self._candidates is None:
            raise RuntimeError("text_to_text: encode a split before evaluating (it tokenises the targets)")
        candidates = self._candidates.to(batch["input_ids"].device)
        scores = rank_scores(model, batch["input_ids"], batch["attention_mask"], candidates)
        loss = None
        if "choice" in batch:  # the teacher-forced loss of the gold targets, from the same scores
            gold = batch["choice"]
            tokens = (candidates[gold] != -100).sum()
            loss = -scores.gather(1, gold.unsqueeze(1)).sum() / tokens
        return loss, scores.argmax(-1).cpu()

    def decode(self, outputs: list[Any], encoded: Any) -> list[Any]:
        import torch

        best = torch.cat(outputs).tolist() if outputs else []
        return [float(self.words[i]) for i in best] if self.regression else [int(i) for i in best]

    def gold(self, examples: Examples) -> list[Any]:
        return list(examples.labels or [])
