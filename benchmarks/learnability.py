"""Learnability of the synthetic stand-ins: trivial baseline vs tiny random-init vs tiny pretrained.

Run: .venv/bin/python benchmarks/learnability.py [--tasks synthetic/glue/cola ...] [--seeds 0 1 2]
     [--checkpoint DIR | --pretrain OVERRIDE ...] [--no-pretrained] [--merge] [--out NAME]
     [--protocol default|stable]
     .venv/bin/python benchmarks/learnability.py --combine results/a.json results/b.json
For every stand-in task, the dev headline of (a) a trivial baseline: always the majority train class
(the train mean for STS-B, whose correlation is then undefined and reported as 0), the first-mentioned
candidate entity for ReCoRD, the best of "no answer" / the context's first word / first two words for
SQuAD; (b) a tiny random-init BERT fine-tuned with the default trainer (or the task's longer schedule
in SCHEDULES), and (c) the same BERT after MLM pretraining on the synthetic corpus, each over several
fine-tuning seeds (mean, spread, paired t-test). A stand-in where nothing beats (a) is a defect; one
where (c) does not beat (b) by more than twice the seed spread does not show what pretraining buys.
Writes benchmarks/results/learnability.json and learnability.md (or <NAME>.json/.md with --out, so
that two shards of the task list can run side by side, one thread each; --combine then joins them).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


# tasks whose tiny model needs more than the default trainer (3 epochs, lr 5e-4) to leave the baseline
SCHEDULES = {
    "synthetic/superglue/wsc": ["trainer.max_epochs=10", "optim.lr=1.0e-3"],
    "synthetic/squad/v1": ["trainer.max_epochs=10", "optim.lr=1.0e-3"],
    "synthetic/squad/v2": ["trainer.max_epochs=4", "optim.lr=1.0e-3"],
}
DEFAULT_LR, DEFAULT_EPOCHS = 5.0e-4, 3

# --protocol stable (chosen before its results, after Mosbach et al. 2021 on unstable BERT
# fine-tuning): 0.4x the learning rate, twice the epochs (warm-up stays 10%), dev splits of 1,000
STABLE = {"lr": 0.4, "epochs": 2, "n_dev": 1000}


def schedule_for(task: str, protocol: str) -> list[str]:
    """The fine-tuning overrides of ``task`` under ``protocol`` (default or stable)."""
    schedule = SCHEDULES.get(task, [])
    if protocol == "default":
        return schedule
    given = dict(o.split("=", 1) for o in schedule)
    lr = float(given.get("optim.lr", DEFAULT_LR)) * STABLE["lr"]
    epochs = int(given.get("trainer.max_epochs", DEFAULT_EPOCHS)) * STABLE["epochs"]
    return [f"trainer.max_epochs={epochs}", f"optim.lr={lr:.2e}", f"task.synthetic.n_dev={STABLE['n_dev']}"]


def majority(task: str, home: Path, schedule: list[str]) -> float:
    """The task's headline on dev (and MNLI's mismatched half) for its trivial baseline."""
    import numpy as np

    from nlpbench.catalog import METRICS, TASKS
    from nlpbench.config import compose_config
    from nlpbench.tasks.sources import grouped_metric, prepare_task

    spec = TASKS.load(task)
    splits = prepare_task(compose_config("finetune", [f"task={task}", *schedule]).typed.task, spec)
    if spec.kind in ("record", "squad_v1", "squad_v2"):
        dev = splits["dev"]
        ways = ("first_entity",) if spec.kind == "record" else ("empty", "word", "two_words")
        guesses = [[_trivial_answer(ex.inputs, spec.kind, way) for ex in dev.source.examples] for way in ways]
        metric = METRICS.load(spec.headline)
        return max(float(metric(list(dev.labels or []), guess)) for guess in guesses)
    train = splits["train"].labels or []
    scores = []
    for name in [s for s in splits if s == "dev" or s.startswith("dev_")]:
        gold = np.asarray(splits[name].labels)
        if spec.kind == "regression":
            scores.append(0.0)  # a constant prediction has no correlation
            continue
        constant = np.full_like(gold, Counter(train).most_common(1)[0][0])
        scores.append(float(grouped_metric(METRICS.load(spec.headline), splits[name])(gold, constant)))
    return float(np.mean(scores))


def _trivial_answer(inputs: dict, kind: str, way: str) -> str:
    """A content-blind answer: ReCoRD's first-mentioned entity; SQuAD's empty / first word(s)."""
    if kind == "record":
        start, end = min(inputs["entity_spans"])
        return str(inputs["passage"][start : end + 1])
    words = str(inputs["context"]).split()
    return {"empty": "", "word": " ".join(words[:1]), "two_words": " ".join(words[:2])}[way]


def finetuned(task: str, extra: list[str]) -> tuple[float, float]:
    """(dev headline, seconds) of one fine-tuning run with the default trainer."""
    from nlpbench.config import compose_config
    from nlpbench.runners.finetune import finetune

    start = time.perf_counter()
    record = finetune(compose_config("finetune", [f"task={task}", "logger=none",
                                                  "trainer.enable_progress_bar=false", *extra]))
    if record.status != "ok":
        raise RuntimeError(f"{task}: {record.error}")
    return float(record.headline_value or 0.0), time.perf_counter() - start


def pretrained_checkpoint(extra: list[str]) -> Path:
    """bert_tiny after the default dynamic-masking MLM recipe on the synthetic corpus."""
    from nlpbench.config import compose_config
    from nlpbench.runners.pretrain import pretrain

    overrides = ["model=bert_tiny", "objective=mlm_dynamic", "corpus=synthetic", "tokenizer=wordpiece",
                 "logger=none", "trainer.enable_progress_bar=false", "run_name=learnability", *extra]
    record = pretrain(compose_config("pretrain", overrides))
    if record.status != "ok":
        raise RuntimeError(f"pretraining failed: {record.error}")
    return Path(record.artifacts["checkpoint"])


def spread(values: list[float]) -> dict[str, float]:
    """Mean and sample standard deviation (0 for one value)."""
    import statistics

    return {"mean": round(statistics.fmean(values), 4),
            "std": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0}


def verdict(row: dict) -> dict:
    """Does pretraining transfer (gap above twice the larger seed spread, paired t-test p-value),
    and does random initialisation leave headroom (at least 10 points below the metric's ceiling)?"""
    from scipy import stats

    ceiling = 100.0 if "squad" in row["task"] else 1.0
    rand, pre = row.get("random_init"), row.get("pretrained")
    if rand is None:
        return {"headroom": True, "learnable": bool(pre and pre["mean"] > row["majority"])}
    out = {"headroom": rand["mean"] <= ceiling - 0.1 * ceiling}
    margin = 2.0 if "squad" in row["task"] else 0.02  # two points of the metric's scale
    best = max(rand["mean"], pre["mean"] if pre else rand["mean"])
    out["learnable"] = best > float(row["majority"]) + margin
    if pre is not None:
        gap = pre["mean"] - rand["mean"]
        out["gap"] = round(gap, 4)
        out["transfers"] = gap > 2 * max(pre["std"], rand["std"])
        if len(pre["runs"]) > 1 and len(set(pre["runs"])) + len(set(rand["runs"])) > 2:
            out["p_value"] = round(float(stats.ttest_rel(pre["runs"], rand["runs"]).pvalue), 4)
    return out


def measure(task: str, seeds: list[int], checkpoint: Path | None, home: Path, columns: list[str],
            kept: dict | None, protocol: str = "default") -> dict:
    """One row: the baseline, then each model column over ``seeds`` (a column not asked for is
    taken from ``kept``, the last run's row, when it has the same seeds and schedule)."""
    schedule = schedule_for(task, protocol)
    row: dict = {"task": task, "majority": round(majority(task, home, schedule), 4),
                 "schedule": " ".join(schedule) or "default", "seeds": seeds}
    if kept and kept.get("seeds") == seeds and kept.get("schedule") == row["schedule"]:
        row.update({c: kept[c] for c in ("random_init", "pretrained") if c in kept and c not in columns})
    models = {"random_init": ["model=bert_tiny"]}
    if checkpoint is not None:
        models["pretrained"] = ["model=checkpoint", f"model.checkpoint={checkpoint}"]
    for column, model in models.items():
        if column not in columns:
            continue
        runs, seconds = [], 0.0
        for seed in seeds:
            score, took = finetuned(task, [*model, *schedule, f"seed={seed}"])
            runs.append(round(score, 4))
            seconds += took
        row[column] = {**spread(runs), "runs": runs, "seconds": round(seconds, 1)}
    return {**row, **verdict(row)}


def _cell(column: dict | None) -> str:
    return "-" if column is None else f"{column['mean']} ± {column['std']}"


def _transfer(row: dict) -> str:
    """yes (pretraining helps), reversed (it hurts), no (neither beyond twice the seed spread)."""
    pre, rand = row.get("pretrained"), row.get("random_init")
    if row.get("transfers"):
        return "yes"
    if pre and rand and -row.get("gap", 0.0) > 2 * max(pre["std"], rand["std"]):
        return "reversed"
    return "no"


def write_results(rows: list[dict], checkpoint: Path | None, name: str = "learnability") -> None:
    lines = ["| task | baseline | tiny random-init | tiny pretrained | gap | p | transfers | headroom "
             "| learnable |", "|---|---|---|---|---|---|---|---|---|"]
    yes = {True: "yes", False: "no"}
    for r in rows:
        lines.append(f"| {r['task']} | {r['majority']} | {_cell(r['random_init'])} | "
                     f"{_cell(r.get('pretrained'))} | {r.get('gap', '-')} | {r.get('p_value', '-')} | "
                     f"{_transfer(r)} | {yes[r['headroom']]} | {yes[r['learnable']]} |")
    transfers = sum(bool(r.get("transfers")) for r in rows)
    headroom = sum(bool(r["headroom"]) for r in rows)
    lines += ["", f"Pretraining transfers (gap above twice the seed spread) on {transfers} of {len(rows)} "
              f"stand-ins (target: at least 15 of 19); random initialisation leaves 10 points of headroom on "
              f"{headroom} of {len(rows)} (target: all). Mean ± sample standard deviation over seeds "
              f"{rows[0]['seeds']}; p: paired t-test over seeds (scipy); reversed: the pretrained model is "
              f"below random initialisation by more than twice the seed spread. Checkpoint: {checkpoint}."]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(
        {"benchmark": "learnability", "checkpoint": str(checkpoint) if checkpoint else None, "rows": rows},
        indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    from nlpbench.tasks import STANDIN_TASKS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="*", default=[f"synthetic/{t}" for t in STANDIN_TASKS])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--no-pretrained", action="store_true")
    parser.add_argument("--checkpoint", type=Path, help="a pretrained checkpoint instead of pretraining")
    parser.add_argument("--pretrain", nargs="*", default=[], help="overrides for the pretraining run")
    parser.add_argument("--columns", nargs="*", default=["random_init", "pretrained"],
                        help="measure only these columns; with --merge the others come from the last run")
    parser.add_argument("--protocol", choices=["default", "stable"], default="default",
                        help="fine-tuning protocol of both model columns (stable: see STABLE)")
    parser.add_argument("--merge", action="store_true", help="keep the other tasks' rows of the last run")
    parser.add_argument("--out", default="learnability", help="results name under benchmarks/results/")
    parser.add_argument("--combine", nargs="*", type=Path, help="join these results files into --out")
    args = parser.parse_args()
    if args.combine:
        combine(args.combine, args.out)
        return
    home = Path(tempfile.mkdtemp(prefix="nlpbench-learnability-"))
    os.environ["NLPBENCH_HOME"] = str(home)
    wants_checkpoint = "pretrained" in args.columns and not args.no_pretrained
    checkpoint = (args.checkpoint or pretrained_checkpoint(args.pretrain)) if wants_checkpoint else None
    last = _last_rows(args.out) if args.merge else {}
    rows = []
    for task in args.tasks:
        rows.append(measure(task, args.seeds, checkpoint, home, args.columns, last.get(task), args.protocol))
        print(json.dumps(rows[-1]), flush=True)
        fresh = {r["task"] for r in rows}
        merged = [r for t, r in last.items() if t not in fresh] + rows
        named = checkpoint or (Path(c) if (c := _last_checkpoint(args.out)) else None)
        write_results(merged, named, args.out)


def combine(paths: list[Path], name: str) -> None:
    """Join the rows of several results files (shards run side by side) in the stand-ins' order."""
    from nlpbench.tasks import STANDIN_TASKS

    loaded = [json.loads(p.read_text()) for p in paths]
    checkpoints = sorted({str(d["checkpoint"]) for d in loaded})
    if len(checkpoints) > 1:
        raise SystemExit(f"the shards name different checkpoints: {checkpoints}")
    rows = {r["task"]: r for d in loaded for r in d["rows"]}
    order = [f"synthetic/{t}" for t in STANDIN_TASKS]
    ranked = sorted(rows.values(), key=lambda r: order.index(r["task"]) if r["task"] in order else len(order))
    checkpoint = loaded[0]["checkpoint"]
    write_results(ranked, Path(checkpoint) if checkpoint else None, name)


def _last_rows(name: str) -> dict[str, dict]:
    if not (RESULTS / f"{name}.json").is_file():
        return {}
    rows = json.loads((RESULTS / f"{name}.json").read_text())["rows"]
    return {r["task"]: r for r in rows if "seeds" in r}


def _last_checkpoint(name: str) -> str | None:
    if not (RESULTS / f"{name}.json").is_file():
        return None
    return json.loads((RESULTS / f"{name}.json").read_text()).get("checkpoint")


if __name__ == "__main__":
    main()
