"""What every stand-in writer shares: split sizes, per-split generators (which switch the
lexicon view), rejection drawing, TSV/JSONL text, ids, and Winograd schemas (WNLI, AX-g)."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, TypeVar

from nlpbench.data.synthetic.views import set_view

GENERATOR_VERSION = 2  # 2: train splits draw the seen half of the lexicon, dev and test the unseen half
T = TypeVar("T")


class Sizes(NamedTuple):
    """Examples per split (passages for MultiRC); tasks with only a test file use ``test``."""

    train: int
    dev: int
    test: int


Files = dict[str, str]  # file name inside the task's folder -> its text
Builder = Callable[[int, Sizes], Files]

# --------------------------------------------------------------------------- helpers for the writers


def split_rng(task: str, seed: int, split: str) -> random.Random:
    """The generator of one split: independent of the other splits and of the sizes asked for.

    It also switches the lexicon view for what is drawn next (every writer draws a split right
    after asking for its generator): ``train`` draws the seen half of the content words, dev and
    test the unseen half. Pretraining sees both halves, so what transfers to dev and test is the
    knowledge of words that only pretraining has met (``data.synthetic.views``).
    """
    set_view("seen" if split == "train" else "unseen")
    return random.Random(f"standin/{task}/{GENERATOR_VERSION}/{seed}/{split}")


def draw(rng: random.Random, build: Callable[[random.Random], T], accept: Callable[[T], bool],
         what: str, tries: int = 200) -> T:
    """The first built example that ``accept`` takes (used to balance collapsed labels)."""
    for _ in range(tries):
        example = build(rng)
        if accept(example):
            return example
    raise RuntimeError(f"could not build an accepted {what} example in {tries} draws")


def tsv(columns: list[str], rows: list[list[str]]) -> str:
    """A GLUE TSV text: tab-separated, no quoting, one line per row, header first if given."""
    lines = ([columns] if columns else []) + rows
    return "".join("\t".join(row) + "\n" for row in lines)


def jsonl(rows: list[dict[str, Any]]) -> str:
    """A SuperGLUE JSON-lines text: one object per line."""
    return "".join(json.dumps(row) + "\n" for row in rows)


def hex_id(*parts: object) -> str:
    """A deterministic 24-hex-digit id, like SQuAD's question ids."""
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:24]


def pre_tokens(text: str) -> int:
    """Words and punctuation marks of ``text``: a lower bound on its WordPiece tokens."""
    return len(re.findall(r"\w+|[^\w\s]", text))


# --------------------------------------------------------------------------- Winograd schemas (WNLI, AX-g)


def _one_sided(role: str) -> dict[str, tuple[str, ...]]:
    """Verb -> the reasons that explain its ``role`` ("agent" or "patient") and never the other role
    of any schema: the adjective alone then says who the pronoun refers to (learnable at tiny scale)."""
    from nlpbench.data.synthetic.knowledge import COREF_SCHEMAS
    from nlpbench.data.synthetic.views import coref_schemas

    other = {r for s in COREF_SCHEMAS for r in (s.patient_reasons if role == "agent" else s.agent_reasons)}
    out = {}
    for s in coref_schemas():  # of the current view: training and dev schemas differ
        own = s.agent_reasons if role == "agent" else s.patient_reasons
        reasons = tuple(r for r in own if r not in other)
        if reasons:
            out[s.verb] = reasons
    return out


class Winograd(NamedTuple):
    """ "X <verb>ed Y because <pronoun> was <reason>." and "<candidate> was <reason>."."""

    premise: str
    hypothesis: str
    entailed: bool  # the candidate is the pronoun's referent
    pronoun: str


def winograd(rng: random.Random, *, named_agent: bool = True,
             gender: Literal["male", "female"] | None = None) -> Winograd:
    """A Winograd schema as entailment: the candidate is the agent or the patient (half each), the
    pronoun's referent the one the reason explains (half each); both people share the pronoun's
    gender, so only the reason resolves it.

    The patient is a role ("the surgeon"); the agent a name when ``named_agent``, so the kind of
    noun phrase shows which participant the hypothesis names and the label is the agreement of
    two visible cues (a tiny model learns it; with both kinds anywhere it stays at chance). Without
    ``named_agent`` both are roles and nothing but the pronoun tells their gender (AX-g)."""
    from nlpbench.data.synthetic import lexicon as lx
    from nlpbench.data.synthetic import sampling as sm
    from nlpbench.data.synthetic.grammar import capitalise
    from nlpbench.data.synthetic.realisation import Style, realise_with_mentions
    from nlpbench.data.synthetic.semantics import Frame

    referent = rng.choice(("agent", "patient"))
    verb, reasons = rng.choice(sorted(_one_sided(referent).items()))
    reason = rng.choice(reasons)
    gender = gender or rng.choice(("male", "female"))
    topic = rng.choice(lx.TOPICS)
    x = sm.person_np(rng, topic, role_rate=0.0 if named_agent else 1.0, gender=gender, entity="x")
    y = sm.person_np(rng, topic, role_rate=1.0, gender=gender, entity="y", exclude=(x.head,))
    target = x if referent == "agent" else y
    first = realise_with_mentions(Frame(x, verb, y, tense="past"), final=False)
    second = realise_with_mentions(Frame(target, reason, tense="past", copula=True),
                                   Style(pronouns=frozenset({"x" if referent == "agent" else "y"})),
                                   final=False)
    candidate = rng.choice(("agent", "patient"))
    hypothesis = realise_with_mentions(Frame(x if candidate == "agent" else y, reason, tense="past",
                                             copula=True)).text
    pronoun = second.mention("agent")
    assert pronoun is not None and pronoun.pronoun
    return Winograd(capitalise(f"{first.text} because {second.text}."), hypothesis, candidate == referent,
                    pronoun.text)
