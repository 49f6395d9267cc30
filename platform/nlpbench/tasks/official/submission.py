"""Write predictions in each benchmark's official submission format and file name, atomically.

GLUE: ``<Task>.tsv`` with ``index<TAB>prediction`` (label names, 0/1, or STS-B scores);
SuperGLUE: ``<Task>.jsonl`` with ``idx`` and ``label`` per line (BoolQ/WiC "true"/"false",
WSC "True"/"False", COPA 0/1, class names otherwise; MultiRC nested by passage and question,
ReCoRD the answer text); SQuAD: ``{"question id": "answer text"}`` JSON, and optionally the
no-answer probabilities beside it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from nlpbench.tasks.kinds import kind_of
from nlpbench.tasks.official.formats import write_text_atomic, write_tsv_atomic
from nlpbench.tasks.official.readers import Example
from nlpbench.tasks.spec import TaskSpec

GLUE_SUBMISSIONS = ("CoLA.tsv", "SST-2.tsv", "MRPC.tsv", "STS-B.tsv", "QQP.tsv", "MNLI-m.tsv",
                    "MNLI-mm.tsv", "QNLI.tsv", "RTE.tsv", "WNLI.tsv", "AX.tsv")
SUPERGLUE_SUBMISSIONS = ("BoolQ.jsonl", "CB.jsonl", "COPA.jsonl", "MultiRC.jsonl", "ReCoRD.jsonl",
                         "RTE.jsonl", "WiC.jsonl", "WSC.jsonl", "AX-b.jsonl", "AX-g.jsonl")


def submission_path(spec: TaskSpec, out_dir: Path, split: str = "test") -> Path:
    """Where the official submission of ``split`` goes under ``out_dir``."""
    if split not in spec.submissions:
        raise ValueError(f"no submission file for split {split!r}; the task has {sorted(spec.submissions)}")
    return Path(out_dir) / spec.submissions[split]


def write_submission(spec: TaskSpec, examples: Sequence[Example], predictions: Sequence[Any],
                     out_dir: Path, split: str = "test") -> Path:
    """Write ``predictions`` (class ids, scores or answer texts, aligned with ``examples``) as the
    official submission file of ``split`` under ``out_dir``; return its path."""
    if len(examples) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions for {len(examples)} examples")
    path = submission_path(spec, out_dir, split)
    WRITERS[spec.file_format](spec, examples, predictions, path)
    return path


def _glue(spec: TaskSpec, examples: Sequence[Example], predictions: Sequence[Any], path: Path) -> None:
    score = kind_of(spec).label == "score"

    def cell(p: Any) -> str:
        return repr(float(p)) if score else spec.labels[int(p)]

    rows = [[ex.id, cell(p)] for ex, p in zip(examples, predictions, strict=True)]
    write_tsv_atomic(path, ["index", "prediction"], rows)


def _superglue(spec: TaskSpec, examples: Sequence[Example], predictions: Sequence[Any], path: Path) -> None:
    own = kind_of(spec).part("submission_lines")  # MultiRC nested, ReCoRD's answer texts
    if own is not None:
        lines = own(spec, examples, predictions)
    else:
        names = spec.submission_labels or spec.labels
        lines = [{"idx": ex.raw_id, "label": names[int(p)]}
                 for ex, p in zip(examples, predictions, strict=True)]
    write_text_atomic(path, "".join(json.dumps(line) + "\n" for line in lines))


def record_lines(spec: TaskSpec, examples: Sequence[Example],
                 predictions: Sequence[Any]) -> list[dict[str, Any]]:
    """ReCoRD: each query's idx and the predicted answer text."""
    return [{"idx": ex.raw_id, "label": str(p)} for ex, p in zip(examples, predictions, strict=True)]


def multirc_lines(spec: TaskSpec, examples: Sequence[Example],
                  predictions: Sequence[Any]) -> list[dict[str, Any]]:
    """Answer-option predictions regrouped as the official nested lines, in first-seen order."""
    names = spec.submission_labels or spec.labels
    passages: dict[Any, dict[Any, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for ex, p in zip(examples, predictions, strict=True):
        passage, question, answer = ex.raw_id
        passages[passage][question].append({"idx": answer, "label": names[int(p)]})
    return [{"idx": passage, "passage": {"questions": [{"idx": q, "answers": answers}
                                                       for q, answers in questions.items()]}}
            for passage, questions in passages.items()]


def _squad(spec: TaskSpec, examples: Sequence[Example], predictions: Sequence[Any], path: Path) -> None:
    answers = {ex.id: str(p) for ex, p in zip(examples, predictions, strict=True)}
    write_text_atomic(path, json.dumps(answers, ensure_ascii=False) + "\n")


def write_na_probs(examples: Sequence[Example], probabilities: Sequence[float], path: Path) -> Path:
    """SQuAD v2: write ``{"question id": probability of no answer}`` beside the predictions."""
    values: Mapping[str, float] = {ex.id: float(p) for ex, p in zip(examples, probabilities, strict=True)}
    write_text_atomic(Path(path), json.dumps(values) + "\n")
    return Path(path)


WRITERS: dict[str, Callable[[TaskSpec, Sequence[Example], Sequence[Any], Path], None]] = {
    "glue_tsv": _glue,
    "superglue_jsonl": _superglue,
    "squad_json": _squad,
}
