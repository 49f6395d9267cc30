"""Tests for the official-format readers (nlpbench.tasks.official.readers) of every GLUE, SuperGLUE and SQuAD
task: tiny hand-written files with each quirk of the distributed data, and each error naming the
file, the line (or JSON path) and what was expected."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from nlpbench.errors import DataError
from nlpbench.tasks import TASKS
from nlpbench.tasks.official.readers import Split, fill_placeholder, read_file, read_split
from nlpbench.tasks.scoring import benchmark_spec
from nlpbench.tasks.spec import TaskSpec
from tests.unit._benchmark_samples import RECORD_PASSAGE, SAMPLES, write_sample

BOM = "\ufeff"
# the shipped GLUE, SuperGLUE and SQuAD tasks (a user's own task files may add others)
BENCHMARK_TASKS = sorted(
    [f"glue/{t}" for t in ("ax", "cola", "mnli", "mrpc", "qnli", "qqp", "rte", "sst2", "stsb", "wnli")]
    + [f"superglue/{t}" for t in ("axb", "axg", "boolq", "cb", "copa", "multirc", "record", "rte", "wic",
                                  "wsc")]
    + ["squad/v1", "squad/v2"])


def write(tmp_path: Path, task: str, split: str, text: str | bytes) -> Path:
    path = benchmark_spec(task).split_path(tmp_path, split)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def read(tmp_path: Path, task: str, split: str, text: str | bytes) -> Split:
    write(tmp_path, task, split, text)
    return read_split(benchmark_spec(task), tmp_path, split)


def fails(tmp_path: Path, task: str, split: str, text: str | bytes, where: str, expected: str) -> str:
    """Reading must fail with a DataError naming the file, ``where`` and containing ``expected``."""
    path = write(tmp_path, task, split, text)
    with pytest.raises(DataError) as info:
        read_split(benchmark_spec(task), tmp_path, split)
    message = str(info.value)
    assert message.startswith(f"{path}, {where}:"), message
    assert expected in message, message
    return message


def jsonl(*rows: Any) -> str:
    return "".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows)


# --------------------------------------------------------------------------- every task


def test_every_benchmark_task_is_registered_with_a_spec() -> None:
    assert set(BENCHMARK_TASKS) <= set(TASKS.names())
    for name in BENCHMARK_TASKS:
        spec = benchmark_spec(name)
        assert isinstance(spec, TaskSpec)
        assert TASKS.get(name).meta["benchmark"] == spec.benchmark == name.split("/")[0]
        assert TASKS.get(name).meta["headline"] == spec.headline


@pytest.mark.parametrize("task", BENCHMARK_TASKS)
def test_sample_in_official_layout_reads_back(task: str, tmp_path: Path) -> None:
    sample = SAMPLES[task]
    path = write_sample(task, tmp_path)
    split = read_file(benchmark_spec(task), path)
    assert len(split) == sample.count and split.labeled
    assert tuple(ex.label for ex in split.examples) == sample.labels
    assert split.by_id[split.examples[0].id] is split.examples[0]


def test_layout_of_the_distributions(tmp_path: Path) -> None:
    paths = {name: benchmark_spec(name).split_path(tmp_path, split) for name, split in (
        ("glue/cola", "train"), ("glue/mnli", "dev_mismatched"), ("glue/mnli", "test_matched"),
        ("glue/ax", "test"), ("glue/stsb", "dev"), ("superglue/boolq", "dev"), ("superglue/axb", "test"),
        ("superglue/axg", "test"), ("superglue/record", "train"), ("squad/v1", "dev"),
        ("squad/v2", "train"))}
    rel = {k: str(v.relative_to(tmp_path)) for k, v in paths.items()}
    assert rel == {"glue/cola": "CoLA/train.tsv", "glue/mnli": "MNLI/test_matched.tsv",
                   "glue/ax": "diagnostic/diagnostic.tsv", "glue/stsb": "STS-B/dev.tsv",
                   "superglue/boolq": "BoolQ/val.jsonl", "superglue/axb": "AX-b/AX-b.jsonl",
                   "superglue/axg": "AX-g/AX-g.jsonl", "superglue/record": "ReCoRD/train.jsonl",
                   "squad/v1": "dev-v1.1.json", "squad/v2": "train-v2.0.json"}
    assert benchmark_spec("glue/mnli").split_files["dev_mismatched"] == "dev_mismatched.tsv"


def test_missing_file_and_unknown_split(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        read_split(benchmark_spec("superglue/cb"), tmp_path, "dev")
    with pytest.raises(DataError, match="no split 'dev'; it has \\['test'\\]"):
        read_split(benchmark_spec("superglue/axb"), tmp_path, "dev")


# --------------------------------------------------------------------------- GLUE TSV


def test_cola_headerless_train_and_headed_test(tmp_path: Path) -> None:
    split = read(tmp_path, "glue/cola", "train", SAMPLES["glue/cola"].text)
    # four columns, no header: source, label, original-label mark, sentence
    assert [ex.inputs for ex in split.examples][1] == {"sentence": "They drank the pub."}
    assert split.examples[2].inputs["sentence"] == 'He said "hi to me.'  # a stray quote stays
    assert [ex.id for ex in split.examples] == ["0", "1", "2"]
    assert [ex.where for ex in split.examples] == ["line 1", "line 2", "line 3"]  # no header line
    test = read(tmp_path, "glue/cola", "test", "index\tsentence\n0\tBill whistled past the house.\n"
                "1\tThe car honked \"its way.\n")
    assert not test.labeled and [ex.id for ex in test.examples] == ["0", "1"]
    assert test.examples[1].inputs == {"sentence": 'The car honked "its way.'}
    assert test.examples[1].where == "line 3"


def test_cola_errors(tmp_path: Path) -> None:
    fails(tmp_path, "glue/cola", "train", "gj04\t1\tOur friends.\n", "line 1",
          "expected a header or 4 tab-separated fields (source, label, original_label, sentence), found 3")
    fails(tmp_path, "glue/cola", "dev", "gj04\t1\t\tA.\ngj04\t0\t*\tB.\ngj04\t1\tC.\n", "line 3",
          "expected 4 tab-separated fields")
    fails(tmp_path, "glue/cola", "dev", "gj04\t1\t\tA.\ngj04\t2\t*\tB.\n", "line 2",
          "label '2' is not one of ['0', '1']")


def test_mrpc_columns_and_bom(tmp_path: Path) -> None:
    split = read(tmp_path, "glue/mrpc", "dev", SAMPLES["glue/mrpc"].text)
    assert SAMPLES["glue/mrpc"].text.startswith(BOM)
    assert split.examples[0].inputs == {"#1 String": 'He said "the foodservice pie business',
                                        "#2 String": "The foodservice pie business"}
    assert split.examples[1].where == "line 3"
    test = read(tmp_path, "glue/mrpc", "test", BOM + "index\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                "0\t1089874\t1089925\tPCCW 's chief\tCurrent Chief\n1\t3019446\t3019327\tA\tB\n")
    assert not test.labeled and [ex.id for ex in test.examples] == ["0", "1"]


def test_qqp_id_column_is_the_index(tmp_path: Path) -> None:
    split = read(tmp_path, "glue/qqp", "dev", SAMPLES["glue/qqp"].text)
    assert [ex.id for ex in split.examples] == ["201359", "263843", "172974"]
    assert split.examples[2].inputs["question1"] == 'Is "Bhagavad Gita" a book?'
    test = read(tmp_path, "glue/qqp", "test", "id\tquestion1\tquestion2\n0\tWhy?\tHow?\n7\tA\tB\n")
    assert [ex.id for ex in test.examples] == ["0", "7"] and not test.labeled


def test_mnli_matched_mismatched_and_test(tmp_path: Path) -> None:
    matched = read(tmp_path, "glue/mnli", "dev_matched", SAMPLES["glue/mnli"].text)
    mismatched = read(tmp_path, "glue/mnli", "dev_mismatched", SAMPLES["glue/mnli"].text)
    assert [ex.label for ex in matched.examples] == [1, 0, 2] == [ex.label for ex in mismatched.examples]
    assert matched.examples[1].inputs["sentence1"] == 'This site includes "a list'
    test = read(tmp_path, "glue/mnli", "test_mismatched",
                "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\t"
                "sentence1_parse\tsentence2_parse\tsentence1\tsentence2\n"
                "0\t1\t1n\tletters\t( a )\t( b )\t(ROOT a)\t(ROOT b)\tA premise.\tA hypothesis.\n")
    assert not test.labeled and test.examples[0].inputs["sentence2"] == "A hypothesis."


def test_stsb_scores_and_bad_score(tmp_path: Path) -> None:
    split = read(tmp_path, "glue/stsb", "dev", SAMPLES["glue/stsb"].text)
    assert [ex.label for ex in split.examples] == [5.0, 4.75, 1.2]
    header = SAMPLES["glue/stsb"].text.splitlines()[0] + "\n"
    row = "0\tg\tf\ty\t0\tn\tn\tA.\tB.\t{}\n"
    fails(tmp_path, "glue/stsb", "dev", header + row.format("3.5") + row.format("high"), "line 3",
          "score 'high' in column 'score' is not a finite number")
    fails(tmp_path, "glue/stsb", "dev", header + row.format("nan"), "line 2", "not a finite number")


def test_qnli_rte_wnli_labels(tmp_path: Path) -> None:
    qnli = read(tmp_path, "glue/qnli", "dev", SAMPLES["glue/qnli"].text)
    assert [ex.label for ex in qnli.examples] == [0, 1]
    rte = read(tmp_path, "glue/rte", "dev", SAMPLES["glue/rte"].text)
    assert rte.examples[0].inputs["sentence2"] == "Christopher Reeve had an accident."
    fails(tmp_path, "glue/rte", "dev", "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentails\n", "line 2",
          "label 'entails' is not one of ['entailment', 'not_entailment']")
    fails(tmp_path, "glue/wnli", "dev", "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n",
          "line 2", "not one of ['0', '1']")


def test_ax_unlabelled_diagnostic_and_labelled_full_file(tmp_path: Path) -> None:
    test = read(tmp_path, "glue/ax", "test", "index\tsentence1\tsentence2\n0\tThe cat sat.\tThe cat "
                "did not sit.\n1\tA \"b\tc\n")
    assert not test.labeled and [ex.id for ex in test.examples] == ["0", "1"]
    full = read(tmp_path, "glue/ax", "full", SAMPLES["glue/ax"].text)
    assert full.labeled and [ex.id for ex in full.examples] == ["0", "1", "2"]  # positions
    assert full.examples[0].inputs == {"sentence1": "The cat sat on the mat.",
                                       "sentence2": "The cat did not sit on the mat."}


def test_glue_errors_name_file_and_line(tmp_path: Path) -> None:
    fails(tmp_path, "glue/qnli", "dev", "index\tquestion\ttext\tlabel\n0\ta\tb\tentailment\n", "line 1",
          "missing column(s) ['sentence']")
    fails(tmp_path, "glue/rte", "dev", "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n"
          "0\tc\td\tentailment\n", "line 3", "duplicate id '0' (first at line 2)")
    fails(tmp_path, "glue/rte", "dev", "index\tsentence1\tsentence2\tlabel\n \ta\tb\tentailment\n", "line 2",
          "empty 'index'")
    fails(tmp_path, "glue/sst2", "dev", "sentence\tlabel\r\ngood\t1\r\nbad\r\n", "line 3",
          "expected 2 tab-separated fields")


def test_glue_header_only_and_non_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "glue/rte", "dev", "index\tsentence1\tsentence2\tlabel\n")
    with pytest.raises(DataError, match="no examples") as info:
        read_file(benchmark_spec("glue/rte"), path)
    assert str(path) in str(info.value)
    path = write(tmp_path, "glue/rte", "dev", "index\tsentence1\tsentence2\tlabel\n0\tcaf\xe9\tb\t0\n"
                 .encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_file(benchmark_spec("glue/rte"), path)


# --------------------------------------------------------------------------- SuperGLUE JSONL


def test_boolq_labels_as_booleans_or_strings_and_ids_as_ints_or_strings(tmp_path: Path) -> None:
    split = read(tmp_path, "superglue/boolq", "dev", BOM + jsonl(
        {"question": "q0", "passage": "p", "idx": 0, "label": True},
        {"question": "q1", "passage": "p", "idx": "1", "label": "false"},
        {"question": "q2", "passage": "p", "idx": 2, "label": "True"},
        {"question": "q3", "passage": "p", "idx": "x-3", "label": False},
    ))
    assert [ex.label for ex in split.examples] == [1, 0, 1, 0]
    assert [ex.id for ex in split.examples] == ["0", "1", "2", "x-3"]
    assert [ex.raw_id for ex in split.examples] == [0, "1", 2, "x-3"]
    assert split.examples[0].inputs == {"question": "q0", "passage": "p"}


def test_jsonl_lines_end_only_at_newline(tmp_path: Path) -> None:
    # U+2028 inside a JSON string is legal (and occurs in the data); CRLF endings are tolerated
    text = json.dumps({"premise": "a\u2028b\u0085c", "hypothesis": "h", "idx": 0, "label": "neutral"},
                      ensure_ascii=False) + "\r\n" + json.dumps(
        {"premise": "p", "hypothesis": "h", "idx": 1, "label": "contradiction"}) + "\r\n"
    split = read(tmp_path, "superglue/cb", "dev", text)
    assert len(split) == 2 and split.examples[0].inputs["premise"] == "a\u2028b\u0085c"
    assert [ex.label for ex in split.examples] == [2, 1]


def test_test_split_has_no_labels(tmp_path: Path) -> None:
    split = read(tmp_path, "superglue/copa", "test", jsonl(
        {"premise": "p", "choice1": "a", "choice2": "b", "question": "cause", "idx": 0}))
    assert not split.labeled and split.examples[0].label is None


def test_wic_and_wsc_fields(tmp_path: Path) -> None:
    wic = read(tmp_path, "superglue/wic", "dev", SAMPLES["superglue/wic"].text)
    assert wic.examples[1].inputs == {"word": "beat", "sentence1": "We beat the competition.",
                                      "sentence2": "Agassi beat Becker."}
    wsc = read(tmp_path, "superglue/wsc", "dev", SAMPLES["superglue/wsc"].text)
    assert wsc.examples[1].inputs["span1_index"] == 3 and wsc.examples[1].inputs["span2_text"] == "them"
    assert wsc.examples[0].inputs["text"].split()[13] == "He"  # span indices count words
    row = {"text": "Mark lied.", "idx": 0, "label": True,
           "target": {"span1_index": 0, "span2_index": "1", "span1_text": "Mark", "span2_text": "lied"}}
    fails(tmp_path, "superglue/wsc", "dev", jsonl(row), "line 1",
          "field 'span2_index' is '1'; expected an integer")
    row["target"] = {"span1_index": -1, "span2_index": 1, "span1_text": "Mark", "span2_text": "lied"}
    fails(tmp_path, "superglue/wsc", "dev", jsonl(row), "line 1", "span1_index is -1; expected a word index")
    del row["target"]
    fails(tmp_path, "superglue/wsc", "dev", jsonl(row), "line 1", "missing field 'target'")


def test_superglue_errors_name_file_and_line(tmp_path: Path) -> None:
    good = {"premise": "p", "hypothesis": "h", "idx": 0, "label": "entailment"}
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, '{"premise": "p", "idx": 1,'), "line 2",
          "invalid JSON")
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, "", {**good, "idx": 2}), "line 2", "empty line")
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, [1, 2]), "line 2",
          "expected a JSON object, found list")
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, {**good, "idx": 1, "hypothesis": 3}), "line 2",
          "field 'hypothesis' is 3; expected a string")
    fails(tmp_path, "superglue/rte", "dev", jsonl({k: v for k, v in good.items() if k != "premise"}),
          "line 1", "missing field 'premise'")
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, {**good, "idx": 1, "label": "neutral"}), "line 2",
          "label 'neutral' is not one of ['entailment', 'not_entailment']")
    fails(tmp_path, "superglue/rte", "dev", jsonl({**good, "idx": True}), "line 1",
          "field 'idx' is True; expected an integer or string id")
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, {**good, "idx": "0"}), "line 2",
          "duplicate id '0' (first at line 1)")
    fails(tmp_path, "superglue/rte", "dev", jsonl(good, {k: v for k, v in good.items() if k != "label"}
                                                  | {"idx": 1}), "line 2", "expected a gold label")
    boolq = {"question": "q", "passage": "p", "idx": 0, "label": 1.0}
    fails(tmp_path, "superglue/boolq", "dev", jsonl(boolq), "line 1",
          "label 1.0 is not one of ['false', 'true']")


def test_multirc_nested_passages(tmp_path: Path) -> None:
    split = read(tmp_path, "superglue/multirc", "dev", SAMPLES["superglue/multirc"].text)
    assert [ex.id for ex in split.examples] == ["0/0/0", "0/0/1", "0/1/2", "0/1/3", "0/1/4", "1/2/5", "1/2/6"]
    assert [ex.group for ex in split.examples] == ["0/0", "0/0", "0/1", "0/1", "0/1", "1/2", "1/2"]
    assert split.examples[6].raw_id == (1, 2, 6)
    assert split.examples[6].inputs == {"paragraph": 'Sent 1: Tom ate "soup".',
                                        "question": "What did Tom eat?", "answer": "soup"}
    assert split.examples[4].where == "line 1, passage.questions[1].answers[2]"


def test_multirc_errors_name_the_nested_path(tmp_path: Path) -> None:
    def passage(answers: list[Any]) -> dict[str, Any]:
        return {"idx": 0, "passage": {"text": "t", "questions": [
            {"question": "q", "idx": 0, "answers": [{"text": "a", "idx": 0, "label": 1}]},
            {"question": "q", "idx": 1, "answers": answers}]}}

    fails(tmp_path, "superglue/multirc", "dev", jsonl(passage([{"text": "b", "label": 0}])),
          "line 1, passage.questions[1].answers[0]", "missing field 'idx'")
    fails(tmp_path, "superglue/multirc", "dev", jsonl(passage([{"text": "b", "idx": 1, "label": "maybe"}])),
          "line 1, passage.questions[1].answers[0]", "label 'maybe' is not one of ['0', '1']")
    fails(tmp_path, "superglue/multirc", "dev", jsonl(passage([])), "line 1, passage.questions[1].answers",
          "expected at least one answer option")


def test_record_entities_use_inclusive_ends(tmp_path: Path) -> None:
    split = read(tmp_path, "superglue/record", "dev", SAMPLES["superglue/record"].text)
    first = split.examples[0]
    assert first.inputs["entities"] == ("Berlin", "Merkel", "Obama")  # unique, sorted as HF does
    assert first.inputs["entity_spans"][0] == (0, 4) and RECORD_PASSAGE[0:4 + 1] == "Obama"
    assert first.label == ("Merkel", "Merkel") and first.group == "0" and first.id == "0"
    assert fill_placeholder(first.inputs["query"], "Merkel") == "Merkel hosted the meeting in Berlin"
    assert split.examples[1].where == "line 1, qas[1]"


def test_record_errors(tmp_path: Path) -> None:
    def row(entities: list[dict[str, int]], query: str = "@placeholder met", **qa: Any) -> dict[str, Any]:
        return {"idx": 0, "passage": {"text": "Obama met Merkel", "entities": entities},
                "qas": [{"query": query, "idx": 0, **qa}]}

    fails(tmp_path, "superglue/record", "dev", jsonl(row([{"start": 10, "end": 16}])),
          "line 1, passage.entities[0]", "span 10..16 is outside the passage (length 16)")
    fails(tmp_path, "superglue/record", "dev", jsonl(row([{"start": 5, "end": 2}])),
          "line 1, passage.entities[0]", "(end is inclusive)")
    fails(tmp_path, "superglue/record", "dev", jsonl(row([{"start": 0, "end": 4}], query="Who met?")),
          "line 1, qas[0]", "query has no @placeholder")
    bad_answer = [{"start": 0, "end": "4", "text": "x"}]
    fails(tmp_path, "superglue/record", "dev", jsonl(row([], answers=bad_answer)),
          "line 1, qas[0].answers[0]", "field 'end' is '4'; expected an integer")
    test = read(tmp_path, "superglue/record", "test", jsonl(row([{"start": 0, "end": 4}])))
    assert not test.labeled


def test_axg_pairs_and_axb(tmp_path: Path) -> None:
    axg = read(tmp_path, "superglue/axg", "test", SAMPLES["superglue/axg"].text)
    assert axg.labeled and [ex.label for ex in axg.examples] == [1, 1, 0, 0]
    axb = read(tmp_path, "superglue/axb", "test", SAMPLES["superglue/axb"].text)
    assert axb.examples[0].inputs == {"sentence1": "The cat sat on the mat.",
                                      "sentence2": "The cat did not sit on the mat."}


# --------------------------------------------------------------------------- SQuAD JSON


def test_squad_v1_nested_articles(tmp_path: Path) -> None:
    split = read(tmp_path, "squad/v1", "dev", BOM + SAMPLES["squad/v1"].text)
    assert [ex.id for ex in split.examples] == ["q1", "q2", "q3"]
    assert split.examples[0].label == ("France", "France.")
    assert split.examples[0].inputs["answer_starts"] == (53, 53)
    assert split.examples[0].inputs["context"][53:59] == "France"
    assert split.examples[2].where == "data[1].paragraphs[0].qas[0]"
    assert split.examples[2].inputs["title"] == "Rhine"


def test_squad_v2_is_impossible(tmp_path: Path) -> None:
    split = read(tmp_path, "squad/v2", "dev", SAMPLES["squad/v2"].text)
    assert [ex.inputs["is_impossible"] for ex in split.examples] == [False, True, False]
    assert split.examples[1].label == ()  # unanswerable: no gold answer (plausible ones ignored)


def _squad(qas: list[dict[str, Any]], version: str = "1.1") -> str:
    return json.dumps({"version": version, "data": [
        {"title": "T", "paragraphs": [{"context": "ctx", "qas": [
            {"id": "ok", "question": "q", "answers": [{"text": "c", "answer_start": 0}],
             "is_impossible": False}]}]},
        {"title": "U", "paragraphs": [{"context": "c0", "qas": []}, {"context": "ctx", "qas": qas}]},
    ]}, indent=1)


def test_squad_errors_name_the_json_path(tmp_path: Path) -> None:
    where = "data[1].paragraphs[1].qas[0]"
    fails(tmp_path, "squad/v1", "dev", _squad([{"question": "q", "answers": []}]), where,
          "missing field 'id'")
    fails(tmp_path, "squad/v1", "dev", _squad([{"id": "x", "question": "q", "answers": []}]), where,
          "answers is empty; expected at least one answer (SQuAD v1.1)")
    fails(tmp_path, "squad/v1", "dev", _squad([{"id": "x", "question": "q",
                                                "answers": [{"text": "c", "answer_start": "0"}]}]),
          f"{where}.answers[0]", "field 'answer_start' is '0'; expected an integer")
    fails(tmp_path, "squad/v1", "dev", _squad([{"id": "ok", "question": "q",
                                                "answers": [{"text": "c", "answer_start": 0}]}]),
          where, "duplicate id 'ok' (first at data[0].paragraphs[0].qas[0])")
    fails(tmp_path, "squad/v2", "dev", _squad([{"id": "x", "question": "q", "answers": []}], "v2.0"), where,
          "missing field 'is_impossible'; expected true or false")
    fails(tmp_path, "squad/v2", "dev", _squad([{"id": "x", "question": "q", "is_impossible": True,
                                                "answers": [{"text": "c", "answer_start": 0}]}], "v2.0"),
          where, "is_impossible is true but there are 1 answers; expected none")
    fails(tmp_path, "squad/v2", "dev", _squad([{"id": "x", "question": "q", "is_impossible": False,
                                                "answers": []}], "v2.0"),
          where, "is_impossible is false but answers is empty")


def test_squad_syntax_errors_name_line_and_column(tmp_path: Path) -> None:
    text = '{"version": "1.1",\n "data": [\n  {"title": "T" "paragraphs": []}\n ]}\n'
    fails(tmp_path, "squad/v1", "dev", text, "line 3 column 17", "invalid JSON (Expecting ',' delimiter)")
    fails(tmp_path, "squad/v1", "dev", '{"version": "1.1"}', "top level", "missing field 'data'")
    path = write(tmp_path, "squad/v1", "dev", "[1, 2]")
    with pytest.raises(DataError, match=re.escape(f"{path}: expected a JSON object with a 'data' list")):
        read_split(benchmark_spec("squad/v1"), tmp_path, "dev")


def test_a_squad_answer_start_that_misses_the_answer_text_is_a_data_error(tmp_path: Path) -> None:
    where = "data[1].paragraphs[1].qas[0].answers[1].answer_start"
    off = [{"text": "ctx", "answer_start": 0}, {"text": "tx", "answer_start": 0}]
    fails(tmp_path, "squad/v1", "dev", _squad([{"id": "x", "question": "q", "answers": off}]), where,
          "context[0:2] is 'ct', not the answer text 'tx' (the text first occurs at 1); expected the "
          "character offset of the answer text")
    past = [{"text": "ctx", "answer_start": 0}, {"text": "tx", "answer_start": 2}]
    fails(tmp_path, "squad/v2", "dev", _squad([{"id": "x", "question": "q", "is_impossible": False,
                                                "answers": past}], "v2.0"),
          where, "2 is outside the context (3 characters) for the 2-character answer 'tx'")
    fails(tmp_path, "squad/v1", "dev", _squad([{"id": "x", "question": "q",
                                                "answers": [{"text": "ctx", "answer_start": -1}]}]),
          "data[1].paragraphs[1].qas[0].answers[0].answer_start", "-1 is outside the context")
