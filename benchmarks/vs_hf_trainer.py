"""End to end against Hugging Face's Trainer: `nlpbench finetune` and a plain `transformers.Trainer`
script (benchmarks/hf_trainer_finetune.py), each a whole process, alternating, in one run.

Run: .venv/bin/python benchmarks/vs_hf_trainer.py [--task rte|sst2] [--seeds 0 1 2] [--epochs 3]
Same model (bert_tiny from the same config, random init), data (the stand-in's files),
tokenizer (the one nlpbench trains on the train split, saved by a warm-up run), batch 32, epochs,
learning rate 5e-4 with 10% linear warm-up and decay, weight decay 0.01 off biases and LayerNorms,
gradient clipping 1.0, max length 64. Both predict the test file and save the model. The warm-up run
builds the data and the tokenizer and is not timed. Target: nlpbench at most 1.0x the Trainer's wall
time, the same dev accuracy within the seed spread. Writes benchmarks/results/vs_hf_trainer.{json,md}
(vs_hf_trainer_sst2.* for --task sst2).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
FOLDERS = {"sst2": "SST-2", "rte": "RTE"}  # the stand-in's folder of each task the Trainer script reads


def nlpbench(home: Path, task: str, seed: int, epochs: int) -> tuple[float, float, Path]:
    """Wall seconds, dev accuracy and saved model folder of one `nlpbench finetune` process."""
    from nlpbench.records import open_store

    args = [sys.executable, "-m", "nlpbench.cli.main", "finetune", "model=bert_tiny",
            f"task=synthetic/glue/{task}", "logger=none", "trainer.enable_progress_bar=false",
            f"trainer.max_epochs={epochs}", f"seed={seed}", f"group=vs-hf-{seed}"]
    seconds = _timed(args, home)
    [record] = open_store(f"sqlite:///{home}/results/records.sqlite").query(group=f"vs-hf-{seed}")
    return seconds, float(record.headline_value), Path(record.artifacts["model"])


def trainer(home: Path, task: str, seed: int, epochs: int, model: Path) -> tuple[float, float]:
    """Wall seconds and dev accuracy of one plain Trainer process."""
    [data] = {p.parent for p in (home / "data").rglob(f"{FOLDERS[task]}/train.tsv")}
    out = home / "hf" / f"seed{seed}"
    args = [sys.executable, str(HERE / "hf_trainer_finetune.py"), "--task", task, "--data", str(data),
            "--model", str(model), "--out", str(out), "--seed", str(seed), "--epochs", str(epochs)]
    seconds = _timed(args, home)
    return seconds, json.loads((out / "score.json").read_text())["accuracy"]


def _timed(args: list[str], home: Path) -> float:
    env = {**os.environ, "NLPBENCH_HOME": str(home), "WANDB_MODE": "offline"}
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds


def summarise(rows: list[dict[str, float]], task: str, epochs: int) -> dict[str, object]:
    from scipy import stats

    ours, theirs = [r["nlpbench_s"] for r in rows], [r["trainer_s"] for r in rows]
    acc_ours, acc_theirs = [r["nlpbench_acc"] for r in rows], [r["trainer_acc"] for r in rows]
    spread = max(statistics.stdev(acc_ours), statistics.stdev(acc_theirs)) if len(rows) > 1 else 0.0
    gap = statistics.mean(acc_ours) - statistics.mean(acc_theirs)
    p = float(stats.ttest_ind(acc_ours, acc_theirs, equal_var=False).pvalue) if len(rows) > 1 else None
    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    return {"task": f"synthetic/glue/{task}", "model": "bert_tiny", "epochs": epochs, "runs": rows,
            "cpus": os.cpu_count(),
            "median_time_ratio": ratio, "time_target_met": ratio <= 1.0,
            "accuracy_gap": gap, "accuracy_spread": spread, "accuracy_p": p,
            "accuracy_within_spread": abs(gap) <= 2 * spread}


def render(summary: dict[str, object]) -> str:
    lines = ["# nlpbench finetune against a plain transformers.Trainer script", "",
             f"{summary['task']}, {summary['model']} (random init), {summary['epochs']} epochs, "
             f"{summary['cpus']} CPUs; whole processes, alternating order.", "",
             "| seed | nlpbench s | Trainer s | ratio | nlpbench acc | Trainer acc |",
             "|---|---|---|---|---|---|"]
    for r in summary["runs"]:  # type: ignore[union-attr]
        ratio = r["nlpbench_s"] / r["trainer_s"]
        lines.append(f"| {r['seed']} | {r['nlpbench_s']:.1f} | {r['trainer_s']:.1f} | {ratio:.2f} | "
                     f"{r['nlpbench_acc']:.3f} | {r['trainer_acc']:.3f} |")
    lines += ["", f"Median wall-time ratio nlpbench / Trainer: **{summary['median_time_ratio']:.2f}x** "
              f"(target <= 1.0x: {'met' if summary['time_target_met'] else 'missed'}).",
              f"Dev accuracy gap {summary['accuracy_gap']:+.3f}, "
              f"seed spread {summary['accuracy_spread']:.3f}, "
              f"Welch p = {summary['accuracy_p']}: "
              f"{'within' if summary['accuracy_within_spread'] else 'outside'} twice the spread.",
              "", "nlpbench reports the dev accuracy of its best validation pass (it keeps the best "
              "weights); the Trainer script reports its last epoch's, as the HF example does."]
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--task", choices=sorted(FOLDERS), default="rte",
                   help="rte (default: random init learns it, so the scores say something) or sst2")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="vs-hf-") as tmp:
        home = Path(tmp)
        # untimed: builds the stand-in and the tokenizer, whose saved folder the Trainer script loads
        _, _, model = nlpbench(home, args.task, seed=99, epochs=1)
        rows = []
        for i, seed in enumerate(args.seeds):
            row: dict[str, float] = {"seed": seed}
            order = ("nlpbench", "trainer") if i % 2 == 0 else ("trainer", "nlpbench")
            for who in order:
                s, acc = (nlpbench(home, args.task, seed, args.epochs)[:2] if who == "nlpbench"
                          else trainer(home, args.task, seed, args.epochs, model))
                row[f"{who}_s"], row[f"{who}_acc"] = s, acc
                print(f"seed {seed} {who}: {s:.1f} s, dev accuracy {acc:.3f}", flush=True)
            rows.append(row)
    summary = summarise(rows, args.task, args.epochs)
    RESULTS.mkdir(exist_ok=True)
    name = "vs_hf_trainer" if args.task == "rte" else f"vs_hf_trainer_{args.task}"
    (RESULTS / f"{name}.json").write_text(json.dumps(summary, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(render(summary))
    print(render(summary))


if __name__ == "__main__":
    main()
