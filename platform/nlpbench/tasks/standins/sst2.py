"""Synthetic SST-2 stand-in: seeded sentiment sentences with negation, intensifiers and contrast.

A placeholder until the synthetic language replaces it. Gold labels follow the semantics:
the adjective's polarity, flipped by negation, and for "X but Y" the polarity of Y.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from nlpbench.fsio import atomic_dir, write_text_atomic
from nlpbench.tasks.official.formats import write_tsv_atomic

GENERATOR_VERSION = 1

POSITIVE = ["good", "great", "wonderful", "moving", "brilliant", "charming", "funny", "gripping",
            "delightful", "clever", "beautiful", "superb", "enjoyable", "fresh", "memorable"]
NEGATIVE = ["bad", "awful", "dull", "boring", "clumsy", "tedious", "bland", "weak", "messy",
            "forgettable", "painful", "silly", "lifeless", "predictable", "shallow"]
NOUNS = ["film", "movie", "story", "script", "plot", "acting", "cast", "ending", "soundtrack",
         "direction", "dialogue", "pacing", "premise", "performance", "picture"]
INTENSIFIERS = ["", "", "", "very ", "really ", "quite ", "truly ", "rather ", "remarkably "]
FILLERS = ["", "", "", "honestly , ", "in the end , ", "overall , ", "for what it is worth , ",
           "to be fair , "]
TAILS = ["", "", "", " from start to finish", " for most of its running time", " at times",
         " in every scene"]
POS_VERBS = ["loved", "enjoyed", "adored", "admired"]
NEG_VERBS = ["hated", "disliked", "resented", "regretted"]


def _clause(rng: random.Random) -> tuple[str, int]:
    """One clause and its polarity (1 positive, 0 negative)."""
    if rng.random() < 0.25:
        positive = rng.random() < 0.5
        verb = rng.choice(POS_VERBS if positive else NEG_VERBS)
        noun = rng.choice(NOUNS)
        if rng.random() < 0.35:
            base = {"loved": "love", "enjoyed": "enjoy", "adored": "adore", "admired": "admire",
                    "hated": "hate", "disliked": "dislike", "resented": "resent",
                    "regretted": "regret"}[verb]
            return f"i did not {base} the {noun}", int(not positive)
        return f"i {verb} the {noun}", int(positive)
    positive = rng.random() < 0.5
    adj = rng.choice(POSITIVE if positive else NEGATIVE)
    noun = rng.choice(NOUNS)
    negated = rng.random() < 0.35
    negator = rng.choice(["not ", "never ", "hardly "]) if negated else ""
    verb = rng.choice(["was", "is", "seemed", "felt"])
    text = f"the {noun} {verb} {negator}{rng.choice(INTENSIFIERS)}{adj}{rng.choice(TAILS)}"
    return text, int(positive) ^ int(negated)


def sentence(rng: random.Random) -> tuple[str, int]:
    """A full sentence and its gold label."""
    first, label = _clause(rng)
    if rng.random() < 0.3:
        second, label = _clause(rng)
        first = f"{first} , but {second}"
    return f"{rng.choice(FILLERS)}{first} .", label


def generate(seed: int, n: int, split: str) -> list[tuple[str, int]]:
    rng = random.Random(f"synthetic-sst2/{GENERATOR_VERSION}/{seed}/{split}")
    return [sentence(rng) for _ in range(n)]


def prepare(data_dir: Path, seed: int, n_train: int, n_dev: int, n_test: int) -> Path:
    """Write train/dev/test TSVs under ``data_dir/SST-2`` unless identical ones exist; return it."""
    folder = data_dir / "SST-2"
    manifest = {"generator": "synthetic/sst2", "version": GENERATOR_VERSION, "seed": seed,
                "n_train": n_train, "n_dev": n_dev, "n_test": n_test}
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file() and json.loads(manifest_path.read_text()) == manifest:
        return folder
    with atomic_dir(folder) as staging:
        for split, n in (("train", n_train), ("dev", n_dev)):
            rows = [[text, str(label)] for text, label in generate(seed, n, split)]
            write_tsv_atomic(staging / f"{split}.tsv", ["sentence", "label"], rows)
        test = [[str(i), text] for i, (text, _) in enumerate(generate(seed, n_test, "test"))]
        write_tsv_atomic(staging / "test.tsv", ["index", "sentence"], test)
        write_text_atomic(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return folder
