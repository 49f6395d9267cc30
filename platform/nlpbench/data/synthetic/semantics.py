"""Meaning of the synthetic language: frames, and entailment, contradiction, sentiment and reference.

A ``Frame`` is one clause: who did what to whom, with polarity, tense, voice, quantifier (on at most
one argument) and modifiers. Every label a benchmark stand-in needs is derived here, from frames,
never from strings. The rules are deliberately conservative: ``entails`` answers True only when a
rule guarantees it, so "neutral" means "no rule licenses entailment or contradiction".

Conventions (those of NLI annotation): the two sides of a pair describe the same situation, so a
definite description or name refers to the same individual on both sides whenever one description
subsumes the other ("the dog" and "the animal"); universal quantifiers carry existential import
(every dog ran => a dog ran); numerals mean "exactly"; coordinated subjects are read distributively
("Anna and Ben ran" => "Anna ran"), and a negated coordination licenses nothing about its members.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic.grammar import Tense, pronoun_class
from nlpbench.data.synthetic.lexicon import Gender, Number

Voice = Literal["active", "passive"]
Relation = Literal["entailment", "contradiction", "neutral"]
Sentiment = Literal["positive", "negative", "neutral", "mixed"]
Role = Literal["agent", "patient"]
REFERENTIAL = ("the", "name")


@dataclass(frozen=True)
class Relative:
    """A restrictive relative clause on a noun phrase: "that chased the cat" / "that Ben wrote"."""

    gap: Role  # which argument of the relative verb the head noun fills
    verb: str
    other: NP | None = None  # the relative verb's other argument (None: intransitive, agent gap)
    tense: Tense = "past"
    negated: bool = False


@dataclass(frozen=True)
class NP:
    """A noun phrase: a name, a definite description, or a quantified noun.

    ``det`` is "name" (``head`` is then a first name), "the", or a quantifier key ("a", "some",
    "every", "all", "most", "few", "no", "two", "three"). ``entity`` and ``gender`` identify the
    referent in a document; they take no part in meaning comparisons.
    """

    head: str
    det: str = "the"
    number: Number = "sg"
    adjectives: tuple[str, ...] = ()
    relative: Relative | None = None
    possessor: NP | None = None
    entity: str | None = field(default=None, compare=False)
    gender: Gender | None = field(default=None, compare=False)

    @property
    def is_name(self) -> bool:
        return self.det == "name"

    @property
    def is_quantified(self) -> bool:
        return self.det in lx.QUANTIFIERS

    @property
    def is_referential(self) -> bool:
        return self.det in REFERENTIAL

    @property
    def noun(self) -> lx.Noun | None:
        return None if self.is_name else lx.NOUNS[self.head]

    @property
    def is_person(self) -> bool:
        return self.is_name or (self.noun is not None and self.noun.kind == "person")

    @property
    def meaning(self) -> str:
        return self.head if self.is_name else lx.NOUNS[self.head].meaning


@dataclass(frozen=True)
class Coord:
    """Coordinated noun phrases ("Anna and Ben"): plural for agreement, distributive in meaning."""

    members: tuple[NP, ...]

    @property
    def number(self) -> Number:
        return "pl"

    @property
    def is_quantified(self) -> bool:
        return False

    @property
    def is_referential(self) -> bool:
        return True

    @property
    def is_person(self) -> bool:
        return all(m.is_person for m in self.members)


Argument = NP | Coord


@dataclass(frozen=True)
class Place:
    """A locative modifier: "in the kitchen", "on the bank"."""

    np: NP
    preposition: str = ""

    def __post_init__(self) -> None:
        if not self.preposition:
            object.__setattr__(self, "preposition", lx.NOUNS[self.np.head].preposition)


@dataclass(frozen=True)
class Frame:
    """One proposition. ``predicate`` is a verb key, or an adjective key when ``copula`` is set.

    ``agent`` is the subject of a copular frame (the one described). The quantifier, if any, sits
    on the argument NP that carries it (see ``quantifier``); ``negated`` is sentential negation.
    """

    agent: Argument
    predicate: str
    patient: NP | None = None
    negated: bool = False
    tense: Tense = "past"
    voice: Voice = "active"
    copula: bool = False
    progressive: bool = False
    manner: str | None = None
    place: Place | None = None

    @property
    def meaning(self) -> str:
        """The predicate's meaning id (synonyms share it)."""
        if self.copula:
            return lx.ADJECTIVES[self.predicate].meaning
        return lx.VERBS[self.predicate].meaning

    @property
    def quantifier(self) -> str | None:
        q = quantified(self)
        return q[1].det if q else None

    @property
    def modifiers(self) -> tuple[str, ...]:
        """The frame's adverbial modifiers, e.g. ("manner:quickly", "place:in kitchen")."""
        out: list[str] = []
        if self.manner:
            out.append(f"manner:{self.manner}")
        if self.place:
            out.append(f"place:{self.place.preposition} {self.place.np.head}")
        return tuple(out)

    @property
    def sentiment(self) -> Sentiment:
        return sentiment(self)

    @property
    def surface_subject(self) -> Argument:
        if self.voice == "passive" and self.patient is not None:
            return self.patient
        return self.agent


@dataclass(frozen=True)
class Entity:
    """A referent of a document: its id and the noun phrase that names or describes it."""

    id: str
    np: NP

    @property
    def gender(self) -> Gender | None:
        return self.np.gender

    @property
    def number(self) -> Number:
        return self.np.number

    @property
    def pronoun(self) -> str:
        return pronoun_class(self.gender, self.number)


# ----------------------------------------------------------------------------- constructors


def name_np(name: str, entity: str | None = None) -> NP:
    """A proper name, with the gender its pronouns take."""
    return NP(name, "name", "sg", entity=entity, gender=lx.NAMES[name].gender)


def noun_np(key: str, det: str = "the", number: Number | None = None, adjectives: tuple[str, ...] = (),
            relative: Relative | None = None, possessor: NP | None = None, entity: str | None = None,
            gender: Gender | None = None) -> NP:
    """A common-noun phrase; the number defaults to what the determiner requires."""
    if number is None:
        q = lx.QUANTIFIERS.get(det)
        number = q.number if q is not None and q.number is not None else "sg"
    noun = lx.NOUNS[key]
    if gender is None:
        gender = noun.gender if noun.kind == "person" else "neuter"
    return NP(key, det, number, adjectives, relative, possessor, entity, gender)


# ----------------------------------------------------------------------------- traversal


def iter_nps(frame: Frame) -> Iterator[NP]:
    """Every noun phrase in a frame, nested ones (members, possessors, relatives, places) included."""
    for arg in (frame.agent, frame.patient, frame.place.np if frame.place else None):
        if arg is not None:
            yield from _iter_arg(arg)


def _iter_arg(arg: Argument) -> Iterator[NP]:
    if isinstance(arg, Coord):
        for m in arg.members:
            yield from _iter_arg(m)
        return
    yield arg
    if arg.possessor is not None:
        yield from _iter_arg(arg.possessor)
    if arg.relative is not None and arg.relative.other is not None:
        yield from _iter_arg(arg.relative.other)


def quantified(frame: Frame) -> tuple[Role, NP] | None:
    """The argument that carries the frame's quantifier, if any (at most one is allowed)."""
    for role, arg in (("agent", frame.agent), ("patient", frame.patient)):
        if isinstance(arg, NP) and arg.is_quantified:
            return role, arg  # type: ignore[return-value]
    return None


def _n_quantified(frame: Frame) -> int:
    return sum(isinstance(a, NP) and a.is_quantified for a in (frame.agent, frame.patient))


def with_role(frame: Frame, role: str, np: Argument) -> Frame:
    """The frame with its agent or patient replaced."""
    if role == "agent":
        return replace(frame, agent=np)
    if role == "patient" and isinstance(np, NP):
        return replace(frame, patient=np)
    raise ValueError(f"cannot put {np!r} in role {role!r}")


# ----------------------------------------------------------------------------- negation, paraphrase


def negate(frame: Frame) -> Frame:
    """The contradictory proposition. "a/some" and "no" swap; otherwise sentential negation flips."""
    q = quantified(frame)
    if not frame.negated and q is not None and q[1].det in ("a", "some", "no"):
        role, np = q
        if np.det == "no":
            det = "a" if np.number == "sg" else "some"
        else:
            det = "no"
        return with_role(frame, role, replace(np, det=det))
    return replace(frame, negated=not frame.negated)


def paraphrase(frame: Frame, rng: random.Random | None = None) -> Frame:
    """A frame with the same meaning: active <-> passive where transitive, and synonyms swapped in.

    Without ``rng`` the choice is deterministic (the next synonym in lexicon order).
    """
    def pick(pos: Literal["noun", "verb", "adjective", "adverb"], key: str) -> str:
        options = lx.synonyms(pos, key)
        if len(options) == 1:
            return key
        if rng is None:
            return options[(options.index(key) + 1) % len(options)]
        return rng.choice([o for o in options if o != key])

    def np_(np: NP) -> NP:
        head = np.head if np.is_name else pick("noun", np.head)
        rel = np.relative
        if rel is not None:
            rel = replace(rel, verb=pick("verb", rel.verb), other=np_(rel.other) if rel.other else None)
        return replace(np, head=head, adjectives=tuple(pick("adjective", a) for a in np.adjectives),
                       relative=rel, possessor=np_(np.possessor) if np.possessor else None)

    def arg(a: Argument) -> Argument:
        return Coord(tuple(np_(m) for m in a.members)) if isinstance(a, Coord) else np_(a)

    voice: Voice = frame.voice
    if frame.patient is not None and not frame.copula:
        voice = "active" if frame.voice == "passive" else "passive"
    return replace(
        frame, agent=arg(frame.agent), patient=np_(frame.patient) if frame.patient else None,
        predicate=pick("adjective" if frame.copula else "verb", frame.predicate), voice=voice,
        manner=pick("adverb", frame.manner) if frame.manner else None,
        place=Place(np_(frame.place.np), frame.place.preposition) if frame.place else None,
    )


# ----------------------------------------------------------------------------- entailment


def _adj_meanings(np: NP) -> frozenset[str]:
    return frozenset(lx.ADJECTIVES[a].meaning for a in np.adjectives)


def _rel_equal(a: Relative | None, b: Relative | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.gap == b.gap and lx.VERBS[a.verb].meaning == lx.VERBS[b.verb].meaning and a.tense == b.tense
            and a.negated == b.negated and _np_equal(a.other, b.other))


def _np_equal(a: NP | None, b: NP | None) -> bool:
    """Same meaning: same determiner, number, head meaning, adjective meanings, relative, possessor."""
    if a is None or b is None:
        return a is b
    return (a.det == b.det and a.number == b.number and a.meaning == b.meaning
            and _adj_meanings(a) == _adj_meanings(b) and _rel_equal(a.relative, b.relative)
            and _np_equal(a.possessor, b.possessor))


def _desc_leq(specific: NP, general: NP) -> bool:
    """``general``'s description holds of whatever ``specific``'s does (hypernym, fewer modifiers)."""
    if specific.is_name or general.is_name:
        return specific.is_name and general.is_name and specific.head == general.head
    return (lx.noun_is_a(specific.meaning, general.meaning)
            and not lx.NOUNS[general.head].hidden
            and _adj_meanings(general) <= _adj_meanings(specific)
            and (general.relative is None or _rel_equal(specific.relative, general.relative)))


def _ref_entails(p: Argument, h: Argument, upward: bool) -> bool:
    """A referring argument of the premise licenses the hypothesis's (same referent, weaker description).

    Descriptions are scopeless, so generalising them is valid under negation too; dropping
    coordinated members is valid only in upward contexts (distributive reading).
    """
    if isinstance(p, Coord) or isinstance(h, Coord):
        p_members = p.members if isinstance(p, Coord) else (p,)
        h_members = h.members if isinstance(h, Coord) else (h,)
        forward = all(any(_ref_entails(pm, hm, True) for pm in p_members) for hm in h_members)
        if upward:
            return forward
        backward = all(any(_ref_entails(pm, hm, True) for hm in h_members) for pm in p_members)
        return forward and backward
    if not (p.is_referential and h.is_referential):
        return False
    if p.is_name or h.is_name:
        return p.is_name and h.is_name and p.head == h.head
    if p.number != h.number or not _desc_leq(p, h):
        return False
    if h.possessor is None:
        return True
    return p.possessor is not None and _ref_entails(p.possessor, h.possessor, True)


def same_description(a: Argument | None, b: Argument | None) -> bool:
    """The two arguments mean the same: co-referring descriptions, or equal quantified phrases."""
    if a is None or b is None:
        return a is b
    if isinstance(a, NP) and isinstance(b, NP) and (a.is_quantified or b.is_quantified):
        return _np_equal(a, b)
    return _ref_entails(a, b, False) and _ref_entails(b, a, False)


def _restrictor_ok(p: NP, h: NP, direction: lx.Monotonicity) -> bool:
    if direction == "up":
        return _desc_leq(p, h)
    if direction == "down":
        return _desc_leq(h, p)
    return p.meaning == h.meaning and _adj_meanings(p) == _adj_meanings(h) and _rel_equal(p.relative,
                                                                                           h.relative)


def _flip(direction: lx.Monotonicity, negated: bool) -> lx.Monotonicity:
    if not negated or direction == "none":
        return direction
    return "down" if direction == "up" else "up"


def _scope_ok(p: Frame, h: Frame, direction: lx.Monotonicity, skip: Role | None) -> bool:
    """Everything but the quantified argument: predicate, other arguments, manner, place."""
    if p.copula:
        if p.meaning != h.meaning:
            return False
    elif p.meaning != h.meaning:
        if direction == "up" and not lx.verb_is_a(p.meaning, h.meaning):
            return False
        if direction == "down" and not lx.verb_is_a(h.meaning, p.meaning):
            return False
        if direction == "none":
            return False
    if (p.patient is None) != (h.patient is None):
        return False
    for role in ("agent", "patient"):
        if role == skip:
            continue
        pa, ha = getattr(p, role), getattr(h, role)
        if pa is not None and not _ref_entails(pa, ha, direction == "up"):
            return False
    return _optional_ok(p.manner, h.manner, direction) and _place_ok(p.place, h.place, direction)


def _optional_ok(p: str | None, h: str | None, direction: lx.Monotonicity) -> bool:
    pm = lx.ADVERBS[p].meaning if p else None
    hm = lx.ADVERBS[h].meaning if h else None
    if direction == "up":
        return hm is None or hm == pm
    if direction == "down":
        return pm is None or pm == hm
    return pm == hm


def _place_ok(p: Place | None, h: Place | None, direction: lx.Monotonicity) -> bool:
    if p is not None and h is not None:
        return p.preposition == h.preposition and _ref_entails(p.np, h.np, True)
    if direction == "up":
        return h is None
    if direction == "down":
        return p is None
    return p is None and h is None


def _canonical(frame: Frame) -> Frame:
    """Voice dropped (passives mean what actives do); "no X" becomes "not (a X)"."""
    frame = replace(frame, voice="active")
    q = quantified(frame)
    if q is not None:
        role, np = q
        if np.det == "no":
            frame = with_role(replace(frame, negated=not frame.negated), role, replace(np, det="a",
                                                                                     number="sg"))
        elif np.det == "some" and frame.negated:
            frame = with_role(frame, role, replace(np, det="a", number="sg"))
    return frame


def _entails_core(p: Frame, h: Frame) -> bool:
    if (p.copula, p.tense, p.progressive, p.negated) != (h.copula, h.tense, h.progressive, h.negated):
        return False
    if p.copula and p.patient is not None:
        return False
    qp, qh = quantified(p), quantified(h)
    if qp is None and qh is None:
        direction: lx.Monotonicity = "down" if p.negated else "up"
        return _ref_entails(p.agent, h.agent, direction == "up") and _scope_ok(p, h, direction, "agent")
    if qp is None or qh is None or qp[0] != qh[0]:
        return False
    role = qp[0]
    q_p, q_h = lx.QUANTIFIERS[qp[1].det], lx.QUANTIFIERS[qh[1].det]
    quantifier_ok = (q_h.key in q_p.implies) if not p.negated else (q_p.key in q_h.implies)
    if not quantifier_ok:
        return False
    for q in (q_p, q_h):  # either order of the chain of single valid steps
        if (_restrictor_ok(qp[1], qh[1], _flip(q.restrictor, p.negated))
                and _scope_ok(p, h, _flip(q.scope, p.negated), role)):
            return True
    return False


def presuppositions(frame: Frame) -> list[Frame]:
    """Propositions carried by relative clauses on referring noun phrases.

    "The dog that chased the cat (did not) bark" presupposes "the dog chased the cat".
    """
    out: list[Frame] = []
    for np in iter_nps(frame):
        rel = np.relative
        if rel is None or not np.is_referential:
            continue
        head = replace(np, relative=None)
        if rel.gap == "agent":
            out.append(Frame(head, rel.verb, rel.other, rel.negated, rel.tense))
        elif rel.other is not None:
            out.append(Frame(rel.other, rel.verb, head, rel.negated, rel.tense))
    return out


def _antonym_consequences(frame: Frame) -> list[Frame]:
    """X is hot => X is not cold; every X won => no X lost (referential and universal subjects)."""
    if frame.negated or isinstance(frame.agent, Coord):
        return []
    if frame.copula:
        other = lx.adjective_antonym(frame.meaning)
        key = lx.adjective_for_meaning(other).key if other else None
    else:
        other = lx.verb_antonym(frame.meaning)
        key = lx.verb_for_meaning(other).key if other else None
    if key is None:
        return []
    core = replace(frame, predicate=key, manner=None, place=None)
    q = quantified(frame)
    if q is None:
        return [replace(core, negated=True)]
    role, np = q
    if np.det in ("every", "all"):
        return [with_role(replace(core, negated=True), role, replace(np, det="a", number="sg"))]
    return []


def _distributed(frame: Frame) -> list[Frame]:
    if isinstance(frame.agent, Coord) and not frame.negated:
        return [replace(frame, agent=m) for m in frame.agent.members]
    return []


def entails(premise: Frame, hypothesis: Frame) -> bool:
    """True when the rules guarantee that the premise makes the hypothesis true.

    Rules: identity up to voice and synonyms; hypernyms and dropped adjectives / relatives /
    possessors on referring phrases; quantifier monotonicity and quantifier strength (every =>
    most => some => a); dropping manner and place in upward contexts (adding them in downward
    ones); verb troponyms (sprint => run); distributive coordination; relative-clause
    presuppositions; antonyms (hot => not cold).
    """
    p, h = _canonical(premise), _canonical(hypothesis)
    if _n_quantified(p) > 1 or _n_quantified(h) > 1:
        return _frame_equal(p, h)
    derived = [p, *presuppositions(p), *_distributed(p)]
    derived += [c for d in list(derived) for c in _antonym_consequences(d)]
    return any(_entails_core(d, h) for d in derived)


def _frame_equal(a: Frame, b: Frame) -> bool:
    def arg_equal(x: Argument | None, y: Argument | None) -> bool:
        if isinstance(x, Coord) or isinstance(y, Coord):
            return (isinstance(x, Coord) and isinstance(y, Coord) and len(x.members) == len(y.members)
                    and all(_np_equal(m, n) for m, n in zip(x.members, y.members, strict=True)))
        return _np_equal(x, y)

    return (a.copula == b.copula and a.meaning == b.meaning and a.negated == b.negated
            and a.tense == b.tense and a.progressive == b.progressive and arg_equal(a.agent, b.agent)
            and arg_equal(a.patient, b.patient) and _optional_ok(a.manner, b.manner, "none")
            and _place_ok(a.place, b.place, "none"))


def contradicts(a: Frame, b: Frame) -> bool:
    """True when the rules guarantee the two cannot both be true (negation, antonyms, no vs some)."""
    return entails(a, negate(b)) or entails(b, negate(a))


def equivalent(a: Frame, b: Frame) -> bool:
    """Mutual entailment: the two frames say the same thing (a paraphrase)."""
    return entails(a, b) and entails(b, a)


def relation(premise: Frame, hypothesis: Frame) -> Relation:
    """The NLI label of a pair: "entailment", "contradiction" or "neutral"."""
    if entails(premise, hypothesis):
        return "entailment"
    if contradicts(premise, hypothesis):
        return "contradiction"
    return "neutral"


# ----------------------------------------------------------------------------- sentiment


def _np_polarities(np: NP) -> list[int]:
    out = [lx.ADJECTIVES[a].sentiment for a in np.adjectives]
    if np.relative is not None:
        s = lx.VERBS[np.relative.verb].sentiment
        out.append(-s if np.relative.negated else s)
        if np.relative.other is not None:
            out += _np_polarities(np.relative.other)
    if np.possessor is not None:
        out += _np_polarities(np.possessor)
    return out


def sentiment_words(frame: Frame) -> list[int]:
    """Polarity of each sentiment-bearing word, as the sentence asserts it.

    Words in the predicate (verb, predicative adjective, manner adverb) are flipped by negation
    and by a "no"/"few" quantifier; attributive adjectives and relative clauses sit outside that
    scope and keep their own polarity.
    """
    if frame.copula:
        inside = [lx.ADJECTIVES[frame.predicate].sentiment]
    else:
        inside = [lx.VERBS[frame.predicate].sentiment]
    if frame.manner:
        inside.append(lx.ADVERBS[frame.manner].sentiment)
    q = quantified(frame)
    flip = frame.negated != (q is not None and q[1].det in ("no", "few"))
    words = [-s if flip else s for s in inside]
    for arg in (frame.agent, frame.patient, frame.place.np if frame.place else None):
        members = arg.members if isinstance(arg, Coord) else (arg,) if arg is not None else ()
        for m in members:
            words += _np_polarities(m)
    return [w for w in words if w != 0]


def sentiment(frame: Frame) -> Sentiment:
    """The sentence's polarity: its sentiment words agree ("positive"/"negative"), clash or are absent."""
    words = sentiment_words(frame)
    if not words:
        return "neutral"
    if all(w > 0 for w in words):
        return "positive"
    if all(w < 0 for w in words):
        return "negative"
    return "mixed"


# ----------------------------------------------------------------------------- similarity


def similarity(a: Frame, b: Frame) -> float:
    """Graded similarity 0..5: 5 for paraphrases, else the weighted share of the frame in common.

    Weights: predicate 1.5 (0.75 if related by hypernymy or antonymy), agent 1.25 and patient 1.0
    (half when one description subsumes the other), polarity 0.5, tense and aspect 0.25, modifiers
    0.5. A pair that is not a paraphrase scores at most 4.6.
    """
    if equivalent(a, b):
        return 5.0
    p, h = _canonical(a), _canonical(b)
    score = 0.0
    if p.copula == h.copula and p.meaning == h.meaning:
        score += 1.5
    elif p.copula == h.copula and _predicates_related(p, h):
        score += 0.75
    score += 1.25 * _arg_overlap(p.agent, h.agent)
    score += 1.0 * _arg_overlap(p.patient, h.patient)
    score += 0.5 * (p.negated == h.negated)
    score += 0.25 * ((p.tense, p.progressive) == (h.tense, h.progressive))
    score += 0.25 * _optional_ok(p.manner, h.manner, "none") + 0.25 * _place_ok(p.place, h.place, "none")
    return round(min(score, 4.6), 2)


def _predicates_related(p: Frame, h: Frame) -> bool:
    if p.copula:
        return lx.adjective_antonym(p.meaning) == h.meaning
    return (lx.verb_is_a(p.meaning, h.meaning) or lx.verb_is_a(h.meaning, p.meaning)
            or lx.verb_antonym(p.meaning) == h.meaning)


def _arg_overlap(a: Argument | None, b: Argument | None) -> float:
    if a is None or b is None:
        return 1.0 if a is b else 0.0
    if isinstance(a, NP) and isinstance(b, NP):
        if _np_equal(a, b):
            return 1.0
        if a.is_quantified and b.is_quantified:
            return 0.5 if a.meaning == b.meaning else 0.0
    if _ref_entails(a, b, True) and _ref_entails(b, a, True):
        return 1.0
    if _ref_entails(a, b, True) or _ref_entails(b, a, True):
        return 0.5
    return 0.0


# ----------------------------------------------------------------------------- reference


def referent_class(arg: Argument) -> frozenset[str]:
    """The pronouns that could pick this argument up: a person of unknown gender takes he or she."""
    if isinstance(arg, Coord) or arg.is_quantified or arg.number == "pl":
        return frozenset({"they"})
    if arg.gender in ("male", "female") or arg.is_name:
        return frozenset({pronoun_class(arg.gender, "sg")})
    if arg.is_person:
        return frozenset({"he", "she"})
    return frozenset({"it"})


def resolve_pronoun(pronoun: str, candidates: Sequence[Argument]) -> int | None:
    """Index of the one candidate a pronoun can refer to, or None when none or several fit.

    ``pronoun`` is any form (she, her, its, them); candidates naming the same entity count once.
    """
    cls = next((c for c, forms in lx.PRONOUNS.items() if pronoun.lower() in forms.values()), None)
    if cls is None:
        raise ValueError(f"not a personal pronoun: {pronoun!r}")
    found: dict[str, int] = {}
    for i, c in enumerate(candidates):
        if cls in referent_class(c):
            ident = c.entity if isinstance(c, NP) and c.entity else f"#{i}"
            found.setdefault(ident, i)
    return next(iter(found.values())) if len(found) == 1 else None
