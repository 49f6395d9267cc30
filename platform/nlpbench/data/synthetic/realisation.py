"""Realisation: a frame becomes an English sentence or question, with the character span of every mention.

Surface choices that do not change meaning (fronted place, adverb position, "who" or "that",
pronouns for given entities, contractions) come from a ``Style``; ``realise`` can draw them from
an ``rng``. Mentions record where each noun phrase landed, so question answers, pronoun links
and word-sense spans are read off the realisation, not searched for in the string.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Literal

from nlpbench.data.synthetic import grammar as g
from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic.lexicon import Number
from nlpbench.data.synthetic.semantics import NP, Argument, Coord, Frame, Relative, quantified

WhTarget = Literal["agent", "patient", "place"]


@dataclass(frozen=True)
class Style:
    """How to say a frame. ``pronouns``: entity ids to realise as pronouns."""

    pronouns: frozenset[str] = frozenset()
    front_place: bool = False
    preverbal_adverb: bool = False
    contractions: bool = False
    wh_relative: bool = False  # "the teacher who ..." rather than "the teacher that ..."
    bound_possessor: bool = False  # the agent's own thing: "Anna played her violin"


@dataclass(frozen=True)
class Mention:
    """Where a noun phrase landed. ``role``: "agent", "patient", "place", "agent.member1",
    "patient.possessor", "agent.relative", ...; ``head`` spans the head word only."""

    role: str
    start: int
    end: int
    text: str
    entity: str | None
    pronoun: bool
    head: tuple[int, int]


@dataclass(frozen=True)
class LexSpan:
    """One content word: part of speech, lexicon key and character span."""

    pos: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Realisation:
    """A realised sentence and where its parts are."""

    text: str
    mentions: tuple[Mention, ...]
    lexemes: tuple[LexSpan, ...]
    verb: tuple[int, int]  # the verb group, auxiliaries and negation included
    main_verb: tuple[int, int]

    def mention(self, role: str) -> Mention | None:
        return next((m for m in self.mentions if m.role == role), None)


@dataclass
class _Writer:
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    mentions: list[tuple[str, int, int, str | None, bool, tuple[int, int]]] = field(default_factory=list)
    lexemes: list[tuple[str, str, int, int]] = field(default_factory=list)
    verb: list[int] = field(default_factory=list)
    main_verb: tuple[int, int] = (0, 0)
    bound: str | None = None  # entity whose possessive is a pronoun bound by the subject

    def next_start(self) -> int:
        return self.pos + (1 if self.parts else 0)

    def word(self, w: str, pos: str | None = None, key: str | None = None) -> tuple[int, int]:
        if self.parts and w not in (",", ".", "?"):
            self.parts.append(" ")
            self.pos += 1
        start = self.pos
        self.parts.append(w)
        self.pos += len(w)
        if pos is not None and key is not None:
            self.lexemes.append((pos, key, start, self.pos))
        return start, self.pos

    def suffix(self, s: str) -> None:
        self.parts[-1] += s
        self.pos += len(s)

    def verb_word(self, w: str, main: bool = False, key: str | None = None) -> None:
        span = self.word(w, "verb" if main else None, key)
        self.verb += list(span)
        if main:
            self.main_verb = span

    def text(self) -> str:
        return "".join(self.parts)


def _number(arg: Argument) -> Number:
    return arg.number


def _np(w: _Writer, np: NP, case: g.Case, role: str, style: Style) -> None:
    start = w.next_start()
    if np.entity is not None and (np.entity in style.pronouns
                                  or (np.entity == w.bound and role.endswith(".possessor"))):
        span = w.word(g.pronoun(np.gender, np.number, case))
        w.mentions.append((role, start, w.pos, np.entity, True, span))
        return
    if np.is_name:
        head = w.word(np.head)
    else:
        noun = lx.NOUNS[np.head]
        words = [lx.ADJECTIVES[a].word for a in np.adjectives] + [g.noun_form(noun, np.number)]
        if np.possessor is not None:
            _np(w, np.possessor, "gen", f"{role}.possessor", style)
        elif np.det == "a":
            w.word(lx.article(words[0]))
        else:
            w.word(lx.QUANTIFIERS[np.det].word if np.det in lx.QUANTIFIERS else np.det)
        for a in np.adjectives:
            w.word(lx.ADJECTIVES[a].word, "adjective", a)
        head = w.word(g.noun_form(noun, np.number), "noun", np.head)
        if np.relative is not None:
            _relative(w, np, np.relative, role, style)
    end = w.pos
    if case == "gen":
        w.suffix("'" if np.number == "pl" and w.parts[-1].endswith("s") else "'s")
    w.mentions.append((role, start, end, np.entity, False, head))


def _relative(w: _Writer, head: NP, rel: Relative, role: str, style: Style) -> None:
    verb = lx.VERBS[rel.verb]
    if rel.gap == "agent":
        w.word("who" if style.wh_relative and head.is_person else "that")
        _verb_group(w, verb, rel.tense, head.number, rel.negated, False, style, main_key=rel.verb)
        if rel.other is not None:
            _np(w, rel.other, "acc", f"{role}.relative", style)
        return
    assert rel.other is not None, "a patient-gap relative needs its agent"
    w.word("that")
    _np(w, rel.other, "nom", f"{role}.relative", style)
    _verb_group(w, verb, rel.tense, rel.other.number, rel.negated, False, style, main_key=rel.verb)


def _verb_group(w: _Writer, verb: lx.Verb, tense: g.Tense, number: Number, negated: bool, progressive: bool,
                style: Style, main_key: str, record: bool = False, adverb: str | None = None) -> None:
    """Active verb group with agreement: "barks", "did not bark", "are not barking"."""
    def put(word: str, main: bool = False) -> None:
        if record:
            w.verb_word(word, main, main_key if main else None)
        else:
            w.word(word, "verb" if main else None, main_key if main else None)

    if progressive:
        aux = g.be(tense, number)
        put(g.negated(aux, style.contractions) if negated else aux)
        put(verb.ing, main=True)
    elif negated:
        put(g.negated(g.do(tense, number), style.contractions))
        put(verb.base, main=True)
    else:
        if adverb is not None:
            w.word(lx.ADVERBS[adverb].word, "adverb", adverb)
        put(g.finite_verb(verb, tense, number), main=True)


def _arg(w: _Writer, arg: Argument, case: g.Case, role: str, style: Style) -> None:
    if isinstance(arg, Coord):
        start = w.next_start()
        n = len(arg.members)
        for i, m in enumerate(arg.members):
            if i > 0:
                if i == n - 1:
                    w.word("and")
                else:
                    w.suffix(",")
            _np(w, m, case, f"{role}.member{i}", style)
        w.mentions.append((role, start, w.pos, None, False, (start, w.pos)))
    else:
        _np(w, arg, case, role, style)


def _clause(w: _Writer, frame: Frame, style: Style, agreement: Number | None = None) -> None:
    """Write one declarative clause (no capital, no full stop)."""
    passive = frame.voice == "passive" and frame.patient is not None and not frame.copula
    subject, subject_role = (frame.patient, "patient") if passive else (frame.agent, "agent")
    assert subject is not None
    if frame.copula and frame.manner:
        raise ValueError("a copular frame takes no manner adverb")
    negated = frame.negated
    front = style.front_place and frame.place is not None
    q = quantified(frame)
    if negated and q is not None:
        if q[0] == subject_role and q[1].det in ("every", "all"):
            w.word("not")
            front = False
        else:
            w.word("it")
            w.word("is not true that")
        negated = False
    if front and frame.place is not None:
        w.word(frame.place.preposition)
        _np(w, frame.place.np, "acc", "place", style)
        w.suffix(",")
    _arg(w, subject, "nom", subject_role, style)
    if style.bound_possessor and not passive and isinstance(frame.agent, NP):
        w.bound = frame.agent.entity
    number = agreement or _number(subject)
    if frame.copula:
        aux = g.be(frame.tense, number)
        w.verb_word(g.negated(aux, style.contractions) if negated else aux)
        w.main_verb = w.word(lx.ADJECTIVES[frame.predicate].word, "adjective", frame.predicate)
        w.verb += list(w.main_verb)
    elif passive:
        verb = lx.VERBS[frame.predicate]
        aux = g.be(frame.tense, number)
        w.verb_word(g.negated(aux, style.contractions) if negated else aux)
        if frame.progressive:
            w.verb_word("being")
        w.verb_word(verb.pp, main=True, key=frame.predicate)
        w.word("by")
        _arg(w, frame.agent, "acc", "agent", style)
        if frame.manner:
            w.word(lx.ADVERBS[frame.manner].word, "adverb", frame.manner)
    else:
        verb = lx.VERBS[frame.predicate]
        preverbal = (frame.manner if style.preverbal_adverb and frame.manner and not negated
                     and not frame.progressive and not lx.ADVERBS[frame.manner].evaluative else None)
        _verb_group(w, verb, frame.tense, number, negated, frame.progressive, style, frame.predicate,
                    record=True, adverb=preverbal)
        if frame.patient is not None:
            _np(w, frame.patient, "acc", "patient", style)
        if frame.manner and preverbal is None:
            w.word(lx.ADVERBS[frame.manner].word, "adverb", frame.manner)
    if frame.place is not None and not front:
        w.word(frame.place.preposition)
        _np(w, frame.place.np, "acc", "place", style)


def _finish(w: _Writer, final: bool, mark: str = ".") -> Realisation:
    if final:
        w.word(mark)
    text = w.text()
    if final:
        text = g.capitalise(text)
    mentions = tuple(Mention(r, s, e, text[s:e], ent, pro, head) for r, s, e, ent, pro, head in w.mentions)
    lexemes = tuple(LexSpan(p, k, s, e) for p, k, s, e in w.lexemes)
    verb = (min(w.verb), max(w.verb)) if w.verb else w.main_verb
    return Realisation(text, mentions, lexemes, verb, w.main_verb)


def realise_with_mentions(frame: Frame, style: Style | None = None, *, final: bool = True,
                          agreement: Number | None = None) -> Realisation:
    """Realise a frame; ``final`` adds the capital and full stop (off for embedding in a larger sentence).

    ``agreement`` overrides the number the verb agrees with; only the acceptability builder
    uses it, to make agreement errors on purpose.
    """
    w = _Writer()
    _clause(w, frame, style or Style(), agreement)
    return _finish(w, final)


def random_style(frame: Frame, rng: random.Random, base: Style | None = None, *, front_place: float = 0.25,
                 preverbal_adverb: float = 0.3, wh_relative: float = 0.5) -> Style:
    """Draw the meaning-neutral surface choices for a frame."""
    style = base or Style()
    return replace(style, front_place=frame.place is not None and rng.random() < front_place,
                   preverbal_adverb=frame.manner is not None and rng.random() < preverbal_adverb,
                   wh_relative=rng.random() < wh_relative)


def realise(frame: Frame, rng: random.Random | None = None, style: Style | None = None) -> str:
    """The sentence for a frame; with ``rng``, surface choices (fronting, adverb position) are drawn."""
    if rng is not None:
        style = random_style(frame, rng, style)
    return realise_with_mentions(frame, style).text


def realise_question(frame: Frame, target: WhTarget | None = None, style: Style | None = None) -> str:
    """A yes/no question (``target`` None) or a who/what/where question about one part of a frame.

    Questions are asked of positive, unquantified frames: "Did Anna play the violin?", "Who
    played the violin?", "What did Anna play?", "Where did Anna play the violin?".
    """
    if frame.negated:
        raise ValueError("questions are asked about positive frames")
    style = style or Style()
    w = _Writer()
    if target is None:
        _yes_no_question(w, frame, style)
    elif target == "agent":
        _agent_question(w, frame, style)
    else:
        _object_question(w, frame, target, style)
    return _finish(w, True, "?").text


def _yes_no_question(w: _Writer, frame: Frame, style: Style) -> None:
    """"Did Anna play the violin", "Was the violin played by Anna", "Is Anna playing"."""
    passive = frame.voice == "passive" and frame.patient is not None and not frame.copula
    subject, role = (frame.patient, "patient") if passive else (frame.agent, "agent")
    assert subject is not None
    if frame.copula or passive or frame.progressive:
        w.word(g.be(frame.tense, subject.number))
        _arg(w, subject, "nom", role, style)
        if frame.copula:
            w.word(lx.ADJECTIVES[frame.predicate].word)
        elif passive:
            if frame.progressive:
                w.word("being")
            w.word(lx.VERBS[frame.predicate].pp)
            w.word("by")
            _arg(w, frame.agent, "acc", "agent", style)
        else:
            w.word(lx.VERBS[frame.predicate].ing)
    else:
        w.word(g.do(frame.tense, frame.agent.number))
        _arg(w, frame.agent, "nom", "agent", style)
        w.word(lx.VERBS[frame.predicate].base)
    if not passive and frame.patient is not None and not frame.copula:
        _np(w, frame.patient, "acc", "patient", style)
    _tail(w, frame, style, manner=True, place=True)


def _agent_question(w: _Writer, frame: Frame, style: Style) -> None:
    """"Who played the violin", "What was red"."""
    w.word("who" if frame.agent.is_person else "what")
    if frame.copula:
        w.word(g.be(frame.tense, "sg"))
        w.word(lx.ADJECTIVES[frame.predicate].word)
    else:
        verb = lx.VERBS[frame.predicate]
        _verb_group(w, verb, frame.tense, "sg", False, frame.progressive, style, frame.predicate)
        if frame.patient is not None:
            _np(w, frame.patient, "acc", "patient", style)
    _tail(w, frame, style, manner=False, place=True)


def _object_question(w: _Writer, frame: Frame, target: WhTarget, style: Style) -> None:
    """"What did Anna play", "Where did Anna play the violin"."""
    if frame.copula:
        raise ValueError("copular frames have no patient or place question")
    verb = lx.VERBS[frame.predicate]
    if target == "patient":
        if frame.patient is None:
            raise ValueError("an intransitive frame has no patient to ask about")
        w.word("who" if frame.patient.is_person else "what")
    else:
        if frame.place is None:
            raise ValueError("the frame has no place to ask about")
        w.word("where")
    if frame.progressive:
        w.word(g.be(frame.tense, frame.agent.number))
        _arg(w, frame.agent, "nom", "agent", style)
        w.word(verb.ing)
    else:
        w.word(g.do(frame.tense, frame.agent.number))
        _arg(w, frame.agent, "nom", "agent", style)
        w.word(verb.base)
    if target == "place" and frame.patient is not None:
        _np(w, frame.patient, "acc", "patient", style)
    _tail(w, frame, style, manner=False, place=target == "patient")


def _tail(w: _Writer, frame: Frame, style: Style, *, manner: bool, place: bool) -> None:
    if manner and frame.manner:
        w.word(lx.ADVERBS[frame.manner].word)
    if place and frame.place is not None:
        w.word(frame.place.preposition)
        _np(w, frame.place.np, "acc", "place", style)
