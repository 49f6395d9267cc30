"""The pretraining job: corpus -> tokenizer -> examples (cached) -> model x objective -> checkpoint."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shlex
import time
from pathlib import Path
from typing import Any

from nlpbench.config.compose import Composed
from nlpbench.errors import ConfigError, DataError, Problem
from nlpbench.records import Metric, RunRecord, config_hash
from nlpbench.runners.recording import run_recorded

AUTO_HEADS = {
    "mlm": "AutoModelForMaskedLM",
    "clm": "AutoModelForCausalLM",
    "seq2seq": "AutoModelForSeq2SeqLM",
    "pair": "AutoModelForPreTraining",
    "rtd": "AutoModelForPreTraining",
}



def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:10]


def tokenizer_source(cfg: Any, objective: Any) -> Path | None:
    """The checkpoint whose tokenizer the run must use: the model's own (continued pretraining)
    or the distillation teacher's; None when the run trains its tokenizer."""
    folder = cfg.model.checkpoint or objective.params.get("teacher")
    if folder is None:
        return None
    key = "model.checkpoint" if cfg.model.checkpoint else "objective.params.teacher"
    if not (Path(folder) / "tokenizer_config.json").is_file():
        raise ConfigError([Problem(key, f"{folder} holds no tokenizer (tokenizer_config.json is missing)",
                                   fix=f"{key}=<a folder written by save_pretrained with its tokenizer>")])
    return Path(folder)


def adopt_tokenizer(folder: Path, tokenizers: Path) -> str:
    """Copy a checkpoint's tokenizer into the cache, named by its content, and return the name."""
    import shutil

    from nlpbench.fsio import atomic_dir

    files = sorted(f for f in folder.iterdir() if f.is_file() and
                   (f.name.startswith(("tokenizer", "special_tokens", "vocab", "merges", "spiece"))))
    digest = hashlib.sha256(b"".join(f.name.encode() + f.read_bytes() for f in files)).hexdigest()
    name = f"checkpoint-{digest[:10]}"
    if not (tokenizers / name / "tokenizer_config.json").is_file():
        with atomic_dir(tokenizers / name) as staging:
            for f in files:
                shutil.copy2(f, staging / f.name)
    return name


def prepare_data(cfg: Any, data_format: str, tokenizer_from: Path | None = None) -> tuple[Path, Path, Path]:
    """Build (or reuse from the cache under ``paths.data_dir/cache``) the run's corpus, tokenizer
    and pretraining examples; return their folders. With ``tokenizer_from`` (a checkpoint) the
    examples are tokenised with that checkpoint's tokenizer instead of a freshly trained one."""
    from nlpbench.config.schema import PretrainingDataConfig
    from nlpbench.data.sources import source_version
    from nlpbench.runners.data import build_corpus, build_pretraining_data, train_tokenizer

    cache = Path(cfg.paths.data_dir) / "cache"
    corpus_cfg = cfg.corpus.model_dump(mode="json")
    # the generator's version is part of the key: a new version never reuses an old corpus
    corpus = f"{cfg.corpus.source}-{_key(corpus_cfg, source_version(cfg.corpus.source))}"
    if not (cache / "corpora" / corpus / "manifest.json").is_file():
        build_corpus(corpus, cfg.corpus, cache / "corpora")
    if tokenizer_from is not None:
        tokenizer = adopt_tokenizer(tokenizer_from, cache / "tokenizers")
    else:
        spec = cfg.tokenizer.model_copy(update={"corpus": corpus})
        tokenizer = f"{spec.family}-{_key(corpus, spec.model_dump(mode='json'))}"
        if not (cache / "tokenizers" / tokenizer / "tokenizer.json").is_file():
            train_tokenizer(tokenizer, spec, cache / "corpora", cache / "tokenizers")
    data = PretrainingDataConfig(
        corpus=corpus,
        tokenizer=tokenizer,
        format=data_format,  # type: ignore[arg-type]  # validated: an objective format or a Literal
        block_size=cfg.data.block_size,
        seed=cfg.seed,
        num_proc=cfg.data.num_proc,
    )
    examples = f"{data_format}-{_key(data.model_dump(mode='json'))}"
    if not (cache / "pretraining" / examples / "manifest.json").is_file():
        build_pretraining_data(examples, data, cache / "corpora", cache / "tokenizers", cache / "pretraining")
    return cache / "corpora" / corpus, cache / "tokenizers" / tokenizer, cache / "pretraining" / examples


def load_objective(cfg: Any) -> Any:
    """The registered objective with this run's hyperparameters."""
    from nlpbench.catalog import OBJECTIVES

    base = OBJECTIVES.load(cfg.objective.name)
    return dataclasses.replace(base, params={**base.params, **cfg.objective.params})


def check_tokenizer(cfg: Any, objective: Any, tokenizer: Any, architecture: dict[str, Any]) -> None:
    """The tokenizer must carry the objective's special tokens and match the model's vocabulary."""
    problems = []
    for attribute in objective.needs_tokens:
        if getattr(tokenizer, attribute, None) is None:
            problems.append(
                Problem(
                    "tokenizer",
                    f"tokenizer {cfg.tokenizer.family!r} has no {attribute.removesuffix('_id')}, "
                    f"which objective {objective.name!r} needs",
                    fix=f"tokenizer={_family_tokenizer(cfg)}",
                )
            )
    vocab = architecture.get("vocab_size")
    if vocab is not None and vocab != len(tokenizer):
        problems.append(
            Problem(
                "model.config.vocab_size",
                f"{vocab} does not match the tokenizer's {len(tokenizer)} entries",
                fix="~model.config.vocab_size",
            )
        )
    if problems:
        raise ConfigError(problems, header="tokenizer and model do not fit")


def _family_tokenizer(cfg: Any) -> str:
    """The tokenizer family the model family's paper used (unigram_bert for ALBERT and DeBERTa)."""
    from nlpbench.catalog import MODELS

    if cfg.model.family not in MODELS or cfg.model.family == "checkpoint":
        return "wordpiece"
    family = MODELS.load(cfg.model.family).tokenizer
    return "unigram_bert" if family == "unigram" and cfg.model.family != "t5" else family


def build_model(cfg: Any, objective: Any, tokenizer: Any) -> Any:
    from nlpbench.catalog import MODELS
    from nlpbench.models.families import architecture, check_length
    from nlpbench.models.sharing import apply_sharing

    if cfg.model.checkpoint is not None:
        import transformers

        from nlpbench.catalog import OBJECTIVES

        composite = OBJECTIVES.get(objective.name).meta.get("composite")
        if composite:  # `nlpbench validate` says so first; this guards direct callers
            raise ConfigError([Problem(
                "model.checkpoint", f"objective {objective.name!r} builds its own pair of models "
                f"({composite}) and cannot start from one checkpoint",
                fix="model=<a family config> (drop model.checkpoint)")])
        head = getattr(objective, "head", "mlm")
        folder = Path(cfg.model.checkpoint)
        if not (folder / "config.json").is_file():
            raise DataError(f"{folder}: not a transformers checkpoint (config.json is missing)")
        try:
            model = getattr(transformers, AUTO_HEADS[head]).from_pretrained(folder, local_files_only=True)
        except Exception as err:  # noqa: BLE001  # safetensors, torch and OS errors alike
            raise DataError(f"{folder}: cannot load the checkpoint for {objective.name!r} "
                            f"({type(err).__name__}: {str(err).splitlines()[0]})") from None
        apply_sharing(model, loaded=True)  # shared-attention / shared-FFN are saved untied
        model.train()  # from_pretrained returns eval mode: no dropout while pretraining otherwise
        if model.config.vocab_size < len(tokenizer):
            raise ConfigError([Problem("model.checkpoint", f"the model's vocabulary "
                                       f"({model.config.vocab_size}) is smaller than its tokenizer's "
                                       f"({len(tokenizer)})")])
        return model
    arch = architecture(cfg.model)
    check_length(cfg.model, {**arch, "max_position_embeddings": arch.get("max_position_embeddings")})
    check_tokenizer(cfg, objective, tokenizer, arch)
    return objective.build_model(MODELS.load(cfg.model.family), arch, tokenizer)


def pretrain(composed: Composed, callbacks: list[Any] | None = None,
             resume_from: str | Path | None = None) -> RunRecord:
    """Run one pretraining job and append its record (ok, or failed with the error and step).
    ``callbacks`` are extra Lightning callbacks (a sweep's reporter to Ray Tune); ``resume_from`` is a
    Lightning checkpoint of this run's fit to continue from (default: the run folder's last.ckpt)."""
    cfg = composed.typed
    record = _new_record(composed)
    run_dir = Path(cfg.paths.output_dir).resolve() / "pretrain" / (cfg.run_name or record.id)
    record.artifacts["run_dir"] = str(run_dir)
    return run_recorded(cfg.records.url, record, lambda started: _train(
        cfg, composed.raw, record, run_dir, started, callbacks or [], resume_from))


def failed_record(composed: Composed, error: str) -> RunRecord:
    """The record of a run that died without writing its own (a sweep trial killed by the OS)."""
    record = _new_record(composed)
    record.status, record.error = "failed", error
    return record


def _new_record(composed: Composed) -> RunRecord:
    from nlpbench.catalog import MODELS, OBJECTIVES
    from nlpbench.provenance import git_state, library_versions

    cfg = composed.typed
    commit, dirty = git_state()
    model, objective = MODELS.get(cfg.model.family), OBJECTIVES.get(cfg.objective.name)
    return RunRecord(
        job="pretrain",
        status="running",
        model=cfg.model.name,
        task=None,
        objective=objective.name,
        group=cfg.group,
        config=composed.raw,
        config_hash=config_hash(composed.raw),
        components={
            "model": {"name": model.name, "version": model.version},
            "objective": {"name": objective.name, "version": objective.version},
            "corpus": {"name": cfg.corpus.source},
            "tokenizer": {"name": cfg.tokenizer.family},
        },
        versions=library_versions(),
        seed=cfg.seed,
        git_commit=commit,
        git_dirty=dirty,
        command=shlex.join(["nlpbench", "pretrain", *composed.overrides]),
    )


def _train(cfg: Any, raw: dict[str, Any], record: RunRecord, run_dir: Path, started: float,
           callbacks: list[Any], resume_from: str | Path | None) -> Any:
    import lightning as L

    from nlpbench.tracking import make_logger
    from nlpbench.training import quiet_third_party
    from nlpbench.training.callbacks import PeriodicValidation
    from nlpbench.training.pretrain import PretrainModule

    quiet_third_party()
    resume = _resume_point(cfg, run_dir, resume_from)  # a damaged checkpoint is refused before any work
    L.seed_everything(cfg.seed, workers=True, verbose=False)
    run = _prepare(cfg, record)
    L.seed_everything(cfg.seed, workers=True, verbose=False)  # same init whatever the data cost
    loader, sampler = _loader(cfg, run)
    total = cfg.trainer.max_steps if cfg.trainer.max_steps > 0 else len(loader) * cfg.trainer.max_epochs
    module = PretrainModule(run.model, run.objective, cfg.optim, total, sampler)
    logger = make_logger(cfg, record.id, "pretrain", raw)
    periodic = PeriodicValidation(lambda: _validate(run.objective, run.model, run.splits["validation"],
                                                    run.tokenizer, cfg, limit=CURVE_EXAMPLES),
                                  cfg.trainer.val_every_n_steps)
    trainer = _lightning_trainer(cfg, run_dir, logger, [periodic, *callbacks])
    record.timings["setup"] = time.perf_counter() - started
    if resume is not None:
        record.artifacts["resumed_from"] = str(resume)
    t0 = time.perf_counter()
    trainer.fit(module, loader, ckpt_path=str(resume) if resume is not None else None)
    record.timings["train"] = time.perf_counter() - t0
    for callback in callbacks:  # e.g. a sweep's reporter notes an early stop by its scheduler
        if hasattr(callback, "annotate_record"):
            callback.annotate_record(record)
    t0 = time.perf_counter()
    _record_metrics(cfg, run, module, trainer.global_step, record)
    _save_checkpoint(run_dir / "checkpoint", run.objective, run.model, run.tokenizer, cfg, record,
                     run.corpus_manifest, trainer.global_step, module.tokens_seen)
    (run_dir / "losses.json").write_text(json.dumps(module.losses) + "\n")
    record.artifacts["losses"] = str(run_dir / "losses.json")
    (run_dir / "curve.json").write_text(json.dumps(periodic.curve, indent=1) + "\n")
    record.artifacts["curve"] = str(run_dir / "curve.json")
    record.timings["evaluate_and_save"] = time.perf_counter() - t0
    return logger


@dataclasses.dataclass
class _Run:
    """What a pretraining run trains on: objective, tokenizer, model and its data."""

    objective: Any
    tokenizer: Any
    model: Any
    splits: Any
    train: Any
    corpus_manifest: dict[str, Any]
    examples_manifest: dict[str, Any]


def _prepare(cfg: Any, record: RunRecord) -> _Run:
    """Build (or reuse) the data, load the tokenizer, build the model; hash the data into the record."""
    import datasets
    from transformers import AutoTokenizer

    datasets.disable_caching()
    objective = load_objective(cfg)
    data_format = cfg.data.format or objective.data_format
    corpus_dir, tokenizer_dir, examples_dir = prepare_data(cfg, data_format, tokenizer_source(cfg, objective))
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    corpus_manifest = json.loads((corpus_dir / "manifest.json").read_text())
    examples_bytes = (examples_dir / "manifest.json").read_bytes()
    record.data_hashes["corpus"] = corpus_manifest["sha256"]
    record.data_hashes["examples"] = hashlib.sha256(examples_bytes).hexdigest()
    model = build_model(cfg, objective, tokenizer)
    splits = datasets.load_from_disk(str(examples_dir))
    train = splits["train"]
    if cfg.data.max_examples is not None:
        train = train.select(range(min(cfg.data.max_examples, len(train))))
    if len(train) < cfg.trainer.batch_size and cfg.data.batch_tokens is None:
        raise DataError(f"{examples_dir}: {len(train)} training examples, fewer than one batch of "
                        f"trainer.batch_size={cfg.trainer.batch_size}; more documents "
                        f"(corpus.n_documents=...) or a smaller trainer.batch_size fix it")
    train = objective.preprocess(train, tokenizer, cfg.seed)
    return _Run(objective, tokenizer, model, splits, train, corpus_manifest, json.loads(examples_bytes))


def _loader(cfg: Any, run: _Run) -> tuple[Any, Any]:
    """The resumable training loader: fixed batches of ``trainer.batch_size`` examples, or with
    ``data.batch_tokens`` as many examples as fit that many tokens (RoBERTa's DOC-SENTENCES)."""
    from nlpbench.training.batching import TokenBudgetBatchSampler
    from nlpbench.training.pretrain import EpochSampler, IndexedRows, ResumableLoader

    seed, objective, tokenizer = cfg.seed, run.objective, run.tokenizer
    if cfg.data.batch_tokens is not None:
        lengths = [len(ids) for ids in run.train["input_ids"]]
        sampler: Any = TokenBudgetBatchSampler(lengths, cfg.data.batch_tokens, seed)
    else:
        sampler = EpochSampler(len(run.train), seed)
    loader = ResumableLoader(IndexedRows(run.train), sampler, cfg.trainer.batch_size,
                             lambda f: objective.collate(f, tokenizer, seed, sampler.epoch))
    return loader, sampler


def _resume_point(cfg: Any, run_dir: Path, resume_from: str | Path | None) -> Path | None:
    """The Lightning checkpoint to continue from (the sweep's, or the run folder's last.ckpt unless
    ``resume=false``, which sets it aside), checked whole before any work."""
    from nlpbench.training.checkpoints import check_lightning_checkpoint, set_aside

    last = run_dir / "lightning" / "last.ckpt"
    if resume_from is None and not cfg.resume and last.is_file():
        set_aside(last.parent)
        return None
    resume = Path(resume_from) if resume_from else (last if last.is_file() else None)
    if resume is not None:
        check_lightning_checkpoint(resume, fresh="resume=false" if resume_from is None else None)
    return resume


def _lightning_trainer(cfg: Any, run_dir: Path, logger: Any, callbacks: list[Any]) -> Any:
    import lightning as L
    from lightning.pytorch.callbacks import ModelCheckpoint

    from nlpbench.training.hardware import trainer_settings
    from nlpbench.training.plain_progress import progress_callbacks

    plain = progress_callbacks(cfg.trainer.enable_progress_bar)
    checkpoints = ModelCheckpoint(dirpath=str(run_dir / "lightning"), save_last=True, save_top_k=1,
                                  every_n_train_steps=cfg.checkpoint_every)
    return L.Trainer(**trainer_settings(cfg.trainer), logger=logger if logger is not None else False,
                     callbacks=[*callbacks, checkpoints, *plain],
                     enable_model_summary=False,
                     num_sanity_val_steps=0, default_root_dir=str(run_dir))


def _record_metrics(cfg: Any, run: _Run, module: Any, steps: int, record: RunRecord) -> None:
    """Validation loss and metrics, then what the run consumed: tokens seen (in total and per step),
    passes over the training tokens, the padding share of the batches, throughput."""
    val_loss, val_metrics = _validate(run.objective, run.model, run.splits["validation"], run.tokenizer, cfg)
    val_metrics["unigram_perplexity"] = _unigram_baseline(run)
    tail = module.losses[-10:]
    train_tokens = run.examples_manifest["splits"]["train"]["tokens"]
    if cfg.data.max_examples is not None:
        train_tokens = sum(len(ids) for ids in run.train["input_ids"])
    record.metrics += [
        Metric("loss", "validation", val_loss),
        Metric("perplexity", "validation", float(min(1e9, 2.718281828 ** min(val_loss, 20)))),
        *(Metric(k, "validation", v) for k, v in val_metrics.items()),
        Metric("loss", "train", sum(tail) / max(1, len(tail))),
        Metric("tokens_seen", "train", float(module.tokens_seen)),
        Metric("tokens_per_step", "train", module.tokens_seen / max(1, steps)),
        Metric("passes", "train", module.tokens_seen / max(1, train_tokens)),
        Metric("padding_share", "train", 1.0 - module.tokens_seen / max(1, module.positions_seen)),
        Metric("steps", "train", float(steps)),
        Metric("tokens_per_second", "train", module.tokens_seen / max(1e-9, record.timings["train"])),
    ]
    record.headline_metric, record.headline_value = "loss", val_loss


def _unigram_baseline(run: _Run, limit: int = 512) -> float:
    """The validation perplexity of a context-free model (train token frequencies, add-one smoothed)
    on the examples ``_validate`` scores: a perplexity near it means the run learned frequencies only."""
    from nlpbench.metrics.language_model import unigram_perplexity

    validation = run.splits["validation"]
    held_out = validation.select(range(min(limit, len(validation))))["input_ids"]
    pad = run.tokenizer.pad_token_id
    return unigram_perplexity(run.train["input_ids"], held_out, len(run.tokenizer),
                              ignore=[pad] if pad is not None else [])


CURVE_EXAMPLES = 256  # the learning curve's points evaluate the first 256 of the final validation's 512


def _validate(
    objective: Any, model: Any, rows: Any, tokenizer: Any, cfg: Any, limit: int = 512
) -> tuple[float, dict[str, float]]:
    """Mean loss and metrics on the first ``limit`` validation examples (epoch-0 masks, so it is
    repeatable), on the model's device, leaving the model in the mode it was in."""
    import torch

    rows = objective.preprocess(rows.select(range(min(limit, len(rows)))), tokenizer, cfg.seed + 1)
    device, training = next(model.parameters()).device, model.training
    model.eval()
    losses: list[float] = []
    sums: dict[str, float] = {}
    batches = 0
    with torch.no_grad():
        for start in range(0, len(rows), cfg.trainer.eval_batch_size):
            feats = [
                {**rows[i], "index": i}
                for i in range(start, min(len(rows), start + cfg.trainer.eval_batch_size))
            ]
            batch = objective.collate(feats, tokenizer, cfg.seed + 1, 0)
            batch = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in batch.items()}
            loss, metrics = objective.step(model, batch)
            losses.append(float(loss))
            for k, v in metrics.items():
                sums[k] = sums.get(k, 0.0) + float(v)
            batches += 1
    model.train(training)
    return sum(losses) / max(1, len(losses)), {k: v / max(1, batches) for k, v in sums.items()}


def _save_checkpoint(
    folder: Path,
    objective: Any,
    model: Any,
    tokenizer: Any,
    cfg: Any,
    record: RunRecord,
    corpus_manifest: dict[str, Any],
    steps: int,
    tokens: int,
) -> None:
    """`transformers` format (save_pretrained + tokenizer) with a small model card."""
    from nlpbench.fsio import atomic_dir

    card = {
        "objective": objective.name,
        "model": cfg.model.name,
        "family": cfg.model.family,
        "corpus": cfg.corpus.source,
        "corpus_sha256": corpus_manifest["sha256"],
        "steps": steps,
        "tokens": tokens,
        "config_hash": record.config_hash,
        "record_id": record.id,
        "seed": cfg.seed,
    }
    with atomic_dir(folder) as staging:
        objective.save(model, staging)
        tokenizer.save_pretrained(str(staging))
        (staging / "nlpbench.json").write_text(json.dumps(card, indent=2) + "\n")
        (staging / "README.md").write_text(
            f"# {cfg.model.name} pretrained with {objective.name}\n\n"
            + "\n".join(f"- {k}: {v}" for k, v in card.items())
            + "\n"
        )
    record.artifacts["checkpoint"] = str(folder)
