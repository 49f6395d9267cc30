"""Train tokenizers of the four families with the `tokenizers` library, saved for `transformers`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from nlpbench.errors import ConfigError, Problem


def _specials(family: str, sentinels: int, bert_specials: bool = False) -> list[str]:
    if family == "wordpiece":
        return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    if family == "bpe":
        return ["<pad>", "<unk>", "<s>", "</s>", "<mask>"]
    if family == "byte_bpe":
        return ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    extra = ["[CLS]", "[SEP]", "[MASK]"] if bert_specials else []
    return ["<pad>", "</s>", "<unk>", *extra, *[f"<extra_id_{i}>" for i in range(sentinels)]]


def _normalizer(family: str, lowercase: bool) -> Any:
    from tokenizers import normalizers

    if family == "wordpiece":
        return normalizers.BertNormalizer(lowercase=lowercase)
    steps = [normalizers.NFKC()] + ([normalizers.Lowercase()] if lowercase else [])
    return normalizers.Sequence(steps)


def alphabet_size(texts: Iterable[str], family: str, lowercase: bool) -> int:
    """How many base symbols the family's vocabulary must hold for this text."""
    if family == "byte_bpe":
        return 256
    normalizer = _normalizer(family, lowercase)
    chars: set[str] = set()
    for text in texts:
        chars.update(normalizer.normalize_str(text))
    chars -= {" ", "\t", "\n", "\r"}
    return len(chars) + (1 if family == "unigram" else 0)  # unigram adds the "▁" word marker


def check_vocab_size(key: str, spec: Any, texts: list[str]) -> None:
    """Raise ConfigError when the vocabulary cannot hold the alphabet plus the special tokens."""
    specials = len(_specials(spec.family, spec.sentinels, spec.bert_specials))
    alphabet = alphabet_size(texts, spec.family, spec.lowercase)
    needed = alphabet + specials
    if spec.vocab_size < needed:
        raise ConfigError([Problem(
            f"{key}.vocab_size",
            f"{spec.vocab_size} is smaller than the alphabet ({alphabet} symbols) plus "
            f"{specials} special tokens = {needed}",
            fix=f"{key}.vocab_size={max(needed, 2 * needed)}",
        )])


def _wrap(tok: Any, **specials: Any) -> Any:
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(tokenizer_object=tok, **specials)


def wordpiece(texts: Callable[[], Iterable[str]], spec: Any) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = _normalizer("wordpiece", spec.lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(texts(), trainers.WordPieceTrainer(
        vocab_size=spec.vocab_size, min_frequency=spec.min_frequency,
        special_tokens=_specials("wordpiece", 0), show_progress=False))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return _wrap(tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
                 mask_token="[MASK]", model_input_names=["input_ids", "token_type_ids", "attention_mask"])


def bpe(texts: Callable[[], Iterable[str]], spec: Any) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>", end_of_word_suffix="</w>"))
    tok.normalizer = _normalizer("bpe", spec.lowercase)
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.decoder = decoders.BPEDecoder(suffix="</w>")
    tok.train_from_iterator(texts(), trainers.BpeTrainer(
        vocab_size=spec.vocab_size, min_frequency=spec.min_frequency,
        special_tokens=_specials("bpe", 0), end_of_word_suffix="</w>", show_progress=False))
    bos, eos = tok.token_to_id("<s>"), tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> $B:1 </s>:1",
        special_tokens=[("<s>", bos), ("</s>", eos)])
    return _wrap(tok, unk_token="<unk>", pad_token="<pad>", bos_token="<s>", eos_token="</s>",
                 cls_token="<s>", sep_token="</s>", mask_token="<mask>")


def byte_bpe(texts: Callable[[], Iterable[str]], spec: Any) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE())
    tok.normalizer = _normalizer("byte_bpe", spec.lowercase)
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(texts(), trainers.BpeTrainer(
        vocab_size=spec.vocab_size, min_frequency=spec.min_frequency,
        special_tokens=_specials("byte_bpe", 0),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    sep, cls = tok.token_to_id("</s>"), tok.token_to_id("<s>")
    assert sep is not None and cls is not None  # both are special tokens of the trainer
    tok.post_processor = processors.RobertaProcessing(("</s>", sep), ("<s>", cls), trim_offsets=True,
                                                      add_prefix_space=False)
    return _wrap(tok, unk_token="<unk>", pad_token="<pad>", bos_token="<s>", eos_token="</s>",
                 cls_token="<s>", sep_token="</s>", mask_token="<mask>")


def unigram(texts: Callable[[], Iterable[str]], spec: Any) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    specials = _specials("unigram", spec.sentinels, spec.bert_specials)
    tok = Tokenizer(models.Unigram())
    tok.normalizer = _normalizer("unigram", spec.lowercase)
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train_from_iterator(texts(), trainers.UnigramTrainer(
        vocab_size=spec.vocab_size, special_tokens=specials, unk_token="<unk>", show_progress=False))
    if spec.bert_specials:
        cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
        return _wrap(tok, unk_token="<unk>", pad_token="<pad>", eos_token="</s>", cls_token="[CLS]",
                     sep_token="[SEP]", mask_token="[MASK]", additional_special_tokens=specials[6:])
    eos = tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B:1 </s>:1", special_tokens=[("</s>", eos)])
    return _wrap(tok, unk_token="<unk>", pad_token="<pad>", eos_token="</s>",
                 additional_special_tokens=specials[3:])
