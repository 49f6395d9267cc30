"""Readers for the official benchmark files as distributed: GLUE TSV, SuperGLUE JSONL, SQuAD JSON.

Quirks of the real files are handled, never papered over: a UTF-8 byte-order mark, double
quotes inside TSV fields (no quote processing), CoLA's headerless train/dev files, per-task
column names, ids written as JSON integers or strings, labels as JSON booleans or strings,
MultiRC's nested passages, ReCoRD's inclusive entity ends, WSC's span indices, SQuAD v2's
is_impossible. A row that cannot be read is a DataError naming the file, the line (the JSON
path for SQuAD) and what was expected; no row is ever skipped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpbench.errors import DataError
from nlpbench.tasks.kinds import kind_of
from nlpbench.tasks.official.formats import read_tsv
from nlpbench.tasks.spec import TaskSpec

Label = int | float | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Example:
    """One example: its id, its inputs by field name, its gold label and where it was read.

    ``label`` is a class id (classification), a float (regression), the gold answer texts
    (ReCoRD, SQuAD; empty for an unanswerable SQuAD v2 question) or None (unlabelled test data).
    ``raw_id`` is the id as the file writes it (an int or a string; for MultiRC the
    (passage, question, answer) idx triple), which submission files repeat.
    """

    id: str
    inputs: Mapping[str, Any]
    label: Label
    where: str
    group: str | None = None
    raw_id: Any = None


@dataclass(frozen=True)
class Split:
    """The examples of one file, and whether it carries gold labels."""

    spec: TaskSpec
    path: Path
    examples: list[Example]
    labeled: bool
    by_id: dict[str, Example] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {ex.id: ex for ex in self.examples})

    def __len__(self) -> int:
        return len(self.examples)


def read_file(spec: TaskSpec, path: Path) -> Split:
    """Read one file of ``spec``'s task in its official format."""
    path = Path(path)
    examples = (kind_of(spec).part("reader") or READERS[spec.file_format])(spec, path)
    if not examples:
        raise DataError(f"{path}: no examples in the file")
    _check_unique(path, examples)
    labeled = examples[0].label is not None
    for ex in examples:
        if (ex.label is not None) != labeled:
            first = "has" if labeled else "has no"
            raise DataError(
                f"{path}, {ex.where}: expected {'a' if labeled else 'no'} gold label, as the first "
                f"example ({examples[0].where}) {first} one"
            )
    return Split(spec, path, examples, labeled)


def read_split(spec: TaskSpec, data_dir: Path, split: str) -> Split:
    """Read split ``split`` (train, dev, test, ...) of ``spec`` from a folder in the official layout."""
    if split not in spec.split_files:
        raise DataError(f"{data_dir}: the task has no split {split!r}; it has {sorted(spec.split_files)}")
    return read_file(spec, spec.split_path(Path(data_dir), split))


def _check_unique(path: Path, examples: list[Example]) -> None:
    seen: dict[str, str] = {}
    for ex in examples:
        if ex.id in seen:
            raise DataError(f"{path}, {ex.where}: duplicate id {ex.id!r} (first at {seen[ex.id]}); "
                            f"expected every id once")
        seen[ex.id] = ex.where


# --------------------------------------------------------------------------- labels and ids

_BINARY = {("0", "1"), ("false", "true")}


def label_lookup(spec: TaskSpec) -> dict[Any, int]:
    """Accepted raw label values -> class id. Binary tasks take 0/1, true/false (any case) and
    JSON booleans alike; named classes must be written exactly (surrounding spaces allowed)."""
    table: dict[Any, int] = {name: i for i, name in enumerate(spec.labels)}
    if tuple(spec.labels) in _BINARY:
        for i, words in enumerate((("0", "false"), ("1", "true"))):
            for word in words:
                table.update({word: i, word.upper(): i, word.capitalize(): i})
            table[bool(i)] = i
    return table


def parse_label(value: Any, table: Mapping[Any, int]) -> int | None:
    """Class id of a raw label value, or None when it is not one of the task's labels."""
    if isinstance(value, str):
        return table.get(value.strip())
    if isinstance(value, bool):
        return table.get(value)
    if isinstance(value, int):
        return table.get(str(value))
    return None


def label_error(path: Path, where: str, value: Any, spec: TaskSpec) -> DataError:
    return DataError(f"{path}, {where}: label {value!r} is not one of {list(spec.labels)}")


def parse_float(text: str) -> float | None:
    """A finite float from a TSV field, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def canonical_id(value: Any) -> str | None:
    """The id as a string: JSON integers and strings of digits alike ("7" and 7 are the same id)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return str(int(text)) if text.isascii() and text.isdigit() else text
    return None


# --------------------------------------------------------------------------- GLUE TSV


def _glue_tsv(spec: TaskSpec, path: Path) -> list[Example]:
    if spec.columns is None:
        columns, rows = read_tsv(path)
        first_line = 2
    else:  # CoLA: train/dev have no header, test.tsv has one ("index<TAB>sentence")
        _, rows = read_tsv(path, header=False)
        head = [spec.aliases.get(c, c) for c in rows[0]]
        if all(name in head for name in spec.inputs):
            columns, rows, first_line = rows[0], rows[1:], 2
        else:
            columns, first_line = list(spec.columns), 1
            if len(rows[0]) != len(columns):
                raise DataError(
                    f"{path}, line 1: expected a header or {len(columns)} tab-separated fields "
                    f"({', '.join(columns)}), found {len(rows[0])}"
                )
    columns = [spec.aliases.get(c, c) for c in columns]
    missing = [c for c in spec.inputs if c not in columns]
    if missing:
        raise DataError(f"{path}, line 1: missing column(s) {missing}; header is {columns}")
    text_idx = [(name, columns.index(name)) for name in spec.inputs]
    index_idx = columns.index(spec.index_field) if spec.index_field in columns else None
    label_idx = columns.index(spec.label_field) if spec.label_field in columns else None
    table = label_lookup(spec)
    score = kind_of(spec).label == "score"
    examples: list[Example] = []
    for position, row in enumerate(rows):
        where = f"line {position + first_line}"
        label: Label = None
        if label_idx is not None:
            raw = row[label_idx]
            if score:
                label = parse_float(raw)
                if label is None:
                    raise DataError(f"{path}, {where}: score {raw!r} in column {spec.label_field!r} "
                                    f"is not a finite number")
            else:
                label = table.get(raw.strip())
                if label is None:
                    raise label_error(path, where, raw.strip(), spec)
        if index_idx is not None:
            raw_id = row[index_idx].strip()
            if not raw_id:
                raise DataError(f"{path}, {where}: empty {spec.index_field!r}; expected an id")
        else:
            raw_id = str(position)
        inputs = {name: row[i] for name, i in text_idx}
        examples.append(Example(raw_id, inputs, label, where, raw_id=raw_id))
    return examples


# --------------------------------------------------------------------------- JSON helpers


def read_text(path: Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark."""
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text (byte {err.start}): {err.reason}") from None


def jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line of a JSON-lines file; every line must be one object.

    Lines end at "\\n" only: JSON strings may hold U+2028 and other characters that
    ``str.splitlines`` would break at.
    """
    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise DataError(f"{path}: empty file, expected one JSON object per line")
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            raise DataError(f"{path}, line {number}: empty line; expected one JSON object per line")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataError(f"{path}, line {number}: invalid JSON ({err.msg} at column {err.colno}); "
                            f"expected one JSON object per line") from None
        if not isinstance(obj, dict):
            raise DataError(f"{path}, line {number}: expected a JSON object, found {type(obj).__name__}")
        yield number, obj


_TYPES: dict[type, str] = {str: "a string", int: "an integer", list: "a list", dict: "an object",
                           bool: "true or false"}


def get(obj: Mapping[str, Any], key: str, kind: type, path: Path, where: str) -> Any:
    """``obj[key]``, which must exist and be of ``kind`` (booleans are not integers)."""
    if key not in obj:
        raise DataError(f"{path}, {where}: missing field {key!r}; expected {_TYPES[kind]}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataError(f"{path}, {where}: field {key!r} is {value!r}; expected {_TYPES[kind]}")
    return value


def get_id(obj: Mapping[str, Any], key: str, path: Path, where: str) -> tuple[str, Any]:
    """(canonical id, raw id) of ``obj[key]``, an integer or a non-empty string."""
    if key not in obj:
        raise DataError(f"{path}, {where}: missing field {key!r}; expected an integer or string id")
    value = obj[key]
    canonical = canonical_id(value)
    if canonical is None:
        raise DataError(f"{path}, {where}: field {key!r} is {value!r}; expected an integer or string id")
    return canonical, value


# --------------------------------------------------------------------------- SuperGLUE JSONL


def _superglue_jsonl(spec: TaskSpec, path: Path) -> list[Example]:
    table = label_lookup(spec)
    examples: list[Example] = []
    for number, obj in jsonl_objects(path):
        where = f"line {number}"
        ex_id, raw_id = get_id(obj, "idx", path, where)
        inputs: dict[str, Any] = {}
        for name in spec.inputs:
            holder: Mapping[str, Any] = obj
            *parents, leaf = name.split(".")
            for parent in parents:
                holder = get(holder, parent, dict, path, where)
            inputs[leaf] = get(holder, leaf, int if leaf.endswith("_index") else str, path, where)
            if leaf.endswith("_index") and inputs[leaf] < 0:
                raise DataError(f"{path}, {where}: {leaf} is {inputs[leaf]}; expected a word index >= 0")
        label = None
        if spec.label_field in obj:
            label = parse_label(obj[spec.label_field], table)
            if label is None:
                raise label_error(path, where, obj[spec.label_field], spec)
        examples.append(Example(ex_id, inputs, label, where, raw_id=raw_id))
    return examples


def read_multirc(spec: TaskSpec, path: Path) -> list[Example]:
    table = label_lookup(spec)
    examples: list[Example] = []
    for number, obj in jsonl_objects(path):
        line = f"line {number}"
        passage_id, passage_raw = get_id(obj, "idx", path, line)
        passage = get(obj, "passage", dict, path, line)
        text = get(passage, "text", str, path, f"{line}, passage")
        questions = get(passage, "questions", list, path, f"{line}, passage")
        if not questions:
            raise DataError(f"{path}, {line}, passage.questions: empty; expected at least one question")
        for qi, question in enumerate(questions):
            q_where = f"{line}, passage.questions[{qi}]"
            if not isinstance(question, dict):
                raise DataError(f"{path}, {q_where}: expected an object with question, idx and answers")
            question_id, question_raw = get_id(question, "idx", path, q_where)
            question_text = get(question, "question", str, path, q_where)
            answers = get(question, "answers", list, path, q_where)
            if not answers:
                raise DataError(f"{path}, {q_where}.answers: empty; expected at least one answer option")
            group = f"{passage_id}/{question_id}"
            for ai, answer in enumerate(answers):
                a_where = f"{q_where}.answers[{ai}]"
                if not isinstance(answer, dict):
                    raise DataError(f"{path}, {a_where}: expected an object with text, idx and label")
                answer_id, answer_raw = get_id(answer, "idx", path, a_where)
                inputs = {"paragraph": text, "question": question_text,
                          "answer": get(answer, "text", str, path, a_where)}
                label = None
                if spec.label_field in answer:
                    label = parse_label(answer[spec.label_field], table)
                    if label is None:
                        raise label_error(path, a_where, answer[spec.label_field], spec)
                examples.append(Example(f"{group}/{answer_id}", inputs, label, a_where, group,
                                        (passage_raw, question_raw, answer_raw)))
    return examples


def _span(obj: Any, text: str, path: Path, where: str) -> tuple[int, int]:
    """An inclusive (start, end) character span inside ``text``, as ReCoRD writes them."""
    if not isinstance(obj, dict):
        raise DataError(f"{path}, {where}: expected an object with start and end")
    start, end = get(obj, "start", int, path, where), get(obj, "end", int, path, where)
    if not 0 <= start <= end < len(text):
        raise DataError(f"{path}, {where}: span {start}..{end} is outside the passage (length "
                        f"{len(text)}); expected 0 <= start <= end < length (end is inclusive)")
    return start, end


PLACEHOLDER = "@placeholder"


def read_record(spec: TaskSpec, path: Path) -> list[Example]:
    examples: list[Example] = []
    for number, obj in jsonl_objects(path):
        line = f"line {number}"
        passage_id, _ = get_id(obj, "idx", path, line)
        passage = get(obj, "passage", dict, path, line)
        text = get(passage, "text", str, path, f"{line}, passage")
        spans = [_span(e, text, path, f"{line}, passage.entities[{i}]")
                 for i, e in enumerate(get(passage, "entities", list, path, f"{line}, passage"))]
        entities = tuple(sorted({text[s : e + 1] for s, e in spans}))
        for qi, qa in enumerate(get(obj, "qas", list, path, line)):
            q_where = f"{line}, qas[{qi}]"
            if not isinstance(qa, dict):
                raise DataError(f"{path}, {q_where}: expected an object with query, idx and answers")
            query_id, query_raw = get_id(qa, "idx", path, q_where)
            query = get(qa, "query", str, path, q_where)
            if PLACEHOLDER not in query:
                raise DataError(f"{path}, {q_where}: query has no {PLACEHOLDER}; expected the cloze "
                                f"slot to fill with an entity")
            label: tuple[str, ...] | None = None
            if "answers" in qa:
                answers = get(qa, "answers", list, path, q_where)
                if not answers:
                    raise DataError(f"{path}, {q_where}.answers: empty; expected at least one answer")
                for ai, answer in enumerate(answers):
                    _span(answer, text, path, f"{q_where}.answers[{ai}]")
                label = tuple(get(a, "text", str, path, f"{q_where}.answers[{ai}]")
                              for ai, a in enumerate(answers))
            inputs = {"passage": text, "query": query, "entities": entities, "entity_spans": tuple(spans)}
            examples.append(Example(query_id, inputs, label, q_where, passage_id, query_raw))
    return examples


def fill_placeholder(query: str, entity: str) -> str:
    """The ReCoRD query with its @placeholder replaced by a candidate entity."""
    return query.replace(PLACEHOLDER, entity)


# --------------------------------------------------------------------------- SQuAD JSON


def load_json(path: Path) -> Any:
    """A whole JSON document; a syntax error names its line and column."""
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise DataError(f"{path}, line {err.lineno} column {err.colno}: invalid JSON ({err.msg})") from None


def _squad_json(spec: TaskSpec, path: Path) -> list[Example]:
    doc = load_json(path)
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a JSON object with a 'data' list (SQuAD format)")
    v2 = kind_of(spec).no_answer
    examples: list[Example] = []
    for i, article in enumerate(get(doc, "data", list, path, "top level")):
        a_where = f"data[{i}]"
        if not isinstance(article, dict):
            raise DataError(f"{path}, {a_where}: expected an object with title and paragraphs")
        title = article.get("title", "")
        for j, paragraph in enumerate(get(article, "paragraphs", list, path, a_where)):
            p_where = f"{a_where}.paragraphs[{j}]"
            if not isinstance(paragraph, dict):
                raise DataError(f"{path}, {p_where}: expected an object with context and qas")
            context = get(paragraph, "context", str, path, p_where)
            for k, qa in enumerate(get(paragraph, "qas", list, path, p_where)):
                examples.append(_squad_question(qa, context, title, v2, path, f"{p_where}.qas[{k}]"))
    return examples


def _squad_question(qa: Any, context: str, title: Any, v2: bool, path: Path, where: str) -> Example:
    if not isinstance(qa, dict):
        raise DataError(f"{path}, {where}: expected an object with id, question and answers")
    qid = get(qa, "id", str, path, where)
    question = get(qa, "question", str, path, where)
    answers = get(qa, "answers", list, path, where)
    texts, starts = [], []
    for m, answer in enumerate(answers):
        ans_where = f"{where}.answers[{m}]"
        if not isinstance(answer, dict):
            raise DataError(f"{path}, {ans_where}: expected an object with text and answer_start")
        texts.append(get(answer, "text", str, path, ans_where))
        starts.append(get(answer, "answer_start", int, path, ans_where))
        _check_answer_start(context, texts[-1], starts[-1], path, ans_where)
    inputs: dict[str, Any] = {"context": context, "question": question, "title": title,
                              "answer_starts": tuple(starts)}
    if v2:
        impossible = get(qa, "is_impossible", bool, path, where)
        if impossible and answers:
            raise DataError(f"{path}, {where}: is_impossible is true but there are {len(answers)} "
                            f"answers; expected none")
        if not impossible and not answers:
            raise DataError(f"{path}, {where}: is_impossible is false but answers is empty; "
                            f"expected at least one answer")
        inputs["is_impossible"] = impossible
    elif not answers:
        raise DataError(f"{path}, {where}: answers is empty; expected at least one answer (SQuAD v1.1)")
    return Example(qid, inputs, tuple(texts), where, raw_id=qid)


def _check_answer_start(context: str, text: str, start: int, path: Path, where: str) -> None:
    """A ``DataError`` unless ``context[start:start + len(text)] == text``: training windows place
    the answer by its character offset, so a wrong one would silently train as "no answer".

    Exact, with no tolerance: the official SQuAD v1.1 and v2.0 JSON files agree with it everywhere
    (the misalignments reported against them, huggingface/datasets#2585, came from a loader that
    stripped the contexts' leading blanks, not from the files); BERT's "Could not find answer"
    warnings on v1.1 concern its whitespace tokenisation, not these offsets."""
    if not 0 <= start <= len(context) - len(text):
        raise DataError(f"{path}, {where}.answer_start: {start} is outside the context ({len(context)} "
                        f"characters) for the {len(text)}-character answer {text!r}; expected the "
                        f"character offset of the answer text in the paragraph's context")
    found = context[start:start + len(text)]
    if found != text:
        near = context.find(text)
        hint = f" (the text first occurs at {near})" if near >= 0 else " (the text is not in the context)"
        raise DataError(f"{path}, {where}.answer_start: context[{start}:{start + len(text)}] is {found!r}, "
                        f"not the answer text {text!r}{hint}; expected the character offset of the "
                        f"answer text in the paragraph's context")


READERS: dict[str, Callable[[TaskSpec, Path], list[Example]]] = {
    "glue_tsv": _glue_tsv,
    "superglue_jsonl": _superglue_jsonl,
    "squad_json": _squad_json,
}
