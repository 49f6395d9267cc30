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
