"""Tokenization throughput: the pretraining-data builder against a naive per-line loop, same text.

Run: .venv/bin/python benchmarks/tokenization_throughput.py [--copies 20] [--num-proc 2]
Writes benchmarks/results/tokenization_throughput.json. Target: builder >= 5x the naive loop.
The text is the interpreter's documentation topics (pydocs corpus) repeated --copies times; the
tokenizer is a WordPiece trained on it, as the pipeline's tokenizer stage would train it.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "tokenization_throughput.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--num-proc", type=int, default=2)
    args = parser.parse_args()

    import datasets

    from nlpbench.config.schema import TokenizerSpec
    from nlpbench.data import TOKENIZERS
    from nlpbench.data.pydocs import load_pydocs
    from nlpbench.runners.data import tokenize_corpus

    datasets.disable_caching()
    datasets.disable_progress_bars()
    docs = list(load_pydocs()) * args.copies
    spec = TokenizerSpec(family="wordpiece", corpus="pydocs", vocab_size=4000, lowercase=True)
    tokenizer = TOKENIZERS.load("wordpiece")(lambda: iter(d.text for d in docs[:500]), spec)
    lines = [s for d in docs for s in d.sentences]
    dataset = datasets.Dataset.from_dict({"id": [f"{d.id}/{k}" for k, d in enumerate(docs)],
                                          "sentences": [list(d.sentences) for d in docs]})

    start = time.perf_counter()
    naive = [tokenizer.encode(line, add_special_tokens=False) for line in lines]
    naive_s = time.perf_counter() - start

    start = time.perf_counter()
    built = tokenize_corpus(dataset, tokenizer, args.num_proc)
    builder_ids = [ids for doc in built["sentence_ids"] for ids in doc]
    builder_s = time.perf_counter() - start

    assert builder_ids == naive, "the builder must produce exactly the naive loop's token ids"
    tokens = sum(len(ids) for ids in naive)
    result = {
        "benchmark": "tokenization_throughput",
        "cpus": os.cpu_count(), "num_proc": args.num_proc,
        "sentences": len(lines), "tokens": tokens,
        "naive_seconds": round(naive_s, 3), "builder_seconds": round(builder_s, 3),
        "naive_tokens_per_second": round(tokens / naive_s),
        "builder_tokens_per_second": round(tokens / builder_s),
        "speedup": round(naive_s / builder_s, 2), "target_speedup": 5.0,
        "meets_target": naive_s / builder_s >= 5.0,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{len(lines):,} sentences, {tokens:,} tokens")
    print(f"naive per-line loop: {naive_s:6.2f} s  ({tokens / naive_s:,.0f} tokens/s)")
    print(f"pretraining builder: {builder_s:6.2f} s  ({tokens / builder_s:,.0f} tokens/s)")
    print(f"speedup x{naive_s / builder_s:.2f} (target x5)   written to {RESULTS}")


if __name__ == "__main__":
    main()
