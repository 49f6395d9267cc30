"""params.yaml is composed from conf/pipeline.yaml and validated before any stage works."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlpbench.config import compose_config
from nlpbench.config.params import load_params, render_params, stage_item
from nlpbench.errors import ConfigError, DataError
from tests.conftest import REPO, run_cli


def test_committed_params_yaml_matches_conf() -> None:
    assert (REPO / "params.yaml").read_text() == render_params(), (
        "params.yaml drifted from conf/pipeline.yaml: run `nlpbench params` and commit it")


def test_params_check_command(tmp_path: Path) -> None:
    ok = run_cli("params", "--check", cwd=REPO)
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "params.yaml").write_text("corpora: {}\n")
    stale = run_cli("params", "--check", cwd=tmp_path)
    assert stale.returncode == 1 and "run `nlpbench params`" in stale.stderr


def test_pipeline_problems_are_reported_together() -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("pipeline", ["corpora.synthetic.source=synthetc", "tokenizers.bpe.corpus=wiki",
                                    "tokenizers.unigram.family=sentencepiece",
                                    "pretraining_data.sop.tokenizer=wordpeice"])
    found = {p.key: p.render() for p in err.value.problems}
    assert "Did you mean 'synthetic'?" in found["corpora.synthetic.source"]
    assert "valid choices: pydocs, synthetic" in found["tokenizers.bpe.corpus"]
    assert "valid choices: bpe, byte_bpe, unigram, wordpiece" in found["tokenizers.unigram.family"]
    assert "Did you mean 'wordpiece'?" in found["pretraining_data.sop.tokenizer"]


def test_local_corpus_needs_an_existing_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("pipeline", ["+corpus@corpora.mine=local"])
    assert "required value is missing" in str(err.value) and "corpora.mine.path" in str(err.value)
    with pytest.raises(ConfigError, match=r"corpora.mine.path: '.*nowhere' does not exist"):
        compose_config("pipeline", ["+corpus@corpora.mine=local", f"corpora.mine.path={tmp_path}/nowhere"])
    composed = compose_config("pipeline", ["+corpus@corpora.mine=local", f"corpora.mine.path={tmp_path}"])
    assert composed.typed.corpora["mine"].path == str(tmp_path)


def test_stages_read_params_and_reject_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "params.yaml"
    good.write_text(render_params())
    assert stage_item("corpora", "pydocs", good).source == "pydocs"
    with pytest.raises(ConfigError, match="did you mean 'pydocs'"):
        stage_item("corpora", "pydoc", good)
    bad = yaml.safe_load(good.read_text())
    bad["tokenizers"]["bpe"]["vocab_size"] = "big"
    good.write_text(yaml.safe_dump(bad))
    with pytest.raises(ConfigError, match=r"invalid .*params.yaml"):
        load_params(good)
    with pytest.raises(DataError, match="run `nlpbench params`"):
        load_params(tmp_path / "absent.yaml")
