"""Pretraining end to end: record and checkpoint, identical resume after an interruption, NaN stop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.errors import ConfigError, TrainingError
from nlpbench.records import open_store
from nlpbench.runners.pretrain import pretrain
from nlpbench.training.pretrain import PretrainModule

BASE = [
    "corpus=pydocs",
    "logger=none",
    "trainer.enable_progress_bar=false",
    "trainer.max_steps=20",
    "trainer.batch_size=16",
    "checkpoint_every=10",
    "data.max_examples=256",
]


def _run(*overrides: str):
    return pretrain(compose_config("pretrain", [*BASE, *overrides]))


def _store(home: Path):
    return open_store(f"sqlite:///{home}/results/records.sqlite")


def test_pretrain_records_and_saves_a_transformers_checkpoint(home: Path) -> None:
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    record = _run("run_name=first")
    stored = _store(home).get(record.id)
    assert stored.status == "ok" and stored.job == "pretrain" and stored.objective == "mlm_dynamic"
    assert stored.headline_metric == "loss" and stored.metric("steps", "train") == 20
    assert stored.metric("tokens_seen", "train") > 0 and stored.data_hashes["corpus"]
    folder = Path(stored.artifacts["checkpoint"])
    card = json.loads((folder / "nlpbench.json").read_text())
    assert (
        card["objective"] == "mlm_dynamic"
        and card["steps"] == 20
        and card["config_hash"] == record.config_hash
    )
    assert card["corpus_sha256"] == stored.data_hashes["corpus"]
    model = AutoModelForMaskedLM.from_pretrained(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert model.config.vocab_size == len(tokenizer)
    # the checkpoint fine-tunes by path
    finetune_cfg = compose_config(
        "finetune", ["model=checkpoint", f"model.checkpoint={folder}", "logger=none"]
    )
    assert finetune_cfg.typed.model.checkpoint == str(folder)


def test_resume_after_interruption_continues_identically(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    straight = _run("run_name=straight", "objective=mlm_dynamic")
    straight_losses = json.loads(Path(straight.artifacts["losses"]).read_text())

    original = PretrainModule.on_train_batch_end

    def interrupt(self: PretrainModule, outputs: object, batch: object, batch_idx: int) -> None:
        original(self, outputs, batch, batch_idx)
        if self.global_step == 15:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C, after the step-10 checkpoint

    monkeypatch.setattr(PretrainModule, "on_train_batch_end", interrupt)
    with pytest.raises(SystemExit):  # Lightning stops gracefully on Ctrl-C, with exit code 1
        _run("run_name=interrupted", "objective=mlm_dynamic")
    monkeypatch.setattr(PretrainModule, "on_train_batch_end", original)
    resumed = _run("run_name=interrupted", "objective=mlm_dynamic")
    assert resumed.artifacts["resumed_from"].endswith("last.ckpt")
    assert json.loads(Path(resumed.artifacts["losses"]).read_text()) == straight_losses
    statuses = [r.status for r in _store(home).query()]
    assert sorted(statuses) == ["failed", "ok", "ok"]
    assert "rerun to resume" in (_store(home).query(status="failed")[0].error or "")


def test_a_damaged_checkpoint_is_refused_before_work_and_resume_false_starts_afresh(home: Path) -> None:
    from nlpbench.errors import DataError

    first = _run("run_name=damaged", "trainer.max_steps=10")
    last = Path(first.artifacts["checkpoint"]).parent / "lightning" / "last.ckpt"
    size = last.stat().st_size
    with last.open("r+b") as f:  # as a full disk or a kill mid-write would leave it
        f.truncate(size // 2)
    with pytest.raises(DataError) as err:
        _run("run_name=damaged")
    message = str(err.value)
    assert message.startswith(f"{last}: cannot resume from this Lightning checkpoint")
    assert "`resume=false`" in message and last.stat().st_size == size // 2  # nothing touched
    fresh = _run("run_name=damaged", "resume=false")
    assert fresh.status == "ok" and "resumed_from" not in fresh.artifacts
    assert fresh.metric("steps", "train") == 20
    [aside] = list(last.parent.parent.glob(".lightning.set-aside-*"))
    assert (aside / "last.ckpt").stat().st_size == size // 2  # kept for inspection, not deleted
    with pytest.raises(DataError, match="not a torch checkpoint archive"):
        from nlpbench.training.checkpoints import check_lightning_checkpoint

        (home / "junk.ckpt").write_text("not a checkpoint")
        check_lightning_checkpoint(home / "junk.ckpt")


def test_non_finite_loss_stops_and_is_recorded(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpbench.objectives.mlm import MaskedLM

    original = MaskedLM.step
    calls = {"n": 0}

    def poisoned(self: MaskedLM, model: object, batch: dict) -> tuple:
        loss, metrics = original(self, model, batch)
        calls["n"] += 1
        return (loss * float("nan"), metrics) if calls["n"] == 13 else (loss, metrics)

    monkeypatch.setattr(MaskedLM, "step", poisoned)
    with pytest.raises(TrainingError, match="non-finite loss .* at step 12"):
        _run("run_name=poisoned")
    (failed,) = _store(home).query(status="failed")
    assert "at step 12" in (failed.error or "")
    kept = Path(failed.artifacts["run_dir"]) / "lightning" / "last.ckpt"
    assert kept.is_file()  # the step-10 checkpoint survives

    import torch

    assert torch.load(kept, weights_only=False)["global_step"] == 10


def test_incompatible_pair_and_tokenizer_mismatch_fail_before_training(home: Path) -> None:
    with pytest.raises(ConfigError, match="objectives for 'gpt2': clm"):
        compose_config("pretrain", [*BASE, "model=gpt2"])
    with pytest.raises(ConfigError, match="needs the bert/albert family's pretraining head"):
        compose_config("pretrain", [*BASE, "model=roberta", "objective=nsp"])
    with pytest.raises(ConfigError, match="cannot train on 'doc_sentences' examples"):
        compose_config("pretrain", [*BASE, "objective=sop", "data.format=doc_sentences"])
    with pytest.raises(ConfigError, match="has no mask_token"):
        _run("tokenizer=unigram")
    with pytest.raises(ConfigError, match="does not match the tokenizer"):
        _run("+model.config.vocab_size=77")
    assert _store(home).count() == 0


@pytest.mark.parametrize(
    ("overrides", "auto_class", "metric"),
    [
        (["objective=nsp"], "AutoModelForPreTraining", "nsp_accuracy"),
        (["model=albert", "objective=sop", "tokenizer=unigram_bert"], "AutoModelForPreTraining",
         "sop_accuracy"),
        (["model=electra", "objective=rtd"], "AutoModelForPreTraining", "disc_accuracy"),
        (["model=t5", "objective=span_corruption", "tokenizer=unigram"], "AutoModelForSeq2SeqLM",
         "token_accuracy"),
        (["model=bart", "objective=denoising", "tokenizer=byte_bpe"], "AutoModelForSeq2SeqLM",
         "token_accuracy"),
    ],
    ids=["bert-nsp", "albert-sop", "electra-rtd", "t5-span_corruption", "bart-denoising"],
)
def test_each_objective_pretrains_through_the_runner(
    home: Path, overrides: list[str], auto_class: str, metric: str
) -> None:
    import transformers

    record = _run("run_name=run", "trainer.max_steps=4", *overrides)
    assert record.status == "ok" and record.metric("steps", "train") == 4
    value = record.metric(metric, "validation")
    assert value is not None and 0.0 <= value <= 1.0, (metric, value)
    loss, unigram = record.metric("loss", "validation"), record.metric("unigram_perplexity", "validation")
    assert loss is not None and 0.0 < loss < 50.0 and unigram is not None and unigram > 1.0
    assert record.metric("tokens_seen", "train") > 0
    folder = Path(record.artifacts["checkpoint"])
    loaded = getattr(transformers, auto_class).from_pretrained(folder)
    family = next((o.split("=")[1] for o in overrides if o.startswith("model=")), "bert")
    assert loaded.config.model_type == family  # bert_tiny's family is bert
    if "objective=rtd" in overrides:  # the generator is kept beside the discriminator
        transformers.AutoModelForMaskedLM.from_pretrained(folder / "generator")


def test_distillation_uses_the_teachers_tokenizer_and_half_its_layers(home: Path) -> None:
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    teacher = Path(_run("run_name=teacher", "trainer.max_steps=4").artifacts["checkpoint"])
    student = _run("run_name=student", "trainer.max_steps=4", "model=distilbert", "objective=distillation",
                   f"objective.params.teacher={teacher}")
    assert student.status == "ok" and student.metric("loss_cos", "validation") is not None
    folder = Path(student.artifacts["checkpoint"])
    model = AutoModelForMaskedLM.from_pretrained(folder)
    assert model.config.model_type == "distilbert"
    teacher_layers = AutoModelForMaskedLM.from_pretrained(teacher).config.num_hidden_layers
    assert model.config.n_layers == teacher_layers // 2
    vocab = AutoTokenizer.from_pretrained(teacher).get_vocab()
    assert AutoTokenizer.from_pretrained(folder).get_vocab() == vocab
    with pytest.raises(ConfigError, match="objective.params.teacher"):
        _run("run_name=orphan", "model=distilbert", "objective=distillation",
             f"objective.params.teacher={home / 'nowhere'}")


def test_continued_pretraining_from_a_checkpoint_and_a_corrupt_one(home: Path) -> None:
    from nlpbench.errors import DataError

    first = Path(_run("run_name=base", "trainer.max_steps=4").artifacts["checkpoint"])
    again = _run("run_name=continued", "trainer.max_steps=4", "model=checkpoint", f"model.checkpoint={first}")
    assert again.status == "ok"
    corrupt = home / "corrupt"
    corrupt.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        (corrupt / name).write_text((first / name).read_text())
    (corrupt / "model.safetensors").write_bytes(b"not a tensor file")
    with pytest.raises(DataError, match="corrupt: cannot load the checkpoint"):
        _run("run_name=broken", "model=checkpoint", f"model.checkpoint={corrupt}")
    with pytest.raises(ConfigError, match="model.checkpoint: .* holds no tokenizer"):
        _run("run_name=bare", "model=checkpoint", f"model.checkpoint={home}")
