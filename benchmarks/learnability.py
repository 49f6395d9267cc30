"""Learnability of the synthetic stand-ins: trivial baseline vs tiny random-init vs tiny pretrained.

Run: .venv/bin/python benchmarks/learnability.py [--tasks synthetic/glue/cola ...] [--no-pretrained]
     [--merge] [--pretrained-only]
For every stand-in task, the dev headline of (a) a trivial baseline: always the majority train class
(the train mean for STS-B, whose correlation is then undefined and reported as 0), the first-mentioned
candidate entity for ReCoRD, the best of "no answer" / the context's first word / first two words for
SQuAD; (b) a tiny random-init BERT fine-tuned with the default trainer (or the task's longer schedule
in SCHEDULES), and (c) the same BERT after MLM pretraining on the synthetic corpus. A stand-in where
nothing beats (a) is a defect. Writes benchmarks/results/learnability.json and learnability.md.
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


def majority(task: str, home: Path) -> float:
    """The task's headline on dev (and MNLI's mismatched half) for its trivial baseline."""
    import numpy as np

    from nlpbench.catalog import METRICS, TASKS
    from nlpbench.config import compose_config
    from nlpbench.tasks.sources import grouped_metric, prepare_task

    spec = TASKS.load(task)
    splits = prepare_task(compose_config("finetune", [f"task={task}"]).typed.task, spec)
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


def pretrained_checkpoint() -> Path:
    """bert_tiny after 300 steps of dynamic-masking MLM on the synthetic corpus."""
    from nlpbench.config import compose_config
    from nlpbench.runners.pretrain import pretrain

    overrides = ["model=bert_tiny", "objective=mlm_dynamic", "corpus=synthetic", "tokenizer=wordpiece",
                 "logger=none", "trainer.enable_progress_bar=false", "run_name=learnability"]
    record = pretrain(compose_config("pretrain", overrides))
    return Path(record.artifacts["checkpoint"])


def main() -> None:
    from nlpbench.tasks import STANDIN_TASKS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="*", default=[f"synthetic/{t}" for t in STANDIN_TASKS])
    parser.add_argument("--no-pretrained", action="store_true")
    parser.add_argument("--merge", action="store_true", help="keep the other tasks' rows of the last run")
    parser.add_argument("--pretrained-only", action="store_true",
                        help="keep each task's baseline and random-init figures from the last run "
                             "(same schedule) and measure only the pretrained column")
    args = parser.parse_args()
    last = {}
    if (RESULTS / "learnability.json").is_file():
        last = {r["task"]: r for r in json.loads((RESULTS / "learnability.json").read_text())["rows"]}
    home = Path(tempfile.mkdtemp(prefix="nlpbench-learnability-"))
    os.environ["NLPBENCH_HOME"] = str(home)
    checkpoint = None if args.no_pretrained else pretrained_checkpoint()
    rows = []
    for task in args.tasks:
        schedule = SCHEDULES.get(task, [])
        kept = last.get(task, {})
        if args.pretrained_only and kept.get("schedule") == (" ".join(schedule) or "default"):
            row: dict[str, object] = {k: kept[k] for k in ("task", "majority", "schedule", "random_init",
                                                           "random_init_s")}
        else:
            if args.pretrained_only:
                print(f"{task}: no random-init row with this schedule in the last run; measuring it")
            row = {"task": task, "majority": round(majority(task, home), 4),
                   "schedule": " ".join(schedule) or "default"}
            score, seconds = finetuned(task, ["model=bert_tiny", *schedule])
            row.update(random_init=round(score, 4), random_init_s=round(seconds, 1))
        best = float(row["random_init"])  # type: ignore[arg-type]
        if checkpoint is not None:
            pretrained = ["model=checkpoint", f"model.checkpoint={checkpoint}", *schedule]
            score, seconds = finetuned(task, pretrained)
            row.update(pretrained=round(score, 4), pretrained_s=round(seconds, 1))
            best = max(best, score)
        margin = 2.0 if "squad" in task else 0.02  # two points of the metric's scale (SQuAD's is 0-100)
        row["learnable"] = best > float(row["majority"]) + margin  # type: ignore[arg-type]
        rows.append(row)
        print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    if args.merge and (RESULTS / "learnability.json").is_file():
        kept = json.loads((RESULTS / "learnability.json").read_text())["rows"]
        fresh = {r["task"] for r in rows}
        rows = [r for r in kept if r["task"] not in fresh] + rows
    (RESULTS / "learnability.json").write_text(json.dumps({"benchmark": "learnability", "rows": rows},
                                                          indent=2) + "\n")
    lines = ["| task | baseline | tiny random-init | tiny pretrained | learnable | schedule |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['task']} | {r['majority']} | {r['random_init']} | {r.get('pretrained', '-')} | "
              f"{'yes' if r['learnable'] else 'NO'} | {r.get('schedule', 'default')} |" for r in rows]
    (RESULTS / "learnability.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
