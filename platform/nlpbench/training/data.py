"""Tokenise task examples into padded tensor batches: sequence (pair) classification and multiple choice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from nlpbench.tasks.spec import Examples


class EncodedSplit(Dataset):
    """A tokenised split held in memory: dicts of 1-D tensors, plus the label when known."""

    def __init__(self, examples: Examples, tokenizer: Any, max_length: int) -> None:
        columns = list(zip(*examples.texts, strict=True))
        if len(columns) > 2:  # e.g. WiC's (word, sentence1, sentence2): all but the last go first
            columns = [tuple(" ".join(parts) for parts in zip(*columns[:-1], strict=True)), columns[-1]]
        first = list(columns[0])
        second = list(columns[1]) if len(columns) > 1 else None
        enc = tokenizer(first, second, truncation=True, max_length=max_length)
        self.features = [{k: enc[k][i] for k in enc} for i in range(len(first))]
        self.labels = examples.labels

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int) -> dict[str, Any]:
        item = dict(self.features[i])
        if self.labels is not None:
            item["labels"] = self.labels[i]
        return item


class EncodedChoices(EncodedSplit):
    """Examples of (context, option 1, ..., option C) tokenised as C (context, option) pairs each,
    for a multiple-choice head; the label is the index of the right option."""

    def __init__(self, examples: Examples, tokenizer: Any, max_length: int) -> None:
        n = len(examples.texts[0]) - 1
        firsts = [texts[0] for texts in examples.texts for _ in range(n)]
        seconds = [option for texts in examples.texts for option in texts[1:]]
        enc = tokenizer(firsts, seconds, truncation=True, max_length=max_length)
        self.features = [{k: [enc[k][i * n + c] for c in range(n)] for k in enc}
                         for i in range(len(examples.texts))]
        self.labels = examples.labels


def collate_choices(pad_id: int):
    """Pad (choices x tokens) items to one (batch, choices, longest) tensor per key."""

    def _collate(items: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        longest = max(len(seq) for it in items for seq in it["input_ids"])
        batch: dict[str, torch.Tensor] = {}
        for key in items[0]:
            if key == "labels":
                batch[key] = torch.tensor([it[key] for it in items], dtype=torch.long)
                continue
            fill = pad_id if key == "input_ids" else 0
            batch[key] = torch.tensor([[list(seq) + [fill] * (longest - len(seq)) for seq in it[key]]
                                       for it in items], dtype=torch.long)
        return batch

    return _collate


def collate(pad_id: int):
    """Pad a list of items to the longest in the batch."""

    def _collate(items: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        longest = max(len(it["input_ids"]) for it in items)
        batch: dict[str, torch.Tensor] = {}
        for key in items[0]:
            if key == "labels":  # class ids, or float scores for regression (STS-B)
                values = [it[key] for it in items]
                dtype = torch.float if isinstance(values[0], float) else torch.long
                batch[key] = torch.tensor(values, dtype=dtype)
                continue
            fill = pad_id if key == "input_ids" else 0
            batch[key] = torch.tensor(
                [list(it[key]) + [fill] * (longest - len(it[key])) for it in items], dtype=torch.long
            )
        return batch

    return _collate


class EpochShuffle(Sampler[int]):
    """A random order that depends only on (seed, epoch): Lightning calls ``set_epoch`` before each
    epoch, so a run resumed from a checkpoint sees the same orders as an uninterrupted one."""

    def __init__(self, size: int, seed: int) -> None:
        self.size, self.seed, self.epoch = size, seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator().manual_seed(self.seed * 100_003 + self.epoch)
        return iter(torch.randperm(self.size, generator=generator).tolist())

    def __len__(self) -> int:
        return self.size


def loader(split: Dataset, batch_size: int, shuffle: bool, pad_id: int, seed: int,
           num_workers: int = 0, collate_fn: Any = None) -> DataLoader:
    """Batches of ``split`` padded by ``collate_fn`` (a head's; by default the one for its type)."""
    generator = torch.Generator().manual_seed(seed)
    pad = collate_fn or (collate_choices(pad_id) if isinstance(split, EncodedChoices) else collate(pad_id))
    sampler = EpochShuffle(len(split), seed) if shuffle else None  # type: ignore[arg-type]
    return DataLoader(split, batch_size=batch_size, sampler=sampler, collate_fn=pad,
                      generator=generator, num_workers=num_workers)
