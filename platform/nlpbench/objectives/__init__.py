"""Pretraining objectives, registered by name with the model kinds, families and data formats they fit."""

from collections.abc import Mapping
from typing import Any

from nlpbench.registry import Entry, Registry

SINGLE = ("full_sentences", "doc_sentences")
ALL_FORMATS = (*SINGLE, "segment_pair", "sentence_pair", "sop")

OBJECTIVES = Registry("objective")
OBJECTIVES.register(
    "mlm_static",
    "nlpbench.objectives.mlm:MLM_STATIC",
    "masked LM, 15% with 80/10/10, masks drawn once in preprocessing (BERT)",
    kinds=("encoder",), formats=ALL_FORMATS,
)
OBJECTIVES.register(
    "mlm_dynamic",
    "nlpbench.objectives.mlm:MLM_DYNAMIC",
    "masked LM, 15% with 80/10/10, fresh masks every epoch (RoBERTa)",
    kinds=("encoder",), formats=ALL_FORMATS,
)
OBJECTIVES.register(
    "clm", "nlpbench.objectives.clm:CLM", "causal LM: next-token prediction (GPT-2)",
    kinds=("decoder",), formats=SINGLE,
)
OBJECTIVES.register(
    "nsp", "nlpbench.objectives.pair:NSP",
    "MLM plus next-sentence prediction over segment or sentence pairs (BERT)",
    kinds=("encoder",), families=("bert", "albert"), formats=("segment_pair", "sentence_pair"),
)
OBJECTIVES.register(
    "sop", "nlpbench.objectives.pair:SOP",
    "MLM plus sentence-order prediction over consecutive segments (ALBERT)",
    kinds=("encoder",), families=("albert", "bert"), formats=("sop",),
)
OBJECTIVES.register(
    "rtd", "nlpbench.objectives.rtd:RTD",
    "replaced-token detection: MLM generator + discriminator, loss weight 50, shared embeddings (ELECTRA)",
    kinds=("encoder",), families=("electra",), formats=SINGLE, composite="generator + discriminator",
)
OBJECTIVES.register(
    "span_corruption", "nlpbench.objectives.span_corruption:SPAN_CORRUPTION",
    "span corruption: 15% noise in spans of mean length 3 replaced by sentinels (T5)",
    kinds=("encoder-decoder",), families=("t5",), formats=SINGLE,
)
OBJECTIVES.register(
    "denoising", "nlpbench.objectives.denoising:DENOISING",
    "denoising autoencoder: text infilling, sentence permutation, masking, deletion, rotation (BART)",
    kinds=("encoder-decoder",), families=("bart",), formats=SINGLE,
)
OBJECTIVES.register(
    "distillation", "nlpbench.objectives.distillation:DISTILLATION",
    "soft-target CE + MLM + cosine loss from a teacher checkpoint, student from every other layer "
    "(DistilBERT)",
    kinds=("encoder",), families=("distilbert", "bert"), formats=SINGLE, composite="teacher + student",
)


def fits(model: Entry, objective: Entry) -> bool:
    """Whether ``objective`` applies to the model family ``model`` (its kind, and its family when
    the objective needs a particular head)."""
    meta: Mapping[str, Any] = model.meta
    if meta["kind"] == "any":
        return True
    families = objective.meta.get("families")
    return meta["kind"] in objective.meta["kinds"] and (not families or model.name in families)


__all__ = ["ALL_FORMATS", "OBJECTIVES", "SINGLE", "fits"]
