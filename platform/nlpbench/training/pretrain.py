"""The pretraining Lightning module (model and objective injected) and a resumable data loader."""

from __future__ import annotations

import math
import time
from typing import Any

import lightning as L
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from nlpbench.errors import TrainingError
from nlpbench.training.optim import adamw_with_schedule


class IndexedRows(Dataset):
    """Rows of a `datasets` split as dicts, each with its row ``index`` (masks are seeded by it)."""

    def __init__(self, rows: Any) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return {**self.rows[i], "index": i}


class EpochSampler(Sampler[int]):
    """Shuffles with a permutation that depends only on (seed, epoch), and can skip the examples
    already consumed in the current epoch: a resumed run sees exactly the batches it would have."""

    def __init__(self, size: int, seed: int, shuffle: bool = True) -> None:
        self.size, self.seed, self.shuffle = size, seed, shuffle
        self.epoch, self.consumed, self._skip = 0, 0, 0

    def set_epoch(self, epoch: int) -> None:
        if epoch != self.epoch:
            self.epoch, self.consumed, self._skip = epoch, 0, 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        order = (
            torch.randperm(self.size, generator=torch.Generator().manual_seed(self.seed * 7919 + self.epoch))
            if self.shuffle
            else torch.arange(self.size)
        )
        skip, self._skip = self._skip, 0
        return iter(order[skip:].tolist())

    def __len__(self) -> int:
        return self.size


class ResumableLoader(DataLoader):
    """A DataLoader whose position Lightning saves in and restores from its checkpoints. The sampler
    is an ``EpochSampler`` (fixed batches of ``batch_size``) or a batch sampler such as
    ``batching.TokenBudgetBatchSampler`` (its own batches; ``batch_size`` unused)."""

    def __init__(self, dataset: Dataset, sampler: Any, batch_size: int, collate_fn: Any) -> None:
        # its own generator: creating an iterator must not consume the global RNG (dropout's)
        generator = torch.Generator().manual_seed(sampler.seed)
        if isinstance(sampler, EpochSampler):
            super().__init__(dataset, batch_size=batch_size, sampler=sampler, collate_fn=collate_fn,
                             generator=generator)
        else:
            super().__init__(dataset, batch_sampler=sampler, collate_fn=collate_fn, generator=generator)
        self.epoch_sampler = sampler

    def state_dict(self) -> dict[str, int]:
        return {"epoch": self.epoch_sampler.epoch, "consumed": self.epoch_sampler.consumed}

    def load_state_dict(self, state: dict[str, int]) -> None:
        sampler = self.epoch_sampler
        sampler.epoch, sampler.consumed, sampler._skip = state["epoch"], state["consumed"], state["consumed"]


class PretrainModule(L.LightningModule):
    """One module for every model x objective: the objective computes loss and metrics."""

    def __init__(
        self,
        model: torch.nn.Module,
        objective: Any,
        optim: Any,
        total_steps: int,
        sampler: EpochSampler | None = None,
    ) -> None:
        super().__init__()
        self.model = model
        self.objective = objective
        self.optim = optim
        self.total_steps = total_steps
        self.sampler = sampler
        self.tokens_seen = 0
        self.positions_seen = 0  # padded positions included: 1 - tokens / positions is the padding share
        self._window_tokens = 0
        self.losses: list[float] = []
        self._t0 = time.perf_counter()

    def training_step(self, batch: dict[str, Any], batch_idx: int) -> torch.Tensor:
        loss, metrics = self.objective.step(self.model, batch)
        if not torch.isfinite(loss):
            raise TrainingError(
                f"non-finite loss ({loss.item()}) at step {self.global_step}; "
                "the last good checkpoint is kept"
            )
        tokens = self.objective.tokens_in(batch)
        self.tokens_seen += tokens
        self.positions_seen += int(batch["input_ids"].numel())
        self._window_tokens += tokens
        value = float(loss.detach())
        self.losses.append(value)
        self.log("train/loss", loss, prog_bar=True)
        if self._logging_step():  # the rest only when the logger writes: logging costs ~3% a step
            elapsed = max(1e-9, time.perf_counter() - self._t0)
            self.log("train/perplexity", math.exp(min(20.0, value)))
            for name, metric in metrics.items():
                self.log(f"train/{name}", metric, prog_bar=name.endswith("accuracy"))
            self.log("train/tokens_per_second", self._window_tokens / elapsed)
            self.log("train/tokens_seen", float(self.tokens_seen))
            scheduler = self.lr_schedulers()
            if scheduler is not None:
                self.log("train/lr", scheduler.get_last_lr()[0])  # type: ignore[union-attr]
            self._t0, self._window_tokens = time.perf_counter(), 0
        return loss

    def _logging_step(self) -> bool:
        """Whether the logger writes this step (Lightning's rule: every ``log_every_n_steps``)."""
        every = max(1, int(getattr(self.trainer, "log_every_n_steps", 1)))
        return (self.global_step + 1) % every == 0

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        # the RNG state too: dropout after a resume must draw what the uninterrupted run drew
        checkpoint["nlpbench"] = {
            "tokens_seen": self.tokens_seen,
            "positions_seen": self.positions_seen,
            "losses": self.losses,
            "torch_rng": torch.random.get_rng_state(),
        }

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        state = checkpoint.get("nlpbench", {})
        self.tokens_seen = state.get("tokens_seen", 0)
        self.positions_seen = state.get("positions_seen", 0)
        self.losses = list(state.get("losses", []))
        self._rng_to_restore = state.get("torch_rng")

    def on_train_batch_start(self, batch: Any, batch_idx: int) -> None:
        # counted at the start: checkpoint callbacks run at batch end before the module's own hook
        if self.sampler is not None:
            self.sampler.consumed += len(batch["input_ids"])
        # restored here, not at load time: Lightning's set-up between the two draws random numbers
        if getattr(self, "_rng_to_restore", None) is not None:
            torch.random.set_rng_state(self._rng_to_restore)
            self._rng_to_restore = None

    def configure_optimizers(self) -> Any:
        return adamw_with_schedule(self.model, self.optim, self.total_steps)
