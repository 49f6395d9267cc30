"""`dvc repro` from a clean copy of the repository: cold run, no-op warm run, targeted reruns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO


def _sh(*cmd: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "WANDB_MODE": "offline", "DVC_NO_ANALYTICS": "1"}
    env.pop("NLPBENCH_HOME", None)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree as a fresh git repository (tracked and untracked-but-not-ignored files)."""
    dest = tmp_path_factory.mktemp("checkout")
    files = _sh("git", "ls-files", "-co", "--exclude-standard", cwd=REPO).stdout.split()
    for name in files:
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    for cmd in (("git", "init", "-q"), ("git", "add", "-A"),
                ("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")):
        assert _sh(*cmd, cwd=dest).returncode == 0
    return dest


SMALL_SWEEP = """name: glue_standins
job: finetune
base: [model=bert_tiny, logger=none, trainer.enable_progress_bar=false, trainer.max_epochs=1,
       task.synthetic.n_train=200, task.synthetic.n_dev=100, task.synthetic.n_test=20]
space:
  model.checkpoint: {grid: [null, "${paths.output_dir}/dvc/pretrain/bert_mlm_dynamic/checkpoint"]}
  task: {grid: [synthetic/glue/sst2, synthetic/glue/qnli]}
seeds: [0]
metric: accuracy
mode: max
search: grid
max_concurrent: 2
resources: {cpus: 1, gpus: 0}
ray: {address: null, num_cpus: 2}
"""


def _shrink(checkout: Path) -> None:
    """The main job's graph at a machinery-check size: a small corpus, short pretraining, a 2 x 2
    sweep (the real sizes take the main job's 20 minutes; this test checks the graph, not the science)."""
    params = yaml.safe_load((checkout / "params.yaml").read_text())
    params["corpora"]["synthetic"]["n_documents"] = 3000
    for entry in params["pretrain"].values():
        entry["max_steps"] = 30
        entry["overrides"] = [*entry.get("overrides", []), "corpus.n_documents=3000",
                              "trainer.val_every_n_steps=0"]
    (checkout / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    (checkout / "conf" / "sweep" / "glue_standins.yaml").write_text(SMALL_SWEEP)
    commit = ("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "small")
    for cmd in (("git", "add", "-A"), commit):
        assert _sh(*cmd, cwd=checkout).returncode == 0


@pytest.mark.slow
def test_repro_cold_then_warm_then_targeted(checkout: Path) -> None:
    dvc = str(Path(sys.executable).parent / "dvc")
    _shrink(checkout)
    start = time.perf_counter()
    cold = _sh(dvc, "repro", cwd=checkout)
    cold_s = time.perf_counter() - start
    assert cold.returncode == 0, cold.stdout[-4000:] + cold.stderr[-4000:]
    for out in ("data/corpora/synthetic/manifest.json", "data/corpora/pydocs/manifest.json",
                "data/tokenizers/unigram/tokenizer.json", "data/reports/tokenizers.md",
                "data/pretraining/doc_sentences/manifest.json", "results/slice/metrics.json",
                "results/sweep/metrics.json"):
        assert (checkout / out).is_file(), out
    swept = json.loads((checkout / "results" / "sweep" / "metrics.json").read_text())
    assert len(swept["trials"]) == 4 and all(0 <= v <= 1 for v in swept["trials"].values()), swept
    assert any(k.startswith("checkpoint=bert_mlm_dynamic task=synthetic/glue/qnli") for k in swept["trials"])
    assert any(k.startswith("checkpoint=none task=synthetic/glue/sst2") for k in swept["trials"])
    board = json.loads((checkout / "leaderboards" / "pretraining" / "table.json").read_text())
    labels = [row["label"] for row in board["rows"]]
    assert len(labels) == 2 and any("random init" in label for label in labels), labels
    assert list((checkout / "outputs" / "wandb").glob("offline-run-*")), "the board stage logs to W&B offline"
    assert "corpus synthetic:" in cold.stdout  # each stage ends with its summary paragraph

    start = time.perf_counter()
    warm = _sh(dvc, "repro", cwd=checkout)
    warm_s = time.perf_counter() - start
    assert warm.returncode == 0
    assert "Data and pipelines are up to date" in warm.stdout, warm.stdout
    print(f"\ncold dvc repro {cold_s:.1f}s, warm dvc repro {warm_s:.1f}s")

    params = yaml.safe_load((checkout / "params.yaml").read_text())
    params["corpora"]["pydocs"]["min_sentences"] = 3
    params["tokenizers"]["bpe"]["vocab_size"] = 1500
    (checkout / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    status = _sh(dvc, "status", "--json", cwd=checkout)

    changed = set(json.loads(status.stdout))
    assert changed == {"corpus@pydocs", "tokenizer@bpe", "tokenizer_report"}, changed
