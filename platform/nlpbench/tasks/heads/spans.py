"""SQuAD span extraction as pure functions: (question, context) windows with a document stride and
the gold answer's token positions; n-best answer spans decoded from start/end logits, the
no-answer score and its threshold tuned on a labelled split."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Offsets = list[tuple[int, int] | None]  # per token: its (start, end) in the context, None outside it

#: the token that stands for "no answer" (and for an answer outside the window): the first one
NULL_INDEX = 0


@dataclass(frozen=True)
class Windows:
    """The features of a split: one window of (question, context) per row.

    ``inputs`` are the tokenizer's outputs per window (input_ids, attention_mask, token_type_ids
    when it makes them); ``example_index`` the example each window comes from (windows of one
    example are consecutive, in context order); ``offsets`` the context characters of each token
    (None for question and special tokens); ``starts``/``ends`` the gold answer's first and last
    token, NULL_INDEX when the window does not hold the whole answer or there is none (None when
    no answers were given)."""

    inputs: list[dict[str, list[int]]]
    example_index: list[int]
    offsets: list[Offsets]
    starts: list[int] | None = None
    ends: list[int] | None = None

    def __len__(self) -> int:
        return len(self.inputs)


def build_windows(tokenizer: Any, questions: Sequence[str], contexts: Sequence[str], max_length: int,
                  doc_stride: int, answers: Sequence[tuple[str, int] | None] | None = None) -> Windows:
    """Tokenise each (question, context) pair into windows of at most ``max_length`` tokens that
    truncate only the context, consecutive windows sharing ``doc_stride`` context tokens.

    ``answers`` (for training) gives per example the first gold answer as (text, character start
    in the context), or None when unanswerable. Questions longer than half of ``max_length`` are
    cut to that many tokens, and an example whose question leaves fewer than ``2 * doc_stride``
    context tokens per window shares half of them, so that every window moves forward.
    """
    if not tokenizer.is_fast:
        raise TypeError("span extraction needs a fast tokenizer (character offsets of tokens)")
    questions = [_cut_question(tokenizer, q.lstrip(), max_length // 2) for q in questions]
    specials = tokenizer.num_special_tokens_to_add(pair=True)
    lengths = [len(ids) for ids in tokenizer(questions, add_special_tokens=False)["input_ids"]]
    strides = [min(doc_stride, max(0, (max_length - n - specials) // 2)) for n in lengths]
    rows: list[tuple[int, int, dict[str, list[int]], Offsets]] = []
    for stride in sorted(set(strides)):  # the tokenizer takes one stride per call
        group = [i for i, s in enumerate(strides) if s == stride]
        enc = tokenizer([questions[i] for i in group], [contexts[i] for i in group], truncation="only_second",
                        max_length=max_length, stride=stride, return_overflowing_tokens=True,
                        return_offsets_mapping=True)
        keys = [k for k in enc if k not in ("offset_mapping", "overflow_to_sample_mapping")]
        for j, sample in enumerate(enc["overflow_to_sample_mapping"]):
            sequence = enc.sequence_ids(j)
            offsets: Offsets = [tuple(o) if s == 1 else None  # type: ignore[misc]
                                for o, s in zip(enc["offset_mapping"][j], sequence, strict=True)]
            rows.append((group[sample], j, {k: list(enc[k][j]) for k in keys}, offsets))
    rows.sort(key=lambda r: (r[0], r[1]))  # example order, then window order
    windows = Windows([r[2] for r in rows], [r[0] for r in rows], [r[3] for r in rows])
    if answers is None:
        return windows
    positions = [answer_positions(offsets, answers[i]) for i, offsets in zip(windows.example_index,
                                                                               windows.offsets, strict=True)]
    return Windows(windows.inputs, windows.example_index, windows.offsets,
                   [p[0] for p in positions], [p[1] for p in positions])


def _cut_question(tokenizer: Any, question: str, most: int) -> str:
    """``question`` up to the end of its ``most``-th token."""
    enc = tokenizer(question, add_special_tokens=False, return_offsets_mapping=True)
    if len(enc["input_ids"]) <= most:
        return question
    return question[:enc["offset_mapping"][most - 1][1]]


def answer_positions(offsets: Offsets, answer: tuple[str, int] | None) -> tuple[int, int]:
    """The (first, last) token of ``answer`` (text, character start) in a window whose context
    tokens have ``offsets``; (NULL_INDEX, NULL_INDEX) when there is no answer or the window does not
    hold all of it."""
    if answer is None:
        return NULL_INDEX, NULL_INDEX
    text, start = answer
    end = start + len(text)
    inside = [k for k, o in enumerate(offsets) if o is not None]
    if not inside or offsets[inside[0]][0] > start or offsets[inside[-1]][1] < end:  # type: ignore[index]
        return NULL_INDEX, NULL_INDEX
    first = max(k for k in inside if offsets[k][0] <= start)  # type: ignore[index]
    last = min(k for k in inside if offsets[k][1] >= end)  # type: ignore[index]
    return first, last


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Candidate:
    """One answer span: its text in the context, score (start + end logit) and characters."""

    text: str
    score: float
    start: int
    end: int


@dataclass(frozen=True)
class SpanAnswer:
    """The n-best answer spans of one example (best first; empty when no span is valid) and its
    no-answer score (the smallest start + end logit of the null token over its windows)."""

    n_best: tuple[Candidate, ...]
    null_score: float

    @property
    def text(self) -> str:
        """The best span's text ("" when there is none)."""
        return self.n_best[0].text if self.n_best else ""

    @property
    def na_prob(self) -> float:
        """The probability of no answer: the logistic of (null score - best span score)."""
        if not self.n_best:
            return 1.0
        diff = self.null_score - self.n_best[0].score
        return 1.0 / (1.0 + math.exp(-diff)) if diff > -700 else 0.0


def decode_spans(context: str, windows: Sequence[tuple[np.ndarray, np.ndarray, Offsets]],
                 n_best: int, max_answer_length: int) -> SpanAnswer:
    """The ``n_best`` spans of one example over its windows (start logits, end logits, offsets):
    start <= end, at most ``max_answer_length`` tokens, both ends inside the context; scored by
    start + end logit; a span seen in two windows keeps its best score."""
    best: dict[tuple[int, int], Candidate] = {}
    null_score = math.inf
    for start_logits, end_logits, offsets in windows:
        start_logits, end_logits = np.asarray(start_logits), np.asarray(end_logits)
        null_score = min(null_score, float(start_logits[NULL_INDEX] + end_logits[NULL_INDEX]))
        n = min(len(offsets), len(start_logits))
        starts = np.argsort(-start_logits[:n], kind="stable")[:n_best]
        ends = np.argsort(-end_logits[:n], kind="stable")[:n_best]
        for s in starts:
            for e in ends:
                a, b = offsets[s], offsets[e]
                if a is None or b is None or e < s or e - s + 1 > max_answer_length:
                    continue
                score = float(start_logits[s] + end_logits[e])
                key = (a[0], b[1])
                if key not in best or best[key].score < score:
                    best[key] = Candidate(context[a[0]:b[1]], score, a[0], b[1])
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.start, c.end))[:n_best]
    return SpanAnswer(tuple(ranked), null_score if windows else math.inf)


def with_threshold(answers: Sequence[SpanAnswer], threshold: float) -> list[str]:
    """Each example's best span, or "" (no answer) when its no-answer probability exceeds
    ``threshold`` (the official v2 evaluation's rule)."""
    return ["" if a.na_prob > threshold else a.text for a in answers]


def tune_threshold(ids: Sequence[str], answers: Sequence[SpanAnswer],
                   golds: Sequence[Sequence[str]]) -> float:
    """The no-answer threshold with the best F1 over a labelled split, as the official v2
    evaluation's ``find_best_thresh`` finds it from the best spans and no-answer probabilities."""
    from nlpbench.metrics.squad import best_scores, find_best_thresh

    texts = [a.text for a in answers]
    f1 = best_scores(golds, texts, v2=True)[1]
    preds: Mapping[str, str] = dict(zip(ids, texts, strict=True))
    return find_best_thresh(preds, dict(zip(ids, f1, strict=True)),
                            {i: a.na_prob for i, a in zip(ids, answers, strict=True)},
                            {i: bool(g) for i, g in zip(ids, golds, strict=True)})[1]
