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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from nlpbench.data.synthetic.builders import extractive_qa
from nlpbench.errors import DataError
from nlpbench.fsio import atomic_dir, write_text_atomic

GENERATOR_VERSION = 1
T = TypeVar("T")


class Sizes(NamedTuple):
    """Examples per split (passages for MultiRC); tasks with only a test file use ``test``."""

    train: int
    dev: int
    test: int


Files = dict[str, str]  # file name inside the task's folder -> its text
Builder = Callable[[int, Sizes], Files]

_GLUE, _SLOW = Sizes(2000, 400, 400), Sizes(1000, 200, 200)  # slow: builders that redraw often
STANDIN_SIZES: dict[str, Sizes] = {
    **{f"glue/{t}": _GLUE for t in ("cola", "sst2", "mrpc", "stsb", "qqp", "wnli")},
    **{f"glue/{t}": _SLOW for t in ("mnli", "qnli", "rte")},
    "glue/ax": Sizes(0, 0, 400),
    "superglue/boolq": Sizes(1000, 200, 200),
    "superglue/cb": Sizes(1000, 200, 200),
    "superglue/copa": Sizes(1000, 200, 200),
    "superglue/multirc": Sizes(300, 60, 60),
    "superglue/rte": _SLOW,
    "superglue/wic": Sizes(2000, 400, 400),
    "superglue/wsc": Sizes(1000, 200, 200),
    "superglue/axb": Sizes(0, 0, 400),
    "squad/v1": Sizes(1000, 200, 0),
    "squad/v2": Sizes(1000, 200, 0),
}


# --------------------------------------------------------------------------- helpers for the writers


def split_rng(task: str, seed: int, split: str) -> random.Random:
    """The generator of one split: independent of the other splits and of the sizes asked for."""
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


# --------------------------------------------------------------------------- SQuAD


def _squad_split(task: str, seed: int, split: str, n: int, v2: bool) -> str:
    rng = split_rng(task, seed, split)
    articles: list[dict[str, Any]] = []
    for i in range(n):
        qa = draw(rng, extractive_qa, lambda q: v2 or not q.is_impossible, "SQuAD")
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
        return squad_files(task, seed, sizes)
    builders: Mapping[str, Builder] = {**GLUE_BUILDERS, **SUPERGLUE_BUILDERS}
    if task not in builders:
        raise DataError(f"no synthetic stand-in for task {task!r}; there are stand-ins for "
                        f"{sorted([*builders, 'squad/v1', 'squad/v2'])}")
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
    """
    from nlpbench.tasks.scoring import benchmark_spec

    data_dir = Path(data_dir)
    spec = benchmark_spec(task)
    sizes = Sizes(n_train, n_dev, n_test)
    manifest = {"generator": "nlpbench.tasks.standins", "version": GENERATOR_VERSION, "task": task,
                "seed": seed, "n_train": n_train, "n_dev": n_dev, "n_test": n_test}
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


def prepare_standin(task: str, data_dir: Path, seed: int = 0) -> Path:
    """``write_standin`` with the default sizes of ``STANDIN_SIZES``."""
    if task not in STANDIN_SIZES:
        raise DataError(f"no synthetic stand-in for task {task!r}; there are stand-ins for "
                        f"{sorted(STANDIN_SIZES)}")
    n = STANDIN_SIZES[task]
    return write_standin(task, data_dir, seed=seed, n_train=n.train, n_dev=n.dev, n_test=n.test)
