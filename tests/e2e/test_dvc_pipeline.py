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


@pytest.mark.slow
def test_repro_cold_then_warm_then_targeted(checkout: Path) -> None:
    dvc = str(Path(sys.executable).parent / "dvc")
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
    assert any(k.startswith("checkpoint=bert_mlm_dynamic task=synthetic/glue/rte") for k in swept["trials"])
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
