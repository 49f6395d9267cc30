"""Score a prediction file against a labelled file in the official format: every metric and the headline.

Predictions are read in each benchmark's submission format: GLUE ``index<TAB>prediction`` TSV,
SuperGLUE JSONL with ``idx`` and ``label`` (MultiRC nested by passage and question), SQuAD's
``{"question id": "answer text"}`` JSON (plus, for v2, a ``{"question id": probability}``
no-answer file). A missing prediction counts as wrong, as the official scorers count it: a
wrong class for classification, 0 for an answer; the number missing is reported. A
prediction for an id the gold file lacks is an error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nlpbench.errors import ConfigError, DataError, Problem
from nlpbench.metrics.superglue import NO_PREDICTION
from nlpbench.tasks.kinds import kind_of
from nlpbench.tasks.official.formats import read_tsv
from nlpbench.tasks.official.readers import (
    Split,
    get,
    get_id,
    jsonl_objects,
    label_lookup,
    parse_float,
    parse_label,
    read_file,
    read_text,
)
from nlpbench.tasks.spec import TaskSpec

Value = float | int | None


@dataclass
class Predictions:
    """Predicted values by example id, with where each was read (for error messages)."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def add(self, ex_id: str, value: Any, where: str) -> None:
        if ex_id in self.values:
            raise DataError(f"{self.path}, {where}: second prediction for id {ex_id!r} (first at "
                            f"{self.where[ex_id]}); expected one per example")
        self.values[ex_id] = value
        self.where[ex_id] = where


@dataclass(frozen=True)
class Scored:
    """The outcome of scoring one task: metrics by output key (with ``score``), and coverage."""

    task: str
    metrics: dict[str, Value]
    total: int
    missing: int
    notes: list[str] = field(default_factory=list)


def benchmark_spec(name: str) -> TaskSpec:
    """The TaskSpec of registered task ``name``."""
    from nlpbench.tasks import TASKS

    return TASKS.load(name)


def score_files(task: str, gold: Sequence[Path], predictions: Sequence[Path],
                na_prob: Path | None = None, strict: bool = False) -> Scored:
    """Score ``predictions`` against ``gold`` for registered ``task``.

    Tasks with parts (MNLI: matched, mismatched) take one gold and one prediction file per
    part, in that order, and report each part's metrics with the part as suffix plus their
    mean; a single pair scores that file alone. As the official scripts do, predictions for ids
    the gold file lacks are ignored and gold examples without a prediction count as wrong (each
    said in ``notes``); ``strict`` makes either an error.
    """
    spec = benchmark_spec(task)
    _check_arguments(spec, gold, predictions, na_prob)
    pairs = list(zip(gold, predictions, strict=True))
    na = Path(na_prob) if na_prob else None
    results = [_score_pair(spec, Path(g), Path(p), na, strict) for g, p in pairs]
    notes = [note for r in results for note in r[3]]
    total, missing = sum(r[1] for r in results), sum(r[2] for r in results)
    if len(results) == 1:
        return Scored(task, results[0][0], total, missing, notes)
    metrics: dict[str, Value] = {}
    for key in results[0][0]:
        values = [r[0][key] for r in results]
        metrics[key] = _mean(values)
        if key != "score":
            metrics.update({f"{key}_{part}": v for part, v in zip(spec.parts, values, strict=True)})
    metrics["score"] = metrics.pop("score")
    return Scored(task, metrics, total, missing, notes)


def _mean(values: list[Value]) -> Value:
    present = [float(v) for v in values if v is not None]
    return None if len(present) < len(values) else sum(present) / len(present)


def _check_arguments(spec: TaskSpec, gold: Sequence[Path], predictions: Sequence[Path],
                     na_prob: Path | None) -> None:
    problems = []
    allowed = (1, len(spec.parts)) if spec.parts else (1,)
    if len(gold) not in allowed:
        what = f"1 or {len(spec.parts)} ({', '.join(spec.parts)}, in that order)" if spec.parts else "one"
        problems.append(Problem("--gold", f"got {len(gold)} gold files, expected {what}"))
    if len(predictions) != len(gold):
        problems.append(Problem("--predictions", f"got {len(predictions)} prediction files for "
                                f"{len(gold)} gold files; expected one per gold file"))
    if na_prob is not None and not kind_of(spec).no_answer:
        problems.append(Problem("--na-prob", "only SQuAD v2 takes a no-answer probability file",
                                fix="drop --na-prob"))
    if problems:
        raise ConfigError(problems, header="invalid score arguments")


def _score_pair(spec: TaskSpec, gold_path: Path, pred_path: Path, na_prob: Path | None,
                strict: bool = False) -> tuple[dict[str, Value], int, int, list[str]]:
    split = read_file(spec, gold_path)
    if not split.labeled:
        raise DataError(f"{gold_path}: has no gold labels ({spec.label_field!r}); scoring needs a "
                        f"labelled split such as dev")
    preds = PREDICTION_READERS[spec.file_format](spec, pred_path)
    if strict:
        _reject_unknown(split, preds)
    dropped = _drop_unknown(split, preds)
    notes = [dropped] if dropped else []
    missing = [ex for ex in split.examples if ex.id not in preds.values]
    if missing:
        what = (f"{len(missing)} of {len(split)} examples in {gold_path} have no prediction in "
                f"{pred_path} (first: id {missing[0].id!r}, {missing[0].where})")
        if strict:
            raise DataError(f"{what}; --strict expects one prediction per gold example (drop --strict "
                            f"to score them as wrong, as the official script does)")
        notes.append(f"{what}; scored as wrong")
    try:
        metrics = kind_of(spec).part("scorer")(spec, split, preds, na_prob)
    except ValueError as err:  # a metric's precondition, e.g. AX-g needs whole minimal pairs
        raise DataError(f"{gold_path}: cannot score: {err}") from None
    clean: dict[str, Value] = {}
    for key, value in metrics.items():
        if isinstance(value, float) and math.isnan(value):
            notes.append(f"{key} is undefined (constant predictions or gold); reported as null")
            value = None
        clean[key] = value
    return clean, len(split), len(missing), notes


def _reject_unknown(split: Split, preds: Predictions) -> None:
    unknown = [i for i in preds.values if i not in split.by_id]
    if unknown:
        first = unknown[0]
        more = f" ({len(unknown)} unknown ids in all)" if len(unknown) > 1 else ""
        raise DataError(f"{preds.path}, {preds.where[first]}: id {first!r} is not in the gold file "
                        f"{split.path}{more}; --strict expects only ids of the gold file (drop --strict "
                        f"to ignore them, as the official script does)")


def _drop_unknown(split: Split, preds: Predictions) -> str | None:
    """Forget predictions for ids the gold file lacks (the official scripts ignore them); say so."""
    unknown = [i for i in preds.values if i not in split.by_id]
    for i in unknown:
        del preds.values[i]
    if not unknown:
        return None
    first = unknown[0]
    return (f"{len(unknown)} predictions in {preds.path} are for ids not in the gold file {split.path} "
            f"(first: id {first!r}, {preds.where[first]}); ignored")


# --------------------------------------------------------------------------- computing metrics


def _compute(spec: TaskSpec, args: Mapping[str, tuple[Any, ...]]) -> dict[str, Value]:
    """Each metric of ``spec`` and its headline, called as its registry entry says (``inputs``)."""
    from nlpbench.metrics import METRICS

    def value(name: str) -> float:
        entry = METRICS.get(name)
        return float(entry.load()(*args[entry.meta["inputs"]]))

    out: dict[str, Value] = {spec.key(m): value(m) for m in spec.metrics}
    out["score"] = out[spec.key(spec.headline)] if spec.headline in spec.metrics else value(spec.headline)
    return out


def _ordered(spec: TaskSpec, split: Split) -> list[Any]:
    """Examples in file order; SuperGLUE ones by integer idx (AX-g pairs are 2k, 2k+1 in idx order)."""
    examples = split.examples
    if spec.file_format == "superglue_jsonl" and all(isinstance(ex.raw_id, int) for ex in examples):
        examples = sorted(examples, key=lambda ex: ex.raw_id)
    return examples


def score_labels(spec: TaskSpec, split: Split, preds: Predictions, _: Path | None) -> dict[str, Value]:
    examples = _ordered(spec, split)
    gold = np.fromiter((ex.label for ex in examples), dtype=np.int64, count=len(examples))
    given = np.fromiter((preds.values.get(ex.id, NO_PREDICTION) for ex in examples), dtype=np.int64,
                        count=len(examples))
    absent = given == NO_PREDICTION
    # a missing prediction is some wrong class: for binary tasks exactly the other one
    pred = np.where(absent, (gold + 1) % len(spec.labels), given)
    groups = np.array([ex.group or "" for ex in examples])
    return _compute(spec, {"labels": (gold, pred), "pairs": (gold, given), "grouped": (gold, pred, groups)})


def score_regression(spec: TaskSpec, split: Split, preds: Predictions, _: Path | None) -> dict[str, Value]:
    missing = [ex for ex in split.examples if ex.id not in preds.values]
    if missing:
        raise DataError(f"{preds.path}: {len(missing)} of {len(split)} examples of {split.path} have no "
                        f"prediction (first: id {missing[0].id!r}, {missing[0].where}); a correlation "
                        f"needs a score for every example")
    gold = np.array([ex.label for ex in split.examples], dtype=np.float64)
    pred = np.array([preds.values[ex.id] for ex in split.examples], dtype=np.float64)
    return _compute(spec, {"scores": (gold, pred)})


def score_answers(spec: TaskSpec, split: Split, preds: Predictions, _: Path | None) -> dict[str, Value]:
    golds = [ex.label for ex in split.examples]
    return _compute(spec, {"answers": (golds, [preds.values.get(ex.id) for ex in split.examples])})


def score_squad_v2(spec: TaskSpec, split: Split, preds: Predictions,
                    na_prob: Path | None) -> dict[str, Value]:
    from nlpbench.metrics.squad import evaluate_v2

    na_probs = _read_na_probs(na_prob, split, preds) if na_prob is not None else None
    golds = {ex.id: ex.label for ex in split.examples}
    out: dict[str, Value] = dict(evaluate_v2(golds, preds.values, na_probs))  # type: ignore[arg-type]
    out["score"] = out[spec.key(spec.headline)]
    return out


# --------------------------------------------------------------------------- prediction files


def _glue_predictions(spec: TaskSpec, path: Path) -> Predictions:
    columns, rows = read_tsv(path)
    if "index" not in columns or "prediction" not in columns:
        raise DataError(f"{path}, line 1: header is {columns}; expected 'index<TAB>prediction' "
                        f"(GLUE submission format)")
    index_col, pred_col = columns.index("index"), columns.index("prediction")
    table = label_lookup(spec)
    score = kind_of(spec).label == "score"
    preds = Predictions(path)
    for number, row in enumerate(rows, start=2):
        where, raw, ex_id = f"line {number}", row[pred_col].strip(), row[index_col].strip()
        if not ex_id:
            raise DataError(f"{path}, {where}: empty index; expected the example's index")
        value: Any
        if score:
            value = parse_float(raw)
            if value is None:
                raise DataError(f"{path}, {where}: prediction {raw!r} is not a finite number; expected a "
                                f"similarity score")
        else:
            value = table.get(raw)
            if value is None:
                raise DataError(f"{path}, {where}: prediction {raw!r} is not one of {list(spec.labels)}")
        preds.add(ex_id, value, where)
    return preds


def _superglue_predictions(spec: TaskSpec, path: Path) -> Predictions:
    table = label_lookup(spec)
    preds = Predictions(path)
    own = kind_of(spec).part("prediction_line")  # MultiRC's nested answers, ReCoRD's answer text
    for number, obj in jsonl_objects(path):
        where = f"line {number}"
        if own is not None:
            own(obj, table, spec, preds, where)
            continue
        ex_id, _ = get_id(obj, "idx", path, where)
        if "label" not in obj:
            raise DataError(f"{path}, {where}: missing field 'label'; expected one of {list(spec.labels)}")
        value = parse_label(obj["label"], table)
        if value is None:
            raise DataError(f"{path}, {where}: label {obj['label']!r} is not one of {list(spec.labels)}")
        preds.add(ex_id, value, where)
    return preds


def record_prediction(obj: dict[str, Any], table: Mapping[Any, int], spec: TaskSpec,
                      preds: Predictions, line: str) -> None:
    """One ReCoRD submission line: its idx and the answer text."""
    ex_id, _ = get_id(obj, "idx", preds.path, line)
    preds.add(ex_id, get(obj, "label", str, preds.path, line), line)


def multirc_prediction(obj: dict[str, Any], table: Mapping[Any, int], spec: TaskSpec,
                       preds: Predictions, line: str) -> None:
    """One MultiRC submission line: a passage's questions, each with its answers' labels."""
    path = preds.path
    passage_id, _ = get_id(obj, "idx", path, line)
    passage = get(obj, "passage", dict, path, line)
    for qi, question in enumerate(get(passage, "questions", list, path, f"{line}, passage")):
        q_where = f"{line}, passage.questions[{qi}]"
        if not isinstance(question, dict):
            raise DataError(f"{path}, {q_where}: expected an object with idx and answers")
        question_id, _ = get_id(question, "idx", path, q_where)
        for ai, answer in enumerate(get(question, "answers", list, path, q_where)):
            a_where = f"{q_where}.answers[{ai}]"
            if not isinstance(answer, dict):
                raise DataError(f"{path}, {a_where}: expected an object with idx and label")
            answer_id, _ = get_id(answer, "idx", path, a_where)
            if "label" not in answer:
                raise DataError(f"{path}, {a_where}: missing field 'label'; expected 0 or 1")
            value = parse_label(answer["label"], table)
            if value is None:
                raise DataError(f"{path}, {a_where}: label {answer['label']!r} is not one of "
                                f"{list(spec.labels)}")
            preds.add(f"{passage_id}/{question_id}/{answer_id}", value, a_where)


class _Pairs(list):  # type: ignore[type-arg]
    """A JSON object read as its (key, value) pairs, so that a repeated key is seen."""


def _json_object(path: Path, what: str) -> list[tuple[str, Any]]:
    """The (key, value) pairs of a JSON file holding one flat object, duplicates kept."""
    try:
        doc = json.loads(read_text(path), object_pairs_hook=_Pairs)
    except json.JSONDecodeError as err:
        raise DataError(f"{path}, line {err.lineno} column {err.colno}: invalid JSON ({err.msg})") from None
    if not isinstance(doc, _Pairs):
        raise DataError(f"{path}: expected one JSON object {{question id: {what}}}")
    return list(doc)


def _squad_predictions(spec: TaskSpec, path: Path) -> Predictions:
    preds = Predictions(path)
    for qid, answer in _json_object(path, "answer text"):
        where = f"question {qid!r}"
        if not isinstance(answer, str):
            raise DataError(f"{path}, {where}: prediction {answer!r} is not a string; expected the "
                            f"answer text (\"\" for no answer)")
        preds.add(qid, answer, where)
    return preds


def _read_na_probs(path: Path, split: Split, preds: Predictions) -> dict[str, float]:
    """The no-answer probabilities in file order (their order breaks ties in the threshold search)."""
    na_probs: dict[str, float] = {}
    for qid, value in _json_object(path, "probability of no answer"):
        where = f"question {qid!r}"
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise DataError(f"{path}, {where}: {value!r} is not a finite number; expected the "
                            f"probability of no answer")
        if qid in na_probs:
            raise DataError(f"{path}, {where}: second value for this question; expected one")
        if qid not in split.by_id:
            raise DataError(f"{path}, {where}: id {qid!r} is not in the gold file {split.path}")
        na_probs[qid] = value
    lacking = [q for q in preds.values if q not in na_probs]
    if lacking:
        raise DataError(f"{path}: {len(lacking)} predicted questions have no no-answer probability "
                        f"(first: {lacking[0]!r}); expected one per prediction")
    return na_probs


PREDICTION_READERS: dict[str, Callable[[TaskSpec, Path], Predictions]] = {
    "glue_tsv": _glue_predictions,
    "superglue_jsonl": _superglue_predictions,
    "squad_json": _squad_predictions,
}
