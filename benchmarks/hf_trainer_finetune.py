"""The baseline of benchmarks/vs_hf_trainer.py: GLUE SST-2 or RTE fine-tuning as a plain
`transformers.Trainer` script, written the way the Hugging Face text-classification example does it.

Run: .venv/bin/python benchmarks/hf_trainer_finetune.py --task sst2 --data DIR --model DIR --out DIR
DIR of --data holds the task's train.tsv, dev.tsv and test.tsv (the official layout); DIR of --model
holds a tokenizer and a model config (a fresh model is built from the config, seeded, as
`nlpbench finetune` does without a checkpoint). It fine-tunes, scores dev accuracy after every
epoch, predicts test into the submission file, saves the model, and writes the dev accuracy to score.json.
Needs `accelerate` (installed with the dev extras).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

# task: (submission file, text columns, label names in file order; None when labels are 0/1 already)
LAYOUTS = {
    "sst2": ("SST-2.tsv", ("sentence",), None),
    "rte": ("RTE.tsv", ("sentence1", "sentence2"), ["entailment", "not_entailment"]),
}


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--task", choices=sorted(LAYOUTS), default="sst2")
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--eval-batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--warmup-ratio", type=float, default=0.1)
    p.add_argument("--max-length", type=int, default=64)
    args = p.parse_args()

    import datasets
    from transformers import (
        AutoConfig,
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(args.seed)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    config = AutoConfig.from_pretrained(args.model, num_labels=2)
    model = AutoModelForSequenceClassification.from_config(config)

    submission, columns, names = LAYOUTS[args.task]

    def load(split: str) -> datasets.Dataset:
        data = datasets.Dataset.from_list(read_tsv(args.data / f"{split}.tsv"))
        if "label" in data.column_names:
            data = data.map(lambda r: {"label": names.index(r["label"]) if names else int(r["label"])})
        return data.map(lambda b: tokenizer(*(b[c] for c in columns), truncation=True,
                                            max_length=args.max_length), batched=True)

    train, dev, test = load("train"), load("dev"), load("test")

    def accuracy(pred: object) -> dict[str, float]:
        return {"accuracy": float((np.argmax(pred.predictions, axis=-1) == pred.label_ids).mean())}

    training = TrainingArguments(
        output_dir=str(args.out), seed=args.seed, num_train_epochs=args.epochs,
        per_device_train_batch_size=args.batch_size, per_device_eval_batch_size=args.eval_batch_size,
        learning_rate=args.lr, weight_decay=args.weight_decay, warmup_steps=args.warmup_ratio,
        lr_scheduler_type="linear", max_grad_norm=1.0, eval_strategy="epoch", save_strategy="no",
        logging_steps=10, report_to="none", use_cpu=True, disable_tqdm=True, dataloader_num_workers=0,
    )
    trainer = Trainer(model=model, args=training, train_dataset=train, eval_dataset=dev,
                      data_collator=DataCollatorWithPadding(tokenizer), compute_metrics=accuracy)
    trainer.train()
    scores = trainer.evaluate()
    logits = trainer.predict(test.remove_columns([c for c in ("label",) if c in test.column_names]))
    labels = np.argmax(logits.predictions, axis=-1)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / submission).open("w", encoding="utf-8") as f:
        f.write("index\tprediction\n")
        f.writelines(f"{row['index']}\t{names[y] if names else y}\n"
                     for row, y in zip(test, labels, strict=True))
    trainer.save_model(str(args.out / "model"))
    score = json.dumps({"accuracy": scores["eval_accuracy"]})
    (args.out / "score.json").write_text(score + "\n")
    print(score)


if __name__ == "__main__":
    main()
