"""Build and run (or restore) the Ray Tune experiment of a sweep; the only place that starts Ray."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlpbench.errors import DataError
from nlpbench.training.checkpoints import set_aside
from nlpbench.tuning.spec import SweepSpec, lower_is_better
from nlpbench.tuning.trial import TrialContext, command_of, run_trial


@dataclass(frozen=True)
class TrialOutcome:
    """What Tune knows of one trial: its overrides, last reported metrics and error."""

    trial_id: str
    overrides: tuple[str, ...]
    command: str
    params: dict[str, Any]
    seed: int
    metrics: dict[str, Any]
    error: str | None


def trial_context(spec: SweepSpec) -> TrialContext:
    env = {"NLPBENCH_HOME": str(spec.root), "NLPBENCH_CONF": str(spec.conf)}
    if "WANDB_MODE" in os.environ:
        env["WANDB_MODE"] = os.environ["WANDB_MODE"]
    return TrialContext(base=spec.base, dims=spec.dims, group=spec.sweep_id, metric=spec.metric,
                        env=tuple(sorted(env.items())), job=spec.config.job)


def run_tune(spec: SweepSpec) -> tuple[list[TrialOutcome], bool]:
    """Run the sweep's trials on Ray (resuming its experiment when one exists); return the
    outcome of every trial and whether the experiment was resumed."""
    import ray
    from ray import tune

    from nlpbench.tuning.cluster import start_ray
    from nlpbench.tuning.recorder import RecordDeadTrials

    cfg = spec.config
    # snapshot the experiment (which checkpoint each trial reached) every second rather than every
    # 10+ s: a driver killed with SIGKILL then resumes its trials from their latest checkpoints
    os.environ.setdefault("TUNE_GLOBAL_CHECKPOINT_S", "1")
    start_ray(cfg.ray.address, cfg.ray.num_cpus, cfg.ray.num_gpus)
    check_resources(cfg.resources, ray.cluster_resources(), cfg.ray.address)
    context = trial_context(spec)
    trainable = tune.with_resources(_graceful(functools.partial(run_trial, context=context)),
                                    {"cpu": cfg.resources.cpus, "gpu": cfg.resources.gpus})
    path = str(spec.sweep_dir)
    if not cfg.resume and spec.sweep_dir.exists():
        aside = set_aside(spec.sweep_dir)
        print(f"sweep {spec.sweep_id}: sweep.resume=false: its previous Tune folder is set aside as {aside}; "
              "starting afresh", file=sys.stderr)
    tuner = _restored(path, trainable)
    resumed = tuner is not None
    if tuner is None:
        tuner = tune.Tuner(
            trainable,
            param_space=_param_space(spec),
            tune_config=tune.TuneConfig(
                # a scheduler with a metric of its own (ASHA on dev_loss) must not get Tune's too
                **({} if _own_asha_metric(spec) else {"metric": spec.metric, "mode": cfg.mode}),
                num_samples=cfg.num_samples,
                search_alg=_search_alg(spec), scheduler=_scheduler(spec),
                max_concurrent_trials=cfg.max_concurrent if cfg.search != "optuna" else None,
                reuse_actors=True,  # a trial then pays for importing torch and lightning once per worker
            ),
            run_config=tune.RunConfig(
                name=spec.sweep_id, storage_path=str(spec.sweep_dir.parent),
                failure_config=tune.FailureConfig(max_failures=cfg.max_failures), verbose=1,
                # PBT's exploit restores another trial's older checkpoints: keep them all there
                checkpoint_config=tune.CheckpointConfig(num_to_keep=None if cfg.scheduler == "pbt" else 2),
                callbacks=[RecordDeadTrials(context)],
            ),
        )
    grid = tuner.fit()
    outcomes = []
    for i in range(len(grid)):
        result = grid[i]
        config = result.config or {}
        if "params" not in config:
            continue
        overrides = context.overrides(config)
        outcomes.append(TrialOutcome(
            trial_id=os.path.basename(str(result.path)), overrides=tuple(overrides),
            command=command_of(overrides, context.job), params=dict(config["params"]),
            seed=int(config["seed"]), metrics=dict(result.metrics or {}),
            error=f"{type(result.error).__name__}: {result.error}" if result.error else None,
        ))
    return outcomes, resumed


def _restored(path: str, trainable: Any) -> Any:
    """The Tuner of the sweep's earlier experiment at ``path`` (None when there is none); a damaged
    experiment state is a DataError naming the folder and the way out."""
    from ray import tune

    try:
        if not tune.Tuner.can_restore(path):
            return None
        _check_state(Path(path))  # Tune logs a damaged state and goes on with empty trial configs
        return tune.Tuner.restore(path, trainable, resume_unfinished=True, resume_errored=False,
                                  restart_errored=True)
    except Exception as err:  # noqa: BLE001 - Tune raises many kinds for a damaged state
        raise DataError(f"{path}: cannot resume this sweep, its Tune experiment state is damaged "
                        f"({type(err).__name__}: {err}); start it afresh with `sweep.resume=false` (the "
                        "folder is set aside, not deleted; trials already in the results store are "
                        "not run again)") from err


def _check_state(folder: Path) -> None:
    """Raise when the newest experiment snapshot in ``folder`` is not whole JSON (a kill or a full disk
    while Tune wrote it)."""
    states = sorted(folder.glob("experiment_state-*.json"))
    if states:
        json.loads(states[-1].read_text(encoding="utf-8"))


def check_resources(resources: Any, cluster: dict[str, float], address: str | None) -> None:
    """Refuse, before any trial starts, a trial that asks for more CPUs or GPUs than the whole
    cluster has (Tune would otherwise leave it pending forever)."""
    from nlpbench.errors import ConfigError, Problem

    where = f"the Ray cluster at {address}" if address else "local Ray"
    problems = []
    for key, unit, need in (("cpus", "CPU", resources.cpus), ("gpus", "GPU", resources.gpus)):
        have = float(cluster.get(unit, 0.0))
        if need > have:
            fix = f"sweep.resources.{key}={have:g}" if have else f"sweep.resources.{key}=0"
            problems.append(Problem(f"sweep.resources.{key}", f"each trial asks for {need:g} {unit}s but "
                                    f"{where} has {have:g}", fix=fix))
    if problems:
        raise ConfigError(problems, header="the sweep cannot be scheduled")


def _graceful(fn: Any) -> Any:
    """Tune's function trainable, except that a trial stopped by the scheduler waits for its
    training thread to finish: the runner then still appends the trial's record. (Stock cleanup
    does not wait, and the trial's actor exits mid-write; a reused actor would be reset mid-write.)"""
    from ray.train._internal.session import get_session  # internal, hence kept here
    from ray.tune.trainable.function_trainable import wrap_function

    base: Any = wrap_function(fn, name="run_trial")

    def finish_training() -> None:
        session = get_session()
        if session is not None and session.training_started:
            session.stop_event.set()
            deadline = time.monotonic() + STOP_WAIT_S
            while session.training_thread.is_alive() and time.monotonic() < deadline:
                with contextlib.suppress(queue.Empty):  # nobody reads the queue any more
                    session.result_queue.get_nowait()
                session.continue_lock.release()
                session.training_thread.join(timeout=0.2)

    class RecordedTrial(base):  # type: ignore[misc, valid-type]
        def cleanup(self) -> None:
            finish_training()
            super().cleanup()

        def reset_config(self, new_config: dict[str, Any]) -> bool:
            finish_training()  # a reused actor first lets the previous trial write its record
            return bool(super().reset_config(new_config))

    RecordedTrial.__name__ = "run_trial"
    return RecordedTrial


STOP_WAIT_S = 600.0


def _param_space(spec: SweepSpec) -> dict[str, Any]:
    from nlpbench.tuning.space import to_tune

    return to_tune(list(spec.dims), list(spec.config.seeds), spec.config.search)


def _search_alg(spec: SweepSpec) -> Any:
    cfg = spec.config
    if cfg.search != "optuna":
        return None  # Tune's default: grid values expanded, the rest sampled at random
    from ray.tune.search import ConcurrencyLimiter
    from ray.tune.search.optuna import OptunaSearch

    searcher = OptunaSearch(metric=spec.metric, mode=cfg.mode, seed=cfg.seeds[0])
    return ConcurrencyLimiter(searcher, max_concurrent=cfg.max_concurrent) if cfg.max_concurrent else searcher


def _scheduler(spec: SweepSpec) -> Any:
    cfg = spec.config
    if cfg.scheduler == "pbt":
        return _pbt(spec)
    if cfg.scheduler != "asha":
        return None  # FIFO
    from ray.tune.schedulers import ASHAScheduler

    own = {"metric": cfg.asha.metric, "mode": asha_mode(cfg)} if _own_asha_metric(spec) else {}
    # rungs count validation reports: fine-tuning's epochs, pretraining's periodic validations
    max_t = cfg.asha.max_t or spec.max_reports or spec.max_epochs
    return ASHAScheduler(time_attr="training_iteration", max_t=max_t,
                         grace_period=cfg.asha.grace_period, reduction_factor=cfg.asha.reduction_factor,
                         **own)


def _own_asha_metric(spec: SweepSpec) -> bool:
    cfg = spec.config
    return cfg.scheduler == "asha" and cfg.asha.metric is not None and cfg.asha.metric != spec.metric


def asha_mode(cfg: Any) -> str:
    """The direction of ASHA's metric: its own mode, else min for a loss or perplexity (dev_loss,
    validation_loss), else the sweep's."""
    return cfg.asha.mode or ("min" if lower_is_better(cfg.asha.metric) else cfg.mode)


def _pbt(spec: SweepSpec) -> Any:
    """PBT over the sweep's space: exploited trials continue a better trial's checkpoint with its
    values perturbed (x0.8 / x1.2) or resampled from the space."""
    from ray.tune.schedulers import PopulationBasedTraining

    from nlpbench.tuning.space import mutations

    cfg = spec.config
    return PopulationBasedTraining(
        time_attr="training_iteration", perturbation_interval=cfg.pbt.perturbation_interval,
        quantile_fraction=cfg.pbt.quantile_fraction, resample_probability=cfg.pbt.resample_probability,
        hyperparam_mutations={"params": mutations(list(spec.dims))}, synch=False,
    )
