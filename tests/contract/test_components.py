"""Generic contract over every registered component; a component without an entry here fails."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from nlpbench.catalog import METRICS, MODELS, OBJECTIVES, REGISTRIES, TASKS

TEXTS = ["the film was good .", "the plot was not good .", "i hated the ending ."] * 20
FAMILY_CONFIGS = {"bert": "bert_tiny", "roberta": "roberta", "distilbert": "distilbert",
                  "deberta_v2": "deberta_v2", "electra": "electra", "albert": "albert", "gpt2": "gpt2",
                  "t5": "t5", "bart": "bart"}


def _model_cfg(family: str) -> Any:
    from nlpbench.config import compose_config

    overrides = [f"model={FAMILY_CONFIGS[family]}", "model.tokenizer.vocab_size=300"]
    return compose_config("finetune", overrides).typed.model


def _forward(model: Any, tokenizer: Any) -> Any:
    import inspect

    import torch

    model.eval()
    enc = tokenizer(TEXTS[:4], padding=True, return_tensors="pt")
    accepted = set(inspect.signature(model.forward).parameters)
    with torch.no_grad():
        return model(**{k: v for k, v in enc.items() if k in accepted}, labels=torch.tensor([1, 0, 0, 1]))


def _family_contract(family: str, tmp_path: Path) -> None:
    from nlpbench.models.families import build_for_classification

    cfg = _model_cfg(family)
    model, tokenizer = build_for_classification(cfg, TEXTS, 2)
    out = _forward(model, tokenizer)
    assert out.logits.shape == (4, 2) and math.isfinite(out.loss.item())
    assert model.config.vocab_size == len(tokenizer)
    assert model.config.pad_token_id == tokenizer.pad_token_id
    assert MODELS.get(family).meta["kind"] in ("encoder", "decoder", "encoder-decoder")


def contract_model_hf_auto(tmp_path: Path) -> None:
    from nlpbench.config import compose_config
    from nlpbench.errors import ConfigError
    from nlpbench.models.families import build_for_classification

    cfg = compose_config("finetune", ["model=hf_auto", "model.tokenizer.vocab_size=300"]).typed.model
    model, tokenizer = build_for_classification(cfg, TEXTS, 2)
    assert type(model).__name__ == "MPNetForSequenceClassification"
    out = _forward(model, tokenizer)
    assert out.logits.shape == (4, 2) and math.isfinite(out.loss.item())
    assert model.config.vocab_size == len(tokenizer)
    typo = cfg.model_copy(update={"config": {**cfg.config, "model_type": "mpnett"}})
    with pytest.raises(ConfigError, match="'mpnett' is not a transformers model type") as err:
        build_for_classification(typo, TEXTS, 2)
    assert "model.config.model_type=mpnet" in str(err.value)


def contract_model_checkpoint(tmp_path: Path) -> None:
    import torch

    from nlpbench.models.families import build_for_classification

    model, tokenizer = build_for_classification(_model_cfg("bert"), TEXTS, 2)
    model.save_pretrained(tmp_path / "ckpt")
    tokenizer.save_pretrained(tmp_path / "ckpt")
    cfg = SimpleNamespace(checkpoint=str(tmp_path / "ckpt"))
    loaded, loaded_tok = MODELS.load("checkpoint")(cfg, 2)
    assert torch.equal(_forward(model, tokenizer).logits, _forward(loaded, loaded_tok).logits)


def _task_contract(name: str, tmp_path: Path) -> None:
    from nlpbench.tasks.sources import prepare_task
    from nlpbench.tasks.synthetic_sst2 import prepare

    spec = TASKS.load(name)
    assert spec.headline in spec.metrics and all(m in METRICS for m in spec.metrics)
    if TASKS.get(name).meta["benchmark"] == "synthetic":
        cfg = SimpleNamespace(name=name, source="synthetic", data_dir=str(tmp_path),
                              synthetic=SimpleNamespace(seed=0, n_train=50, n_dev=20, n_test=10))
    else:  # a real benchmark task reads a local folder in the official layout
        prepare(tmp_path / "gen", 0, 50, 20, 10)
        shutil.copytree(tmp_path / "gen" / spec.folder, tmp_path / "glue" / spec.folder)
        cfg = SimpleNamespace(name=name, source="local", data_dir=str(tmp_path / "glue"))
    splits = prepare_task(cfg, spec)
    assert [len(splits[s]) for s in ("train", "dev", "test")] == [50, 20, 10]
    assert set(splits["train"].labels or []) <= set(range(spec.num_labels))
    assert splits["test"].labels is None


def _metric_contract(name: str, tmp_path: Path) -> None:
    fn = METRICS.load(name)
    gold = np.array([0, 1, 1, 0, 1, 0, 1, 1])
    assert fn(gold, gold) == pytest.approx(1.0)
    value = fn(gold, np.array([1, 1, 0, 0, 1, 1, 0, 1]))
    assert math.isfinite(value) and -1.0 <= value <= 1.0


def _standin_contract(name: str, tmp_path: Path) -> None:
    """A stand-in writes its real task's official files, which the fine-tuning path reads."""
    from nlpbench.tasks.sources import prepare_task

    spec, entry = TASKS.load(name), TASKS.get(name)
    real = TASKS.get(entry.meta["standin_of"])
    assert spec is real.load() and entry.meta["headline"] == real.meta["headline"] == spec.headline
    cfg = SimpleNamespace(name=name, source="synthetic", data_dir=str(tmp_path),
                          synthetic=SimpleNamespace(seed=0, n_train=40, n_dev=20, n_test=10))
    splits = prepare_task(cfg, spec)
    names = [s for s in ("train", "dev", "test") if s in spec.split_files]  # SQuAD's test set is hidden
    if spec.kind == "multirc":  # one example per answer option; the sizes count passages (of the group ids)
        sizes = [len({ex.group.split("/")[0] for ex in splits[s].source.examples}) for s in names]
    else:
        sizes = [len(splits[s]) for s in names]
    assert sizes == [40, 20, 10][:len(names)]
    assert splits["train"].labels is not None and ("test" not in names or splits["test"].labels is None)
    assert len(set(splits["train"].labels)) > 1


def _benchmark_task_contract(name: str, tmp_path: Path) -> None:
    """Read a tiny hand-written labelled file in the official layout, then write perfect predictions
    as the official submission and score them back: the headline reaches its best value."""
    from nlpbench.tasks.readers import read_split
    from nlpbench.tasks.scoring import score_files
    from nlpbench.tasks.submission import write_submission
    from tests.unit._benchmark_samples import SAMPLES, write_sample

    spec, entry = TASKS.load(name), TASKS.get(name)
    assert (entry.meta["benchmark"], entry.meta["headline"]) == (spec.benchmark, spec.headline)
    assert spec.headline in METRICS and all(m in METRICS for m in spec.metrics)
    sample = SAMPLES[name]
    path = write_sample(name, tmp_path)
    split = read_split(spec, tmp_path, sample.split)
    assert split.labeled and len(split) == sample.count
    assert tuple(ex.label for ex in split.examples) == sample.labels
    perfect = [ex.label if not isinstance(ex.label, tuple) else (ex.label[0] if ex.label else "")
               for ex in split.examples]
    out_split = next(iter(spec.submissions))
    submission = write_submission(spec, split.examples, perfect, tmp_path / "out", out_split)
    scored = score_files(name, [path], [submission])
    assert scored.missing == 0
    assert scored.metrics["score"] == pytest.approx(METRICS.get(spec.headline).meta["best"])


def _benchmark_metric_contract(name: str, tmp_path: Path) -> None:
    """A perfect prediction scores the metric's best value, called as its ``inputs`` meta says."""
    from nlpbench.metrics.glue import GLUE_TASKS
    from nlpbench.metrics.superglue import SUPERGLUE_TASKS

    entry = METRICS.get(name)
    fn, best = entry.load(), entry.meta["best"]
    gold = np.array([0, 0, 1, 1, 1, 1, 0, 0])  # minimal pairs agree, as AX-g's do
    answers = [["the Normans"], ["France", "in France"], ["six"]]
    perfect: dict[str, tuple[Any, ...]] = {
        "labels": (gold, gold), "scores": (gold * 1.5, gold * 1.5), "pairs": (gold, gold),
        "grouped": (gold, gold, np.array([0, 0, 1, 1, 2, 2, 2, 3])),
        "answers": (answers, [a[-1] for a in answers]),
        "task_scores": ({t: 1.0 for t in (SUPERGLUE_TASKS if "superglue" in name else GLUE_TASKS)},),
    }
    assert fn(*perfect[entry.meta["inputs"]]) == pytest.approx(best)


def _corpus_contract(name: str, tmp_path: Path) -> None:
    from nlpbench.config.schema import CorpusConfig
    from nlpbench.data import CORPORA

    (tmp_path / "c.txt").write_text("One doc here. Two sentences.\n\nAnother doc. Also two.\n")
    (tmp_path / "train.jsonl").write_text('{"text": "Hub row. Second sentence."}\n')
    options = {"synthetic": {"n_documents": 5}, "pydocs": {}, "local": {"path": str(tmp_path / "c.txt")},
               "hf": {"name": str(tmp_path), "split": "train"}}[name]
    docs = list(CORPORA.load(name)(CorpusConfig(source=name, **options)))
    assert docs and all(d.sentences and all(isinstance(s, str) and s for s in d.sentences) for d in docs)
    assert len({d.id for d in docs}) == len(docs)


def _tokenizer_contract(name: str, tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    from nlpbench.config.schema import TokenizerConfig
    from nlpbench.data import TOKENIZERS

    spec = TokenizerConfig(family=name, vocab_size=300, sentinels=4)
    TOKENIZERS.load(name)(lambda: iter(TEXTS), spec).save_pretrained(tmp_path)
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert loaded.is_fast and loaded.pad_token_id is not None
    assert loaded.decode(loaded("the film was good .", add_special_tokens=False)["input_ids"]).strip()


def _objective_contract(name: str, tmp_path: Path) -> None:
    """Every objective names valid model kinds; the full per-pair contract (forward, loss drops,
    save/load, determinism) runs in test_model_objective_pairs over every family it fits."""
    from nlpbench.models.spec import KINDS
    from tests.contract.test_model_objective_pairs import PAIRS

    kinds = OBJECTIVES.get(name).meta["kinds"]
    assert kinds and set(kinds) <= set(KINDS)
    assert OBJECTIVES.load(name).kinds == tuple(kinds)
    assert any(o == name for _, o in PAIRS)


# a task each head is exercised on (its stand-in; the real files use the same readers), or
# (task, model) for a head that needs another kind of model than bert_tiny (text_to_text: t5)
HEAD_TASKS: dict[str, str | tuple[str, str]] = {
    "classification": "synthetic/glue/stsb", "multiple_choice": "synthetic/superglue/copa",
    "text_to_text": ("synthetic/glue/stsb", "t5"), "span_extraction": "synthetic/squad/v2",
    "span_pair": "synthetic/superglue/wsc", "candidate_choice": "synthetic/superglue/record"}


def _head_contract(name: str, tmp_path: Path) -> None:
    """A head builds a model for its task, encodes and collates examples, gives a finite loss that
    backpropagates, and decodes one prediction per example that the task's headline metric takes."""
    import torch

    from nlpbench.config import compose_config
    from nlpbench.tasks.heads import make_head
    from nlpbench.tasks.sources import prepare_task

    entry = HEAD_TASKS[name]
    task, model = entry if isinstance(entry, tuple) else (entry, "bert_tiny")
    cfg = compose_config("finetune", [f"task={task}", f"model={model}", "model.tokenizer.vocab_size=300",
                                      f"paths.data_dir={tmp_path}", "task.synthetic.n_train=24",
                                      "task.synthetic.n_dev=10", "task.synthetic.n_test=6"]).typed
    spec = TASKS.load(task)
    head = make_head(spec, name)
    assert head.name == name
    splits = prepare_task(cfg.task, spec)
    model, tokenizer = head.build(cfg.model, splits["train"])
    encoded = head.encode(splits["dev"], tokenizer, cfg.model.max_length)
    collate = head.collate(tokenizer.pad_token_id)
    batch = collate([encoded[i] for i in range(4)])
    loss = head.loss(model, batch)
    assert loss.dim() == 0 and torch.isfinite(loss)
    loss.backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())
    model.eval()
    with torch.no_grad():
        outputs = [head.evaluate(model, collate([encoded[i] for i in range(s, min(s + 4, len(encoded)))]))[1]
                   for s in range(0, len(encoded), 4)]
    preds, gold = head.decode(outputs, encoded), head.gold(splits["dev"])
    assert len(preds) == len(gold) == len(splits["dev"])
    value = float(METRICS.load(spec.headline)(gold, preds))
    if math.isnan(value):  # a correlation is undefined only for constant predictions (an untrained t5)
        assert spec.headline == "pearson_spearman" and len({float(p) for p in preds}) == 1, (name, preds)
        return
    best = float(METRICS.get(spec.headline).meta["best"])
    assert -best <= value <= best, (name, value)  # correlations may be negative; scores are not above best
    expected = _independent_headline(spec.headline, gold, preds)
    if expected is not None:
        assert value == pytest.approx(expected, abs=1e-9), (name, spec.headline)


def _independent_headline(headline: str, gold: Any, preds: Any) -> float | None:
    """The headline computed with numpy/scipy instead of the registry (None: covered elsewhere, by
    the official scorers' tests)."""
    import numpy as np
    from scipy import stats

    if headline == "accuracy":
        return float(np.mean(np.asarray(gold) == np.asarray(preds)))
    if headline == "pearson_spearman":
        g, p = np.asarray(gold, dtype=float), np.asarray(preds, dtype=float)
        if np.std(p) == 0:
            return None  # undefined for constant predictions
        return float((stats.pearsonr(g, p)[0] + stats.spearmanr(g, p)[0]) / 2)
    return None


CONTRACTS: dict[str, dict[str, Any]] = {
    "models": {"checkpoint": contract_model_checkpoint, "hf_auto": contract_model_hf_auto,
               **{f: (lambda p, f=f: _family_contract(f, p)) for f in FAMILY_CONFIGS}},
    "objectives": {n: (lambda p, n=n: _objective_contract(n, p))
                   for n in ("mlm_static", "mlm_dynamic", "clm", "nsp", "sop", "rtd", "span_corruption",
                             "denoising", "distillation")},
    "tasks": {
        **{name: (lambda p, n=name: _task_contract(n, p)) for name in ("synthetic/sst2", "glue/sst2")},
        **{f"synthetic/{t}": (lambda p, n=f"synthetic/{t}": _standin_contract(n, p)) for t in (
            "glue/cola", "glue/sst2", "glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/qnli",
            "glue/rte", "glue/wnli", "superglue/boolq", "superglue/cb", "superglue/copa", "superglue/multirc",
            "superglue/record", "superglue/rte", "superglue/wic", "superglue/wsc", "squad/v1", "squad/v2")},
        **{f"glue/{t}": (lambda p, n=f"glue/{t}": _benchmark_task_contract(n, p))
           for t in ("cola", "mrpc", "stsb", "qqp", "mnli", "qnli", "rte", "wnli", "ax")},
        **{f"superglue/{t}": (lambda p, n=f"superglue/{t}": _benchmark_task_contract(n, p))
           for t in ("boolq", "cb", "copa", "multirc", "record", "rte", "wic", "wsc", "axb", "axg")},
        **{n: (lambda p, n=n: _benchmark_task_contract(n, p)) for n in ("squad/v1", "squad/v2")},
    },
    "heads": {n: (lambda p, n=n: _head_contract(n, p)) for n in HEAD_TASKS},
    "metrics": {
        **{name: (lambda p, n=name: _metric_contract(n, p)) for name in
           ("accuracy", "f1", "macro_f1", "mcc", "pearson", "spearman")},
        **{name: (lambda p, n=name: _benchmark_metric_contract(n, p)) for name in
           ("f1_accuracy", "pearson_spearman", "glue_score", "glue_score_no_wnli", "accuracy_macro_f1",
            "f1a", "multirc_em", "f1a_em", "record_em", "record_f1", "record_f1_em", "gender_parity",
            "superglue_score", "squad_exact_match", "squad_f1", "squad_v2_exact", "squad_v2_f1")},
    },
    "corpora": {n: (lambda p, n=n: _corpus_contract(n, p)) for n in ("synthetic", "pydocs", "local", "hf")},
    "tokenizers": {n: (lambda p, n=n: _tokenizer_contract(n, p))
                   for n in ("wordpiece", "bpe", "byte_bpe", "unigram")},
}


def test_every_registered_component_has_a_contract_entry() -> None:
    for kind, registry in REGISTRIES.items():
        missing = sorted(set(registry.names()) - set(CONTRACTS[kind]))
        assert not missing, f"registered {kind} without a contract test entry: {missing}"
        stale = sorted(set(CONTRACTS[kind]) - set(registry.names()))
        assert not stale, f"contract entries for unregistered {kind}: {stale}"


@pytest.mark.parametrize(
    ("kind", "name"), [(k, n) for k, reg in REGISTRIES.items() for n in reg.names()]
)
def test_component_contract(kind: str, name: str, tmp_path: Path) -> None:
    entry = REGISTRIES[kind].get(name)
    assert entry.summary and entry.version >= 1
    CONTRACTS[kind][name](tmp_path)
