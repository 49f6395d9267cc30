"""Every variant of every shipped ablation table really runs: 2 pretraining steps on a small corpus,
then one short fine-tuning epoch of its checkpoint on the table's first column (tokenizer, model
and objective combinations that only fail at run time show up here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlpbench.boards.ablation_spec import available_tables, load_ablation

SMOKE_PRETRAIN = ("trainer.max_steps=2", "checkpoint_every=2", "corpus.n_documents=60",
                  "trainer.batch_size=8")
SMOKE_FINETUNE = ("trainer.max_epochs=1", "task.synthetic.n_train=24", "task.synthetic.n_dev=12",
                  "task.synthetic.n_test=4")


@pytest.mark.slow
@pytest.mark.parametrize("table", available_tables())
def test_every_variant_pretrains_and_fine_tunes(table: str, home: Path) -> None:
    from nlpbench.config import compose_config
    from nlpbench.runners.finetune import finetune
    from nlpbench.runners.pretrain import pretrain

    spec = load_ablation(table)
    for variant in spec.variants:
        tuned = [f"{variant.tune[0]}={variant.tune[1][0]}"] if variant.tune else []
        run_name = f"smoke-{variant.name}"
        record = pretrain(compose_config("pretrain", [*variant.pretrain, *tuned, *SMOKE_PRETRAIN,
                                                      f"run_name={run_name}"]))
        assert record.status == "ok", (table, variant.name)
        checkpoint = home / "outputs" / "pretrain" / run_name / "checkpoint"
        tuned_ft = finetune(compose_config("finetune", [*variant.finetune, *SMOKE_FINETUNE,
                                                        f"task={spec.columns[0].task}", "model=checkpoint",
                                                        f"model.checkpoint={checkpoint}"]))
        assert tuned_ft.status == "ok" and tuned_ft.metric(spec.columns[0].metric, "dev") is not None, \
            (table, variant.name)
