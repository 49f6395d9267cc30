"""One Tune trial: compose the trial's `nlpbench finetune` config and call the finetune runner."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from typing import Any

from nlpbench.tuning.space import Dimension, trial_overrides


@dataclass(frozen=True)
class TrialContext:
    """What every trial of a sweep shares (pickled to Ray workers)."""

    base: tuple[str, ...]
    dims: tuple[Dimension, ...]
    group: str
    metric: str
    env: tuple[tuple[str, str], ...]

    def overrides(self, config: dict[str, Any]) -> list[str]:
        return trial_overrides(list(self.base), list(self.dims), config["params"], int(config["seed"]),
                               self.group)


def command_of(overrides: list[str]) -> str:
    """The command line the finetune runner records; it reproduces the trial alone."""
    return shlex.join(["nlpbench", "finetune", *overrides])


def run_trial(config: dict[str, Any], context: TrialContext) -> None:
    """Tune's function trainable: skip a trial whose ok record exists (a resumed sweep), else run it,
    continuing from the trial's last checkpoint when Tune restarts it (a crash, a resumed driver,
    PBT's exploit of another trial)."""
    import tempfile
    from pathlib import Path

    from ray import tune

    from nlpbench.config import compose_config
    from nlpbench.records import open_store
    from nlpbench.runners.finetune import finetune
    from nlpbench.tuning.callback import CHECKPOINT_FILE, TuneReporter

    os.environ.update(dict(context.env))  # paths and conf/ as the driver resolved them
    overrides = context.overrides(config)
    composed = compose_config("finetune", overrides)
    command = command_of(overrides)
    done = [r for r in open_store(composed.typed.records.url).query(group=context.group, status="ok")
            if r.command == command]
    if done:
        record = done[0]  # newest first
        tune.report({**{m.name: m.value for m in record.metrics if m.split == "dev"},
                     "record_id": record.id, "reused": True})
        return
    checkpoint = tune.get_checkpoint()
    if checkpoint is None:
        finetune(composed, callbacks=[TuneReporter()])
        return
    local = Path(checkpoint.path) / CHECKPOINT_FILE  # the sweep's own storage, when on this machine
    if local.is_file():
        finetune(composed, callbacks=[TuneReporter()], resume_from=local)
        return
    with tempfile.TemporaryDirectory(prefix="nlpbench-resume-") as folder:  # remote storage
        checkpoint.to_directory(folder)
        finetune(composed, callbacks=[TuneReporter()], resume_from=Path(folder) / CHECKPOINT_FILE)
