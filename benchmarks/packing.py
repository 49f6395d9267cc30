"""Packing and batching of the pretraining formats: real-token share, padding and training throughput.

Run: .venv/bin/python benchmarks/packing.py [--documents 6000] [--steps 20] [--num-proc 2]
Writes benchmarks/results/packing.json and benchmarks/results/packing.md.

The corpus is the default synthetic corpus (conf/corpus/synthetic.yaml) cut to its first
--documents documents (document k depends only on the seed and k, so that is a prefix of the
default corpus; --documents 0 takes all of it), built by `build_corpus`; the tokenizer is the
pipeline's WordPiece (conf/tokenizer/wordpiece.yaml) trained on it. For each format at blocks 64
and 128 it reports the examples, the share of real (non-padding) tokens in blocks of the block
size, the padding share of batches padded to their longest example (fixed batches of 64 against
token-budget batches of 64 x block tokens, training.batching.TokenBudgetBatchSampler), and the
training throughput in real tokens per second of a bert_tiny-shaped BertForMaskedLM (H=128, L=4,
A=2, I=512) over --steps timed steps:

- before: today's packing (whole sentences only, documents packed in groups of 128, the named
  baseline below) and fixed batches of 64;
- after: the new packing (data.pretraining, groups of runners.data.EXAMPLES_BATCH documents) and
  token-budget batches.

The before and after steps alternate, so that other work on the machine slows both alike.
The pair formats' construction changed for faithfulness to BERT (see data.pretraining), not for
packing: both columns use the new construction, so their difference is the batching alone.
Targets: FULL-SENTENCES blocks >= 95% real tokens at 64 and 128.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "packing.json"
TABLE = RESULTS.with_suffix(".md")
FORMATS = ("full_sentences", "doc_sentences", "segment_pair", "sentence_pair", "sop")
BLOCKS = (64, 128)
BATCH = 64
BEFORE_GROUP = 128  # documents packed together by the builder before this change


def before_pack(sentences: list[list[int]], budget: int) -> list[list[list[int]]]:
    """The baseline: greedy whole-sentence packing (a sentence that does not fit starts the next
    block; one longer than the budget is truncated), as the builder packed before this change."""
    blocks: list[list[list[int]]] = []
    current: list[list[int]] = []
    size = 0
    for sentence in sentences:
        piece = sentence[:budget]
        if current and size + len(piece) > budget:
            blocks.append(current)
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    return blocks + ([current] if current else [])


def before_examples(fmt: str, docs: list[list[list[int]]], layout: Any, block: int,
                    rng: random.Random) -> list[dict[str, Any]]:
    from nlpbench.data.pretraining import _block, build_examples

    budget = layout.budget(block, pair=False)
    if fmt == "doc_sentences":
        return [_block(layout, b) for doc in docs for b in before_pack(doc, budget)]
    if fmt != "full_sentences":
        return build_examples(fmt, docs, layout, block, rng)
    stream: list[list[int]] = []
    for k, doc in enumerate(docs):
        if k and stream:
            stream[-1] = stream[-1] + [layout.sep]
        stream.extend(doc)
    return [_block(layout, b) for b in before_pack(stream, budget)]


def prepare(documents: int | None, num_proc: int, scratch: Path) -> tuple[Any, list[list[list[int]]], dict]:
    """Build the corpus and tokenizer as the pipeline does; return the tokenizer and the train
    split's token ids per sentence per document."""
    import datasets
    import yaml

    from nlpbench.config.schema import CorpusConfig, TokenizerSpec
    from nlpbench.runners.data import build_corpus, tokenize_corpus, train_tokenizer

    datasets.disable_caching()
    options = yaml.safe_load((ROOT / "conf" / "corpus" / "synthetic.yaml").read_text())
    if documents:
        options["n_documents"] = documents
    start = time.perf_counter()
    manifest = build_corpus("synthetic", CorpusConfig(**options, num_proc=num_proc), scratch / "corpora")
    corpus_s = time.perf_counter() - start
    spec = TokenizerSpec(**yaml.safe_load((ROOT / "conf" / "tokenizer" / "wordpiece.yaml").read_text()))
    train_tokenizer("wordpiece", spec, scratch / "corpora", scratch / "tokenizers")
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(scratch / "tokenizers" / "wordpiece"))
    train = datasets.load_from_disk(str(scratch / "corpora" / "synthetic"))["train"]
    docs = list(tokenize_corpus(train, tokenizer, num_proc)["sentence_ids"])
    info = {"documents": manifest["documents"], "train_documents": len(docs), "words": manifest["words"],
            "corpus_seconds": round(corpus_s, 2), "num_proc": num_proc, "vocab_size": len(tokenizer)}
    return tokenizer, docs, info


def examples(fmt: str, docs: list[list[list[int]]], layout: Any, block: int, before: bool) -> list[dict]:
    """Examples as the builder makes them: documents in groups, each group with its own rng."""
    from nlpbench.data.pretraining import build_examples
    from nlpbench.runners.data import EXAMPLES_BATCH

    group = BEFORE_GROUP if before else EXAMPLES_BATCH
    out: list[dict] = []
    for start in range(0, len(docs), group):
        rng = random.Random(f"pretraining/{fmt}/0/{start}")
        build = before_examples if before else build_examples
        out += build(fmt, docs[start:start + group], layout, block, rng)
    return out


def fixed_batches(n: int, seed: int = 0) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[i:i + BATCH] for i in range(0, n, BATCH)]


def padding_share(lengths: list[int], batches: list[list[int]]) -> float:
    """Padding positions / all positions once each batch is padded to its longest example."""
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    return 1 - sum(lengths[i] for b in batches for i in b) / padded


def collate(rows: list[dict], tokenizer: Any, generator: torch.Generator) -> dict[str, torch.Tensor]:
    from nlpbench.objectives.base import pad
    from nlpbench.objectives.mlm import mask_tokens

    ids = pad([r["input_ids"] for r in rows], tokenizer.pad_token_id)
    special = pad([r["special_tokens_mask"] for r in rows], 1)
    masked, labels = mask_tokens(ids, special, mask_id=tokenizer.mask_token_id, vocab_size=len(tokenizer),
                                 probability=0.15, mask_share=0.8, random_share=0.1, generator=generator)
    return {"input_ids": masked, "labels": labels,
            "token_type_ids": pad([r["token_type_ids"] for r in rows], 0),
            "attention_mask": pad([[1] * len(r["input_ids"]) for r in rows], 0)}


class Trainer:
    """AdamW steps of a bert_tiny-shaped masked LM over a fixed plan of batches, timed per step."""

    def __init__(self, rows: list[dict], batches: list[list[int]], tokenizer: Any, steps: int) -> None:
        from transformers import BertConfig, BertForMaskedLM

        torch.manual_seed(0)
        self.model = BertForMaskedLM(BertConfig(
            vocab_size=len(tokenizer), hidden_size=128, num_hidden_layers=4, num_attention_heads=2,
            intermediate_size=512, max_position_embeddings=max(BLOCKS)))
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-4)
        generator = torch.Generator().manual_seed(0)
        self.plan = [collate([rows[i] for i in batches[k % len(batches)]], tokenizer, generator)
                     for k in range(steps + 1)]  # one warm-up step, then the timed ones
        self.seconds, self.real = 0.0, 0

    def step(self, k: int) -> None:
        batch = self.plan[k]
        start = time.perf_counter()
        self.model(**batch).loss.backward()
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        if k:
            self.seconds += time.perf_counter() - start
            self.real += int(batch["attention_mask"].sum())

    def report(self, steps: int) -> dict[str, float]:
        return {"real_tokens_per_second": round(self.real / self.seconds),
                "seconds_per_step": round(self.seconds / steps, 4),
                "real_tokens_per_step": round(self.real / steps, 1)}


def throughput(runs: dict[str, tuple[list[dict], list[list[int]]]], tokenizer: Any,
               steps: int) -> dict[str, dict[str, float]]:
    """Real tokens per second of each run; the runs' steps alternate, so that whatever else the
    machine does slows them alike."""
    trainers = {name: Trainer(rows, batches, tokenizer, steps) for name, (rows, batches) in runs.items()}
    for k in range(steps + 1):
        for trainer in trainers.values():
            trainer.step(k)
    return {name: trainer.report(steps) for name, trainer in trainers.items()}


def measure(fmt: str, block: int, docs: list, tokenizer: Any, steps: int) -> dict[str, Any]:
    """Before/after figures of one format at one block size."""
    from nlpbench.data.pretraining import layout_of
    from nlpbench.training.batching import TokenBudgetBatchSampler

    layout = layout_of(tokenizer)
    out: dict[str, Any] = {"format": fmt, "block_size": block}
    runs = {}
    for when in ("before", "after"):
        rows = examples(fmt, docs, layout, block, before=when == "before")
        lengths = [len(r["input_ids"]) for r in rows]
        fixed = fixed_batches(len(rows))
        budget = TokenBudgetBatchSampler(lengths, BATCH * block, seed=0).batches()
        runs[when] = (rows, fixed if when == "before" else budget)
        out[when] = {
            "examples": len(rows), "tokens": sum(lengths),
            "real_token_share": round(sum(lengths) / (len(rows) * block), 4),
            "padding_share_fixed_batches": round(padding_share(lengths, fixed), 4),
            "padding_share_token_budget": round(padding_share(lengths, budget), 4),
            "batches": "fixed 64" if when == "before" else f"token budget {BATCH * block}",
        }
    for when, figures in throughput(runs, tokenizer, steps).items():
        out[when].update(figures)
    before, after = out["before"]["real_tokens_per_second"], out["after"]["real_tokens_per_second"]
    out["speedup"] = round(after / before, 3)
    return out


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| format | block | examples before / after | real share before / after | padding fixed 64 | "
             "padding token budget | real tok/s before | real tok/s after | speed-up |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        b, a = r["before"], r["after"]
        lines.append(f"| {r['format']} | {r['block_size']} | {b['examples']} / {a['examples']} | "
                     f"{b['real_token_share']:.1%} / {a['real_token_share']:.1%} | "
                     f"{a['padding_share_fixed_batches']:.1%} | {a['padding_share_token_budget']:.1%} | "
                     f"{b['real_tokens_per_second']:,} | {a['real_tokens_per_second']:,} | x{r['speedup']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=6000, help="0: all of conf/corpus/synthetic.yaml")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--num-proc", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(2)
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        tokenizer, docs, corpus = prepare(args.documents, args.num_proc, Path(scratch))
        results = []
        for block in BLOCKS:
            for fmt in FORMATS:
                results.append(measure(fmt, block, docs, tokenizer, args.steps))
                r = results[-1]
                print(f"{fmt} @ {block}: real tokens/s {r['before']['real_tokens_per_second']:,} -> "
                      f"{r['after']['real_tokens_per_second']:,}", flush=True)
    full = [r["after"]["real_token_share"] for r in results if r["format"] == "full_sentences"]
    report = {"benchmark": "packing", "cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(),
              "corpus": corpus, "batch_size": BATCH, "timed_steps": args.steps, "results": results,
              "target": "full_sentences real_token_share >= 0.95 at blocks 64 and 128",
              "meets_target": min(full) >= 0.95, "seconds": round(time.perf_counter() - started, 1),
              "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    TABLE.write_text(
        f"# Packing and batching ({corpus['train_documents']:,} training documents of the synthetic "
        f"corpus, {args.steps} timed steps, {torch.get_num_threads()} threads)\n\n"
        "Before: whole-sentence packing and fixed batches of 64. After: the new packing and "
        f"token-budget batches of 64 x block tokens. Padding columns: the after examples. Machine "
        f"load average {report['load_average_1min'][0]} -> {report['load_average_1min'][1]} on "
        f"{report['cpus']} CPUs (before and after steps alternate). `benchmarks/packing.py`\n\n"
        + table(results))
    print(table(results))
    print(f"written to {RESULTS} and {TABLE} in {report['seconds']} s")


if __name__ == "__main__":
    main()
