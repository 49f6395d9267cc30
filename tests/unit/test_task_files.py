"""Tasks as data: every conf/task/**.yaml holds its spec, TASKS indexes those files, a new task of an
existing kind is one YAML file, and a broken task file is a clear error naming the file and field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nlpbench.config import compose_config, conf_dir
from nlpbench.errors import ConfigError, DataError
from nlpbench.tasks import TASKS
from nlpbench.tasks.spec_files import task_files, task_registry

RTE_COPY = """\
# a user's own entailment task in the GLUE RTE layout
name: mine/entail
source: local
data_dir: ???
synthetic: null
hub: {path: null, name: null, revision: null}
spec:
  summary: my entailment task (accuracy) from ENTAIL/*.tsv
  benchmark: mine
  file_format: glue_tsv
  kind: classification
  folder: ENTAIL
  split_files: {train: train.tsv, dev: dev.tsv, test: test.tsv}
  inputs: [premise, hypothesis]
  labels: [entailment, not_entailment]
  metrics: [accuracy]
  headline: accuracy
  submissions: {test: ENTAIL.tsv}
"""


def _conf_with(tmp_path: Path, name: str, text: str) -> Path:
    conf = tmp_path / "conf"
    shutil.copytree(conf_dir(), conf)
    path = conf / "task" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return conf


def test_every_task_file_is_registered_and_every_task_has_a_file() -> None:
    files = task_files(conf_dir())
    assert sorted(files) == TASKS.names()
    for name, path in files.items():
        assert TASKS.get(name).target == str(path)
        spec = TASKS.load(name)
        assert spec.name == TASKS.get(name).meta.get("standin_of", name)
        assert TASKS.get(name).meta["headline"] == spec.headline


def test_a_stand_in_shares_its_real_tasks_spec_and_is_listed_under_synthetic() -> None:
    entry = TASKS.get("synthetic/glue/mrpc")
    assert TASKS.load("synthetic/glue/mrpc") is TASKS.load("glue/mrpc")
    assert entry.meta["benchmark"] == "synthetic" and entry.meta["standin_of"] == "glue/mrpc"
    assert TASKS.load("glue/mrpc").inputs == ("#1 String", "#2 String")
    assert TASKS.get("glue/ax").meta["model_task"] == "glue/mnli"


def test_the_spec_block_is_not_part_of_a_runs_config() -> None:
    raw = compose_config("finetune", ["task=synthetic/glue/rte"]).raw
    assert "spec" not in raw["task"] and raw["task"]["name"] == "synthetic/glue/rte"


def test_overriding_a_spec_field_is_refused_with_the_way_to_make_a_new_task() -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=synthetic/glue/rte", "task.spec.headline=f1"])
    assert "conf/task/synthetic/glue/rte.yaml" in str(err.value) and "copy" in str(err.value)


def test_a_diagnostic_set_is_refused_as_a_fine_tuning_task_naming_its_model_task(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=superglue/axb", f"task.data_dir={tmp_path}"])
    assert "superglue/axb" in str(err.value) and "task=superglue/rte" in str(err.value)


def test_a_new_task_of_an_existing_kind_is_one_yaml_file(tmp_path: Path) -> None:
    """Only the new file: nlpbench lists it, validates a run of it and scores its predictions."""
    conf = _conf_with(tmp_path, "mine/entail", RTE_COPY)
    data = tmp_path / "data" / "ENTAIL"
    data.mkdir(parents=True)
    rows = ["index\tpremise\thypothesis\tlabel", "0\ta cat sat .\tan animal sat .\tentailment",
            "1\ta cat sat .\ta dog ran .\tnot_entailment", "2\tit rained .\tit was wet .\tentailment"]
    for split in ("train", "dev"):
        (data / f"{split}.tsv").write_text("\n".join(rows) + "\n")
    (tmp_path / "pred.tsv").write_text("index\tprediction\n0\tentailment\n1\tentailment\n2\tentailment\n")
    env = {**os.environ, "NLPBENCH_CONF": str(conf), "NLPBENCH_HOME": str(tmp_path / "home")}
    nlpbench = [str(Path(sys.executable).parent / "nlpbench")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*nlpbench, *args], env=env, capture_output=True, text=True, timeout=300)

    listed = run("ls", "tasks")
    assert listed.returncode == 0 and "mine/entail" in listed.stdout
    valid = run("validate", "finetune", "task=mine/entail", f"task.data_dir={tmp_path / 'data'}")
    assert valid.returncode == 0, valid.stderr
    scored = run("score", "mine/entail", "--gold", str(data / "dev.tsv"), "--predictions",
                 str(tmp_path / "pred.tsv"))
    assert scored.returncode == 0, scored.stderr
    from sklearn.metrics import accuracy_score

    expected = accuracy_score(["entailment", "not_entailment", "entailment"], ["entailment"] * 3)
    assert json.loads(scored.stdout)["score"] == pytest.approx(expected)


@pytest.mark.parametrize(("change", "message"), [
    (("  headline: accuracy\n", "  headlin: accuracy\n"),
     "unknown field 'spec.headlin'; did you mean 'spec.headline'"),
    (("  kind: classification\n", "  kind: clasification\n"),
     "spec.kind is 'clasification'; expected one of"),
    (("  inputs: [premise, hypothesis]\n", "  inputs: premise\n"), "spec.inputs must be a list"),
    (("  metrics: [accuracy]\n", ""), "spec needs the field(s) ['spec.metrics']"),
    (("spec:\n", "specs:\n"), "field 'spec' is missing"),
])
def test_a_broken_task_file_names_the_file_and_the_field(tmp_path: Path, change: tuple[str, str],
                                                          message: str) -> None:
    conf = _conf_with(tmp_path, "mine/entail", RTE_COPY.replace(*change))
    with pytest.raises(DataError) as err:
        task_registry(conf).load("mine/entail")
    assert str(conf / "task" / "mine" / "entail.yaml") in str(err.value)
    assert message in str(err.value)


def test_a_stand_in_of_a_task_without_a_file_is_refused(tmp_path: Path) -> None:
    conf = _conf_with(tmp_path, "synthetic/mine/x", "name: synthetic/mine/x\nsource: synthetic\n"
                      "spec: {standin_of: mine/x}\n")
    with pytest.raises(DataError, match="spec.standin_of names 'mine/x', which has no task file"):
        task_registry(conf)


def test_a_broken_task_file_is_a_clear_cli_error_not_a_traceback(tmp_path: Path) -> None:
    conf = _conf_with(tmp_path, "mine/entail", RTE_COPY.replace("spec:\n", "spec: [\n"))
    env = {**os.environ, "NLPBENCH_CONF": str(conf), "NLPBENCH_HOME": str(tmp_path / "home")}
    done = subprocess.run([str(Path(sys.executable).parent / "nlpbench"), "ls", "tasks"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "mine/entail.yaml" in done.stderr
