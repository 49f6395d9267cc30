"""Task kinds: each shape of example is registered once with what it owns: its default fine-tuning
head, what a gold label is, its scorer, and the readers and writers of its own where its file
format's generic ones do not serve it (MultiRC's nested answers, ReCoRD's entities, WSC's spans)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from nlpbench.registry import Entry, Registry

_SCORING, _READERS = "nlpbench.tasks.scoring", "nlpbench.tasks.official.readers"
_SUBMISSION, _HUB = "nlpbench.tasks.official.submission", "nlpbench.tasks.official.hub"


@dataclass(frozen=True)
class TaskKind:
    """One task shape. Parts are ``module:function`` targets, imported when used (None: the file
    format's generic reader or writer serves the kind)."""

    name: str
    head: str  # the registered head that fine-tunes it unless task.head names another
    scorer: str  # (spec, gold split, predictions, na_prob file) -> metrics
    label: Literal["class", "score", "answers"] = "class"  # a class id, a float, or answer texts
    reader: str | None = None  # (spec, path) -> examples, instead of the format's reader
    prediction_line: str | None = None  # one line of its SuperGLUE submission -> predictions
    submission_lines: str | None = None  # (spec, examples, predictions) -> SuperGLUE lines
    hub_lines: str | None = None  # (spec, hub records, where) -> official JSONL objects
    no_answer: bool = False  # questions may have no answer (SQuAD v2): takes a no-answer file

    def part(self, name: str) -> Any:
        """The function of part ``name`` (None when the kind has none)."""
        target = getattr(self, name)
        return None if target is None else Entry("kind part", self.name, target, "").load()


CLASSIFICATION = TaskKind("classification", "classification", f"{_SCORING}:score_labels")
REGRESSION = TaskKind("regression", "classification", f"{_SCORING}:score_regression", label="score")
MULTIPLE_CHOICE = TaskKind("multiple_choice", "multiple_choice", f"{_SCORING}:score_labels")
WSC = TaskKind("wsc", "span_pair", f"{_SCORING}:score_labels", hub_lines=f"{_HUB}:wsc_lines")
MULTIRC = TaskKind("multirc", "classification", f"{_SCORING}:score_labels", reader=f"{_READERS}:read_multirc",
                   prediction_line=f"{_SCORING}:multirc_prediction",
                   submission_lines=f"{_SUBMISSION}:multirc_lines", hub_lines=f"{_HUB}:multirc_lines")
RECORD = TaskKind("record", "candidate_choice", f"{_SCORING}:score_answers", label="answers",
                  reader=f"{_READERS}:read_record", prediction_line=f"{_SCORING}:record_prediction",
                  submission_lines=f"{_SUBMISSION}:record_lines", hub_lines=f"{_HUB}:record_lines")
SQUAD_V1 = TaskKind("squad_v1", "span_extraction", f"{_SCORING}:score_answers", label="answers")
SQUAD_V2 = TaskKind("squad_v2", "span_extraction", f"{_SCORING}:score_squad_v2", label="answers",
                    no_answer=True)

KINDS = Registry("task kind")
for _kind, _summary in (
    (CLASSIFICATION, "one class per example (GLUE and SuperGLUE classification)"),
    (REGRESSION, "one real-valued score per example (STS-B), correlation metrics"),
    (MULTIPLE_CHOICE, "one of several answer options per example (COPA)"),
    (WSC, "does a pronoun refer to a noun phrase, both given as word spans (WSC)"),
    (MULTIRC, "true/false per answer option, grouped by question, nested passages (MultiRC)"),
    (RECORD, "cloze answered by one of the passage's entities (ReCoRD)"),
    (SQUAD_V1, "extractive answer span in a context (SQuAD v1.1)"),
    (SQUAD_V2, "extractive answer span or no answer (SQuAD v2.0)"),
):
    KINDS.register(_kind.name, f"nlpbench.tasks.kinds:{_kind.name.upper()}", _summary, head=_kind.head)


def kind_of(spec: Any) -> TaskKind:
    """The registered kind of a task spec."""
    return KINDS.load(spec.kind)  # type: ignore[no-any-return]
