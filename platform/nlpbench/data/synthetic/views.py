"""Lexicon views and document moods: which words a draw may use, set per context.

Two context variables filter every selection index of ``sampling``:

- the **view** splits the content lexicon in two halves, ``seen`` and ``unseen``. The pretraining
  corpus uses the whole lexicon ("all"). A stand-in's training split draws only ``seen`` words and
  its dev and test splits only ``unseen`` ones, so a model must bring what it knows about those
  words from pretraining: a randomly initialised one has never met them.
- the **mood** of a corpus document (+1, -1 or 0) keeps sentiment words of the other polarity out
  of it, so that words of one polarity share contexts. That co-occurrence is what lets masked
  language modelling learn a word's polarity, which a sentiment stand-in then tests.

The halves: entries are grouped so that selection stays possible in both halves (nouns by topic
and kind, verbs by topic, agent and sentiment, adjectives by topic and sentiment, adverbs by kind
and sentiment); within a group, clusters of meaning (synonyms together, antonyms with them) are
dealt alternately to the two halves. Hypernyms, names and function words are shared.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Literal

from nlpbench.data.synthetic import lexicon as lx

View = Literal["all", "seen", "unseen"]
Pos = Literal["noun", "verb", "adjective", "adverb"]

_VIEW: contextvars.ContextVar[View] = contextvars.ContextVar("lexicon_view", default="all")
_MOOD: contextvars.ContextVar[int] = contextvars.ContextVar("document_mood", default=0)


def current_view() -> View:
    return _VIEW.get()


def current_mood() -> int:
    mood = _MOOD.get()
    return (mood > 0) - (mood < 0)  # the polarity; a strong mood is +2 or -2


def strong_mood() -> bool:
    """Whether the current document's mood is strong (its adjectives and adverbs all carry it)."""
    return abs(_MOOD.get()) > 1


@contextmanager
def lexicon_view(view: View) -> Iterator[None]:
    """Draws inside the block use only the words of ``view``."""
    token = _VIEW.set(view)
    try:
        yield
    finally:
        _VIEW.reset(token)


def set_view(view: View) -> None:
    """Switch the view until the next switch (the stand-in writers switch it per split)."""
    _VIEW.set(view)


@contextmanager
def document_mood(mood: int) -> Iterator[None]:
    """Draws inside the block avoid sentiment words of polarity ``-sign(mood)``; a strong mood (+2 or
    -2) also makes every adjective and manner adverb one of its own polarity where one fits."""
    token = _MOOD.set(mood)
    try:
        yield
    finally:
        _MOOD.reset(token)


# ----------------------------------------------------------------------------- the two halves


@cache
def _components(pos: Pos) -> dict[str, str]:
    """Meaning -> its cluster: meanings joined by antonymy ("happy", "sad" and "unhappy" together)."""
    table = {"verb": lx.VERBS, "adjective": lx.ADJECTIVES, "adverb": lx.ADVERBS}[pos]
    parent: dict[str, str] = {}

    def root(m: str) -> str:
        while parent.setdefault(m, m) != m:
            m = parent[m]
        return m

    for entry in table.values():
        a, b = root(entry.meaning), root(entry.antonym or entry.meaning)  # type: ignore[attr-defined]
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {m: root(m) for m in list(parent)}


def _cluster(pos: Pos, meaning: str) -> str:
    return _components(pos)[meaning]


def _deal(groups: dict[tuple[object, ...], list[str]]) -> frozenset[str]:
    """The clusters dealt to ``unseen``: every second cluster of each group, in lexicon order.
    A group with one cluster stays shared (in both halves)."""
    out: set[str] = set()
    for clusters in groups.values():
        distinct = list(dict.fromkeys(clusters))
        if len(distinct) >= 2:
            out.update(distinct[1::2])
    return frozenset(out)


_PARENTS = frozenset(n.hypernym for n in lx.NOUNS.values() if n.hypernym)


def _noun_cluster(n: lx.Noun) -> str | None:
    return None if n.hidden or n.meaning in _PARENTS else n.meaning


def _verb_cluster(v: lx.Verb) -> str:
    return _cluster("verb", v.meaning)


def _adjective_cluster(a: lx.Adjective) -> str:
    return _cluster("adjective", a.meaning)


def _adverb_cluster(r: lx.Adverb) -> str:
    return _cluster("adverb", r.meaning)


@cache
def _unseen_clusters(pos: Pos) -> frozenset[str]:
    groups: dict[tuple[object, ...], list[str]] = {}
    if pos == "noun":
        for n in lx.NOUNS.values():
            if (c := _noun_cluster(n)) is not None:
                groups.setdefault((n.topic, n.kind), []).append(c)
    elif pos == "verb":
        for v in lx.VERBS.values():
            group = (v.topic, v.agent, v.transitivity, abs(v.sentiment))
            groups.setdefault(group, []).append(_verb_cluster(v))
    elif pos == "adjective":
        for a in lx.ADJECTIVES.values():
            groups.setdefault((a.topic, a.applies, abs(a.sentiment)), []).append(_adjective_cluster(a))
    else:
        for r in lx.ADVERBS.values():
            groups.setdefault((r.evaluative, abs(r.sentiment)), []).append(_adverb_cluster(r))
    return _deal(groups)


def half_of(pos: Pos, key: str) -> Literal["shared", "seen", "unseen"]:
    """Which half of the lexicon an entry belongs to."""
    if pos == "noun":
        cluster = _noun_cluster(lx.NOUNS[key])
        if cluster is None:
            return "shared"
    else:
        entry = {"verb": lx.VERBS, "adjective": lx.ADJECTIVES, "adverb": lx.ADVERBS}[pos][key]
        cluster = {"verb": _verb_cluster, "adjective": _adjective_cluster,
                   "adverb": _adverb_cluster}[pos](entry)  # type: ignore[operator]
    return "unseen" if cluster in _unseen_clusters(pos) else "seen"


def allowed(pos: Pos, key: str, view: View | None = None) -> bool:
    """Whether ``view`` (default: the current one) may use the entry."""
    view = view or _VIEW.get()
    if view == "all":
        return True
    half = half_of(pos, key)
    return half == "shared" or half == view


def sentiment_of(pos: Pos, key: str) -> int:
    if pos == "verb":
        return lx.VERBS[key].sentiment
    if pos == "adjective":
        return lx.ADJECTIVES[key].sentiment
    if pos == "adverb":
        return lx.ADVERBS[key].sentiment
    return 0


def restrict(pos: Pos, keys: tuple[str, ...]) -> tuple[str, ...]:
    """``keys`` that the current view and mood allow. The mood never empties a choice: when every
    option has the other polarity, the options are kept."""
    return _restrict(pos, keys, _VIEW.get(), _MOOD.get())


@cache
def _restrict(pos: Pos, keys: tuple[str, ...], view: View, mood: int) -> tuple[str, ...]:
    out = keys if view == "all" else tuple(k for k in keys if allowed(pos, k, view))
    sign = (mood > 0) - (mood < 0)
    if sign:
        out = tuple(k for k in out if sentiment_of(pos, k) != -sign) or out
    if abs(mood) > 1 and pos in ("adjective", "adverb"):
        out = tuple(k for k in out if sentiment_of(pos, k) == sign) or out
    return out


@cache
def forms(half: Literal["seen", "unseen"]) -> frozenset[str]:
    """Lower-case word forms that only entries of ``half`` produce (for leak checks)."""
    mine: set[str] = set()
    other: set[str] = set()
    tables: tuple[tuple[Pos, dict[str, object]], ...] = (
        ("noun", lx.NOUNS), ("verb", lx.VERBS), ("adjective", lx.ADJECTIVES), ("adverb", lx.ADVERBS))
    for pos, table in tables:
        for key, entry in table.items():
            words = _entry_forms(entry)
            h = half_of(pos, key)
            (mine if h == half else other).update(words)
    return frozenset(mine - other)


def _entry_forms(entry: object) -> set[str]:
    if isinstance(entry, lx.Noun):
        return set() if entry.hidden else {*entry.word.lower().split(), *entry.plural.lower().split()}
    if isinstance(entry, lx.Verb):
        return {entry.base, entry.s3, entry.past, entry.pp, entry.ing}
    return {entry.word.lower()}  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- knowledge tables


def event_words(event: object) -> list[tuple[Pos, str]]:
    """(part of speech, key) of the content words of a causal link's event."""
    out: list[tuple[Pos, str]] = []
    pred = event.predicate
    out.append(("adjective" if event.copula else "verb", pred))
    for spec in (event.subject, event.patient, event.place):
        if spec is not None and spec != "X":
            key, *adjectives = spec.split(":")[0].split("+")
            out.append(("noun", key))
            out.extend(("adjective", a) for a in adjectives)
    if event.manner is not None:
        out.append(("adverb", event.manner))
    return out


def instance_in(view: View, words: list[tuple[Pos, str]]) -> bool:
    """A piece of knowledge belongs to the unseen view when one of its words is unseen, to the seen
    view when none is (so no unseen word reaches a training split)."""
    if view == "all":
        return True
    unseen = any(half_of(p, k) == "unseen" for p, k in words)
    return unseen if view == "unseen" else not unseen


def causal_links() -> tuple[object, ...]:
    """The causal links of the current view (``instance_in``)."""
    from nlpbench.data.synthetic.knowledge import CAUSAL_LINKS

    return _links(_VIEW.get(), CAUSAL_LINKS)


@cache
def _links(view: View, links: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(link for link in links if instance_in(
        view, [w for e in (link.cause, link.effect) for w in event_words(e)]))  # type: ignore[attr-defined]


def coref_schemas() -> tuple[object, ...]:
    """The coreference schemas of the current view: each (verb, reason) pair kept by
    ``instance_in``, schemas left without a reason dropped."""
    from nlpbench.data.synthetic.knowledge import COREF_SCHEMAS

    return _schemas(_VIEW.get(), COREF_SCHEMAS)


@cache
def _schemas(view: View, schemas: tuple[object, ...]) -> tuple[object, ...]:
    from dataclasses import replace

    out = []
    for s in schemas:
        verb: list[tuple[Pos, str]] = [("verb", s.verb)]  # type: ignore[attr-defined]
        agent = tuple(r for r in s.agent_reasons  # type: ignore[attr-defined]
                      if instance_in(view, [*verb, ("adjective", r)]))
        patient = tuple(r for r in s.patient_reasons  # type: ignore[attr-defined]
                        if instance_in(view, [*verb, ("adjective", r)]))
        if agent or patient:
            out.append(replace(s, agent_reasons=agent, patient_reasons=patient))  # type: ignore[type-var]
    return tuple(out)
