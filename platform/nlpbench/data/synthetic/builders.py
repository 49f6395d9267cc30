"""Labelled examples for the benchmark stand-ins, each label derived from frames and the semantics.

Every builder takes a ``random.Random`` and returns one example. Labels are drawn first (so they
are balanced), the example is constructed to have that label, and the label is then checked
against the semantics (``relation``, ``equivalent``, ``sentiment``, ``similarity``); a draw that
the semantics does not confirm is thrown away and redrawn. Strings are only ever read from
realisations (spans come from mentions), never searched for afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple, TypeVar

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic import sampling as sm
from nlpbench.data.synthetic import views
from nlpbench.data.synthetic.generator import (
    Document,
    SyntheticConfig,
    document_text,
    generate_document,
    sentence_offsets,
)
from nlpbench.data.synthetic.grammar import NUMBERS, TENSES, capitalise
from nlpbench.data.synthetic.knowledge import CAUSAL_LINKS, CausalLink, CorefSchema
from nlpbench.data.synthetic.lexicon import Number
from nlpbench.data.synthetic.realisation import (
    Mention,
    Style,
    random_style,
    realise,
    realise_question,
    realise_with_mentions,
)
from nlpbench.data.synthetic.semantics import (
    NP,
    Argument,
    Coord,
    Frame,
    Place,
    Relation,
    Relative,
    entails,
    equivalent,
    iter_nps,
    name_np,
    negate,
    noun_np,
    paraphrase,
    quantified,
    relation,
    same_description,
    sentiment,
    similarity,
    with_role,
)
from nlpbench.data.synthetic.statements import event_frame

T = TypeVar("T")
MAX_TRIES = 500
_EXCLUSIVE = frozenset({"win", "lose/contest", "defeat", "score", "catch/travel", "miss"})


class SentimentExample(NamedTuple):
    text: str
    label: int  # 1 positive, 0 negative


class EntailmentPair(NamedTuple):
    premise: str
    hypothesis: str
    label: Relation


class ParaphrasePair(NamedTuple):
    sentence1: str
    sentence2: str
    is_paraphrase: bool


class SimilarityPair(NamedTuple):
    sentence1: str
    sentence2: str
    score: float  # 0..5


class AcceptabilityExample(NamedTuple):
    text: str
    acceptable: bool


class CoreferenceExample(NamedTuple):
    """WSC style: word indices are into ``text.split()``."""

    text: str
    pronoun_index: int
    candidate_index: int
    refers: bool
    pronoun: str
    candidate: str


class WordSensePair(NamedTuple):
    word: str
    sentence1: str
    sentence2: str
    same_sense: bool
    spans: tuple[tuple[int, int], tuple[int, int]]  # character spans of the word in each sentence


class BooleanQuestion(NamedTuple):
    passage: str
    question: str
    answer: bool


class CausalChoice(NamedTuple):
    premise: str
    choice1: str
    choice2: str
    question: str  # "cause" or "effect"
    label: int  # 0: choice1 is right, 1: choice2 is


class Answer(NamedTuple):
    text: str
    start: int  # character offset in the context


class ExtractiveQA(NamedTuple):
    context: str
    question: str
    answers: tuple[Answer, ...]
    is_impossible: bool


def _retry(rng: random.Random, draw: Callable[[random.Random], T | None], what: str) -> T:
    for _ in range(MAX_TRIES):
        out = draw(rng)
        if out is not None:
            return out
    raise RuntimeError(f"could not build a {what} example in {MAX_TRIES} draws")


# ----------------------------------------------------------------------------- frames to talk about


def _agent(rng: random.Random, topic: str, quantified_rate: float) -> Argument:
    r = rng.random()
    groups = sm.topic_nouns(topic, "person") + sm.topic_nouns(topic, "animal")
    if r < quantified_rate:
        det = rng.choice(("every", "all", "some", "most", "few", "no", "two", "a"))
        key = rng.choice(groups)
        number = rng.choice(NUMBERS) if det == "no" else None
        return noun_np(key, det, number, sm.adjectives(rng, key, topic, 0.2, neutral=True))
    if r < quantified_rate + 0.1:
        first = sm.person_np(rng, topic)
        return Coord((first, sm.person_np(rng, topic, exclude=(first.head,))))
    animals = sm.topic_nouns(topic, "animal")
    if animals and r < quantified_rate + 0.3:
        key = rng.choice(animals)
        return noun_np(key, "the", "sg", sm.adjectives(rng, key, topic, 0.3, neutral=True))
    np = sm.person_np(rng, topic, role_rate=0.3)
    if not np.is_name:
        np = replace(np, adjectives=sm.adjectives(rng, np.head, topic, 0.3, neutral=True))
    return np


def _relative_for(rng: random.Random, head: NP, topic: str) -> Relative | None:
    other = sm.person_np(rng, topic)
    gap_patient = sm.verbs_between(sm.PERSON, head.head, topic)
    if gap_patient:
        return Relative("patient", rng.choice(gap_patient), other, rng.choice(TENSES))
    gap_agent = sm.verbs_between(head.head, sm.PERSON, topic)
    if gap_agent:
        return Relative("agent", rng.choice(gap_agent), other, rng.choice(TENSES))
    return None


def sample_frame(rng: random.Random, *, topic: str | None = None, quantified_rate: float = 0.2,
                 copular_rate: float = 0.15, negation_rate: float = 0.2, relative_rate: float = 0.1,
                 modifier_rate: float = 0.3, neutral: bool = False) -> Frame:
    """A random self-contained frame (no pronouns), the raw material of the pair builders."""
    def draw(rng: random.Random) -> Frame | None:
        t = topic or rng.choice(lx.TOPICS)
        agent = _agent(rng, t, quantified_rate)
        tense = rng.choice(TENSES)
        frame: Frame | None
        if rng.random() < copular_rate:
            frame = sm.copular_frame(rng, agent, t, tense=tense)
            if frame is not None and neutral and sentiment(frame) != "neutral":
                return None
        else:
            frame = sm.event_frame(rng, agent, t, tense=tense, transitive=rng.random() < 0.75,
                                   adjective_rate=modifier_rate, place_rate=modifier_rate,
                                   manner_rate=modifier_rate, neutral=neutral)
        if frame is None:
            return None
        patient = frame.patient
        if (patient is not None and not patient.is_name and patient.is_referential
                and rng.random() < relative_rate):
            rel = _relative_for(rng, patient, t)
            if rel is not None:
                frame = replace(frame, patient=replace(patient, relative=rel))
        if patient is not None and not frame.copula and rng.random() < 0.2:
            frame = replace(frame, voice="passive")
        if not frame.copula and not lx.VERBS[frame.predicate].stative and rng.random() < 0.08:
            frame = replace(frame, progressive=True)
        if rng.random() < negation_rate:
            frame = negate(frame)
        return frame

    return _retry(rng, draw, "frame")


def _say(frame: Frame, rng: random.Random) -> str:
    return realise(frame, rng)


# ----------------------------------------------------------------------------- frame transformations


def _hypernym(np: NP) -> NP | None:
    noun = np.noun
    if noun is None or noun.hypernym is None:
        return None
    parent = lx.noun_for_meaning(noun.hypernym)
    return None if parent.hidden else replace(np, head=parent.key)


def _hyponyms(np: NP) -> list[NP]:
    if np.noun is None:
        return []
    return [replace(np, head=k) for k, n in lx.NOUNS.items()
            if n.hypernym == np.meaning and not n.hidden and views.allowed("noun", k)]


def _siblings(np: NP) -> list[NP]:
    noun = np.noun
    if noun is None or noun.hypernym is None:
        return []
    return [replace(np, head=k, adjectives=()) for k, n in lx.NOUNS.items()
            if n.hypernym == noun.hypernym and n.meaning != noun.meaning and not n.hidden
            and views.allowed("noun", k)]


def _np_generalisations(np: NP) -> list[NP]:
    out = []
    if (h := _hypernym(np)) is not None:
        out.append(h)
    if np.adjectives:
        out.append(replace(np, adjectives=np.adjectives[1:]))
    if np.relative is not None:
        out.append(replace(np, relative=None))
    if np.possessor is not None:
        out.append(replace(np, possessor=None))
    return out


def _np_specialisations(np: NP, topic: str | None) -> list[NP]:
    out = _hyponyms(np)
    if np.noun is not None and not np.adjectives:
        out += [replace(np, adjectives=(a,)) for a in sm.adjectives_for(np.head, topic, attributive=True)[:6]]
    return out


def _roles(frame: Frame) -> list[tuple[str, NP]]:
    out: list[tuple[str, NP]] = []
    for role in ("agent", "patient"):
        arg = getattr(frame, role)
        if isinstance(arg, NP) and not arg.is_name:
            out.append((role, arg))
    return out


def _topic_of(frame: Frame) -> str | None:
    for role in ("patient", "agent"):
        arg = getattr(frame, role)
        if isinstance(arg, NP) and arg.noun is not None and arg.noun.topic:
            return arg.noun.topic
    if frame.place is not None:
        return lx.NOUNS[frame.place.np.head].topic
    return None if frame.copula else lx.VERBS[frame.predicate].topic


def _generalisations(frame: Frame, rng: random.Random) -> list[Frame]:
    """Frames the rules should find entailed (each one step away)."""
    out = [paraphrase(frame, rng), replace(frame, voice="active" if frame.voice == "passive" else "passive")
           if frame.patient is not None and not frame.copula else paraphrase(frame)]
    for role, np in _roles(frame):
        out += [with_role(frame, role, g) for g in _np_generalisations(np)]
        if np.is_quantified:
            q = lx.QUANTIFIERS[np.det]
            for weaker in q.implies:
                if weaker != np.det and weaker != "no":
                    number = lx.QUANTIFIERS[weaker].number or np.number
                    out.append(with_role(frame, role, replace(np, det=weaker, number=number)))
            out += [with_role(frame, role, s) for s in _np_specialisations(np, _topic_of(frame))]
    if frame.manner:
        out.append(replace(frame, manner=None))
    if frame.place:
        out.append(replace(frame, place=None))
        if (h := _hypernym(frame.place.np)) is not None:
            out.append(replace(frame, place=Place(h, frame.place.preposition)))
    if not frame.copula:
        verb = lx.VERBS[frame.predicate]
        if verb.hypernym:
            out.append(replace(frame, predicate=lx.verb_for_meaning(verb.hypernym).key))
        if not verb.stative and frame.negated and not frame.manner:
            out.append(replace(frame, manner=rng.choice(sm.manner_adverbs(False))))
    if isinstance(frame.agent, Coord):
        out += [replace(frame, agent=m) for m in frame.agent.members]
    if frame.patient is not None and frame.patient.relative is not None:
        rel = frame.patient.relative
        head = replace(frame.patient, relative=None)
        out.append(Frame(head, rel.verb, rel.other, rel.negated, rel.tense) if rel.gap == "agent"
                   else Frame(rel.other or head, rel.verb, head, rel.negated, rel.tense))
    antonym = _antonym(frame)
    if antonym is not None and not frame.negated:
        out.append(replace(negate(antonym), manner=None, place=None))
    return out


def _antonym(frame: Frame) -> Frame | None:
    if frame.copula:
        other = lx.adjective_antonym(frame.meaning)
        return replace(frame, predicate=lx.adjective_for_meaning(other).key) if other else None
    other = lx.verb_antonym(frame.meaning)
    return replace(frame, predicate=lx.verb_for_meaning(other).key) if other else None


def _swaps(frame: Frame, rng: random.Random) -> list[Frame]:
    """Frames that change what is said: other participants, tense, quantifier, added detail."""
    topic = _topic_of(frame)
    out: list[Frame] = []
    if rng.random() < 0.25:
        out.append(replace(frame, tense="present" if frame.tense == "past" else "past"))
    for role, np in _roles(frame):
        out += [with_role(frame, role, s) for s in _siblings(np)[:4]]
        out += [with_role(frame, role, s) for s in _np_specialisations(np, topic)[:4]]
        if np.is_quantified:
            for det in ("every", "some", "most", "no", "few"):
                if det != np.det:
                    number = lx.QUANTIFIERS[det].number or np.number
                    out.append(with_role(frame, role, replace(np, det=det, number=number)))
    agent = frame.agent
    if isinstance(agent, NP) and agent.is_name and (frame.copula or frame.predicate not in _EXCLUSIVE):
        out.append(replace(frame, agent=sm.person_np(rng, exclude=(agent.head,))))
    if not frame.copula and not lx.VERBS[frame.predicate].stative:
        if frame.manner is None:
            out.append(replace(frame, manner=rng.choice(sm.manner_adverbs(False))))
        if frame.place is None and topic is not None:
            out.append(replace(frame, place=Place(noun_np(rng.choice(sm.topic_nouns(topic, "place"))))))
    if (frame.patient is not None and not frame.copula and isinstance(frame.agent, NP)
            and frame.patient.is_referential and frame.agent.is_referential
            and sm.agent_fits(frame.predicate, frame.patient)
            and sm.patient_fits(frame.predicate, frame.agent)):
        out.append(replace(frame, agent=frame.patient, patient=frame.agent))
    return out


def _contradictions(frame: Frame, rng: random.Random) -> list[Frame]:
    out = [negate(frame), negate(paraphrase(frame, rng))]
    out += [negate(g) for g in _generalisations(frame, rng)[:6]]
    antonym = _antonym(frame)
    if antonym is not None:
        out.append(antonym)
    q = quantified(frame)
    if q is not None:
        role, np = q
        for det in ("every", "no", "some", "a"):
            if det != np.det:
                out.append(with_role(frame, role, replace(np, det=det, number=lx.QUANTIFIERS[det].number
                                                             or np.number)))
    return out


# ----------------------------------------------------------------------------- sentiment (SST-2)


def _sentiment_clause(rng: random.Random, polarity: int, topic: str) -> Frame | None:
    negated = rng.random() < 0.35
    word = -polarity if negated else polarity
    kind = rng.choice(("copular", "verb", "adverb"))
    tense = rng.choice(TENSES)
    if kind == "copular":
        subject: NP = (sm.person_np(rng, topic, role_rate=0.5) if rng.random() < 0.3
                       else noun_np(rng.choice(sm.thing_nouns(topic))))
        frame = sm.copular_frame(rng, subject, topic, tense=tense, polarity=word)
    else:
        agent = sm.person_np(rng, topic, role_rate=0.4)
        if kind == "verb":
            verbs = tuple(v for v in sm.verbs_for(sm.PERSON, topic, True) if lx.VERBS[v].sentiment == word)
        else:
            verbs = tuple(v for v in sm.verbs_for(sm.PERSON, topic, True)
                          if lx.VERBS[v].evaluable and lx.VERBS[v].sentiment == 0)
        if not verbs:
            return None
        verb = rng.choice(verbs)
        key = rng.choice([k for k in sm.patients_for(verb, topic) if k != agent.head])
        patient = sm.thing_np(rng, key, topic, adjective_rate=0.3, neutral=True)
        if lx.NOUNS[key].kind == "person" and rng.random() < 0.5:
            patient = sm.person_np(rng, exclude=(agent.head,))
        manner = None
        if kind == "adverb":
            manner = rng.choice([a for a in sm.manner_adverbs(True) if lx.ADVERBS[a].sentiment == word])
        frame = Frame(agent, verb, patient, tense=tense, manner=manner)
        if rng.random() < 0.2:
            frame = replace(frame, voice="passive")
    if frame is None:
        return None
    frame = replace(frame, negated=negated)
    expected = "positive" if polarity > 0 else "negative"
    return frame if sentiment(frame) == expected else None


def sentiment_example(rng: random.Random) -> SentimentExample:
    """A sentence and its polarity, under negation and "X, but Y" contrast (Y decides)."""
    polarity = 1 if rng.random() < 0.5 else -1
    topic = rng.choice(lx.TOPICS)
    last = _retry(rng, lambda r: _sentiment_clause(r, polarity, topic), "sentiment")
    if rng.random() < 0.3:
        first = _retry(rng, lambda r: _sentiment_clause(r, -polarity, topic), "sentiment")
        a = realise_with_mentions(first, random_style(first, rng), final=False).text
        b = realise_with_mentions(last, random_style(last, rng), final=False).text
        text = capitalise(f"{a}, but {b}.")
    else:
        text = realise(last, rng)
    return SentimentExample(text, int(sentiment(last) == "positive"))


# ----------------------------------------------------------------------------- entailment (RTE, MNLI, CB)


def entailment_frames(rng: random.Random) -> tuple[Frame, Frame, Relation]:
    """Premise and hypothesis frames with a balanced label; the label is ``relation`` of the two."""
    label: Relation = rng.choice(("entailment", "contradiction", "neutral"))

    def draw(rng: random.Random) -> tuple[Frame, Frame, Relation] | None:
        premise = sample_frame(rng)
        if label == "entailment":
            options = _generalisations(premise, rng)
        elif label == "contradiction":
            options = _contradictions(premise, rng)
        else:
            options = _swaps(premise, rng)
        options = [h for h in options if relation(premise, h) == label and not _frame_same(premise, h)]
        return (premise, rng.choice(options), label) if options else None

    return _retry(rng, draw, "entailment")


def _frame_same(a: Frame, b: Frame) -> bool:
    return realise(a) == realise(b)


def entailment_pair(rng: random.Random) -> EntailmentPair:
    """A premise and hypothesis with a balanced label: entailment, contradiction or neutral."""
    premise, hypothesis, label = entailment_frames(rng)
    return EntailmentPair(_say(premise, rng), _say(hypothesis, rng), label)


# ----------------------------------------------------------------------------- paraphrase (MRPC, QQP)


def paraphrase_frames(rng: random.Random) -> tuple[Frame, Frame, bool]:
    """Two frames and whether they are paraphrases (``equivalent``); near misses as negatives."""
    wanted = rng.random() < 0.5

    def draw(rng: random.Random) -> tuple[Frame, Frame, bool] | None:
        a = sample_frame(rng, negation_rate=0.15)
        if wanted:
            b = paraphrase(a, rng)
        else:
            near = _swaps(a, rng) + [negate(a)] + ([x] if (x := _antonym(a)) else [])
            b = rng.choice(near)
            if rng.random() < 0.5:
                b = paraphrase(b, rng)
        if equivalent(a, b) != wanted or _frame_same(a, b):
            return None
        return a, b, wanted

    return _retry(rng, draw, "paraphrase")


def paraphrase_pair(rng: random.Random) -> ParaphrasePair:
    """Two sentences and whether they mean the same (mutual entailment); near misses as negatives."""
    a, b, same = paraphrase_frames(rng)
    return ParaphrasePair(_say(a, rng), _say(b, rng), same)


# ----------------------------------------------------------------------------- similarity (STS-B)


def _mutate(frame: Frame, rng: random.Random) -> Frame:
    options = _swaps(frame, rng) + [negate(frame)]
    if not frame.copula:
        agent_key = sm.class_key(frame.agent)
        topic = _topic_of(frame)
        if frame.patient is not None and topic is not None:
            verbs = sm.verbs_between(agent_key, sm.class_key(frame.patient), topic)
        else:
            verbs = sm.verbs_for(agent_key, topic, False) if topic else ()
        options += [replace(frame, predicate=v) for v in verbs[:8] if v != frame.predicate]
    return rng.choice(options)


def similarity_frames(rng: random.Random) -> tuple[Frame, Frame, float]:
    """Two frames and their ``similarity``; a score band (0-1, ..., 4-5) is drawn first so scores spread."""
    band = rng.randrange(5)

    def draw(rng: random.Random) -> tuple[Frame, Frame, float] | None:
        a = sample_frame(rng, quantified_rate=0.1, negation_rate=0.1)
        if band <= 1:
            b = sample_frame(rng, topic=_topic_of(a), quantified_rate=0.1, negation_rate=0.5)
            if band == 1 and rng.random() < 0.5 and not b.copula and sm.agent_fits(b.predicate, a.agent):
                b = replace(b, agent=a.agent)
        else:
            b = paraphrase(a, rng) if rng.random() < 0.5 else a
            for _ in range(rng.choice({4: (0, 1), 3: (1, 2), 2: (2, 3, 4)}[band])):
                b = _mutate(b, rng)
        score = similarity(a, b)
        return (a, b, score) if min(int(score), 4) == band else None

    return _retry(rng, draw, "similarity")


def similarity_pair(rng: random.Random) -> SimilarityPair:
    """Two sentences and a 0..5 score: the weighted share of their frames in common."""
    a, b, score = similarity_frames(rng)
    return SimilarityPair(_say(a, rng), _say(b, rng), score)


# ----------------------------------------------------------------------------- acceptability (CoLA)


def _visible_agreement(frame: Frame) -> bool:
    return frame.tense == "present" or frame.copula or frame.progressive or frame.voice == "passive"


def _unacceptable(frame: Frame, rng: random.Random) -> str | None:
    kind = rng.choice(("agreement", "determiner", "verb_final", "missing_verb", "verb_form"))
    style = random_style(frame, rng)
    real = realise_with_mentions(frame, style)
    text = real.text
    if kind == "agreement":
        subject = frame.surface_subject
        if quantified(frame) is not None and frame.negated:
            return None
        wrong: Number = "sg" if subject.number == "pl" else "pl"
        out = realise_with_mentions(frame, style, agreement=wrong).text
        return out if out != text and _visible_agreement(frame) else None
    if kind == "determiner":
        for m in real.mentions:
            words = m.text.split()
            if not m.pronoun and len(words) == 2 and words[0].lower() in ("the", "a", "an"):
                lowered = text[:m.start] + f"{words[1]} {words[0].lower()}" + text[m.end:]
                return capitalise(lowered[0].lower() + lowered[1:] if m.start == 0 else lowered)
        return None
    if kind == "verb_final":
        if frame.voice != "active" or frame.patient is None or frame.negated or frame.progressive:
            return None
        s, e = real.main_verb
        if frame.copula or s == 0:
            return None
        rest = (text[:s].rstrip() + " " + text[e:].lstrip()).rstrip(".").rstrip()
        return f"{rest} {text[s:e]}."
    if kind == "missing_verb":
        s, e = real.verb
        if frame.copula:
            e = real.main_verb[0] - 1  # keep the adjective: "The soup hot."
        out = (text[:s].rstrip() + " " + text[e:].lstrip()).replace(" .", ".").replace(" ,", ",")
        return capitalise(out.strip()) if s > 0 else None
    # a finite form after an auxiliary: "did not played", "was chase"
    if frame.copula:
        return None
    verb = lx.VERBS[frame.predicate]
    s, e = real.main_verb
    current = text[s:e]
    replacement = verb.past if current == verb.base else verb.base if current in (verb.pp, verb.ing) else None
    if replacement is None or replacement == current or not (frame.negated or frame.voice == "passive"
                                                             or frame.progressive):
        return None
    return text[:s] + replacement + text[e:]


def acceptability_example(rng: random.Random) -> AcceptabilityExample:
    """A sentence and whether it is grammatical; errors: agreement, word order, missing or wrong verb."""
    acceptable = rng.random() < 0.5

    def draw(rng: random.Random) -> AcceptabilityExample | None:
        frame = sample_frame(rng, negation_rate=0.25)
        if acceptable:
            return AcceptabilityExample(realise(frame, rng), True)
        text = _unacceptable(frame, rng)
        return None if text is None else AcceptabilityExample(text, False)

    return _retry(rng, draw, "acceptability")


# ----------------------------------------------------------------------------- pronoun resolution (WSC)


def _word_index(text: str, char: int) -> int:
    return len(text[:char].split())


def coreference_example(rng: random.Random) -> CoreferenceExample:
    """ "X <verb> Y because <pronoun> was <adjective>": does the pronoun refer to the candidate?

    X and Y share a gender, so only the schema's knowledge (who the adjective explains) resolves it.
    """
    def draw(rng: random.Random) -> CoreferenceExample | None:
        schema: CorefSchema = rng.choice(views.coref_schemas())  # type: ignore[arg-type]
        roles = [r for r, reasons in (("agent", schema.agent_reasons), ("patient", schema.patient_reasons))
                 if reasons]
        referent = rng.choice(roles)
        reason = rng.choice(schema.agent_reasons if referent == "agent" else schema.patient_reasons)
        gender = rng.choice(("male", "female"))
        topic = rng.choice(lx.TOPICS)
        x = sm.person_np(rng, topic, role_rate=0.25, gender=gender, entity="x")  # type: ignore[arg-type]
        y = sm.person_np(rng, topic, role_rate=0.25, gender=gender, entity="y",  # type: ignore[arg-type]
                         exclude=(x.head,))
        main = Frame(x, schema.verb, y, tense="past")
        target = x if referent == "agent" else y
        because = Frame(target, reason, tense="past", copula=True)
        first = realise_with_mentions(main, final=False)
        second = realise_with_mentions(because, Style(pronouns=frozenset({target.entity or ""})), final=False)
        text = capitalise(f"{first.text} because {second.text}.")
        offset = len(first.text) + len(" because ")
        pron = second.mention("agent")
        candidate_role = "agent" if rng.random() < 0.5 else "patient"
        cand = first.mention(candidate_role)
        assert pron is not None and cand is not None and pron.pronoun
        return CoreferenceExample(text, _word_index(text, offset + pron.start), _word_index(text, cand.start),
                                  candidate_role == referent, text[offset + pron.start:offset + pron.end],
                                  text[cand.start:cand.end])

    return _retry(rng, draw, "coreference")


# ----------------------------------------------------------------------------- word sense (WiC)


def _sense_frame(rng: random.Random, pos: str, key: str) -> Frame | None:
    topic = lx.sense_topic(pos, key) or rng.choice(lx.TOPICS)
    tense = rng.choice(TENSES)
    person = sm.person_np(rng, topic, role_rate=0.4)
    if pos == "verb":
        patients = sm.patients_for(key, topic)
        if not patients:
            return None
        return Frame(person, key, noun_np(rng.choice(patients)), tense=tense)
    if pos == "adjective":
        subjects = [k for k in sm.topic_nouns(topic) if key in sm.adjectives_for(k, topic)]
        if not subjects:
            return None
        return Frame(noun_np(rng.choice(subjects)), key, tense=tense, copula=True)
    noun = lx.NOUNS[key]
    if noun.kind == "person":
        return sm.event_frame(rng, noun_np(key, gender=rng.choice(("male", "female"))), topic, tense=tense,
                              transitive=True, topical=True)
    if noun.kind == "place":
        base = sm.event_frame(rng, person, topic, tense=tense, transitive=rng.random() < 0.5)
        return None if base is None else replace(base, place=Place(noun_np(key)))
    if noun.kind == "animal" and rng.random() < 0.5:
        return sm.event_frame(rng, noun_np(key), topic, tense=tense, transitive=False)
    verbs = sm.verbs_between(sm.PERSON, key, topic)
    topical = tuple(v for v in verbs if lx.VERBS[v].topic == topic)
    if topical:
        frame = Frame(person, rng.choice(topical), noun_np(key), tense=tense)
        return sm.decorate(rng, frame, topic, place_rate=0.2, manner_rate=0.2)
    verbs = tuple(v for v in verbs if not lx.VERBS[v].stative)
    if not verbs:
        return None
    # a general verb says nothing about the sense: a topic role and a topic place do
    role = sm.person_np(rng, topic, role_rate=1.0)
    frame = Frame(role, rng.choice(verbs), noun_np(key), tense=tense)
    return sm.decorate(rng, frame, topic, place_rate=1.0, manner_rate=0.0)


def word_sense_pair(rng: random.Random) -> WordSensePair:
    """A polysemous word in two sentences and whether both use the same sense (each sense has a topic)."""
    same = rng.random() < 0.5

    def draw(rng: random.Random) -> WordSensePair | None:
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
        return WordSensePair(word, out[0][0], out[1][0], first == second, (out[0][1], out[1][1]))

    return _retry(rng, draw, "word sense")


# ----------------------------------------------------------------------------- boolean questions (BoolQ)

_PASSAGE = SyntheticConfig(n_documents=1, sentences_per_document=(3, 6),
                           phenomena={"negation": 0.35, "quantifier": 0.05, "copular": 0.25, "pronoun": 0.6})


def _verdict(doc: Document, question: Frame) -> bool | None:
    verdicts = {relation(s.frame, question) for s in doc.sentences}
    if "entailment" in verdicts and "contradiction" not in verdicts:
        return True
    if "contradiction" in verdicts and "entailment" not in verdicts:
        return False
    return None


def boolean_question_frames(rng: random.Random) -> tuple[Document, Frame, bool]:
    """A passage document, a positive question frame, and the answer its sentences entail.

    True: some sentence entails the question and none contradicts it; False: the reverse.
    """
    wanted = rng.random() < 0.5

    def draw(rng: random.Random) -> tuple[Document, Frame, bool] | None:
        doc = generate_document(_PASSAGE, 0, rng=rng)
        options: list[Frame] = []
        for s in doc.sentences:
            f = s.frame
            if quantified(f) is not None or isinstance(f.agent, Coord):
                continue
            if wanted and not f.negated:
                options += [f] + [g for g in _generalisations(f, rng) if not g.negated]
            elif not wanted and f.negated:
                options += [negate(f)] + [s for s in _swaps(negate(f), rng) if entails(f, negate(s))]
            elif not wanted and (a := _antonym(f)) is not None:
                options.append(a)
        options = [q for q in options
                   if not q.negated and quantified(q) is None and _verdict(doc, q) == wanted]
        return (doc, rng.choice(options), wanted) if options else None

    return _retry(rng, draw, "boolean question")


def boolean_question(rng: random.Random) -> BooleanQuestion:
    """A passage, a yes/no question about it, and the answer the passage's frames entail."""
    doc, question, answer = boolean_question_frames(rng)
    return BooleanQuestion(document_text(doc), realise_question(question), answer)


# ----------------------------------------------------------------------------- causal choice (COPA)


def causal_choice(rng: random.Random) -> CausalChoice:
    """A premise, two alternatives and which one is its cause (or effect), from the causal links."""
    links: tuple[CausalLink, ...] = views.causal_links()  # type: ignore[assignment]  # of the current view
    link = rng.choice(links)
    question = rng.choice(("cause", "effect"))
    premise, right = (link.effect, link.cause) if question == "cause" else (link.cause, link.effect)
    linked = {(lk.cause, lk.effect) for lk in CAUSAL_LINKS}
    pool = [lk.cause if question == "cause" else lk.effect for lk in links if lk.topic != link.topic]
    pool = [e for e in pool
            if e != right and ((e, premise) if question == "cause" else (premise, e)) not in linked]
    wrong = rng.choice(pool)
    x = sm.person_np(rng, link.topic, entity="x")
    given = frozenset({"x"}) if "X" in (premise.subject, premise.patient) else frozenset()
    choices = [realise(event_frame(e, x), rng, Style(pronouns=given)) for e in (right, wrong)]
    label = rng.randint(0, 1)
    if label == 1:
        choices.reverse()
    return CausalChoice(realise(event_frame(premise, x), rng), choices[0], choices[1], question, label)


# ----------------------------------------------------------------------------- extractive QA (SQuAD 2.0)

_CONTEXT = SyntheticConfig(n_documents=1, sentences_per_document=(4, 8),
                           phenomena={"place": 0.5, "negation": 0.1, "quantifier": 0.05, "pronoun": 0.6})


def _other_answer(doc: Document, i: int, question: Frame, target: str) -> bool:
    """True when another sentence answers the question with a different filler ("Ben sprinted" for
    "Who ran?" asked of "Anna ran"), so the answer would not be unique."""
    mine = _slot(question, target)
    for j, s in enumerate(doc.sentences):
        theirs = _slot(s.frame, target) if j != i else None
        if theirs is None or same_description(theirs, mine):
            continue
        if target == "place":
            filled = replace(question, place=s.frame.place)
        else:
            filled = with_role(question, target, theirs)
        if entails(s.frame, filled):
            return True
    return False


def _doc_meanings(doc: Document) -> set[str]:
    return {np.meaning for s in doc.sentences for np in iter_nps(s.frame)}


def _slot(frame: Frame, role: str) -> Argument | None:
    if role == "place":
        return frame.place.np if frame.place else None
    return getattr(frame, role)  # type: ignore[no-any-return]


def _qa_candidates(doc: Document) -> list[tuple[int, Frame, str, Mention]]:
    """(sentence, frame, asked role, answer mention) of every question the document answers uniquely."""
    candidates = []
    for i, s in enumerate(doc.sentences):
        f = s.frame
        if f.negated or f.copula or quantified(f) is not None:
            continue
        q = replace(f, voice="active", manner=None)
        for target in ("agent", "patient", "place"):
            m = next((m for m in s.mentions if m.role == target), None)
            if m is None or m.pronoun or _other_answer(doc, i, q, target):
                continue
            candidates.append((i, f, target, m))
    return candidates


def extractive_qa(rng: random.Random, unanswerable: str = "swap", impossible_rate: float = 0.5,
                  sentences: tuple[int, int] = _CONTEXT.sentences_per_document) -> ExtractiveQA:
    """A document, a who/what/where question, and the answer spans (none when unanswerable).

    A share ``impossible_rate`` of the questions is unanswerable, in one of two designs. ``swap``
    keeps a frame of the document but swaps in a person or thing that the document never mentions:
    only one name tells it apart. ``off_topic`` asks a question of another document on a different
    topic, none of whose people or things this document mentions, as the distant negatives that
    preceded SQuAD 2.0's crowd-written ones: detectable by comparing the question's words with the
    context's (the SQuAD v2 stand-in uses it; a tiny BERT trained from scratch learns it from
    20,000 questions but not from 2,000, see benchmarks/results/learnability.md).
    ``sentences`` bounds the document's length.
    """
    if unanswerable not in ("swap", "off_topic"):
        raise ValueError(f"unanswerable must be 'swap' or 'off_topic', got {unanswerable!r}")
    impossible = rng.random() < impossible_rate
    config = _CONTEXT if sentences == _CONTEXT.sentences_per_document else replace(
        _CONTEXT, sentences_per_document=sentences)

    def draw(rng: random.Random) -> ExtractiveQA | None:
        doc = generate_document(config, 0, rng=rng)
        context = document_text(doc)
        offsets = sentence_offsets(doc)
        seen = _doc_meanings(doc)
        candidates = _qa_candidates(doc)
        if not candidates:
            return None
        i, f, target, m = rng.choice(candidates)
        q = replace(f, voice="active", manner=None)
        if not impossible:
            question = realise_question(q, target)  # type: ignore[arg-type]
            return ExtractiveQA(context, question, (Answer(m.text, offsets[i] + m.start),), False)
        if unanswerable == "off_topic":
            return _off_topic(rng, config, context, doc.topic, seen)
        unseen = _unseen(rng, q, target, seen, doc.topic)
        if unseen is None:
            return None
        return ExtractiveQA(context, realise_question(unseen, target), (), True)  # type: ignore[arg-type]

    return _retry(rng, draw, "extractive QA")


def _off_topic(rng: random.Random, config: SyntheticConfig, context: str, topic: str,
               seen: set[str]) -> ExtractiveQA | None:
    """An unanswerable question: asked of a document on another topic that shares no participant."""
    others = [t for t in lx.TOPICS if t != topic]
    other = generate_document(replace(config, topics=others), 0, rng=rng)
    candidates = [c for c in _qa_candidates(other)
                  if not {np.meaning for np in iter_nps(c[1])} & seen]
    if not candidates:
        return None
    _, f, target, _ = rng.choice(candidates)
    return ExtractiveQA(context, realise_question(replace(f, voice="active", manner=None), target),  # type: ignore[arg-type]
                        (), True)


def _unseen(rng: random.Random, q: Frame, target: str, seen: set[str], topic: str) -> Frame | None:
    """The question's frame with a given participant replaced by one the document never mentions."""
    if target == "agent":
        if q.patient is None:
            return None
        options = [k for k in sm.patients_for(q.predicate, topic)
                   if not any(lx.noun_is_a(lx.NOUNS[k].meaning, s) or (s in lx.NOUNS and lx.noun_is_a(
                       s, lx.NOUNS[k].meaning)) for s in seen) and lx.NOUNS[k].kind != "person"]
        return replace(q, patient=noun_np(rng.choice(options))) if options else None
    agent = q.agent
    gender = agent.gender if isinstance(agent, NP) else None
    names = [n for n, e in lx.NAMES.items() if n not in seen and (gender is None or e.gender == gender)]
    if not names or not sm.agent_fits(q.predicate, name_np(names[0])):
        return None
    return replace(q, agent=name_np(rng.choice(names)))
