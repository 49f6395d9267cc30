"""Seeded documents in the synthetic language: one topic and one cast each, pronouns for given entities.

Document ``k`` of a seed depends only on (GENERATOR_VERSION, seed, k): it is drawn from
``random.Random(f"synthetic/{GENERATOR_VERSION}/{seed}/{k}")``, so it is the same whether 10 or
10,000 documents are asked for. Nothing here iterates a set or calls ``hash()``.

A pronoun is used for an entity only when it was mentioned before and no other referent in
view could take the same pronoun: the cast mentioned so far, anything mentioned in the previous
sentence, and the other noun phrases of the sentence itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic import sampling as sm
from nlpbench.data.synthetic.grammar import NUMBERS, Tense
from nlpbench.data.synthetic.realisation import LexSpan, Mention, Style, random_style, realise_with_mentions
from nlpbench.data.synthetic.semantics import (
    NP,
    Argument,
    Coord,
    Entity,
    Frame,
    Relative,
    contradicts,
    iter_nps,
    negate,
    noun_np,
    presuppositions,
    referent_class,
)
from nlpbench.data.synthetic.views import document_mood, strong_mood
from nlpbench.errors import ConfigError, Problem

GENERATOR_VERSION = 3  # 2: document moods (views.document_mood), knowledge statements (statements.py);
                       # 3: under a strong mood, same-polarity adjective pairs and evaluative adverbs

DEFAULT_PHENOMENA: dict[str, float] = {
    "negation": 0.15,         # a sentence is negated
    "passive": 0.2,           # a transitive sentence is passive
    "relative_clause": 0.15,  # a description gets a relative clause ("the dog that chased the cat")
    "quantifier": 0.1,        # a sentence is about a quantified group ("every student ...")
    "pronoun": 0.75,          # an eligible given entity is referred to by pronoun
    "adjective": 0.3,         # a new noun phrase gets an adjective
    "adverb": 0.25,           # an eventive sentence gets a manner adverb
    "place": 0.3,             # an eventive sentence gets a place ("in the studio")
    "coordination": 0.1,      # the subject is two people ("Anna and Ben")
    "copular": 0.15,          # a sentence describes an entity ("the soup was hot")
    "possessive": 0.15,       # a patient is the agent's ("her violin")
    "present_tense": 0.3,     # a document is told in the present tense
    "progressive": 0.08,      # an eventive sentence is progressive ("was playing")
    "fronting": 0.25,         # a place is fronted ("In the studio, ...")
    "contraction": 0.0,       # negation is contracted ("didn't")
    "mood": 0.9,              # a document has a mood: no sentiment word of the other polarity
    "strong_mood": 0.5,       # a mood is strong: its adjectives and manner adverbs all carry it
    "schema": 0.15,           # a document ends with a coreference schema ("... because she was ...")
    "causal": 0.2,            # a document ends with a causal link of its topic (cause, then effect)
}


@dataclass(frozen=True)
class SyntheticConfig:
    """What to generate. ``phenomena`` overrides entries of DEFAULT_PHENOMENA (probabilities)."""

    seed: int = 0
    n_documents: int = 100
    sentences_per_document: tuple[int, int] = (3, 8)
    topics: tuple[str, ...] | list[str] | None = None
    phenomena: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = config_problems(self)
        if problems:
            raise ConfigError(problems, "invalid synthetic language configuration")

    @property
    def rates(self) -> dict[str, float]:
        return {**DEFAULT_PHENOMENA, **{k: float(v) for k, v in self.phenomena.items()}}

    @property
    def topic_choices(self) -> tuple[str, ...]:
        return tuple(self.topics) if self.topics else lx.TOPICS


def config_problems(config: SyntheticConfig) -> list[Problem]:
    """Every problem with a config, each with the value that would fix it."""
    problems: list[Problem] = []
    if not isinstance(config.seed, int) or isinstance(config.seed, bool):
        problems.append(Problem("seed", f"must be an integer, got {config.seed!r}", "seed=0"))
    if not isinstance(config.n_documents, int) or config.n_documents < 0:
        problems.append(Problem("n_documents", f"must be a non-negative integer, got {config.n_documents!r}",
                                "n_documents=1000"))
    spd: Any = config.sentences_per_document
    if (not isinstance(spd, tuple | list) or len(spd) != 2 or not all(isinstance(x, int) for x in spd)
            or not 1 <= spd[0] <= spd[1]):
        problems.append(Problem("sentences_per_document",
                                f"must be [low, high] with 1 <= low <= high, got {spd!r}",
                                "sentences_per_document=[3,8]"))
    for t in config.topics or ():
        if t not in lx.TOPICS:
            problems.append(Problem("topics", f"unknown topic {t!r}", None, lx.TOPICS))
    for k, v in config.phenomena.items():
        if k not in DEFAULT_PHENOMENA:
            problems.append(Problem(f"phenomena.{k}", "unknown phenomenon", None, tuple(DEFAULT_PHENOMENA)))
        elif not isinstance(v, int | float) or not 0.0 <= float(v) <= 1.0:
            problems.append(Problem(f"phenomena.{k}", f"must be a probability in [0, 1], got {v!r}",
                                    f"phenomena.{k}={DEFAULT_PHENOMENA[k]}"))
    return problems


@dataclass(frozen=True)
class PronounLink:
    """A pronoun in a sentence, the entity it refers to, and where that entity was last named."""

    start: int
    end: int
    pronoun: str
    entity: str
    antecedent_sentence: int
    antecedent_start: int
    antecedent_end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, the frame it says, its mentions and its pronoun links."""

    text: str
    frame: Frame
    mentions: tuple[Mention, ...]
    lexemes: tuple[LexSpan, ...]
    pronouns: tuple[PronounLink, ...]

    @property
    def antecedents(self) -> dict[tuple[int, int], str]:
        """Pronoun character span -> entity id."""
        return {(p.start, p.end): p.entity for p in self.pronouns}


@dataclass(frozen=True)
class Document:
    """A generated document: one topic, one cast of entities, a sequence of sentences."""

    id: str
    topic: str
    entities: tuple[Entity, ...]
    sentences: tuple[Sentence, ...]
    tense: Tense

    @property
    def text(self) -> str:
        return document_text(self)

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)


def document_text(doc: Document) -> str:
    """The document as one string: sentences joined by single spaces."""
    return " ".join(s.text for s in doc.sentences)


def sentence_offsets(doc: Document) -> list[int]:
    """Character offset of each sentence in ``document_text(doc)``."""
    offsets, pos = [], 0
    for s in doc.sentences:
        offsets.append(pos)
        pos += len(s.text) + 1
    return offsets


def generate_documents(config: SyntheticConfig) -> list[Document]:
    """``config.n_documents`` documents; document k is the same for any n_documents > k."""
    return [generate_document(config, k) for k in range(config.n_documents)]


def document_rng(config: SyntheticConfig, index: int, purpose: str = "") -> random.Random:
    """The random stream of document ``index`` (a ``purpose`` gives an independent stream)."""
    suffix = f"/{purpose}" if purpose else ""
    return random.Random(f"synthetic/{GENERATOR_VERSION}/{config.seed}/{index}{suffix}")


def generate_document(config: SyntheticConfig, index: int, rng: random.Random | None = None) -> Document:
    """Document ``index`` of the config's seed (or drawn from ``rng``, for the builders).

    A corpus document (no ``rng`` given) has a mood with probability ``phenomena.mood``: positive
    or negative, drawn from its own stream, which keeps the other polarity's words out of it (and,
    when strong, makes its adjectives and adverbs carry the mood's polarity). It
    may end with statements of world knowledge (``phenomena.schema``, ``phenomena.causal``).
    """
    if rng is None:
        moods = document_rng(config, index, "mood")
        mood = 0 if moods.random() >= config.rates["mood"] else moods.choice((1, -1))
        mood *= 2 if moods.random() < config.rates["strong_mood"] else 1
        with document_mood(mood):
            return _with_knowledge(_generate(config, index, document_rng(config, index)), config, index)
    return _generate(config, index, rng)


def _with_knowledge(doc: Document, config: SyntheticConfig, index: int) -> Document:
    """The document with a schema sentence and a causal link appended, each at its rate."""
    from nlpbench.data.synthetic.statements import causal_sentences, schema_sentence

    rng, rates = document_rng(config, index, "knowledge"), config.rates
    extra: list[Sentence] = []
    if rng.random() < rates["schema"]:
        said = schema_sentence(rng, list(doc.entities), doc.tense, len(doc.sentences))
        extra += [said] if said is not None else []  # type: ignore[list-item]
    if rng.random() < rates["causal"]:
        extra += causal_sentences(rng, doc.topic, list(doc.entities), doc.tense)  # type: ignore[arg-type]
    return replace(doc, sentences=doc.sentences + tuple(extra)) if extra else doc


def _generate(config: SyntheticConfig, index: int, rng: random.Random) -> Document:
    rates = config.rates
    topic = rng.choice(config.topic_choices)
    tense: Tense = "present" if rng.random() < rates["present_tense"] else "past"
    cast = _cast(rng, topic, rates)
    n = rng.randint(*config.sentences_per_document)
    state = _State()
    sentences: list[Sentence] = []
    said: list[tuple[Frame, frozenset[str]]] = []
    for i in range(n):
        frame = _plan(rng, topic, cast, state, rates, tense, i)
        for _ in range(50):  # a document never contradicts itself
            if _consistent(frame, said):
                break
            frame = _plan(rng, topic, cast, state, rates, tense, i)
        said.append((frame, _predicates(frame)))
        sentences.append(_say(rng, frame, state, rates, i))
    return Document(f"synthetic-{config.seed}-{index:06d}", topic, tuple(cast), tuple(sentences), tense)


def _predicates(frame: Frame) -> frozenset[str]:
    """Meanings a frame asserts (its own and its relative clauses'), antonyms and hypernyms included."""
    out: set[str] = set()
    for f in (frame, *presuppositions(frame)):
        if f.copula:
            out.add(f"a:{f.meaning}")
            if (other := lx.adjective_antonym(f.meaning)) is not None:
                out.add(f"a:{other}")
        else:
            out.update(f"v:{m}" for m in lx.verb_ancestors(f.meaning))
            if (other := lx.verb_antonym(f.meaning)) is not None:
                out.add(f"v:{other}")
    return frozenset(out)


def _consistent(frame: Frame, previous: list[tuple[Frame, frozenset[str]]]) -> bool:
    """False when the frame contradicts a sentence already in the document, or (for coherence, not
    logic) describes a referent with an adjective of the opposite sentiment ("lovely" ... "terrible")."""
    mine = _predicates(frame)
    if any(mine & theirs and contradicts(p, frame) for p, theirs in previous):
        return False
    if not frame.copula:
        return True
    polarity = lx.ADJECTIVES[frame.predicate].sentiment * (-1 if frame.negated else 1)
    return not any(p.copula and p.agent == frame.agent and polarity
                   and lx.ADJECTIVES[p.predicate].sentiment * (-1 if p.negated else 1) == -polarity
                   for p, _ in previous)


# ----------------------------------------------------------------------------- the cast


def _cast(rng: random.Random, topic: str, rates: dict[str, float]) -> list[Entity]:
    cast: list[Entity] = []
    used: list[str] = []
    first = rng.choice(("male", "female"))
    genders = [first, first if rng.random() < 0.25 else ("female" if first == "male" else "male")]
    if rng.random() < 0.4:
        genders.append(rng.choice(("male", "female")))
    neutral = not strong_mood()  # a strong mood describes its cast too ("the gentle kind nurse")
    for gender in genders:
        np = sm.person_np(rng, topic, role_rate=0.3, exclude=tuple(used), gender=gender,  # type: ignore[arg-type]
                          entity=f"e{len(cast)}")
        used.append(np.head)
        if not np.is_name:
            adjs = sm.adjectives(rng, np.head, topic, rates["adjective"] / 2, neutral=neutral)
            np = replace(np, adjectives=adjs)
        cast.append(Entity(np.entity or "", np))
    roles = [k for k in sm.topic_nouns(topic, "person") if k not in used]
    if rng.random() < 0.3 and roles:
        key = rng.choice(roles)
        cast.append(Entity(f"e{len(cast)}", noun_np(key, "the", "pl", entity=f"e{len(cast)}")))
    animals = sm.topic_nouns(topic, "animal")
    if animals and rng.random() < 0.8:
        key = rng.choice(animals)
        adjs = sm.adjectives(rng, key, topic, rates["adjective"], neutral=neutral)
        cast.append(Entity(f"e{len(cast)}", noun_np(key, "the", "sg", adjs, entity=f"e{len(cast)}")))
    things = [k for k in sm.thing_nouns(topic) if _takes_patient(k, topic)]
    for key in rng.sample(things, k=1 if rng.random() < 0.5 else 2):
        adjs = sm.adjectives(rng, key, topic, rates["adjective"], neutral=neutral)
        cast.append(Entity(f"e{len(cast)}", noun_np(key, "the", "sg", adjs, entity=f"e{len(cast)}")))
    return cast


def _clashes(key: str, cast: list[Entity]) -> bool:
    """True when a new "the <noun>" could be taken for a cast member (same noun, hypernym or hyponym)."""
    return any(key in _related_nouns(e.np.meaning) for e in cast if not e.np.is_name)


@cache
def _related_nouns(meaning: str) -> frozenset[str]:
    return frozenset(k for k, n in lx.NOUNS.items()
                     if lx.noun_is_a(n.meaning, meaning) or lx.noun_is_a(meaning, n.meaning))


@cache
def _takes_patient(key: str, topic: str) -> bool:
    # cached, so it must not depend on the current view or mood: the unrestricted indexes
    return any(key in sm.all_patients_for(v, topic) for v in sm.all_verbs_for(sm.PERSON, topic, True)
               if lx.VERBS[v].topic == topic)


# ----------------------------------------------------------------------------- planning a sentence


@dataclass
class _State:
    mentioned: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # entity -> last full mention
    previous: list[str] = field(default_factory=list)  # entities in the previous sentence
    previous_classes: frozenset[str] = frozenset()  # pronoun classes of non-entity referents there
    classes: dict[str, frozenset[str]] = field(default_factory=dict)  # pronoun classes of entities seen


def _agents(cast: list[Entity]) -> list[Entity]:
    return [e for e in cast if e.np.is_name or lx.NOUNS[e.np.head].kind in ("person", "animal")]


def _pick_agent(rng: random.Random, cast: list[Entity], state: _State) -> Entity:
    agents = _agents(cast)
    recent = [e for e in agents if e.id in state.previous]
    fresh = [e for e in agents if e.id not in state.mentioned]
    r = rng.random()
    if recent and r < 0.5:
        return rng.choice(recent)
    if fresh and r < 0.8:
        return rng.choice(fresh)
    return rng.choice(agents)


def _plan(rng: random.Random, topic: str, cast: list[Entity], state: _State, rates: dict[str, float],
          tense: Tense, i: int) -> Frame:
    r = rng.random()
    frame: Frame | None = None
    copular = rates["copular"] * (2 if strong_mood() else 1)  # a strong mood describes more
    if i > 0 and r < copular:
        frame = _copular(rng, topic, cast, state, tense)
    elif i > 0 and r < copular + rates["quantifier"]:
        frame = _quantified(rng, topic, cast, rates, tense)
    if frame is None:
        frame = _event(rng, topic, cast, state, rates, tense)
    if rng.random() < rates["negation"] and not frame.negated:
        frame = negate(frame)
    return frame


def _event(rng: random.Random, topic: str, cast: list[Entity], state: _State, rates: dict[str, float],
           tense: Tense) -> Frame:
    agent_entity = _pick_agent(rng, cast, state)
    agent: Argument = agent_entity.np
    people = [e for e in cast if e.np.is_person and e.number == "sg"]
    if agent in [e.np for e in people] and len(people) > 1 and rng.random() < rates["coordination"]:
        other = rng.choice([e for e in people if e.np != agent])
        agent = Coord((agent_entity.np, other.np))
    key = sm.class_key(agent)
    transitive = sm.verbs_for(key, topic, True)
    intransitive = sm.verbs_for(key, topic, False)
    agent_ids = {m.entity for m in (agent.members if isinstance(agent, Coord) else (agent,))}
    targets = [e for e in cast if e.id not in agent_ids]
    target = rng.choice(targets) if targets and rng.random() < 0.5 else None
    fitting = sm.verbs_between(key, sm.class_key(target.np), topic) if target is not None else ()
    if fitting:
        verb, patient = sm.weighted_verb(rng, fitting, topic), target.np  # type: ignore[union-attr]
    elif transitive and (not intransitive or rng.random() < 0.75):
        verb = sm.weighted_verb(rng, transitive, topic)
        patient = _patient(rng, verb, agent, topic, cast, rates, tense)
    else:
        verb, patient = sm.weighted_verb(rng, intransitive, topic), None
    v = lx.VERBS[verb]
    if isinstance(agent, NP) and not agent.is_name and rng.random() < rates["relative_clause"]:
        avoid = {agent.entity, patient.entity if patient is not None else None}
        rel = _relative(rng, agent, topic, cast, avoid, tense)
        if rel is not None:
            agent = replace(agent, relative=rel)
    frame = Frame(agent, verb, patient, tense=tense)
    frame = sm.decorate(rng, frame, topic, place_rate=rates["place"], manner_rate=rates["adverb"])
    if patient is not None and rng.random() < rates["passive"]:
        frame = replace(frame, voice="passive")
    if not v.stative and rng.random() < rates["progressive"]:
        frame = replace(frame, progressive=True)
    return frame


def _patient(rng: random.Random, verb: str, agent: Argument, topic: str, cast: list[Entity],
             rates: dict[str, float], tense: Tense) -> NP:
    agent_ids = {m.entity for m in (agent.members if isinstance(agent, Coord) else (agent,))}
    entities = [e for e in cast if e.id not in agent_ids and sm.patient_fits(verb, e.np)]
    if entities and rng.random() < 0.65:
        return rng.choice(entities).np
    options = [k for k in sm.patients_for(verb, topic) if not _clashes(k, cast)]
    if not options:
        return rng.choice(entities).np if entities else noun_np(rng.choice(sm.patients_for(verb, topic)))
    key = rng.choice(options)
    np = sm.thing_np(rng, key, topic, adjective_rate=rates["adjective"], indefinite=0.2)
    if lx.NOUNS[key].kind == "person":
        np = replace(np, det="the", gender=None)
    if (isinstance(agent, NP) and agent.entity and np.det == "the" and lx.NOUNS[key].kind == "object"
            and rng.random() < rates["possessive"]):
        return replace(np, possessor=agent, adjectives=())
    if np.det == "the" and rng.random() < rates["relative_clause"]:
        rel = _relative(rng, np, topic, cast, agent_ids, tense)
        if rel is not None:
            np = replace(np, relative=rel)
    return np


def _relative(rng: random.Random, head: NP, topic: str, cast: list[Entity], avoid: set[str | None],
              tense: Tense) -> Relative | None:
    """A relative clause on ``head`` whose other argument is a cast member (not in ``avoid``)."""
    others = [e for e in cast if e.id not in avoid]
    rng.shuffle(others)
    for e in others:
        gap_patient = [v for v in sm.verbs_for(sm.class_key(e.np), topic, True)
                       if sm.patient_fits(v, head) and not lx.VERBS[v].sentiment]
        gap_agent = [v for v in sm.verbs_for(sm.class_key(head), topic, True)
                     if sm.patient_fits(v, e.np) and not lx.VERBS[v].sentiment]
        if gap_patient and (not gap_agent or rng.random() < 0.6):
            return Relative("patient", sm.weighted_verb(rng, tuple(gap_patient), topic), e.np, tense)
        if gap_agent:
            return Relative("agent", sm.weighted_verb(rng, tuple(gap_agent), topic), e.np, tense)
    return None


def _copular(rng: random.Random, topic: str, cast: list[Entity], state: _State, tense: Tense) -> Frame | None:
    mentioned = [e for e in cast if e.id in state.mentioned]
    subject = rng.choice(mentioned or cast).np
    return sm.copular_frame(rng, subject, topic, tense=tense)


def _quantified(rng: random.Random, topic: str, cast: list[Entity], rates: dict[str, float],
                tense: Tense) -> Frame | None:
    groups = sm.topic_nouns(topic, "person") + sm.topic_nouns(topic, "animal")
    key = rng.choice(groups)
    det = rng.choice(("every", "all", "some", "most", "few", "no", "two", "three", "a"))
    q = noun_np(key, det, None if det != "no" else rng.choice(NUMBERS))
    transitive = sm.verbs_for(key, topic, True)
    if transitive and rng.random() < 0.7:
        verb = sm.weighted_verb(rng, transitive, topic)
        entities = [e for e in cast if sm.patient_fits(verb, e.np)]
        options = [k for k in sm.patients_for(verb, topic) if not _clashes(k, cast)]
        if entities and (rng.random() < 0.6 or not options):
            patient = rng.choice(entities).np
        elif options:
            patient = noun_np(rng.choice(options))
        else:
            return None
        if lx.NOUNS.get(patient.head) is not None and patient.head == key:
            return None
        frame = Frame(q, verb, patient, tense=tense)
        if rng.random() < rates["passive"]:
            frame = replace(frame, voice="passive")
    else:
        intransitive = sm.verbs_for(key, topic, False)
        if not intransitive:
            return None
        frame = Frame(q, sm.weighted_verb(rng, intransitive, topic), tense=tense)
    return sm.decorate(rng, frame, topic, place_rate=rates["place"], manner_rate=rates["adverb"])


# ----------------------------------------------------------------------------- saying it


def _entity_nps(frame: Frame) -> list[tuple[str, NP]]:
    """(role path, NP) of every entity mention that may become a pronoun (not inside a coordination)."""
    out: list[tuple[str, NP]] = []
    for role, arg in (("agent", frame.agent), ("patient", frame.patient)):
        if isinstance(arg, NP):
            if arg.entity:
                out.append((role, arg))
            if arg.possessor is not None and arg.possessor.entity:
                out.append((f"{role}.possessor", arg.possessor))
            if arg.relative is not None and arg.relative.other is not None and arg.relative.other.entity:
                out.append((f"{role}.relative", arg.relative.other))
    return out


def _class(np: NP) -> str:
    return next(iter(referent_class(np)))


def _say(rng: random.Random, frame: Frame, state: _State, rates: dict[str, float], i: int) -> Sentence:
    """Choose pronouns for given entities, realise the frame, and update what is in view."""
    current: set[str] = {"they"} if isinstance(frame.agent, Coord) else set()  # non-entity referents
    in_frame: dict[str, frozenset[str]] = {}
    for np in iter_nps(frame):
        if np.entity:
            in_frame[np.entity] = referent_class(np)
        else:
            current |= referent_class(np)
    in_view = {**state.classes, **in_frame}
    agent_id = frame.agent.entity if isinstance(frame.agent, NP) else None
    chosen: set[str] = set()
    bound = False
    for role, np in _entity_nps(frame):
        e = np.entity
        assert e is not None
        possessive = role == "patient.possessor" and e == agent_id and frame.voice == "active"
        if e in chosen or not (e in state.mentioned or possessive):
            continue
        blockers = set(state.previous_classes) | current
        for other, classes in in_view.items():
            if other != e:
                blockers |= classes
        if _class(np) in blockers:
            continue
        if possessive:
            bound = True
        elif rng.random() < rates["pronoun"]:
            chosen.add(e)
    # a possessor that cannot be a pronoun is dropped ("Anna played the violin", not "Anna's violin")
    if isinstance(frame.patient, NP) and frame.patient.possessor is not None:
        if not bound and frame.patient.possessor.entity not in chosen:
            frame = replace(frame, patient=replace(frame.patient, possessor=None))
    base = Style(pronouns=frozenset(chosen), contractions=rng.random() < rates["contraction"],
                 bound_possessor=bound)
    style = random_style(frame, rng, base, front_place=rates["fronting"])
    real = realise_with_mentions(frame, style)
    agent_span = next(((i, m.start, m.end) for m in real.mentions
                       if m.role == "agent" and m.entity and not m.pronoun), None)
    links = []
    for m in real.mentions:
        if m.pronoun and m.entity:
            ante = state.mentioned.get(m.entity)
            if m.role == "patient.possessor" and m.entity == agent_id and agent_span is not None:
                ante = agent_span
            assert ante is not None, "a pronoun without an antecedent"
            links.append(PronounLink(m.start, m.end, m.text, m.entity, *ante))
    for m in real.mentions:
        if m.entity and not m.pronoun:
            state.mentioned[m.entity] = (i, m.start, m.end)
    state.classes.update(in_frame)
    state.previous = sorted({m.entity for m in real.mentions if m.entity})
    state.previous_classes = frozenset(current)
    return Sentence(real.text, frame, real.mentions, real.lexemes, tuple(links))
