"""The seq2seq objectives' maths: T5 span corruption and BART denoising, then one tiny run each."""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from nlpbench.objectives.denoising import (
    DENOISING,
    choose,
    corrupt,
    permute_sentences,
    poisson_span_lengths,
    rotate,
    sentences_of,
    text_infilling,
    token_deletion,
    token_masking,
)
from nlpbench.objectives.span_corruption import (
    SPAN_CORRUPTION,
    corrupt_spans,
    noise_mask,
    random_segmentation,
    sentinel_ids,
)
from tests.conftest import REPO

PAD, EOS, UNK, MASK = 0, 1, 2, 3
SENTINELS = [1099 - i for i in range(100)]  # T5 layout: <extra_id_0> is the last id


class _Tok(SimpleNamespace):
    def __len__(self) -> int:
        return 1100

    def convert_tokens_to_ids(self, token: str) -> int:
        name = token.removeprefix("<extra_id_").removesuffix(">")
        return SENTINELS[int(name)] if self.sentinels and name.isdigit() and int(name) < 100 else UNK


T5_TOK = _Tok(pad_token_id=PAD, eos_token_id=EOS, unk_token_id=UNK, mask_token_id=None, sentinels=True)
BART_TOK = _Tok(pad_token_id=PAD, eos_token_id=EOS, unk_token_id=UNK, mask_token_id=MASK, sentinels=False)


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def spans_of(mask: list[bool]) -> list[int]:
    lengths, run = [], 0
    for noisy in [*mask, False]:
        if noisy:
            run += 1
        elif run:
            lengths.append(run)
            run = 0
    return lengths


# --- span corruption ------------------------------------------------------------------------------

def test_random_segmentation_is_a_composition() -> None:
    seen = set()
    for seed in range(300):
        parts = random_segmentation(10, 3, gen(seed))
        assert len(parts) == 3 and sum(parts) == 10 and min(parts) >= 1
        seen.add(tuple(parts))
    assert len(seen) == math.comb(9, 2)  # every composition of 10 into 3 parts shows up


def test_noise_density_and_mean_span_length() -> None:
    rng = random.Random(0)
    noise = total = 0
    spans: list[int] = []
    for seed in range(2000):
        length = rng.randint(20, 300)
        mask = noise_mask(length, 0.15, 3.0, gen(seed))
        assert len(mask) == length and not mask[0]  # a non-noise span comes first
        noise += sum(mask)
        total += length
        spans += spans_of(mask)
    assert noise / total == pytest.approx(0.15, abs=0.003)
    assert sum(spans) / len(spans) == pytest.approx(3.0, abs=0.1)
    assert len(set(spans)) > 5  # lengths vary: random segmentation, not fixed spans


def test_noise_parameters_are_configurable() -> None:
    mask = noise_mask(1000, 0.5, 10.0, gen(0))
    assert sum(mask) == 500 and len(spans_of(mask)) == 50


def test_sentinels_fill_back_to_the_original() -> None:
    for seed in range(500):
        tokens = torch.randint(4, 999, (random.Random(seed).randint(1, 200),), generator=gen(seed)).tolist()
        inputs, targets = corrupt_spans(tokens, SENTINELS, gen(seed))
        used = [t for t in inputs if t in SENTINELS]
        assert used == SENTINELS[: len(used)]  # <extra_id_0>, <extra_id_1>, ... in order
        assert [t for t in targets if t in SENTINELS] == used
        assert not targets or targets[0] == SENTINELS[0]
        filled = {}
        for t in targets:
            if t in SENTINELS:
                current = filled.setdefault(t, [])
            else:
                current.append(t)
        rebuilt = [t for x in inputs for t in (filled[x] if x in SENTINELS else [x])]
        assert rebuilt == tokens
        assert all(filled.values())  # every sentinel stands for a non-empty span


def test_spans_are_capped_by_the_sentinels() -> None:
    inputs, targets = corrupt_spans(list(range(4, 504)), SENTINELS[:3], gen(0))
    assert sum(t in SENTINELS for t in inputs) == 3


def test_sentinel_ids_and_missing_sentinels() -> None:
    assert sentinel_ids(T5_TOK) == SENTINELS
    with pytest.raises(ValueError, match="sentinel"):
        sentinel_ids(BART_TOK)


def _features(n: int = 16, specials: tuple[int, int] | None = (EOS, EOS)) -> list[dict[str, Any]]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        body = [rng.randint(10, 999) for _ in range(rng.randint(40, 100))]
        ids = [specials[0], *body, specials[1]] if specials else body
        mask = [1, *([0] * len(body)), 1] if specials else [0] * len(body)
        out.append({"input_ids": ids, "special_tokens_mask": mask, "index": i})
    return out


def test_span_corruption_batch() -> None:
    feats = _features()
    batch = SPAN_CORRUPTION.collate(feats, T5_TOK, seed=0, epoch=0)
    for row, f in enumerate(feats):
        n_in, n_out = int(batch["attention_mask"][row].sum()), int(batch["decoder_attention_mask"][row].sum())
        inputs, labels = batch["input_ids"][row, :n_in].tolist(), batch["labels"][row, :n_out].tolist()
        assert inputs[-1] == EOS and labels[-1] == EOS and EOS not in inputs[:-1]
        assert (batch["labels"][row, n_out:] == -100).all() and (batch["input_ids"][row, n_in:] == PAD).all()
        assert batch["decoder_input_ids"][row, :n_out].tolist() == [PAD, *labels[:-1]]  # T5 starts at pad
        assert (batch["decoder_attention_mask"][row, n_out:] == 0).all()
        words = sorted(t for t in inputs + labels if t not in [*SENTINELS, EOS])
        assert words == sorted(f["input_ids"][1:-1])


def _rows(batch: dict[str, torch.Tensor]) -> list[list[int]]:
    return [ids[: int(n)].tolist() for ids, n in zip(batch["input_ids"], batch["attention_mask"].sum(1),
                                                      strict=True)]


@pytest.mark.parametrize(("objective", "tok"), [(SPAN_CORRUPTION, T5_TOK), (DENOISING, BART_TOK)])
def test_masks_are_fresh_per_epoch_and_repeat_per_seed_epoch_index(objective: Any, tok: Any) -> None:
    feats = _features()
    e0 = _rows(objective.collate(feats, tok, seed=0, epoch=0))
    e1 = _rows(objective.collate(feats, tok, seed=0, epoch=1))
    assert sum(a != b for a, b in zip(e0, e1, strict=True)) >= 14
    assert e0 == _rows(objective.collate(feats, tok, seed=0, epoch=0))
    assert e0 != _rows(objective.collate(feats, tok, seed=1, epoch=0))
    # the same draw for example 5 whatever batch it lands in (resume- and worker-safe)
    assert _rows(objective.collate([feats[5]], tok, seed=0, epoch=1)) == [e1[5]]


# --- denoising ------------------------------------------------------------------------------------

def test_poisson_span_lengths() -> None:
    lengths: list[int] = []
    for seed in range(400):
        drawn = poisson_span_lengths(90, 3.0, gen(seed))
        assert sum(drawn) == 90
        lengths += drawn[:-1]  # the last one is cut to the budget
    assert sum(lengths) / len(lengths) == pytest.approx(3.0, abs=0.05)
    assert lengths.count(0) / len(lengths) == pytest.approx(math.exp(-3), abs=0.01)  # insertions
    assert poisson_span_lengths(0, 3.0, gen(0)) == []


def test_text_infilling_masks_the_ratio_in_poisson_spans() -> None:
    masked = masks = 0
    for seed in range(300):
        tokens = list(range(10, 10 + 400))
        out = text_infilling(tokens, 0.3, 3.0, MASK, gen(seed))
        kept = [t for t in out if t != MASK]
        assert kept == sorted(kept) and len(kept) == 400 - 120  # exactly round(400 * 0.3) masked
        # every missing token sits where a mask is: between two kept tokens with no mask, none is lost
        previous = 9
        for k, t in enumerate([*out, 410]):
            if t != MASK:
                if k == 0 or out[k - 1] != MASK:
                    assert t == previous + 1
                previous = t
        masked += 120
        masks += out.count(MASK)
    assert masked / masks == pytest.approx(3.0, abs=0.1)  # one mask per span, mean length lambda


def test_token_masking_and_deletion_remove_exactly_the_chosen_tokens() -> None:
    tokens = list(range(10, 110))
    chosen = choose(100, 30, gen(4))
    assert len(set(chosen)) == 30
    assert token_deletion(tokens, 0.3, gen(4)) == [t for i, t in enumerate(tokens) if i not in chosen]
    masked = token_masking(tokens, 0.3, MASK, gen(4))
    assert [i for i, t in enumerate(masked) if t == MASK] == chosen
    assert all(m == t for m, t in zip(masked, tokens, strict=True) if m != MASK)


def test_sentence_permutation_keeps_the_sentences() -> None:
    tokens = list(range(10, 40))
    ends = [4, 9, 17, 22, 30]
    sentences = sentences_of(tokens, ends)
    assert [len(s) for s in sentences] == [4, 5, 8, 5, 8]
    orders = set()
    for seed in range(200):
        out = permute_sentences(tokens, ends, 1.0, gen(seed))
        got = sorted(tuple(s) for s in _split_like(out, sentences))
        assert got == sorted(tuple(s) for s in sentences)
        orders.add(tuple(out))
    assert len(orders) > 60
    assert permute_sentences(tokens, ends, 0.0, gen(0)) == tokens
    assert permute_sentences(tokens, None, 1.0, gen(0)) == tokens  # no boundaries: one sentence


def _split_like(out: list[int], sentences: list[list[int]]) -> list[list[int]]:
    """Cut ``out`` back into sentences by their first tokens (every token is distinct)."""
    first = {s[0]: s for s in sentences}
    pieces, k = [], 0
    while k < len(out):
        piece = first[out[k]]
        assert out[k:k + len(piece)] == piece
        pieces.append(piece)
        k += len(piece)
    return pieces


def test_rotation_is_a_rotation() -> None:
    tokens = list(range(10, 30))
    starts = Counter()
    for seed in range(400):
        out = rotate(tokens, gen(seed))
        k = out.index(10)
        assert out == tokens[-k:] + tokens[:-k] if k else out == tokens
        starts[out[0]] += 1
    assert set(starts) == set(tokens)  # every token can start the document


def test_noise_mix_and_labels_are_the_original() -> None:
    params = {**DENOISING.params, "permute_sentences": 0.0}
    tokens = list(range(10, 110))
    only_deletion = {**params, "text_infilling": 0.0, "token_deletion": 1.0}
    assert len(corrupt(tokens, None, only_deletion, MASK, gen(0))) == 70
    only_masking = {**params, "text_infilling": 0.0, "token_masking": 1.0}
    assert corrupt(tokens, None, only_masking, MASK, gen(0)).count(MASK) == 30
    nothing = {**params, "text_infilling": 0.0}
    assert corrupt(tokens, None, nothing, MASK, gen(0)) == tokens
    rotated = corrupt(tokens, None, {**nothing, "rotate": 1.0}, MASK, gen(1))
    assert sorted(rotated) == tokens and rotated != tokens

    feats = _features(specials=(PAD + 5, EOS))  # <s> ... </s> as in BART
    for f in feats:
        f["sentence_ends"] = [11, 21, len(f["input_ids"]) - 1]
    batch = DENOISING.collate(feats, BART_TOK, seed=0, epoch=0)
    for row, f in enumerate(feats):
        n_in, n_out = int(batch["attention_mask"][row].sum()), len(f["input_ids"])
        assert batch["labels"][row, :n_out].tolist() == f["input_ids"]
        assert batch["decoder_input_ids"][row, :n_out].tolist() == [EOS, *f["input_ids"][:-1]]  # BART
        inputs = batch["input_ids"][row, :n_in].tolist()
        assert inputs[0] == 5 and inputs[-1] == EOS and MASK in inputs


# --- one tiny run each ----------------------------------------------------------------------------

TEXTS = [f"the {a} {v} the {b} near the river ." for a in ("dog", "cat", "bird", "fox")
         for v in ("saw", "chased", "liked") for b in ("ball", "tree", "house")] * 3


def _tiny_run(model_name: str, objective: Any) -> list[float]:
    import yaml

    from nlpbench.catalog import MODELS
    from nlpbench.config.schema import ModelConfig
    from nlpbench.data import TOKENIZERS
    from nlpbench.data.pretraining import build_examples, layout_of
    from nlpbench.models.families import architecture

    # the model's own config file, read as the typed schema (composing would need the objective's conf);
    # its family_spec block defines the family (MODELS reads it), it is not part of a model config
    data = yaml.safe_load((REPO / "conf" / "model" / f"{model_name}.yaml").read_text())
    data.pop("family_spec", None)
    cfg = ModelConfig(**data)
    spec = cfg.tokenizer.model_copy(update={"vocab_size": 200})
    tokenizer = TOKENIZERS.load(spec.family)(lambda: iter(TEXTS), spec)
    torch.manual_seed(0)
    model = objective.build_model(MODELS.load(cfg.family), architecture(cfg), tokenizer)
    docs = [[tokenizer(s, add_special_tokens=False)["input_ids"] for s in TEXTS[i:i + 4]]
            for i in range(0, 32, 4)]
    examples = build_examples(objective.data_format, docs, layout_of(tokenizer), 64, random.Random(0))
    batch = objective.collate([{**e, "index": i} for i, e in enumerate(examples[:8])], tokenizer, 0, 0)
    with torch.no_grad():
        model.eval()
        logits = model(**{k: v for k, v in batch.items() if k != "labels"}).logits
    assert logits.shape[:2] == batch["labels"].shape
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    model.train()
    losses = []
    for _ in range(30):
        loss, metrics = objective.step(model, batch)
        assert 0.0 <= float(metrics["token_accuracy"]) <= 1.0
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@pytest.fixture()
def one_thread() -> Any:
    """Tiny models run fastest on one thread; more only fight over shared cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.usefixtures("one_thread")
@pytest.mark.parametrize(("model_name", "objective"), [("t5", SPAN_CORRUPTION), ("bart", DENOISING)])
def test_tiny_model_learns(model_name: str, objective: Any) -> None:
    losses = _tiny_run(model_name, objective)
    assert all(math.isfinite(x) for x in losses)
    assert min(losses[-5:]) < 0.7 * losses[0], losses


def test_wrong_decoder_start_is_refused() -> None:
    wrong = dataclasses.replace(DENOISING, params={**DENOISING.params, "decoder_start": "pad"})
    with pytest.raises(ValueError, match="decoder_start"):
        _tiny_run("bart", wrong)
