"""The sweep job: run a validated sweep's trials on Ray Tune, then summarize them from the records."""

from __future__ import annotations

import json

from nlpbench.tuning.spec import SweepSpec
from nlpbench.tuning.summary import SweepSummary, summarize


def sweep(spec: SweepSpec) -> SweepSummary:
    """Run (or resume) the sweep; every trial is one `nlpbench finetune` run recorded with
    ``group=<sweep id>``. Writes ``<sweep dir>/summary.json`` and returns the summary."""
    from nlpbench.fsio import write_text_atomic
    from nlpbench.records import open_store
    from nlpbench.tuning.tuner import run_tune

    outcomes, resumed = run_tune(spec)
    records = open_store(spec.records_url).query(group=spec.sweep_id)
    summary = summarize(spec, outcomes, records, resumed)
    write_text_atomic(spec.sweep_dir / "summary.json", json.dumps(summary.to_dict(), indent=2) + "\n")
    return summary
