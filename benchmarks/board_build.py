"""Board build time over 10,000 records: read from the store, build, render md/csv/json/html.

Run: .venv/bin/python benchmarks/board_build.py [--records 10000] [--repeats 5] [--board glue]
Writes benchmarks/results/board_build.json. Target: read + build + render under 2 s (plots,
which are matplotlib's time, are excluded).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "board_build.json"
TARGET_S = 2.0


def generate(n: int, definition: object, config: dict, seed: int = 0) -> list:
    """``n`` finetune records over the board's tasks: models x trials (learning rates) x seeds,
    with a full composed config each, a few failed runs and a few missing metrics."""
    from nlpbench.records import Metric, RunRecord

    rng = random.Random(seed)
    columns = definition.columns  # type: ignore[attr-defined]
    models = [f"model_{i:02d}" for i in range(20)]
    lrs = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3]
    records = []
    i = 0
    while len(records) < n:
        model = models[i % len(models)]
        column = columns[(i // len(models)) % len(columns)]
        lr = lrs[(i // (len(models) * len(columns))) % len(lrs)]
        seed_ = i // (len(models) * len(columns) * len(lrs))
        i += 1
        cfg = json.loads(json.dumps(config))
        cfg["model"]["name"], cfg["seed"], cfg["optim"]["lr"] = model, seed_, lr
        cfg["task"]["name"] = column.task
        failed = rng.random() < 0.01
        metrics = [] if failed else [Metric(m.name, column.split, rng.uniform(0.5, 0.9) / m.scale * 100)
                                     for m in column.all_metrics if rng.random() > 0.01]
        records.append(RunRecord(
            job="finetune", status="failed" if failed else "ok", model=model, task=column.task,
            group=f"sweep-{model}", seed=seed_, config=cfg, metrics=metrics,
            headline_metric=column.headline.name, error="RuntimeError: generated" if failed else None,
            timings={"total": 1.0}, artifacts={},
        ))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--board", default="glue")
    args = parser.parse_args()

    from nlpbench.boards import build_board, definition_path, load_definition, load_reference
    from nlpbench.boards.html import to_html
    from nlpbench.config import compose_config
    from nlpbench.records import open_store
    from nlpbench.runners.board import read_records, render_texts

    definition = load_definition(definition_path(args.board))
    reference = load_reference(definition.reference) if definition.reference else []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NLPBENCH_HOME"] = tmp
        config = compose_config("finetune", ["logger=none"]).raw
        records = generate(args.records, definition, config)
        url = f"sqlite:///{tmp}/records.sqlite"
        t0 = time.perf_counter()
        with open_store(url) as store:
            for record in records:
                store.append(record)
        insert_s = time.perf_counter() - t0

        phases: dict[str, list[float]] = {"read": [], "build": [], "render": [], "total": []}
        rows = 0
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            loaded = read_records(url, definition)
            t1 = time.perf_counter()
            board = build_board(loaded, definition, reference)
            t2 = time.perf_counter()
            texts = render_texts(board)
            texts["index.html"] = to_html(board)
            t3 = time.perf_counter()
            for name, value in (("read", t1 - t0), ("build", t2 - t1), ("render", t3 - t2),
                                ("total", t3 - t0)):
                phases[name].append(value)
            rows = len(board.rows)
        assert len(loaded) == args.records

    medians = {k: round(statistics.median(v), 4) for k, v in phases.items()}
    result = {
        "benchmark": "board_build",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": sys.platform},
        "board": args.board,
        "records": args.records,
        "rows": rows,
        "columns": len(definition.columns),
        "repeats": args.repeats,
        "insert_seconds": round(insert_s, 2),
        "median_seconds": medians,
        "target_seconds": {"total (read + build + render md/csv/json/html)": TARGET_S},
        "meets_target": medians["total"] < TARGET_S,
        "html_bytes": len(texts["index.html"].encode()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{args.records} records ({insert_s:.1f}s to insert), board {args.board}: {rows} rows x "
          f"{len(definition.columns)} tasks")
    for name, value in medians.items():
        print(f"  {name:7s} {value * 1000:8.1f} ms")
    verdict = "met" if result["meets_target"] else "MISSED"
    print(f"target total < {TARGET_S:.0f} s: {verdict}; written to {RESULTS}")


if __name__ == "__main__":
    main()
