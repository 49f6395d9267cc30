"""SQuAD stand-ins: train-v*.json and dev-v*.json from generated documents and questions."""

from __future__ import annotations

import json
from typing import Any

from nlpbench.data.synthetic.builders import extractive_qa
from nlpbench.tasks.standins.common import Files, Sizes, draw, hex_id, split_rng

# SQuAD 2.0's own shares of unanswerable questions (train 33.4%, dev 50.0%); v2's contexts are
# shorter than v1's (2-4 sentences, not 4-8), to ease span learning. What made v2 learnable for a
# tiny model from scratch was the training set's size (20,000 questions, conf/task/synthetic/squad/v2.yaml).
V2_UNANSWERABLE = {"train": 1 / 3, "dev": 0.5}
V2_SENTENCES = (2, 4)


def _squad_split(task: str, seed: int, split: str, n: int, v2: bool) -> str:
    rng = split_rng(task, seed, split)
    articles: list[dict[str, Any]] = []
    for i in range(n):
        qa = (extractive_qa(rng, "off_topic", V2_UNANSWERABLE[split], V2_SENTENCES) if v2
              else draw(rng, extractive_qa, lambda q: not q.is_impossible, "SQuAD"))
        if i % 5 == 0:
            articles.append({"title": f"Synthetic_{len(articles)}", "paragraphs": []})
        question: dict[str, Any] = {
            "question": qa.question, "id": hex_id(task, seed, split, i),
            "answers": [{"text": a.text, "answer_start": a.start} for a in qa.answers]}
        if v2:
            question["is_impossible"] = qa.is_impossible
        articles[-1]["paragraphs"].append({"context": qa.context, "qas": [question]})
    return json.dumps({"version": "v2.0" if v2 else "1.1", "data": articles})


def squad_files(task: str, seed: int, sizes: Sizes) -> Files:
    """train-v*.json and dev-v*.json: one question per generated document, five per article."""
    version, v2 = ("2.0", True) if task == "squad/v2" else ("1.1", False)
    return {f"{split}-v{version}.json": _squad_split(task, seed, split, n, v2)
            for split, n in (("train", sizes.train), ("dev", sizes.dev))}
