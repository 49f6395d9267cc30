"""Scoring time end to end (file parsing included) on benchmark-sized inputs, in one run.

Run: .venv/bin/python benchmarks/scoring.py [--repeats 5]
Generates, in a temporary folder, a SQuAD v1.1-sized dev file (10,570 questions, 1-3 gold
answers each, ~120-word contexts) with predictions, the same at SQuAD v2.0 size (11,873
questions, a third unanswerable, with a no-answer probability file), and a GLUE QQP-sized dev
file (40,000 question pairs) with a submission TSV; times `score_files` in-process (what
`nlpbench score` runs) and the CLI as a subprocess. Writes benchmarks/results/scoring.json.
Target: each in-process score under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "scoring.json"
TARGET_SECONDS = 2.0
WORDS = ("the of and a to in is was for on that with as by at from his an were are which this be or "
         "has had first one their its new after who they two her she been other when there all during "
         "into school time may years more most only over city some world would where later up such used "
         "many can state about national out known university united then made Norman France river").split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_squad(folder: Path, n_questions: int, v2: bool, seed: int = 0) -> tuple[Path, Path, Path | None]:
    """A dev file with ``n_questions`` over paragraphs of ~120 words, predictions and na-probs."""
    rng = random.Random(seed)
    data, preds, na_probs = [], {}, {}
    qid = 0
    while qid < n_questions:
        paragraphs = []
        for _ in range(rng.randint(3, 8)):
            context = _sentence(rng, 120) + "."
            tokens = context.split()
            qas = []
            for _ in range(rng.randint(3, 6)):
                if qid == n_questions:
                    break
                impossible = v2 and rng.random() < 1 / 3
                answers = []
                if not impossible:
                    for _ in range(rng.randint(1, 3)):
                        start = rng.randrange(len(tokens) - 4)
                        text = " ".join(tokens[start:start + rng.randint(1, 4)])
                        answers.append({"text": text, "answer_start": context.find(text)})
                qa = {"id": f"{qid:024x}", "question": _sentence(rng, 10) + "?", "answers": answers}
                if v2:
                    qa["is_impossible"] = impossible
                qas.append(qa)
                roll = rng.random()
                if answers and roll < 0.6:
                    preds[qa["id"]] = rng.choice(answers)["text"]
                elif answers and roll < 0.85:
                    preds[qa["id"]] = answers[0]["text"] + " " + rng.choice(WORDS)
                else:
                    preds[qa["id"]] = "" if v2 and roll < 0.95 else _sentence(rng, 3)
                na_probs[qa["id"]] = round(rng.random(), 3)
                qid += 1
            paragraphs.append({"context": context, "qas": qas})
        data.append({"title": f"Article_{len(data)}", "paragraphs": paragraphs})
    name = "dev-v2.0.json" if v2 else "dev-v1.1.json"
    gold = folder / name
    gold.write_text(json.dumps({"version": "v2.0" if v2 else "1.1", "data": data}), encoding="utf-8")
    pred = folder / f"predictions-{name}"
    pred.write_text(json.dumps(preds), encoding="utf-8")
    na = None
    if v2:
        na = folder / "na_prob.json"
        na.write_text(json.dumps(na_probs), encoding="utf-8")
    return gold, pred, na


def make_qqp(folder: Path, n_pairs: int, seed: int = 0) -> tuple[Path, Path]:
    """A QQP dev.tsv (id, qid1, qid2, question1, question2, is_duplicate) and a QQP.tsv submission."""
    rng = random.Random(seed)
    rows, preds = [], []
    for i in range(n_pairs):
        label = int(rng.random() < 0.37)
        q1 = _sentence(rng, rng.randint(6, 16)) + "?"
        q2 = _sentence(rng, rng.randint(6, 16)) + (' "quoted?' if i % 97 == 0 else "?")
        rows.append(f"{100000 + i}\t{2 * i}\t{2 * i + 1}\t{q1}\t{q2}\t{label}\n")
        preds.append(f"{100000 + i}\t{label if rng.random() < 0.85 else 1 - label}\n")
    gold = folder / "QQP" / "dev.tsv"
    gold.parent.mkdir(parents=True, exist_ok=True)
    gold.write_text("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n" + "".join(rows), encoding="utf-8")
    pred = folder / "QQP.tsv"
    pred.write_text("index\tprediction\n" + "".join(preds), encoding="utf-8")
    return gold, pred


def _time(fn: Callable[[], object], repeats: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return samples, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from nlpbench.tasks.scoring import score_files

    cases: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="nlpbench-scoring-") as tmp:
        folder = Path(tmp)
        squad1 = make_squad(folder, 10_570, v2=False)
        squad2 = make_squad(folder, 11_873, v2=True, seed=1)
        qqp = make_qqp(folder, 40_000)
        runs = {
            "squad/v1 (10,570 questions)": ("squad/v1", [squad1[0]], [squad1[1]], None),
            "squad/v2 (11,873 questions, na-prob)": ("squad/v2", [squad2[0]], [squad2[1]], squad2[2]),
            "glue/qqp (40,000 pairs)": ("glue/qqp", [qqp[0]], [qqp[1]], None),
        }
        for label, (task, gold, pred, na) in runs.items():
            score_files(task, gold, pred, na)  # warm the imports and the file cache
            samples, scored = _time(lambda t=task, g=gold, p=pred, n=na: score_files(t, g, p, n),
                                    args.repeats)
            cli = [sys.executable, "-m", "nlpbench.cli.main", "score", task, "--gold", str(gold[0]),
                   "--predictions", str(pred[0])] + (["--na-prob", str(na)] if na else [])
            cli_samples, _ = _time(lambda c=cli: subprocess.run(c, capture_output=True, check=True), 3)
            cases[label] = {
                "task": task,
                "gold_bytes": os.path.getsize(gold[0]),
                "examples": scored.total,  # type: ignore[attr-defined]
                "score": scored.metrics["score"],  # type: ignore[attr-defined]
                "in_process_seconds": {"median": round(statistics.median(samples), 4),
                                       "min": round(min(samples), 4)},
                "cli_subprocess_seconds": {"median": round(statistics.median(cli_samples), 4)},
                "meets_target": statistics.median(samples) < TARGET_SECONDS,
            }
    result = {
        "benchmark": "scoring",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "repeats": args.repeats,
        "target_seconds": TARGET_SECONDS,
        "cases": cases,
        "meets_target": all(c["meets_target"] for c in cases.values()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for label, case in cases.items():
        t = case["in_process_seconds"]
        print(f"{label:40s} in-process {t['median']:6.3f} s (min {t['min']:.3f})   "  # type: ignore[index]
              f"CLI {case['cli_subprocess_seconds']['median']:6.3f} s   score {case['score']:.4f}")  # type: ignore[index]
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
