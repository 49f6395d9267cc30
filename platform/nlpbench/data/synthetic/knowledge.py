"""World knowledge of the synthetic language: who a "because" clause is about, and what causes what.

These tables are the ground truth the pronoun-resolution and causal-choice stand-ins are labelled
from. A coreference schema says, for "X <verb> Y because <pronoun> was <adjective>", which of X
and Y the adjective explains (thanked ... because she was helpful -> Y; ... grateful -> X). A
causal link pairs a cause event with its effect; "X" is the protagonist.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlpbench.data.synthetic import lexicon as lx


@dataclass(frozen=True)
class CorefSchema:
    """``verb`` between two people; adjectives that explain it when said of the agent / patient."""

    verb: str
    agent_reasons: tuple[str, ...]
    patient_reasons: tuple[str, ...]


COREF_SCHEMAS: tuple[CorefSchema, ...] = (
    CorefSchema("thank", ("grateful",), ("helpful", "generous")),
    CorefSchema("defeat", ("strong", "fast"), ("weak", "slow", "tired")),
    CorefSchema("beat", ("strong", "quick"), ("weak", "slow")),
    CorefSchema("scold", ("angry", "strict"), ("late", "lazy", "rude", "careless")),
    CorefSchema("visit", ("worried",), ("ill", "lonely")),
    CorefSchema("comfort", ("kind", "gentle"), ("sad", "upset", "lonely")),
    CorefSchema("trust", ("naive",), ("honest",)),
    CorefSchema("praise", ("impressed",), ("clever", "diligent", "brave", "talented")),
    CorefSchema("envy", ("poor",), ("rich", "famous", "talented")),
    CorefSchema("fear", ("timid", "nervous"), ("cruel", "angry")),
    CorefSchema("help", ("kind", "generous", "helpful"), ("tired", "ill", "confused")),
    CorefSchema("interrupt", ("impatient", "rude"), ("talkative",)),
    CorefSchema("carry", ("strong",), ("tired", "weak", "ill")),
    CorefSchema("criticise", ("strict",), ("lazy", "careless", "rude")),
    CorefSchema("warn", ("careful", "worried"), ("careless", "naive")),
    CorefSchema("teach", ("patient/adj", "clever"), ("curious",)),
    CorefSchema("admire", (), ("brave", "talented", "clever", "kind")),
    CorefSchema("forgive", ("kind", "generous"), ()),
)


@dataclass(frozen=True)
class Event:
    """A small event: ``subject`` is "X" (the protagonist) or a noun key ("plate", "guest:pl").

    ``predicate`` is a verb key, or an adjective key with ``copula``; ``patient`` may carry
    adjectives after "+" ("bread+stale").
    """

    subject: str
    predicate: str
    patient: str | None = None
    copula: bool = False
    manner: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class CausalLink:
    """``cause`` brings about ``effect``; ``topic`` keeps distractors from unrelated domains."""

    cause: Event
    effect: Event
    topic: str


def _e(subject: str, predicate: str, patient: str | None = None, *, manner: str | None = None,
       place: str | None = None) -> Event:
    return Event(subject, predicate, patient, False, manner, place)


def _s(subject: str, adjective: str) -> Event:
    return Event(subject, adjective, None, True)


CAUSAL_LINKS: tuple[CausalLink, ...] = (
    CausalLink(_e("X", "drop", "plate"), _s("plate", "broken"), "cooking"),
    CausalLink(_e("X", "burn", "soup"), _e("guest:pl", "complain"), "cooking"),
    CausalLink(_e("X", "eat", "bread+stale"), _s("X", "ill"), "cooking"),
    CausalLink(_s("X", "hungry"), _e("X", "eat", "sandwich"), "cooking"),
    CausalLink(_s("X", "thirsty"), _e("X", "drink", "juice"), "cooking"),
    CausalLink(_e("X", "study", "textbook"), _e("X", "pass", "exam"), "school"),
    CausalLink(_e("X", "borrow", "novel"), _e("X", "read", "novel"), "school"),
    CausalLink(_e("X", "forget", "answer"), _e("X", "fail", "quiz"), "school"),
    CausalLink(_e("X", "miss", "train"), _s("X", "late"), "travel"),
    CausalLink(_e("X", "lose/item", "passport"), _e("X", "miss", "plane"), "travel"),
    CausalLink(_e("X", "buy", "ticket"), _e("X", "board", "ferry"), "travel"),
    CausalLink(_e("X", "book", "hotel"), _e("X", "sleep", place="hotel"), "travel"),
    CausalLink(_e("X", "pack", "suitcase"), _s("suitcase", "heavy"), "travel"),
    CausalLink(_e("X", "practise", "sonata"), _e("X", "perform", "sonata", manner="brilliantly"), "music"),
    CausalLink(_e("X", "compose", "anthem"), _e("singer:pl", "sing", "anthem"), "music"),
    CausalLink(_e("X", "break", "guitar"), _e("X", "repair", "guitar"), "music"),
    CausalLink(_e("X", "win", "match/sports"), _e("X", "celebrate"), "sports"),
    CausalLink(_e("X", "lose/contest", "race"), _e("X", "cry"), "sports"),
    CausalLink(_e("X", "sprint"), _s("X", "tired"), "sports"),
    CausalLink(_e("X", "fall", place="track"), _e("coach", "help", "X"), "sports"),
    CausalLink(_e("X", "water", "rose"), _e("rose", "bloom"), "nature"),
    CausalLink(_e("dog", "chase", "cat"), _e("cat", "hide"), "nature"),
    CausalLink(_e("X", "feed", "puppy"), _s("puppy", "calm"), "nature"),
    CausalLink(_e("X", "take", "medicine"), _e("X", "recover"), "medicine"),
    CausalLink(_s("X", "sick"), _e("X", "visit", "doctor"), "medicine"),
    CausalLink(_e("X", "vaccinate", "dog"), _s("dog", "healthy"), "medicine"),
    CausalLink(_e("X", "save", "coin"), _e("X", "buy", "car"), "finance"),
    CausalLink(_e("X", "lose/item", "wallet"), _s("X", "worried"), "finance"),
    CausalLink(_e("thief", "steal", "safe"), _e("manager", "warn", "clerk:pl"), "finance"),
    CausalLink(_e("X", "sharpen", "chisel"), _s("chisel", "sharp"), "workshop"),
    CausalLink(_e("X", "paint", "fence"), _s("fence", "wet"), "workshop"),
    CausalLink(_e("X", "drop", "hammer"), _e("X", "shout"), "workshop"),
)


def _check() -> None:
    """Fail at import if the tables name a word the lexicon does not have."""
    for s in COREF_SCHEMAS:
        assert s.verb in lx.VERBS, s.verb
        for a in s.agent_reasons + s.patient_reasons:
            assert a in lx.ADJECTIVES, a
    for link in CAUSAL_LINKS:
        for e in (link.cause, link.effect):
            assert (e.predicate in lx.ADJECTIVES) if e.copula else (e.predicate in lx.VERBS), e
            for n in (e.subject, e.patient, e.place):
                if n is not None and n != "X":
                    assert n.split(":")[0].split("+")[0] in lx.NOUNS, n


_check()
