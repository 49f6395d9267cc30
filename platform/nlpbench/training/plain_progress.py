"""Progress of training when stdout is not a terminal: a plain, flushed line at a fixed interval."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import lightning as L

from nlpbench.progress import stdout_is_terminal


class PlainProgress(L.Callback):
    """Every ``every_s`` seconds of training, and where training ends, one line on ``out``:
    step of total, training loss, tokens (or steps) per second, elapsed time and ETA.

    Lightning's progress bar redraws one line in place, and into a log file, a pipe or a Ray worker's
    log it is block-buffered: such a log stays silent for minutes. This line is flushed at once."""

    def __init__(self, every_s: float = 30.0, out: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s, self.out, self.clock = every_s, out, clock
        self.start = self.last = 0.0
        self.start_step, self.start_tokens, self.said_step = 0, 0, -1

    def on_train_start(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        self.start = self.last = self.clock()
        self.start_step = trainer.global_step  # a resumed run counts its speed from here
        self.start_tokens = int(getattr(pl_module, "tokens_seen", 0))

    def on_train_batch_end(self, trainer: L.Trainer, pl_module: L.LightningModule, outputs: Any,
                           batch: Any, batch_idx: int) -> None:
        now = self.clock()
        if now - self.last >= self.every_s:
            self.last = now
            self._say(trainer, pl_module, now)

    def on_train_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if trainer.global_step != self.said_step:
            self._say(trainer, pl_module, self.clock())

    def _say(self, trainer: L.Trainer, pl_module: L.LightningModule, now: float) -> None:
        step, total = trainer.global_step, _total_steps(trainer)
        self.said_step = step
        elapsed = max(now - self.start, 1e-9)
        done = step - self.start_step
        parts = [f"step {step}/{total}" if total else f"step {step}"]
        loss = trainer.callback_metrics.get("train/loss")
        if loss is not None:
            parts.append(f"loss {float(loss):.4g}")
        tokens = int(getattr(pl_module, "tokens_seen", 0)) - self.start_tokens
        parts.append(f"{tokens / elapsed:,.0f} tokens/s" if tokens > 0 else f"{done / elapsed:.2f} steps/s")
        parts.append(f"elapsed {_clock(elapsed)}")
        if total and done > 0 and step < total:
            parts.append(f"eta {_clock((total - step) * elapsed / done)}")
        out = self.out or sys.stdout
        print("progress: " + " · ".join(parts), file=out, flush=True)


def _total_steps(trainer: L.Trainer) -> int | None:
    if trainer.max_steps and trainer.max_steps > 0:
        return int(trainer.max_steps)
    try:
        total = trainer.estimated_stepping_batches
    except Exception:  # noqa: BLE001 - a loader without a length: no total, no ETA
        return None
    return int(total) if total != float("inf") else None


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def progress_callbacks(enabled: bool, every_s: float = 30.0) -> list[L.Callback]:
    """The plain progress line where a progress bar is wanted but stdout is no terminal."""
    return [PlainProgress(every_s)] if enabled and not stdout_is_terminal() else []
