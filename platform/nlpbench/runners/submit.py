"""Submission bundles: the official GLUE / SuperGLUE files from recorded runs, checked, then zipped."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, DataError, Problem, StoreError
from nlpbench.records import RunRecord


@dataclass(frozen=True)
class Slot:
    """One official file of a bundle: the task that owns it and the test split it answers."""

    file: str
    task: str
    spec: Any
    split: str


def slots(benchmark: str) -> dict[str, Slot]:
    """Every official submission file of ``benchmark``, in the order the benchmark lists them."""
    from nlpbench.catalog import TASKS
    from nlpbench.tasks.official.submission import GLUE_SUBMISSIONS, SUPERGLUE_SUBMISSIONS
    from nlpbench.tasks.spec import TaskSpec

    order = {"glue": GLUE_SUBMISSIONS, "superglue": SUPERGLUE_SUBMISSIONS}[benchmark]
    found: dict[str, Slot] = {}
    for entry in TASKS:
        spec = entry.load() if entry.meta.get("benchmark") == benchmark else None
        if isinstance(spec, TaskSpec):
            for split, file in spec.submissions.items():
                found[file] = Slot(file, entry.name, spec, split)
    return {file: found[file] for file in order}


def select_runs(store: Any, sources: list[str]) -> list[RunRecord]:
    """Runs named by id (or id prefix) or by group (a sweep); only successful fine-tuning runs."""
    runs: list[RunRecord] = []
    for source in sources:
        try:
            runs.append(store.get(source))
            continue
        except StoreError:
            pass
        group = store.query(job="finetune", status="ok", group=source)
        if not group:
            raise ConfigError([Problem("--from", f"{source!r} is neither a run id nor a group of runs",
                                       fix="nlpbench runs (to list ids and groups)")])
        runs.extend(group)
    return [r for r in runs if r.job == "finetune" and r.status == "ok"]


def pick_files(runs: list[RunRecord], wanted: dict[str, Slot]) -> dict[str, tuple[Path, RunRecord]]:
    """For each official file, the prediction of the run with the best headline score (ties: the
    latest run)."""
    best: dict[str, tuple[Path, RunRecord]] = {}
    for run in runs:
        for key, value in run.artifacts.items():
            path = Path(value)
            if not key.startswith("predictions") or path.name not in wanted or not path.is_file():
                continue
            held = best.get(path.name)
            if held is None or (run.headline_value or 0.0) >= (held[1].headline_value or 0.0):
                best[path.name] = (path, run)
    return best


def _rows(path: Path) -> int:
    """Data rows of a TSV (after its header) or JSON-lines file."""
    lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    return len(lines) - 1 if path.suffix == ".tsv" else len(lines)


def check_rows(slot: Slot, prediction: Path, run: RunRecord) -> str | None:
    """A problem when the prediction file's rows differ from the official test file's, else None."""
    data_dir = Path((run.config.get("task") or {}).get("data_dir") or "")
    test = slot.spec.split_path(data_dir, slot.split)
    if not test.is_file():
        return f"{slot.file}: cannot check rows: the test file {test} (run {run.id}) is missing"
    expected, got = _rows(test), _rows(prediction)
    if expected != got:
        return f"{slot.file}: {got} predictions for the {expected} rows of {test} (run {run.id})"
    return None


def build_bundle(benchmark: str, runs: list[RunRecord], out: Path, allow_partial: bool) -> dict[str, Any]:
    """Check every file, then write the zip atomically; return what went in and what is missing."""
    wanted = slots(benchmark)
    chosen = pick_files(runs, wanted)
    problems = [p for file, (path, run) in chosen.items() if (p := check_rows(wanted[file], path, run))]
    if problems:
        raise DataError("the bundle is not written:\n  " + "\n  ".join(problems))
    missing = [file for file in wanted if file not in chosen]
    if missing and not allow_partial:
        raise DataError(f"{len(missing)} of {len(wanted)} files have no prediction in these runs: "
                        f"{', '.join(missing)}; fine-tune those tasks or pass --allow-partial")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.building")
    try:
        with zipfile.ZipFile(staging, "w", zipfile.ZIP_DEFLATED) as bundle:
            for file in wanted:
                if file in chosen:
                    bundle.write(chosen[file][0], arcname=file)
        os.replace(staging, out)  # a reader never sees half a bundle
    finally:
        staging.unlink(missing_ok=True)
    return {"out": str(out), "files": {f: run.id for f, (_, run) in chosen.items()}, "missing": missing}
