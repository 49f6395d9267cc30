"""Pretraining objectives, registered by name with the model kinds they apply to."""

from nlpbench.registry import Registry

OBJECTIVES = Registry("objective")
OBJECTIVES.register(
    "mlm_static",
    "nlpbench.objectives.mlm:MLM_STATIC",
    "masked LM, 15% with 80/10/10, masks drawn once in preprocessing (BERT)",
    kinds=("encoder",),
)
OBJECTIVES.register(
    "mlm_dynamic",
    "nlpbench.objectives.mlm:MLM_DYNAMIC",
    "masked LM, 15% with 80/10/10, fresh masks every epoch (RoBERTa)",
    kinds=("encoder",),
)
OBJECTIVES.register(
    "clm", "nlpbench.objectives.clm:CLM", "causal LM: next-token prediction (GPT-2)", kinds=("decoder",)
)
