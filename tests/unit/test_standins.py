"""Tests for the synthetic benchmark stand-ins (nlpbench.tasks.standins*): official layouts read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.errors import DataError
from nlpbench.tasks.official.readers import read_split
from nlpbench.tasks.scoring import benchmark_spec
from nlpbench.tasks.standins import prepare_standin, standin_files, write_standin

GLUE = ["glue/cola", "glue/sst2", "glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/qnli", "glue/rte",
        "glue/wnli", "glue/ax"]
SUPERGLUE = ["superglue/boolq", "superglue/cb", "superglue/copa", "superglue/multirc", "superglue/record",
             "superglue/rte", "superglue/wic", "superglue/wsc", "superglue/axb", "superglue/axg"]
SQUAD = ["squad/v1", "squad/v2"]
TASKS = GLUE + SUPERGLUE + SQUAD
SIZES = {"n_train": 30, "n_dev": 24, "n_test": 12}
LABELLED_TEST = {"superglue/axb", "superglue/axg"}  # their test files are labelled, as distributed
GENDERED = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("task", TASKS)
def test_every_split_reads_back_in_the_official_layout(task: str, tmp_path: Path) -> None:
    spec = benchmark_spec(task)
    folder = write_standin(task, tmp_path, seed=3, **SIZES)
    assert folder == tmp_path / spec.folder
    for split in spec.split_files:
        data = read_split(spec, tmp_path, split)
        assert data.labeled == (not split.startswith("test") or task in LABELLED_TEST), split
        n = 30 if split == "train" else 24 if split.startswith("dev") else 12
        assert len(data) == (8 * n if task == "superglue/multirc" else n), split  # 2 questions, 4 options
        if not data.labeled:
            continue
        labels = [ex.label for ex in data.examples]
        if spec.kind == "regression":
            assert all(0.0 <= x <= 5.0 for x in labels) and len(set(labels)) > 3  # type: ignore[operator]
        elif spec.labels:
            assert set(labels) == set(range(len(spec.labels))), (split, labels)  # every class present
        elif task == "squad/v2":
            assert () in labels and any(labels)  # unanswerable and answerable questions
        else:
            assert all(labels)


@pytest.mark.parametrize("task", TASKS)
def test_same_seed_same_bytes_other_seed_other_bytes(task: str) -> None:
    from nlpbench.tasks.standins import Sizes

    sizes = Sizes(8, 6, 6)
    first = standin_files(task, 0, sizes)
    assert first == standin_files(task, 0, sizes)
    other = standin_files(task, 1, sizes)
    assert first.keys() == other.keys() and all(first[k] != other[k] for k in first)


def test_written_files_are_deterministic(tmp_path: Path) -> None:
    a = write_standin("glue/mnli", tmp_path / "a", seed=5, **SIZES)
    b = write_standin("glue/mnli", tmp_path / "b", seed=5, **SIZES)
    assert _files(a) == _files(b)
    assert sorted(p.name for p in a.iterdir()) == [".standin.json", "dev_matched.tsv", "dev_mismatched.tsv",
                                                   "test_matched.tsv", "test_mismatched.tsv", "train.tsv"]


def test_skips_when_the_manifest_matches_and_regenerates_when_arguments_differ(tmp_path: Path) -> None:
    folder = write_standin("glue/rte", tmp_path, seed=0, **SIZES)
    manifest = json.loads((folder / ".standin.json").read_text())
    assert manifest["task"] == "glue/rte" and manifest["seed"] == 0 and manifest["n_train"] == 30
    marker = folder / "train.tsv"
    before = marker.stat().st_mtime_ns
    write_standin("glue/rte", tmp_path, seed=0, **SIZES)
    assert marker.stat().st_mtime_ns == before
    write_standin("glue/rte", tmp_path, seed=1, **SIZES)
    assert json.loads((folder / ".standin.json").read_text())["seed"] == 1
    write_standin("glue/rte", tmp_path, seed=1, **{**SIZES, "n_train": 7})
    assert len(read_split(benchmark_spec("glue/rte"), tmp_path, "train")) == 7
    # SQuAD's files lie in data_dir itself, with a manifest per task
    write_standin("squad/v2", tmp_path, seed=0, **SIZES)
    assert json.loads((tmp_path / ".standin-squad-v2.json").read_text())["n_dev"] == 24
    write_standin("squad/v2", tmp_path, seed=0, **{**SIZES, "n_dev": 5})
    assert len(read_split(benchmark_spec("squad/v2"), tmp_path, "dev")) == 5


def test_real_data_without_a_manifest_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "RTE").mkdir()
    (tmp_path / "RTE" / "train.tsv").write_text("index\tsentence1\tsentence2\tlabel\n")
    with pytest.raises(DataError, match="refusing to overwrite"):
        write_standin("glue/rte", tmp_path, **SIZES)
    with pytest.raises(DataError, match="no synthetic stand-in"):
        prepare_standin("superglue/nope", tmp_path)


def test_glue_layout_quirks(tmp_path: Path) -> None:
    cola = write_standin("glue/cola", tmp_path, **SIZES)
    first = (cola / "train.tsv").read_text().splitlines()[0].split("\t")
    assert len(first) == 4 and first[1] in ("0", "1") and first[2] in ("", "*")  # no header
    assert (cola / "test.tsv").read_text().startswith("index\tsentence\n")
    mrpc = write_standin("glue/mrpc", tmp_path, **SIZES)
    assert (mrpc / "train.tsv").read_text(encoding="utf-8-sig").startswith(
        "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n")
    assert (mrpc / "test.tsv").read_text().startswith("index\t#1 ID\t#2 ID\t#1 String\t#2 String\n")
    mnli = write_standin("glue/mnli", tmp_path, **SIZES)
    assert (mnli / "dev_matched.tsv").is_file() and (mnli / "dev_mismatched.tsv").is_file()
    spec = benchmark_spec("glue/mnli")
    genres = {part: {line.split("\t")[3] for line in (mnli / f"dev_{part}.tsv").read_text().splitlines()[1:]}
              for part in ("matched", "mismatched")}
    assert genres["matched"] and genres["mismatched"] and not genres["matched"] & genres["mismatched"]
    assert "gold_label" not in (mnli / "test_mismatched.tsv").read_text().splitlines()[0]
    assert read_split(spec, tmp_path, "test_mismatched").labeled is False
    ax = write_standin("glue/ax", tmp_path, **SIZES)
    assert sorted(p.name for p in ax.glob("*.tsv")) == ["diagnostic-full.tsv", "diagnostic.tsv"]


def test_span_fields_point_at_their_words(tmp_path: Path) -> None:
    write_standin("superglue/wsc", tmp_path, **SIZES)
    wsc = read_split(benchmark_spec("superglue/wsc"), tmp_path, "dev")
    for ex in wsc.examples:
        words = ex.inputs["text"].split()
        assert words[ex.inputs["span2_index"]] == ex.inputs["span2_text"]
        assert words[ex.inputs["span1_index"]] == ex.inputs["span1_text"].split()[0]
    wic = write_standin("superglue/wic", tmp_path, **SIZES)
    for line in (wic / "val.jsonl").read_text().splitlines():
        row = json.loads(line)
        assert row["sentence1"][row["start1"]:row["end1"]] and row["sentence2"][row["start2"]:row["end2"]]
    squad = read_split(benchmark_spec("squad/v1"), write_standin("squad/v1", tmp_path, **SIZES), "dev")
    for ex in squad.examples:
        assert isinstance(ex.label, tuple)
        start = ex.inputs["answer_starts"][0]
        assert ex.inputs["context"][start:start + len(ex.label[0])] == ex.label[0]


def test_prepare_standin_uses_the_sizes_of_the_stand_ins_task_file(tmp_path: Path) -> None:
    import yaml

    from nlpbench.config import conf_dir

    sizes = yaml.safe_load((conf_dir() / "task/synthetic/superglue/cb.yaml").read_text())["synthetic"]
    folder = prepare_standin("superglue/cb", tmp_path, seed=2)
    spec = benchmark_spec("superglue/cb")
    assert [len(read_split(spec, tmp_path, s)) for s in ("train", "dev", "test")] == \
        [sizes["n_train"], sizes["n_dev"], sizes["n_test"]]
    assert json.loads((folder / ".standin.json").read_text())["seed"] == 2


def test_record_answers_are_passage_entities_the_query_restates(tmp_path: Path) -> None:
    write_standin("superglue/record", tmp_path, seed=1, **SIZES)
    spec = benchmark_spec("superglue/record")
    dev = read_split(spec, tmp_path, "dev")
    for ex in dev.examples:
        assert isinstance(ex.label, tuple) and ex.label
        assert len(ex.inputs["entities"]) >= 3 and set(ex.label) <= set(ex.inputs["entities"])
        assert ex.inputs["query"].count("@placeholder") == 1
        words = set(ex.inputs["query"].replace("@placeholder", "").rstrip(".").split()) - {"the", "by", "was",
                                                                                           "were", "The"}
        # restates a passage fact (a passive query may use the participle: "grew" -> "grown")
        assert len(words - set(ex.inputs["passage"].replace(".", "").split())) <= 1
    for line in (tmp_path / "ReCoRD" / "val.jsonl").read_text().splitlines():
        row = json.loads(line)
        text = row["passage"]["text"]
        for answer in row["qas"][0]["answers"]:  # inclusive ends, as distributed
            assert text[answer["start"]:answer["end"] + 1] == answer["text"]
    assert all("answers" not in json.loads(line)["qas"][0]
               for line in (tmp_path / "ReCoRD" / "test.jsonl").read_text().splitlines())


def test_axg_pairs_differ_only_in_the_pronoun(tmp_path: Path) -> None:
    write_standin("superglue/axg", tmp_path, seed=2, **{**SIZES, "n_test": 40})
    data = read_split(benchmark_spec("superglue/axg"), tmp_path, "test")
    assert len(data) == 40 and data.labeled
    assert len({ex.label for ex in data.examples}) == 2
    for a, b in zip(data.examples[::2], data.examples[1::2], strict=True):
        assert a.label == b.label and a.inputs["hypothesis"] == b.inputs["hypothesis"]
        wa, wb = a.inputs["premise"].rstrip(".").split(), b.inputs["premise"].rstrip(".").split()
        diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
        assert diff and all({x.lower(), y.lower()} <= GENDERED and x.lower() != y.lower() for x, y in diff)


def test_the_superglue_rte_standin_writes_its_diagnostics_next_to_it(tmp_path: Path) -> None:
    write_standin("superglue/rte", tmp_path, seed=4, **SIZES)
    for task, n in (("superglue/axb", 12), ("superglue/axg", 12)):
        data = read_split(benchmark_spec(task), tmp_path, "test")
        assert len(data) == n and data.labeled
        assert json.loads((tmp_path / benchmark_spec(task).folder / ".standin.json").read_text())["seed"] == 4
    (tmp_path / "AX-g" / ".standin.json").unlink()  # now as if real AX-g files were there: kept
    before = (tmp_path / "AX-g" / "AX-g.jsonl").read_bytes()
    write_standin("superglue/rte", tmp_path, seed=5, **SIZES)
    assert (tmp_path / "AX-g" / "AX-g.jsonl").read_bytes() == before


def _balance(task: str, tmp_path: Path) -> float:
    data = read_split(benchmark_spec(task), tmp_path, "train")
    return sum(int(ex.label) for ex in data.examples) / len(data)  # type: ignore[arg-type]


@pytest.mark.parametrize(("task", "low", "high"), [("glue/wnli", 0.4, 0.6), ("superglue/wic", 0.4, 0.6),
                                                   ("superglue/multirc", 0.35, 0.5)])
def test_redesigned_standins_keep_their_labels_balanced(task: str, low: float, high: float,
                                                        tmp_path: Path) -> None:
    write_standin(task, tmp_path, seed=0, n_train=200, n_dev=4, n_test=4)
    assert low <= _balance(task, tmp_path) <= high


def test_wnli_reason_resolves_the_pronoun(tmp_path: Path) -> None:
    """The one-sided reasons: every reason word explains one role only, so the data are consistent."""
    write_standin("glue/wnli", tmp_path, seed=0, n_train=300, n_dev=4, n_test=4)
    data = read_split(benchmark_spec("glue/wnli"), tmp_path, "train")
    verdicts: dict[tuple[str, bool], set[int]] = {}
    for ex in data.examples:
        reason = ex.inputs["sentence2"].rstrip(".").split()[-1]
        names_agent = ex.inputs["sentence1"].split()[0] == ex.inputs["sentence2"].split()[0]
        verdicts.setdefault((reason, names_agent), set()).add(int(ex.label))  # type: ignore[arg-type]
    assert all(len(v) == 1 for v in verdicts.values())


def test_multirc_right_options_are_named_in_the_questions_sentence(tmp_path: Path) -> None:
    """Right options are names of the sentence the question restates; wrong ones a name and things
    ("The kettle") that the passage lacks."""
    from nlpbench.data.synthetic import lexicon as lx

    write_standin("superglue/multirc", tmp_path, seed=0, n_train=50, n_dev=4, n_test=4)
    data = read_split(benchmark_spec("superglue/multirc"), tmp_path, "train")
    assert len({ex.group for ex in data.examples}) == 100  # two questions a passage
    for ex in data.examples:
        verb_phrase = ex.inputs["question"].removeprefix("Who ").rstrip("?")
        sentence = next(s for s in ex.inputs["paragraph"].split("<br>") if verb_phrase in s)
        assert (ex.inputs["answer"] in sentence) == bool(ex.label)
        assert (ex.inputs["answer"] in ex.inputs["paragraph"]) == bool(ex.label)
        answer = ex.inputs["answer"]
        assert answer.startswith("The ") == (not ex.label and answer not in lx.NAMES)
    for group in {ex.group for ex in data.examples}:  # one wrong name a question, the other wrong are things
        options = [ex for ex in data.examples if ex.group == group]
        assert sum(not ex.label and ex.inputs["answer"] in lx.NAMES for ex in options) == 1
    from nlpbench.tasks.standins.common import pre_tokens

    assert max(pre_tokens(" ".join(ex.inputs.values())) for ex in data.examples) < 50  # fits in 64


def test_wic_sense_shows_in_the_collocate_next_to_the_word(tmp_path: Path) -> None:
    """Each sense has its own collocates; the label says whether the two sentences' are one sense's."""
    from nlpbench.data.synthetic import lexicon as lx
    from nlpbench.data.synthetic.views import lexicon_view
    from nlpbench.tasks.standins.superglue import sense_collocates

    owner: dict[str, str] = {}
    with lexicon_view("seen"):  # the training split's collocates (dev and test: the unseen half's)
        for senses in lx.polysemous_words().values():
            for sense in senses:
                for c in sense_collocates(*sense):
                    assert c not in owner, (c, owner.get(c), sense)  # no two senses share a collocate
                    owner[c] = sense[1]
    write_standin("superglue/wic", tmp_path, seed=0, n_train=300, n_dev=4, n_test=4)
    data = read_split(benchmark_spec("superglue/wic"), tmp_path, "train")
    raw = [json.loads(line) for line in (tmp_path / "WiC" / "train.jsonl").read_text().splitlines()]
    shared = 0
    for ex, row in zip(data.examples, raw, strict=True):
        found = []
        for k in ("1", "2"):
            text, start, end = row[f"sentence{k}"], row[f"start{k}"], row[f"end{k}"]
            assert text[start:end].startswith(row["word"][:2])  # the word (or its inflection: caught)
            collocate = text.split()[1]  # "The <collocate> <word> ..." / "The <collocate> was <word> ..."
            assert owner[collocate].split("/")[0] == row["word"]
            assert collocate in text[:start].split()[-2:]  # at most one word before it
            found.append(collocate)
        assert (owner[found[0]] == owner[found[1]]) == bool(ex.label), row
        shared += found[0] == found[1]
    assert 0.15 < shared / len(raw) < 0.35  # same sense: the very same collocate half the time


def test_changed_builders_regenerate_old_files(tmp_path: Path) -> None:
    folder = write_standin("superglue/wic", tmp_path, seed=0, **SIZES)
    manifest = json.loads((folder / ".standin.json").read_text())
    assert manifest["revision"] >= 3
    del manifest["revision"]  # as written by the first WiC builder
    (folder / ".standin.json").write_text(json.dumps(manifest))
    (folder / "val.jsonl").write_text("stale\n")
    write_standin("superglue/wic", tmp_path, seed=0, **SIZES)
    assert len(read_split(benchmark_spec("superglue/wic"), tmp_path, "dev")) == 24


def test_squad_v2_unanswerable_shares_follow_squad_2() -> None:
    """A third of the training questions and half of the dev questions have no answer."""
    from nlpbench.tasks.standins import Sizes

    files = standin_files("squad/v2", 0, Sizes(600, 400, 0))
    share = {}
    for name, text in files.items():
        questions = [q for a in json.loads(text)["data"] for p in a["paragraphs"] for q in p["qas"]]
        share[name] = sum(q["is_impossible"] for q in questions) / len(questions)
    assert 0.28 < share["train-v2.0.json"] < 0.39 and 0.44 < share["dev-v2.0.json"] < 0.56, share


def test_a_stand_in_without_a_transfer_split_is_refused_before_any_work(tmp_path: Path) -> None:
    """dev is where a stand-in measures transfer (it rests on the unseen half of the lexicon)."""
    from nlpbench.config import compose_config
    from nlpbench.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=synthetic/superglue/copa", "task.synthetic.n_dev=0",
                                    f"paths.data_dir={tmp_path}"])
    [problem] = err.value.problems
    assert problem.key == "task.synthetic.n_dev" and ">= 10" in problem.message
    assert problem.fix == "task.synthetic.n_dev=<value >= 10>"
    assert not any(tmp_path.iterdir())
