"""SuperGLUE stand-ins: each task's JSON-lines files, with the distribution's fields, from the builders."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import replace
from functools import cache
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
from nlpbench.data.synthetic.realisation import realise_question, realise_with_mentions
from nlpbench.data.synthetic.semantics import NP, Coord, Frame, name_np
from nlpbench.data.synthetic.views import View, current_view, lexicon_view
from nlpbench.tasks.standins.common import Builder, Files, Sizes, draw, jsonl, split_rng, winograd

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
_DOMINANT = 0.75  # how often the first WiC sentence uses its word's first-listed sense
_QUALITIES = ("big", "small", "new", "old", "good", "bad", "strange", "famous")  # sense-neutral


def _collocate_pool(pos: str, key: str) -> tuple[str, ...]:
    """Candidate collocates of a sense (noun keys, one word each): the verb's patients, the
    adjective's subjects, or the nouns of the sense's topic."""
    topic = _SENSE_TOPICS.get(key) or lx.sense_topic(pos, key) or ""
    if pos == "verb":
        pool = sm.patients_for(key, topic)
        pool = pool if len(pool) >= 2 else sm.thing_nouns(topic)
    elif pos == "adjective":
        pool = tuple(k for k in sm.topic_nouns(topic) if key in sm.adjectives_for(k, topic))
        pool = pool if len(pool) >= 2 else sm.topic_nouns(topic, "person")
    else:
        pool = sm.topic_nouns(topic)
    return tuple(k for k in pool if "/" not in k and k in lx.NOUNS and " " not in lx.NOUNS[k].word)


@cache
def _collocates(view: View = "all") -> dict[str, tuple[str, ...]]:
    """Sense key -> its two collocates, picked by a hash of the sense; no two senses share one.
    A view draws them from its own half of the nouns: training sentences show seen collocates,
    dev and test unseen ones, whose topic (and so the sense) only pretraining has shown."""
    out: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    with lexicon_view(view):  # cached: the same whichever split asks first
        for _, senses in sorted(lx.polysemous_words().items()):
            for pos, key in senses:
                ranked = sorted((k for k in _collocate_pool(pos, key) if k not in taken),
                                key=lambda k, key=key: hashlib.sha1(f"{key}/{k}".encode()).digest())
                out[key] = tuple(ranked[:2])
                taken |= set(ranked[:2])
    return out


def sense_collocates(pos: str, key: str) -> tuple[str, ...]:
    """The sense's own two collocates in the current view (nouns of its topic, or what the verb or
    adjective goes with), as words; no other sense of any word uses them."""
    return tuple(lx.NOUNS[k].word for k in _collocates(current_view())[key])


def _sense_sentence(rng: random.Random, word: str, pos: str, key: str) -> tuple[str, tuple[int, int]]:
    """A short sentence opening "The <collocate>" with ``key`` right after it; the word's span."""
    c = rng.choice(sense_collocates(pos, key))
    if pos == "verb":
        verb = lx.VERBS[key]
        head, form, tail = f"The {c} {rng.choice(('was', 'is'))} ", verb.pp, f" by {sm.random_name(rng)}."
    elif pos == "adjective":
        head, form, tail = f"The {c} {rng.choice(('was', 'is'))} ", word, "."
    else:
        head, form, tail = f"The {c} ", word, f" {rng.choice(('was', 'is'))} {rng.choice(_QUALITIES)}."
    return head + form + tail, (len(head), len(head) + len(form))


def word_in_context(rng: random.Random) -> WordSensePair:
    """A polysemous word in two sentences, same sense or not (half each).

    Each sense comes with its own two collocates (no other sense uses them) and every sentence
    opens with one of them right before the word ("The ranger bank ...", "The train was caught
    by ..."): the sense shows in the word next to it, as in WiC, at the same place in both
    sentences, and whether the two collocates belong to one sense decides the label.

    A word's first-listed sense is its dominant one: the first sentence uses it three times in
    four (the second sentence's sense then says "same" or not three times in four, a one-sided
    cue a tiny model picks up in three epochs; all four need the comparison). With senses drawn
    evenly, or collocates anywhere in longer sentences, a tiny model stayed at chance.
    """
    same = rng.random() < 0.5
    word, senses = rng.choice(sorted(lx.polysemous_words().items()))
    first = senses[0] if rng.random() < _DOMINANT else rng.choice(senses[1:])
    second = first if same else rng.choice([s for s in senses if s != first])
    while True:
        (s1, span1), (s2, span2) = (_sense_sentence(rng, word, *sense) for sense in (first, second))
        if s1 != s2:
            return WordSensePair(word, s1, s2, same, (span1, span2))


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
    names: list[str] = []
    for _ in range(1 if rng.random() < 0.3 else 2):
        names.append(sm.random_name(rng, exclude=tuple(used | set(names))))
    agent = name_np(names[0]) if len(names) == 1 else Coord(tuple(name_np(n) for n in names))
    frame = sm.event_frame(rng, agent, topic, tense="past", transitive=True, topical=True)
    if frame is None or frame.patient is None or not isinstance(frame.patient, NP) or frame.patient.relative:
        return None
    return replace(frame, voice="active"), names


def _multirc_passage(rng: random.Random, i: int, labelled: bool, ids: list[int]) -> dict[str, Any]:
    """Two short sentences and a "Who ..." question about each (in random order); a question's
    four options are the names of its sentence (right), and a name and things of the passage's
    topic that the passage never mentions (wrong)."""
    def build(rng: random.Random) -> tuple[str, list[Frame], list[list[str]]] | None:
        topic, frames, people, used = rng.choice(lx.TOPICS), [], [], set()
        for _ in range(2):
            made = _multirc_sentence(rng, topic, used)
            if made is None or any(f.patient == made[0].patient for f in frames):
                return None
            frames.append(made[0])
            people.append(made[1])
            used |= set(made[1])
        return topic, frames, people

    topic, frames, people = draw(rng, build, lambda x: x is not None, "MultiRC")  # type: ignore[misc]
    real = [realise_with_mentions(f) for f in frames]
    text = "<br>".join(f"<b>Sent {k}: </b>{r.text}" for k, r in enumerate(real, start=1))
    words = set(text.replace("<", " ").replace(">", " ").replace(".", " ").split())
    things = [f"The {lx.NOUNS[k].word}" for k in sm.thing_nouns(topic)
              if not set(lx.NOUNS[k].word.split()) & words]
    everyone = tuple(n for n in lx.NAMES if n in words)  # agents, and any patient that is a name
    questions = []
    for q in rng.sample(range(len(frames)), len(frames)):
        wrong = [sm.random_name(rng, exclude=everyone)]
        wrong += rng.sample(things, 4 - len(people[q]) - 1)  # "Who ...?" -> "The kettle": wrong
        options = [(n, 1) for n in people[q]] + [(n, 0) for n in wrong]
        rng.shuffle(options)
        answers = []
        for option, label in options:
            answers.append({"text": option, "idx": ids[1], **({"label": label} if labelled else {})})
            ids[1] += 1
        question = realise_question(frames[q], "agent")
        questions.append({"question": question, "idx": ids[0], "answers": answers})
        ids[0] += 1
    return {"idx": i, "version": 1.1, "passage": {"text": text, "questions": questions}}


def multirc(seed: int, sizes: Sizes) -> Files:
    """MultiRC: a passage of two short sentences, each with one or two named agents, and a "Who ..."
    question about each; four options a question, of which its sentence's agents are right (1.7 in
    4 on average), and a name and things of the topic ("The kettle") absent from the passage wrong.

    Passage, question and option fit in the 64 tokens of a tiny model (longer passages lost the
    question to truncation). A right option is a person named in the passage: the answer's type
    (that a tiny model learns in three epochs) and its overlap with the paragraph decide the label.
    Wrong options that were all names kept a tiny model at the majority class ("false" for
    every option) when some were named elsewhere in the passage, near it (0.22) when none were.
    """
    out = {}
    for split, name, n in (("train", "train.jsonl", sizes.train), ("dev", "val.jsonl", sizes.dev),
                           ("test", "test.jsonl", sizes.test)):
        rng = split_rng("superglue/multirc", seed, split)
        ids = [0, 0]  # question and answer idx, counted over the file as in MultiRC
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
