"""Benchmark tasks, registered by name: spec, official-format reader and synthetic stand-in."""

from typing import Any

from nlpbench.registry import Registry

TASKS = Registry("task")
TASKS.register(
    "synthetic/sst2", "nlpbench.tasks.glue:SST2",
    "generated binary sentiment (negation, intensifiers, contrast) in GLUE SST-2 TSV format",
    benchmark="synthetic", headline="accuracy",
)
TASKS.register(
    "glue/sst2", "nlpbench.tasks.glue_tasks:SST2",
    "GLUE SST-2 binary sentiment from a local GLUE data folder (<data_dir>/SST-2/*.tsv)",
    benchmark="glue", headline="accuracy",
)


def _benchmark_task(name: str, target: str, summary: str, benchmark: str, headline: str,
                    model_task: str | None = None) -> None:
    """Register a benchmark task; ``model_task`` names the task whose model predicts a diagnostic."""
    extra: dict[str, Any] = {"model_task": model_task} if model_task else {}
    TASKS.register(name, target, summary, benchmark=benchmark, headline=headline, **extra)


_G, _S, _Q = "nlpbench.tasks.glue_tasks", "nlpbench.tasks.superglue", "nlpbench.tasks.squad"
for _name, _attr, _headline, _summary in (
    ("cola", "COLA", "mcc", "GLUE CoLA acceptability (MCC), headerless train/dev TSV in CoLA/"),
    ("mrpc", "MRPC", "f1_accuracy", "GLUE MRPC paraphrase (F1 and accuracy) from MRPC/*.tsv"),
    ("stsb", "STSB", "pearson_spearman", "GLUE STS-B similarity regression (Pearson, Spearman) from STS-B/"),
    ("qqp", "QQP", "f1_accuracy", "GLUE QQP duplicate questions (F1 and accuracy) from QQP/*.tsv"),
    ("mnli", "MNLI", "accuracy",
     "GLUE MNLI 3-way entailment, dev_matched and dev_mismatched (mean accuracy) from MNLI/"),
    ("qnli", "QNLI", "accuracy", "GLUE QNLI question/sentence entailment (accuracy) from QNLI/*.tsv"),
    ("rte", "RTE", "accuracy", "GLUE RTE entailment (accuracy) from RTE/*.tsv"),
    ("wnli", "WNLI", "accuracy", "GLUE WNLI Winograd entailment (accuracy) from WNLI/*.tsv"),
):
    _benchmark_task(f"glue/{_name}", f"{_G}:{_attr}", _summary, "glue", _headline)
_benchmark_task("glue/ax", f"{_G}:AX", "GLUE diagnostic AX (3-class MCC) from diagnostic/diagnostic.tsv, "
                "predicted by an MNLI model", "glue", "mcc", model_task="glue/mnli")
for _name, _attr, _headline, _summary in (
    ("boolq", "BOOLQ", "accuracy", "SuperGLUE BoolQ yes/no questions (accuracy) from BoolQ/*.jsonl"),
    ("cb", "CB", "accuracy_macro_f1", "SuperGLUE CommitmentBank 3-way entailment (accuracy, macro-F1)"),
    ("copa", "COPA", "accuracy", "SuperGLUE COPA causal choice between two alternatives (accuracy)"),
    ("multirc", "MULTIRC", "f1a_em", "SuperGLUE MultiRC multi-answer reading (F1a, EM), nested passages"),
    ("record", "RECORD", "record_f1_em", "SuperGLUE ReCoRD cloze over passage entities (token F1, EM)"),
    ("rte", "RTE", "accuracy", "SuperGLUE RTE entailment (accuracy) from RTE/*.jsonl"),
    ("wic", "WIC", "accuracy", "SuperGLUE WiC word sense in context (accuracy) from WiC/*.jsonl"),
    ("wsc", "WSC", "accuracy", "SuperGLUE WSC pronoun resolution over word spans (accuracy)"),
    ("axb", "AXB", "mcc", "SuperGLUE broad-coverage diagnostic AX-b (MCC) from AX-b/AX-b.jsonl"),
    ("axg", "AXG", "gender_parity",
     "SuperGLUE Winogender diagnostic AX-g (gender parity, accuracy) from AX-g/AX-g.jsonl"),
):
    _benchmark_task(f"superglue/{_name}", f"{_S}:{_attr}", _summary, "superglue", _headline,
                    "superglue/rte" if _name in ("axb", "axg") else None)
_benchmark_task("squad/v1", f"{_Q}:SQUAD_V1", "SQuAD v1.1 extractive QA (exact match, F1) from "
                "train-v1.1.json / dev-v1.1.json", "squad", "squad_f1")
_benchmark_task("squad/v2", f"{_Q}:SQUAD_V2", "SQuAD v2.0 extractive QA with unanswerable questions "
                "(exact, F1, best thresholds) from dev-v2.0.json", "squad", "squad_v2_f1")

# offline stand-ins of the fine-tunable tasks: the same spec, files generated from the synthetic
# language in the official layout (nlpbench.tasks.standins); records keep them apart by name
STANDIN_TASKS = (
    "glue/cola", "glue/sst2", "glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/qnli", "glue/rte",
    "glue/wnli", "superglue/boolq", "superglue/cb", "superglue/copa", "superglue/multirc", "superglue/record",
    "superglue/rte", "superglue/wic", "superglue/wsc", "squad/v1", "squad/v2",
)
for _name in STANDIN_TASKS:
    _real = TASKS.get(_name)
    TASKS.register(f"synthetic/{_name}", _real.target if _name != "glue/sst2" else f"{_G}:SST2",
                   f"stand-in generated from the synthetic language: {_real.summary}",
                   benchmark="synthetic", headline=_real.meta["headline"], standin_of=_name)
