"""The text-to-text head: T5-format inputs and targets, rank classification, its model check."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from nlpbench.catalog import TASKS
from nlpbench.config import compose_config
from nlpbench.errors import ConfigError
from nlpbench.tasks.heads import text_to_text as t2t
from nlpbench.tasks.heads.text_to_text import format_input, score_text, text_format
from nlpbench.tasks.spec import Examples


def _fmt(task: str) -> t2t.TextFormat:
    return text_format(TASKS.load(task))


def test_glue_inputs_are_written_as_the_t5_paper_writes_them() -> None:
    assert format_input(_fmt("glue/rte"), {"sentence1": "A dog runs.", "sentence2": "An animal moves."}) \
        == "rte sentence1: A dog runs. sentence2: An animal moves."
    # MNLI's premise (sentence1) and hypothesis (sentence2), written hypothesis first (sorted names)
    assert format_input(_fmt("glue/mnli"), {"sentence1": "P .", "sentence2": "H ."}) \
        == "mnli hypothesis: H . premise: P ."
    assert format_input(_fmt("glue/cola"), {"sentence": "John made Bill master of himself."}) \
        == "cola sentence: John made Bill master of himself."
    assert format_input(_fmt("glue/sst2"), {"sentence": "a fine film"}) == "sst2 sentence: a fine film"
    assert format_input(_fmt("glue/mrpc"), {"#1 String": "A", "#2 String": "B"}) \
        == "mrpc sentence1: A sentence2: B"
    assert format_input(_fmt("glue/stsb"), {"sentence1": "A", "sentence2": "B"}) \
        == "stsb sentence1: A sentence2: B"
    assert format_input(_fmt("glue/qnli"), {"question": "Q?", "sentence": "S."}) \
        == "qnli question: Q? sentence: S."


def test_superglue_inputs_are_written_as_the_t5_paper_writes_them() -> None:
    rte = _fmt("superglue/rte")
    assert format_input(rte, {"premise": "P", "hypothesis": "H"}) == "rte hypothesis: H premise: P"
    # AX-b (sentence1, sentence2) is predicted by the RTE model, so it is written as RTE
    assert format_input(rte, {"sentence1": "P", "sentence2": "H"}) == "rte hypothesis: H premise: P"
    assert format_input(_fmt("superglue/boolq"), {"question": "is it?", "passage": "It is."}) \
        == "boolq passage: It is. question: is it?"
    assert format_input(_fmt("superglue/copa"), {"premise": "The man fell.", "choice1": "He slipped.",
                                                 "choice2": "He sang.", "question": "cause"}) \
        == "copa choice1: He slipped. choice2: He sang. premise: The man fell. question: cause"
    multirc = {"paragraph": "Sent 1: <b>Cats</b> nap.<br>Sent 2: Dogs run.", "question": "Who naps?",
               "answer": "Cats"}
    assert format_input(_fmt("superglue/multirc"), multirc) \
        == "multirc question: Who naps? answer: Cats paragraph: Sent 1: Cats nap. Sent 2: Dogs run."
    assert format_input(_fmt("superglue/wic"), {"word": "bank", "sentence1": "A", "sentence2": "B"}) \
        == "wic sentence1: A sentence2: B word: bank"


def test_target_words_follow_the_label_ids() -> None:
    assert t2t.target_words(TASKS.load("glue/rte")) == ("entailment", "not_entailment")
    assert t2t.target_words(TASKS.load("glue/cola")) == ("unacceptable", "acceptable")
    assert t2t.target_words(TASKS.load("glue/mnli")) == ("entailment", "neutral", "contradiction")
    assert t2t.target_words(TASKS.load("superglue/boolq")) == ("False", "True")
    assert t2t.target_words(TASKS.load("superglue/copa")) == ("choice1", "choice2")
    assert t2t.target_words(TASKS.load("glue/stsb")) == t2t.STSB_SCORES
    assert len(t2t.STSB_SCORES) == 26 and t2t.STSB_SCORES[:3] == ("0.0", "0.2", "0.4")
    rte = TASKS.load("glue/rte")
    examples = Examples(texts=[("a", "b")] * 2, labels=[1, 0], index=["0", "1"], path=Path("dev.tsv"))
    assert t2t.format_targets(rte, examples) == ["not_entailment", "entailment"]


def test_stsb_scores_are_rounded_to_the_nearest_fifth_as_t5_does() -> None:
    assert score_text(3.79) == "3.8"
    assert score_text(0.05) == "0.0"
    assert score_text(4.91) == "5.0" and score_text(5.0) == "5.0"
    assert score_text(2.0) == "2.0"
    assert score_text(2.5) == "2.4"  # 12.5 fifths: half to even, like tf.round
    assert score_text(-0.3) == "0.0" and score_text(5.3) == "5.0"  # clipped to the scale


def test_a_task_without_an_entry_gets_the_generic_format() -> None:
    task = SimpleNamespace(benchmark="other", folder="My-Task", labels=("yes", "no"), num_labels=2,
                           kind="classification", text_columns=("text",))
    fmt = text_format(task)
    assert fmt.prefix == "mytask" and fmt.words == ("yes", "no")
    assert format_input(fmt, {"text": "hi", "claim": "c"}) == "mytask claim: c text: hi"


class _TableModel(torch.nn.Module):
    """A stand-in encoder-decoder whose next-token probabilities are a fixed table per example
    (picked by the example's first input id) and decoder position, to check the ranking by hand."""

    def __init__(self, tables: dict[int, list[list[float]]]) -> None:
        super().__init__()
        self.tables = tables

    def get_encoder(self) -> Any:
        return lambda input_ids, attention_mask: SimpleNamespace(
            last_hidden_state=input_ids.float().unsqueeze(-1))

    def prepare_decoder_input_ids_from_labels(self, labels: torch.Tensor) -> torch.Tensor:
        return labels.clamp(min=0)

    def forward(self, encoder_outputs: Any, attention_mask: Any, decoder_input_ids: Any) -> Any:
        which = encoder_outputs.last_hidden_state[:, 0, 0].long().tolist()
        length = decoder_input_ids.size(1)
        probs = torch.tensor([self.tables[w][:length] for w in which])
        return SimpleNamespace(logits=probs.log() + 3.0)  # any shift: log-softmax undoes it


def test_rank_classification_scores_each_target_by_its_log_likelihood(
        monkeypatch: pytest.MonkeyPatch) -> None:
    model = _TableModel({0: [[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]],
                         1: [[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]})
    candidates = torch.tensor([[0, 2], [1, -100]])  # target A: tokens 0 2; target B: token 1
    input_ids, mask = torch.tensor([[0, 5], [1, 5]]), torch.ones(2, 2, dtype=torch.long)
    scores = t2t.rank_scores(model, input_ids, mask, candidates)
    expected = [[math.log(0.5 * 0.8), math.log(0.25)],  # example 0: A (0.4) beats B (0.25)
                [math.log(0.1 * 0.25), math.log(0.6)]]  # example 1: B (0.6) beats A (0.025)
    assert torch.allclose(scores, torch.tensor(expected), atol=1e-6)
    monkeypatch.setattr(t2t, "_ROWS", 1)  # one candidate per forward pass: the same scores
    chunked = t2t.rank_scores(model, input_ids, mask, candidates)
    assert torch.allclose(chunked, torch.tensor(expected), atol=1e-6)

    head = t2t.TextToTextHead(TASKS.load("glue/rte"))
    head._candidates = candidates  # noqa: SLF001  # what encode sets from the tokenizer
    batch = {"input_ids": input_ids, "attention_mask": mask, "choice": torch.tensor([0, 0])}
    loss, best = head.evaluate(model, batch)
    assert best.tolist() == [0, 1] and head.decode([best], None) == [0, 1]
    # the gold targets' (both A) mean token cross-entropy: 4 tokens
    assert float(loss) == pytest.approx(-(math.log(0.4) + math.log(0.025)) / 4, abs=1e-6)


def test_rank_scores_of_a_tiny_t5_match_its_own_loss() -> None:
    import transformers

    config = transformers.T5Config(vocab_size=12, d_model=16, d_ff=32, d_kv=8, num_layers=1, num_heads=2,
                                   pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    torch.manual_seed(0)
    model = transformers.T5ForConditionalGeneration(config).eval()
    input_ids = torch.tensor([[5, 6, 7, 1], [8, 9, 1, 0]])
    mask = (input_ids != 0).long()
    candidates = torch.tensor([[3, 4, 1], [10, 1, -100], [2, 1, -100]])
    with torch.no_grad():
        scores = t2t.rank_scores(model, input_ids, mask, candidates)
        for i in range(2):
            for j, cand in enumerate(candidates):
                labels = cand[cand != -100].unsqueeze(0)
                nll = model(input_ids=input_ids[i:i + 1, :int(mask[i].sum())], labels=labels).loss
                assert float(scores[i, j]) == pytest.approx(-float(nll) * labels.size(1), abs=1e-4)


def test_text_to_text_needs_an_encoder_decoder_model() -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=synthetic/glue/rte", "+task.head=text_to_text"])
    problem = next(p for p in err.value.problems if p.key == "model")
    assert problem.fix == "model=t5" and set(problem.choices) == {"t5", "bart"}
    assert "encoder-decoder" in problem.message and "'bert'" in problem.message
    compose_config("finetune", ["task=synthetic/glue/rte", "+task.head=text_to_text", "model=bart"])


def test_the_head_refuses_a_decoder_model_when_built_directly() -> None:
    cfg = compose_config("finetune", ["model=gpt2", "task=synthetic/glue/rte"]).typed
    head = t2t.TextToTextHead(TASKS.load("synthetic/glue/rte"))
    with pytest.raises(ConfigError) as err:
        head.build(cfg.model, None)  # type: ignore[arg-type]
    assert err.value.problems[0].fix == "model=t5"
