"""Synthetic stand-ins for GLUE, SuperGLUE and SQuAD tasks, written in the official file layouts.

Each task's files are built (as text, by pure functions) from the labelled examples of
``nlpbench.data.synthetic.builders`` and written atomically under ``data_dir`` with a small
manifest (``<folder>/.standin.json``) holding the arguments: a second call with the same
arguments does nothing, one with other arguments regenerates. The same seed gives
byte-identical files. Test splits carry no labels, as distributed (the labelled diagnostics
AX-b keep theirs, as distributed).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from nlpbench.data.synthetic.views import lexicon_view
from nlpbench.errors import DataError
from nlpbench.fsio import atomic_dir, write_text_atomic
from nlpbench.tasks.standins.common import GENERATOR_VERSION, Builder, Files, Sizes
from nlpbench.tasks.standins.glue import GLUE_BUILDERS
from nlpbench.tasks.standins.squad import squad_files
from nlpbench.tasks.standins.superglue import SUPERGLUE_BUILDERS

__all__ = ["GENERATOR_VERSION", "Builder", "Files", "Sizes", "prepare_standin", "standin_files",
           "write_standin"]

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


def standin_files(task: str, seed: int, sizes: Sizes) -> Files:
    """The files of ``task``'s stand-in (names inside its folder -> text); pure and deterministic."""
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
