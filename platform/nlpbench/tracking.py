"""W&B tracking (offline by default): build the Lightning logger and finish the run cleanly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def make_logger(cfg: Any, run_id: str, job_type: str, config: dict[str, Any]) -> Any:
    """A Lightning WandbLogger for ``cfg.logger`` (None when ``logger=none``)."""
    if cfg.logger.name == "none" or cfg.logger.mode == "disabled":
        return None
    from lightning.pytorch.loggers import WandbLogger

    save_dir = Path(cfg.logger.dir)
    save_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WANDB_SILENT", "true")
    logger = WandbLogger(
        project=cfg.logger.project, entity=cfg.logger.entity, save_dir=str(save_dir),
        id=run_id, name=run_id, mode=cfg.logger.mode, job_type=job_type,
        group=cfg.group, tags=list(cfg.logger.tags), config=config,
        settings=_settings(),
    )
    return logger


def _settings() -> Any:
    import wandb

    # no git/console capture or stats thread: fast start and no network attempts offline
    return wandb.Settings(
        console="off", disable_git=True, x_disable_stats=True, save_code=False,
    )


def finish(logger: Any, summary: dict[str, Any], failed: bool = False) -> str | None:
    """Write the summary, close the run, return its local directory (``wandb sync``-able)."""
    if logger is None:
        return None
    run = logger.experiment
    for key, value in summary.items():
        run.summary[key] = value
    run_dir = str(Path(run.dir).parent)
    run.finish(exit_code=1 if failed else 0)
    return run_dir


# -- runs without Lightning (boards) and offline-run housekeeping ------------------------------

SYNCED_SUFFIX = ".wandb.synced"  # the marker `wandb sync` leaves beside a run's .wandb file


def resolve_mode(logger_cfg: Any, enabled: bool = True) -> str | None:
    """The W&B mode to use, or None for no tracking: off when ``enabled`` is False (--no-wandb) or
    ``logger=none``; else $WANDB_MODE when set; else the logger config's mode (offline by default)."""
    if not enabled or _get(logger_cfg, "name") == "none":
        return None
    mode = str(os.environ.get("WANDB_MODE") or _get(logger_cfg, "mode") or "offline")
    if mode == "disabled":
        return None
    return {"dryrun": "offline", "run": "online"}.get(mode, mode)  # wandb's older spellings


def _get(cfg: Any, key: str) -> Any:
    return cfg.get(key) if isinstance(cfg, dict) else getattr(cfg, key, None)


def start_run(logger_cfg: Any, mode: str, run_id: str, name: str, job_type: str, group: str | None,
              config: dict[str, Any]) -> Any:
    """Start a W&B run directly (no Lightning) under ``logger_cfg.dir``; returns the wandb Run."""
    import wandb

    save_dir = Path(_get(logger_cfg, "dir") or ".")
    save_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WANDB_SILENT", "true")
    return wandb.init(
        project=_get(logger_cfg, "project") or "nlpbench", entity=_get(logger_cfg, "entity"),
        dir=str(save_dir), id=run_id, name=name, job_type=job_type, group=group,
        mode=mode,  # type: ignore[arg-type]
        tags=list(_get(logger_cfg, "tags") or []), config=config, settings=_settings(),
    )


def log_table_and_images(run: Any, table_key: str, columns: list[str | int], rows: list[list[Any]],
                         images: dict[str, Path]) -> None:
    """Log one ``wandb.Table`` and PNG files as ``wandb.Image`` in a single history step."""
    import wandb

    payload: dict[str, Any] = {table_key: wandb.Table(columns=columns, data=rows)}
    payload.update({key: wandb.Image(str(path)) for key, path in images.items()})
    run.log(payload)


def finish_run(run: Any, summary: dict[str, Any], failed: bool = False) -> str:
    """Write ``summary``, close the run started by :func:`start_run`, return its local directory."""
    for key, value in summary.items():
        run.summary[key] = value
    run_dir = str(Path(run.dir).parent)
    run.finish(exit_code=1 if failed else 0)
    return run_dir


def offline_run_dirs(root: Path, include_synced: bool = False) -> list[Path]:
    """Offline run folders under ``root``: itself if it is one, its ``offline-run-*`` folders, or
    those of its ``wandb/`` folder; already-synced runs only with ``include_synced``."""
    if root.name.startswith("offline-run-"):
        candidates = [root]
    else:
        candidates = sorted(root.glob("offline-run-*")) or sorted(root.glob("wandb/offline-run-*"))
    found = []
    for run_dir in candidates:
        logs = list(run_dir.glob("*.wandb"))
        if not run_dir.is_dir() or not logs:
            continue
        if not include_synced and all(Path(str(log) + ".synced").exists() for log in logs):
            continue
        found.append(run_dir)
    return found


def sync_command(run_dirs: list[Path]) -> list[str]:
    """The `wandb sync` command line that uploads ``run_dirs`` (the venv's wandb when there is one)."""
    import shutil
    import sys

    beside = Path(sys.executable).with_name("wandb")
    exe = str(beside) if beside.exists() else (shutil.which("wandb") or "wandb")
    return [exe, "sync", *[str(d) for d in run_dirs]]
