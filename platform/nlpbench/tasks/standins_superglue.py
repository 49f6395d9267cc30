"""SuperGLUE stand-ins: each task's JSON-lines files, with the distribution's fields, from the builders."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic import sampling as sm
from nlpbench.data.synthetic.builders import (
    WordSensePair,
    boolean_question,
    causal_choice,
    coreference_example,
    entailment_pair,
)
from nlpbench.data.synthetic.realisation import random_style, realise, realise_question, realise_with_mentions
from nlpbench.data.synthetic.semantics import NP, Coord, Frame, Place, name_np, noun_np
from nlpbench.tasks.standins import Builder, Files, Sizes, draw, jsonl, split_rng, winograd

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


# senses without a topic of their own get one far from their word's other sense
_SENSE_TOPICS = {"lose/item": "travel", "rough/manner": "school"}


def _cues(key: str, pool: tuple[str, ...], n: int = 1) -> tuple[str, ...]:
    """The sense's own few context words of one kind: ``n`` of ``pool`` picked by a hash of the sense."""
    ranked = sorted((k for k in pool if k != key), key=lambda k: hashlib.sha1(f"{key}/{k}".encode()).digest())
    return tuple(ranked[:n])


def _sense_frame(rng: random.Random, pos: str, key: str) -> Frame | None:
    """A sentence frame using ``key``, its person and place drawn from the sense's own cue words."""
    topic = _SENSE_TOPICS.get(key) or lx.sense_topic(pos, key) or ""
    person = noun_np(rng.choice(_cues(key, sm.topic_nouns(topic, "person"))), "the",
                     gender=rng.choice(("male", "female")))
    place = Place(noun_np(rng.choice(_cues(key, sm.topic_nouns(topic, "place")))))
    tense = rng.choice(("past", "present"))
    if pos == "verb":
        patients = sm.patients_for(key, topic) or tuple(k for t in lx.TOPICS for k in sm.patients_for(key, t))
        return Frame(person, key, noun_np(rng.choice(patients)), tense=tense, place=place)
    if pos == "adjective":
        subjects = [k for k in sm.topic_nouns(topic) if key in sm.adjectives_for(k, topic)]
        if not subjects:
            return None
        subject = person if sm.PERSON in subjects or any(lx.NOUNS[k].kind == "person" for k in subjects) \
            else noun_np(rng.choice(subjects))
        return Frame(subject, key, tense=tense, copula=True, place=place)
    kind = lx.NOUNS[key].kind
    if kind == "person":
        frame = sm.event_frame(rng, noun_np(key, gender=rng.choice(("male", "female"))), topic, tense=tense,
                               transitive=True, topical=True)
        return None if frame is None else replace(frame, place=place)
    if kind == "place":
        frame = sm.event_frame(rng, person, topic, tense=tense, transitive=True, topical=True)
        return None if frame is None else replace(frame, place=Place(noun_np(key)))
    if kind == "animal":
        frame = sm.event_frame(rng, noun_np(key), topic, tense=tense, transitive=False)
        return None if frame is None else replace(frame, place=place)
    verbs = sm.verbs_between(sm.PERSON, key, topic)
    verbs = tuple(v for v in verbs if lx.VERBS[v].topic == topic) or tuple(
        v for v in verbs if not lx.VERBS[v].stative)
    return Frame(person, rng.choice(verbs), noun_np(key), tense=tense, place=place) if verbs else None


def word_in_context(rng: random.Random) -> WordSensePair:
    """A polysemous word in two sentences, same sense or not (half each). Each sense is used with
    its own two people and two places (of its topic), so the senses differ in visible context
    words and sentences of one sense tend to share some: learnable at tiny scale."""
    same = rng.random() < 0.5

    def build(rng: random.Random) -> WordSensePair | None:
        word, senses = rng.choice(sorted(lx.polysemous_words().items()))
        first = rng.choice(senses)
        second = first if same else rng.choice([s for s in senses if s != first])
        out = []
        for pos, key in (first, second):
            frame = _sense_frame(rng, pos, key)
            if frame is None:
                return None
            real = realise_with_mentions(frame, random_style(frame, rng))
            span = next(((x.start, x.end) for x in real.lexemes if x.key == key), None)
            if span is None:
                return None
            out.append((real.text, span))
        if out[0][0] == out[1][0]:
            return None
        return WordSensePair(word, out[0][0], out[1][0], same, (out[0][1], out[1][1]))

    return draw(rng, build, lambda ex: ex is not None, "WiC")  # type: ignore[return-value]


def wic(seed: int, sizes: Sizes) -> Files:
    """WiC ← ``word_in_context``, with the word's character spans (start1/end1, start2/end2)."""
    def record(rng: random.Random, i: int) -> tuple[dict[str, Any], Any]:
        ex = word_in_context(rng)
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


def _multirc_sentence(rng: random.Random, topic: str, used: set[str]) -> tuple[Frame, list[str]] | None:
    """A short sentence frame whose agent is one or two new names; returns it and the names."""
    names = []
    for _ in range(1 if rng.random() < 0.3 else 2):
        names.append(sm.random_name(rng, exclude=tuple(used | set(names))))
    agent = name_np(names[0]) if len(names) == 1 else Coord(tuple(name_np(n) for n in names))
    frame = sm.event_frame(rng, agent, topic, tense="past", transitive=True, topical=True)
    if frame is None or frame.patient is None or not isinstance(frame.patient, NP) or frame.patient.relative:
        return None
    return replace(frame, voice="active"), names


def _multirc_passage(rng: random.Random, i: int, labelled: bool, ids: list[int]) -> dict[str, Any]:
    """Two short sentences and a "who" question about one of them: its options the names of the
    passage (those of the question's sentence right, the others wrong), filled up to four with
    names the passage never mentions."""
    def build(rng: random.Random) -> tuple[list[Frame], list[list[str]]] | None:
        topic, frames, people, used = rng.choice(lx.TOPICS), [], [], set()
        for _ in range(2):
            made = _multirc_sentence(rng, topic, used)
            if made is None or any((f.predicate, f.patient) == (made[0].predicate, made[0].patient)
                                   for f in frames):
                return None
            frames.append(made[0])
            people.append(made[1])
            used |= set(made[1])
        return frames, people

    frames, people = draw(rng, build, lambda x: x is not None, "MultiRC")  # type: ignore[misc]
    sentences = [realise(f) for f in frames]
    text = "<br>".join(f"<b>Sent {k}: </b>{s}" for k, s in enumerate(sentences, start=1))
    everyone = [n for names in people for n in names]
    q = rng.randrange(len(frames))
    names = people[q]
    wrong = [n for n in everyone if n not in names]
    wrong = rng.sample(wrong, min(len(wrong), 4 - len(names) - 1))
    while len(names) + len(wrong) < 4:
        wrong.append(sm.random_name(rng, exclude=tuple(everyone + wrong)))
    options = [(n, 1) for n in names] + [(n, 0) for n in wrong]
    rng.shuffle(options)
    answers = []
    for name, label in options:
        answers.append({"text": name, "idx": ids[0], **({"label": label} if labelled else {})})
        ids[0] += 1
    questions = [{"question": realise_question(frames[q], "agent"), "idx": i, "answers": answers}]
    return {"idx": i, "version": 1.1, "passage": {"text": text, "questions": questions}}


def multirc(seed: int, sizes: Sizes) -> Files:
    """MultiRC: a passage of two short sentences, each with one or two named agents; a "Who ..."
    question about one of them with four options, of which its agents are right (1.7 in 4 on average).

    Passage, question and option fit in the 64 tokens of a tiny model (longer passages lost the
    question to truncation), and a right option is a name in the sentence the question restates,
    a wrong one a name of another sentence or of none: the lexical overlap a tiny model can learn.
    """
    out = {}
    for split, name, n in (("train", "train.jsonl", sizes.train), ("dev", "val.jsonl", sizes.dev),
                           ("test", "test.jsonl", sizes.test)):
        rng = split_rng("superglue/multirc", seed, split)
        ids = [0]  # answer idx, counted over the file as in MultiRC
        out[name] = jsonl([_multirc_passage(rng, i, split != "test", ids) for i in range(n)])
    return out


def _record_passage(rng: random.Random, i: int, labelled: bool) -> dict[str, Any]:
    """Four sentences, each with its own named agent; the query restates one of them (in the
    active or the passive voice) with the agent as @placeholder; the answer is that name."""
    def build(rng: random.Random) -> list[Frame] | None:
        topic, frames, used = rng.choice(lx.TOPICS), [], set()
        for _ in range(4):
            name = sm.random_name(rng, exclude=tuple(used))
            frame = sm.event_frame(rng, name_np(name), topic, tense="past", transitive=True, topical=True)
            if frame is None or frame.patient is None or any(
                    (f.predicate, f.patient) == (frame.predicate, frame.patient) for f in frames):
                return None
            frames.append(replace(frame, voice="active"))
            used.add(name)
        return frames

    frames = draw(rng, build, lambda x: x is not None, "ReCoRD")
    assert frames is not None
    text, entities = "", []
    for frame in frames:
        real = realise_with_mentions(frame)
        offset = len(text) + (1 if text else 0)
        text = f"{text} {real.text}" if text else real.text
        entities += [(offset + m.start, offset + m.end - 1) for m in real.mentions
                     if m.role == "agent" and not m.pronoun]
    target = rng.choice(frames)
    query = realise_with_mentions(replace(target, voice=rng.choice(("active", "passive"))))
    slot = query.mention("agent")
    assert slot is not None
    answer = slot.text
    qa: dict[str, Any] = {"query": f"{query.text[:slot.start]}@placeholder{query.text[slot.end:]}", "idx": i}
    if labelled:
        qa["answers"] = [{"start": s, "end": e, "text": answer}
                         for s, e in entities if text[s:e + 1] == answer]
    return {"source": "Synthetic", "passage": {"text": text, "entities": [{"start": s, "end": e}
                                                                         for s, e in entities]},
            "qas": [qa], "idx": i}


def record(seed: int, sizes: Sizes) -> Files:
    """ReCoRD: train.jsonl, val.jsonl, test.jsonl (no answers); entity ends inclusive, as distributed."""
    out = {}
    for split, name, n in (("train", "train.jsonl", sizes.train), ("dev", "val.jsonl", sizes.dev),
                           ("test", "test.jsonl", sizes.test)):
        rng = split_rng("superglue/record", seed, split)
        out[name] = jsonl([_record_passage(rng, i, split != "test") for i in range(n)])
    return out


def axg(seed: int, sizes: Sizes) -> Files:
    """AX-g ← Winograd schemas between two roles (no names): examples 2k and 2k+1 are the same
    schema with the people's gender flipped, so they differ only in the pronoun; labelled, as
    distributed. An odd ``sizes.test`` is rounded up (whole pairs only)."""
    rng = split_rng("superglue/axg", seed, "test")
    rows: list[dict[str, Any]] = []
    while len(rows) < sizes.test:
        state, first = rng.getstate(), rng.choice(("male", "female"))
        for gender in (first, "female" if first == "male" else "male"):
            rng.setstate(state)
            rng.random()  # the draw of ``first``, so that both halves see the same stream
            ex = winograd(rng, named_agent=False, gender=gender)  # type: ignore[arg-type]
            rows.append({"premise": ex.premise, "hypothesis": ex.hypothesis,
                         "label": ENTAIL[not ex.entailed], "idx": len(rows)})
    return {"AX-g.jsonl": jsonl(rows)}


SUPERGLUE_BUILDERS: dict[str, Builder] = {
    "superglue/boolq": boolq, "superglue/cb": cb, "superglue/copa": copa, "superglue/multirc": multirc,
    "superglue/rte": rte, "superglue/wic": wic, "superglue/wsc": wsc, "superglue/axb": axb,
    "superglue/record": record, "superglue/axg": axg,
}
