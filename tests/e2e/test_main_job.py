"""`make run`'s main job, as a user runs it: the CLI on the full offline default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.records import open_store
from tests.conftest import run_cli


@pytest.mark.slow
def test_default_slice_from_the_cli(home: Path) -> None:
    result = run_cli("finetune", "model=bert_tiny", "task=synthetic/sst2", "seed=0",
                     env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "finetune ok" in result.stdout
    # into a pipe, progress is plain lines (a bar redrawn in place would be buffered there)
    assert any(line.startswith("progress: step") for line in result.stdout.splitlines()), result.stdout
    (record,) = open_store(f"sqlite:///{home}/results/records.sqlite").query()
    assert record.status == "ok" and record.headline_value is not None
    assert record.headline_value >= 0.75  # the generated task is learnable by the tiny model
    shown = run_cli("runs", "show", record.id)
    assert shown.returncode == 0 and record.id in shown.stdout
    config = json.loads(json.dumps(record.config))
    assert config["logger"]["mode"] == "offline"
    assert any(Path(record.artifacts["wandb_dir"]).glob("*.wandb"))
