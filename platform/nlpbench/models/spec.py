"""What a model family is: its kind, `transformers` config class, heads by purpose, tokenizer family."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("encoder", "decoder", "encoder-decoder")


@dataclass(frozen=True)
class ModelFamily:
    """A family built from a `transformers` config with random initialisation.

    ``heads`` maps a purpose ("mlm", "clm", "pair" (MLM + NSP/SOP), "seq2seq", "rtd", "classification")
    to the `transformers` model class that serves it.
    """

    name: str
    kind: str
    config_class: str
    heads: Mapping[str, str]
    tokenizer: str
    extra_ids: Mapping[str, str] = field(default_factory=dict)

    def make_config(self, architecture: Mapping[str, Any], tokenizer: Any, **extra: Any) -> Any:
        """The family's config for ``architecture`` with vocabulary and special ids from ``tokenizer``."""
        import transformers

        ids = {"pad_token_id": tokenizer.pad_token_id}
        for key, source in (("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id")):
            value = getattr(tokenizer, source, None)
            if value is not None:
                ids[key] = value
        for key, source in self.extra_ids.items():
            ids[key] = getattr(tokenizer, source)
        cls = getattr(transformers, self.config_class)
        return cls(**{**ids, **dict(architecture), "vocab_size": len(tokenizer), **extra})

    def build(self, head: str, architecture: Mapping[str, Any], tokenizer: Any, **extra: Any) -> Any:
        """A randomly initialised model of this family with the ``head`` purpose."""
        import transformers

        if head not in self.heads:
            raise KeyError(f"family {self.name!r} has no {head!r} head; it has {sorted(self.heads)}")
        from nlpbench.models.sharing import apply_sharing

        config = self.make_config(architecture, tokenizer, **extra)
        return apply_sharing(getattr(transformers, self.heads[head])(config))
