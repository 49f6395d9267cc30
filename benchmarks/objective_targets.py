"""Each pretraining objective against its own context-free baseline, with its learning curve.

Run: .venv/bin/python benchmarks/objective_targets.py [--objectives clm mlm_static ...] [--steps N]
     [--teacher DIR] [--merge]
Pretrains every objective with the default recipe (conf/pretrain.yaml: blocks of 64, batches of 64,
lr 2e-3, 10% warm-up; ``--steps`` shortens it) on the default synthetic corpus, on the model family the
objective belongs to, and checks the target of issue "The offline world must show what pretraining
buys" for the objective's own metric:

- masked-token objectives (mlm_*, nsp, sop, distillation): validation MLM accuracy at least 2.5x the
  constant guess (the batch's most frequent masked token);
- NSP and SOP also report their pair accuracy against chance (0.5);
- generators of text (clm, span_corruption, denoising): validation perplexity at most a third of the
  unigram perplexity of the same validation tokens (a model of token frequencies alone);
- rtd: the discriminator's accuracy above the all-original guess (1 - replaced share); the
  generator's MLM accuracy is reported beside it.

Writes benchmarks/results/objective_targets.{json,md} and objective_curves.png (validation loss and
the objective's metric against tokens seen, one panel pair per objective).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# the model family each objective pretrains (as in the papers; tokenizers as the families ship them)
SETUPS: dict[str, list[str]] = {
    "mlm_dynamic": ["model=bert_tiny"],
    "mlm_static": ["model=bert_tiny"],
    "nsp": ["model=bert_tiny"],
    "sop": ["model=albert", "tokenizer=unigram_bert"],
    "rtd": ["model=electra"],
    "clm": ["model=gpt2", "tokenizer=byte_bpe"],
    "span_corruption": ["model=t5", "tokenizer=unigram"],
    "denoising": ["model=bart", "tokenizer=byte_bpe"],
    "distillation": ["model=distilbert"],
}
MLM_TARGET, PERPLEXITY_SHARE = 2.5, 1 / 3


def pretrain(objective: str, steps: int | None, teacher: Path | None) -> dict:
    """One pretraining run with the default recipe; its validation metrics, curve and wall time."""
    from nlpbench.config import compose_config
    from nlpbench.runners.pretrain import pretrain as run

    overrides = [*SETUPS[objective], f"objective={objective}", "corpus=synthetic", "logger=none",
                 "trainer.enable_progress_bar=false", f"run_name=objective-{objective}"]
    if steps:
        overrides.append(f"trainer.max_steps={steps}")
    if objective == "distillation":
        if teacher is None:
            raise SystemExit("distillation needs --teacher DIR (a pretrained bert_tiny MLM checkpoint)")
        overrides.append(f"objective.params.teacher={teacher}")
    start = time.perf_counter()
    record = run(compose_config("pretrain", overrides))
    seconds = time.perf_counter() - start
    if record.status != "ok":
        raise RuntimeError(f"{objective}: {record.error}")
    metrics = {m.name: m.value for m in record.metrics if m.split == "validation"}
    run_dir = Path(record.artifacts["checkpoint"]).parent
    curve = json.loads((run_dir / "curve.json").read_text()) if (run_dir / "curve.json").is_file() else []
    train = {m.name: m.value for m in record.metrics if m.split == "train"}
    return {"objective": objective, "overrides": overrides, "seconds": round(seconds, 1),
            "validation": metrics, "train": train, "curve": curve}


def verdict(row: dict) -> dict:
    """The objective's own target, met or not, with the figures it compares."""
    v, name = row["validation"], row["objective"]
    checks = []
    if "mlm_accuracy" in v and "mlm_constant_accuracy" in v:
        ratio = v["mlm_accuracy"] / max(v["mlm_constant_accuracy"], 1e-9)
        checks.append(("MLM accuracy / constant guess", ratio, f">= {MLM_TARGET}", ratio >= MLM_TARGET))
    if name in ("clm", "span_corruption", "denoising"):
        share = v["perplexity"] / v["unigram_perplexity"]
        checks.append(("perplexity / unigram perplexity", share, "<= 0.333", share <= PERPLEXITY_SHARE))
    if f"{name}_accuracy" in v:
        checks.append((f"{name} pair accuracy (chance 0.5)", v[f"{name}_accuracy"], "> 0.5",
                       v[f"{name}_accuracy"] > 0.5))
    if name == "rtd":
        floor = 1.0 - v["replaced_fraction"]
        checks.append(("discriminator accuracy - all-original guess", v["disc_accuracy"] - floor, "> 0",
                       v["disc_accuracy"] > floor))
    rows = [{"what": w, "value": round(x, 4), "target": t, "met": bool(ok)} for w, x, t, ok in checks]
    return {"checks": rows, "met": all(ok for *_, ok in checks) and bool(checks)}


def plot(rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(rows), figsize=(3.2 * len(rows), 6), squeeze=False)
    for i, row in enumerate(rows):
        tokens = [p["tokens_seen"] / 1e6 for p in row["curve"]]
        axes[0][i].plot(tokens, [p["loss"] for p in row["curve"]], marker=".")
        axes[0][i].set(title=row["objective"], xlabel="tokens seen (M)", ylabel="validation loss")
        metric = _curve_metric(row)
        if metric:
            axes[1][i].plot(tokens, [p.get(metric) for p in row["curve"]], marker=".")
            constant = row["validation"].get("mlm_constant_accuracy") if metric == "mlm_accuracy" else None
            if constant is not None:
                axes[1][i].axhline(constant, color="grey", linestyle=":", linewidth=1)
            axes[1][i].set(xlabel="tokens seen (M)", ylabel=metric)
        for ax in (axes[0][i], axes[1][i]):
            ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=100)


def _curve_metric(row: dict) -> str | None:
    keys = [k for p in row["curve"][:1] for k in p if k not in ("step", "tokens_seen", "loss")]
    for preferred in ("mlm_accuracy", "next_token_accuracy", "token_accuracy", "disc_accuracy"):
        if preferred in keys:
            return preferred
    return keys[0] if keys else None


def write(rows: list[dict]) -> None:
    lines = ["| objective | model | corpus | steps | minutes | validation loss | check | value | target "
             "| met |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        model = r["overrides"][0].split("=", 1)[1]
        corpus = f"v{r.get('generator', 2)}"  # rows without the field predate generator version 3
        first = (f"| {r['objective']} | {model} | {corpus} | {int(r['train'].get('steps', 0))} | "
                 f"{r['seconds'] / 60:.1f} | {r['validation']['loss']:.3f} |")
        for j, c in enumerate(r["checks"]):
            head, met = first if j == 0 else "| | | | | | |", "yes" if c["met"] else "NO"
            lines.append(f"{head} {c['what']} | {c['value']} | {c['target']} | {met} |")
    met = sum(r["met"] for r in rows)
    lines += ["", f"Targets met by {met} of {len(rows)} objectives. Curves: objective_curves.png. "
              "corpus: the synthetic generator's version the objective pretrained on."]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "objective_targets.json").write_text(json.dumps({"rows": rows}, indent=1) + "\n")
    (RESULTS / "objective_targets.md").write_text("\n".join(lines) + "\n")
    plot(rows, RESULTS / "objective_curves.png")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objectives", nargs="*", default=list(SETUPS))
    parser.add_argument("--steps", type=int, help="shorter than the default recipe's 1,500 steps")
    parser.add_argument("--teacher", type=Path, help="the teacher checkpoint of distillation")
    parser.add_argument("--merge", action="store_true", help="keep other objectives' rows of the last run")
    args = parser.parse_args()
    os.environ.setdefault("NLPBENCH_HOME", tempfile.mkdtemp(prefix="nlpbench-objectives-"))
    from nlpbench.data.synthetic.generator import GENERATOR_VERSION

    mine: dict[str, dict] = {}
    for objective in args.objectives:
        row = pretrain(objective, args.steps, args.teacher)
        mine[objective] = {**row, **verdict(row), "generator": GENERATOR_VERSION}
        print(json.dumps({k: v for k, v in mine[objective].items() if k != "curve"}), flush=True)
        kept = _last_rows() if args.merge else {}  # read now: another shard may have written since
        kept.update(mine)
        write([kept[o] for o in SETUPS if o in kept])


def _last_rows() -> dict[str, dict]:
    last = RESULTS / "objective_targets.json"
    return {r["objective"]: r for r in json.loads(last.read_text())["rows"]} if last.is_file() else {}


if __name__ == "__main__":
    main()
