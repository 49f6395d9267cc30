"""Small ReCoRD files in the official layout (ReCoRD/train.jsonl, val.jsonl, test.jsonl) for head tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

NAMES = ("Obama", "Merkel", "Angela Davis", "Paris", "Berlin", "the United Nations", "Rome", "Tokyo",
         "Carl", "Greta")
VERBS = (("praised", "was praised"), ("visited", "was visited"), ("thanked", "was thanked"))


def _passage(rng: random.Random, p: int, labelled: bool, query_id: list[int]) -> dict[str, object]:
    """"A <verb> B. C met A." with entity spans (inclusive ends); queries ask who was <verb>ed."""
    a, b, c = rng.sample(NAMES, 3)
    verb, passive = rng.choice(VERBS)
    text = f"{a} {verb} {b} on Monday.\n@highlight\n{c} met {a} later."
    spans = []
    for name, start in ((a, 0), (b, len(f"{a} {verb} ")), (c, text.index(f"\n{c} met") + 1)):
        spans.append({"start": start, "end": start + len(name) - 1})
    second = text.rindex(a)
    spans.append({"start": second, "end": second + len(a) - 1})
    assert all(text[s["start"]:s["end"] + 1] in NAMES for s in spans)
    qas = []
    for query, answer in ((f"@placeholder {passive} by {a}", b), (f"{a} said @placeholder was kind", b)):
        qa: dict[str, object] = {"query": query, "idx": query_id[0]}
        query_id[0] += 1
        if labelled:
            starts = [s for s in spans if text[s["start"]:s["end"] + 1] == answer]
            qa["answers"] = [{"start": s["start"], "end": s["end"], "text": answer} for s in starts]
        qas.append(qa)
    return {"source": "Synthetic", "idx": p, "passage": {"text": text, "entities": spans}, "qas": qas}


def write_record(data_dir: Path, n_train: int = 20, n_dev: int = 8, n_test: int = 5, seed: int = 0) -> Path:
    """Passages (two queries each) per split under ``data_dir/ReCoRD``; test without answers."""
    rng = random.Random(seed)
    folder = Path(data_dir) / "ReCoRD"
    folder.mkdir(parents=True, exist_ok=True)
    for name, n, labelled in (("train.jsonl", n_train, True), ("val.jsonl", n_dev, True),
                              ("test.jsonl", n_test, False)):
        query_id = [0]
        rows = [_passage(rng, p, labelled, query_id) for p in range(n)]
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder
