"""Train a model family's tokenizer with the `tokenizers` library and wrap it for `transformers`;
reuse a fine-tuning task's tokenizer from a cache once trained."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

_CACHE: ContextVar[Path | None] = ContextVar("nlpbench_tokenizer_cache", default=None)


@contextlib.contextmanager
def tokenizer_cache(folder: Path) -> Iterator[None]:
    """Within this block, ``task_tokenizer`` keeps each tokenizer it trains under ``folder`` and
    reuses it for the same texts and settings (the fine-tune runner opens one per run)."""
    token = _CACHE.set(Path(folder))
    try:
        yield
    finally:
        _CACHE.reset(token)


def task_tokenizer(spec: Any, texts: list[str]) -> Any:
    """The family tokenizer of ``spec`` trained on ``texts``. The `tokenizers` trainers break ties in
    hash order, which differs between processes, so two trainings on the same texts can differ; with
    a cache the first tokenizer trained for these texts and settings is kept and every later run
    (a resumed sweep trial, a rerun with the same seed) loads that one. Concurrent first trainings:
    the first to publish wins and the others adopt it."""
    from transformers import AutoTokenizer

    from nlpbench.data import TOKENIZERS

    folder = _CACHE.get()
    if folder is None:
        return TOKENIZERS.load(spec.family)(lambda: iter(texts), spec)
    digest = hashlib.sha256(json.dumps(spec.model_dump(mode="json"), sort_keys=True).encode())
    for text in texts:
        digest.update(text.encode() + b"\n")
    target = folder / f"task-{spec.family}-{digest.hexdigest()[:16]}"
    if not (target / "tokenizer_config.json").is_file():
        trained = TOKENIZERS.load(spec.family)(lambda: iter(texts), spec)
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=folder))
        try:
            trained.save_pretrained(staging)
            with contextlib.suppress(OSError):  # another run published it first: adopt that one
                os.rename(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return AutoTokenizer.from_pretrained(target, local_files_only=True)

BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def train_wordpiece(texts: Iterable[str], vocab_size: int, lowercase: bool = True) -> Any:
    """A BERT-style WordPiece tokenizer trained on ``texts``, as a transformers fast tokenizer."""
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=BERT_SPECIALS, show_progress=False
    )
    tok.train_from_iterator(texts, trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]",
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
    )
