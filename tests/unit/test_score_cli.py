"""The `nlpbench score` command run as a subprocess: one JSON object on stdout, notes on stderr,
user errors exit 2 with one clear message and no traceback, and a light import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.unit._benchmark_samples import write_sample


def _put(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _one_json_object(stdout: str) -> dict[str, object]:
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout
    value = json.loads(lines[0])
    assert isinstance(value, dict)
    return value


def test_score_prints_one_json_object_with_every_metric(tmp_path: Path) -> None:
    gold = write_sample("glue/mrpc", tmp_path / "glue")
    pred = _put(tmp_path / "MRPC.tsv", "index\tprediction\n0\t1\n1\t0\n2\t1\n")
    result = run_cli("score", "glue/mrpc", "--gold", str(gold), "--predictions", pred)
    assert result.returncode == 0, result.stderr
    assert _one_json_object(result.stdout) == {"f1": 1.0, "accuracy": 1.0, "score": 1.0}
    assert result.stderr == ""


def test_missing_predictions_are_counted_on_stderr(tmp_path: Path) -> None:
    gold = write_sample("superglue/boolq", tmp_path / "sg")
    pred = _put(tmp_path / "BoolQ.jsonl", '{"idx": 0, "label": "true"}\n')
    result = run_cli("score", "superglue/boolq", "--gold", str(gold), "--predictions", pred)
    assert result.returncode == 0, result.stderr
    assert _one_json_object(result.stdout) == {"accuracy": 0.5, "score": 0.5}
    assert "warning: 1 of 2 examples" in result.stderr and "scored as wrong" in result.stderr


def test_squad_v2_with_na_prob_and_mnli_pairs(tmp_path: Path) -> None:
    gold = write_sample("squad/v2", tmp_path / "squad")
    pred = _put(tmp_path / "pred.json", json.dumps({"a1": "France", "a2": "", "a3": "name"}))
    na = _put(tmp_path / "na.json", json.dumps({"a1": 0.2, "a2": 0.7, "a3": 0.1}))
    result = run_cli("score", "squad/v2", "--gold", str(gold), "--predictions", pred, "--na-prob", na)
    assert result.returncode == 0, result.stderr
    out = _one_json_object(result.stdout)
    assert list(out) == ["exact", "f1", "total", "HasAns_exact", "HasAns_f1", "HasAns_total", "NoAns_exact",
                         "NoAns_f1", "NoAns_total", "best_exact", "best_exact_thresh", "best_f1",
                         "best_f1_thresh", "score"]
    assert out["exact"] == 100.0 and out["score"] == out["f1"] == 100.0

    m = write_sample("glue/mnli", tmp_path / "glue")
    pm = _put(tmp_path / "MNLI-m.tsv", "index\tprediction\n0\tneutral\n1\tentailment\n2\tcontradiction\n")
    pmm = _put(tmp_path / "MNLI-mm.tsv", "index\tprediction\n0\tneutral\n1\tneutral\n2\tneutral\n")
    result = run_cli("score", "glue/mnli", "--gold", str(m), "--gold", str(m), "--predictions", pm,
                     "--predictions", pmm)
    assert result.returncode == 0, result.stderr
    out = _one_json_object(result.stdout)
    assert out["accuracy_matched"] == 1.0 and abs(out["score"] - 2 / 3) < 1e-12  # (1 + 1/3) / 2


def test_user_errors_exit_2_with_one_clear_message(tmp_path: Path) -> None:
    gold = write_sample("glue/rte", tmp_path / "glue")
    cases = {
        "unknown task": (["glue/rtee", "--gold", str(gold), "--predictions", str(gold)],
                         "unknown task 'glue/rtee'. Did you mean 'glue/rte'?"),
        "missing file": (["glue/rte", "--gold", str(gold), "--predictions", str(tmp_path / "nope.tsv")],
                         f"{tmp_path / 'nope.tsv'}: file not found"),
        "bad label": (["glue/rte", "--gold", str(gold), "--predictions",
                       _put(tmp_path / "RTE.tsv", "index\tprediction\n0\tentailment\n1\tyes\n")],
                      "RTE.tsv, line 3: prediction 'yes' is not one of ['entailment', 'not_entailment']"),
        "unknown id": (["glue/rte", "--strict", "--gold", str(gold), "--predictions",
                        _put(tmp_path / "R2.tsv", "index\tprediction\n5\tentailment\n")],
                       "R2.tsv, line 2: id '5' is not in the gold file"),
        "na-prob elsewhere": (["glue/rte", "--gold", str(gold), "--predictions", str(gold), "--na-prob",
                               str(gold)], "--na-prob: only SQuAD v2 takes a no-answer probability file"),
    }
    for name, (args, message) in cases.items():
        result = run_cli("score", *args)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stdout == "", name
        assert "Traceback" not in result.stderr, name
        assert message in result.stderr, (name, result.stderr)
    usage = run_cli("score", "glue/rte", "--gold", str(gold))
    assert usage.returncode == 2 and "--predictions" in usage.stderr


def test_extra_ids_are_counted_on_stderr_and_refused_with_strict(tmp_path: Path) -> None:
    gold = write_sample("glue/rte", tmp_path / "glue")
    pred = _put(tmp_path / "RTE.tsv", "index\tprediction\n0\tentailment\n7\tentailment\n8\tentailment\n")
    lenient = run_cli("score", "glue/rte", "--gold", str(gold), "--predictions", pred)
    assert lenient.returncode == 0, lenient.stderr
    assert "warning: 2 predictions in" in lenient.stderr and "ignored" in lenient.stderr
    assert "have no prediction" in lenient.stderr  # the gold ids without one are counted too
    assert "score" in _one_json_object(lenient.stdout)
    strict = run_cli("score", "glue/rte", "--strict", "--gold", str(gold), "--predictions", pred)
    assert strict.returncode == 2 and strict.stdout == "" and "Traceback" not in strict.stderr
    assert "RTE.tsv, line 3: id '7' is not in the gold file" in strict.stderr and "--strict" in strict.stderr


def test_help_lists_score() -> None:
    result = run_cli("--help")
    assert result.returncode == 0 and "score" in result.stdout
    result = run_cli("score", "--help")
    assert result.returncode == 0 and "--na-prob" in result.stdout


def test_score_imports_no_heavy_library(tmp_path: Path) -> None:
    gold = write_sample("squad/v1", tmp_path / "squad")
    pred = _put(tmp_path / "p.json", json.dumps({"q1": "France"}))
    code = (
        "import sys\n"
        "from nlpbench.cli.main import main\n"
        f"rc = main(['score', 'squad/v1', '--gold', {str(gold)!r}, '--predictions', {pred!r}])\n"
        "heavy = [m for m in ('torch', 'lightning', 'ray', 'wandb', 'evaluate', 'datasets',"
        " 'transformers', 'hydra', 'sklearn', 'scipy') if m in sys.modules]\n"
        "print(rc, heavy, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "0 []"
