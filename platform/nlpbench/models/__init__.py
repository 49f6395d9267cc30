"""Model families, registered by name and built from `transformers` configs or local checkpoints."""

from nlpbench.registry import Registry

MODELS = Registry("model")
MODELS.register(
    "bert", "nlpbench.models.families:build_bert",
    "BERT encoder (WordPiece), randomly initialised from a transformers BertConfig",
    kind="encoder",
)
MODELS.register(
    "checkpoint", "nlpbench.models.families:load_checkpoint",
    "any local transformers checkpoint folder (config, weights, tokenizer)",
    kind="any",
)
