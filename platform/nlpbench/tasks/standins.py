"""Synthetic stand-ins for GLUE, SuperGLUE and SQuAD tasks, written in the official file layouts.

Each task's files are built (as text, by pure functions) from the labelled examples of
``nlpbench.data.synthetic.builders`` and written atomically under ``data_dir`` with a small
manifest (``<folder>/.standin.json``) holding the arguments: a second call with the same
arguments does nothing, one with other arguments regenerates. The same seed gives
byte-identical files. Test splits carry no labels, as distributed (the labelled diagnostics
AX-b keep theirs, as distributed).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar

from nlpbench.data.synthetic.builders import extractive_qa
from nlpbench.data.synthetic.views import lexicon_view, set_view
from nlpbench.errors import DataError
from nlpbench.fsio import atomic_dir, write_text_atomic

GENERATOR_VERSION = 2  # 2: train splits draw the seen half of the lexicon, dev and test the unseen half
# tasks whose builder was redesigned since version 1: their manifests say so, so that files
# written by the older builder are regenerated (the other tasks' files stay byte-identical)
# revision 2 of the entailment, paraphrase and similarity stand-ins: their sibling and hyponym swaps
# keep to the split's half of the lexicon (before, 2-7% of their training rows used unseen nouns)
_SWAPS = ("glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/rte", "glue/ax", "superglue/cb",
          "superglue/rte", "superglue/axb")
REVISIONS = {"glue/wnli": 2, "superglue/wic": 3, "superglue/multirc": 3, "squad/v2": 2,
             **{task: 2 for task in _SWAPS}}
# diagnostics predicted by a task's model, written next to its stand-in with its seed and test size
COMPANIONS = {"superglue/rte": ("superglue/axb", "superglue/axg")}
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


# --------------------------------------------------------------------------- SQuAD


# SQuAD 2.0's own shares of unanswerable questions (train 33.4%, dev 50.0%); v2's contexts are
# shorter than v1's (2-4 sentences, not 4-8), to ease span learning. What made v2 learnable for a
# tiny model from scratch was the training set's size (20,000 questions, conf/task/synthetic/squad/v2.yaml).
V2_UNANSWERABLE = {"train": 1 / 3, "dev": 0.5}
V2_SENTENCES = (2, 4)


def _squad_split(task: str, seed: int, split: str, n: int, v2: bool) -> str:
    rng = split_rng(task, seed, split)
    articles: list[dict[str, Any]] = []
    for i in range(n):
        qa = (extractive_qa(rng, "off_topic", V2_UNANSWERABLE[split], V2_SENTENCES) if v2
              else draw(rng, extractive_qa, lambda q: not q.is_impossible, "SQuAD"))
        if i % 5 == 0:
            articles.append({"title": f"Synthetic_{len(articles)}", "paragraphs": []})
        question: dict[str, Any] = {
            "question": qa.question, "id": hex_id(task, seed, split, i),
            "answers": [{"text": a.text, "answer_start": a.start} for a in qa.answers]}
        if v2:
            question["is_impossible"] = qa.is_impossible
        articles[-1]["paragraphs"].append({"context": qa.context, "qas": [question]})
    return json.dumps({"version": "v2.0" if v2 else "1.1", "data": articles})


def squad_files(task: str, seed: int, sizes: Sizes) -> Files:
    """train-v*.json and dev-v*.json: one question per generated document, five per article."""
    version, v2 = ("2.0", True) if task == "squad/v2" else ("1.1", False)
    return {f"{split}-v{version}.json": _squad_split(task, seed, split, n, v2)
            for split, n in (("train", sizes.train), ("dev", sizes.dev))}


# --------------------------------------------------------------------------- the public API


def standin_files(task: str, seed: int, sizes: Sizes) -> Files:
    """The files of ``task``'s stand-in (names inside its folder -> text); pure and deterministic."""
    from nlpbench.tasks.standins_glue import GLUE_BUILDERS
    from nlpbench.tasks.standins_superglue import SUPERGLUE_BUILDERS

    if task in ("squad/v1", "squad/v2"):
        with lexicon_view("all"):
            return squad_files(task, seed, sizes)
    builders: Mapping[str, Builder] = {**GLUE_BUILDERS, **SUPERGLUE_BUILDERS}
    if task not in builders:
        raise DataError(f"no synthetic stand-in for task {task!r}; there are stand-ins for "
                        f"{sorted([*builders, 'squad/v1', 'squad/v2'])}")
    with lexicon_view("all"):  # the writers switch views per split; the caller's view is restored
        return builders[task](seed, sizes)


def _manifest_path(task: str, data_dir: Path, folder: str) -> Path:
    if folder:
        return data_dir / folder / ".standin.json"
    return data_dir / f".standin-{task.replace('/', '-')}.json"  # SQuAD's files lie in data_dir


def write_standin(task: str, data_dir: Path, *, seed: int = 0, n_train: int, n_dev: int,
                  n_test: int) -> Path:
    """Write ``task``'s stand-in under ``data_dir`` in the official layout; return its folder.

    Nothing is written when the manifest there matches these arguments. A folder that holds
    files but no stand-in manifest (real data, say) is never overwritten: that is a DataError.
    The diagnostics of ``COMPANIONS`` follow, with the same seed and ``n_test``.
    """
    folder = _write_one(task, Path(data_dir), seed, Sizes(n_train, n_dev, n_test))
    for companion in COMPANIONS.get(task, ()):
        _write_companion(companion, Path(data_dir), seed, n_test)
    return folder


def _write_one(task: str, data_dir: Path, seed: int, sizes: Sizes) -> Path:
    from nlpbench.tasks.scoring import benchmark_spec

    spec = benchmark_spec(task)
    manifest = {"generator": "nlpbench.tasks.standins", "version": GENERATOR_VERSION, "task": task,
                "seed": seed, "n_train": sizes.train, "n_dev": sizes.dev, "n_test": sizes.test,
                **({"revision": REVISIONS[task]} if task in REVISIONS else {})}
    manifest_path = _manifest_path(task, data_dir, spec.folder)
    folder = data_dir / spec.folder
    names = sorted(set(spec.split_files.values()))
    if manifest_path.is_file():
        if json.loads(manifest_path.read_text()) == manifest and all((folder / n).is_file() for n in names):
            return folder
    elif any((folder / n).exists() for n in names):
        raise DataError(f"{folder}: holds {spec.benchmark} files without a stand-in manifest "
                        f"({manifest_path.name}); refusing to overwrite them with a synthetic stand-in")
    files = standin_files(task, seed, sizes)
    text = json.dumps(manifest, indent=2) + "\n"
    if spec.folder:
        with atomic_dir(folder) as staging:
            for name, content in files.items():
                write_text_atomic(staging / name, content)
            write_text_atomic(staging / manifest_path.name, text)
    else:
        manifest_path.unlink(missing_ok=True)  # the files are replaced one by one: manifest last
        for name, content in files.items():
            write_text_atomic(folder / name, content)
        write_text_atomic(manifest_path, text)
    return folder


def _write_companion(task: str, data_dir: Path, seed: int, n_test: int) -> None:
    """A diagnostic's stand-in next to its model task's, unless real files of it are there."""
    from nlpbench.tasks.scoring import benchmark_spec

    spec = benchmark_spec(task)
    folder = Path(data_dir) / spec.folder
    if n_test > 0 and ((folder / ".standin.json").is_file() or not any(
            (folder / n).exists() for n in spec.split_files.values())):
        _write_one(task, data_dir, seed, Sizes(0, 0, n_test))


def prepare_standin(task: str, data_dir: Path, seed: int = 0) -> Path:
    """``write_standin`` with the sizes of the stand-in's task file (conf/task/synthetic/<task>.yaml)."""
    from nlpbench.tasks import STANDIN_TASKS, TASKS
    from nlpbench.tasks.spec_files import read_yaml

    if task not in STANDIN_TASKS:
        raise DataError(f"no synthetic stand-in for task {task!r}; there are stand-ins for "
                        f"{list(STANDIN_TASKS)}")
    n = read_yaml(Path(TASKS.get(f"synthetic/{task}").target))["synthetic"]
    return write_standin(task, data_dir, seed=seed, n_train=n["n_train"], n_dev=n["n_dev"],
                         n_test=n["n_test"])
