"""The synthetic language's hand-written lexicon: words, forms, meanings, topics and lexical relations.

Every entry has a ``key`` (unique within its part of speech; polysemous spellings get one key per
sense, e.g. ``bank/river`` and ``bank/money``) and a ``meaning`` id shared by synonyms. Hypernyms
link noun (and a few verb) meanings; antonyms link adjective and verb meanings; sentiment is -1, 0
or +1. Selection specs (which nouns a verb takes, which nouns an adjective describes) are tokens
matched against a noun's kind, key, meaning or any hypernym of it; ``*`` matches every noun.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

Gender = Literal["male", "female", "neuter"]
Number = Literal["sg", "pl"]
Monotonicity = Literal["up", "down", "none"]

TOPICS: tuple[str, ...] = ("music", "sports", "cooking", "finance", "nature", "school", "medicine",
                           "travel", "workshop")
VOWEL_SOUND_EXCEPTIONS = {"honest": "an", "hour": "an", "honour": "an", "university": "a",
                          "uniform": "a", "unicorn": "a", "useful": "a", "useless": "a", "usual": "a"}


@dataclass(frozen=True)
class Noun:
    """A common noun sense: forms, meaning, selection kind, topic and hypernym meaning."""

    key: str
    word: str
    plural: str
    meaning: str
    kind: str
    topic: str | None
    hypernym: str | None
    gender: Gender | None  # None: a person noun whose referent may be either gender
    preposition: str  # used when the noun names a place: in / at / on / by
    hidden: bool = False  # a class in the hierarchy that is never realised as a word


@dataclass(frozen=True)
class Verb:
    """A verb sense: its five forms, meaning, argument structure, relations and sentiment."""

    key: str
    base: str
    s3: str
    past: str
    pp: str
    ing: str
    meaning: str
    transitivity: Literal["intransitive", "transitive", "both"]
    agent: tuple[str, ...]
    patient: tuple[str, ...]
    topic: str | None
    hypernym: str | None
    antonym: str | None
    sentiment: int
    stative: bool  # states take no manner adverbs or places
    evaluable: bool  # performances take evaluative adverbs: well, badly, beautifully

    @property
    def word(self) -> str:
        return self.base

    @property
    def transitive(self) -> bool:
        return self.transitivity in ("transitive", "both")

    @property
    def intransitive(self) -> bool:
        return self.transitivity in ("intransitive", "both")


@dataclass(frozen=True)
class Adjective:
    """An adjective sense: the nouns it can describe, its antonym meaning and its sentiment."""

    key: str
    word: str
    meaning: str
    applies: tuple[str, ...]
    topic: str | None
    antonym: str | None
    sentiment: int
    attributive: bool  # False: only after a copula ("the man was glad", never "the glad man")


@dataclass(frozen=True)
class Adverb:
    """A manner adverb, or an evaluative one (well, badly) that only performances take."""

    key: str
    word: str
    meaning: str
    sentiment: int
    evaluative: bool
    antonym: str | None


@dataclass(frozen=True)
class Name:
    """A person's first name and the gender its pronouns take."""

    word: str
    gender: Gender


@dataclass(frozen=True)
class Quantifier:
    """A determiner with its number, monotonicity (restrictor, scope) and what it entails.

    ``implies`` lists the quantifiers Q' with Q(R, S) => Q'(R, S) for the same restrictor and
    scope. Universal quantifiers are read with existential import (every dog ran => a dog ran);
    numerals are read as "exactly", so they are not monotone.
    """

    key: str
    word: str
    number: Number | None  # None: either number ("no dog", "no dogs")
    restrictor: Monotonicity
    scope: Monotonicity
    implies: tuple[str, ...]


# ----------------------------------------------------------------------------- morphology helpers


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _s3(base: str) -> str:
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        return base + "es"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _past(base: str, double: bool) -> str:
    if double:
        return base + base[-1] + "ed"
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    return base + "ed"


def _ing(base: str, double: bool) -> str:
    if double:
        return base + base[-1] + "ing"
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        return base[:-1] + "ing"
    return base + "ing"


_PREDICATIVE_ONLY = frozenset({"glad", "ill", "late", "early", "impressed", "fit", "upset", "naive",
                               "confused", "busy"})


def _spec(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _n(word: str, kind: str, topic: str | None, hyper: str | None = None, *, plural: str | None = None,
       key: str | None = None, meaning: str | None = None, gender: Gender | None = "neuter",
       prep: str = "in", hidden: bool = False) -> Noun:
    key = key or word
    if kind == "person" and gender == "neuter":
        gender = None
    return Noun(key, word, plural or _plural(word), meaning or key, kind, topic, hyper, gender, prep,
                hidden)


def _v(base: str, trans: str, agent: str, patient: str = "", topic: str | None = None, *,
       key: str | None = None, meaning: str | None = None, past: str | None = None, pp: str | None = None,
       s3: str | None = None, double: bool = False, hyper: str | None = None, antonym: str | None = None,
       sentiment: int = 0, stative: bool = False, evaluable: bool = False) -> Verb:
    transitivity = {"i": "intransitive", "t": "transitive", "it": "both"}[trans]
    key = key or base
    past_form = past or _past(base, double)
    return Verb(key, base, s3 or _s3(base), past_form, pp or past_form, _ing(base, double), meaning or key,
                transitivity, _spec(agent), _spec(patient), topic, hyper, antonym,  # type: ignore[arg-type]
                sentiment, stative, evaluable)


def _a(word: str, applies: str, topic: str | None = None, *, key: str | None = None,
       meaning: str | None = None, antonym: str | None = None, sentiment: int = 0) -> Adjective:
    key = key or word
    return Adjective(key, word, meaning or key, _spec(applies), topic, antonym, sentiment,
                     word not in _PREDICATIVE_ONLY)


def _r(word: str, *, meaning: str | None = None, sentiment: int = 0, evaluative: bool = False,
       antonym: str | None = None) -> Adverb:
    return Adverb(word, word, meaning or word, sentiment, evaluative, antonym)


# ----------------------------------------------------------------------------- nouns

_NOUN_LIST: tuple[Noun, ...] = (
    # general (no topic): never used in documents, only by the benchmark builders
    _n("person", "person", None, plural="people"),
    _n("man", "person", None, "person", plural="men", gender="male"),
    _n("woman", "person", None, "person", plural="women", gender="female"),
    _n("child", "person", None, "person", plural="children"),
    _n("boy", "person", None, "child", gender="male"),
    _n("girl", "person", None, "child", gender="female"),
    _n("friend", "person", None, "person"),
    _n("neighbour", "person", None, "person"),
    _n("stranger", "person", None, "person"),
    _n("document", "document", None),
    _n("tool", "object", None),
    _n("offer", "abstract", None),
    _n("furniture", "object", None, hidden=True),
    # music
    _n("musician", "person", "music", "person"),
    _n("singer", "person", "music", "musician"),
    _n("pianist", "person", "music", "musician"),
    _n("violinist", "person", "music", "musician"),
    _n("drummer", "person", "music", "musician"),
    _n("guitarist", "person", "music", "musician"),
    _n("cellist", "person", "music", "musician"),
    _n("conductor", "person", "music", "musician", key="conductor/music"),
    _n("composer", "person", "music", "person"),
    _n("instrument", "object", "music"),
    _n("violin", "object", "music", "instrument"),
    _n("piano", "object", "music", "instrument"),
    _n("guitar", "object", "music", "instrument"),
    _n("drum", "object", "music", "instrument"),
    _n("flute", "object", "music", "instrument"),
    _n("trumpet", "object", "music", "instrument"),
    _n("cello", "object", "music", "instrument"),
    _n("harp", "object", "music", "instrument"),
    _n("clarinet", "object", "music", "instrument"),
    _n("piece", "work", "music"),
    _n("song", "work", "music", "piece"),
    _n("melody", "work", "music", "piece"),
    _n("tune", "work", "music", "piece", meaning="melody"),
    _n("symphony", "work", "music", "piece"),
    _n("sonata", "work", "music", "piece"),
    _n("ballad", "work", "music", "song"),
    _n("anthem", "work", "music", "song"),
    _n("lullaby", "work", "music", "song"),
    _n("album", "work", "music"),
    _n("sound", "work", "music"),
    _n("note", "work", "music", "sound", key="note/music"),
    _n("pitch", "work", "music", "sound", key="pitch/music", plural="pitches"),
    _n("chord", "work", "music", "sound"),
    _n("scale", "work", "music", key="scale/music"),
    _n("concert", "event", "music"),
    _n("rehearsal", "event", "music"),
    _n("festival", "event", "music"),
    _n("studio", "place", "music"),
    _n("hall", "place", "music"),
    _n("theatre", "place", "music", prep="at"),
    _n("stage", "place", "music", prep="on"),
    _n("club", "place", "music", key="club/music", prep="at"),
    # sports
    _n("athlete", "person", "sports", "person"),
    _n("runner", "person", "sports", "athlete"),
    _n("swimmer", "person", "sports", "athlete"),
    _n("player", "person", "sports", "athlete"),
    _n("champion", "person", "sports", "athlete"),
    _n("goalkeeper", "person", "sports", "player"),
    _n("striker", "person", "sports", "player"),
    _n("coach", "person", "sports", "person"),
    _n("referee", "person", "sports", "person"),
    _n("fan", "person", "sports", "person"),
    _n("ball", "object", "sports"),
    _n("racket", "object", "sports"),
    _n("bat", "object", "sports", key="bat/sports"),
    _n("club", "object", "sports", key="club/sports"),
    _n("helmet", "object", "sports"),
    _n("net", "object", "sports"),
    _n("glove", "object", "sports"),
    _n("whistle", "object", "sports"),
    _n("prize", "object", "sports"),
    _n("trophy", "object", "sports", "prize"),
    _n("medal", "object", "sports", "prize"),
    _n("contest", "event", "sports"),
    _n("match", "event", "sports", "contest", key="match/sports"),
    _n("game", "event", "sports", "contest"),
    _n("race", "event", "sports", "contest"),
    _n("tournament", "event", "sports", "contest"),
    _n("goal", "work", "sports"),
    _n("stadium", "place", "sports", prep="at"),
    _n("gym", "place", "sports"),
    _n("pitch", "place", "sports", key="pitch/sports", plural="pitches", prep="on"),
    _n("court", "place", "sports", prep="on"),
    _n("track", "place", "sports", prep="on"),
    _n("pool", "place", "sports"),
    # cooking
    _n("chef", "person", "cooking", "person"),
    _n("cook", "person", "cooking", "person", key="cook/person", meaning="chef"),
    _n("baker", "person", "cooking", "person"),
    _n("waiter", "person", "cooking", "person"),
    _n("butcher", "person", "cooking", "person"),
    _n("guest", "person", "cooking", "person"),
    _n("food", "food", "cooking", plural="foods"),
    _n("soup", "food", "cooking", "food"),
    _n("stew", "food", "cooking", "food"),
    _n("bread", "food", "cooking", "food", plural="loaves of bread"),
    _n("salad", "food", "cooking", "food"),
    _n("sandwich", "food", "cooking", "food"),
    _n("omelette", "food", "cooking", "food"),
    _n("pancake", "food", "cooking", "food"),
    _n("sausage", "food", "cooking", "food"),
    _n("dessert", "food", "cooking", "food"),
    _n("cake", "food", "cooking", "dessert"),
    _n("pie", "food", "cooking", "dessert"),
    _n("pudding", "food", "cooking", "dessert"),
    _n("tart", "food", "cooking", "dessert"),
    _n("fruit", "food", "cooking", "food", plural="fruits"),
    _n("apple", "food", "cooking", "fruit"),
    _n("peach", "food", "cooking", "fruit"),
    _n("pear", "food", "cooking", "fruit"),
    _n("lemon", "food", "cooking", "fruit"),
    _n("cherry", "food", "cooking", "fruit"),
    _n("plum", "food", "cooking", "fruit"),
    _n("vegetable", "food", "cooking", "food"),
    _n("tomato", "food", "cooking", "vegetable", plural="tomatoes"),
    _n("potato", "food", "cooking", "vegetable", plural="potatoes"),
    _n("carrot", "food", "cooking", "vegetable"),
    _n("onion", "food", "cooking", "vegetable"),
    _n("cabbage", "food", "cooking", "vegetable"),
    _n("drink", "drink", "cooking"),
    _n("tea", "drink", "cooking", "drink"),
    _n("coffee", "drink", "cooking", "drink"),
    _n("juice", "drink", "cooking", "drink"),
    _n("lemonade", "drink", "cooking", "drink"),
    _n("utensil", "object", "cooking"),
    _n("knife", "object", "cooking", "utensil", plural="knives"),
    _n("pan", "object", "cooking", "utensil"),
    _n("pot", "object", "cooking", "utensil"),
    _n("spoon", "object", "cooking", "utensil"),
    _n("fork", "object", "cooking", "utensil"),
    _n("bowl", "object", "cooking", "utensil"),
    _n("plate", "object", "cooking", "utensil"),
    _n("kettle", "object", "cooking", "utensil"),
    _n("ladle", "object", "cooking", "utensil"),
    _n("scale", "object", "cooking", "utensil", key="scale/cooking"),
    _n("match", "object", "cooking", key="match/cooking"),
    _n("oven", "object", "cooking"),
    _n("stove", "object", "cooking"),
    _n("kitchen", "place", "cooking"),
    _n("restaurant", "place", "cooking", prep="at"),
    _n("bakery", "place", "cooking", prep="at"),
    _n("cafe", "place", "cooking"),
    _n("market", "place", "cooking", prep="at"),
    # finance
    _n("banker", "person", "finance", "person"),
    _n("clerk", "person", "finance", "person"),
    _n("cashier", "person", "finance", "person"),
    _n("investor", "person", "finance", "person"),
    _n("accountant", "person", "finance", "person"),
    _n("customer", "person", "finance", "person"),
    _n("manager", "person", "finance", "person"),
    _n("thief", "person", "finance", "person", plural="thieves"),
    _n("cheque", "document", "finance", "document"),
    _n("invoice", "document", "finance", "document"),
    _n("receipt", "document", "finance", "document"),
    _n("contract", "document", "finance", "document"),
    _n("bill", "document", "finance", "document", key="bill/finance"),
    _n("coin", "object", "finance"),
    _n("note", "object", "finance", key="note/finance"),
    _n("banknote", "object", "finance", meaning="note/finance"),
    _n("wallet", "object", "finance"),
    _n("safe", "object", "finance"),
    _n("loan", "abstract", "finance"),
    _n("account", "abstract", "finance"),
    _n("budget", "abstract", "finance"),
    _n("debt", "abstract", "finance"),
    _n("bank", "place", "finance", key="bank/money", prep="at"),
    _n("office", "place", "finance"),
    _n("shop", "place", "finance"),
    # nature
    _n("ranger", "person", "nature", "person"),
    _n("hiker", "person", "nature", "person"),
    _n("farmer", "person", "nature", "person"),
    _n("gardener", "person", "nature", "person"),
    _n("hunter", "person", "nature", "person"),
    _n("fisherman", "person", "nature", "person", plural="fishermen"),
    _n("shepherd", "person", "nature", "person"),
    _n("animal", "animal", "nature"),
    _n("dog", "animal", "nature", "animal"),
    _n("puppy", "animal", "nature", "dog"),
    _n("cat", "animal", "nature", "animal"),
    _n("kitten", "animal", "nature", "cat"),
    _n("horse", "animal", "nature", "animal"),
    _n("pony", "animal", "nature", "horse"),
    _n("fox", "animal", "nature", "animal"),
    _n("rabbit", "animal", "nature", "animal"),
    _n("deer", "animal", "nature", "animal", plural="deer"),
    _n("mouse", "animal", "nature", "animal", plural="mice"),
    _n("wolf", "animal", "nature", "animal", plural="wolves"),
    _n("sheep", "animal", "nature", "animal", plural="sheep"),
    _n("lamb", "animal", "nature", "sheep"),
    _n("goat", "animal", "nature", "animal"),
    _n("cow", "animal", "nature", "animal"),
    _n("bear", "animal", "nature", "animal"),
    _n("squirrel", "animal", "nature", "animal"),
    _n("frog", "animal", "nature", "animal"),
    _n("hedgehog", "animal", "nature", "animal"),
    _n("bat", "animal", "nature", "animal", key="bat/animal"),
    _n("bird", "animal", "nature", "animal"),
    _n("owl", "animal", "nature", "bird"),
    _n("eagle", "animal", "nature", "bird"),
    _n("sparrow", "animal", "nature", "bird"),
    _n("duck", "animal", "nature", "bird"),
    _n("goose", "animal", "nature", "bird", plural="geese"),
    _n("swan", "animal", "nature", "bird"),
    _n("robin", "animal", "nature", "bird"),
    _n("fish", "animal", "nature", "animal", plural="fish"),
    _n("trout", "animal", "nature", "fish", plural="trout"),
    _n("salmon", "animal", "nature", "fish", plural="salmon"),
    _n("plant", "plant", "nature"),
    _n("tree", "plant", "nature", "plant"),
    _n("oak", "plant", "nature", "tree"),
    _n("pine", "plant", "nature", "tree"),
    _n("birch", "plant", "nature", "tree"),
    _n("willow", "plant", "nature", "tree"),
    _n("flower", "plant", "nature", "plant"),
    _n("rose", "plant", "nature", "flower"),
    _n("tulip", "plant", "nature", "flower"),
    _n("daisy", "plant", "nature", "flower"),
    _n("lily", "plant", "nature", "flower"),
    _n("bush", "plant", "nature", "plant"),
    _n("fern", "plant", "nature", "plant"),
    _n("stone", "object", "nature"),
    _n("rock", "object", "nature", meaning="stone"),
    _n("leaf", "object", "nature", plural="leaves"),
    _n("branch", "object", "nature"),
    _n("nest", "object", "nature"),
    _n("seed", "object", "nature"),
    _n("log", "object", "nature"),
    _n("acorn", "object", "nature"),
    _n("feather", "object", "nature"),
    _n("trunk", "object", "nature", key="trunk/nature"),
    _n("bill", "object", "nature", key="bill/nature"),
    _n("sky", "object", "nature", plural="skies"),
    _n("forest", "place", "nature"),
    _n("meadow", "place", "nature"),
    _n("river", "place", "nature", prep="near"),
    _n("lake", "place", "nature", prep="near"),
    _n("hill", "place", "nature", prep="on"),
    _n("mountain", "place", "nature", prep="on"),
    _n("valley", "place", "nature"),
    _n("bank", "place", "nature", key="bank/river", prep="on"),
    _n("field", "place", "nature"),
    _n("garden", "place", "nature"),
    _n("farm", "place", "nature", prep="on"),
    _n("spring", "place", "nature", key="spring/nature", prep="near"),
    # school
    _n("teacher", "person", "school", "person"),
    _n("professor", "person", "school", "teacher"),
    _n("tutor", "person", "school", "teacher"),
    _n("student", "person", "school", "person"),
    _n("pupil", "person", "school", "person", meaning="student"),
    _n("classmate", "person", "school", "student"),
    _n("principal", "person", "school", "person"),
    _n("librarian", "person", "school", "person"),
    _n("book", "work", "school"),
    _n("novel", "work", "school", "book"),
    _n("textbook", "work", "school", "book"),
    _n("dictionary", "work", "school", "book"),
    _n("atlas", "work", "school", "book"),
    _n("diary", "work", "school", "book"),
    _n("text", "work", "school"),
    _n("essay", "work", "school", "text"),
    _n("poem", "work", "school", "text"),
    _n("story", "work", "school", "text"),
    _n("letter", "work", "school", "text"),
    _n("report", "work", "school", "text"),
    _n("lesson", "event", "school"),
    _n("lecture", "event", "school", "lesson"),
    _n("exam", "event", "school"),
    _n("test", "event", "school", meaning="exam"),
    _n("quiz", "event", "school", "exam", plural="quizzes"),
    _n("question", "work", "school"),
    _n("answer", "work", "school"),
    _n("picture", "work", "school"),
    _n("pencil", "object", "school"),
    _n("pen", "object", "school"),
    _n("desk", "object", "school"),
    _n("notebook", "object", "school"),
    _n("blackboard", "object", "school"),
    _n("classroom", "place", "school"),
    _n("library", "place", "school"),
    _n("school", "place", "school", prep="at"),
    _n("laboratory", "place", "school"),
    _n("playground", "place", "school", prep="on"),
    # medicine
    _n("doctor", "person", "medicine", "person"),
    _n("physician", "person", "medicine", "person", meaning="doctor"),
    _n("surgeon", "person", "medicine", "doctor"),
    _n("dentist", "person", "medicine", "doctor"),
    _n("nurse", "person", "medicine", "person"),
    _n("patient", "person", "medicine", "person"),
    _n("pharmacist", "person", "medicine", "person"),
    _n("paramedic", "person", "medicine", "person"),
    _n("medicine", "object", "medicine"),
    _n("pill", "object", "medicine", "medicine"),
    _n("tablet", "object", "medicine", "medicine"),
    _n("syrup", "object", "medicine", "medicine"),
    _n("vaccine", "object", "medicine", "medicine"),
    _n("ointment", "object", "medicine", "medicine"),
    _n("bandage", "object", "medicine"),
    _n("fever", "abstract", "medicine"),
    _n("wound", "abstract", "medicine"),
    _n("bone", "object", "medicine"),
    _n("thermometer", "object", "medicine", "tool"),
    _n("stethoscope", "object", "medicine", "tool"),
    _n("scalpel", "object", "medicine", "tool"),
    _n("hospital", "place", "medicine", prep="at"),
    _n("clinic", "place", "medicine", prep="at"),
    _n("pharmacy", "place", "medicine", prep="at"),
    _n("ward", "place", "medicine"),
    # travel
    _n("traveller", "person", "travel", "person"),
    _n("tourist", "person", "travel", "traveller"),
    _n("passenger", "person", "travel", "traveller"),
    _n("pilot", "person", "travel", "person"),
    _n("driver", "person", "travel", "person"),
    _n("guide", "person", "travel", "person"),
    _n("porter", "person", "travel", "person"),
    _n("captain", "person", "travel", "person"),
    _n("conductor", "person", "travel", "person", key="conductor/travel"),
    _n("vehicle", "vehicle", "travel"),
    _n("train", "vehicle", "travel", "vehicle"),
    _n("bus", "vehicle", "travel", "vehicle", plural="buses"),
    _n("plane", "vehicle", "travel", "vehicle"),
    _n("car", "vehicle", "travel", "vehicle"),
    _n("taxi", "vehicle", "travel", "vehicle"),
    _n("boat", "vehicle", "travel", "vehicle"),
    _n("ship", "vehicle", "travel", "vehicle"),
    _n("ferry", "vehicle", "travel", "boat"),
    _n("bicycle", "vehicle", "travel", "vehicle"),
    _n("tram", "vehicle", "travel", "vehicle"),
    _n("bag", "object", "travel"),
    _n("suitcase", "object", "travel", "bag"),
    _n("backpack", "object", "travel", "bag"),
    _n("purse", "object", "travel", "bag"),
    _n("trunk", "object", "travel", "bag", key="trunk/travel"),
    _n("ticket", "document", "travel", "document"),
    _n("passport", "document", "travel", "document"),
    _n("visa", "document", "travel", "document"),
    _n("postcard", "document", "travel", "document"),
    _n("map", "document", "travel"),
    _n("guidebook", "work", "travel", "book"),
    _n("souvenir", "object", "travel"),
    _n("key", "object", "travel"),
    _n("station", "place", "travel", prep="at"),
    _n("airport", "place", "travel", prep="at"),
    _n("harbour", "place", "travel"),
    _n("hotel", "place", "travel", prep="at"),
    _n("museum", "place", "travel"),
    _n("beach", "place", "travel", prep="on"),
    _n("city", "place", "travel"),
    # workshop
    _n("worker", "person", "workshop", "person"),
    _n("carpenter", "person", "workshop", "worker"),
    _n("mechanic", "person", "workshop", "worker"),
    _n("plumber", "person", "workshop", "worker"),
    _n("blacksmith", "person", "workshop", "worker"),
    _n("builder", "person", "workshop", "worker"),
    _n("apprentice", "person", "workshop", "worker"),
    _n("hammer", "object", "workshop", "tool"),
    _n("saw", "object", "workshop", "tool"),
    _n("drill", "object", "workshop", "tool"),
    _n("wrench", "object", "workshop", "tool"),
    _n("spanner", "object", "workshop", "tool", meaning="wrench"),
    _n("screwdriver", "object", "workshop", "tool"),
    _n("chisel", "object", "workshop", "tool"),
    _n("nail", "object", "workshop"),
    _n("screw", "object", "workshop"),
    _n("bolt", "object", "workshop"),
    _n("hinge", "object", "workshop"),
    _n("spring", "object", "workshop", key="spring/coil"),
    _n("plank", "object", "workshop"),
    _n("ladder", "object", "workshop"),
    _n("door", "object", "workshop"),
    _n("fence", "object", "workshop"),
    _n("chair", "object", "workshop", "furniture"),
    _n("table", "object", "workshop", "furniture"),
    _n("shelf", "object", "workshop", "furniture", plural="shelves"),
    _n("cabinet", "object", "workshop", "furniture"),
    _n("bench", "object", "workshop", "furniture"),
    _n("stool", "object", "workshop", "furniture"),
    _n("cupboard", "object", "workshop", "furniture"),
    _n("workshop", "place", "workshop"),
    _n("garage", "place", "workshop"),
    _n("shed", "place", "workshop"),
    _n("yard", "place", "workshop"),
)

# ----------------------------------------------------------------------------- verbs

_ANY = "*"
_CARRYABLE = "object bag document tool utensil instrument book food drink"
_BUYABLE = "object food drink vehicle document instrument bag book furniture tool utensil album"
_VEHICLES = "train bus plane ferry tram"
_WANTABLE = "object food drink vehicle document instrument bag work tool utensil animal"

_VERB_LIST: tuple[Verb, ...] = (
    # general: attitudes (states)
    _v("like", "t", "person", _ANY, stative=True, sentiment=1),
    _v("enjoy", "t", "person", "food drink work event place", meaning="like", stative=True, sentiment=1),
    _v("dislike", "t", "person", _ANY, stative=True, sentiment=-1, antonym="like"),
    _v("love", "t", "person", _ANY, stative=True, sentiment=1),
    _v("adore", "t", "person", _ANY, meaning="love", stative=True, sentiment=1),
    _v("hate", "t", "person", _ANY, stative=True, sentiment=-1, antonym="love"),
    _v("detest", "t", "person", _ANY, meaning="hate", stative=True, sentiment=-1),
    _v("admire", "t", "person", "person work event place animal plant vehicle instrument", stative=True,
       sentiment=1),
    _v("trust", "t", "person", "person", stative=True, sentiment=1),
    _v("fear", "t", "person animal", "person animal", stative=True, sentiment=-1),
    _v("envy", "t", "person", "person", stative=True, sentiment=-1),
    _v("own", "t", "person", "object vehicle animal instrument bag book furniture", stative=True),
    _v("want", "t", "person", _WANTABLE, stative=True),
    _v("need", "t", "person", _WANTABLE, stative=True),
    _v("remember", "t", "person", "person work event place answer", stative=True),
    _v("forget", "t", "person", "person work event place answer", past="forgot", pp="forgotten",
       double=True, stative=True, antonym="remember"),
    # general: social acts
    _v("praise", "t", "person", "person work event", sentiment=1),
    _v("criticise", "t", "person", "person work event", sentiment=-1),
    _v("scold", "t", "person", "person animal", sentiment=-1),
    _v("help", "t", "person", "person"),
    _v("thank", "t", "person", "person", sentiment=1),
    _v("greet", "t", "person", "person"),
    _v("visit", "t", "person", "person place"),
    _v("comfort", "t", "person", "person", sentiment=1),
    _v("forgive", "t", "person", "person", past="forgave", pp="forgiven", sentiment=1),
    _v("interrupt", "t", "person", "person", sentiment=-1),
    _v("warn", "t", "person", "person"),
    _v("carry", "t", "person", _CARRYABLE + " person"),
    # general: perception and handling
    _v("see", "t", "person animal", _ANY, past="saw", pp="seen", stative=True),
    _v("notice", "t", "person animal", _ANY, hyper="see", stative=True),
    _v("watch", "t", "person", "person animal event piece vehicle"),
    _v("hear", "t", "person animal", "person animal piece sound vehicle instrument", past="heard",
       stative=True),
    _v("find", "t", "person", _CARRYABLE + " spring/nature", past="found"),
    _v("discover", "t", "person", _CARRYABLE + " spring/nature", hyper="find"),
    _v("lose", "t", "person", _CARRYABLE, key="lose/item", past="lost", sentiment=-1),
    _v("hold", "t", "person", _CARRYABLE + " animal", past="held"),
    _v("drop", "t", "person", _CARRYABLE, double=True, sentiment=-1),
    _v("clean", "t", "person", "object place vehicle utensil tool instrument furniture wound"),
    _v("break", "t", "person", "utensil tool instrument furniture", past="broke", pp="broken",
       sentiment=-1),
    _v("open", "t", "person", "bag book door safe oven account cabinet cupboard"),
    _v("close", "t", "person", "bag book door safe oven account cabinet cupboard"),
    _v("shut", "t", "person", "bag book door safe oven cabinet cupboard", meaning="close", past="shut",
       double=True),
    _v("choose", "t", "person", _ANY, past="chose", pp="chosen"),
    _v("bring", "t", "person", _CARRYABLE, past="brought"),
    _v("take", "t", "person", _CARRYABLE + " medicine", past="took", pp="taken"),
    _v("accept", "t", "person", "abstract document prize offer"),
    _v("refuse", "t", "person", "abstract document prize offer", antonym="accept"),
    _v("approve", "t", "person", "abstract document"),
    _v("reject", "t", "person", "abstract document", antonym="approve"),
    _v("build", "t", "person bird", "nest furniture fence", past="built", evaluable=True),
    _v("cut", "t", "person", "food plank branch log", past="cut", double=True),
    _v("measure", "t", "person", "fever plank furniture"),
    _v("gather", "t", "person", "seed leaf acorn fruit stone feather"),
    _v("collect", "t", "person", "seed leaf acorn fruit stone feather coin", meaning="gather"),
    # general: intransitive
    _v("smile", "i", "person", sentiment=1),
    _v("laugh", "i", "person", sentiment=1),
    _v("cry", "i", "person", sentiment=-1),
    _v("sleep", "i", "person animal", past="slept"),
    _v("wait", "i", "person"),
    _v("walk", "i", "person animal"),
    _v("stroll", "i", "person", hyper="walk"),
    _v("run", "i", "person animal", past="ran", pp="run", double=True),
    _v("sit", "i", "person animal", past="sat", double=True),
    _v("rest", "i", "person animal"),
    _v("speak", "i", "person", past="spoke", pp="spoken"),
    _v("shout", "i", "person", hyper="speak"),
    _v("whisper", "i", "person", hyper="speak"),
    _v("dance", "i", "person", evaluable=True),
    _v("arrive", "i", "person vehicle"),
    _v("leave", "i", "person vehicle", past="left"),
    _v("complain", "i", "person", sentiment=-1),
    _v("celebrate", "i", "person", sentiment=1),
    _v("hide", "i", "person animal", past="hid", pp="hidden"),
    _v("fall", "i", "person animal", past="fell", pp="fallen", sentiment=-1),
    _v("fly", "it", "bird bat/animal person", "plane", past="flew", pp="flown", s3="flies"),
    _v("swim", "i", "person fish duck swan frog dog", past="swam", pp="swum", double=True),
    # music
    _v("play", "it", "person", "instrument piece sound scale/music match/sports game tournament", "music",
       evaluable=True),
    _v("sing", "it", "person bird", "piece sound scale/music", "music", past="sang", pp="sung",
       evaluable=True),
    _v("hum", "it", "person", "piece", "music", double=True),
    _v("compose", "t", "person", "piece", "music", evaluable=True),
    _v("perform", "it", "person", "piece", "music", evaluable=True),
    _v("practise", "it", "person", "piece scale/music instrument", "music"),
    _v("rehearse", "it", "person", "piece scale/music", "music", meaning="practise"),
    _v("tune", "t", "person", "instrument", "music"),
    _v("record", "t", "person", "piece album", "music", evaluable=True),
    _v("conduct", "t", "person", "piece", "music", evaluable=True),
    _v("applaud", "it", "person", "person piece", "music", sentiment=1),
    # sports
    _v("kick", "t", "person", "ball", "sports"),
    _v("throw", "t", "person", "ball stone", "sports", past="threw", pp="thrown"),
    _v("catch", "t", "person animal", "ball fish mouse bird", "sports", key="catch/grab", past="caught"),
    _v("hit", "t", "person", "ball", "sports", past="hit", double=True),
    _v("win", "t", "person", "contest prize", "sports", past="won", double=True, sentiment=1),
    _v("lose", "t", "person", "contest", "sports", key="lose/contest", past="lost", sentiment=-1,
       antonym="win"),
    _v("score", "t", "person", "goal", "sports"),
    _v("train", "i", "person", "", "sports"),
    _v("sprint", "i", "person animal", "", "sports", hyper="run"),
    _v("jog", "i", "person", "", "sports", hyper="run", double=True),
    _v("jump", "i", "person animal", "", "sports"),
    _v("cheer", "i", "person", "", "sports", sentiment=1),
    _v("coach", "t", "person", "athlete", "sports", evaluable=True),
    _v("defeat", "t", "person", "person", "sports"),
    _v("beat", "t", "person", "person", "sports", meaning="defeat", past="beat", pp="beaten"),
    _v("tackle", "t", "person", "person", "sports"),
    _v("swing", "t", "person", "bat/sports club/sports racket", "sports", past="swung"),
    _v("lift", "t", "person", "prize furniture bag", "sports"),
    # cooking
    _v("cook", "it", "person", "food", "cooking", evaluable=True),
    _v("bake", "t", "person", "dessert bread", "cooking", evaluable=True),
    _v("fry", "t", "person", "vegetable sausage omelette pancake", "cooking"),
    _v("boil", "t", "person", "vegetable soup kettle", "cooking"),
    _v("roast", "t", "person", "vegetable sausage", "cooking"),
    _v("taste", "t", "person", "food drink", "cooking"),
    _v("stir", "t", "person", "soup stew drink", "cooking", double=True),
    _v("chop", "t", "person", "vegetable fruit log", "cooking", hyper="cut", double=True),
    _v("slice", "t", "person", "bread fruit vegetable dessert sausage", "cooking", hyper="cut"),
    _v("serve", "t", "person", "food drink", "cooking", evaluable=True),
    _v("eat", "it", "person animal", "food", "cooking", past="ate", pp="eaten"),
    _v("devour", "t", "person animal", "food", "cooking", hyper="eat"),
    _v("peel", "t", "person", "fruit vegetable", "cooking"),
    _v("wash", "t", "person", "utensil fruit vegetable vehicle", "cooking"),
    _v("prepare", "t", "person", "food drink", "cooking", evaluable=True),
    _v("burn", "t", "person", "food", "cooking", sentiment=-1),
    _v("spill", "t", "person", "drink soup", "cooking", sentiment=-1),
    _v("order", "t", "person", "food drink", "cooking"),
    _v("drink", "t", "person animal", "drink", "cooking", past="drank", pp="drunk"),
    _v("pour", "t", "person", "drink", "cooking"),
    _v("sip", "t", "person", "drink", "cooking", hyper="drink", double=True),
    _v("brew", "t", "person", "tea coffee", "cooking"),
    _v("light", "t", "person", "match/cooking stove oven", "cooking", past="lit"),
    # finance
    _v("buy", "t", "person", _BUYABLE, "finance", past="bought"),
    _v("purchase", "t", "person", _BUYABLE, "finance", meaning="buy"),
    _v("sell", "t", "person", _BUYABLE, "finance", past="sold"),
    _v("pay", "t", "person", "bill/finance invoice person", "finance", past="paid"),
    _v("borrow", "t", "person", "book coin note/finance tool instrument loan", "finance"),
    _v("lend", "t", "person", "book coin note/finance tool instrument", "finance", past="lent"),
    _v("save", "t", "person", "coin note/finance", "finance"),
    _v("spend", "t", "person", "coin note/finance", "finance", past="spent"),
    _v("invest", "i", "person", "", "finance"),
    _v("count", "t", "person", "coin note/finance ticket", "finance"),
    _v("earn", "t", "person", "coin note/finance prize", "finance"),
    _v("steal", "t", "person", "coin note/finance wallet bag instrument document", "finance",
       past="stole", pp="stolen", sentiment=-1),
    _v("sign", "t", "person", "document", "finance"),
    _v("deposit", "t", "person", "coin note/finance cheque", "finance"),
    _v("check", "t", "person", "document abstract", "finance"),
    # nature
    _v("bark", "i", "dog", "", "nature"),
    _v("howl", "i", "dog wolf", "", "nature"),
    _v("growl", "i", "dog bear wolf fox", "", "nature"),
    _v("purr", "i", "cat", "", "nature", double=True),
    _v("chase", "t", "dog cat fox wolf person", "animal", "nature"),
    _v("hunt", "t", "person fox wolf owl eagle cat bear", "rabbit mouse bird fish deer", "nature"),
    _v("climb", "it", "person cat squirrel bear goat", "tree hill mountain ladder", "nature"),
    _v("plant", "t", "person", "plant seed", "nature"),
    _v("water", "t", "person", "plant garden", "nature"),
    _v("grow", "t", "person", "plant vegetable fruit", "nature", past="grew", pp="grown"),
    _v("pick", "t", "person", "flower fruit vegetable", "nature"),
    _v("feed", "t", "person", "animal", "nature", past="fed"),
    _v("dig", "i", "person dog rabbit", "", "nature", past="dug", double=True),
    _v("bloom", "i", "flower tree bush", "", "nature"),
    _v("graze", "i", "sheep cow horse goat deer", "", "nature"),
    _v("bite", "t", "dog fox wolf horse", "person animal", "nature", past="bit", pp="bitten",
       sentiment=-1),
    _v("ride", "t", "person", "horse pony bicycle bus tram", "nature", past="rode", pp="ridden"),
    _v("explore", "t", "person", "place", "nature"),
    # school
    _v("read", "it", "person", "book text document map question", "school", past="read"),
    _v("write", "it", "person", "text piece question answer", "school", past="wrote", pp="written",
       evaluable=True),
    _v("study", "it", "person", "book text map lesson", "school"),
    _v("teach", "t", "person", "person lesson", "school", past="taught", evaluable=True),
    _v("learn", "t", "person", "piece lesson text answer", "school"),
    _v("pass", "t", "person", "exam", "school", sentiment=1),
    _v("fail", "t", "person", "exam", "school", sentiment=-1, antonym="pass"),
    _v("grade", "t", "person", "text exam", "school"),
    _v("mark", "t", "person", "text exam", "school", meaning="grade"),
    _v("explain", "t", "person", "lesson question answer map text", "school", evaluable=True),
    _v("answer", "t", "person", "question", "school"),
    _v("copy", "t", "person", "text answer", "school", sentiment=-1),
    _v("memorise", "t", "person", "poem piece text map answer", "school"),
    _v("draw", "t", "person", "map picture", "school", past="drew", pp="drawn", evaluable=True),
    # medicine
    _v("treat", "t", "person", "person animal wound", "medicine", evaluable=True),
    _v("cure", "t", "person", "person animal wound fever", "medicine", hyper="treat", sentiment=1),
    _v("heal", "t", "person", "person animal wound fever", "medicine", meaning="cure", hyper="treat",
       sentiment=1),
    _v("examine", "t", "person", "person animal wound bone", "medicine"),
    _v("vaccinate", "t", "person", "person animal", "medicine"),
    _v("prescribe", "t", "person", "medicine", "medicine"),
    _v("swallow", "t", "person animal", "medicine", "medicine"),
    _v("bandage", "t", "person", "wound", "medicine"),
    _v("recover", "i", "person animal", "", "medicine", sentiment=1),
    _v("cough", "i", "person", "", "medicine"),
    _v("sneeze", "i", "person", "", "medicine"),
    # travel
    _v("drive", "it", "person", "car bus taxi tram train", "travel", past="drove", pp="driven",
       evaluable=True),
    _v("board", "t", "person", _VEHICLES + " boat ship", "travel"),
    _v("catch", "t", "person", _VEHICLES, "travel", key="catch/travel", past="caught", antonym="miss"),
    _v("miss", "t", "person", _VEHICLES, "travel", sentiment=-1),
    _v("pack", "t", "person", "bag", "travel"),
    _v("unpack", "t", "person", "bag", "travel"),
    _v("book", "t", "person", "ticket hotel taxi", "travel"),
    _v("reserve", "t", "person", "ticket hotel taxi", "travel", meaning="book"),
    _v("travel", "i", "person", "", "travel", double=True),
    _v("depart", "i", "person vehicle", "", "travel"),
    _v("sail", "it", "person", "boat ship ferry", "travel"),
    _v("stamp", "t", "person", "passport visa ticket", "travel"),
    # workshop
    _v("repair", "t", "person", "furniture vehicle tool instrument utensil bag door fence", "workshop",
       evaluable=True),
    _v("fix", "t", "person", "furniture vehicle tool instrument utensil bag door fence", "workshop",
       meaning="repair", evaluable=True),
    _v("paint", "t", "person", "furniture door fence picture vehicle", "workshop", evaluable=True),
    _v("saw", "t", "person", "plank log branch", "workshop", past="sawed", pp="sawn", hyper="cut"),
    _v("drill", "t", "person", "plank furniture", "workshop"),
    _v("hammer", "t", "person", "nail", "workshop"),
    _v("polish", "t", "person", "furniture tool instrument utensil vehicle", "workshop"),
    _v("assemble", "t", "person", "furniture", "workshop", evaluable=True),
    _v("sharpen", "t", "person", "tool utensil pencil", "workshop"),
    _v("tighten", "t", "person", "screw bolt spring/coil hinge", "workshop"),
)

# ----------------------------------------------------------------------------- adjectives

_PEOPLE = "person"
_LIVING = "person animal"
_THINGS = "object vehicle document work event food drink place"

_ADJECTIVE_LIST: tuple[Adjective, ...] = (
    # general, people and animals
    _a("happy", _LIVING, sentiment=1),
    _a("glad", _PEOPLE, meaning="happy", sentiment=1),
    _a("cheerful", _PEOPLE, meaning="happy", sentiment=1),
    _a("sad", _LIVING, antonym="happy", sentiment=-1),
    _a("unhappy", _PEOPLE, meaning="sad", sentiment=-1),
    _a("calm", _LIVING, sentiment=1),
    _a("nervous", _LIVING, antonym="calm", sentiment=-1),
    _a("angry", _LIVING, sentiment=-1),
    _a("kind", _PEOPLE, sentiment=1),
    _a("nice", _PEOPLE, meaning="kind", sentiment=1),
    _a("cruel", _PEOPLE, antonym="kind", sentiment=-1),
    _a("polite", _PEOPLE, sentiment=1),
    _a("rude", _PEOPLE, antonym="polite", sentiment=-1),
    _a("brave", _PEOPLE, sentiment=1),
    _a("cowardly", _PEOPLE, antonym="brave", sentiment=-1),
    _a("clever", _LIVING, sentiment=1),
    _a("smart", _LIVING, meaning="clever", sentiment=1),
    _a("foolish", _PEOPLE, antonym="clever", sentiment=-1),
    _a("honest", _PEOPLE, sentiment=1),
    _a("dishonest", _PEOPLE, antonym="honest", sentiment=-1),
    _a("generous", _PEOPLE, sentiment=1),
    _a("greedy", _PEOPLE, antonym="generous", sentiment=-1),
    _a("careful", _PEOPLE, sentiment=1),
    _a("careless", _PEOPLE, antonym="careful", sentiment=-1),
    _a("diligent", _PEOPLE, sentiment=1),
    _a("hardworking", _PEOPLE, meaning="diligent", sentiment=1),
    _a("lazy", _PEOPLE, antonym="diligent", sentiment=-1),
    _a("patient", _PEOPLE, key="patient/adj", sentiment=1),
    _a("impatient", _PEOPLE, antonym="patient/adj", sentiment=-1),
    _a("talented", _PEOPLE, sentiment=1),
    _a("gifted", _PEOPLE, meaning="talented", sentiment=1),
    _a("helpful", _PEOPLE, sentiment=1),
    _a("grateful", _PEOPLE, sentiment=1),
    _a("lonely", _PEOPLE, sentiment=-1),
    _a("worried", _PEOPLE, sentiment=-1),
    _a("upset", _PEOPLE, sentiment=-1),
    _a("impressed", _PEOPLE),
    _a("naive", _PEOPLE),
    _a("timid", _LIVING),
    _a("strict", _PEOPLE),
    _a("talkative", _PEOPLE),
    _a("confused", _PEOPLE),
    _a("curious", _LIVING),
    _a("busy", _PEOPLE),
    _a("tired", _LIVING),
    _a("hungry", _LIVING),
    _a("thirsty", _LIVING),
    _a("young", _LIVING),
    _a("elderly", _LIVING, antonym="young"),
    _a("famous", "person place work"),
    _a("rich", _PEOPLE),
    _a("wealthy", _PEOPLE, meaning="rich"),
    _a("poor", _PEOPLE, antonym="rich"),
    _a("strong", _LIVING),
    _a("weak", _LIVING, antonym="strong"),
    _a("fast", "person animal vehicle"),
    _a("quick", "person animal vehicle", meaning="fast"),
    _a("slow", "person animal vehicle", antonym="fast"),
    _a("tall", "person animal plant"),
    _a("short", "person animal plant", antonym="tall"),
    _a("ill", _LIVING, sentiment=-1),
    _a("sick", _LIVING, meaning="ill", sentiment=-1),
    _a("healthy", _LIVING, antonym="ill", sentiment=1),
    _a("fit", _PEOPLE, sentiment=1),
    _a("late", "person vehicle"),
    _a("early", "person vehicle", antonym="late"),
    _a("gentle", _LIVING, sentiment=1),
    _a("rough", _LIVING, key="rough/manner", antonym="gentle", sentiment=-1),
    # general, things
    _a("big", _THINGS + " animal plant"),
    _a("large", _THINGS + " animal plant", meaning="big"),
    _a("small", _THINGS + " animal plant", antonym="big"),
    _a("little", _THINGS + " animal plant", meaning="small"),
    _a("new", "object vehicle place document instrument"),
    _a("old", "object vehicle place document instrument", antonym="new"),
    _a("clean", "object place vehicle"),
    _a("dirty", "object place vehicle", antonym="clean"),
    _a("expensive", "object food drink vehicle document place work"),
    _a("costly", "object food drink vehicle document place work", meaning="expensive"),
    _a("cheap", "object food drink vehicle document place work", antonym="expensive"),
    _a("beautiful", "*", sentiment=1),
    _a("lovely", "*", meaning="beautiful", sentiment=1),
    _a("ugly", "*", antonym="beautiful", sentiment=-1),
    _a("wonderful", "*", sentiment=1),
    _a("excellent", "*", meaning="wonderful", sentiment=1),
    _a("superb", "*", meaning="wonderful", sentiment=1),
    _a("terrible", "*", antonym="wonderful", sentiment=-1),
    _a("awful", "*", meaning="terrible", sentiment=-1),
    _a("dreadful", "*", meaning="terrible", sentiment=-1),
    _a("good", "*", sentiment=1),
    _a("bad", "*", antonym="good", sentiment=-1),
    _a("interesting", "person work event place", sentiment=1),
    _a("fascinating", "person work event place", meaning="interesting", sentiment=1),
    _a("boring", "person work event place", antonym="interesting", sentiment=-1),
    _a("dull", "person work event place", meaning="boring", sentiment=-1),
    _a("strange", "*"),
    _a("loud", "person animal instrument piece place vehicle event"),
    _a("quiet", "person animal instrument piece place vehicle event", antonym="loud"),
    _a("heavy", "object bag instrument animal", key="heavy"),
    _a("light", "object bag instrument", "travel", key="light/weight", antonym="heavy"),
    _a("hot", "food drink place object"),
    _a("cold", "food drink place object", antonym="hot"),
    _a("wet", "place object animal person plant"),
    _a("dry", "place object animal person plant", antonym="wet"),
    _a("dark", "place sky"),
    _a("light", "place sky", "nature", key="light/bright", antonym="dark"),
    _a("bright", "place sky", "nature", meaning="light/bright"),
    _a("comfortable", "place vehicle furniture", sentiment=1),
    _a("uncomfortable", "place vehicle furniture", antonym="comfortable", sentiment=-1),
    _a("crowded", "place vehicle"),
    _a("empty", "place vehicle bag", antonym="crowded"),
    _a("safe", "place vehicle animal", key="safe/adj", sentiment=1),
    _a("dangerous", "place vehicle animal", antonym="safe/adj", sentiment=-1),
    _a("broken", "utensil tool instrument vehicle furniture", sentiment=-1),
    _a("useful", "object document work", sentiment=1),
    _a("useless", "object document work", antonym="useful", sentiment=-1),
    # topic adjectives
    _a("melodic", "piece", "music", sentiment=1),
    _a("catchy", "piece", "music", sentiment=1),
    _a("harsh", "sound piece", "music", sentiment=-1),
    _a("exciting", "event work", "sports", sentiment=1),
    _a("fair", "event person", "sports", sentiment=1),
    _a("unfair", "event person", "sports", antonym="fair", sentiment=-1),
    _a("delicious", "food drink", "cooking", sentiment=1),
    _a("tasty", "food drink", "cooking", meaning="delicious", sentiment=1),
    _a("bland", "food", "cooking", sentiment=-1),
    _a("fresh", "food", "cooking", sentiment=1),
    _a("stale", "food", "cooking", antonym="fresh", sentiment=-1),
    _a("sweet", "food drink", "cooking"),
    _a("sour", "food drink", "cooking"),
    _a("bitter", "food drink", "cooking", sentiment=-1),
    _a("spicy", "food", "cooking"),
    _a("salty", "food", "cooking"),
    _a("ripe", "fruit", "cooking"),
    _a("burnt", "food", "cooking", sentiment=-1),
    _a("profitable", "abstract", "finance", sentiment=1),
    _a("wild", "animal", "nature"),
    _a("tame", "animal", "nature", antonym="wild"),
    _a("deep", "lake river pool", "nature"),
    _a("shallow", "lake river pool", "nature", antonym="deep"),
    _a("green", "plant", "nature"),
    _a("fierce", "animal", "nature", sentiment=-1),
    _a("cute", "animal", "nature", sentiment=1),
    _a("difficult", "event work", "school"),
    _a("hard", "event work", "school", meaning="difficult"),
    _a("easy", "event work", "school", antonym="difficult"),
    _a("correct", "answer", "school", sentiment=1),
    _a("wrong", "answer", "school", antonym="correct", sentiment=-1),
    _a("long", "work event", "school"),
    _a("brief", "work event", "school", antonym="long"),
    _a("neat", "work place", "school", sentiment=1),
    _a("messy", "work place", "school", antonym="neat", sentiment=-1),
    _a("painful", "wound", "medicine", sentiment=-1),
    _a("serious", "wound fever", "medicine", sentiment=-1),
    _a("sterile", "tool", "medicine"),
    _a("delayed", "vehicle", "travel", sentiment=-1),
    _a("foreign", "place", "travel"),
    _a("sturdy", "furniture tool", "workshop", sentiment=1),
    _a("solid", "furniture tool", "workshop", meaning="sturdy", sentiment=1),
    _a("flimsy", "furniture tool", "workshop", antonym="sturdy", sentiment=-1),
    _a("sharp", "tool utensil", "workshop"),
    _a("blunt", "tool utensil", "workshop", antonym="sharp"),
    _a("smooth", "furniture plank", "workshop"),
    _a("rough", "furniture plank", "workshop", key="rough/texture", antonym="smooth"),
    _a("rusty", "tool", "workshop", sentiment=-1),
    _a("wooden", "furniture object", "workshop"),
)

_ADVERB_LIST: tuple[Adverb, ...] = (
    _r("quickly"),
    _r("rapidly", meaning="quickly"),
    _r("slowly", antonym="quickly"),
    _r("carefully"),
    _r("carelessly", antonym="carefully"),
    _r("quietly"),
    _r("loudly", antonym="quietly"),
    _r("happily"),
    _r("sadly", antonym="happily"),
    _r("gently"),
    _r("roughly", antonym="gently"),
    _r("eagerly"),
    _r("patiently"),
    _r("calmly"),
    _r("proudly"),
    _r("politely"),
    _r("nervously"),
    _r("beautifully", sentiment=1, evaluative=True),
    _r("brilliantly", sentiment=1, evaluative=True),
    _r("well", sentiment=1, evaluative=True),
    _r("perfectly", sentiment=1, evaluative=True),
    _r("skilfully", sentiment=1, evaluative=True),
    _r("badly", sentiment=-1, evaluative=True, antonym="well"),
    _r("poorly", meaning="badly", sentiment=-1, evaluative=True),
    _r("terribly", sentiment=-1, evaluative=True),
    _r("clumsily", sentiment=-1, evaluative=True),
)

_FEMALE = ("Anna", "Maria", "Clara", "Emma", "Sofia", "Lena", "Nora", "Julia", "Rosa", "Alice", "Helen",
           "Ruth", "Ida", "Mila", "Tessa", "Greta", "Olga", "Vera", "Irene", "Hannah")
_MALE = ("Ben", "Tom", "David", "Leo", "Oscar", "Paul", "Victor", "Hugo", "Felix", "Max", "Peter",
         "Simon", "Adam", "Ivan", "Omar", "Carl", "Dennis", "Frank", "George", "Martin")
NAMES: dict[str, Name] = {w: Name(w, "female") for w in _FEMALE} | {w: Name(w, "male") for w in _MALE}

QUANTIFIERS: dict[str, Quantifier] = {q.key: q for q in (
    Quantifier("a", "a", "sg", "up", "up", ("a",)),
    Quantifier("some", "some", "pl", "up", "up", ("some", "a")),
    Quantifier("every", "every", "sg", "down", "up", ("every", "all", "most", "some", "a")),
    Quantifier("all", "all the", "pl", "down", "up", ("every", "all", "most", "some", "a")),
    Quantifier("most", "most", "pl", "none", "up", ("most", "some", "a")),
    Quantifier("few", "few", "pl", "none", "down", ("few",)),
    Quantifier("no", "no", None, "down", "down", ("no",)),
    Quantifier("two", "two", "pl", "none", "none", ("two", "some", "a")),
    Quantifier("three", "three", "pl", "none", "none", ("three", "some", "a")),
)}
DETERMINERS: tuple[str, ...] = ("the", "a", "an", "every", "all", "some", "no", "most", "few", "two",
                                "three")
PRONOUNS: dict[str, dict[str, str]] = {
    "he": {"nom": "he", "acc": "him", "gen": "his"},
    "she": {"nom": "she", "acc": "her", "gen": "her"},
    "it": {"nom": "it", "acc": "it", "gen": "its"},
    "they": {"nom": "they", "acc": "them", "gen": "their"},
}

NOUNS: dict[str, Noun] = {n.key: n for n in _NOUN_LIST}
VERBS: dict[str, Verb] = {v.key: v for v in _VERB_LIST}
ADJECTIVES: dict[str, Adjective] = {a.key: a for a in _ADJECTIVE_LIST}
ADVERBS: dict[str, Adverb] = {r.key: r for r in _ADVERB_LIST}

# ----------------------------------------------------------------------------- relations


def _first_by_meaning(entries: tuple[Noun | Verb | Adjective | Adverb, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in entries:
        out.setdefault(e.meaning, e.key)
    return out


_NOUN_BY_MEANING = _first_by_meaning(_NOUN_LIST)
_VERB_BY_MEANING = _first_by_meaning(_VERB_LIST)
_ADJ_BY_MEANING = _first_by_meaning(_ADJECTIVE_LIST)
_ADV_BY_MEANING = _first_by_meaning(_ADVERB_LIST)
_NOUN_PARENT: dict[str, str | None] = {n.meaning: n.hypernym for n in _NOUN_LIST}
_VERB_PARENT: dict[str, str | None] = {v.meaning: v.hypernym for v in _VERB_LIST}


def _symmetric(pairs: list[tuple[str, str | None]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for a, b in pairs:
        if b is not None:
            out[a], out[b] = b, a
    return out


_ADJ_ANTONYM = _symmetric([(a.meaning, a.antonym) for a in _ADJECTIVE_LIST])
_VERB_ANTONYM = _symmetric([(v.meaning, v.antonym) for v in _VERB_LIST])
_ADV_ANTONYM = _symmetric([(r.meaning, r.antonym) for r in _ADVERB_LIST])


def _check() -> None:
    """Fail at import if a relation points at a meaning the lexicon does not have."""
    for n in _NOUN_LIST:
        assert n.hypernym is None or n.hypernym in _NOUN_BY_MEANING, n.key
    for v in _VERB_LIST:
        assert v.hypernym is None or v.hypernym in _VERB_BY_MEANING, v.key
        assert v.antonym is None or v.antonym in _VERB_BY_MEANING, v.key
        for token in v.agent + v.patient:
            assert token == "*" or token in _SPEC_TOKENS, (v.key, token)
    for a in _ADJECTIVE_LIST:
        assert a.antonym is None or a.antonym in _ADJ_BY_MEANING, a.key
        for token in a.applies:
            assert token == "*" or token in _SPEC_TOKENS, (a.key, token)
    for r in _ADVERB_LIST:
        assert r.antonym is None or r.antonym in _ADV_BY_MEANING, r.key


_SPEC_TOKENS = ({n.kind for n in _NOUN_LIST} | {n.key for n in _NOUN_LIST} | {n.meaning for n in _NOUN_LIST})
_check()


@cache
def noun_ancestors(meaning: str) -> tuple[str, ...]:
    """The meaning itself and every hypernym above it, nearest first."""
    return _ancestors(meaning, _NOUN_PARENT)


@cache
def verb_ancestors(meaning: str) -> tuple[str, ...]:
    """The verb meaning itself and every more general verb meaning above it."""
    return _ancestors(meaning, _VERB_PARENT)


def _ancestors(meaning: str, parents: dict[str, str | None]) -> tuple[str, ...]:
    chain = [meaning]
    while (parent := parents.get(chain[-1])) is not None:
        chain.append(parent)
    return tuple(chain)


def noun_is_a(specific: str, general: str) -> bool:
    """True when noun meaning ``specific`` is ``general`` or falls under it."""
    return general in noun_ancestors(specific)


def verb_is_a(specific: str, general: str) -> bool:
    """True when verb meaning ``specific`` is ``general`` or a manner of it (sprint is a run)."""
    return general in verb_ancestors(specific)


@cache
def noun_classes(key: str) -> frozenset[str]:
    """Every spec token a noun satisfies: its kind, key, meaning and all hypernym meanings."""
    noun = NOUNS[key]
    return frozenset({noun.kind, noun.key, *noun_ancestors(noun.meaning)})


def matches(noun_key: str, spec: tuple[str, ...]) -> bool:
    """True when the noun satisfies a selection spec (``*`` takes any noun but a place)."""
    classes = noun_classes(noun_key)
    return any((t == "*" and NOUNS[noun_key].kind != "place") or t in classes for t in spec)


def name_matches(spec: tuple[str, ...]) -> bool:
    """True when a person's name satisfies a selection spec."""
    return "person" in spec or "*" in spec


def adjective_antonym(meaning: str) -> str | None:
    return _ADJ_ANTONYM.get(meaning)


def verb_antonym(meaning: str) -> str | None:
    return _VERB_ANTONYM.get(meaning)


def adverb_antonym(meaning: str) -> str | None:
    return _ADV_ANTONYM.get(meaning)


def noun_for_meaning(meaning: str) -> Noun:
    return NOUNS[_NOUN_BY_MEANING[meaning]]


def verb_for_meaning(meaning: str) -> Verb:
    return VERBS[_VERB_BY_MEANING[meaning]]


def adjective_for_meaning(meaning: str) -> Adjective:
    return ADJECTIVES[_ADJ_BY_MEANING[meaning]]


def _table(pos: str) -> Mapping[str, Noun | Verb | Adjective | Adverb]:
    tables: dict[str, Mapping[str, Noun | Verb | Adjective | Adverb]] = {
        "noun": NOUNS, "verb": VERBS, "adjective": ADJECTIVES, "adverb": ADVERBS}
    return tables[pos]


@cache
def synonyms(pos: Literal["noun", "verb", "adjective", "adverb"], key: str) -> tuple[str, ...]:
    """Keys of every entry of that part of speech with the same meaning, ``key`` included."""
    table = _table(pos)
    meaning = table[key].meaning
    return tuple(k for k, e in table.items() if e.meaning == meaning)


def polysemous_words() -> dict[str, tuple[tuple[str, str], ...]]:
    """Spellings with more than one sense: word -> ((pos, key), ...) in lexicon order."""
    senses: dict[str, list[tuple[str, str]]] = {}
    for pos, table in (("noun", NOUNS), ("verb", VERBS), ("adjective", ADJECTIVES)):
        for key, entry in table.items():
            if "/" in key:
                senses.setdefault(entry.word, []).append((pos, key))
    return {w: tuple(s) for w, s in senses.items() if len(s) > 1}


def sense_topic(pos: str, key: str) -> str | None:
    """The topic a sense belongs to (polysemous senses are each tied to one topic)."""
    entry = _table(pos)[key]
    return None if isinstance(entry, Adverb) else entry.topic


def article(word: str) -> str:
    """The indefinite article for a following word: "a" or "an"."""
    first = word.split()[0].lower()
    for prefix, art in VOWEL_SOUND_EXCEPTIONS.items():
        if first.startswith(prefix):
            return art
    return "an" if first[0] in "aeiou" else "a"


def vocabulary() -> tuple[str, ...]:
    """Every word form the lexicon can produce (sorted); useful for tokenizer sanity checks."""
    words: set[str] = set()
    for n in _NOUN_LIST:
        if not n.hidden:
            words.update(n.word.split() + n.plural.split())
    for v in _VERB_LIST:
        words.update((v.base, v.s3, v.past, v.pp, v.ing))
    words.update(a.word for a in _ADJECTIVE_LIST)
    words.update(r.word for r in _ADVERB_LIST)
    words.update(NAMES)
    for forms in PRONOUNS.values():
        words.update(forms.values())
    return tuple(sorted(words))
