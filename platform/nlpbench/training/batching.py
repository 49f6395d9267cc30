"""Token-budget batches: as many examples per batch as fit a number of tokens, resumable mid-epoch."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from torch.utils.data import Sampler


class TokenBudgetBatchSampler(Sampler[list[int]]):
    """Batches of example indices whose ``lengths`` sum to at most ``tokens_per_batch``; each
    example exactly once per epoch; the epoch's batches depend only on (seed, epoch). Give it to
    a DataLoader as ``batch_sampler``.

    RoBERTa trains DOC-SENTENCES (and SENTENCE-PAIR) with batches that grow where inputs are
    short, "to achieve a similar number of total tokens as FULL-SENTENCES": a budget of
    batch size x block size gives that.

    How an epoch is cut: a permutation that depends only on (seed, epoch) is split into windows of
    about ``window_batches`` batches' worth of examples; each window is sorted by length (ties keep
    the permutation's order) and cut greedily into batches; then all the epoch's batches are
    shuffled, again from (seed, epoch). Sorting makes the examples of a batch about as long as each
    other, so a collate that pads to the longest example pads little; sorting only inside windows
    (fairseq sorts the whole epoch) keeps each batch a random draw from its window, and the shuffle
    keeps long and short batches mixed through the epoch. With ``shuffle=False`` (evaluation)
    nothing is shuffled: windows follow the dataset order and batches the window order.

    Resuming follows ``training.pretrain.EpochSampler``: ``consumed`` counts the *examples* the
    training loop has taken this epoch (the module adds each batch's size at batch start, so
    prefetched batches are not counted); ``state_dict()``/``load_state_dict()`` save and restore
    (epoch, consumed), and the next iteration yields exactly the batches that remained.
    """

    def __init__(self, lengths: Sequence[int], tokens_per_batch: int, seed: int, shuffle: bool = True,
                 window_batches: int = 100) -> None:
        self.lengths = [int(n) for n in lengths]
        longest = max(self.lengths, default=0)
        if tokens_per_batch < longest:
            raise ValueError(f"tokens_per_batch={tokens_per_batch} is below the longest example "
                             f"({longest} tokens): set it to at least {longest}, e.g. "
                             "batch size x block size")
        if window_batches < 1:
            raise ValueError(f"window_batches={window_batches}: must be at least 1")
        self.tokens_per_batch, self.seed, self.shuffle = tokens_per_batch, seed, shuffle
        mean = sum(self.lengths) / max(1, len(self.lengths))
        self.window = max(1, round(window_batches * tokens_per_batch / max(1.0, mean)))
        self.epoch, self.consumed, self._skip = 0, 0, 0
        self._cache: tuple[int, list[list[int]]] | None = None

    def set_epoch(self, epoch: int) -> None:
        if epoch != self.epoch:
            self.epoch, self.consumed, self._skip = epoch, 0, 0

    def batches(self, epoch: int | None = None) -> list[list[int]]:
        """Every batch of ``epoch`` (default: the current one), in the order they are yielded."""
        epoch = self.epoch if epoch is None else epoch
        if self._cache is None or self._cache[0] != epoch:
            self._cache = (epoch, self._cut(epoch))
        return self._cache[1]

    def _cut(self, epoch: int) -> list[list[int]]:
        rng = random.Random(f"token-budget/{self.seed}/{epoch}")
        order = list(range(len(self.lengths)))
        if self.shuffle:
            rng.shuffle(order)
        batches: list[list[int]] = []
        for start in range(0, len(order), self.window):
            window = sorted(order[start:start + self.window], key=self.lengths.__getitem__)  # stable
            batches.extend(self._greedy(window))
        if self.shuffle:
            rng.shuffle(batches)
        return batches

    def _greedy(self, indices: list[int]) -> Iterator[list[int]]:
        batch: list[int] = []
        tokens = 0
        for i in indices:
            if batch and tokens + self.lengths[i] > self.tokens_per_batch:
                yield batch
                batch, tokens = [], 0
            batch.append(i)
            tokens += self.lengths[i]
        if batch:
            yield batch

    def __iter__(self) -> Iterator[list[int]]:
        batches = self.batches()
        skip, self._skip = self._skip, 0
        done = taken = 0
        while taken < skip:
            if done == len(batches):
                raise ValueError(f"cannot resume after {skip} examples: epoch {self.epoch} has "
                                 f"{taken} examples")
            taken += len(batches[done])
            done += 1
        if taken != skip:
            raise ValueError(f"cannot resume after {skip} examples of epoch {self.epoch}: that is "
                             f"inside a batch (batches end at {taken - len(batches[done - 1])} and "
                             f"{taken}); was the state saved with other lengths or another budget?")
        return iter([list(b) for b in batches[done:]])

    def __len__(self) -> int:
        return len(self.batches())

    def state_dict(self) -> dict[str, int]:
        return {"epoch": self.epoch, "consumed": self.consumed}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.epoch, self.consumed = int(state["epoch"]), int(state["consumed"])
        self._skip = self.consumed
