"""Model families, registered by name and built from `transformers` configs or local checkpoints."""

from nlpbench.registry import Registry

MODELS = Registry("model")
for _name, _kind, _summary in (
    ("bert", "encoder", "BERT encoder (WordPiece): MLM, NSP"),
    ("roberta", "encoder", "RoBERTa encoder (byte-level BPE): MLM"),
    ("distilbert", "encoder", "DistilBERT encoder (WordPiece): MLM, distillation student"),
    ("deberta_v2", "encoder", "DeBERTa-v2 encoder with disentangled attention (Unigram): MLM"),
    ("electra", "encoder", "ELECTRA generator + discriminator (WordPiece): replaced-token detection"),
    ("albert", "encoder", "ALBERT encoder: factorised embeddings E != H, cross-layer sharing, SOP"),
    ("gpt2", "decoder", "GPT-2 decoder (byte-level BPE): causal LM"),
    ("t5", "encoder-decoder", "T5 encoder-decoder (Unigram + sentinels): span corruption"),
    ("bart", "encoder-decoder", "BART encoder-decoder (byte-level BPE): denoising"),
):
    MODELS.register(_name, f"nlpbench.models.families:{_name.upper()}",
                    f"{_summary}; randomly initialised from a transformers config", kind=_kind)
MODELS.register(
    "hf_auto", "nlpbench.models.families:HF_AUTO",
    "any other transformers model type, from model.config (model_type plus its config values)",
    kind="any",
)
MODELS.register(
    "checkpoint", "nlpbench.models.families:load_checkpoint",
    "any local transformers checkpoint folder (config, weights, tokenizer)",
    kind="any",
)
