"""A Tune callback on the driver that records trial attempts which died without a record of their own."""

from __future__ import annotations

from typing import Any

from ray.tune import Callback

from nlpbench.records.model import utc_now
from nlpbench.tuning.trial import TrialContext, command_of, job_runner

KILLED = ("killed: the trial's process died without reporting an error (the operating system's "
          "out-of-memory killer, SIGKILL, or a lost node)")
OUTSIDE = "failed outside the run (Ray could not start or restore the trial)"


class RecordDeadTrials(Callback):
    """A trial that raises (or whose loss turns NaN) records itself as failed. One whose process is
    killed cannot: on each failed attempt this callback appends a failed record for it, unless the
    attempt already wrote one, so every attempt of every trial is in the store."""

    def __init__(self, context: TrialContext) -> None:
        self.context = context
        self.started: dict[str, str] = {}

    def on_trial_start(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
        self.started[trial.trial_id] = utc_now()

    def on_trial_recover(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
        self._record_if_silent(trial)

    def on_trial_error(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
        self._record_if_silent(trial)

    def _record_if_silent(self, trial: Any) -> None:
        import os

        from nlpbench.config import compose_config
        from nlpbench.records import open_store

        os.environ.update(dict(self.context.env))
        job = self.context.job
        overrides = self.context.overrides(trial.config)
        composed = compose_config(job, overrides)
        store = open_store(composed.typed.records.url)
        since = self.started.pop(trial.trial_id, None)
        command = command_of(overrides, job)
        if any(r.command == command for r in store.query(group=self.context.group, since=since)):
            return  # the attempt recorded itself (a Python error, a NaN loss)
        died, text = _ray_error(trial)
        record = job_runner(job).failed_record(composed, f"{KILLED if died else OUTSIDE}; Ray: {text}")
        record.artifacts["recorded_by"] = "sweep driver"
        store.append(record)


def _ray_error(trial: Any) -> tuple[bool, str]:
    """(whether the trial's process died, the last exception line of Ray's error file for it)."""
    import re
    from pathlib import Path

    path = getattr(trial, "error_file", None)
    if not path or not Path(path).is_file():
        return True, "no error file"
    text = Path(path).read_text(errors="replace")
    attempts = text.split("Failure # ")
    last = attempts[-1]  # the file accumulates one block per failed attempt
    exceptions = re.findall(r"^(\w*(?:Error|Exception)\b.*)$", last, flags=re.MULTILINE)
    line = (exceptions[-1] if exceptions else last.strip().splitlines()[-1]).strip()[:300]
    died = bool(re.search(r"ActorDied|died unexpectedly|SIGKILL|killed|WorkerCrashed|NodeDied", last))
    return died, line
