"""Hugging Face hub datasets as a task source: load with ``datasets``, write the splits in the
task's official file layout, read them back with the official readers.

Only used when the user asks (``task.source=hub``); nothing here runs for local or synthetic
tasks. Materialised files get a manifest (dataset path, config name, revision, per-split
fingerprints) so a second run with the same ``task.hub`` reads them without loading the hub.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, DataError, Problem
from nlpbench.fsio import write_text_atomic
from nlpbench.tasks.kinds import kind_of
from nlpbench.tasks.spec import TaskSpec

MANIFEST = "hub_manifest.json"
MANIFEST_VERSION = 1

NOT_TEXT = {"idx", "label", "id"}


def hub_fix(task_name: str | None) -> str:
    """The override that names ``task_name``'s hub dataset (its spec's hub_dataset; generic when none)."""
    from nlpbench.tasks import TASKS

    name = (task_name or "").removeprefix("synthetic/")
    hub = TASKS.load(name).hub_dataset if name in TASKS else None
    if not hub or not hub.get("path"):
        return "task.hub.path=<hub dataset name or local folder> task.hub.name=<config>"
    return f"task.hub.path={hub['path']}" + (f" task.hub.name={hub['name']}" if hub.get("name") else "")


def default_data_dir(data_root: str, path: str, name: str | None) -> str:
    """``<data_root>/tasks/hub/<path>/<name>``: the dataset name's own nesting, a local folder
    flattened to one safe folder name."""
    safe = "/".join(re.sub(r"[^A-Za-z0-9._-]+", "_", part) for part in path.strip("/").split("/")
                    if part not in ("", ".", ".."))
    return f"{data_root}/tasks/hub/{safe or 'dataset'}/{name or 'default'}"


def hub_split(name: str) -> str:
    """The official split a hub split fills: train, validation -> dev, test, validation_matched
    -> dev_matched, test_mismatched -> test_mismatched."""
    return "dev" + name[len("validation"):] if name.startswith("validation") else name


def materialise(hub: Any, spec: TaskSpec, data_dir: Path, task_name: str) -> Path:
    """Write ``hub``'s dataset (``path``, ``name``, ``revision``) as ``spec``'s official files under
    ``data_dir``, unless a manifest shows they already are; returns the task folder."""
    folder = data_dir / spec.folder
    wanted = {"version": MANIFEST_VERSION, "task": task_name, "path": hub.path, "name": hub.name,
              "revision": hub.revision}
    if _reusable(folder, spec, wanted):
        return folder
    dataset = _load(hub)
    files: dict[str, dict[str, Any]] = {}
    to_write: list[tuple[str, Any]] = []
    for name in dataset:
        split = hub_split(str(name))
        if split in spec.split_files:
            to_write.append((split, dataset[name]))
    if not any(split == "train" for split, _ in to_write) and "train" in spec.split_files:
        raise DataError(f"hub dataset {hub.path!r} (config {hub.name!r}): no train split; it has "
                        f"{sorted(map(str, dataset))}")
    (folder / MANIFEST).unlink(missing_ok=True)  # files below are no longer those it describes
    for split, rows in to_write:
        path = spec.split_path(data_dir, split)
        write_split(spec, rows, path, f"{hub.path}[{split}]")
        files[split] = {"file": spec.split_files[split], "rows": len(rows),
                        "fingerprint": getattr(rows, "_fingerprint", None)}
    write_text_atomic(folder / MANIFEST, json.dumps({**wanted, "splits": files}, indent=2) + "\n")
    return folder


def _reusable(folder: Path, spec: TaskSpec, wanted: Mapping[str, Any]) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or any(manifest.get(k) != v for k, v in wanted.items()):
        return False
    splits = manifest.get("splits")
    return isinstance(splits, dict) and all((folder / str(s.get("file", ""))).is_file()
                                            for s in splits.values() if isinstance(s, dict))


def _load(hub: Any) -> Any:
    try:
        import datasets
    except ImportError as err:  # a declared dependency; only a broken install lacks it
        raise ConfigError([Problem("task.source", f"the hub source needs `datasets`: {err}",
                                   fix="pip install 'datasets>=5.2'")]) from None
    try:
        return datasets.load_dataset(hub.path, hub.name, revision=hub.revision)
    except Exception as err:  # noqa: BLE001 - any loader failure is one clear config error
        raise ConfigError([Problem(
            "task.hub.path", f"cannot load hub dataset {hub.path!r} (config {hub.name!r}, revision "
            f"{hub.revision!r}): {type(err).__name__}: {err}",
            fix="task.hub.path=<hub dataset name or local folder> task.hub.name=<config>; hub names "
                "need network access (unset HF_DATASETS_OFFLINE), or use task.source=local")]) from None


# --------------------------------------------------------------------------- writers


def write_split(spec: TaskSpec, rows: Any, path: Path, where: str) -> None:
    """Write one hub split (a ``datasets.Dataset`` or a list of row dicts) as ``spec``'s file."""
    records = [dict(r) for r in rows]
    if not records:
        raise DataError(f"hub split {where}: no rows")
    writer = {"glue_tsv": _write_glue, "superglue_jsonl": _write_superglue,
              "squad_json": _write_squad}[spec.file_format]
    writer(spec, records, path, where)


def _labeled(records: Sequence[Mapping[str, Any]], where: str) -> bool:
    """Whether a split carries gold labels: hub test splits write -1 for every row."""
    unlabelled = [i for i, r in enumerate(records) if r.get("label") is None or r.get("label") == -1]
    if unlabelled and len(unlabelled) != len(records):
        raise DataError(f"hub split {where}, row {unlabelled[0]}: label -1 (no label) in a split "
                        f"whose other rows are labelled; expected all or none labelled")
    return not unlabelled


def _class_name(spec: TaskSpec, value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(spec.labels):
        raise DataError(f"hub split {where}: label {value!r}; expected a class id 0..{len(spec.labels) - 1} "
                        f"of {list(spec.labels)}")
    return spec.labels[value]


def _column_map(spec: TaskSpec, columns: Sequence[str], where: str) -> dict[str, str]:
    """spec input column -> hub column."""
    mapping = {spec_col: hub_col for hub_col, spec_col in spec.hub_columns.items()}
    if all(mapping.get(c, c) in columns for c in spec.inputs):
        return {c: mapping.get(c, c) for c in spec.inputs}
    texts = [c for c in columns if c not in NOT_TEXT]  # positional: the hub's text columns in order
    if len(texts) < len(spec.inputs):
        raise DataError(f"hub split {where}: columns {list(columns)}; expected {len(spec.inputs)} text "
                        f"columns for {list(spec.inputs)}")
    return dict(zip(spec.inputs, texts, strict=False))


def _cell(value: Any) -> str:
    # a TSV field cannot hold tabs or line breaks; the official files never contain them
    return re.sub(r"[\t\r\n]", " ", str(value))


def _write_glue(spec: TaskSpec, records: list[dict[str, Any]], path: Path, where: str) -> None:
    columns = list(records[0])
    inputs = _column_map(spec, columns, where)
    labeled = _labeled(records, where)

    def label(r: Mapping[str, Any]) -> str:
        if kind_of(spec).label == "score":
            return repr(float(r["label"]))
        return _class_name(spec, r["label"], where)

    def index(position: int, r: Mapping[str, Any]) -> str:
        return str(r.get("idx", position))

    if spec.columns is not None and labeled:  # CoLA train/dev: headerless, in the spec's order
        out = []
        for r in records:
            by_name = {"source": "hub", spec.label_field: label(r), "original_label": "",
                       **{c: _cell(r[h]) for c, h in inputs.items()}}
            out.append([by_name.get(c, "") for c in spec.columns])
        text = "".join("\t".join(row) + "\n" for row in out)
    else:
        header = ([spec.index_field] if spec.index_field else []) + list(spec.inputs)
        header += [spec.label_field] if labeled else []
        out = []
        for position, r in enumerate(records):
            row = [index(position, r)] if spec.index_field else []
            row += [_cell(r[inputs[c]]) for c in spec.inputs]
            row += [label(r)] if labeled else []
            out.append(row)
        text = "\t".join(header) + "\n" + "".join("\t".join(row) + "\n" for row in out)
    write_text_atomic(path, text)


def _write_superglue(spec: TaskSpec, records: list[dict[str, Any]], path: Path, where: str) -> None:
    nested = kind_of(spec).part("hub_lines")  # WSC's spans, MultiRC's nesting, ReCoRD's entities
    if nested is not None:
        write_text_atomic(path, "".join(json.dumps(o, ensure_ascii=False) + "\n"
                                        for o in nested(spec, records, where)))
        return
    labeled = _labeled(records, where)
    inputs = _column_map(spec, list(records[0]), where)
    lines = []
    for position, r in enumerate(records):
        obj: dict[str, Any] = {c: r[h] for c, h in inputs.items()}
        obj.update({k: v for k, v in r.items() if k not in set(inputs.values()) | {"label", "idx"}})
        obj["idx"] = r.get("idx", position)
        if labeled:
            name = _class_name(spec, r["label"], where)
            # as the official files write them: booleans for true/false tasks, integers for COPA
            obj["label"] = (name == "true" if tuple(spec.labels) == ("false", "true")
                            else int(name) if tuple(spec.labels) == ("0", "1") else name)
        lines.append(json.dumps(obj, ensure_ascii=False))
    write_text_atomic(path, "\n".join(lines) + "\n")


def _need(r: Mapping[str, Any], keys: Sequence[str], position: int, where: str, layout: str) -> None:
    missing = [k for k in keys if k not in r]
    if missing:
        raise DataError(f"hub split {where}, row {position}: missing field(s) {missing}; expected the "
                        f"{layout} hub layout ({', '.join(keys)})")


def _bool_label(spec: TaskSpec, r: Mapping[str, Any], where: str) -> bool:
    return _class_name(spec, r["label"], where) == "true"


def wsc_lines(spec: TaskSpec, records: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """Hub WSC rows (text, span1/2_index, span1/2_text flat) as official lines (spans under target)."""
    labeled = _labeled(records, where)
    keys = ("text", "span1_index", "span2_index", "span1_text", "span2_text")
    out = []
    for position, r in enumerate(records):
        _need(r, keys, position, where, "super_glue wsc")
        obj: dict[str, Any] = {"text": r["text"], "target": {k: r[k] for k in keys[1:]},
                               "idx": r.get("idx", position)}
        if labeled:
            obj["label"] = _bool_label(spec, r, where)
        out.append(obj)
    return out


def multirc_lines(spec: TaskSpec, records: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """Hub MultiRC rows (one per answer option, idx {paragraph, question, answer}) regrouped into the
    official nested passages -> questions -> answers."""
    labeled = _labeled(records, where)
    passages: OrderedDict[Any, dict[str, Any]] = OrderedDict()
    for position, r in enumerate(records):
        _need(r, ("paragraph", "question", "answer", "idx"), position, where, "super_glue multirc")
        idx = r["idx"]
        empty = {"idx": idx["paragraph"], "passage": {"text": r["paragraph"], "questions": []}}
        passage = passages.setdefault(idx["paragraph"], empty)
        questions = passage["passage"]["questions"]
        if not questions or questions[-1]["idx"] != idx["question"]:
            questions.append({"question": r["question"], "idx": idx["question"], "answers": []})
        answer: dict[str, Any] = {"text": r["answer"], "idx": idx["answer"]}
        if labeled:
            answer["label"] = int(_class_name(spec, r["label"], where))  # the official files write 0 / 1
        questions[-1]["answers"].append(answer)
    return list(passages.values())


def record_lines(spec: TaskSpec, records: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """Hub ReCoRD rows (one per query, entity_spans and answer strings) regrouped by passage, with
    inclusive entity ends and answer spans found among the passage's entities, as the official files."""
    passages: OrderedDict[Any, dict[str, Any]] = OrderedDict()
    for position, r in enumerate(records):
        _need(r, ("passage", "query", "entity_spans", "answers", "idx"), position, where,
              "super_glue record")
        text, spans = r["passage"], r["entity_spans"]
        entities = [_inclusive(text, t, s, e, where, position)
                    for t, s, e in zip(spans["text"], spans["start"], spans["end"], strict=True)]
        passage = passages.setdefault(r["idx"]["passage"], {
            "idx": r["idx"]["passage"], "passage": {"text": text, "entities": entities}, "qas": []})
        qa: dict[str, Any] = {"query": r["query"], "idx": r["idx"]["query"]}
        if r["answers"]:
            qa["answers"] = [_answer_span(text, answer, entities, where, position) for answer in r["answers"]]
        passage["qas"].append(qa)
    return list(passages.values())


def _inclusive(text: str, entity: str, start: int, end: int, where: str, position: int) -> dict[str, int]:
    """An entity span with an inclusive end, whether the hub wrote the end inclusive or exclusive."""
    for last in (end, end - 1):
        if text[start : last + 1] == entity:
            return {"start": int(start), "end": int(last)}
    raise DataError(f"hub split {where}, row {position}: entity {entity!r} is not at {start}..{end} of "
                    f"the passage; expected entity_spans to point at their text")


def _answer_span(text: str, answer: str, entities: list[dict[str, int]], where: str,
                 position: int) -> dict[str, Any]:
    for e in entities:
        if text[e["start"] : e["end"] + 1] == answer:
            return {"start": e["start"], "end": e["end"], "text": answer}
    start = text.find(answer)
    if start < 0:
        raise DataError(f"hub split {where}, row {position}: answer {answer!r} is not in the passage; "
                        f"expected ReCoRD answers to be passage entities")
    return {"start": start, "end": start + len(answer) - 1, "text": answer}


def _write_squad(spec: TaskSpec, records: list[dict[str, Any]], path: Path, where: str) -> None:
    v2 = kind_of(spec).no_answer
    articles: OrderedDict[str, OrderedDict[str, list[dict[str, Any]]]] = OrderedDict()
    for position, r in enumerate(records):
        missing = [k for k in ("id", "context", "question", "answers") if k not in r]
        if missing:
            raise DataError(f"hub split {where}, row {position}: missing field(s) {missing}; expected "
                            f"id, title, context, question, answers (SQuAD hub layout)")
        answers = r["answers"] or {}
        texts, starts = list(answers.get("text", [])), list(answers.get("answer_start", []))
        if len(texts) != len(starts):
            raise DataError(f"hub split {where}, row {position}: {len(texts)} answer texts but "
                            f"{len(starts)} answer_start values; expected one each")
        spans = [{"text": t, "answer_start": int(s)} for t, s in zip(texts, starts, strict=True)]
        qa: dict[str, Any] = {"id": str(r["id"]), "question": r["question"], "answers": spans}
        if v2:
            qa["is_impossible"] = not texts
        paragraphs = articles.setdefault(str(r.get("title", "")), OrderedDict())
        paragraphs.setdefault(r["context"], []).append(qa)
    data = [{"title": title, "paragraphs": [{"context": c, "qas": qas} for c, qas in paragraphs.items()]}
            for title, paragraphs in articles.items()]
    version = spec.split_files.get("train", "").removeprefix("train-v").removesuffix(".json")
    doc = {"version": version, "data": data}
    write_text_atomic(path, json.dumps(doc, ensure_ascii=False) + "\n")
