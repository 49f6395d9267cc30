"""Every registry of the project by kind, for listing and contract tests."""

from nlpbench.data import CORPORA, TOKENIZERS
from nlpbench.metrics import METRICS
from nlpbench.models import MODELS
from nlpbench.objectives import OBJECTIVES
from nlpbench.registry import Registry
from nlpbench.tasks import TASKS
from nlpbench.tasks.heads import HEADS
from nlpbench.tasks.kinds import KINDS

REGISTRIES: dict[str, Registry] = {
    "models": MODELS,
    "objectives": OBJECTIVES,
    "tasks": TASKS,
    "kinds": KINDS,
    "heads": HEADS,
    "metrics": METRICS,
    "corpora": CORPORA,
    "tokenizers": TOKENIZERS,
}

__all__ = ["CORPORA", "HEADS", "KINDS", "METRICS", "MODELS", "OBJECTIVES", "REGISTRIES", "TASKS",
           "TOKENIZERS"]
