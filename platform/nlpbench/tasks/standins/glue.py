"""GLUE stand-ins: each task's TSV files, with the GLUE download's columns, from the synthetic builders."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic.builders import (
    acceptability_example,
    entailment_frames,
    entailment_pair,
    extractive_qa,
    paraphrase_frames,
    sentiment_example,
    similarity_pair,
)
from nlpbench.data.synthetic.realisation import realise, realise_question
from nlpbench.data.synthetic.semantics import Frame, iter_nps, quantified
from nlpbench.tasks.standins.common import Builder, Files, Sizes, draw, split_rng, tsv, winograd

BOM = "\ufeff"  # MRPC's train and dev files start with one
Rows = list[list[str]]
Row = Callable[[random.Random, int, bool], list[str]]  # (rng, index, labelled) -> cells


def _labelled(task: str, seed: int, sizes: Sizes, row: Row) -> tuple[Rows, Rows, Rows]:
    """Rows of train, dev and test from ``row(rng, i, labelled)``, each split its own generator."""
    out = []
    for split, n in (("train", sizes.train), ("dev", sizes.dev), ("test", sizes.test)):
        rng = split_rng(task, seed, split)
        out.append([row(rng, i, split != "test") for i in range(n)])
    return out[0], out[1], out[2]


def _files(columns: list[str], task: str, seed: int, sizes: Sizes, row: Row) -> Files:
    """train/dev.tsv with a last column "label", test.tsv without it."""
    train, dev, test = _labelled(task, seed, sizes, row)
    return {"train.tsv": tsv([*columns, "label"], train), "dev.tsv": tsv([*columns, "label"], dev),
            "test.tsv": tsv(columns, test)}


def _with_label(cells: list[str], label: str, labelled: bool) -> list[str]:
    return [*cells, label] if labelled else cells


# --------------------------------------------------------------------------- single sentences


def cola(seed: int, sizes: Sizes) -> Files:
    """CoLA ← acceptability_example: headerless train/dev (source, label, mark, sentence)."""
    def rows(split: str, n: int) -> Rows:
        rng = split_rng("glue/cola", seed, split)
        out = []
        for _ in range(n):
            ex = acceptability_example(rng)
            out.append(["syn00", str(int(ex.acceptable)), "" if ex.acceptable else "*", ex.text])
        return out

    test = [[str(i), text] for i, (*_, text) in enumerate(rows("test", sizes.test))]
    return {"train.tsv": tsv([], rows("train", sizes.train)), "dev.tsv": tsv([], rows("dev", sizes.dev)),
            "test.tsv": tsv(["index", "sentence"], test)}


def sst2(seed: int, sizes: Sizes) -> Files:
    """SST-2 ← sentiment_example: sentence, label; test index, sentence."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        ex = sentiment_example(rng)
        return [ex.text, str(ex.label)] if labelled else [str(i), ex.text]

    train, dev, test = _labelled("glue/sst2", seed, sizes, row)
    return {"train.tsv": tsv(["sentence", "label"], train), "dev.tsv": tsv(["sentence", "label"], dev),
            "test.tsv": tsv(["index", "sentence"], test)}


# --------------------------------------------------------------------------- paraphrase and similarity


def mrpc(seed: int, sizes: Sizes) -> Files:
    """MRPC ← paraphrase_frames: Quality, #1 ID, #2 ID, #1 String, #2 String (test: index first)."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        a, b, same = paraphrase_frames(rng)
        cells = [str(1000000 + 2 * i), str(1000001 + 2 * i), realise(a, rng), realise(b, rng)]
        return [str(int(same)), *cells] if labelled else [str(i), *cells]

    train, dev, test = _labelled("glue/mrpc", seed, sizes, row)
    head = ["#1 ID", "#2 ID", "#1 String", "#2 String"]
    return {"train.tsv": BOM + tsv(["Quality", *head], train), "dev.tsv": BOM + tsv(["Quality", *head], dev),
            "test.tsv": tsv(["index", *head], test)}


def _askable(frame: Frame) -> bool:
    return not frame.negated and quantified(frame) is None


def qqp(seed: int, sizes: Sizes) -> Files:
    """QQP ← paraphrase_frames asked as yes/no questions: duplicates are equivalent frames."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        a, b, same = draw(rng, paraphrase_frames, lambda x: _askable(x[0]) and _askable(x[1]), "QQP")
        q1, q2 = realise_question(a), realise_question(b)
        if not labelled:
            return [str(i), q1, q2]
        return [str(i), str(2 * i), str(2 * i + 1), q1, q2, str(int(same))]

    train, dev, test = _labelled("glue/qqp", seed, sizes, row)
    head = ["id", "qid1", "qid2", "question1", "question2", "is_duplicate"]
    return {"train.tsv": tsv(head, train), "dev.tsv": tsv(head, dev),
            "test.tsv": tsv(["id", "question1", "question2"], test)}


def stsb(seed: int, sizes: Sizes) -> Files:
    """STS-B ← similarity_pair (already 0..5): the GLUE columns, score last, 3 decimals."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        ex = similarity_pair(rng)
        cells = [str(i), "main-synthetic", "synthetic", "2024", f"{i:04d}", "none", "none",
                 ex.sentence1, ex.sentence2]
        return [*cells, f"{ex.score:.3f}"] if labelled else cells

    train, dev, test = _labelled("glue/stsb", seed, sizes, row)
    head = ["index", "genre", "filename", "year", "old_index", "source1", "source2", "sentence1", "sentence2"]
    return {"train.tsv": tsv([*head, "score"], train), "dev.tsv": tsv([*head, "score"], dev),
            "test.tsv": tsv(head, test)}


# --------------------------------------------------------------------------- inference


def frame_topic(frame: Frame) -> str | None:
    """The topic a frame talks about: its first topical noun, else its verb's topic."""
    for np in iter_nps(frame):
        if np.noun is not None and np.noun.topic:
            return np.noun.topic
    return None if frame.copula else lx.VERBS[frame.predicate].topic


MATCHED, MISMATCHED = lx.TOPICS[:5], lx.TOPICS[5:]  # MNLI's genres: topics of the premise
_MNLI_HEAD = ["index", "promptID", "pairID", "genre", "sentence1_binary_parse", "sentence2_binary_parse",
              "sentence1_parse", "sentence2_parse", "sentence1", "sentence2"]


def _parses(text: str) -> list[str]:
    words = " ".join(re.findall(r"\w+|[^\w\s]", text))
    return [f"( {words} )", f"(ROOT {words})"]


def _mnli_rows(seed: int, split: str, n: int, genres: tuple[str, ...], labels: int) -> Rows:
    rng = split_rng("glue/mnli", seed, split)
    rows = []
    for i in range(n):
        p, h, label = draw(rng, entailment_frames, lambda x: frame_topic(x[0]) in genres, "MNLI")
        s1, s2 = realise(p, rng), realise(h, rng)
        b1, c1 = _parses(s1)
        b2, c2 = _parses(s2)
        rows.append([str(i), str(i), f"{i}", str(frame_topic(p)), b1, b2, c1, c2, s1, s2]
                    + [label] * labels)
    return rows


def mnli(seed: int, sizes: Sizes) -> Files:
    """MNLI ← entailment_frames; genre = the premise's topic, matched and mismatched topics disjoint.

    train.tsv has label1 and gold_label, dev files label1..label5 and gold_label (all the same
    synthetic label), test files no label columns.
    """
    dev_head = [*_MNLI_HEAD, "label1", "label2", "label3", "label4", "label5", "gold_label"]
    out = {"train.tsv": tsv([*_MNLI_HEAD, "label1", "gold_label"],
                            _mnli_rows(seed, "train", sizes.train, MATCHED, 2))}
    for part, genres in (("matched", MATCHED), ("mismatched", MISMATCHED)):
        out[f"dev_{part}.tsv"] = tsv(dev_head, _mnli_rows(seed, f"dev_{part}", sizes.dev, genres, 6))
        out[f"test_{part}.tsv"] = tsv(_MNLI_HEAD, _mnli_rows(seed, f"test_{part}", sizes.test, genres, 0))
    return out


def _sentences(context: str) -> list[tuple[int, str]]:
    """(offset, sentence) of each sentence of a generated context (sentences end with '.', '!' or '?')."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^ ].*?[.!?](?= |$)", context)]


def qnli(seed: int, sizes: Sizes) -> Files:
    """QNLI ← extractive_qa: entailment when the sentence holds the answer span; not_entailment for
    another sentence without the answer text, or any sentence for an unanswerable question."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        entail = rng.random() < 0.5
        qa = draw(rng, extractive_qa, lambda q: not (entail and q.is_impossible), "QNLI")
        sentences = _sentences(qa.context)
        if entail:
            answer = qa.answers[0]
            sentence = next(s for o, s in sentences if o <= answer.start < o + len(s))
        else:
            others = [s for _, s in sentences if all(a.text not in s for a in qa.answers)]
            if not others:  # every sentence names the answer: ask an unanswerable question instead
                qa = draw(rng, extractive_qa, lambda q: q.is_impossible, "QNLI")
                others = [s for _, s in _sentences(qa.context)]
            sentence = rng.choice(others)
        return _with_label([str(i), qa.question, sentence], ENTAIL[not entail], labelled)

    return _files(["index", "question", "sentence"], "glue/qnli", seed, sizes, row)


ENTAIL = ("entailment", "not_entailment")


def rte(seed: int, sizes: Sizes) -> Files:
    """RTE ← entailment_pair, neutral and contradiction collapsed to not_entailment, half each."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        entail = rng.random() < 0.5
        ex = draw(rng, entailment_pair, lambda e: (e.label == "entailment") == entail, "RTE")
        return _with_label([str(i), ex.premise, ex.hypothesis], ENTAIL[not entail], labelled)

    return _files(["index", "sentence1", "sentence2"], "glue/rte", seed, sizes, row)


def wnli(seed: int, sizes: Sizes) -> Files:
    """WNLI ← Winograd schemas as entailment (``standins.winograd``): sentence2 says the reason of
    sentence1 of one of its two people; 1 when the pronoun refers to that person. Only reasons that
    explain one role in every schema are used, so the reason word resolves the pronoun."""
    def row(rng: random.Random, i: int, labelled: bool) -> list[str]:
        ex = winograd(rng)
        return _with_label([str(i), ex.premise, ex.hypothesis], str(int(ex.entailed)), labelled)

    return _files(["index", "sentence1", "sentence2"], "glue/wnli", seed, sizes, row)


def ax(seed: int, sizes: Sizes) -> Files:
    """AX ← entailment_pair: diagnostic.tsv (unlabelled) and diagnostic-full.tsv with the same pairs.

    The phenomenon columns stay empty (no builder tags its phenomena); Domain is "Artificial".
    """
    rng = split_rng("glue/ax", seed, "test")
    pairs = [entailment_pair(rng) for _ in range(sizes.test)]
    full_head = ["Lexical Semantics", "Predicate-Argument Structure", "Logic", "Knowledge", "Domain",
                 "Premise", "Hypothesis", "Label"]
    return {"diagnostic.tsv": tsv(["index", "sentence1", "sentence2"],
                                  [[str(i), p.premise, p.hypothesis] for i, p in enumerate(pairs)]),
            "diagnostic-full.tsv": tsv(full_head, [["", "", "", "", "Artificial", p.premise, p.hypothesis,
                                                    p.label] for p in pairs])}


GLUE_BUILDERS: dict[str, Builder] = {
    "glue/cola": cola, "glue/sst2": sst2, "glue/mrpc": mrpc, "glue/stsb": stsb, "glue/qqp": qqp,
    "glue/mnli": mnli, "glue/qnli": qnli, "glue/rte": rte, "glue/wnli": wnli, "glue/ax": ax,
}
