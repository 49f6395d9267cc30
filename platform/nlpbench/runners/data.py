"""The data pipeline's jobs: build a corpus, train a tokenizer, build pretraining data, compare."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from nlpbench.errors import DataError
from nlpbench.fsio import atomic_dir, write_text_atomic

CORPORA_DIR = Path("data/corpora")
TOKENIZERS_DIR = Path("data/tokenizers")
PRETRAINING_DIR = Path("data/pretraining")
REPORTS_DIR = Path("data/reports")


def _digest(docs: list[Any]) -> str:
    sha = hashlib.sha256()
    for doc in docs:
        sha.update(doc.id.encode() + b"\n" + "\n".join(doc.sentences).encode() + b"\n\n")
    return sha.hexdigest()


def _stats(docs: list[Any]) -> dict[str, int]:
    return {
        "documents": len(docs),
        "sentences": sum(len(d.sentences) for d in docs),
        "words": sum(len(s.split()) for d in docs for s in d.sentences),
        "bytes": sum(len(s.encode()) for d in docs for s in d.sentences),
    }


def build_corpus(name: str, cfg: Any, root: Path = CORPORA_DIR) -> dict[str, Any]:
    """Write corpus ``name`` as a `datasets` DatasetDict (train/validation) plus manifest.json."""
    import datasets

    from nlpbench.data import CORPORA
    from nlpbench.data.sources import source_version
    from nlpbench.progress import summary, track

    loader = CORPORA.load(cfg.source)
    total = cfg.n_documents if cfg.source == "synthetic" else None
    docs = [d for d in track(loader(cfg), f"corpus {name}", total=total) if d.sentences]
    if len(docs) < 2:
        where = f" at {cfg.path}" if cfg.path else ""
        raise DataError(f"corpus {name!r} ({cfg.source}{where}) is empty: it yielded {len(docs)} "
                        "non-empty documents, at least 2 are needed (one for validation)")
    order = list(range(len(docs)))
    random.Random(f"corpus-split/{cfg.seed}").shuffle(order)
    n_val = min(len(docs) - 1, max(1, round(cfg.validation_fraction * len(docs))))
    held_out = set(order[:n_val])
    splits = {"train": [d for i, d in enumerate(docs) if i not in held_out],
              "validation": [d for i, d in enumerate(docs) if i in held_out]}
    dataset = datasets.DatasetDict({
        split: datasets.Dataset.from_dict({
            "id": [d.id for d in items],
            "text": [d.text for d in items],
            "sentences": [list(d.sentences) for d in items],
        }) for split, items in splits.items()
    })
    manifest = {
        "name": name, "source": cfg.source, "generator_version": source_version(cfg.source),
        "seed": cfg.seed, "config": cfg.model_dump(mode="json"), "sha256": _digest(docs),
        **_stats(docs), "splits": {split: _stats(items) for split, items in splits.items()},
    }
    target = root / name
    with atomic_dir(target) as staging:
        dataset.save_to_disk(str(staging))
        write_text_atomic(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    summary(f"corpus {name}:", (
        f"{manifest['documents']:,} documents ({len(splits['train']):,} train / "
        f"{len(splits['validation']):,} validation), {manifest['sentences']:,} sentences, "
        f"{manifest['words']:,} words, {manifest['bytes']:,} bytes from the {cfg.source} source "
        f"(seed {cfg.seed}); content sha256 {manifest['sha256'][:12]}; written to {target}/."))
    return manifest


def _load_corpus(root: Path, name: str) -> Any:
    import datasets

    folder = root / name
    if not (folder / "manifest.json").is_file():
        raise DataError(f"{folder}: corpus {name!r} has not been built (run `dvc repro corpus@{name}`)")
    return datasets.load_from_disk(str(folder))


def train_tokenizer(name: str, spec: Any, corpora: Path = CORPORA_DIR,
                    root: Path = TOKENIZERS_DIR) -> dict[str, Any]:
    """Train tokenizer ``name`` on its corpus's train split; save it with its held-out report."""
    from nlpbench.data import TOKENIZERS
    from nlpbench.data.tokenizers import check_vocab_size
    from nlpbench.progress import summary

    corpus = _load_corpus(corpora, spec.corpus)
    train_texts: list[str] = list(corpus["train"]["text"])
    check_vocab_size(f"tokenizers.{name}", spec, train_texts)
    tokenizer = TOKENIZERS.load(spec.family)(lambda: iter(train_texts), spec)
    report = tokenizer_report(name, spec, tokenizer, list(corpus["validation"]["text"]))
    target = root / name
    with atomic_dir(target) as staging:
        tokenizer.save_pretrained(str(staging))
        write_text_atomic(staging / "report.json", json.dumps(report, indent=2) + "\n")
    summary(f"tokenizer {name}:", (
        f"{spec.family} with {report['vocab_size']:,} entries trained on corpus {spec.corpus}; on its "
        f"held-out split {report['fertility']:.3f} tokens per word and an unknown-token rate of "
        f"{report['unk_rate']:.4%}; written to {target}/."))
    return report


def tokenizer_report(name: str, spec: Any, tokenizer: Any, texts: list[str]) -> dict[str, Any]:
    """Vocabulary size, fertility (tokens per word) and unknown rate on ``texts``, plus examples."""
    from collections import Counter

    encoded = tokenizer(texts, add_special_tokens=False)["input_ids"]
    tokens = sum(len(ids) for ids in encoded)
    words = sum(len(t.split()) for t in texts)
    unk = tokenizer.unk_token_id
    unknown = sum(ids.count(unk) for ids in encoded) if unk is not None else 0
    counts = Counter(w.strip(".,;:!?\"'()").lower() for t in texts for w in t.split())
    examples = sorted((w for w, c in counts.items() if c >= 2 and w.isalpha()), key=lambda w: (-len(w), w))
    return {
        "name": name, "family": spec.family, "corpus": spec.corpus, "vocab_size": len(tokenizer),
        "requested_vocab_size": spec.vocab_size, "heldout_words": words, "heldout_tokens": tokens,
        "fertility": tokens / max(1, words), "unk_rate": unknown / max(1, tokens),
        "examples": {w: tokenizer.tokenize(w) for w in examples[:6]},
    }


def compare_tokenizers(names: list[str], root: Path = TOKENIZERS_DIR,
                       out: Path = REPORTS_DIR) -> list[dict[str, Any]]:
    """One table comparing the trained tokenizers (markdown and JSON)."""
    from nlpbench.progress import summary

    reports = [json.loads((root / n / "report.json").read_text()) for n in names]
    lines = ["| tokenizer | family | corpus | vocab | tokens/word | unk rate | example |",
             "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for r in reports:
        word, pieces = next(iter(r["examples"].items()), ("", []))
        lines.append(f"| {r['name']} | {r['family']} | {r['corpus']} | {r['vocab_size']} | "
                     f"{r['fertility']:.3f} | {r['unk_rate']:.4%} | {word} -> {' '.join(pieces)} |")
    write_text_atomic(out / "tokenizers.md", "\n".join(lines) + "\n")
    write_text_atomic(out / "tokenizers.json", json.dumps(
        {r["name"]: {k: r[k] for k in ("family", "corpus", "vocab_size", "fertility", "unk_rate")}
         for r in reports}, indent=2) + "\n")
    summary("tokenizer comparison:", f"{len(reports)} tokenizers compared in {out / 'tokenizers.md'}.")
    return reports


def _tokenize_batch(batch: dict[str, list[Any]], tokenizer: Any) -> dict[str, list[Any]]:
    """Token ids per sentence: each distinct sentence of the batch is encoded once, through the
    WordPiece word cache when it applies, else in one batched call to the Rust tokenizer."""
    from nlpbench.data.fast_encode import WordCacheEncoder

    distinct = list(dict.fromkeys(s for doc in batch["sentences"] for s in doc))
    encoder = WordCacheEncoder.of(tokenizer)
    if encoder is not None:
        encoded = encoder.encode(distinct)
    else:
        batch_encoded = tokenizer.backend_tokenizer.encode_batch(distinct, add_special_tokens=False)
        encoded = [e.ids for e in batch_encoded]
    ids = dict(zip(distinct, encoded, strict=True))
    return {"sentence_ids": [[ids[s] for s in doc] for doc in batch["sentences"]]}


def _examples_batch(batch: dict[str, list[Any]], fmt: str, layout: Any, block_size: int, seed: int,
                    short_prob: float) -> dict[str, list[Any]]:
    from nlpbench.data.pretraining import PAIR_LABEL, build_examples

    rng = random.Random(f"pretraining/{fmt}/{seed}/{batch['id'][0]}")
    examples = build_examples(fmt, batch["sentence_ids"], layout, block_size, rng, short_prob)
    columns = ["input_ids", "token_type_ids", "special_tokens_mask"]
    if fmt in PAIR_LABEL:
        columns.append(PAIR_LABEL[fmt])
    else:
        columns.append("sentence_ends")  # where sentences end: BART's sentence permutation
    return {c: [e[c] for e in examples] for c in columns}


def tokenize_corpus(dataset: Any, tokenizer: Any, num_proc: int) -> Any:
    """Add ``sentence_ids`` (token ids per sentence, no specials) with batched, parallel map."""
    return dataset.map(_tokenize_batch, batched=True, batch_size=1000, num_proc=num_proc,
                       fn_kwargs={"tokenizer": tokenizer}, desc="tokenize")


def build_pretraining_data(name: str, cfg: Any, corpora: Path = CORPORA_DIR,
                           tokenizers: Path = TOKENIZERS_DIR,
                           root: Path = PRETRAINING_DIR) -> dict[str, Any]:
    """Tokenise a corpus and pack it into pretraining examples of ``cfg.format``."""
    import datasets
    from transformers import AutoTokenizer

    from nlpbench.data.pretraining import PAIR_LABEL, layout_of
    from nlpbench.progress import summary

    datasets.disable_caching()  # never write cache files into the corpus folders DVC tracks
    corpus = _load_corpus(corpora, cfg.corpus)
    folder = tokenizers / cfg.tokenizer
    if not any((folder / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json")):
        raise DataError(f"{folder}: tokenizer {cfg.tokenizer!r} has not been trained "
                        f"(run `dvc repro tokenizer@{cfg.tokenizer}`)")
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    layout = layout_of(tokenizer)
    built = datasets.DatasetDict()
    for split, data in corpus.items():
        tokenized = tokenize_corpus(data, tokenizer, cfg.num_proc)
        built[split] = tokenized.map(
            _examples_batch, batched=True, batch_size=128, num_proc=cfg.num_proc,
            remove_columns=tokenized.column_names, desc=f"{cfg.format} {split}",
            fn_kwargs={"fmt": cfg.format, "layout": layout, "block_size": cfg.block_size,
                       "seed": cfg.seed, "short_prob": cfg.short_seq_prob})
    corpus_manifest = json.loads((corpora / cfg.corpus / "manifest.json").read_text())
    stats: dict[str, Any] = {}
    for split, data in built.items():
        lengths = [len(ids) for ids in list(data["input_ids"])]
        entry: dict[str, Any] = {"examples": len(lengths), "tokens": sum(lengths),
                                 "mean_length": sum(lengths) / max(1, len(lengths)),
                                 "max_length": max(lengths, default=0)}
        if cfg.format in PAIR_LABEL:
            labels = list(data[PAIR_LABEL[cfg.format]])
            entry["positive_label_share"] = sum(labels) / max(1, len(labels))
        stats[split] = entry
    manifest = {"name": name, "config": cfg.model_dump(mode="json"),
                "corpus_sha256": corpus_manifest["sha256"], "tokenizer": cfg.tokenizer, "splits": stats}
    target = root / name
    with atomic_dir(target) as staging:
        built.save_to_disk(str(staging))
        write_text_atomic(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    train = stats["train"]
    label = (f"; pair label 1 in {train['positive_label_share']:.1%} of pairs"
             if "positive_label_share" in train else "")
    summary(f"pretraining data {name}:", (
        f"{train['examples']:,} {cfg.format} training examples ({train['tokens']:,} tokens, mean length "
        f"{train['mean_length']:.1f} of {cfg.block_size}) and {stats['validation']['examples']:,} "
        f"validation examples from corpus {cfg.corpus} with tokenizer {cfg.tokenizer}{label}; "
        f"written to {target}/."))
    return manifest
