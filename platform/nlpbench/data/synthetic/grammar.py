"""Morphology and agreement: noun and verb forms, auxiliaries, pronouns, articles, capitalisation."""

from __future__ import annotations

from typing import Literal

from nlpbench.data.synthetic.lexicon import PRONOUNS, Gender, Noun, Number, Verb, article

Tense = Literal["present", "past"]
Case = Literal["nom", "acc", "gen"]
TENSES: tuple[Tense, ...] = ("past", "present")
NUMBERS: tuple[Number, ...] = ("sg", "pl")

_CONTRACTIONS = {"is not": "isn't", "are not": "aren't", "was not": "wasn't", "were not": "weren't",
                 "does not": "doesn't", "do not": "don't", "did not": "didn't"}


def noun_form(noun: Noun, number: Number) -> str:
    """The singular or plural form of a noun."""
    return noun.word if number == "sg" else noun.plural


def indefinite(word: str) -> str:
    """``word`` preceded by the right indefinite article ("a violin", "an oak")."""
    return f"{article(word)} {word}"


def finite_verb(verb: Verb, tense: Tense, number: Number) -> str:
    """The finite form agreeing with a third-person subject of ``number``."""
    if tense == "past":
        return verb.past
    return verb.s3 if number == "sg" else verb.base


def be(tense: Tense, number: Number) -> str:
    """is / are / was / were for a third-person subject."""
    if tense == "present":
        return "is" if number == "sg" else "are"
    return "was" if number == "sg" else "were"


def do(tense: Tense, number: Number) -> str:
    """does / do / did for a third-person subject (do-support under negation and in questions)."""
    if tense == "past":
        return "did"
    return "does" if number == "sg" else "do"


def negated(aux: str, contracted: bool) -> str:
    """``aux not`` or its contraction ("does not" / "doesn't")."""
    text = f"{aux} not"
    return _CONTRACTIONS.get(text, text) if contracted else text


def pronoun_class(gender: Gender | None, number: Number) -> str:
    """he / she / it / they: the pronoun a referent of this gender and number takes."""
    if number == "pl":
        return "they"
    return {"male": "he", "female": "she"}.get(gender or "neuter", "it")


def pronoun(gender: Gender | None, number: Number, case: Case) -> str:
    """The personal pronoun in a case: nominative (he), accusative (him) or genitive (his)."""
    return PRONOUNS[pronoun_class(gender, number)][case]


def possessive(text: str) -> str:
    """The possessive of a noun phrase: "Anna's", "the students'", "the children's"."""
    return text + "'" if text.endswith("s") and not text.endswith("ss") and " " in text else text + "'s"


def join_list(items: list[str], conjunction: str = "and") -> str:
    """"A", "A and B", "A, B and C"."""
    if len(items) <= 2:
        return f" {conjunction} ".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def capitalise(text: str) -> str:
    """Upper-case the first character only (names inside stay as they are)."""
    return text[:1].upper() + text[1:]
