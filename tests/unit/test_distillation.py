"""DistilBERT distillation: the triple loss by hand, student init from teacher layers, the frozen
teacher, clear teacher errors, and a real tiny BERT -> DistilBERT run end to end."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F

from nlpbench.catalog import MODELS
from nlpbench.config import compose_config
from nlpbench.data import TOKENIZERS
from nlpbench.models.families import architecture
from nlpbench.objectives.distillation import (
    DISTILLATION,
    Distiller,
    bert_to_distilbert_keys,
    student_layers,
    triple_loss,
)
from tests._steps import TEXTS, train_losses

ALPHAS = {"temperature": 2.0, "alpha_ce": 5.0, "alpha_mlm": 2.0, "alpha_cos": 1.0}


# ---------------------------------------------------------------- the loss maths


def _softmax(xs: list[float], t: float) -> list[float]:
    exps = [math.exp(x / t) for x in xs]
    return [e / sum(exps) for e in exps]


def _kl(teacher: list[float], student: list[float], t: float) -> float:
    q, p = _softmax(teacher, t), _softmax(student, t)
    return sum(qi * (math.log(qi) - math.log(pi)) for qi, pi in zip(q, p, strict=True))


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / math.hypot(*a) / math.hypot(*b)


S_LOGITS = [[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]]
T_LOGITS = [[0.0, 0.0, 2.0], [0.0, 3.0, 1.0]]
S_HIDDEN = [[1.0, 0.0], [1.0, 2.0]]
T_HIDDEN = [[1.0, 1.0], [2.0, 1.0]]


def _loss(labels: list[int], mask: list[int], restrict: bool = False) -> tuple[torch.Tensor, dict]:
    return triple_loss(
        torch.tensor([S_LOGITS]), torch.tensor([T_LOGITS]), torch.tensor([S_HIDDEN]),
        torch.tensor([T_HIDDEN]), torch.tensor([labels]), torch.tensor([mask]),
        restrict_ce_to_mask=restrict, **ALPHAS,
    )


def test_triple_loss_by_hand() -> None:
    loss, parts = _loss(labels=[-100, 1], mask=[1, 1])
    t = 2.0
    ce = (_kl(T_LOGITS[0], S_LOGITS[0], t) + _kl(T_LOGITS[1], S_LOGITS[1], t)) / 2 * t**2
    mlm = -math.log(_softmax(S_LOGITS[1], 1.0)[1])
    cos = ((1 - _cos(S_HIDDEN[0], T_HIDDEN[0])) + (1 - _cos(S_HIDDEN[1], T_HIDDEN[1]))) / 2
    assert parts["loss_ce"].item() == pytest.approx(ce, rel=1e-5)
    assert parts["loss_mlm"].item() == pytest.approx(mlm, rel=1e-5)
    assert parts["loss_cos"].item() == pytest.approx(cos, rel=1e-5)
    assert loss.item() == pytest.approx(5.0 * ce + 2.0 * mlm + 1.0 * cos, rel=1e-5)


def test_soft_targets_restricted_to_masked_positions_and_padding_ignored() -> None:
    _, restricted = _loss(labels=[-100, 1], mask=[1, 1], restrict=True)
    assert restricted["loss_ce"].item() == pytest.approx(_kl(T_LOGITS[1], S_LOGITS[1], 2.0) * 4, rel=1e-5)
    _, padded = _loss(labels=[0, -100], mask=[1, 0])  # position 1 is padding
    assert padded["loss_ce"].item() == pytest.approx(_kl(T_LOGITS[0], S_LOGITS[0], 2.0) * 4, rel=1e-5)
    assert padded["loss_cos"].item() == pytest.approx(1 - _cos(S_HIDDEN[0], T_HIDDEN[0]), rel=1e-5)
    assert padded["loss_mlm"].item() == pytest.approx(-math.log(_softmax(S_LOGITS[0], 1.0)[0]), rel=1e-5)
    loss, none = _loss(labels=[-100, -100], mask=[1, 1], restrict=True)
    assert none["loss_ce"].item() == 0.0 and none["loss_mlm"].item() == 0.0 and math.isfinite(loss.item())


@pytest.mark.parametrize("restrict", [False, True])
def test_triple_loss_matches_the_distilbert_reference(restrict: bool) -> None:
    g = torch.Generator().manual_seed(0)
    s_logits, t_logits = torch.randn(3, 7, 11, generator=g), torch.randn(3, 7, 11, generator=g)
    s_hidden, t_hidden = torch.randn(3, 7, 5, generator=g), torch.randn(3, 7, 5, generator=g)
    mask = torch.ones(3, 7, dtype=torch.long)
    mask[1, 5:] = 0
    mask[2, 3:] = 0
    labels = torch.where(torch.rand(3, 7, generator=g) < 0.4, torch.randint(11, (3, 7), generator=g), -100)
    labels[0, 0] = 4
    labels[mask == 0] = -100
    loss, parts = triple_loss(s_logits, t_logits, s_hidden, t_hidden, labels, mask,
                              restrict_ce_to_mask=restrict, **ALPHAS)
    # transformers' research_projects/distillation/distiller.py, written with torch.nn.functional
    sel = ((labels > -1) if restrict else mask.bool()).unsqueeze(-1).expand_as(s_logits)
    s_sel, t_sel = s_logits.masked_select(sel).view(-1, 11), t_logits.masked_select(sel).view(-1, 11)
    ce = F.kl_div(F.log_softmax(s_sel / 2, -1), F.softmax(t_sel / 2, -1), reduction="batchmean") * 4
    mlm = F.cross_entropy(s_logits.view(-1, 11), labels.view(-1))
    hid = mask.bool().unsqueeze(-1).expand_as(s_hidden)
    s_h, t_h = s_hidden.masked_select(hid).view(-1, 5), t_hidden.masked_select(hid).view(-1, 5)
    cos = F.cosine_embedding_loss(s_h, t_h, torch.ones(len(s_h)))
    torch.testing.assert_close(parts["loss_ce"], ce)
    torch.testing.assert_close(parts["loss_mlm"], mlm)
    torch.testing.assert_close(parts["loss_cos"], cos)
    torch.testing.assert_close(loss, 5 * ce + 2 * mlm + cos)


def test_student_takes_every_other_layer_half_as_many() -> None:
    assert student_layers(12) == [0, 2, 4, 6, 8, 10]
    assert student_layers(6) == [0, 2, 4]
    assert student_layers(6, cap=2) == [0, 2]
    assert student_layers(6, cap=8) == [0, 2, 4]
    assert student_layers(1) == [0]


# ---------------------------------------------------------------- real tiny models


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    spec = compose_config("pretrain", ["model=bert_tiny"]).typed.model.tokenizer
    return TOKENIZERS.load(spec.family)(lambda: iter(TEXTS), spec.model_copy(update={"vocab_size": 200}))


def _arch(model: str) -> dict[str, Any]:
    return architecture(compose_config("pretrain", [f"model={model}"]).typed.model)


@pytest.fixture(scope="module")
def teacher_dir(tokenizer: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random tiny BERT MLM teacher (6 layers) with its tokenizer."""
    folder = tmp_path_factory.mktemp("teacher")
    torch.manual_seed(0)
    six = {**_arch("bert_tiny"), "num_hidden_layers": 6}  # DistilBERT halves a 6-layer teacher
    MODELS.load("bert").build("mlm", six, tokenizer).save_pretrained(folder)
    tokenizer.save_pretrained(str(folder))
    return folder


def _objective(teacher: Any) -> Any:
    return dataclasses.replace(DISTILLATION, params={**DISTILLATION.params, "teacher": str(teacher)})


def _build(teacher_dir: Path, tokenizer: Any, family: str = "distilbert", model: str = "distilbert") -> Any:
    torch.manual_seed(0)
    return _objective(teacher_dir).build_model(MODELS.load(family), _arch(model), tokenizer)


def _batch(tokenizer: Any, types: bool = False) -> dict[str, Any]:
    enc = tokenizer(TEXTS[:8], return_special_tokens_mask=True)
    features = [
        {"input_ids": enc["input_ids"][i], "special_tokens_mask": enc["special_tokens_mask"][i], "index": i}
        for i in range(8)
    ]
    if types:
        features = [{**f, "token_type_ids": [0] * len(f["input_ids"])} for f in features]
    return DISTILLATION.collate(features, tokenizer, 0, 0)


def test_defaults_and_contract() -> None:
    p = DISTILLATION.params
    assert p["teacher"] is None
    assert (p["temperature"], p["alpha_ce"], p["alpha_mlm"], p["alpha_cos"]) == (2.0, 5.0, 2.0, 1.0)
    assert (p["probability"], p["mask_share"], p["random_share"]) == (0.15, 0.8, 0.1)
    assert p["restrict_ce_to_mask"] is False
    assert DISTILLATION.name == "distillation" and DISTILLATION.head == "mlm"
    assert DISTILLATION.kinds == ("encoder",) and DISTILLATION.data_format == "doc_sentences"
    assert DISTILLATION.needs_tokens == ("mask_token_id",)


def test_bert_to_distilbert_student_copies_teacher_layers_0_2_4(teacher_dir: Path, tokenizer: Any) -> None:
    from transformers import BertForMaskedLM

    model = _build(teacher_dir, tokenizer)
    teacher, student = model.teacher, model.student
    assert isinstance(model, Distiller) and isinstance(teacher, BertForMaskedLM)
    assert type(student).__name__ == "DistilBertForMaskedLM"
    assert student.config.n_layers == 3 and student.config.dim == teacher.config.hidden_size
    t_layers, s_layers = teacher.bert.encoder.layer, student.distilbert.transformer.layer
    for i, source in enumerate([0, 2, 4]):
        t, s = t_layers[source], s_layers[i]
        pairs = [
            (s.attention.q_lin, t.attention.self.query), (s.attention.k_lin, t.attention.self.key),
            (s.attention.v_lin, t.attention.self.value), (s.attention.out_lin, t.attention.output.dense),
            (s.sa_layer_norm, t.attention.output.LayerNorm), (s.ffn.lin1, t.intermediate.dense),
            (s.ffn.lin2, t.output.dense), (s.output_layer_norm, t.output.LayerNorm),
        ]
        for s_mod, t_mod in pairs:
            assert torch.equal(s_mod.weight, t_mod.weight) and torch.equal(s_mod.bias, t_mod.bias)
        assert not torch.equal(s.ffn.lin1.weight, t_layers[source + 1].intermediate.dense.weight)
    emb_s, emb_t = student.distilbert.embeddings, teacher.bert.embeddings
    assert torch.equal(emb_s.word_embeddings.weight, emb_t.word_embeddings.weight)
    assert torch.equal(emb_s.position_embeddings.weight, emb_t.position_embeddings.weight)
    assert torch.equal(student.vocab_transform.weight, teacher.cls.predictions.transform.dense.weight)
    assert torch.equal(student.vocab_layer_norm.bias, teacher.cls.predictions.transform.LayerNorm.bias)
    assert torch.equal(student.vocab_projector.bias, teacher.cls.predictions.bias)
    # every student weight is mapped, and copied rather than shared with the frozen teacher
    mapping = bert_to_distilbert_keys(list(student.state_dict()), [0, 2, 4])
    t_sd, s_sd = teacher.state_dict(), student.state_dict()
    assert all(torch.equal(s_sd[s], t_sd[t]) for s, t in mapping.items())
    assert {p.data_ptr() for p in student.parameters()}.isdisjoint(p.data_ptr() for p in teacher.parameters())


def test_same_family_student_copies_teacher_layers_0_2_4(teacher_dir: Path, tokenizer: Any) -> None:
    model = _build(teacher_dir, tokenizer, family="bert", model="bert_tiny")
    teacher, student = model.teacher, model.student
    assert type(student).__name__ == "BertForMaskedLM" and student.config.num_hidden_layers == 3
    for i, source in enumerate([0, 2, 4]):
        s_sd = student.bert.encoder.layer[i].state_dict()
        t_sd = teacher.bert.encoder.layer[source].state_dict()
        assert s_sd.keys() == t_sd.keys() and all(torch.equal(s_sd[k], t_sd[k]) for k in s_sd)
    assert torch.equal(student.bert.embeddings.token_type_embeddings.weight,
                       teacher.bert.embeddings.token_type_embeddings.weight)


def test_architecture_layer_count_caps_the_student(teacher_dir: Path, tokenizer: Any) -> None:
    torch.manual_seed(0)
    model = _objective(teacher_dir).build_model(MODELS.load("distilbert"), {"n_layers": 2}, tokenizer)
    assert model.student.config.n_layers == 2
    assert torch.equal(model.student.distilbert.transformer.layer[1].ffn.lin2.weight,
                       model.teacher.bert.encoder.layer[2].output.dense.weight)


def test_teacher_is_frozen_unsaved_and_stays_in_eval(teacher_dir: Path, tokenizer: Any) -> None:
    model = _build(teacher_dir, tokenizer)
    model.train()
    assert model.student.training and not model.teacher.training
    assert not any(m.training for m in model.teacher.modules())
    teacher_ids = {id(p) for p in model.teacher.parameters()}
    assert teacher_ids.isdisjoint(id(p) for p in model.parameters())
    assert all(k.startswith("student.") for k in model.state_dict())
    assert all(not p.requires_grad for p in model.teacher.parameters())
    loss, _ = DISTILLATION.step(model, _batch(tokenizer))
    loss.backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert any(p.grad is not None for p in model.student.parameters())
    model.to(torch.float64)  # device and dtype moves reach the teacher too
    assert next(model.teacher.parameters()).dtype == torch.float64


def test_missing_or_unusable_teacher_is_a_clear_error(
    teacher_dir: Path, tokenizer: Any, tmp_path: Path
) -> None:
    distilbert = MODELS.load("distilbert")
    arch = _arch("distilbert")
    with pytest.raises(ValueError, match=r"objective\.params\.teacher"):
        DISTILLATION.build_model(distilbert, arch, tokenizer)  # teacher: None
    with pytest.raises(ValueError, match=r"objective\.params\.teacher.*config\.json is missing"):
        _objective(tmp_path / "nowhere").build_model(distilbert, arch, tokenizer)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="config.json is missing"):
        _objective(tmp_path / "empty").build_model(distilbert, arch, tokenizer)
    with pytest.raises(ValueError, match=r"objective\.params\.teacher.*vocabulary has \d+ entries"):
        _objective(teacher_dir).build_model(distilbert, arch, _Sized(len(tokenizer) - 1))
    with pytest.raises(ValueError, match="other ids"):
        _objective(teacher_dir).build_model(distilbert, arch, _Sized(len(tokenizer)))
    with pytest.raises(ValueError, match=r"objective\.params\.teacher.*'roberta' student"):
        _objective(teacher_dir).build_model(MODELS.load("roberta"), {}, tokenizer)


class _Sized:
    """A tokenizer stand-in with a size and an unrelated vocabulary."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size

    def get_vocab(self) -> dict[str, int]:
        return {f"t{i}": i for i in range(self.size)}


def _losses(model: Any, batch: dict[str, Any], steps: int) -> list[float]:
    return train_losses(model, DISTILLATION, batch, steps)


def test_bert_to_distilbert_end_to_end(teacher_dir: Path, tokenizer: Any, tmp_path: Path) -> None:
    from transformers import AutoModelForMaskedLM

    model, batch = _build(teacher_dir, tokenizer), _batch(tokenizer, types=True)
    assert set(batch) == {"input_ids", "labels", "attention_mask", "token_type_ids"}
    assert (batch["labels"] != -100).any()
    loss, metrics = _objective(teacher_dir).step(model, batch)
    assert math.isfinite(loss.item())
    assert {"loss_ce", "loss_mlm", "loss_cos", "mlm_accuracy"} <= set(metrics)
    assert all(math.isfinite(v.item()) for v in metrics.values())

    losses = _losses(model, batch, 30)
    assert all(math.isfinite(x) for x in losses)
    assert min(losses[-5:]) < 0.7 * losses[0], losses

    model.eval()
    DISTILLATION.save(model, tmp_path)
    assert not (tmp_path / "teacher").exists()
    loaded = AutoModelForMaskedLM.from_pretrained(tmp_path).eval()
    assert type(loaded).__name__ == "DistilBertForMaskedLM" and loaded.config.n_layers == 3
    inputs = {k: v for k, v in batch.items() if k not in ("labels", "token_type_ids")}
    with torch.no_grad():
        assert torch.equal(model(**inputs).logits, loaded(**inputs).logits)
        assert torch.equal(model(**batch).logits, loaded(**inputs).logits)  # token types dropped

    again, fresh = _build(teacher_dir, tokenizer), _build(teacher_dir, tokenizer)
    assert _losses(again, batch, 5) == _losses(fresh, batch, 5)
