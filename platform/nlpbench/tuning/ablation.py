"""An ablation table's units as Ray Tune trials: one trial = one variant x seed (pretrain, then
fine-tune each column task) calling ``nlpbench.runners.ablate.run_unit``; progress as trials end."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class UnitContext:
    """What every trial shares (pickled to Ray workers): the units and the driver's paths."""

    units: tuple[Any, ...]
    env: tuple[tuple[str, str], ...]


def run_unit_trial(config: dict[str, Any], context: UnitContext) -> None:
    """Tune's function trainable for one unit; reports {task: headline} when the unit is done."""
    from ray import tune

    from nlpbench.runners.ablate import run_unit

    os.environ.update(dict(context.env))
    unit = context.units[int(config["unit"])]
    out = run_unit(unit, say=lambda _line: None)
    metrics = {task.replace("/", "__"): value for task, value in out.items() if isinstance(value, float)}
    errors = {task: value for task, value in out.items() if isinstance(value, str)}
    tune.report({**metrics, "failed_tasks": len(errors), "done": 1})


def run_units(units: Sequence[Any], spec: Any, root: Path, say: Callable[[str], None] = print) -> list[str]:
    """Run ``units`` as trials on local Ray (or ``execution.address``); return the failed units' errors."""
    from ray import tune

    from nlpbench.config import conf_dir
    from nlpbench.tuning.cluster import start_ray

    execution = spec.execution
    start_ray(execution.address, execution.num_cpus)
    env = {"NLPBENCH_HOME": str(root), "NLPBENCH_CONF": str(conf_dir().resolve())}
    if "WANDB_MODE" in os.environ:
        env["WANDB_MODE"] = os.environ["WANDB_MODE"]
    context = UnitContext(units=tuple(units), env=tuple(sorted(env.items())))

    def run_unit(config: dict[str, Any]) -> None:  # FIFO: no scheduler stops a unit part-way
        run_unit_trial(config, context)

    trainable = tune.with_resources(run_unit, {"cpu": execution.cpus, "gpu": execution.gpus})
    storage = root / "outputs" / "ablations"
    name = f"{spec.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    tuner = tune.Tuner(
        trainable,
        param_space={"unit": tune.grid_search(list(range(len(units))))},
        tune_config=tune.TuneConfig(max_concurrent_trials=execution.max_concurrent),
        run_config=tune.RunConfig(name=name, storage_path=str(storage), verbose=0,
                                  failure_config=tune.FailureConfig(max_failures=0),
                                  callbacks=[_progress(units, say)]),
    )
    grid = tuner.fit()
    errors = []
    for i in range(len(grid)):
        result = grid[i]
        if result.error is not None:
            unit = units[int((result.config or {}).get("unit", 0))]
            errors.append(f"{unit.label}: {type(result.error).__name__}: {str(result.error).splitlines()[0]}")
    return errors


def _progress(units: Sequence[Any], say: Callable[[str], None]) -> Any:
    from ray.tune import Callback

    class Progress(Callback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.done = 0
            self.started: dict[str, float] = {}

        def _unit(self, trial: Any) -> Any:
            return units[int(trial.config["unit"])]

        def on_trial_start(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
            self.started[trial.trial_id] = time.perf_counter()
            say(f"  started {self._unit(trial).label}")

        def on_trial_complete(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
            self._end(trial, "done")

        def on_trial_error(self, iteration: int, trials: list[Any], trial: Any, **info: Any) -> None:
            self._end(trial, "FAILED")

        def _end(self, trial: Any, what: str) -> None:
            self.done += 1
            seconds = time.perf_counter() - self.started.get(trial.trial_id, time.perf_counter())
            result = trial.last_result or {}
            shown = " ".join(f"{k.replace('__', '/')}={v:.4f}" for k, v in result.items()
                             if "__" in k and isinstance(v, float))
            label = self._unit(trial).label
            say(f"[{self.done}/{len(units)}] {what} {label} in {seconds:.0f}s {shown}".rstrip())

    return Progress()
