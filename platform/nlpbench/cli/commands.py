"""One function per CLI command; each composes its config and calls exactly one runner."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from nlpbench.errors import ConfigError, Problem, StoreError

if TYPE_CHECKING:
    from nlpbench.records.model import RunRecord


def _console() -> Console:
    return Console(soft_wrap=False)


def cmd_finetune(args: argparse.Namespace) -> int:
    from nlpbench.config import compose_config
    from nlpbench.runners.finetune import finetune

    if getattr(args, "multirun", False):
        return _multirun("finetune", args.overrides)
    composed = compose_config("finetune", args.overrides)
    record = finetune(composed)
    console = _console()
    metrics = ", ".join(f"{m.split}/{m.name}={m.value:.4f}" for m in record.metrics)
    console.print(
        f"[bold green]finetune ok[/]  record {record.id}  {record.model} on {record.task} "
        f"(seed {record.seed}): {metrics}  in {record.timings['total']:.1f}s\n"
        f"  outputs: {record.artifacts.get('run_dir')}\n"
        f"  store:   {composed.typed.records.url}   (`nlpbench runs show {record.id}`)"
    )
    return 0


def cmd_pretrain(args: argparse.Namespace) -> int:
    from nlpbench.config import compose_config
    from nlpbench.runners.pretrain import pretrain

    if getattr(args, "multirun", False):
        return _multirun("pretrain", args.overrides)
    composed = compose_config("pretrain", args.overrides)
    record = pretrain(composed)
    metrics = ", ".join(f"{m.split}/{m.name}={m.value:.4g}" for m in record.metrics)
    _console().print(
        f"[bold green]pretrain ok[/]  record {record.id}  {record.model} x {record.objective}: {metrics}  "
        f"in {record.timings['total']:.1f}s\n  checkpoint: {record.artifacts.get('checkpoint')}\n"
        f"  store:      {composed.typed.records.url}   (`nlpbench runs show {record.id}`)"
    )
    return 0


def _multirun(job: str, overrides: list[str]) -> int:
    """`nlpbench finetune -m ...` / `pretrain -m ...`: the overrides as a sweep of that job's trials."""
    from nlpbench.tuning.grammar import CLI_SWEEP

    named = any(o.startswith("sweep=") for o in overrides)
    return cmd_sweep(argparse.Namespace(overrides=[
        *([] if named else [f"sweep={CLI_SWEEP}"]), f"sweep.job={job}", *overrides]))


def cmd_sweep(args: argparse.Namespace) -> int:
    from nlpbench.runners.sweep import sweep
    from nlpbench.tuning.spec import load_sweep

    spec = load_sweep(args.overrides)
    console = _console()
    console.print(f"sweep [bold]{spec.sweep_id}[/]: {spec.config.search} search, {spec.config.scheduler} "
                  f"scheduler, {spec.metric} ({spec.config.mode})\n  experiment: {spec.sweep_dir}")
    summary = sweep(spec)
    table = Table(title=f"sweep {summary.sweep_id}" + (" (resumed)" if summary.resumed else ""))
    for column in (*(d.key for d in spec.dims), "seed", summary.metric, "status", "record", "attempts"):
        table.add_column(column, overflow="fold", no_wrap=column == "record")  # fold, never cut to "…"
    for t in summary.trials:
        value = f"{t.value:.4f}" if t.value is not None else "-"
        table.add_row(*t.params.values(), str(t.seed), value, t.status, t.record_id or "-", str(t.attempts))
    console.print(table)
    for t in summary.trials:
        if t.status == "failed":
            console.print(f"[red]failed[/] {t.command}\n  {t.error}")
    if summary.best:
        best = summary.best
        console.print(f"[bold green]best[/] {summary.metric}={best['mean']:.4f} "
                      f"(mean of seeds {best['seeds']}): " + " ".join(best["overrides"]))
    console.print(f"  summary: {spec.sweep_dir / 'summary.json'}\n"
                  f"  records: `nlpbench runs --group {summary.sweep_id}`")
    return 0 if summary.best else 1


def cmd_validate(args: argparse.Namespace) -> int:
    from nlpbench.config import compose_config

    overrides = list(args.overrides)
    if overrides and overrides[0] in ("finetune", "pretrain", "pipeline"):  # `validate pretrain ...`
        args.job = overrides.pop(0)
    composed = compose_config(args.job, overrides)
    cfg = composed.typed
    parts = [f"job={args.job}"]
    for key in ("model.name", "objective.name", "task.name", "corpus.source", "tokenizer.family", "seed"):
        head, _, tail = key.partition(".")
        value = getattr(getattr(cfg, head, None), tail, None) if tail else getattr(cfg, head, None)
        if value is not None:
            parts.append(f"{head}={value}")
    print("config ok: " + " ".join(parts))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from nlpbench.config.params import PARAMS_FILE, render_params
    from nlpbench.fsio import write_text_atomic

    text = render_params(args.overrides)
    current = PARAMS_FILE.read_text() if PARAMS_FILE.is_file() else None
    if args.check:
        if current == text:
            print(f"{PARAMS_FILE} is up to date with conf/")
            return 0
        print(f"{PARAMS_FILE} differs from conf/pipeline.yaml: run `nlpbench params`", file=sys.stderr)
        return 1
    if current != text:
        write_text_atomic(PARAMS_FILE, text)
        print(f"wrote {PARAMS_FILE}")
    else:
        print(f"{PARAMS_FILE} already up to date")
    return 0


def cmd_ls(args: argparse.Namespace) -> int:
    from nlpbench.catalog import REGISTRIES

    registry = REGISTRIES[args.kind]
    if not len(registry):
        print(f"no {args.kind} registered yet")
        return 0
    table = Table(title=f"registered {args.kind}", show_lines=False)
    table.add_column("name", style="bold")
    table.add_column("version", justify="right")
    table.add_column("summary")
    presets = _model_presets() if args.kind == "models" else {}
    if presets:
        table.add_column("configs (model=...)")
    for entry in registry:
        row = [entry.name, str(entry.version), entry.summary]
        if presets:
            row.append(", ".join(presets.get(entry.name, [])))
        table.add_row(*row)
    _console().print(table)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from nlpbench.config.compose import compose_value
    from nlpbench.records import open_store
    from nlpbench.records.render import record_detail

    columns = _runs_columns(args.columns)
    rest = list(args.args)
    show_id = None
    if rest and rest[0] == "add":
        return _runs_add(rest[1:])
    if rest and rest[0] == "show":
        if len(rest) < 2:
            raise ConfigError([Problem("runs show", "missing the run id", fix="nlpbench runs show <ID>")])
        show_id, rest = rest[1], rest[2:]
    url = compose_value("finetune", rest, "records.url")
    if _missing_sqlite_file(url):
        print(f"no runs yet: the store {url} does not exist", file=sys.stderr)
        return 0
    store = open_store(url)
    if show_id is not None:
        print(record_detail(store.get(show_id)))
        return 0
    records = store.query(job=args.job, status=args.status, model=args.model, task=args.task,
                          group=args.group, limit=args.limit)
    if not records:
        print(f"no runs match in {url}", file=sys.stderr)
        return 0
    _print_runs(records, columns)
    return 0


def _runs_add(rest: list[str]) -> int:
    """`nlpbench runs add FILE... [records.url=...]`: append the records a run kept when the store
    refused them."""
    import json
    from pathlib import Path

    from nlpbench.config.compose import compose_value
    from nlpbench.errors import DataError, DuplicateRunError
    from nlpbench.records import RunRecord, open_store

    files = [Path(a) for a in rest if "=" not in a]
    if not files:
        raise ConfigError([Problem("runs add", "missing the record file(s) to add",
                                   fix="nlpbench runs add outputs/runs/<ID>/record.json")])
    records = []
    for path in files:
        try:
            records.append((path, RunRecord.from_dict(json.loads(path.read_text()))))
        except (OSError, ValueError, KeyError, TypeError, StoreError) as err:
            raise DataError(f"{path}: not a run record nlpbench kept ({err}); expected the JSON file a run "
                            f"wrote when the store refused its record") from err
    url = compose_value("finetune", [a for a in rest if "=" in a], "records.url")
    store = open_store(url)
    for path, record in records:
        try:
            store.append(record)
            print(f"added run {record.id} ({record.job}, {record.status}) from {path} to {url}")
        except DuplicateRunError:
            print(f"run {record.id} from {path} is already in {url}; nothing to add")
    return 0


def _runs_columns(text: str | None) -> tuple[str, ...]:
    """The columns ``--columns`` names (all when not given); an unknown one is a user error."""
    from nlpbench.records.render import TABLE_COLUMNS

    if not text:
        return TABLE_COLUMNS
    wanted = tuple(c.strip() for c in text.split(",") if c.strip())
    unknown = [c for c in wanted if c not in TABLE_COLUMNS]
    if unknown or not wanted:
        what = f"unknown column(s) {unknown}" if unknown else "no column named"
        fix = "--columns id,task,headline"
        raise ConfigError([Problem("--columns", what, choices=TABLE_COLUMNS, fix=fix)])
    return wanted


def _print_runs(records: list[RunRecord], columns: tuple[str, ...]) -> None:
    """A table that folds long cells on a terminal; plain tab-separated lines into a pipe or a file."""
    from nlpbench.progress import stdout_is_terminal
    from nlpbench.records.render import runs_table, runs_text

    if stdout_is_terminal():
        _console().print(runs_table(records, columns=columns))
    else:
        print(runs_text(records, columns))


def cmd_score(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from nlpbench.tasks.scoring import score_files

    scored = score_files(args.task, [Path(g) for g in args.gold], [Path(p) for p in args.predictions],
                         Path(args.na_prob) if args.na_prob else None, strict=args.strict)
    for note in scored.notes:
        print(f"warning: {note}", file=sys.stderr)
    print(json.dumps(scored.metrics))
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    from nlpbench.runners.board import board

    board(args.name, args.overrides, url=args.url, out_dir=args.out, mix_reported=args.mix_reported,
          use_wandb=not args.no_wandb, plots=not args.no_plots)
    return 0


def cmd_ablate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nlpbench.boards.ablation_render import to_markdown
    from nlpbench.boards.ablation_spec import load_ablation
    from nlpbench.runners.ablate import ablate, describe_missing

    spec = load_ablation(args.table, scale=args.scale, seeds=args.seeds)
    result, table = ablate(spec, url=args.url, out_dir=Path(args.out) if args.out else None,
                           dry_run=args.dry_run, local=args.local, say=lambda line: print(line, flush=True))
    if table is None:
        lines = describe_missing(result)
        print(f"{len(lines)} run(s) missing" + (":" if lines else ""))
        for line in lines:
            print(f"  {line}")
        if result.pending:
            print(f"then, once their candidates are pretrained: every run of the tuned rows "
                  f"{', '.join(result.pending)} with the chosen setting")
        return 0
    print()
    print(to_markdown(table, spec.reference, spec.description))
    out = Path(args.out) if args.out else spec.path.parent / (spec.name if spec.scale == "tiny"
                                                             else f"{spec.name}-{spec.scale}")
    print(f"wrote {out}/table.md, table.csv, table.json, table.png")
    complete = all(c.value is not None for r in table.rows for c in r.cells.values())
    return 0 if complete else 1


def cmd_submit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nlpbench.config.compose import compose_value
    from nlpbench.records import open_store
    from nlpbench.runners.submit import build_bundle, select_runs

    url = args.url or str(compose_value("finetune", [], "records.url"))
    if _missing_sqlite_file(url):
        raise ConfigError([Problem("--url", f"the results store {url} does not exist",
                                   fix="fine-tune the tasks first, or --url=<records.url>")])
    runs = select_runs(open_store(url), args.sources)
    result = build_bundle(args.benchmark, runs, Path(args.out), args.allow_partial)
    for file, run_id in result["files"].items():
        print(f"  {file:<14} from run {run_id}")
    if result["missing"]:
        print(f"missing (--allow-partial): {', '.join(result['missing'])}", file=sys.stderr)
    print(f"wrote {result['out']}: {len(result['files'])} file(s)")
    return 0


def cmd_wandb_sync(args: argparse.Namespace) -> int:
    import subprocess
    from pathlib import Path

    from nlpbench.config.compose import compose_value
    from nlpbench.tracking import offline_run_dirs, sync_command

    default = Path(str(compose_value("finetune", [], "logger.dir"))) / "wandb"
    roots = [Path(p) for p in args.paths] or [default]
    missing = [str(r) for r in roots if not r.exists()]
    if missing:
        raise ConfigError([Problem("paths", f"no such folder: {', '.join(missing)}",
                                   fix="give offline run folders, e.g. outputs/wandb/offline-run-*")])
    runs = [d for root in roots for d in offline_run_dirs(root, args.include_synced)]
    if not runs:
        print(f"no offline W&B runs to sync under {', '.join(map(str, roots))}")
        return 0
    command = sync_command(runs)
    for run_dir in runs:
        print(f"  {run_dir}")
    print(f"{len(runs)} offline run(s); " + ("would run: " if args.dry_run else "running: ")
          + " ".join(command))
    if args.dry_run:
        return 0
    return subprocess.run(command).returncode


def _missing_sqlite_file(url: str) -> bool:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return False
    from pathlib import Path

    return not Path(parsed.database).exists()


def _model_presets() -> dict[str, list[str]]:
    """conf/model options by the family they build, e.g. {'bert': ['bert_mini', 'bert_tiny']}."""
    import yaml

    from nlpbench.config import conf_dir, group_options

    presets: dict[str, list[str]] = {}
    for option in group_options("model"):
        data = yaml.safe_load((conf_dir() / "model" / f"{option}.yaml").read_text()) or {}
        presets.setdefault(str(data.get("family")), []).append(option)
    return presets
