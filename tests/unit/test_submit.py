"""`nlpbench submit`: official names, best run per file, row checks, partial bundles refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from nlpbench.errors import DataError
from nlpbench.records import Metric, RunRecord, open_store
from nlpbench.runners.submit import build_bundle, slots
from tests.conftest import run_cli


def _record(task: str, data: Path, predictions: Path, score: float) -> RunRecord:
    return RunRecord(job="finetune", status="ok", model="bert_tiny", task=task, seed=0,
                     config={"task": {"name": task, "data_dir": str(data)}},
                     metrics=[Metric("accuracy", "dev", score)], headline_metric="accuracy",
                     headline_value=score, artifacts={"predictions": str(predictions)})


def _tsv(path: Path, header: str, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


@pytest.fixture()
def glue(tmp_path: Path) -> Path:
    data = tmp_path / "glue"
    _tsv(data / "STS-B" / "test.tsv", "index\tsentence1\tsentence2", ["0\ta\tb", "1\tc\td", "2\te\tf"])
    _tsv(data / "RTE" / "test.tsv", "index\tsentence1\tsentence2", ["0\ta\tb", "1\tc\td"])
    return data


def test_glue_slots_are_the_eleven_official_files() -> None:
    files = slots("glue")
    assert list(files)[:3] == ["CoLA.tsv", "SST-2.tsv", "MRPC.tsv"] and len(files) == 11
    assert files["MNLI-mm.tsv"].split == "test_mismatched" and files["AX.tsv"].task == "glue/ax"
    assert len(slots("superglue")) == 10


def test_bundle_takes_the_best_run_checks_rows_and_refuses_partial(glue: Path, tmp_path: Path) -> None:
    weak = _tsv(tmp_path / "weak" / "STS-B.tsv", "index\tprediction", ["0\t1.0", "1\t2.0", "2\t3.0"])
    strong = _tsv(tmp_path / "strong" / "STS-B.tsv", "index\tprediction", ["0\t4.0", "1\t2.5", "2\t0.5"])
    rte = _tsv(tmp_path / "rte" / "RTE.tsv", "index\tprediction", ["0\tentailment", "1\tnot_entailment"])
    runs = [_record("glue/stsb", glue, weak, 0.4), _record("glue/stsb", glue, strong, 0.8),
            _record("glue/rte", glue, rte, 0.6)]
    out = tmp_path / "bundle.zip"
    with pytest.raises(DataError, match="9 of 11 files have no prediction.*--allow-partial"):
        build_bundle("glue", runs, out, allow_partial=False)
    assert not out.exists()

    result = build_bundle("glue", runs, out, allow_partial=True)
    assert result["files"] == {"STS-B.tsv": runs[1].id, "RTE.tsv": runs[2].id}
    with zipfile.ZipFile(out) as bundle:
        assert sorted(bundle.namelist()) == ["RTE.tsv", "STS-B.tsv"]
        assert bundle.read("STS-B.tsv").decode() == strong.read_text()

    short = _tsv(tmp_path / "short" / "RTE.tsv", "index\tprediction", ["0\tentailment"])
    before = out.read_bytes()
    with pytest.raises(DataError, match="RTE.tsv: 1 predictions for the 2 rows of"):
        build_bundle("glue", [_record("glue/rte", glue, short, 0.9)], out, allow_partial=True)
    assert out.read_bytes() == before  # the earlier bundle is untouched


def test_submit_cli_reads_runs_from_the_store(home: Path, glue: Path, tmp_path: Path) -> None:
    rte = _tsv(tmp_path / "rte" / "RTE.tsv", "index\tprediction", ["0\tentailment", "1\tnot_entailment"])
    run = _record("glue/rte", glue, rte, 0.6)
    open_store(f"sqlite:///{home}/results/records.sqlite").append(run)
    out = tmp_path / "glue.zip"
    refused = run_cli("submit", "glue", "--from", run.id[:8], "--out", str(out))
    assert refused.returncode == 2 and "--allow-partial" in refused.stderr and not out.exists()
    done = run_cli("submit", "glue", "--from", run.id[:8], "--out", str(out), "--allow-partial")
    assert done.returncode == 0, done.stderr
    assert "RTE.tsv" in done.stdout and zipfile.ZipFile(out).namelist() == ["RTE.tsv"]
    unknown = run_cli("submit", "glue", "--from", "nosuchgroup", "--out", str(out))
    assert unknown.returncode == 2 and "neither a run id nor a group" in unknown.stderr
