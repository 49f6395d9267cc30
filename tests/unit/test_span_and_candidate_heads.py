"""The WSC span-pair head (span location, save/load) and the ReCoRD candidate head (group softmax
loss, decoding)."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from nlpbench.catalog import TASKS
from nlpbench.errors import DataError
from nlpbench.tasks.heads import head_name
from nlpbench.tasks.heads.candidates import CandidateHead, group_softmax_loss
from nlpbench.tasks.heads.span_pair import (
    EncodedSpanPairs,
    SpanPairModel,
    span_chars,
    token_mask,
    word_char_spans,
)
from nlpbench.tasks.official.readers import Example
from nlpbench.tasks.spec import Examples

WSC = ["Mark told Pete many lies about himself, which Pete included in his book.",
       "The mothers of Arthur and Celeste have come to the town to fetch them.",
       "The  surgeon\tthanked (Anna) because she was unbelievably generous."] * 10
UNSEEN = "Celestines, praised the cook because they were very hungry."


def _tokenizer(family: str):  # type: ignore[no-untyped-def]
    from nlpbench.config.schema import TokenizerConfig
    from nlpbench.data import TOKENIZERS

    return TOKENIZERS.load(family)(lambda: iter(WSC), TokenizerConfig(family=family, vocab_size=300))


def _wsc_examples(rows: list[tuple[str, int, str, int, str]], labels: list[int] | None = None) -> Examples:
    examples = [Example(str(i), {"text": t, "span1_index": i1, "span1_text": s1, "span2_index": i2,
                                 "span2_text": s2}, None, f"line {i + 1}")
                for i, (t, i1, s1, i2, s2) in enumerate(rows)]
    return Examples(texts=[(r[0],) for r in rows], labels=labels, index=[e.id for e in examples],
                    path=Path("WSC/val.jsonl"), source=SimpleNamespace(examples=examples))


def test_word_spans_are_the_words_of_str_split() -> None:
    text = "  The  surgeon\tthanked\n(Anna)  "
    assert [text[s:e] for s, e in word_char_spans(text)] == text.split()


def test_span_chars_cover_several_words_and_leave_attached_punctuation_out() -> None:
    text = WSC[1]
    words = word_char_spans(text)
    s, e = span_chars(text, words, 3, "Arthur and Celeste")
    assert text[s:e] == "Arthur and Celeste"
    text = WSC[0]
    s, e = span_chars(text, word_char_spans(text), 6, "himself")  # the word is "himself,"
    assert text[s:e] == "himself"
    s, e = span_chars(text, word_char_spans(text), 6, "him")  # a span text that differs: narrowed to it
    assert text[s:e] == "him"
    s, e = span_chars(text, word_char_spans(text), 6, "herself")  # absent: the whole word
    assert text[s:e] == "himself,"


def test_token_mask_takes_every_overlapping_token_and_no_special_token() -> None:
    offsets = [(0, 0), (0, 3), (3, 7), (7, 8), (9, 12), (0, 0)]  # [CLS] him ##self , his [SEP]
    assert token_mask(offsets, 0, 7) == [0, 1, 1, 0, 0, 0]
    assert token_mask([(0, 0), (0, 4)], 1, 2) == [0, 1]  # a token larger than the span


@pytest.mark.parametrize("family", ["wordpiece", "byte_bpe", "unigram"])
def test_spans_are_located_through_subwords_and_punctuation(family: str) -> None:
    tokenizer = _tokenizer(family)
    rows = [(WSC[0], 6, "himself", 8, "Pete"), (WSC[1], 3, "Arthur and Celeste", 13, "them."),
            (WSC[2], 3, "Anna", 5, "she"), (WSC[2], 1, "surgeon", 7, "unbelievably"),
            (UNSEEN, 0, "Celestines", 5, "they")]
    encoded = EncodedSpanPairs(_wsc_examples(rows), tokenizer, max_length=64)
    expected = [("himself", "Pete"), ("Arthur and Celeste", "them."), ("Anna", "she"),
                ("surgeon", "unbelievably"), ("Celestines", "they")]
    pieces = []
    for item, (first, second) in zip(encoded, expected, strict=True):
        for key, want in (("span1_mask", first), ("span2_mask", second)):
            ids = [t for t, m in zip(item["input_ids"], item[key], strict=True) if m]
            pieces.append(len(ids))
            got = tokenizer.decode(ids).replace(" ", "").replace("▁", "")
            assert got.lower() == want.replace(" ", "").lower(), (family, key, got)
    assert encoded.truncated_spans == 0 and pieces[-2] > 1  # a word unseen by the tokenizer: subwords


def test_a_span_cut_off_by_truncation_falls_back_to_the_first_token() -> None:
    tokenizer = _tokenizer("wordpiece")
    encoded = EncodedSpanPairs(_wsc_examples([(WSC[0], 0, "Mark", 12, "book.")]), tokenizer, max_length=6)
    assert encoded[0]["span2_mask"] == [1, 0, 0, 0, 0, 0] and encoded.truncated_spans == 1


def test_a_span_index_past_the_last_word_is_a_data_error_naming_the_line() -> None:
    with pytest.raises(DataError, match=r"WSC/val.jsonl, line 1: span2_index is 40"):
        EncodedSpanPairs(_wsc_examples([(WSC[0], 0, "Mark", 40, "he")]), _tokenizer("wordpiece"), 64)


def test_wsc_and_record_get_their_heads_by_default() -> None:
    assert head_name(TASKS.load("superglue/wsc")) == "span_pair"
    assert head_name(TASKS.load("synthetic/superglue/wsc")) == "span_pair"
    assert head_name(TASKS.load("superglue/record")) == "candidate_choice"


def test_span_pair_model_saves_and_reloads_and_its_encoder_starts_a_new_run(tmp_path: Path) -> None:
    from nlpbench.config import compose_config
    from nlpbench.tasks.heads.span_pair import SpanPairHead

    cfg = compose_config("finetune", ["task=synthetic/superglue/wsc", "model.tokenizer.vocab_size=300"]).typed
    spec = TASKS.load("superglue/wsc")
    examples = _wsc_examples([(WSC[0], 0, "Mark", 8, "Pete"), (WSC[1], 3, "Arthur and Celeste", 13, "them")],
                             [0, 1])
    model, tokenizer = SpanPairHead(spec).build(cfg.model, examples)
    batch = SpanPairHead(spec).collate(tokenizer.pad_token_id)(
        list(EncodedSpanPairs(examples, tokenizer, 64)))
    model.eval()
    with torch.no_grad():
        before = model(**batch).logits
    model.save_pretrained(tmp_path / "model")
    tokenizer.save_pretrained(tmp_path / "model")
    again = SpanPairModel.from_pretrained(tmp_path / "model").eval()
    with torch.no_grad():
        assert torch.allclose(again(**batch).logits, before, atol=1e-6)
    # a saved run's folder is a transformers checkpoint: the encoder continues, the classifier is new
    checkpoint = compose_config("finetune", ["task=synthetic/superglue/wsc", "model=bert_tiny",
                                             f"model.checkpoint={tmp_path / 'model'}"]).typed
    resumed, loaded_tokenizer = SpanPairHead(spec).build(checkpoint.model, examples)
    assert loaded_tokenizer.is_fast and len(loaded_tokenizer) == len(tokenizer)
    saved = model.encoder.state_dict()
    for name, p in resumed.encoder.state_dict().items():
        assert torch.equal(p, saved[name]), name


def test_group_softmax_loss_matches_a_hand_computed_value() -> None:
    # example 0: candidates scored 1, 2, 3 with the first and third gold; example 1: 0.5, -1, second gold
    scores = torch.tensor([1.0, 2.0, 3.0, 0.5, -1.0], requires_grad=True)
    group, slot = torch.tensor([0, 0, 0, 1, 1]), torch.tensor([0, 1, 2, 0, 1])
    gold = torch.tensor([True, False, True, False, True])
    e = math.exp
    first = -math.log((e(1) + e(3)) / (e(1) + e(2) + e(3)))
    second = -math.log(e(-1) / (e(0.5) + e(-1)))
    loss = group_softmax_loss(scores, group, slot, gold, 2)
    assert loss.item() == pytest.approx((first + second) / 2, rel=1e-6)
    loss.backward()
    assert scores.grad is not None and scores.grad[2] < 0 < scores.grad[1]


def test_group_softmax_loss_skips_examples_without_a_gold_candidate() -> None:
    scores = torch.tensor([1.0, 2.0, 0.0, 4.0])
    group, slot = torch.tensor([0, 0, 1, 1]), torch.tensor([0, 1, 0, 1])
    only_first = group_softmax_loss(scores, group, slot, torch.tensor([True, False, False, False]), 2)
    assert only_first.item() == pytest.approx(math.log(1 + math.exp(1)), rel=1e-6)
    assert group_softmax_loss(scores, group, slot, torch.zeros(4, dtype=torch.bool), 2).item() == 0.0


def test_candidate_decoding_gives_the_best_candidates_text_per_example_in_split_order() -> None:
    encoded = SimpleNamespace(candidates=[("Berlin", "Merkel", "Obama"), (), ("Paris", "Rome")])
    head = CandidateHead(TASKS.load("superglue/record"))
    scores = torch.tensor([0.1, 0.9, -1.0, 2.0, 3.0])  # example 1 has no candidate
    batch = {"group": torch.tensor([0, 0, 0, 2, 2]), "slot": torch.tensor([0, 1, 2, 0, 1]),
             "example": torch.tensor([0, 1, 2])}
    from nlpbench.tasks.heads.candidates import grouped_scores

    best = grouped_scores(scores, batch["group"], batch["slot"], 3).argmax(-1)
    # outputs may come in any batch order: the example positions put them back in place
    outputs = [(batch["example"][2:], best[2:]), (batch["example"][:2], best[:2])]
    assert head.decode(outputs, encoded) == ["Merkel", "", "Rome"]


def test_record_candidates_are_flattened_with_their_example_and_gold_marks(tmp_path: Path) -> None:
    from nlpbench.tasks.official.readers import read_split
    from nlpbench.tasks.sources import as_examples
    from tests._record_files import write_record

    write_record(tmp_path, n_train=2, n_dev=2, n_test=1)
    spec = TASKS.load("superglue/record")
    dev = as_examples(read_split(spec, tmp_path, "dev"))
    head = CandidateHead(spec)
    encoded = head.encode(dev, _tokenizer("wordpiece"), 64)
    assert len(encoded) == len(dev) == 4
    assert len(encoded.features) == len(encoded.example_of) == sum(len(c) for c in encoded.candidates)
    for i, ex in enumerate(dev.source.examples):
        assert encoded.candidates[i] == ex.inputs["entities"]
        assert [c for c, g in zip(encoded.candidates[i], encoded[i]["gold"], strict=True) if g] == list(
            dict.fromkeys(ex.label))
        assert encoded.example_of[encoded.starts[i]:encoded.starts[i + 1]] == [i] * len(ex.inputs["entities"])
    batch = head.collate(0)([encoded[0], encoded[3]])
    assert batch["group"].tolist() == [0] * len(encoded.candidates[0]) + [1] * len(encoded.candidates[3])
    assert batch["example"].tolist() == [0, 3] and batch["gold"].sum().item() == 2
    assert head.gold(dev) == [list(ex.label) for ex in dev.source.examples]
    test = as_examples(read_split(spec, tmp_path, "test"))
    assert "gold" not in head.collate(0)([head.encode(test, _tokenizer("wordpiece"), 64)[0]])


class _OneLogit(torch.nn.Module):
    """A stand-in one-logit scorer: the mean embedding of the input ids through a linear layer."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = torch.nn.Embedding(400, 4)
        self.out = torch.nn.Linear(4, 1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> SimpleNamespace:
        return SimpleNamespace(logits=self.out(self.embed(input_ids).mean(1)))


def test_a_record_training_batch_without_candidates_gives_a_zero_loss_that_backpropagates() -> None:
    from nlpbench.tasks.heads.candidates import EncodedCandidates

    rows = [Example("0", {"passage": "Nobody is named here.", "query": "@placeholder came.", "entities": (),
                          "entity_spans": ()}, ("Obama",), "line 1, qas[0]")]
    examples = Examples(texts=[("Nobody is named here.",)], labels=[("Obama",)], index=["0"],
                        path=Path("ReCoRD/train.jsonl"), source=SimpleNamespace(examples=rows))
    head = CandidateHead(TASKS.load("superglue/record"))
    encoded = EncodedCandidates(examples, _tokenizer("wordpiece"), 64)
    batch = head.collate(0)([encoded[0]])
    model = _OneLogit()
    loss = head.loss(model, batch)
    assert loss.requires_grad and loss.item() == 0.0
    loss.backward()  # used to raise: the loss was a constant outside the graph
    assert all(p.grad is not None and not p.grad.any() for p in model.parameters())
    with torch.no_grad():
        _, outputs = head.evaluate(model, batch)
    assert head.decode([outputs], encoded) == [""]


@pytest.mark.parametrize(("head", "task"), [("span_extraction", "squad/v1"), ("span_pair", "superglue/wsc")])
def test_a_slow_tokenizer_is_a_data_error_naming_the_checkpoint_and_the_fast_tokenizer_it_needs(
        head: str, task: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import nlpbench.models.families as families
    from nlpbench.tasks.heads import HEADS

    class SlowBertTokenizer:  # a Python-backend tokenizer: no offset mappings
        is_fast = False

    slow = SlowBertTokenizer()
    monkeypatch.setattr(families, "build_for_classification", lambda *a, **k: (torch.nn.Linear(2, 2), slow))
    model_cfg = SimpleNamespace(name="checkpoint", family="checkpoint", checkpoint="/ckpt/slow-bert")
    examples = _wsc_examples([(WSC[0], 0, "Mark", 8, "Pete")], [0])
    expected = r"/ckpt/slow-bert.*fast tokenizer.*offset mappings.*SlowBertTokenizer"
    with pytest.raises(DataError, match=expected):
        HEADS.load(head)(TASKS.load(task)).build(model_cfg, examples)


@pytest.mark.parametrize(("task", "model", "head"), [("synthetic/squad/v1", "bart", "span_extraction"),
                                                     ("synthetic/squad/v2", "t5", "span_extraction"),
                                                     ("synthetic/superglue/wsc", "t5", "span_pair"),
                                                     ("synthetic/superglue/wsc", "gpt2", "span_pair")])
def test_span_heads_need_an_encoder_and_say_so_before_any_work(task: str, model: str, head: str,
                                                                tmp_path: Path) -> None:
    from nlpbench.config import compose_config
    from nlpbench.errors import ConfigError
    from nlpbench.tasks.heads import HEADS

    with pytest.raises(ConfigError) as err:
        compose_config("finetune", [f"task={task}", f"model={model}"])
    problem = next(p for p in err.value.problems if p.key == "model")
    assert problem.fix == "model=bert_tiny" and "bert" in problem.choices and model not in problem.choices
    assert f"head {head!r} needs an encoder model" in problem.message and f"{model!r}" in problem.message
    # built directly (a config that skipped validation), the head refuses it too
    cfg = compose_config("finetune", [f"task={task}"]).typed
    wrong = cfg.model.model_copy(update={"family": model})
    with pytest.raises(ConfigError):
        HEADS.load(head)(TASKS.load(task)).build(wrong, None)
    # a checkpoint is of any kind: validation leaves it to the checkpoint
    (tmp_path / "ckpt").mkdir()
    compose_config("finetune", [f"task={task}", "model=checkpoint", f"model.checkpoint={tmp_path / 'ckpt'}"])
