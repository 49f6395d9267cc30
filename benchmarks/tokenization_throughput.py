"""Tokenization throughput: the pretraining-data builder against a naive per-line loop, same text.

Run: .venv/bin/python benchmarks/tokenization_throughput.py [--documents 20000] [--num-proc 2]
Writes benchmarks/results/tokenization_throughput.json. Target: builder >= 5x the naive loop.
The text is the default pretraining corpus (the synthetic language, --documents documents, no
copies); the tokenizer is a WordPiece trained on it, as the tokenizer stage trains it. The result
also reports the share of distinct sentences, since the builder encodes each distinct sentence
once per batch: that is where most of its advantage on a repetitive corpus comes from.
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
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--num-proc", type=int, default=2)
    args = parser.parse_args()

    import datasets

    from nlpbench.config.schema import TokenizerSpec
    from nlpbench.data import TOKENIZERS
    from nlpbench.data.synthetic.generator import SyntheticConfig, generate_documents
    from nlpbench.runners.data import tokenize_corpus

    datasets.disable_caching()
    datasets.disable_progress_bars()
    docs = [[s.text for s in d.sentences]
            for d in generate_documents(SyntheticConfig(seed=0, n_documents=args.documents))]
    spec = TokenizerSpec(family="wordpiece", corpus="synthetic", vocab_size=2048, lowercase=True)
    tokenizer = TOKENIZERS.load("wordpiece")(lambda: iter(" ".join(d) for d in docs[:2000]), spec)
    lines = [s for d in docs for s in d]
    dataset = datasets.Dataset.from_dict({"id": [str(k) for k in range(len(docs))], "sentences": docs})

    start = time.perf_counter()
    naive = [tokenizer.encode(line, add_special_tokens=False) for line in lines]
    naive_s = time.perf_counter() - start

    start = time.perf_counter()
    built = tokenize_corpus(dataset, tokenizer, args.num_proc)  # the builder's product: an Arrow column
    builder_s = time.perf_counter() - start
    start = time.perf_counter()
    builder_ids = [ids for doc in built["sentence_ids"] for ids in doc]  # only to check equality
    readback_s = time.perf_counter() - start

    assert builder_ids == naive, "the builder must produce exactly the naive loop's token ids"
    tokens = sum(len(ids) for ids in naive)
    result = {
        "benchmark": "tokenization_throughput",
        "cpus": os.cpu_count(), "num_proc": args.num_proc,
        "corpus": f"synthetic, {len(docs)} documents", "sentences": len(lines),
        "distinct_sentence_share": round(len(set(lines)) / len(lines), 4), "tokens": tokens,
        "naive_seconds": round(naive_s, 3), "builder_seconds": round(builder_s, 3),
        "readback_seconds_not_counted": round(readback_s, 3),
        "speedup_counting_readback": round(naive_s / (builder_s + readback_s), 2),
        "naive_tokens_per_second": round(tokens / naive_s),
        "builder_tokens_per_second": round(tokens / builder_s),
        "speedup": round(naive_s / builder_s, 2), "target_speedup": 5.0,
        "meets_target": naive_s / builder_s >= 5.0,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{len(lines):,} sentences, {tokens:,} tokens")
    print(f"naive per-line loop: {naive_s:6.2f} s  ({tokens / naive_s:,.0f} tokens/s)")
    print(f"pretraining builder: {builder_s:6.2f} s  ({tokens / builder_s:,.0f} tokens/s), plus "
          f"{readback_s:.2f} s to read the ids back into Python for the equality check")
    print(f"speedup x{naive_s / builder_s:.2f} (target x5)   written to {RESULTS}")


if __name__ == "__main__":
    main()
