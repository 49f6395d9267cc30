"""SuperGLUE stand-ins: each task's JSON-lines files, with the distribution's fields, from the builders."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from nlpbench.data.synthetic.builders import (
    boolean_question,
    causal_choice,
    coreference_example,
    entailment_pair,
    extractive_qa,
    word_sense_pair,
)
from nlpbench.tasks.standins import Builder, Files, Sizes, draw, jsonl, split_rng

Record = Callable[[random.Random, int], tuple[dict[str, Any], Any]]  # (rng, idx) -> (fields, label)
ENTAIL = ("entailment", "not_entailment")


def _files(task: str, seed: int, sizes: Sizes, record: Record) -> Files:
    """train.jsonl and val.jsonl with "label", test.jsonl without it; "idx" counts from 0 per file."""
    out = {}
    for split, name, n in (("train", "train.jsonl", sizes.train), ("dev", "val.jsonl", sizes.dev),
                           ("test", "test.jsonl", sizes.test)):
        rng = split_rng(task, seed, split)
        rows = []
        for i in range(n):
            fields, label = record(rng, i)
            rows.append({**fields, "idx": i, **({"label": label} if split != "test" else {})})
        out[name] = jsonl(rows)
    return out


def boolq(seed: int, sizes: Sizes) -> Files:
    """BoolQ ← boolean_question; the question lower-cased without "?", as in BoolQ."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        ex = boolean_question(rng)
        return {"question": ex.question.rstrip("?").lower(), "passage": ex.passage}, ex.answer

    return _files("superglue/boolq", seed, sizes, record)


def cb(seed: int, sizes: Sizes) -> Files:
    """CB ← entailment_pair (entailment, contradiction, neutral)."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        ex = entailment_pair(rng)
        return {"premise": ex.premise, "hypothesis": ex.hypothesis}, ex.label

    return _files("superglue/cb", seed, sizes, record)


def _two_way(rng: random.Random) -> tuple[str, str, str]:
    """An entailment pair with its label collapsed to entailment / not_entailment, half each."""
    entail = rng.random() < 0.5
    ex = draw(rng, entailment_pair, lambda e: (e.label == "entailment") == entail, "RTE")
    return ex.premise, ex.hypothesis, ENTAIL[not entail]


def rte(seed: int, sizes: Sizes) -> Files:
    """RTE ← entailment_pair, neutral and contradiction collapsed to not_entailment."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        premise, hypothesis, label = _two_way(rng)
        return {"premise": premise, "hypothesis": hypothesis}, label

    return _files("superglue/rte", seed, sizes, record)


def axb(seed: int, sizes: Sizes) -> Files:
    """AX-b ← entailment_pair, collapsed as RTE; labelled, as distributed (no phenomenon fields)."""
    rng = split_rng("superglue/axb", seed, "test")
    rows = []
    for i in range(sizes.test):
        premise, hypothesis, label = _two_way(rng)
        rows.append({"sentence1": premise, "sentence2": hypothesis, "label": label, "idx": i})
    return {"AX-b.jsonl": jsonl(rows)}


def copa(seed: int, sizes: Sizes) -> Files:
    """COPA ← causal_choice."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        ex = causal_choice(rng)
        return {"premise": ex.premise, "choice1": ex.choice1, "choice2": ex.choice2,
                "question": ex.question}, ex.label

    return _files("superglue/copa", seed, sizes, record)


def wic(seed: int, sizes: Sizes) -> Files:
    """WiC ← word_sense_pair, with the word's character spans (start1/end1, start2/end2)."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        ex = word_sense_pair(rng)
        (s1, e1), (s2, e2) = ex.spans
        return {"word": ex.word, "sentence1": ex.sentence1, "sentence2": ex.sentence2,
                "start1": s1, "start2": s2, "end1": e1, "end2": e2, "version": 1.1}, ex.same_sense

    return _files("superglue/wic", seed, sizes, record)


def wsc(seed: int, sizes: Sizes) -> Files:
    """WSC ← coreference_example: span1 the candidate, span2 the pronoun, word indices into text."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        ex = coreference_example(rng)
        target = {"span1_index": ex.candidate_index, "span1_text": ex.candidate,
                  "span2_index": ex.pronoun_index, "span2_text": ex.pronoun}
        return {"text": ex.text, "target": target}, ex.refers

    return _files("superglue/wsc", seed, sizes, record)


def _multirc_passage(rng: random.Random, i: int, labelled: bool, answer_ids: list[int]) -> dict[str, Any]:
    qa = draw(rng, extractive_qa, lambda q: not q.is_impossible, "MultiRC")
    gold = qa.answers[0].text
    options = [(gold, 1)]
    while len(options) < 3:  # wrong options: answers to other documents' questions, absent here
        other = draw(rng, extractive_qa, lambda q: not q.is_impossible, "MultiRC").answers[0].text
        if other.lower() not in qa.context.lower() and all(other != o for o, _ in options):
            options.append((other, 0))
    rng.shuffle(options)
    answers = []
    for text, label in options:
        answers.append({"text": text, "idx": answer_ids[0], **({"label": label} if labelled else {})})
        answer_ids[0] += 1
    sentences = qa.context.replace(". ", ".\n").split("\n")
    text = "<br>".join(f"<b>Sent {k}: </b>{s}" for k, s in enumerate(sentences, start=1))
    return {"idx": i, "version": 1.1, "passage": {"text": text, "questions": [
        {"question": qa.question, "idx": i, "answers": answers}]}}


def multirc(seed: int, sizes: Sizes) -> Files:
    """MultiRC ← extractive_qa: one question per passage, the gold span and two wrong options."""
    out = {}
    for split, name, n in (("train", "train.jsonl", sizes.train), ("dev", "val.jsonl", sizes.dev),
                           ("test", "test.jsonl", sizes.test)):
        rng = split_rng("superglue/multirc", seed, split)
        answer_ids = [0]
        out[name] = jsonl([_multirc_passage(rng, i, split != "test", answer_ids) for i in range(n)])
    return out


SUPERGLUE_BUILDERS: dict[str, Builder] = {
    "superglue/boolq": boolq, "superglue/cb": cb, "superglue/copa": copa, "superglue/multirc": multirc,
    "superglue/rte": rte, "superglue/wic": wic, "superglue/wsc": wsc, "superglue/axb": axb,
}
