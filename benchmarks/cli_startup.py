"""Start-up time of `nlpbench --help` against a bare `python -c pass`, in one run.

Run: .venv/bin/python benchmarks/cli_startup.py [--repeats 15]
Writes benchmarks/results/cli_startup.json. Target: `nlpbench --help` under 1 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "cli_startup.json"


def _time(cmd: list[str], repeats: int) -> list[float]:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("nlpbench")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "nlpbench --help": [str(script), "--help"],
        "nlpbench ls models": [str(script), "ls", "models"],
    }
    medians = {name: statistics.median(_time(cmd, args.repeats)) for name, cmd in cases.items()}
    base = medians["python -c pass"]
    result = {
        "benchmark": "cli_startup",
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "repeats": args.repeats,
        "median_seconds": {k: round(v, 4) for k, v in medians.items()},
        "ratio_to_python": {k: round(v / base, 2) for k, v in medians.items()},
        "target_seconds": {"nlpbench --help": 1.0},
        "meets_target": medians["nlpbench --help"] < 1.0,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    for name, value in medians.items():
        print(f"{name:20s} {value * 1000:8.1f} ms   x{value / base:5.2f} of python -c pass")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
