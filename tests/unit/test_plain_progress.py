"""Tests for the plain progress line of training into a log or a pipe (nlpbench.training.plain_progress)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest


class _Clock:
    def __init__(self, step_s: float) -> None:
        self.now, self.step_s = 0.0, step_s

    def __call__(self) -> float:
        self.now += self.step_s
        return self.now


def _fit(tmp_path: Path, every_s: float, max_steps: int) -> list[str]:
    import lightning as L
    from lightning.pytorch.demos.boring_classes import BoringModel

    from nlpbench.training.plain_progress import PlainProgress

    out = io.StringIO()
    progress = PlainProgress(every_s=every_s, out=out, clock=_Clock(10.0))  # 10 s per clock reading
    trainer = L.Trainer(max_steps=max_steps, max_epochs=100, logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, callbacks=[progress],
                        limit_val_batches=0, default_root_dir=str(tmp_path))
    trainer.fit(BoringModel())
    return out.getvalue().splitlines()


def test_a_line_every_interval_and_one_where_training_ends(tmp_path: Path) -> None:
    lines = _fit(tmp_path, every_s=30.0, max_steps=7)
    # the clock reads 10 at the start and +10 per batch: 30 s have passed after batches 3 and 6
    assert [re.search(r"step (\d+)/7", line).group(1) for line in lines] == ["3", "6", "7"]  # type: ignore[union-attr]
    first = lines[0]
    assert first.startswith("progress: step 3/7") and "steps/s" in first
    assert "elapsed 0m30s" in first and "eta 0m40s" in first  # 3 steps in 30 s, 4 to go
    assert [line[:18] for line in _fit(tmp_path, every_s=30.0, max_steps=6)] == [
        "progress: step 3/6", "progress: step 6/6"]  # the end is said once
    assert "eta" not in lines[-1]  # finished


def test_no_line_on_a_terminal_and_none_when_the_bar_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpbench.training import plain_progress

    monkeypatch.setattr(plain_progress, "stdout_is_terminal", lambda: True)
    assert plain_progress.progress_callbacks(True) == []
    monkeypatch.setattr(plain_progress, "stdout_is_terminal", lambda: False)
    assert plain_progress.progress_callbacks(False) == []
    [callback] = plain_progress.progress_callbacks(True, every_s=5.0)
    assert callback.every_s == 5.0
