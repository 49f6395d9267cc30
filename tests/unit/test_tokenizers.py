"""Each tokenizer family trains, saves, and loads back into `transformers` as a fast tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlpbench.config.schema import TokenizerSpec
from nlpbench.data import TOKENIZERS
from nlpbench.data.pydocs import load_pydocs
from nlpbench.data.tokenizers import alphabet_size, check_vocab_size
from nlpbench.errors import ConfigError
from nlpbench.runners.data import tokenizer_report

TEXTS = [d.text for d in load_pydocs()][:120]
HELD_OUT = [d.text for d in load_pydocs()][120:140]
SPECIALS = {
    "wordpiece": {"cls_token": "[CLS]", "sep_token": "[SEP]", "mask_token": "[MASK]", "pad_token": "[PAD]"},
    "bpe": {"bos_token": "<s>", "eos_token": "</s>", "mask_token": "<mask>", "pad_token": "<pad>"},
    "byte_bpe": {"cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>", "pad_token": "<pad>"},
    "unigram": {"eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"},
}


@pytest.mark.parametrize("family", sorted(SPECIALS))
def test_family_trains_saves_and_loads_as_fast_tokenizer(family: str, tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    spec = TokenizerSpec(family=family, corpus="pydocs", vocab_size=800, sentinels=8,
                         lowercase=family == "wordpiece")
    tokenizer = TOKENIZERS.load(family)(lambda: iter(TEXTS), spec)
    assert len(tokenizer) == 800
    tokenizer.save_pretrained(tmp_path)
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert loaded.is_fast
    for attribute, token in SPECIALS[family].items():
        assert getattr(loaded, attribute) == token
    sample = "The assert statement raises an exception."
    assert loaded(sample)["input_ids"] == tokenizer(sample)["input_ids"]
    ids = loaded(sample, add_special_tokens=False)["input_ids"]
    decoded = loaded.decode(ids)
    assert decoded.replace(" ", "").lower() == sample.replace(" ", "").lower()
    if family == "unigram":
        assert "<extra_id_7>" in loaded.get_vocab()
        assert loaded(sample)["input_ids"][-1] == loaded.eos_token_id
    if family == "wordpiece":
        with_specials = loaded(sample, "Second.")["input_ids"]
        assert with_specials[0] == loaded.cls_token_id and with_specials.count(loaded.sep_token_id) == 2


def test_vocab_smaller_than_alphabet_plus_specials_is_a_config_error() -> None:
    spec = TokenizerSpec(family="wordpiece", corpus="pydocs", vocab_size=20, lowercase=True)
    needed = alphabet_size(TEXTS, "wordpiece", True) + 5
    with pytest.raises(ConfigError) as err:
        check_vocab_size("tokenizers.tiny", spec, TEXTS)
    message = str(err.value)
    assert "tokenizers.tiny.vocab_size: 20 is smaller than the alphabet" in message
    assert f"= {needed}" in message
    check_vocab_size("tokenizers.ok", spec.model_copy(update={"vocab_size": needed}), TEXTS)
    assert alphabet_size(["anything"], "byte_bpe", False) == 256


def test_report_measures_fertility_and_unknowns() -> None:
    spec = TokenizerSpec(family="wordpiece", corpus="pydocs", vocab_size=600, lowercase=True)
    tokenizer = TOKENIZERS.load("wordpiece")(lambda: iter(TEXTS), spec)
    report = tokenizer_report("wp", spec, tokenizer, HELD_OUT + ["\u2603\u2603 snowman"])
    words = sum(len(t.split()) for t in HELD_OUT) + 2
    assert report["heldout_words"] == words
    assert report["fertility"] == pytest.approx(report["heldout_tokens"] / words)
    assert report["fertility"] > 1.0  # a 600-entry vocabulary must split some words
    assert 0 < report["unk_rate"] < 0.01  # the snowmen were never seen
    assert report["examples"] and all(isinstance(p, list) for p in report["examples"].values())
