"""The fine-tuning job: data -> model + tokenizer -> Lightning fit -> dev metrics -> one record."""

from __future__ import annotations

import json
import shlex
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlpbench.config.compose import Composed
from nlpbench.records import Metric, RunRecord, config_hash
from nlpbench.runners.recording import run_recorded


def finetune(composed: Composed, callbacks: list[Any] | None = None,
             resume_from: str | Path | None = None) -> RunRecord:
    """Run one fine-tuning job from a validated config and append its record (ok or failed).
    ``callbacks`` are extra Lightning callbacks (a sweep's reporter to Ray Tune); ``resume_from`` is a
    Lightning checkpoint of this run's fit to continue from (a restarted or PBT-exploited trial)."""
    cfg = composed.typed
    record = _new_record(composed)
    run_dir = Path(cfg.paths.output_dir).resolve() / "runs" / record.id
    record.artifacts["run_dir"] = str(run_dir)
    if resume_from is not None:
        record.artifacts["resumed_from"] = str(resume_from)
    return run_recorded(cfg.records.url, record,
                        lambda started: _train_and_evaluate(cfg, composed.raw, record, run_dir, started,
                                                            callbacks or [], resume_from))


def failed_record(composed: Composed, error: str) -> RunRecord:
    """The record of a run that died without writing its own (a trial killed by the operating
    system), as the sweep's driver appends it."""
    record = _new_record(composed)
    record.status, record.error = "failed", error
    return record


def _new_record(composed: Composed) -> RunRecord:
    from nlpbench.catalog import MODELS, TASKS
    from nlpbench.provenance import git_state, library_versions

    cfg = composed.typed
    commit, dirty = git_state()
    model_entry, task_entry = MODELS.get(cfg.model.family), TASKS.get(cfg.task.name)
    return RunRecord(
        job="finetune", status="running", model=cfg.model.name, task=cfg.task.name,
        objective=None, group=cfg.group, config=composed.raw,
        config_hash=config_hash(composed.raw),
        components={
            "model": {"name": model_entry.name, "version": model_entry.version},
            "task": {"name": task_entry.name, "version": task_entry.version},
        },
        versions=library_versions(), seed=cfg.seed, git_commit=commit, git_dirty=dirty,
        data_hashes={}, metrics=[], headline_metric=None, headline_value=None, error=None,
        timings={}, artifacts={},
        command=shlex.join(["nlpbench", "finetune", *composed.overrides]),
    )


@dataclass
class _Prepared:
    """What a fine-tuning run has built before training: the task, its head, splits and model."""

    task: Any
    head: Any
    splits: dict[str, Any]
    model: Any
    tokenizer: Any
    encoded: dict[str, Any]
    batches: Any


def _train_and_evaluate(cfg: Any, raw: dict[str, Any], record: RunRecord, run_dir: Path,
                        started: float, callbacks: list[Any], resume_from: str | Path | None) -> Any:
    """Prepare, fit, evaluate on every dev set, predict and save; returns the run's logger."""
    import lightning as L

    from nlpbench.training import quiet_third_party

    quiet_third_party()
    L.seed_everything(cfg.seed, workers=True, verbose=False)
    run = _prepare(cfg, record)
    trainer, module, logger = _fit(cfg, raw, record, run, run_dir, started, callbacks, resume_from)
    _evaluate(trainer, module, record, run)
    t0 = time.perf_counter()
    run_dir.mkdir(parents=True, exist_ok=True)
    _predict_and_save(cfg, trainer, module, record, run, run_dir)
    record.timings["predict_and_save"] = time.perf_counter() - t0
    return logger


def _prepare(cfg: Any, record: RunRecord) -> _Prepared:
    """The task's splits (hashed into the record), its head, the model and the encoded splits."""
    from nlpbench.catalog import TASKS
    from nlpbench.models.families import parameter_count
    from nlpbench.models.tokenizers import tokenizer_cache
    from nlpbench.provenance import file_sha256
    from nlpbench.tasks.heads import make_head
    from nlpbench.tasks.sources import prepare_task

    task = TASKS.load(cfg.task.name)
    head = make_head(task, cfg.task.head, cfg.task)
    record.artifacts["head"] = head.name
    splits = prepare_task(cfg.task, task)
    for split, examples in splits.items():
        record.data_hashes[f"{split}:{examples.path.name}"] = file_sha256(examples.path)
    with tokenizer_cache(Path(cfg.paths.data_dir) / "cache" / "tokenizers"):  # same texts, same tokenizer
        model, tokenizer = head.build(cfg.model, splits["train"])
    record.artifacts["parameters"] = str(parameter_count(model))
    encoded = {s: head.encode(e, tokenizer, cfg.model.max_length) for s, e in splits.items()}
    return _Prepared(task, head, splits, model, tokenizer, encoded, _batches(cfg, head, tokenizer))


def _fit(cfg: Any, raw: dict[str, Any], record: RunRecord, run: _Prepared, run_dir: Path, started: float,
         callbacks: list[Any], resume_from: str | Path | None) -> tuple[Any, Any, Any]:
    """Train with Lightning (validating as configured, keeping the best pass); (trainer, module, logger)."""
    import lightning as L

    from nlpbench.tracking import make_logger
    from nlpbench.training.best import KeepBest
    from nlpbench.training.finetune import FineTuneModule
    from nlpbench.training.hardware import trainer_settings
    from nlpbench.training.plain_progress import progress_callbacks

    train_loader = run.batches(run.encoded["train"], shuffle=True)
    dev_loader = run.batches(run.encoded["dev"])
    steps_per_epoch = -(-len(train_loader) // cfg.trainer.accumulate_grad_batches)
    total = cfg.trainer.max_steps if cfg.trainer.max_steps > 0 else steps_per_epoch * cfg.trainer.max_epochs
    module = FineTuneModule(run.model, run.head, cfg.optim, _metrics(run.task, run.splits["dev"]), total)
    module.eval_split, module.eval_gold = run.encoded["dev"], run.head.gold(run.splits["dev"])
    best = KeepBest(run.task.headline, cfg.trainer.early_stopping_patience)
    logger = make_logger(cfg, record.id, "finetune", raw)
    trainer = L.Trainer(
        **trainer_settings(cfg.trainer),
        val_check_interval=cfg.trainer.val_check_interval,
        logger=logger if logger is not None else False,
        enable_checkpointing=False, enable_model_summary=False, num_sanity_val_steps=0,
        # the best pass is known before a reporter checkpoints it
        callbacks=[best, *callbacks, *progress_callbacks(cfg.trainer.enable_progress_bar)],
        default_root_dir=str(run_dir),
    )
    record.timings["setup"] = time.perf_counter() - started
    t0 = time.perf_counter()
    trainer.fit(module, train_loader, dev_loader, ckpt_path=str(resume_from) if resume_from else None)
    record.timings["train"] = time.perf_counter() - t0
    for callback in callbacks:  # e.g. a sweep's reporter notes an early stop by its scheduler
        if hasattr(callback, "annotate_record"):
            callback.annotate_record(record)
    if not module.last_metrics:
        trainer.validate(module, dev_loader, verbose=False)
    record.artifacts["best_step"] = str(_best_step(module.history, run.task.headline))
    if best.stopped_early:
        record.artifacts["early_stopped_at_step"] = str(trainer.global_step)
    return trainer, module, logger


def _evaluate(trainer: Any, module: Any, record: RunRecord, run: _Prepared) -> None:
    """Dev metrics into the record; the headline is the mean over dev sets (MNLI: matched, mismatched)."""
    import numpy as np

    task, head = run.task, run.head
    for name, value in module.last_metrics.items():
        record.metrics.append(Metric(name=name, split="dev", value=value))
    headlines = [module.last_metrics[task.headline]]
    module.record_history = False  # the extra dev sets below are not passes of the fit
    for split in [s for s in run.encoded if s.startswith("dev_")]:  # MNLI's mismatched dev set
        module.eval_split, module.eval_gold = run.encoded[split], head.gold(run.splits[split])
        module.metric_fns = _metrics(task, run.splits[split])
        trainer.validate(module, run.batches(run.encoded[split]), verbose=False)
        record.metrics += [Metric(name=n, split=split, value=v) for n, v in module.last_metrics.items()]
        headlines.append(module.last_metrics[task.headline])
    record.headline_metric = task.headline
    record.headline_value = float(np.mean(headlines))


def _predict_and_save(cfg: Any, trainer: Any, module: Any, record: RunRecord, run: _Prepared,
                      run_dir: Path) -> None:
    """Submission files of the test sets (SQuAD: of dev), diagnostics, the model and the history."""
    from nlpbench.models.sharing import untied

    task, head, encoded = run.task, run.head, run.encoded
    submitted = dict(getattr(task, "submissions", {}))  # SQuAD's is of dev: its test set is hidden
    first = next(iter(submitted), "test")
    for split in [s for s in encoded if s == "test" or s.startswith("test_") or s in submitted]:
        preds = _predict(trainer, module, run.batches(encoded[split]), encoded[split])
        path = _write_predictions(run_dir, task, run.splits[split], preds, split)
        key = "predictions" if split in ("test", first) else f"predictions_{split}"
        record.artifacts[key] = str(path)
        beside = getattr(head, "write_beside", None)  # files a head writes next to it (v2's na_prob.json)
        for name, extra in (beside(encoded[split], path.parent) if beside else {}).items():
            record.artifacts[name if key == "predictions" else f"{name}_{split}"] = str(extra)
    for name, path in _predict_diagnostics(cfg, trainer, module, run.tokenizer, run_dir, run.batches).items():
        record.artifacts[f"predictions_{name}"] = str(path)
    model_dir = run_dir / "model"
    with untied(run.model):  # ALBERT's shared-attention / shared-FFN layers are saved as copies
        run.model.save_pretrained(model_dir)
    run.tokenizer.save_pretrained(model_dir)
    record.artifacts["model"] = str(model_dir)
    history = run_dir / "history.json"
    history.write_text(json.dumps(module.history, indent=2) + "\n")
    record.artifacts["history"] = str(history)


def _batches(cfg: Any, head: Any, tokenizer: Any) -> Any:
    """A function from an encoded split to its DataLoader, padded by the head's collate."""
    from nlpbench.training.data import loader

    pad = tokenizer.pad_token_id
    collate = head.collate(pad)

    def make(encoded: Any, shuffle: bool = False) -> Any:
        size = cfg.trainer.batch_size if shuffle else cfg.trainer.eval_batch_size
        return loader(encoded, size, shuffle, pad, cfg.seed, cfg.trainer.num_workers if shuffle else 0,
                      collate_fn=collate)

    return make


def _metrics(task: Any, split: Any) -> dict[str, Any]:
    """The task's metrics (and headline), with the split's question groups bound where they group."""
    from nlpbench.catalog import METRICS
    from nlpbench.tasks.sources import grouped_metric

    return {name: grouped_metric(METRICS.load(name), split)
            for name in dict.fromkeys((*task.metrics, task.headline))}


def _predict(trainer: Any, module: Any, batches: Any, encoded: Any) -> list[Any]:
    """The head's predictions for an encoded split, one per example in its order."""
    outputs = trainer.predict(module, batches)
    return module.head.decode(list(outputs or []), encoded)


def _best_step(history: list[dict[str, float]], headline: str) -> int:
    """The training step of the validation pass whose weights the run keeps (the best headline)."""
    scored = [h for h in history if h.get(headline) == h.get(headline)]  # skip NaN passes
    return int(max(scored, key=lambda h: h[headline])["step"]) if scored else 0


def _write_predictions(run_dir: Path, task: Any, examples: Any, preds: Any, split: str) -> Path:
    """The test predictions as the task's official submission file, under ``run_dir/predictions``."""
    from nlpbench.tasks.official.formats import write_tsv_atomic
    from nlpbench.tasks.official.submission import write_submission
    from nlpbench.tasks.spec import TaskSpec

    if isinstance(task, TaskSpec):
        if split not in task.submissions:  # MNLI's plain "test" alias is its matched half
            split = next(s for s, name in task.split_files.items()
                         if s in task.submissions and name == task.split_files[split])
        return write_submission(task, examples.source.examples, list(preds), run_dir / "predictions", split)
    path = run_dir / "predictions" / task.submission_name
    rows = [[i, task.labels[int(p)]] for i, p in zip(examples.index, preds, strict=True)]
    write_tsv_atomic(path, ["index", "prediction"], rows)
    return path


def _predict_diagnostics(cfg: Any, trainer: Any, module: Any, tokenizer: Any, run_dir: Path,
                         batches: Any) -> dict[str, Path]:
    """Diagnostic sets predicted by this task's model (AX by MNLI, AX-b and AX-g by SuperGLUE RTE),
    written as their submission files when their test file is in the task's data folder."""
    from nlpbench.catalog import TASKS
    from nlpbench.tasks.official import readers
    from nlpbench.tasks.official.submission import write_submission
    from nlpbench.tasks.sources import as_examples

    written: dict[str, Path] = {}
    own = TASKS.get(cfg.task.name).meta.get("standin_of", cfg.task.name)  # a stand-in serves its task's
    for entry in TASKS:
        if entry.meta.get("model_task") != own:
            continue
        spec = entry.load()
        if not spec.split_path(Path(cfg.task.data_dir), "test").is_file():
            continue
        examples = as_examples(readers.read_split(spec, Path(cfg.task.data_dir), "test"))
        encoded = module.head.encode(examples, tokenizer, cfg.model.max_length)
        preds = _predict(trainer, module, batches(encoded), encoded)
        written[entry.name] = write_submission(spec, examples.source.examples, preds, run_dir / "predictions")
    return written
