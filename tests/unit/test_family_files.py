"""Model families as data: a conf/model/<family>.yaml with a family_spec block defines a family; its
transformers classes are derived from the prefix; a new family of an existing architecture is one
YAML file; a broken family file is a clear error naming the file and field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nlpbench.catalog import MODELS
from nlpbench.config import compose_config, conf_dir
from nlpbench.errors import ConfigError, DataError
from nlpbench.models.family_files import family_registry, load_family


def _conf_with(tmp_path: Path, name: str, text: str) -> Path:
    conf = tmp_path / "conf"
    shutil.copytree(conf_dir(), conf)
    (conf / "model" / f"{name}.yaml").write_text(text)
    return conf


def _copy_of_bert(name: str) -> str:
    text = (conf_dir() / "model" / "bert.yaml").read_text()
    return text.replace("family: bert\n", f"family: {name}\n").replace("name: bert_${model.size}",
                                                                         f"name: {name}_${{model.size}}")


def test_classes_are_derived_from_the_prefix_with_the_files_own_heads() -> None:
    bert = MODELS.load("bert")
    assert bert.config_class == "BertConfig" and bert.tokenizer == "wordpiece"
    assert bert.heads["mlm"] == "BertForMaskedLM" and bert.heads["pair"] == "BertForPreTraining"
    gpt2 = MODELS.load("gpt2")
    assert "mlm" not in gpt2.heads  # transformers has no GPT2ForMaskedLM
    assert gpt2.heads["clm"] == "GPT2LMHeadModel"
    bart = MODELS.load("bart")
    assert "encoder" not in bart.heads  # the file removes the derived BartModel (heads: {encoder: null})
    assert dict(MODELS.load("t5").extra_ids) == {"decoder_start_token_id": "pad_token_id"}


def test_every_family_file_is_registered_under_its_file_name() -> None:
    defined = sorted(p.stem for p in (conf_dir() / "model").glob("*.yaml") if "family_spec:" in p.read_text())
    assert defined == sorted(e.name for e in MODELS if e.meta["kind"] != "any")
    assert "family_spec" not in compose_config("finetune", ["model=bert_tiny"]).raw["model"]


def test_overriding_a_family_spec_field_is_refused() -> None:
    with pytest.raises(ConfigError, match="conf/model/bert.yaml and cannot be overridden"):
        compose_config("finetune", ["model=bert_tiny", "model.family_spec.prefix=Roberta"])


def test_a_new_family_of_an_existing_architecture_is_one_yaml_file(tmp_path: Path) -> None:
    conf = _conf_with(tmp_path, "mybert", _copy_of_bert("mybert"))
    registry = family_registry(conf)
    family = registry.load("mybert")
    assert family.name == "mybert" and family.heads == MODELS.load("bert").heads
    env = {**os.environ, "NLPBENCH_CONF": str(conf), "NLPBENCH_HOME": str(tmp_path / "home")}
    nlpbench = str(Path(sys.executable).parent / "nlpbench")
    listed = subprocess.run([nlpbench, "ls", "models"], env=env, capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0 and "mybert" in listed.stdout
    valid = subprocess.run([nlpbench, "validate", "pretrain", "model=mybert", "objective=mlm_dynamic"],
                           env=env, capture_output=True, text=True, timeout=300)
    assert valid.returncode == 0, valid.stderr


@pytest.mark.parametrize(("change", "message"), [
    (("  prefix: Bert\n", "  prefx: Bert\n"),
     "unknown field 'family_spec.prefx'; did you mean 'family_spec.prefix'"),
    (("  kind: encoder\n", "  kind: encodr\n"), "family_spec.kind is 'encodr'"),
    (("family: mybert\n", "family: bert\n"), "defines family 'mybert'; set family: mybert"),
])
def test_a_broken_family_file_names_the_file_and_field(tmp_path: Path, change: tuple[str, str],
                                                       message: str) -> None:
    conf = _conf_with(tmp_path, "mybert", _copy_of_bert("mybert").replace(*change))
    with pytest.raises(DataError) as err:
        family_registry(conf)
    assert str(conf / "model" / "mybert.yaml") in str(err.value) and message in str(err.value)


def test_a_prefix_transformers_lacks_is_refused_when_the_family_is_used(tmp_path: Path) -> None:
    text = _copy_of_bert("mybert").replace("  prefix: Bert\n", "  prefix: Bret\n")
    conf = _conf_with(tmp_path, "mybert", text)
    with pytest.raises(DataError, match="transformers has no BretConfig; check family_spec.prefix"):
        load_family(str(conf / "model" / "mybert.yaml"))
