"""The `nlpbench` command: parse arguments, call one runner, turn user errors into clear exits."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from nlpbench import __version__
from nlpbench.errors import NlpbenchError

KINDS = ("models", "objectives", "tasks", "kinds", "heads", "metrics", "corpora", "tokenizers")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlpbench",
        description="Run, sweep and compare transformer language-model experiments.",
        epilog="Configs are composed by Hydra from conf/: pass overrides as key=value, "
        "e.g. `nlpbench finetune model=bert_tiny task=synthetic/sst2 seed=0`.",
    )
    parser.add_argument("--version", action="version", version=f"nlpbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    multirun = ("run every combination of the values in Hydra's sweep grammar (model=a,b, "
                "optim.lr=range(...)) as a recorded, resumable sweep on Ray Tune (`nlpbench sweep`)")
    p = sub.add_parser("finetune", help="fine-tune a model on a task and record the run")
    p.add_argument("-m", "--multirun", action="store_true", help=multirun)
    p.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. model=bert_tiny seed=1")

    p = sub.add_parser("pretrain", help="pretrain model x objective on a corpus and record the run")
    p.add_argument("-m", "--multirun", action="store_true", help=multirun)
    p.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. model=gpt2 objective=clm")

    p = sub.add_parser("sweep",
                       help="run a hyperparameter sweep of fine-tuning or pretraining trials on Ray Tune",
                       description="Run conf/sweep/<name>.yaml, or a sweep written on the command line in "
                       "Hydra's sweep grammar (model=a,b 'optim.lr=tag(log,interval(1e-5,1e-3))'): "
                       "every trial is one recorded run with group=<sweep id>; rerunning the same command "
                       "resumes it.")
    p.add_argument("overrides", nargs="*",
                   help="[sweep=<name>] [sweep.<key>=<value> (e.g. sweep.num_samples=8, "
                   "sweep.ray.address=auto)] and the trials' overrides, sweep values among them")

    p = sub.add_parser("validate", help="compose and check a config without running it")
    p.add_argument("--job", default="finetune", help="which job's config (default: finetune)")
    p.add_argument("overrides", nargs="*",
                   help="Hydra overrides to check; may start with the job: validate pretrain model=gpt2")

    p = sub.add_parser("params", help="compose params.yaml (the DVC pipeline's parameters) from conf/")
    p.add_argument("--check", action="store_true", help="only report whether params.yaml is up to date")
    p.add_argument("overrides", nargs="*", help="Hydra overrides of conf/pipeline.yaml")

    p = sub.add_parser("ls", help="list registered components with their summaries")
    p.add_argument("kind", choices=KINDS, help="what to list")

    _add_runs_and_score(sub)

    _add_boards_and_submissions(sub)
    return parser


def _add_boards_and_submissions(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The commands that turn recorded runs into outputs: board, ablate, submit, wandb-sync."""
    p = sub.add_parser("board", help="build a leaderboard from the results store (md/csv/json/html/png, W&B)")
    p.add_argument("name", help="a board in leaderboards/ (synthetic, glue, superglue, squad) or a YAML path")
    p.add_argument("overrides", nargs="*", help="overrides such as logger.mode=online or paths.root=DIR")
    p.add_argument("--url", help="records.url of the results store (default: from conf/)")
    p.add_argument("--out", help="output folder (default: leaderboards/<name>/)")
    p.add_argument("--mix-reported", action="store_true", help="rank reported rows together with measured")
    p.add_argument("--no-wandb", action="store_true", help="do not log the board to W&B")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")

    p = sub.add_parser("ablate", help="run an ablation table's missing runs and write it (md/csv/json/png)",
                       description="Read leaderboards/ablations/<table>.yaml, run the variant x seed runs "
                       "not yet in the results store (pretrain, then fine-tune each column task) through Ray "
                       "Tune, and write the table with paired tests against the baseline to "
                       "leaderboards/ablations/<table>/.")
    p.add_argument("table", help="a table in leaderboards/ablations/ (roberta_t1_masking, ...) or a YAML")
    p.add_argument("--seeds", type=int, help="run seeds 0..N-1 instead of the file's seeds")
    p.add_argument("--scale", help="a scale of the file (default: tiny; e.g. paper for the paper's size)")
    p.add_argument("--dry-run", action="store_true", help="only list the runs still missing")
    p.add_argument("--local", action="store_true", help="run the units one after another, without Ray")
    p.add_argument("--url", help="records.url of the results store (default: from conf/)")
    p.add_argument("--out", help="output folder (default: leaderboards/ablations/<table>/)")

    p = sub.add_parser("submit", help="zip the official GLUE/SuperGLUE submission files of recorded runs",
                       description="Collect each task's test predictions from the given runs (the best "
                       "headline wins), check their row counts against the test files, and zip them "
                       "under their official names.")
    p.add_argument("benchmark", choices=("glue", "superglue"))
    p.add_argument("--from", dest="sources", nargs="+", required=True, metavar="RUN_OR_GROUP",
                   help="run ids (or prefixes) or groups of runs (a sweep)")
    p.add_argument("--out", required=True, help="the zip file to write")
    p.add_argument("--allow-partial", action="store_true", help="write the bundle even if tasks are missing")
    p.add_argument("--url", help="records.url of the results store (default: from conf/)")

    p = sub.add_parser("wandb-sync", help="upload offline W&B runs with `wandb sync` (needs network)")
    p.add_argument("paths", nargs="*", help="offline run folders or folders holding them "
                   "(default: the logger's wandb/ folder)")
    p.add_argument("--dry-run", action="store_true", help="only list the runs and the command")
    p.add_argument("--include-synced", action="store_true", help="also runs synced before")


def _add_runs_and_score(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `runs` and `score` subcommands: reading the store, and scoring prediction files."""
    p = sub.add_parser("runs", help="list recorded runs (`runs show ID` prints one in full, `runs add FILE` "
                       "stores a record a run kept when the store refused it)")
    p.add_argument("args", nargs="*", metavar="show ID | add FILE | override",
                   help="`show ID`, `add FILE...`, or overrides such as records.url=sqlite:///other.sqlite")
    p.add_argument("--job", help="only runs of this job")
    p.add_argument("--status", choices=("ok", "failed"), help="only runs with this status")
    p.add_argument("--model", help="only runs of this model config name")
    p.add_argument("--task", help="only runs of this task")
    p.add_argument("--group", help="only runs of this group (sweep id)")
    p.add_argument("--limit", type=int, default=50, help="at most this many rows (default 50)")
    p.add_argument("--columns", help="comma-separated columns to show, of: id, created, job, status, "
                   "model, task, seed, headline, wall (default: all)")

    p = sub.add_parser("score", help="score a prediction file against a labelled split (one JSON object)",
                       description="Score predictions in the benchmark's submission format against a "
                       "labelled file in the official format; prints one JSON object with every metric "
                       "of the task and `score`, the task's headline.")
    p.add_argument("task", help="registered task, e.g. glue/mrpc, superglue/multirc, squad/v2")
    p.add_argument("--gold", action="append", required=True, metavar="FILE",
                   help="labelled split in the official format (MNLI: repeat for matched, mismatched)")
    p.add_argument("--predictions", action="append", required=True, metavar="FILE",
                   help="predictions in the submission format, one file per --gold")
    p.add_argument("--na-prob", metavar="FILE",
                   help="SQuAD v2 only: JSON {question id: probability of no answer}")
    p.add_argument("--strict", action="store_true",
                   help="refuse predictions for ids the gold file lacks, and gold ids without a "
                        "prediction (by default, as the official scripts: ignored, and scored as wrong)")

def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from nlpbench.cli import commands

    return run_user_errors(getattr(commands, f"cmd_{args.command.replace('-', '_')}"), args)


def run_user_errors(fn: Callable[..., object], *args: object) -> int:
    """Call ``fn``; a user error becomes one clear message and its exit code, no traceback."""
    try:
        return int(fn(*args) or 0)  # type: ignore[call-overload]
    except NlpbenchError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
