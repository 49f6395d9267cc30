"""SuperGLUE task specs: <Task>/train.jsonl, val.jsonl, test.jsonl and AX-b/AX-g as distributed."""

from __future__ import annotations

from nlpbench.tasks.spec import TaskSpec

SPLITS = {"train": "train.jsonl", "dev": "val.jsonl", "test": "test.jsonl"}
BOOL = ("false", "true")
ENTAILMENT = ("entailment", "not_entailment")


def _superglue(folder: str, inputs: tuple[str, ...], **kw: object) -> TaskSpec:
    base: dict[str, object] = dict(
        benchmark="superglue", file_format="superglue_jsonl", kind="classification", folder=folder,
        split_files=SPLITS, inputs=inputs, index_field="idx", metrics=("accuracy",),
        headline="accuracy", submissions={"test": f"{folder}.jsonl"},
    )
    base.update(kw)
    return TaskSpec(**base)  # type: ignore[arg-type]


BOOLQ = _superglue("BoolQ", ("question", "passage"), labels=BOOL)
CB = _superglue("CB", ("premise", "hypothesis"), labels=("entailment", "contradiction", "neutral"),
                metrics=("accuracy", "macro_f1"), headline="accuracy_macro_f1")
COPA = _superglue("COPA", ("premise", "choice1", "choice2", "question"), kind="multiple_choice",
                 labels=("0", "1"))
MULTIRC = _superglue("MultiRC", ("paragraph", "question", "answer"), kind="multirc", labels=("0", "1"),
                     metrics=("f1a", "multirc_em"), metric_keys={"multirc_em": "em"}, headline="f1a_em")
RECORD = _superglue("ReCoRD", ("passage", "query", "entities"), kind="record",
                    metrics=("record_f1", "record_em"), metric_keys={"record_f1": "f1", "record_em": "em"},
                    headline="record_f1_em")
RTE = _superglue("RTE", ("premise", "hypothesis"), labels=ENTAILMENT)
WIC = _superglue("WiC", ("word", "sentence1", "sentence2"), labels=BOOL)
WSC = _superglue("WSC", ("text", "target.span1_index", "target.span2_index", "target.span1_text",
                         "target.span2_text"), kind="wsc", labels=BOOL)
AXB = _superglue("AX-b", ("sentence1", "sentence2"), labels=ENTAILMENT, metrics=("mcc",), headline="mcc",
                 split_files={"test": "AX-b.jsonl"})
AXG = _superglue("AX-g", ("premise", "hypothesis"), labels=ENTAILMENT,
                 metrics=("accuracy", "gender_parity"), headline="gender_parity",
                 split_files={"test": "AX-g.jsonl"})
