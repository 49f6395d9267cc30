"""A fine-tuning run resumed from a checkpoint of its fit ends exactly where the uninterrupted run ends:
the same validation history, metrics and best pass (what a restarted sweep trial relies on)."""

from __future__ import annotations

import json
from pathlib import Path

import lightning as L

from nlpbench.config import compose_config
from nlpbench.runners.finetune import finetune

RUN = ["task=synthetic/glue/rte", "task.synthetic.n_train=32", "task.synthetic.n_dev=16",
       "task.synthetic.n_test=8", "trainer.max_epochs=2", "trainer.batch_size=8", "logger=none",
       "trainer.enable_progress_bar=false", "model.tokenizer.vocab_size=300", "seed=3"]


class SaveEachPass(L.Callback):
    """Saves the whole training state after every validation pass, as a sweep trial's reporter does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def on_validation_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        trainer.save_checkpoint(self.folder / f"pass{len(pl_module.history)}.ckpt")


def test_resuming_from_a_checkpoint_reproduces_the_uninterrupted_run(home: Path, tmp_path: Path) -> None:
    composed = compose_config("finetune", RUN)
    whole = finetune(composed, callbacks=[SaveEachPass(tmp_path)])
    assert whole.status == "ok" and (tmp_path / "pass1.ckpt").is_file()

    resumed = finetune(compose_config("finetune", RUN), resume_from=tmp_path / "pass1.ckpt")
    assert resumed.artifacts["resumed_from"] == str(tmp_path / "pass1.ckpt")
    history = [json.loads(Path(r.artifacts["history"]).read_text()) for r in (whole, resumed)]
    assert len(history[0]) == 2 and history[1] == history[0]
    assert {m.name: m.value for m in resumed.metrics} == {m.name: m.value for m in whole.metrics}
    assert resumed.artifacts["best_step"] == whole.artifacts["best_step"]


def test_a_resumed_run_takes_its_own_learning_rate_not_the_checkpoints(home: Path, tmp_path: Path) -> None:
    """PBT continues another trial's checkpoint with a perturbed learning rate."""
    import torch

    finetune(compose_config("finetune", RUN), callbacks=[SaveEachPass(tmp_path)])
    seen: list[float] = []

    class Peek(L.Callback):
        def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:  # noqa: ANN001
            seen.append(trainer.lr_scheduler_configs[0].scheduler.base_lrs[0])

    record = finetune(compose_config("finetune", [*RUN, "optim.lr=1.0e-2"]), callbacks=[Peek()],
                      resume_from=tmp_path / "pass1.ckpt")
    assert record.status == "ok" and seen and set(seen) == {1.0e-2}
    saved = torch.load(tmp_path / "pass1.ckpt", weights_only=False)
    assert saved["lr_schedulers"][0]["base_lrs"][0] != 1.0e-2
