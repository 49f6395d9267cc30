"""Tiny hand-written labelled files in the official layout of every benchmark task (tests and contracts).

Each sample is the split a scorer reads (dev / val, or the labelled diagnostic file), written
as the distribution writes it: CoLA without a header, MRPC's and QQP's own column names, MNLI's
16 dev columns, a labelled diagnostic-full.tsv for AX, SuperGLUE JSON lines with integer idx
and boolean or string labels, SQuAD JSON with nested articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Sample:
    split: str  # the split key of the task spec the file is written as
    text: str
    count: int  # examples in it (MultiRC: answer options)
    labels: tuple[Any, ...]  # the gold labels read back (class ids, scores or answer tuples)


def _jsonl(*rows: dict[str, Any]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


MNLI_HEADER = ("index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\t"
               "sentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tlabel2\tlabel3\tlabel4\t"
               "label5\tgold_label\n")


def _mnli_row(index: int, s1: str, s2: str, label: str) -> str:
    return (f"{index}\t{index}\t{index}e\tfiction\t( {s1} )\t( {s2} )\t(ROOT {s1})\t(ROOT {s2})\t{s1}\t{s2}\t"
            f"{label}\t{label}\t{label}\t{label}\t{label}\t{label}\n")


SQUAD_V1 = {"version": "1.1", "data": [
    {"title": "Normans", "paragraphs": [
        {"context": "The Normans gave their name to Normandy, a region in France.",
         "qas": [
             {"id": "q1", "question": "In what country is Normandy?",
              "answers": [{"text": "France", "answer_start": 53}, {"text": "France.", "answer_start": 53}]},
             {"id": "q2", "question": "Who gave their name to Normandy?",
              "answers": [{"text": "The Normans", "answer_start": 0}]},
         ]},
    ]},
    {"title": "Rhine", "paragraphs": [
        {"context": "The Rhine flows through six countries.",
         "qas": [{"id": "q3", "question": "How many countries?",
                  "answers": [{"text": "six", "answer_start": 24},
                              {"text": "six countries", "answer_start": 24},
                              {"text": "six", "answer_start": 24}]}]},
    ]},
]}

SQUAD_V2 = {"version": "v2.0", "data": [
    {"title": "Normans", "paragraphs": [
        {"context": "The Normans gave their name to Normandy, a region in France.",
         "qas": [
             {"id": "a1", "question": "In what country is Normandy?", "is_impossible": False,
              "answers": [{"text": "France", "answer_start": 53}]},
             {"id": "a2", "question": "Who gave their name to Italy?", "is_impossible": True, "answers": [],
              "plausible_answers": [{"text": "The Normans", "answer_start": 0}]},
             {"id": "a3", "question": "What did the Normans give?", "is_impossible": False,
              "answers": [{"text": "their name", "answer_start": 17}, {"text": "name", "answer_start": 23}]},
         ]},
    ]},
]}

RECORD_PASSAGE = "Obama met Merkel in Berlin. Merkel thanked Obama."
# entity spans with INCLUSIVE ends, as ReCoRD writes them: "Obama" is 0..4, "Merkel" 10..15, "Berlin" 20..25

SAMPLES: dict[str, Sample] = {
    "glue/cola": Sample("dev", (
        "gj04\t1\t\tOur friends won't buy this analysis, let alone the next one we propose.\n"
        "gj04\t0\t*\tThey drank the pub.\n"
        "cj99\t1\t\tHe said \"hi to me.\n"
    ), 3, (1, 0, 1)),
    "glue/sst2": Sample("dev", "sentence\tlabel\nit 's a charming journey .\t1\nunflinchingly bleak\t0\n",
                        2, (1, 0)),
    "glue/mrpc": Sample("dev", (
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        "1\t1355540\t1355592\tHe said \"the foodservice pie business\tThe foodservice pie business\n"
        "0\t2029631\t2029565\tMagnarelli said Racicot hated the Iraqi regime\t"
        "His wife said he was \"100 percent\n"
        "1\t487993\t487952\tThe dollar was at 116.92 yen\tThe dollar was at 116.78 yen\n"
    ), 3, (1, 0, 1)),
    "glue/stsb": Sample("dev", (
        "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
        "0\tmain-captions\tMSRvid\t2012test\t0000\tnone\tnone\tA man with a hard hat is dancing.\t"
        "A man wearing a hard hat is dancing.\t5.000\n"
        "1\tmain-captions\tMSRvid\t2012test\t0002\tnone\tnone\tA young child is riding a horse.\t"
        "A child is riding a horse.\t4.750\n"
        "2\tmain-news\theadlines\t2013\t0003\tnone\tnone\tA man is \"playing a flute.\t"
        "A man plays piano.\t1.2\n"
    ), 3, (5.0, 4.75, 1.2)),
    "glue/qqp": Sample("dev", (
        "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
        "201359\t303345\t303346\tWhy are African-Americans so beautiful?\t"
        "Why are hispanics so beautiful?\t0\n"
        "263843\t69383\t380476\tI want to pursue PhD in Computer Science?\tHow do I do a PhD?\t1\n"
        "172974\t266948\t175089\tIs \"Bhagavad Gita\" a book?\tIs the Gita a book?\t1\n"
    ), 3, (0, 1, 1)),
    "glue/mnli": Sample("dev_matched", MNLI_HEADER
                        + _mnli_row(0, "The new rights are nice enough", "Everyone really likes them",
                                    "neutral")
                        + _mnli_row(1, "This site includes \"a list", "The site has a list", "entailment")
                        + _mnli_row(2, "yeah i know", "i do not know", "contradiction"),
                        3, (1, 0, 2)),
    "glue/qnli": Sample("dev", (
        "index\tquestion\tsentence\tlabel\n"
        "0\tWhat came into force after the new constitution?\t"
        "The Treaty of Lisbon entered force.\tentailment\n"
        "1\tWhat is the first major city in the stream?\tThe stream \"flows north.\tnot_entailment\n"
    ), 2, (0, 1)),
    "glue/rte": Sample("dev", (
        "index\tsentence1\tsentence2\tlabel\n"
        "0\tDana Reeve, the widow of the actor, died.\tChristopher Reeve had an accident.\tnot_entailment\n"
        "1\tYet, we now are discovering that antibiotics are losing.\tBacteria is winning.\tentailment\n"
    ), 2, (1, 0)),
    "glue/wnli": Sample("dev", (
        "index\tsentence1\tsentence2\tlabel\n"
        "0\tThe drain is clogged with hair. It has to be cleaned.\tThe hair has to be cleaned.\t0\n"
        "1\tJane knocked on Susan's door but she did not answer.\tSusan did not answer.\t1\n"
    ), 2, (0, 1)),
    "glue/ax": Sample("full", (
        "Lexical Semantics\tPredicate-Argument Structure\tLogic\tKnowledge\tDomain\t"
        "Premise\tHypothesis\tLabel\n"
        "\t\tNegation\t\tArtificial\tThe cat sat on the mat.\tThe cat did not sit on the mat.\t"
        "contradiction\n"
        "Lexical entailment\t\t\t\tArtificial\tThe cat sat.\tThe animal sat.\tentailment\n"
        "\t\t\tCommon sense\tNews\tHe said \"maybe.\tHe is certain.\tneutral\n"
    ), 3, (2, 0, 1)),
    "superglue/boolq": Sample("dev", _jsonl(
        {"question": "do iran and afghanistan speak the same language", "passage": "Persian ...",
         "idx": 0, "label": True},
        {"question": "is elder scrolls online the same as skyrim", "passage": "As with ...",
         "idx": 1, "label": False},
    ), 2, (1, 0)),
    "superglue/cb": Sample("dev", _jsonl(
        {"premise": "It was a complex language.", "hypothesis": "the language was peeled down",
         "label": "contradiction", "idx": 0},
        {"premise": "It is part of their religion.", "hypothesis": "they are religious",
         "label": "entailment", "idx": 1},
        {"premise": "I don't know if she was right.", "hypothesis": "she was right",
         "label": "neutral", "idx": 2},
    ), 3, (1, 0, 2)),
    "superglue/copa": Sample("dev", _jsonl(
        {"premise": "The man turned on the faucet.", "choice1": "The toilet filled with water.",
         "choice2": "Water flowed from the spout.", "question": "effect", "label": 1, "idx": 0},
        {"premise": "The girl found a bug in her cereal.", "choice1": "She poured milk in the bowl.",
         "choice2": "She lost her appetite.", "question": "effect", "label": 0, "idx": 1},
    ), 2, (1, 0)),
    "superglue/multirc": Sample("dev", _jsonl(
        {"idx": 0, "version": 1.1, "passage": {
            "text": "Sent 1: Mary went home. Sent 2: She slept.", "questions": [
            {"question": "Where did Mary go?", "idx": 0, "answers": [
                {"text": "home", "idx": 0, "label": 1}, {"text": "school", "idx": 1, "label": 0}]},
            {"question": "What did she do?", "idx": 1, "answers": [
                {"text": "slept", "idx": 2, "label": 1}, {"text": "rested", "idx": 3, "label": 1},
                {"text": "ran", "idx": 4, "label": 0}]},
        ]}},
        {"idx": 1, "version": 1.1, "passage": {"text": "Sent 1: Tom ate \"soup\".", "questions": [
            {"question": "What did Tom eat?", "idx": 2, "answers": [
                {"text": "bread", "idx": 5, "label": 0}, {"text": "soup", "idx": 6, "label": 1}]},
        ]}},
    ), 7, (1, 0, 1, 1, 0, 0, 1)),
    "superglue/record": Sample("dev", _jsonl(
        {"source": "Daily mail", "idx": 0, "passage": {
            "text": RECORD_PASSAGE,
            "entities": [{"start": 0, "end": 4}, {"start": 10, "end": 15}, {"start": 20, "end": 25},
                         {"start": 28, "end": 33}, {"start": 43, "end": 47}]},
         "qas": [
             {"query": "@placeholder hosted the meeting in Berlin", "idx": 0,
              "answers": [{"start": 10, "end": 15, "text": "Merkel"},
                          {"start": 28, "end": 33, "text": "Merkel"}]},
             {"query": "The meeting was held in @placeholder", "idx": 1,
              "answers": [{"start": 20, "end": 25, "text": "Berlin"}]},
         ]},
    ), 2, (("Merkel", "Merkel"), ("Berlin",))),
    "superglue/rte": Sample("dev", _jsonl(
        {"premise": "Dana Reeve died.", "hypothesis": "Reeve had an accident.", "label": "not_entailment",
         "idx": 0},
        {"premise": "Antibiotics are losing.", "hypothesis": "Bacteria is winning.", "label": "entailment",
         "idx": 1},
    ), 2, (1, 0)),
    "superglue/wic": Sample("dev", _jsonl(
        {"word": "place", "sentence1": "Do you want to come over to my place later?",
         "sentence2": "A political system with no place for the less prominent groups.", "idx": 0,
         "label": False, "start1": 31, "start2": 27, "end1": 36, "end2": 32, "version": 1.1},
        {"word": "beat", "sentence1": "We beat the competition.", "sentence2": "Agassi beat Becker.",
         "idx": 1, "label": True, "start1": 3, "start2": 7, "end1": 7, "end2": 11, "version": 1.1},
    ), 2, (0, 1)),
    "superglue/wsc": Sample("dev", _jsonl(
        {"text": "Mark told Pete many lies about himself, which Pete included in his book. "
                 "He should have been more skeptical.",
         "target": {"span2_index": 13, "span1_index": 0, "span1_text": "Mark", "span2_text": "He"},
         "idx": 0, "label": False},
        {"text": "The mothers of Arthur and Celeste have come to the town to fetch them.",
         "target": {"span2_index": 12, "span1_index": 3, "span1_text": "Arthur and Celeste",
                    "span2_text": "them"}, "idx": 1, "label": True},
    ), 2, (0, 1)),
    "superglue/axb": Sample("test", _jsonl(
        {"sentence1": "The cat sat on the mat.", "sentence2": "The cat did not sit on the mat.",
         "label": "not_entailment", "idx": 0, "logic": "Negation"},
        {"sentence1": "The cat sat.", "sentence2": "The animal sat.", "label": "entailment", "idx": 1},
    ), 2, (1, 0)),
    "superglue/axg": Sample("test", _jsonl(
        {"hypothesis": "The accountant sought help.",
         "premise": "The taxpayer met with the accountant to get "
         "help filing his taxes.", "idx": 0, "pair_id": 551646, "label": "not_entailment"},
        {"hypothesis": "The accountant sought help.",
         "premise": "The taxpayer met with the accountant to get "
         "help filing her taxes.", "idx": 1, "pair_id": 551646, "label": "not_entailment"},
        {"hypothesis": "The taxpayer sought help.", "premise": "The taxpayer met with the accountant to get "
         "help filing his taxes.", "idx": 2, "pair_id": 551647, "label": "entailment"},
        {"hypothesis": "The taxpayer sought help.", "premise": "The taxpayer met with the accountant to get "
         "help filing her taxes.", "idx": 3, "pair_id": 551647, "label": "entailment"},
    ), 4, (1, 1, 0, 0)),
    "squad/v1": Sample("dev", json.dumps(SQUAD_V1), 3,
                       (("France", "France."), ("The Normans",), ("six", "six countries", "six"))),
    "squad/v2": Sample("dev", json.dumps(SQUAD_V2), 3, (("France",), (), ("their name", "name"))),
}


def write_sample(task: str, data_dir: Path) -> Path:
    """Write the sample of ``task`` where its spec expects that split under ``data_dir``."""
    from nlpbench.tasks.scoring import benchmark_spec

    sample = SAMPLES[task]
    path = benchmark_spec(task).split_path(data_dir, sample.split)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sample.text.encode("utf-8"))
    return path
