"""The multi-node path: a sweep joins an existing Ray cluster (ray.cluster_utils.Cluster, several
simulated nodes on this machine); a node removed mid-sweep loses its trial, which is recorded and
retried on another node from its last checkpoint. Slow: starts a cluster and trains for real."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from nlpbench.records import open_store
from tests.conftest import NLPBENCH

pytestmark = pytest.mark.slow


def test_a_node_removed_mid_sweep_has_its_trial_retried_elsewhere(tmp_path: Path) -> None:
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})  # trials only on workers
    nodes = [cluster.add_node(num_cpus=1) for _ in range(3)]
    cluster.wait_for_nodes()
    try:
        env = {**os.environ, "NLPBENCH_HOME": str(tmp_path), "WANDB_MODE": "offline", "COLUMNS": "200"}
        args = ("sweep", "sweep=lr_grid", "sweep.seeds=[0]", "sweep.max_concurrent=2", "sweep.max_failures=2",
                f"sweep.ray.address={cluster.address}", "sweep.space.optim.lr={grid: [1.0e-4, 5.0e-4]}",
                "task.synthetic.n_train=320", "task.synthetic.n_dev=32", "task.synthetic.n_test=8",
                "trainer.max_epochs=3", "trainer.batch_size=16")
        driver = subprocess.Popen([*NLPBENCH, *args], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 900
        while not list((tmp_path / "outputs" / "sweeps").glob("*/*/checkpoint_*/fit.ckpt")):
            assert driver.poll() is None, driver.stdout.read() if driver.stdout else ""
            assert time.monotonic() < deadline
            time.sleep(0.5)
        time.sleep(1.5)  # the checkpoint is registered with Tune
        busy = [n for n in nodes if _runs_a_trial(n)]
        assert busy, "no worker node runs a trial"
        cluster.remove_node(busy[0], allow_graceful=False)  # the node is lost
        out, _ = driver.communicate(timeout=1200)
        assert driver.returncode == 0, out
    finally:
        cluster.shutdown()

    records = open_store(f"sqlite:///{tmp_path}/results/records.sqlite").query()
    ok = [r for r in records if r.status == "ok"]
    lost = [r for r in records if r.status == "failed"]
    assert len(ok) == 2 and len({r.command for r in ok}) == 2, [(r.status, r.error) for r in records]
    assert len(lost) == 1 and lost[0].artifacts["recorded_by"] == "sweep driver", [r.error for r in lost]
    retried = next(r for r in ok if r.command == lost[0].command)
    assert "resumed_from" in retried.artifacts  # continued from its checkpoint on another node


def _runs_a_trial(node: object) -> bool:
    """Whether a Tune trial's worker process lives under this node's raylet."""
    import psutil

    raylet = psutil.Process(node.all_processes["raylet"][0].process.pid)  # type: ignore[attr-defined]
    return any("Trainable" in " ".join(p.cmdline()) for p in raylet.children(recursive=True))
