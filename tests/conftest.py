"""Shared fixtures: an isolated project root per test so nothing writes into the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NLPBENCH = [sys.executable, "-m", "nlpbench.cli.main"]


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh NLPBENCH_HOME: data, outputs and the results store live under it."""
    monkeypatch.setenv("NLPBENCH_HOME", str(tmp_path))
    monkeypatch.setenv("WANDB_MODE", "offline")
    return tmp_path


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the `nlpbench` CLI in a subprocess and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*NLPBENCH, *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the gpu-marked tests where torch sees no CUDA device (CI and this machine)."""
    gpu_items = [item for item in items if item.get_closest_marker("gpu")]
    if not gpu_items:
        return
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU; torch sees none here")
    for item in gpu_items:
        item.add_marker(skip)
