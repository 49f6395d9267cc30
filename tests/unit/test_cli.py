"""The CLI: help, listing, validation exit codes, run listing; start-up stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nlpbench.records import Metric, RunRecord, open_store
from tests.conftest import run_cli


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("finetune", "validate", "ls", "runs"):
        assert command in result.stdout


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from nlpbench.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'lightning', 'ray', 'wandb', 'evaluate', 'datasets',"
        " 'transformers', 'hydra') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_ls_lists_registered_components_with_summaries() -> None:
    from nlpbench.catalog import REGISTRIES

    for kind, registry in REGISTRIES.items():
        result = run_cli("ls", kind, env={"COLUMNS": "200"})
        assert result.returncode == 0, result.stderr
        for entry in registry:
            assert entry.name in result.stdout
            assert entry.summary[:30] in result.stdout
        if not len(registry):
            assert f"no {kind} registered yet" in result.stdout


def test_ls_unknown_kind_is_a_usage_error() -> None:
    result = run_cli("ls", "modles")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_validate_ok_and_errors_exit_2_without_traceback(home: Path) -> None:
    ok = run_cli("validate", "model=bert_tiny", "task=synthetic/sst2")
    assert ok.returncode == 0 and "config ok" in ok.stdout
    bad = run_cli("validate", "model=bert_tny", "trainer.max_steps=abc")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "model: unknown model 'bert_tny'. Did you mean 'bert_tiny'?" in bad.stderr
    assert "trainer.max_steps: expected an integer, got 'abc'" in bad.stderr
    pair = run_cli("validate", "pretrain", "model=gpt2", "objective=sop")
    assert pair.returncode == 2 and "Traceback" not in pair.stderr
    assert "'sop' applies to encoder models, but 'gpt2' is a decoder" in pair.stderr
    assert "fix: objective=clm" in pair.stderr


def test_finetune_with_bad_config_writes_no_record(home: Path) -> None:
    result = run_cli("finetune", "task=synthetic/nope")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (home / "results" / "records.sqlite").exists()
    assert not (home / "outputs").exists()


def _record(**kw: object) -> RunRecord:
    base: dict = dict(job="finetune", status="ok", model="bert_tiny", task="synthetic/sst2",
                      seed=0, config={"seed": 0}, metrics=[Metric("accuracy", "dev", 0.9)],
                      headline_metric="accuracy", headline_value=0.9, timings={"total": 12.0})
    base.update(kw)
    return RunRecord(**base)


def test_runs_lists_filters_and_shows(home: Path) -> None:
    empty = run_cli("runs")
    assert empty.returncode == 0 and "no runs yet" in empty.stderr
    store = open_store(f"sqlite:///{home}/results/records.sqlite")
    ok, failed = _record(), _record(status="failed", error="ValueError: boom", model="bert_mini")
    store.append(ok)
    store.append(failed)
    listing = run_cli("runs", env={"COLUMNS": "200"})
    assert listing.returncode == 0
    assert ok.id in listing.stdout and failed.id in listing.stdout
    header, *rows = listing.stdout.splitlines()  # into a pipe: plain tab-separated lines, nothing cut
    assert header.split("\t") == ["id", "created", "job", "status", "model", "task", "seed", "headline",
                                  "wall"]
    assert {r.split("\t")[0] for r in rows} == {ok.id, failed.id}
    picked = run_cli("runs", "--columns", "id,headline")
    assert sorted(picked.stdout.splitlines()[1:]) == sorted(f"{r.id}\taccuracy=0.9" for r in (ok, failed))
    wrong = run_cli("runs", "--columns", "id,acc")
    assert wrong.returncode == 2 and "--columns: unknown column(s) ['acc']" in wrong.stderr
    only_failed = run_cli("runs", "--status", "failed", env={"COLUMNS": "200"})
    assert failed.id in only_failed.stdout and ok.id not in only_failed.stdout
    shown = run_cli("runs", "show", ok.id[:6])
    assert shown.returncode == 0
    assert ok.id in shown.stdout and "accuracy" in shown.stdout
    missing = run_cli("runs", "show", "zzzz")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_runs_on_corrupt_store_is_a_clear_error(home: Path) -> None:
    bad = home / "results" / "records.sqlite"
    bad.parent.mkdir()
    bad.write_text("garbage")
    result = run_cli("runs")
    assert result.returncode == 2
    assert "not a valid SQLite results store" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_text() == "garbage"
