"""Model families, registered by name: each defined by the family_spec block of its conf/model YAML
(nlpbench.models.family_files), plus hf_auto and local checkpoints, which are code."""

from nlpbench.config.compose import conf_dir
from nlpbench.models.family_files import family_registry

MODELS = family_registry(conf_dir())
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
