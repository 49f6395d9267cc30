"""An interrupted stage (SIGINT or SIGKILL) leaves nothing where the next stage would read it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import yaml

from nlpbench.config.params import render_params
from tests.conftest import REPO


def _default_sigint() -> None:
    """A test run launched in the background inherits an ignored SIGINT; the stage must see Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_corpus_stage_leaves_no_output(tmp_path: Path, sig: signal.Signals) -> None:
    params = yaml.safe_load(render_params())
    params["corpora"]["synthetic"]["n_documents"] = 2_000_000  # long enough to be interrupted
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    proc = subprocess.Popen([sys.executable, str(REPO / "pipelines" / "corpus.py"), "synthetic"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "120"}, preexec_fn=_default_sigint)
    target = tmp_path / "data" / "corpora"
    deadline = time.monotonic() + 120
    while not list(target.glob(".synthetic.*")):  # the stage's scratch folder: work has begun
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        assert time.monotonic() < deadline, "the corpus stage made no scratch folder in 120 s"
        time.sleep(0.1)
    time.sleep(1.0)  # generating, well before the 2,000,000 documents are done
    assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
    workers = psutil.Process(proc.pid).children(recursive=True)  # the generating pool
    assert workers, "the corpus stage generates with num_proc >= 2"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    _, alive = psutil.wait_procs(workers, timeout=30)  # none outlives its stage
    assert not alive, [p.cmdline() for p in alive]
    assert not (target / "synthetic").exists()
    leftovers = list(target.glob(".*"))
    if sig == signal.SIGINT:  # a clean interrupt also removes its staging folder
        assert leftovers == []
    else:  # SIGKILL cannot clean up, but the scratch folder is hidden and never read
        assert leftovers and all(p.name.startswith(".synthetic.") for p in leftovers), leftovers
