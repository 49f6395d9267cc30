"""The candidate head (SuperGLUE ReCoRD): pick the passage entity that fills the query's @placeholder.

Each example has its own number of candidates (the passage's entities, deduplicated by text), so
candidates are flattened into features, one (passage, query with the placeholder filled by the
candidate) pair each, scored by a one-logit `*ForSequenceClassification` model. A batch holds
whole examples: ``batch_size`` counts examples, each bringing all its candidates (the real
ReCoRD has about 14 on average; lower ``trainer.batch_size`` when that is too many sequences).
This, rather than a `*ForMultipleChoice` model, because padding every example to the largest
candidate count of the batch would spend most of the compute on padding sequences; flat scoring
needs no padding candidates and works for families without a multiple-choice class (GPT-2, T5).

Training maximises the log of the summed probability of the gold candidates under a softmax over
the example's candidates (ReCoRD may list several gold entities); an example none of whose
candidates is gold adds nothing to the loss, and a training batch whose examples have no
candidate at all (the reader accepts a passage without entities) gives a zero loss still attached
to the model's parameters, so training goes on. The prediction is the best candidate's text ("" for
an example without candidates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.utils.data import Dataset

from nlpbench.tasks.heads.base import model_inputs
from nlpbench.tasks.spec import Examples


class EncodedCandidates(Dataset):
    """A tokenised ReCoRD split. ``features`` holds one tokenised (passage, filled query) pair per
    candidate, flattened over the split; ``example_of[f]`` is the example of feature ``f``,
    ``starts[i]:starts[i + 1]`` are example ``i``'s features and ``candidates[i]`` their texts.
    An item is one example: its candidates' features, ``gold`` (1 per gold candidate, when the
    split is labelled) and ``example`` (its position in the split)."""

    def __init__(self, examples: Examples, tokenizer: Any, max_length: int) -> None:
        from nlpbench.tasks.official.readers import fill_placeholder

        source = examples.source.examples
        self.candidates: list[tuple[str, ...]] = [tuple(ex.inputs["entities"]) for ex in source]
        self.example_of = [i for i, cands in enumerate(self.candidates) for _ in cands]
        self.starts = [0]
        for cands in self.candidates:
            self.starts.append(self.starts[-1] + len(cands))
        passages = [source[i].inputs["passage"] for i in self.example_of]
        queries = [fill_placeholder(source[i].inputs["query"], c)
                   for i, cands in enumerate(self.candidates) for c in cands]
        # longest_first trims the (longer) passage first and never fails on a long query
        enc: Any = {}
        if passages:
            enc = tokenizer(passages, queries, truncation="longest_first", max_length=max_length)
        self.features = [{k: enc[k][f] for k in enc} for f in range(len(passages))]
        self.gold: list[list[int]] | None = None
        if examples.labels is not None:
            labels: list[Any] = list(examples.labels)  # the gold answer texts of each query
            self.gold = [[int(c in set(answers)) for c in cands]
                         for cands, answers in zip(self.candidates, labels, strict=True)]

    def __len__(self) -> int:
        return len(self.candidates)

    def __getitem__(self, i: int) -> dict[str, Any]:
        feats = self.features[self.starts[i]:self.starts[i + 1]]
        item: dict[str, Any] = {"example": i, "features": feats}
        if self.gold is not None:
            item["gold"] = self.gold[i]
        return item


def collate_candidates(pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, torch.Tensor]]:
    """Flatten the candidates of a batch of examples into one padded (candidates, longest) tensor
    per key, with ``group`` (the candidate's example within the batch), ``slot`` (its index among
    that example's candidates), ``example`` (each example's position in its split) and ``gold``."""

    def _collate(items: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        feats = [f for it in items for f in it["features"]]
        keys = list(feats[0]) if feats else ["input_ids", "attention_mask"]
        longest = max((len(f["input_ids"]) for f in feats), default=1)
        # examples first: Lightning takes the first tensor's length as the batch size it logs with
        batch = {"example": torch.tensor([it["example"] for it in items], dtype=torch.long)}
        for key in keys:
            fill = pad_id if key == "input_ids" else 0
            batch[key] = torch.tensor([list(f[key]) + [fill] * (longest - len(f[key])) for f in feats],
                                      dtype=torch.long).reshape(len(feats), longest)
        counts = [len(it["features"]) for it in items]
        batch["group"] = torch.tensor([g for g, n in enumerate(counts) for _ in range(n)], dtype=torch.long)
        batch["slot"] = torch.tensor([s for n in counts for s in range(n)], dtype=torch.long)
        if "gold" in items[0]:
            batch["gold"] = torch.tensor([g for it in items for g in it["gold"]], dtype=torch.bool)
        return batch

    return _collate


def grouped_scores(scores: torch.Tensor, group: torch.Tensor, slot: torch.Tensor,
                   n_groups: int) -> torch.Tensor:
    """The flat candidate ``scores`` as a (groups, most candidates) matrix, -inf where a group has
    fewer candidates."""
    width = int(slot.max().item()) + 1 if slot.numel() else 1
    out = scores.new_full((n_groups, width), float("-inf"))
    return out.index_put((group, slot), scores)


def group_softmax_loss(scores: torch.Tensor, group: torch.Tensor, slot: torch.Tensor, gold: torch.Tensor,
                       n_groups: int) -> torch.Tensor:
    """Mean over groups with a gold candidate of -log(sum of the gold candidates' softmax
    probabilities within the group): logsumexp(all scores) - logsumexp(gold scores)."""
    table = grouped_scores(scores, group, slot, n_groups)
    gold_table = torch.zeros(table.shape, dtype=torch.bool, device=scores.device)
    gold_table[group, slot] = gold.bool()
    has_gold = gold_table.any(-1)
    if not bool(has_gold.any()):
        return scores.sum() * 0.0  # nothing to learn from, but keep the graph
    log_all = torch.logsumexp(table[has_gold], -1)
    log_gold = torch.logsumexp(table[has_gold].masked_fill(~gold_table[has_gold], float("-inf")), -1)
    return (log_all - log_gold).mean()


def attached_zero_loss(model: Any, device: Any) -> torch.Tensor:
    """A zero loss still attached to the graph through ``model``'s trainable parameters (so that
    ``backward`` works and every parameter gets a zero gradient), for a batch with nothing to score."""
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        return torch.zeros((), device=device)
    return torch.stack([p.sum() for p in params]).sum() * 0.0


class CandidateHead:
    """ReCoRD: one score per (passage, filled query) candidate, softmax within each example;
    the prediction is the best candidate's text ("" for an example without candidates)."""

    name = "candidate_choice"

    def __init__(self, task: Any) -> None:
        self.task = task

    def build(self, model_cfg: Any, train: Examples) -> tuple[Any, Any]:
        from nlpbench.models.families import build_for_classification

        texts: list[str] = []
        for ex in train.source.examples:
            if not texts or texts[-1] != ex.inputs["passage"]:  # queries of one passage come together
                texts.append(ex.inputs["passage"])
            texts.append(ex.inputs["query"])
        return build_for_classification(model_cfg, texts, 1, "classification")

    def encode(self, examples: Examples, tokenizer: Any, max_length: int) -> Any:
        return EncodedCandidates(examples, tokenizer, max_length)

    def collate(self, pad_id: int) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
        return collate_candidates(pad_id)

    def _scores(self, model: Any, batch: dict[str, Any]) -> torch.Tensor:
        if batch["input_ids"].shape[0] == 0:  # a batch of examples without candidates
            return torch.zeros(0, device=batch["input_ids"].device)
        inputs = model_inputs(model, {k: v for k, v in batch.items() if k not in ("labels", "gold")})
        return model(**inputs).logits.squeeze(-1).float()

    def loss(self, model: Any, batch: dict[str, Any]) -> Any:
        scores = self._scores(model, batch)
        if scores.numel() == 0:  # no candidate in the whole batch: nothing to learn, nothing to break
            return attached_zero_loss(model, batch["input_ids"].device)
        return group_softmax_loss(scores, batch["group"], batch["slot"], batch["gold"], len(batch["example"]))

    def evaluate(self, model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
        """(loss or None on unlabelled data, (example positions, best candidate index per example))."""
        scores = self._scores(model, batch)
        n = len(batch["example"])
        loss = None
        if "gold" in batch:
            loss = group_softmax_loss(scores, batch["group"], batch["slot"], batch["gold"], n)
        best = grouped_scores(scores, batch["group"], batch["slot"], n).argmax(-1)
        return loss, (batch["example"].cpu(), best.cpu())

    def decode(self, outputs: list[Any], encoded: Any) -> list[Any]:
        preds = [""] * len(encoded.candidates)
        for examples, best in outputs:
            for i, slot in zip(examples.tolist(), best.tolist(), strict=True):
                cands = encoded.candidates[i]
                preds[i] = cands[slot] if slot < len(cands) else ""
        return preds

    def gold(self, examples: Examples) -> list[Any]:
        labels: list[Any] = list(examples.labels or [])  # tuples of gold answer texts
        return [list(answers) for answers in labels]
