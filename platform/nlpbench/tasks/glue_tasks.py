"""GLUE task specs: files, columns and labels as in the GLUE distribution, metrics, submission names.

Columns as the GLUE download writes them: CoLA's train/dev have no header (source, label,
original-label mark, sentence); MRPC's are "Quality", "#1 ID", "#2 ID", "#1 String",
"#2 String"; QQP's id column is "id"; MNLI's label is "gold_label" among many columns; STS-B's
score is "score". The diagnostic set AX is scored against an MNLI model.
"""

from __future__ import annotations

from nlpbench.tasks.glue import SST2 as SST2_CLASSIFICATION
from nlpbench.tasks.spec import TaskSpec

SPLITS = {"train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"}
BINARY = ("0", "1")
ENTAILMENT = ("entailment", "not_entailment")
NLI3 = ("entailment", "neutral", "contradiction")


def _glue(folder: str, inputs: tuple[str, ...], submission: str, **kw: object) -> TaskSpec:
    base: dict[str, object] = dict(
        benchmark="glue", file_format="glue_tsv", kind="classification", folder=folder,
        split_files=SPLITS, inputs=inputs, submissions={"test": submission},
    )
    base.update(kw)
    return TaskSpec(**base)  # type: ignore[arg-type]


COLA = _glue("CoLA", ("sentence",), "CoLA.tsv", labels=BINARY, metrics=("mcc",), headline="mcc",
             columns=("source", "label", "original_label", "sentence"))
SST2 = TaskSpec.from_classification(SST2_CLASSIFICATION, "glue")
MRPC = _glue("MRPC", ("#1 String", "#2 String"), "MRPC.tsv", labels=BINARY, label_field="Quality",
             metrics=("f1", "accuracy"), headline="f1_accuracy")
STSB = _glue("STS-B", ("sentence1", "sentence2"), "STS-B.tsv", kind="regression", label_field="score",
             metrics=("pearson", "spearman"), headline="pearson_spearman")
QQP = _glue("QQP", ("question1", "question2"), "QQP.tsv", labels=BINARY, label_field="is_duplicate",
            index_field="id", metrics=("f1", "accuracy"), headline="f1_accuracy")
MNLI = _glue(
    "MNLI", ("sentence1", "sentence2"), "MNLI-m.tsv", labels=NLI3, label_field="gold_label",
    metrics=("accuracy",), headline="accuracy", parts=("matched", "mismatched"),
    split_files={"train": "train.tsv", "dev_matched": "dev_matched.tsv",
                 "dev_mismatched": "dev_mismatched.tsv", "test_matched": "test_matched.tsv",
                 "test_mismatched": "test_mismatched.tsv",
                 # the fine-tuning slice asks for "dev" and "test": the matched halves
                 "dev": "dev_matched.tsv", "test": "test_matched.tsv"},
    submissions={"test_matched": "MNLI-m.tsv", "test_mismatched": "MNLI-mm.tsv"},
)
QNLI = _glue("QNLI", ("question", "sentence"), "QNLI.tsv", labels=ENTAILMENT, metrics=("accuracy",),
             headline="accuracy")
RTE = _glue("RTE", ("sentence1", "sentence2"), "RTE.tsv", labels=ENTAILMENT, metrics=("accuracy",),
            headline="accuracy")
WNLI = _glue("WNLI", ("sentence1", "sentence2"), "WNLI.tsv", labels=BINARY, metrics=("accuracy",),
             headline="accuracy")
# diagnostic.tsv (index, sentence1, sentence2) has no labels; the labelled diagnostic-full.tsv
# names its columns Premise, Hypothesis and Label, read here under the aliases.
AX = _glue("diagnostic", ("sentence1", "sentence2"), "AX.tsv", labels=NLI3, metrics=("mcc",),
           headline="mcc", split_files={"test": "diagnostic.tsv", "full": "diagnostic-full.tsv"},
           aliases={"Premise": "sentence1", "Hypothesis": "sentence2", "Label": "label"})
