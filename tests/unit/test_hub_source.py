"""task.source=hub (nlpbench.tasks.official.hub): hub-style datasets, built here as local parquet folders
that ``datasets.load_dataset`` reads offline, are written in the official layout and read back by
the official readers; a second run reuses the written files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlpbench.catalog import TASKS
from nlpbench.config.compose import compose_config
from nlpbench.errors import ConfigError
from nlpbench.tasks.official import hub as hub_module
from nlpbench.tasks.scoring import score_files
from nlpbench.tasks.sources import prepare_task

datasets = pytest.importorskip("datasets")


@pytest.fixture(autouse=True)
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No hub access, and the datasets cache inside the test's folder."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf_cache")


def hub_folder(root: Path, splits: dict[str, dict[str, list[Any]]]) -> Path:
    """A local dataset folder as the hub lays them out: data/<split>-00000-of-00001.parquet."""
    (root / "data").mkdir(parents=True)
    for split, columns in splits.items():
        datasets.Dataset.from_dict(columns).to_parquet(str(root / "data" / f"{split}-00000-of-00001.parquet"))
    return root


def prepare(tmp_path: Path, task: str, folder: Path, *extra: str) -> tuple[Any, dict[str, Any]]:
    cfg = compose_config("finetune", [f"task={task}", "task.source=hub", f"task.hub.path={folder}",
                                      f"paths.root={tmp_path / 'home'}", "logger=none", *extra]).typed
    return cfg.task, prepare_task(cfg.task, TASKS.load(task))


PAIRS = {"sentence1": ["a cat sat", "dogs bark", "rain falls"],
         "sentence2": ["a cat is sitting", "cats meow", "it is dry"], "idx": [0, 1, 2]}


def test_glue_rte_written_as_tsv_read_back_and_reused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = hub_folder(tmp_path / "rte", {
        "train": {**PAIRS, "label": [0, 1, 1]},
        "validation": {**PAIRS, "label": [0, 1, 0]},
        "test": {**PAIRS, "label": [-1, -1, -1]},
    })
    cfg, splits = prepare(tmp_path, "glue/rte", folder)
    assert cfg.data_dir.startswith(str(tmp_path / "home" / "data" / "tasks" / "hub"))
    assert set(splits) == {"train", "dev", "test"}
    assert splits["train"].texts[1] == ("dogs bark", "cats meow")
    assert splits["train"].labels == [0, 1, 1]
    assert splits["dev"].index == ["0", "1", "2"]
    assert splits["test"].labels is None
    rte = Path(cfg.data_dir) / "RTE"
    assert (rte / "train.tsv").read_text().splitlines()[:2] == [
        "index\tsentence1\tsentence2\tlabel", "0\ta cat sat\ta cat is sitting\tentailment"]
    assert (rte / "test.tsv").read_text().splitlines()[0] == "index\tsentence1\tsentence2"
    manifest = json.loads((rte / hub_module.MANIFEST).read_text())
    assert (manifest["path"], manifest["name"], manifest["splits"]["dev"]["rows"]) == (str(folder), None, 3)

    # a second run reads the written files without loading the dataset
    def no_load(hub: Any) -> Any:
        raise AssertionError("the hub was loaded again")

    monkeypatch.setattr(hub_module, "_load", no_load)
    _, again = prepare(tmp_path, "glue/rte", folder)
    assert again["dev"].labels == [0, 1, 0]

    # scoring a GLUE submission file against the written dev file: 2 of 3 right
    pred = tmp_path / "RTE.tsv"
    pred.write_text("index\tprediction\n0\tentailment\n1\tnot_entailment\n2\tnot_entailment\n")
    scored = score_files("glue/rte", [rte / "dev.tsv"], [pred])
    assert scored.metrics["accuracy"] == pytest.approx(2 / 3)


def test_glue_cola_train_and_dev_are_headerless(tmp_path: Path) -> None:
    sentences = {"sentence": ["The cat sat.", "Cat the sat.", "It rains."], "idx": [0, 1, 2]}
    folder = hub_folder(tmp_path / "cola", {
        "train": {**sentences, "label": [1, 0, 1]},
        "validation": {**sentences, "label": [1, 0, 0]},
        "test": {**sentences, "label": [-1, -1, -1]},
    })
    cfg, splits = prepare(tmp_path, "glue/cola", folder)
    cola = Path(cfg.data_dir) / "CoLA"
    assert (cola / "train.tsv").read_text().splitlines()[0] == "hub\t1\t\tThe cat sat."
    assert (cola / "test.tsv").read_text().splitlines()[0] == "index\tsentence"
    assert splits["train"].texts == [("The cat sat.",), ("Cat the sat.",), ("It rains.",)]
    assert splits["dev"].labels == [1, 0, 0]
    assert splits["test"].labels is None


def test_glue_stsb_scores_are_floats(tmp_path: Path) -> None:
    folder = hub_folder(tmp_path / "stsb", {
        "train": {**PAIRS, "label": [4.5, 0.25, 1.0]},
        "validation": {**PAIRS, "label": [3.0, 2.0, 5.0]},
    })
    cfg, splits = prepare(tmp_path, "glue/stsb", folder)
    assert splits["train"].labels == [4.5, 0.25, 1.0]
    assert (Path(cfg.data_dir) / "STS-B" / "dev.tsv").read_text().splitlines()[0].endswith("\tscore")


def test_glue_mnli_both_validation_halves(tmp_path: Path) -> None:
    pairs = {"premise": ["p one", "p two"], "hypothesis": ["h one", "h two"], "idx": [0, 1]}
    folder = hub_folder(tmp_path / "mnli", {
        "train": {**pairs, "label": [0, 2]},
        "validation_matched": {**pairs, "label": [1, 0]},
        "validation_mismatched": {**pairs, "label": [2, 2]},
        "test_matched": {**pairs, "label": [-1, -1]},
        "test_mismatched": {**pairs, "label": [-1, -1]},
    })
    cfg, splits = prepare(tmp_path, "glue/mnli", folder)
    assert {"train", "dev", "test", "dev_mismatched", "test_mismatched"} <= set(splits)
    assert splits["train"].texts[0] == ("p one", "h one")
    assert splits["dev"].labels == [1, 0]
    assert splits["dev_mismatched"].labels == [2, 2]
    assert splits["test_mismatched"].labels is None
    header = (Path(cfg.data_dir) / "MNLI" / "dev_mismatched.tsv").read_text().splitlines()[0]
    assert header == "index\tsentence1\tsentence2\tgold_label"


def test_superglue_boolq_labels_are_json_booleans(tmp_path: Path) -> None:
    rows = {"question": ["is it wet", "is it dry"], "passage": ["It rains.", "It rains."], "idx": [0, 1]}
    folder = hub_folder(tmp_path / "boolq", {
        "train": {**rows, "label": [1, 0]}, "validation": {**rows, "label": [0, 1]},
        "test": {**rows, "label": [-1, -1]},
    })
    cfg, splits = prepare(tmp_path, "superglue/boolq", folder)
    first = json.loads((Path(cfg.data_dir) / "BoolQ" / "train.jsonl").read_text().splitlines()[0])
    assert first == {"question": "is it wet", "passage": "It rains.", "idx": 0, "label": True}
    assert splits["train"].texts == [("is it wet", "It rains."), ("is it dry", "It rains.")]
    assert splits["dev"].labels == [0, 1]
    assert splits["test"].labels is None


def test_squad_v2_regrouped_into_articles(tmp_path: Path) -> None:
    context = "Paris is the capital of France."
    answers = [{"text": ["Paris"], "answer_start": [0]}, {"text": [], "answer_start": []}]
    rows = {"id": ["q1", "q2"], "title": ["France", "France"], "context": [context, context],
            "question": ["What is the capital?", "What is the moon made of?"], "answers": answers}
    folder = hub_folder(tmp_path / "squad", {"train": rows, "validation": rows})
    cfg, splits = prepare(tmp_path, "squad/v2", folder, "task.span.doc_stride=16")
    doc = json.loads((Path(cfg.data_dir) / "dev-v2.0.json").read_text())
    assert len(doc["data"]) == 1 and len(doc["data"][0]["paragraphs"]) == 1
    qas = doc["data"][0]["paragraphs"][0]["qas"]
    assert [qa["is_impossible"] for qa in qas] == [False, True]
    assert splits["dev"].index == ["q1", "q2"]
    assert splits["dev"].labels == [("Paris",), ()]


def test_superglue_wsc_spans_move_under_target(tmp_path: Path) -> None:
    rows = {"text": ["Mark told Pete he was late .", "Anna hugged Kim because she was sad ."],
            "span1_index": [0, 2], "span2_index": [3, 4], "span1_text": ["Mark", "Kim"],
            "span2_text": ["he", "she"], "idx": [0, 1]}
    folder = hub_folder(tmp_path / "wsc", {"train": {**rows, "label": [1, 0]},
                                           "validation": {**rows, "label": [0, 1]}})
    cfg, splits = prepare(tmp_path, "superglue/wsc", folder)
    first = json.loads((Path(cfg.data_dir) / "WSC" / "train.jsonl").read_text().splitlines()[0])
    assert first == {"text": "Mark told Pete he was late .", "idx": 0, "label": True, "target": {
        "span1_index": 0, "span2_index": 3, "span1_text": "Mark", "span2_text": "he"}}
    assert splits["dev"].labels == [0, 1] and len(splits["train"]) == 2


def test_superglue_multirc_rows_regroup_into_passages_questions_answers(tmp_path: Path) -> None:
    idx = [{"paragraph": 0, "question": 0, "answer": 0}, {"paragraph": 0, "question": 0, "answer": 1},
           {"paragraph": 0, "question": 1, "answer": 0}, {"paragraph": 1, "question": 0, "answer": 0}]
    rows = {"paragraph": ["P zero.", "P zero.", "P zero.", "P one."], "question": ["q0", "q0", "q1", "q0"],
            "answer": ["a", "b", "c", "d"], "idx": idx}
    folder = hub_folder(tmp_path / "multirc", {"train": {**rows, "label": [1, 0, 1, 0]},
                                               "validation": {**rows, "label": [0, 0, 1, 1]}})
    cfg, splits = prepare(tmp_path, "superglue/multirc", folder)
    lines = [json.loads(x) for x in (Path(cfg.data_dir) / "MultiRC" / "val.jsonl").read_text().splitlines()]
    assert [line["idx"] for line in lines] == [0, 1]
    questions = lines[0]["passage"]["questions"]
    assert [q["idx"] for q in questions] == [0, 1] and [len(q["answers"]) for q in questions] == [2, 1]
    assert questions[0]["answers"][1] == {"text": "b", "idx": 1, "label": 0}
    assert splits["dev"].labels == [0, 0, 1, 1]
    assert [ex.group for ex in splits["dev"].source.examples] == ["0/0", "0/0", "0/1", "1/0"]


def test_superglue_record_entities_get_inclusive_ends_and_answer_spans(tmp_path: Path) -> None:
    passage = "Ann met Bob in Rome ."
    spans = {"text": ["Ann", "Bob", "Rome"], "start": [0, 8, 15], "end": [3, 11, 19]}  # exclusive ends
    rows = {"passage": [passage, passage], "query": ["@placeholder met Bob", "Ann met @placeholder"],
            "entities": [["Ann", "Bob", "Rome"]] * 2, "entity_spans": [spans, spans],
            "answers": [["Ann"], ["Bob"]], "idx": [{"passage": 0, "query": 0}, {"passage": 0, "query": 1}]}
    folder = hub_folder(tmp_path / "record", {"train": rows, "validation": rows})
    cfg, splits = prepare(tmp_path, "superglue/record", folder)
    [line] = [json.loads(x) for x in (Path(cfg.data_dir) / "ReCoRD" / "val.jsonl").read_text().splitlines()]
    assert line["passage"]["entities"] == [{"start": 0, "end": 2}, {"start": 8, "end": 10},
                                           {"start": 15, "end": 18}]
    assert line["qas"][1]["answers"] == [{"start": 8, "end": 10, "text": "Bob"}]
    assert splits["dev"].labels == [("Ann",), ("Bob",)]


def test_missing_hub_path_names_the_hub_dataset(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=glue/rte", "task.source=hub", f"paths.root={tmp_path}",
                                    "logger=none"])
    assert "task.hub.path=nyu-mll/glue task.hub.name=rte" in str(err.value)


def test_a_failing_load_is_one_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        prepare(tmp_path, "glue/rte", tmp_path / "no_such_folder")
    assert "cannot load hub dataset" in str(err.value)
    assert not any((tmp_path / "home").rglob("*.tsv"))


GLUE_HUB_COLUMNS = {
    "glue/cola": ("sentence",), "glue/sst2": ("sentence",), "glue/mrpc": ("sentence1", "sentence2"),
    "glue/qqp": ("question1", "question2"), "glue/stsb": ("sentence1", "sentence2"),
    "glue/mnli": ("premise", "hypothesis"), "glue/qnli": ("question", "sentence"),
    "glue/rte": ("sentence1", "sentence2"), "glue/wnli": ("sentence1", "sentence2"),
    "glue/ax": ("premise", "hypothesis"),
}


@pytest.mark.parametrize("task", sorted(GLUE_HUB_COLUMNS))
def test_every_glue_task_maps_its_hub_columns(task: str, tmp_path: Path) -> None:
    from nlpbench.tasks.official.readers import read_file

    spec = TASKS.load(task)
    columns = GLUE_HUB_COLUMNS[task]
    labeled = "train" in spec.split_files
    label = (lambda i: float(i)) if spec.kind == "regression" else (lambda i: i % len(spec.labels))
    rows = [{**{c: f"{c} {i}" for c in columns}, "label": label(i) if labeled else -1, "idx": 10 + i}
            for i in range(3)]
    split = "train" if labeled else "test"
    path = spec.split_path(tmp_path, split)
    hub_module.write_split(spec, rows, path, task)
    read = read_file(spec, path)
    assert [tuple(ex.inputs[c] for c in spec.inputs) for ex in read.examples] == [
        tuple(f"{c} {i}" for c in columns) for i in range(3)]
    assert read.labeled == labeled
    if labeled:
        assert [ex.label for ex in read.examples] == [r["label"] for r in rows]
