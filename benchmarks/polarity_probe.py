"""Does a pretrained checkpoint know the polarity of sentiment words its SST-2 stand-in never trains on?

Run: .venv/bin/python benchmarks/polarity_probe.py CHECKPOINT [CHECKPOINT ...] [--documents 2000]
The SST-2 stand-in trains on the seen half of the lexicon and is scored on the unseen half, so it
transfers only if pretraining puts unseen sentiment words near seen ones of the same polarity. For
each checkpoint, a logistic regression (scikit-learn) is fitted on the polarity of the seen
sentiment adjectives, verbs and adverbs and scored on the unseen ones, from (a) the mean input
embedding of the word's tokens and (b) the last hidden state of the word in "it was X .". Chance is
about 0.5. The corpus side, for the generator in this tree: sentiment words per document and how
often a sentiment word has a seen one within 8 words (the neighbours masked language modelling can
learn a polarity from). Writes benchmarks/results/polarity_probe.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
WINDOW = 8


def sentiment_words() -> list[tuple[str, int, str]]:
    """(word form, polarity, half) of every sentiment-bearing adjective, verb (past form) and adverb."""
    from nlpbench.data.synthetic import lexicon as lx
    from nlpbench.data.synthetic.views import half_of

    rows = []
    for pos, table in (("adjective", lx.ADJECTIVES), ("verb", lx.VERBS), ("adverb", lx.ADVERBS)):
        for key, entry in table.items():
            if entry.sentiment:
                word = entry.past if pos == "verb" else entry.word  # type: ignore[attr-defined]
                rows.append((word.lower(), entry.sentiment, half_of(pos, key)))  # type: ignore[arg-type]
    return rows


def probe(checkpoint: Path) -> dict[str, float]:
    """Unseen-half accuracy of the two logistic-regression probes."""
    import numpy as np
    import torch
    from sklearn.linear_model import LogisticRegression
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = AutoModelForMaskedLM.from_pretrained(checkpoint).eval()
    table = model.get_input_embeddings().weight.detach().numpy()

    def embedding(word: str) -> np.ndarray:
        return table[tokenizer(word, add_special_tokens=False)["input_ids"]].mean(0)

    def contextual(word: str) -> np.ndarray:
        enc = tokenizer(f"it was {word} .", return_tensors="pt")
        n = len(tokenizer("it was", add_special_tokens=False)["input_ids"])
        k = len(tokenizer(word, add_special_tokens=False)["input_ids"])
        with torch.no_grad():
            states = model(**enc, output_hidden_states=True).hidden_states[-1][0]
        return states[1 + n : 1 + n + k].mean(0).numpy()

    rows = sentiment_words()
    train = [r for r in rows if r[2] != "unseen"]
    test = [r for r in rows if r[2] == "unseen"]
    out = {"seen_words": len(train), "unseen_words": len(test)}
    for name, features in (("input_embeddings", embedding), ("contextual", contextual)):
        clf = LogisticRegression(max_iter=2000)
        clf.fit([features(w) for w, _, _ in train], [p for _, p, _ in train])
        predicted = clf.predict([features(w) for w, _, _ in test])
        out[name] = round(float(np.mean(predicted == np.array([p for _, p, _ in test]))), 3)
    return out


def corpus_counts(documents: int) -> dict[str, float]:
    """Sentiment words per document, and seen same-document neighbours within WINDOW words."""
    from nlpbench.data.synthetic import GENERATOR_VERSION, SyntheticConfig, document_text, generate_document

    polarity = {w: (p, h) for w, p, h in sentiment_words()}
    config = SyntheticConfig(seed=0, n_documents=documents)
    hits_total = near = 0
    for k in range(documents):
        words = re.findall(r"[a-z]+", document_text(generate_document(config, k)).lower())
        hits = [(i, polarity[w]) for i, w in enumerate(words) if w in polarity]
        hits_total += len(hits)
        near += sum(1 for i, _ in hits for j, (_, h) in hits
                    if j != i and h != "unseen" and abs(i - j) <= WINDOW)
    return {"generator_version": GENERATOR_VERSION, "documents": documents,
            "sentiment_words_per_document": round(hits_total / documents, 2),
            "seen_neighbours_per_document": round(near / documents, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoints", nargs="+", type=Path)
    parser.add_argument("--documents", type=int, default=2000, help="corpus documents to count")
    args = parser.parse_args()
    rows = [{"checkpoint": str(c), **probe(c)} for c in args.checkpoints]
    result = {"benchmark": "polarity_probe", "corpus": corpus_counts(args.documents), "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "polarity_probe.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = ["| checkpoint | unseen-word polarity from input embeddings | from context \"it was X .\" |",
             "|---|---|---|"]
    lines += [f"| {r['checkpoint']} | {r['input_embeddings']} | {r['contextual']} |" for r in rows]
    c = result["corpus"]
    lines += ["", f"Probes fitted on {rows[0]['seen_words']} seen sentiment words, scored on "
              f"{rows[0]['unseen_words']} unseen ones (chance about 0.5). Corpus of this tree (generator "
              f"version {c['generator_version']}, {c['documents']} documents): "
              f"{c['sentiment_words_per_document']} sentiment words and {c['seen_neighbours_per_document']} "
              f"seen sentiment neighbours within {WINDOW} words per document."]
    (RESULTS / "polarity_probe.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
