"""Learning curves of pretraining runs: validation loss (and accuracy) against tokens seen.

Run: .venv/bin/python benchmarks/learning_curves.py LABEL=RUN_DIR [LABEL=RUN_DIR ...] [--name NAME]
Each RUN_DIR is a pretraining run folder (outputs/pretrain/<run>/) holding the curve.json that
`nlpbench pretrain` writes (trainer.val_every_n_steps). Writes benchmarks/results/<NAME>.png and
<NAME>.json (the points, with each run's record metrics from its checkpoint card).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def load(run_dir: Path) -> dict:
    curve = json.loads((run_dir / "curve.json").read_text())
    card_path = run_dir / "checkpoint" / "nlpbench.json"
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    return {"run_dir": str(run_dir), "card": card, "curve": curve}


def plot(runs: dict[str, dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = sorted({k for r in runs.values() for p in r["curve"] for k in p
                      if k.endswith("accuracy") and not k.endswith("constant_accuracy")})
    fig, axes = plt.subplots(1, 1 + bool(metrics), figsize=(11 if metrics else 6, 4))
    axes = axes if metrics else [axes]
    for label, run in runs.items():
        tokens = [p["tokens_seen"] / 1e6 for p in run["curve"]]
        axes[0].plot(tokens, [p["loss"] for p in run["curve"]], marker=".", label=label)
        for name in metrics[:1]:
            points = [(t, p[name]) for t, p in zip(tokens, run["curve"], strict=True) if name in p]
            axes[1].plot([t for t, _ in points], [v for _, v in points], marker=".", label=label)
            constant = [p.get(name.replace("accuracy", "constant_accuracy")) for p in run["curve"]]
            if constant and constant[-1] is not None:
                axes[1].axhline(constant[-1], color="grey", linestyle=":", linewidth=1)
    axes[0].set(xlabel="tokens seen (millions)", ylabel="validation loss", title="validation loss")
    if metrics:
        axes[1].set(xlabel="tokens seen (millions)", ylabel=metrics[0],
                    title=f"{metrics[0]} (dotted: constant guess)")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="LABEL=RUN_DIR")
    parser.add_argument("--name", default="learning_curves")
    args = parser.parse_args()
    runs = {}
    for item in args.runs:
        label, _, folder = item.partition("=")
        if not folder or not (Path(folder) / "curve.json").is_file():
            raise SystemExit(f"{item}: expected LABEL=RUN_DIR with RUN_DIR/curve.json")
        runs[label] = load(Path(folder))
    RESULTS.mkdir(exist_ok=True)
    plot(runs, RESULTS / f"{args.name}.png")
    (RESULTS / f"{args.name}.json").write_text(json.dumps(runs, indent=1) + "\n")
    print(f"wrote {RESULTS / args.name}.png and .json")


if __name__ == "__main__":
    main()
