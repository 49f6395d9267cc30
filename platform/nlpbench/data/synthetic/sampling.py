"""Selection indexes over the lexicon and random draws of well-formed noun phrases and frames.

Shared by the document generator and the benchmark builders: which verbs an agent can take,
which nouns a verb takes as patient in a topic, which adjectives describe a noun. Every list is
built in lexicon order and cached, so draws depend only on the ``random.Random`` passed in.
"""

from __future__ import annotations

import itertools
import random
from functools import cache

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic import views
from nlpbench.data.synthetic.grammar import Tense
from nlpbench.data.synthetic.lexicon import Gender, Number
from nlpbench.data.synthetic.semantics import NP, Argument, Coord, Frame, Place, name_np, noun_np

PERSON = "<person>"  # the class key of a name or a coordination of people


def class_key(arg: Argument) -> str:
    """What selection sees of an argument: a noun key, or PERSON for names and coordinations."""
    if isinstance(arg, Coord) or arg.is_name:
        return PERSON
    return arg.head


def _classes(key: str) -> frozenset[str]:
    return frozenset({"person"}) if key == PERSON else lx.noun_classes(key)


@cache
def fits(spec: tuple[str, ...], key: str) -> bool:
    """True when a noun (or PERSON) satisfies a selection spec."""
    if key == PERSON:
        return lx.name_matches(spec)
    return lx.matches(key, spec)


_PARENTS = frozenset(n.hypernym for n in lx.NOUNS.values() if n.hypernym)


def topic_nouns(topic: str, kind: str | None = None) -> tuple[str, ...]:
    """Basic-level noun keys of a topic, optionally of one kind (person, place, object, ...).

    Hypernyms ("animal", "instrument") are left out: documents name things specifically, and
    the general words are kept for entailment pairs.
    """
    return views.restrict("noun", _topic_nouns(topic, kind))


@cache
def _topic_nouns(topic: str, kind: str | None = None) -> tuple[str, ...]:
    return tuple(k for k, n in lx.NOUNS.items() if n.topic == topic and not n.hidden
                 and n.meaning not in _PARENTS and (kind is None or n.kind == kind))


def thing_nouns(topic: str) -> tuple[str, ...]:
    """Nouns of a topic that are neither people, animals nor places."""
    return views.restrict("noun", _thing_nouns(topic))


@cache
def _thing_nouns(topic: str) -> tuple[str, ...]:
    return tuple(k for k in _topic_nouns(topic) if lx.NOUNS[k].kind not in ("person", "place", "animal"))


def verbs_for(agent_key: str, topic: str | None, transitive: bool) -> tuple[str, ...]:
    """Verb keys (of the topic or general) whose agent spec the agent fits, in one valency; in a
    restricted view, only transitive verbs that keep a patient there."""
    verbs = views.restrict("verb", all_verbs_for(agent_key, topic, transitive))
    if transitive and topic is not None and views.current_view() != "all":
        verbs = tuple(v for v in verbs if patients_for(v, topic))
    return verbs


@cache
def all_verbs_for(agent_key: str, topic: str | None, transitive: bool) -> tuple[str, ...]:
    """``verbs_for`` whatever the view and mood (safe inside other caches)."""
    out = []
    for k, v in lx.VERBS.items():
        if v.topic not in (None, topic) or not fits(v.agent, agent_key):
            continue
        if (transitive and v.transitive and (topic is None or all_patients_for(k, topic))) or (
                not transitive and v.intransitive):
            out.append(k)
    return tuple(out)


def verbs_between(agent_key: str, patient_key: str, topic: str) -> tuple[str, ...]:
    """Transitive verbs (of the topic or general) that take this agent and this patient."""
    return views.restrict("verb", _verbs_between(agent_key, patient_key, topic))


@cache
def _verbs_between(agent_key: str, patient_key: str, topic: str) -> tuple[str, ...]:
    return tuple(v for v in all_verbs_for(agent_key, topic, True) if _patient_fits(v, patient_key))


def patients_for(verb: str, topic: str) -> tuple[str, ...]:
    """Noun keys of a topic the verb takes as patient."""
    return views.restrict("noun", all_patients_for(verb, topic))


@cache
def all_patients_for(verb: str, topic: str) -> tuple[str, ...]:
    """``patients_for`` whatever the view and mood (safe inside other caches)."""
    spec = lx.VERBS[verb].patient
    return tuple(k for k in _topic_nouns(topic) if lx.matches(k, spec))


def adjectives_for(key: str, topic: str | None, attributive: bool = False) -> tuple[str, ...]:
    """Adjective keys (general or of the topic) that can describe the noun (or PERSON)."""
    return views.restrict("adjective", _adjectives_for(key, topic, attributive))


@cache
def _adjectives_for(key: str, topic: str | None, attributive: bool = False) -> tuple[str, ...]:
    classes = _classes(key)
    return tuple(k for k, a in lx.ADJECTIVES.items()
                 if a.topic in (None, topic) and (a.attributive or not attributive)
                 and ("*" in a.applies or classes & set(a.applies)))


def manner_adverbs(evaluative: bool) -> tuple[str, ...]:
    return views.restrict("adverb", _manner_adverbs(evaluative))


@cache
def _manner_adverbs(evaluative: bool) -> tuple[str, ...]:
    return tuple(k for k, r in lx.ADVERBS.items() if r.evaluative == evaluative)


def agent_fits(verb: str, arg: Argument) -> bool:
    return fits(lx.VERBS[verb].agent, class_key(arg))


def patient_fits(verb: str, arg: Argument) -> bool:
    return _patient_fits(verb, class_key(arg))


@cache
def _patient_fits(verb: str, key: str) -> bool:
    v = lx.VERBS[verb]
    return v.transitive and fits(v.patient, key)


def random_name(rng: random.Random, gender: Gender | None = None, exclude: tuple[str, ...] = ()) -> str:
    """A first name, of a gender if given, not in ``exclude``."""
    pool = [n for n, e in lx.NAMES.items() if (gender is None or e.gender == gender) and n not in exclude]
    return rng.choice(pool)


def weighted_verb(rng: random.Random, verbs: tuple[str, ...], topic: str | None, topic_weight: float = 3.0,
                  ) -> str:
    """A verb, topic verbs ``topic_weight`` times as likely as general ones."""
    return rng.choices(verbs, cum_weights=_cumulative(verbs, topic, topic_weight))[0]


@cache
def _cumulative(verbs: tuple[str, ...], topic: str | None, topic_weight: float) -> tuple[float, ...]:
    weights = [topic_weight if lx.VERBS[v].topic == topic and topic is not None else 1.0 for v in verbs]
    return tuple(itertools.accumulate(weights))


# under a strong mood (corpus documents only): how often a noun phrase's adjectives come in a
# same-polarity pair ("the kind gentle nurse"), the least adjective rate, and the share of manner
# adverbs that are evaluative. Polarity then shows in a word's neighbours, which masked language
# modelling can learn, not only a sentence or two away.
STRONG_PAIR, STRONG_ADJECTIVE_RATE, STRONG_EVALUATIVE = 0.5, 0.5, 0.8


def adjectives(rng: random.Random, key: str, topic: str | None, rate: float, neutral: bool = False,
               ) -> tuple[str, ...]:
    """Zero or one attributive adjective for a noun, drawn with probability ``rate``; under a strong
    mood (and not ``neutral``) at least STRONG_ADJECTIVE_RATE, and sometimes two of its polarity."""
    strong = views.strong_mood() and not neutral
    if rng.random() >= (max(rate, STRONG_ADJECTIVE_RATE) if strong and rate > 0 else rate):
        return ()
    options = [a for a in adjectives_for(key, topic, attributive=True)
               if not neutral or lx.ADJECTIVES[a].sentiment == 0]
    if not options:
        return ()
    polar = [a for a in options if lx.ADJECTIVES[a].sentiment == views.current_mood()]
    if strong and len(polar) >= 2 and rng.random() < STRONG_PAIR:
        return tuple(rng.sample(polar, 2))
    return (rng.choice(options),)


def thing_np(rng: random.Random, key: str, topic: str | None, *, adjective_rate: float = 0.0,
             indefinite: float = 0.0, neutral: bool = False) -> NP:
    """A definite (or, with probability ``indefinite``, indefinite) singular description."""
    det = "a" if rng.random() < indefinite else "the"
    return noun_np(key, det, "sg", adjectives(rng, key, topic, adjective_rate, neutral))


def person_np(rng: random.Random, topic: str | None = None, *, role_rate: float = 0.0,
              exclude: tuple[str, ...] = (), gender: Gender | None = None, entity: str | None = None) -> NP:
    """A name, or with probability ``role_rate`` a topic role ("the pianist") of a given gender."""
    gender = gender or rng.choice(("male", "female"))
    roles = [k for k in topic_nouns(topic, "person") if k not in exclude] if topic else []
    if roles and rng.random() < role_rate:
        return noun_np(rng.choice(roles), "the", "sg", entity=entity, gender=gender)
    return name_np(random_name(rng, gender, exclude), entity=entity)


def event_frame(rng: random.Random, agent: Argument, topic: str | None, *, tense: Tense = "past",
                transitive: bool = True, patient_topic: str | None = None, adjective_rate: float = 0.0,
                place_rate: float = 0.0, manner_rate: float = 0.0, neutral: bool = False,
                topical: bool = False) -> Frame | None:
    """A random event with this agent: a verb it fits, a patient of the verb, optional modifiers.

    Returns None when no verb fits. ``neutral`` keeps sentiment-bearing words out; ``topical``
    keeps to the topic's own verbs.
    """
    patient_topic = patient_topic or topic
    verbs = verbs_for(class_key(agent), patient_topic, transitive)
    if neutral:
        verbs = tuple(v for v in verbs if lx.VERBS[v].sentiment == 0)
    if topical:
        verbs = tuple(v for v in verbs if lx.VERBS[v].topic == topic)
    if not verbs:
        return None
    verb = weighted_verb(rng, verbs, topic)
    patient = None
    if transitive:
        assert patient_topic is not None
        key = rng.choice(patients_for(verb, patient_topic))
        if lx.NOUNS[key].kind == "person" and rng.random() < 0.5:
            patient = person_np(rng, exclude=_names(agent))
        else:
            patient = thing_np(rng, key, patient_topic, adjective_rate=adjective_rate, neutral=neutral)
    return decorate(rng, Frame(agent, verb, patient, tense=tense), patient_topic, place_rate=place_rate,
                    manner_rate=manner_rate, neutral=neutral)


def decorate(rng: random.Random, frame: Frame, topic: str | None, *, place_rate: float, manner_rate: float,
             neutral: bool = False, evaluative_rate: float = 0.3) -> Frame:
    """Add a manner adverb and a place (from the topic) to an eventive frame, each with its rate."""
    if frame.copula or lx.VERBS[frame.predicate].stative:
        return frame
    verb = lx.VERBS[frame.predicate]
    manner = frame.manner
    if manner is None and rng.random() < manner_rate:
        rate = max(evaluative_rate, STRONG_EVALUATIVE) if views.strong_mood() else evaluative_rate
        evaluative = verb.evaluable and not neutral and rng.random() < rate
        manner = rng.choice(manner_adverbs(evaluative))
    place = frame.place
    if place is None and topic is not None and rng.random() < place_rate:
        place = Place(noun_np(rng.choice(topic_nouns(topic, "place"))))
    return Frame(frame.agent, frame.predicate, frame.patient, frame.negated, frame.tense, frame.voice,
                 frame.copula, frame.progressive, manner, place)


def copular_frame(rng: random.Random, subject: Argument, topic: str | None, *, tense: Tense = "past",
                  polarity: int | None = None) -> Frame | None:
    """``subject`` is/was <adjective>; ``polarity`` restricts the adjective's sentiment (-1, 0, 1)."""
    options = adjectives_for(class_key(subject), topic)
    if polarity is not None:
        options = tuple(a for a in options if lx.ADJECTIVES[a].sentiment == polarity)
    if not options:
        return None
    return Frame(subject, rng.choice(options), tense=tense, copula=True)


def _names(arg: Argument) -> tuple[str, ...]:
    members = arg.members if isinstance(arg, Coord) else (arg,)
    return tuple(m.head for m in members if m.is_name)


def plural_np(key: str, det: str = "the", number: Number = "pl") -> NP:
    return noun_np(key, det, number)
