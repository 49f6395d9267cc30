"""Corpus sentences that state world knowledge: a coreference schema or a causal link, with a cast.

What a model is to bring from pretraining to the pronoun-resolution (WSC, WNLI) and causal-choice
(COPA) stand-ins must be in the corpus: "Anna thanked Ben because he was helpful" (the two people
differ in gender, so the pronoun shows who the reason explains) and "Anna dropped the plate. The
plate was broken." (a cause and its effect, next to each other).
"""

from __future__ import annotations

import random
from dataclasses import replace

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic import views
from nlpbench.data.synthetic.grammar import Tense
from nlpbench.data.synthetic.knowledge import CAUSAL_LINKS, COREF_SCHEMAS, CausalLink, Event
from nlpbench.data.synthetic.realisation import Realisation, Style, realise_with_mentions
from nlpbench.data.synthetic.semantics import NP, Entity, Frame, Place, noun_np, referent_class


def schema_sentence(rng: random.Random, cast: list[Entity], tense: Tense, index: int) -> object | None:
    """ "X <verb> Y because <pronoun> was <reason>." between the cast's first two people when their
    genders differ (None otherwise); returns a generator ``Sentence``."""
    from nlpbench.data.synthetic.generator import PronounLink, Sentence

    people = [e.np for e in cast if e.np.is_person and e.number == "sg"][:2]
    if len(people) < 2 or _gender(people[0]) == _gender(people[1]) or None in map(_gender, people):
        return None
    mood = views.current_mood()
    options = [(schema, role, reason) for schema in COREF_SCHEMAS if _fits_mood(("verb", schema.verb), mood)
               for role, reasons in (("agent", schema.agent_reasons), ("patient", schema.patient_reasons))
               for reason in reasons if _fits_mood(("adjective", reason), mood)]
    schema, referent, reason = rng.choice(options)
    x, y = people if rng.random() < 0.5 else people[::-1]
    target = x if referent == "agent" else y
    others = {c for e in cast if e.np.entity not in (x.entity, y.entity) for c in referent_class(e.np)}
    if referent_class(target) & others:  # another of the cast could take the pronoun
        return None
    first = realise_with_mentions(Frame(x, schema.verb, y, tense=tense), final=False)
    second = realise_with_mentions(Frame(target, reason, tense=tense, copula=True),
                                   Style(pronouns=frozenset({target.entity or ""})), final=False)
    text, parts = _join(first, " because ", second)
    pronoun = next(m for m in parts.mentions if m.pronoun)
    ante = next(m for m in first.mentions if m.entity == target.entity and not m.pronoun)
    link = PronounLink(pronoun.start, pronoun.end, pronoun.text, target.entity or "", index,
                       ante.start, ante.end)
    return Sentence(text, Frame(x, schema.verb, y, tense=tense), parts.mentions, parts.lexemes, (link,))


def causal_sentences(rng: random.Random, topic: str, cast: list[Entity], tense: Tense) -> list[object]:
    """A causal link of the topic said as two sentences (cause, then effect), its protagonist a
    person of the cast; [] when the topic has no link or the cast no person."""
    from nlpbench.data.synthetic.generator import Sentence

    mood = views.current_mood()
    links = [lk for lk in _topic_links(topic)
             if all(_fits_mood(w, mood) for e in (lk.cause, lk.effect) for w in views.event_words(e))]
    people = [e.np for e in cast if e.np.is_person and e.number == "sg"]
    if not links or not people:
        return []
    link, x = rng.choice(links), rng.choice(people)
    out = []
    for event in (link.cause, link.effect):
        frame = event_frame(event, x, tense)
        real = realise_with_mentions(frame)
        out.append(Sentence(real.text, frame, real.mentions, real.lexemes, ()))
    return out


def event_frame(event: Event, x: NP, tense: Tense = "past") -> Frame:
    """The frame of a causal link's event with ``x`` as its protagonist "X"."""
    def np(spec: str) -> NP:
        if spec == "X":
            return x
        key, _, number = spec.partition(":")
        key, *adjectives = key.split("+")
        return noun_np(key, "the", "pl" if number == "pl" else "sg", tuple(adjectives))

    return Frame(np(event.subject), event.predicate, np(event.patient) if event.patient else None,
                 tense=tense, copula=event.copula, manner=event.manner,
                 place=Place(noun_np(event.place)) if event.place else None)


def _topic_links(topic: str) -> list[CausalLink]:
    """Links of the topic whose every noun is of the topic (a document keeps to its topic)."""
    return [lk for lk in CAUSAL_LINKS if lk.topic == topic
            and all(lx.NOUNS[k].topic == topic for e in (lk.cause, lk.effect)
                    for pos, k in views.event_words(e) if pos == "noun")]


def _fits_mood(word: tuple[str, str], mood: int) -> bool:
    """A word of the document's mood or of none (a document keeps one polarity)."""
    return views.sentiment_of(*word) != -mood or not mood  # type: ignore[arg-type]


def _gender(np: NP) -> str | None:
    if np.is_name:
        return lx.NAMES[np.head].gender
    return np.gender


def _join(first: Realisation, glue: str, second: Realisation) -> tuple[str, Realisation]:
    """``first + glue + second`` as one sentence (capital, full stop) with the spans shifted."""
    offset = len(first.text) + len(glue)
    text = first.text[:1].upper() + first.text[1:] + glue + second.text + "."

    def shift(span: tuple[int, int]) -> tuple[int, int]:
        return span[0] + offset, span[1] + offset

    mentions = first.mentions + tuple(replace(m, start=m.start + offset, end=m.end + offset,
                                              head=shift(m.head)) for m in second.mentions)
    lexemes = first.lexemes + tuple(replace(lex, start=lex.start + offset, end=lex.end + offset)
                                    for lex in second.lexemes)
    return text, Realisation(text, mentions, lexemes, first.verb, first.main_verb)
