"""Sweep efficiency: the same 16 configurations as a FIFO grid and under ASHA, plus per-trial overhead.

Run: .venv/bin/python benchmarks/sweep_efficiency.py [--n-train 1024] [--n-dev 256] [--epochs 8]
Runs through the sweep runner the CLI uses (`nlpbench sweep sweep=lr_grid ...` with overrides),
in a temporary NLPBENCH_HOME, on local Ray (2 CPUs, 2 trials at a time, 1 CPU each). Space:
optim.lr x optim.warmup_ratio (4 x 4) on task=synthetic/sst2 with model=bert_tiny, one seed.
(a) grid + FIFO, (b) grid + ASHA (grace_period 1, reduction_factor 3, max_t = max_epochs, rungs
comparing the dev loss: `sweep.asha.metric=dev_loss`; on accuracy most trials tie at the majority
class for the first epochs, and Tune's ASHA lets every trial tied at the cut-off go on), (c) the
grid's best configuration again with --spread-seeds more seeds, FIFO: the seed spread (sample
standard deviation over all its seeds) that "ASHA reaches the grid's best" is judged within.
Each run starts from an empty home and so trains its tokenizer afresh; the `tokenizers` trainers
break ties in hash order (huggingface/tokenizers#1794), so scores differ between runs of this
script, never within one (grid and ASHA share the home and its cached tokenizer).
Reports each sweep's wall time (Ray already started; Ray start-up is timed separately), the
ratio ASHA/grid (target <= 0.5), the best score of each, and the orchestration overhead per
trial (target <= 3 s): from Tune scheduling the trial's actor to the end of the trial, minus
the runner's own ``timings.total`` in the trial's record (set-up, training, evaluation and
saving). That leaves Ray scheduling and actor start, the trial's Hydra compose and store look-up,
record creation and writing, and Tune's bookkeeping. Tune reuses a trial's actor for the next
trial, so only a worker's first trial ("cold") imports torch, transformers and Lightning; the
target is judged on the mean over all trials (the cost per trial a sweep pays), and the cold and
warm medians are reported beside it. Writes benchmarks/results/sweep_efficiency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "sweep_efficiency.json"
RATIO_TARGET = 0.5
OVERHEAD_TARGET_S = 3.0
LRS = [1.0e-4, 3.0e-4, 1.0e-3, 3.0e-3]
WARMUPS = [0.0, 0.05, 0.1, 0.2]
TIMES_FILE = "trial_times.jsonl"


def timed_run_trial(config: dict[str, Any], context: Any) -> None:
    """`nlpbench.tuning.trial.run_trial`, timed inside the trial's worker (wall clock, same host).
    Defined in this script, so Ray pickles it by value to the workers."""
    from ray import tune

    from nlpbench.tuning.trial import command_of, run_trial

    start = time.time()
    warm = "lightning" in sys.modules  # a reused actor has imported the training stack already
    try:
        run_trial(config, context)
    finally:
        end = time.time()
        line = {"trial_id": tune.get_context().get_trial_id(), "fn_start": start, "fn_end": end,
                "pid": os.getpid(), "warm_actor": warm,
                "command": command_of(context.overrides(config))}
        path = Path(dict(context.env)["NLPBENCH_HOME"]) / TIMES_FILE
        with path.open("a") as f:
            f.write(json.dumps(line) + "\n")


class DriverTimes:
    """Driver-side times per trial: when Tune asks Ray for its actor, and when it ends."""

    def __init__(self) -> None:
        self.scheduled: dict[str, float] = {}
        self.ended: dict[str, float] = {}

    def install(self) -> Any:
        from ray.tune import Callback
        from ray.tune.execution.tune_controller import TuneController

        original = TuneController._schedule_trial_actor
        times = self

        def schedule(controller: Any, trial: Any) -> Any:
            times.scheduled.setdefault(trial.trial_id, time.time())
            return original(controller, trial)

        TuneController._schedule_trial_actor = schedule  # type: ignore[method-assign, assignment]

        class Ends(Callback):  # type: ignore[misc]
            def on_trial_complete(self, iteration: int, trials: list, trial: Any, **info: Any) -> None:
                times.ended[trial.trial_id] = time.time()

            def on_trial_error(self, iteration: int, trials: list, trial: Any, **info: Any) -> None:
                times.ended[trial.trial_id] = time.time()

        return Ends()


def install_hooks(driver: DriverTimes) -> None:
    """Time each trial in the worker and on the driver, without changing what the runner does."""
    from ray import tune

    import nlpbench.tuning.tuner as tuner

    tuner.run_trial = timed_run_trial  # type: ignore[assignment]
    callback = driver.install()
    original = tune.RunConfig

    class RunConfig(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), callback]
            super().__init__(*args, **kwargs)

    tune.RunConfig = RunConfig  # type: ignore[misc]


def overrides(name: str, scheduler: str, args: argparse.Namespace, lrs: list[float] = LRS,
              warmups: list[float] = WARMUPS, seeds: list[int] | None = None) -> list[str]:
    fast = [f"task.synthetic.n_train={args.n_train}", f"task.synthetic.n_dev={args.n_dev}",
            "task.synthetic.n_test=8", f"trainer.max_epochs={args.epochs}", "trainer.batch_size=32"]
    own = [f"sweep.name={name}", "sweep.search=grid", f"sweep.scheduler={scheduler}",
           f"sweep.space.optim.lr={{grid: {lrs}}}", f"sweep.space.optim.warmup_ratio={{grid: {warmups}}}",
           f"sweep.seeds={seeds or [args.seed]}", "sweep.num_samples=1", "sweep.max_concurrent=2",
           "sweep.max_failures=0", "sweep.ray.num_cpus=2",
           f"sweep.asha={{grace_period: {args.grace_period}, reduction_factor: {args.reduction_factor}, "
           f"max_t: {args.epochs}, metric: {args.asha_metric}}}"]
    return ["sweep=lr_grid", *own, *fast]


def run_one(name: str, scheduler: str, args: argparse.Namespace, driver: DriverTimes,
            home: Path, **space: Any) -> dict[str, Any]:
    from nlpbench.config import compose_config
    from nlpbench.records import open_store
    from nlpbench.runners.sweep import sweep
    from nlpbench.tuning.spec import load_sweep

    spec = load_sweep(overrides(name, scheduler, args, **space))
    start = time.perf_counter()
    summary = sweep(spec)
    wall = time.perf_counter() - start

    url = compose_config("finetune", list(spec.base)).typed.records.url
    by_command = {r.command: r for r in open_store(url).query(group=spec.sweep_id)}
    worker = {}
    for line in (home / TIMES_FILE).read_text().splitlines():
        row = json.loads(line)
        worker[row["trial_id"]] = row
    trials = []
    for tid, row in worker.items():
        record = by_command.get(row["command"])
        if record is None or tid not in driver.scheduled:
            continue
        scheduled = driver.scheduled[tid]
        end = max(row["fn_end"], driver.ended.get(tid, row["fn_end"]))
        runner = float(record.timings.get("total", 0.0))
        trials.append({
            "trial_id": tid, "lr": record.config["optim"]["lr"],
            "warmup_ratio": record.config["optim"]["warmup_ratio"], "status": record.status,
            "stopped_early": record.artifacts.get("stopped_early"), "value": record.headline_value,
            "trial_wall_s": end - scheduled, "runner_total_s": runner,
            "runner_timings": dict(record.timings),
            "overhead_s": end - scheduled - runner,
            "before_trial_fn_s": row["fn_start"] - scheduled,  # Ray scheduling + actor start
            "in_trial_fn_s": row["fn_end"] - row["fn_start"] - runner,  # compose, look-up, record
            "after_trial_fn_s": max(0.0, end - row["fn_end"]),
            "pid": row["pid"], "warm_actor": row["warm_actor"],
        })
    overheads = [t["overhead_s"] for t in trials]
    epochs_run = sum(len(json.loads(Path(r.artifacts["history"]).read_text()))
                     for r in by_command.values() if r.artifacts.get("history"))
    return {
        "sweep_id": spec.sweep_id, "scheduler": scheduler, "wall_s": wall, "trials": len(summary.trials),
        "statuses": {s: sum(t.status == s for t in summary.trials)
                     for s in {t.status for t in summary.trials}},
        "validation_passes": epochs_run, "best": summary.best,
        "overhead_median_s": statistics.median(overheads) if overheads else None,
        "overhead_max_s": max(overheads) if overheads else None,
        "per_trial": sorted(trials, key=lambda t: (t["lr"], t["warmup_ratio"])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=1024)
    parser.add_argument("--n-dev", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=8, help="trainer.max_epochs = ASHA's max_t")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--asha-metric", default="dev_loss", help="ASHA's rung metric (null: accuracy)")
    parser.add_argument("--grace-period", type=int, default=1, help="ASHA's first rung (validation passes)")
    parser.add_argument("--reduction-factor", type=float, default=3.0)
    parser.add_argument("--spread-seeds", type=int, default=2, help="extra seeds of the grid's best config")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="nlpbench-sweep-eff-") as tmp:
        home = Path(tmp)
        os.environ["NLPBENCH_HOME"] = str(home)
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ.setdefault("WANDB_MODE", "disabled")
        os.environ.setdefault("RAY_worker_niceness", "0")  # as run_tune sets it before its ray.init
        import ray

        t0 = time.perf_counter()
        ray.init(num_cpus=2, num_gpus=0, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)  # what run_tune does for ray.address=null
        ray_start = time.perf_counter() - t0
        driver = DriverTimes()
        install_hooks(driver)
        try:
            grid = run_one("eff_grid", "fifo", args, driver, home)
            (home / TIMES_FILE).unlink()
            asha = run_one("eff_asha", "asha", args, driver, home)
            best = grid["best"]["params"]
            (home / TIMES_FILE).unlink()
            extra = [args.seed + 1 + k for k in range(args.spread_seeds)]
            spread_run = run_one("eff_spread", "fifo", args, driver, home, lrs=[float(best["optim.lr"])],
                                 warmups=[float(best["optim.warmup_ratio"])], seeds=extra)
        finally:
            ray.shutdown()

    ratio = asha["wall_s"] / grid["wall_s"]
    grid_best, asha_best = grid["best"]["mean"], asha["best"]["mean"]
    grid_value = {(t["lr"], t["warmup_ratio"]): t["value"] for t in grid["per_trial"]}
    asha_params = asha["best"]["params"]
    asha_cfg_on_grid = grid_value.get((float(asha_params["optim.lr"]),
                                       float(asha_params["optim.warmup_ratio"])))
    overheads = [t["overhead_s"] for s in (grid, asha) for t in s["per_trial"]]
    cold = [t["overhead_s"] for s in (grid, asha) for t in s["per_trial"] if not t["warm_actor"]]
    warm = [t["overhead_s"] for s in (grid, asha) for t in s["per_trial"] if t["warm_actor"]]
    overhead_mean = statistics.fmean(overheads)
    best_scores = [grid_best, *(t["value"] for t in spread_run["per_trial"])]
    spread = statistics.stdev(best_scores) if len(best_scores) > 1 else None
    reached = asha_best >= grid_best - (spread or 0.0)
    result = {
        "benchmark": "sweep_efficiency",
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_avg_1_5_15": list(os.getloadavg())},
        "space": {"optim.lr": LRS, "optim.warmup_ratio": WARMUPS, "configurations": len(LRS) * len(WARMUPS),
                  "base": ["model=bert_tiny", "task=synthetic/sst2", f"n_train={args.n_train}",
                           f"n_dev={args.n_dev}", f"trainer.max_epochs={args.epochs}",
                           "trainer.batch_size=32"],
                  "seeds": [args.seed], "max_concurrent": 2, "cpus_per_trial": 1,
                  "asha": {"grace_period": args.grace_period, "reduction_factor": args.reduction_factor,
                           "max_t": args.epochs, "metric": args.asha_metric}},
        "ray_startup_s": ray_start,
        "grid": grid, "asha": asha,
        "ratio_asha_over_grid": ratio, "ratio_target": RATIO_TARGET, "ratio_met": ratio <= RATIO_TARGET,
        "best_grid": grid_best, "best_asha": asha_best,
        "asha_best_config_score_in_grid": asha_cfg_on_grid,
        "best_config_scores_by_seed": best_scores,
        "seed_spread": spread,
        "seed_spread_note": f"sample std of the grid's best config over seeds {args.seed}.."
                            f"{args.seed + args.spread_seeds}; one dev example = "
                            f"{1 / args.n_dev:.4f} accuracy",
        "spread_run": {k: spread_run[k] for k in ("sweep_id", "wall_s", "best")},
        "asha_reached_grid_best": reached,
        "overhead_mean_s": overhead_mean, "overhead_median_s": statistics.median(overheads),
        "overhead_max_s": max(overheads),
        "overhead_cold_trials": len(cold),
        "overhead_cold_median_s": statistics.median(cold) if cold else None,
        "overhead_warm_trials": len(warm),
        "overhead_warm_median_s": statistics.median(warm) if warm else None,
        "overhead_target_s": OVERHEAD_TARGET_S, "overhead_met": overhead_mean <= OVERHEAD_TARGET_S,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"space: 4 lr x 4 warmup = 16 configs, seed {args.seed}, {args.epochs} epochs, "
          f"n_train={args.n_train}, n_dev={args.n_dev}; Ray start-up {ray_start:.1f} s")
    for label, s in (("grid/FIFO", grid), ("grid/ASHA", asha)):
        print(f"{label:10s} wall {s['wall_s']:6.1f} s  passes {s['validation_passes']:3d}  best "
              f"{s['best']['mean']:.4f} {s['best']['params']}  overhead/trial median "
              f"{s['overhead_median_s']:.2f} s max {s['overhead_max_s']:.2f} s  {s['statuses']}")
    print(f"ratio ASHA/grid {ratio:.2f} (target <= {RATIO_TARGET}): "
          f"{'met' if result['ratio_met'] else 'NOT met'}")
    print(f"ASHA best {asha_best:.4f} vs grid best {grid_best:.4f}, seed spread (std over "
          f"{len(best_scores)} seeds) {spread if spread is not None else float('nan'):.4f}: "
          f"{'reached' if reached else 'not reached'} within the spread")
    print(f"overhead per trial mean {overhead_mean:.2f} s (target <= {OVERHEAD_TARGET_S}): "
          f"{'met' if result['overhead_met'] else 'NOT met'}; median {result['overhead_median_s']:.2f} s; "
          f"{len(warm)} warm-actor trials median {result['overhead_warm_median_s'] or float('nan'):.2f} s, "
          f"{len(cold)} cold-actor trials median {result['overhead_cold_median_s'] or float('nan'):.2f} s "
          f"(max {result['overhead_max_s']:.2f} s)")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
