"""One Tune trial: compose the trial's `nlpbench finetune` (or `pretrain`) config and call that runner."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
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
    job: str = "finetune"  # the runner each trial calls: finetune or pretrain

    def overrides(self, config: dict[str, Any]) -> list[str]:
        return trial_overrides(list(self.base), list(self.dims), config["params"], int(config["seed"]),
                               self.group)


def command_of(overrides: list[str], job: str = "finetune") -> str:
    """The command line the job's runner records; it reproduces the trial alone."""
    return shlex.join(["nlpbench", job, *overrides])


def job_runner(job: str) -> Any:
    """The runner module of a sweep's job: ``<job>(composed, callbacks, resume_from)`` and
    ``failed_record(composed, error)``."""
    import importlib

    return importlib.import_module(f"nlpbench.runners.{job}")


def run_trial(config: dict[str, Any], context: TrialContext) -> None:
    """Tune's function trainable: skip a trial whose ok record exists (a resumed sweep), else run it,
    continuing from the trial's last checkpoint when Tune restarts it (a crash, a resumed driver,
    PBT's exploit of another trial)."""
    import tempfile

    from ray import tune

    from nlpbench.config import compose_config
    from nlpbench.records import open_store
    from nlpbench.tuning.callback import CHECKPOINT_FILE, TuneReporter
    from nlpbench.tuning.spec import reported_metrics

    os.environ.update(dict(context.env))  # paths and conf/ as the driver resolved them
    overrides = context.overrides(config)
    composed = compose_config(context.job, overrides)
    command = command_of(overrides, context.job)
    done = [r for r in open_store(composed.typed.records.url).query(group=context.group, status="ok")
            if r.command == command]
    if done:
        record = done[0]  # newest first
        tune.report({**reported_metrics(context.job, record), "record_id": record.id, "reused": True})
        return
    if context.job == "pretrain":
        prepare_shared_data(composed)
    run = getattr(job_runner(context.job), context.job)
    checkpoint = tune.get_checkpoint()
    if checkpoint is None:
        run(composed, callbacks=[TuneReporter()])
        return
    local = Path(checkpoint.path) / CHECKPOINT_FILE  # the sweep's own storage, when on this machine
    if local.is_file():
        run(composed, callbacks=[TuneReporter()], resume_from=local)
        return
    with tempfile.TemporaryDirectory(prefix="nlpbench-resume-") as folder:  # remote storage
        checkpoint.to_directory(folder)
        run(composed, callbacks=[TuneReporter()], resume_from=Path(folder) / CHECKPOINT_FILE)


def prepare_shared_data(composed: Any) -> None:
    """Build a pretraining trial's corpus, tokenizer and examples under a lock on the data cache:
    concurrent trials share its entries, and one must not replace a folder another is reading. The
    runner then finds them built."""
    import fcntl

    from nlpbench.runners.pretrain import load_objective, prepare_data, tokenizer_source

    cfg = composed.typed
    objective = load_objective(cfg)
    lock = Path(cfg.paths.data_dir) / "cache" / ".build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        prepare_data(cfg, cfg.data.format or objective.data_format, tokenizer_source(cfg, objective))
