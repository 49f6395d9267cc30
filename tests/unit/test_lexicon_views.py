"""Tests for the lexicon views and document moods (nlpbench.data.synthetic.views)."""

from __future__ import annotations

import json
import re

import pytest

from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic import sampling as sm
from nlpbench.data.synthetic import views
from nlpbench.data.synthetic.generator import SyntheticConfig, generate_document
from nlpbench.data.synthetic.semantics import iter_nps
from nlpbench.tasks.standins import Sizes, standin_files

TABLES = {"noun": lx.NOUNS, "verb": lx.VERBS, "adjective": lx.ADJECTIVES, "adverb": lx.ADVERBS}
# stand-ins drawn entirely through the selection indexes: no unseen word may reach their train split
CLEAN = ["glue/cola", "glue/sst2", "glue/mrpc", "glue/stsb", "glue/qqp", "glue/mnli", "glue/qnli", "glue/rte",
         "glue/wnli", "superglue/boolq", "superglue/cb", "superglue/copa", "superglue/rte", "superglue/wsc",
         "superglue/multirc", "superglue/record", "squad/v1", "squad/v2"]


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def test_synonyms_and_antonyms_share_a_half() -> None:
    for key, a in lx.ADJECTIVES.items():
        half = views.half_of("adjective", key)
        for other in lx.synonyms("adjective", key):
            assert views.half_of("adjective", other) == half, (key, other)
        if a.antonym is not None:
            assert views.half_of("adjective", lx.adjective_for_meaning(a.antonym).key) == half, key


@pytest.mark.parametrize("pos", list(TABLES))
def test_both_halves_are_substantial(pos: str) -> None:
    halves = [views.half_of(pos, k) for k in TABLES[pos]]  # type: ignore[arg-type]
    assert halves.count("unseen") >= 0.25 * len(halves), pos
    assert halves.count("seen") >= 0.25 * len(halves), pos


def test_each_view_keeps_every_topic_drawable() -> None:
    for view in ("seen", "unseen"):
        with views.lexicon_view(view):  # type: ignore[arg-type]
            for topic in lx.TOPICS:
                for kind in ("person", "place"):
                    keys = sm.topic_nouns(topic, kind)
                    assert keys, (view, topic, kind)
                    assert all(views.half_of("noun", k) in ("shared", view) for k in keys)
                assert sm.verbs_for(sm.PERSON, topic, True), (view, topic)
        assert views.current_view() == "all"


def test_sentiment_words_of_both_polarities_in_both_halves() -> None:
    for half in ("seen", "unseen"):
        polarities = {a.sentiment for k, a in lx.ADJECTIVES.items() if views.half_of("adjective", k) == half}
        assert {-1, 1} <= polarities, half


def _polarities(config: SyntheticConfig, k: int) -> set[int]:
    """Sentiment signs of the adjectives, verbs and adverbs a document uses."""
    doc = generate_document(config, k)
    return {views.sentiment_of(lex.pos, lex.key) for s in doc.sentences for lex in s.lexemes  # type: ignore[arg-type]
            if lex.pos in ("verb", "adjective", "adverb")} - {0}


def test_mood_keeps_the_other_polarity_out_of_a_document() -> None:
    moody = SyntheticConfig(n_documents=300, phenomena={"mood": 1.0})
    assert not any(_polarities(moody, k) == {-1, 1} for k in range(300))
    free = SyntheticConfig(n_documents=300, phenomena={"mood": 0.0})
    assert sum(_polarities(free, k) == {-1, 1} for k in range(300)) > 10  # without moods they mix


def _polar_pairs(config: SyntheticConfig, k: int) -> list[tuple[int, int]]:
    """Sentiment signs of each noun phrase's two adjectives, where it has two."""
    doc = generate_document(config, k)
    return [tuple(lx.ADJECTIVES[a].sentiment for a in np.adjectives)  # type: ignore[misc]
            for s in doc.sentences for np in iter_nps(s.frame) if len(np.adjectives) == 2]


def test_a_strong_mood_pairs_adjectives_of_its_polarity_and_a_weak_one_does_not() -> None:
    strong = SyntheticConfig(n_documents=200, phenomena={"mood": 1.0, "strong_mood": 1.0})
    pairs = [p for k in range(200) for p in _polar_pairs(strong, k)]
    assert len(pairs) >= 50  # neighbours that show a word's polarity, for masked language modelling
    assert all(a == b != 0 for a, b in pairs), pairs[:5]
    weak = SyntheticConfig(n_documents=200, phenomena={"mood": 1.0, "strong_mood": 0.0})
    assert not any(_polar_pairs(weak, k) for k in range(200))


def test_without_moods_and_statements_a_document_is_the_plain_one() -> None:
    config = SyntheticConfig(n_documents=50, phenomena={"mood": 0.0, "schema": 0.0, "causal": 0.0})
    with views.document_mood(0):
        from nlpbench.data.synthetic.generator import _generate, document_rng

        expected = [_generate(config, k, document_rng(config, k)).text for k in range(50)]
    assert [generate_document(config, k).text for k in range(50)] == expected


def _rows(name: str, text: str) -> list[str]:
    if name.endswith(".json"):
        return [json.dumps(p) for a in json.loads(text)["data"] for p in a["paragraphs"]]
    return text.splitlines()[1:]


@pytest.mark.parametrize("task", CLEAN)
def test_train_never_uses_an_unseen_word_and_dev_rests_on_them(task: str) -> None:
    unseen = views.forms("unseen")
    files = standin_files(task, 0, Sizes(40, 40, 0))
    train = next(v for k, v in files.items() if k.startswith("train"))
    dev = next(v for k, v in files.items() if k.startswith(("dev", "val")))
    assert not any(_words(row) & unseen for row in _rows("train.json" if task.startswith("squad") else "t",
                                                         train))
    dev_rows = _rows("dev.json" if task.startswith("squad") else "d", dev)
    assert sum(bool(_words(row) & unseen) for row in dev_rows) >= 0.9 * len(dev_rows)
    assert views.current_view() == "all"  # the writer restores the caller's view


def test_knowledge_of_training_and_dev_views_is_disjoint() -> None:
    with views.lexicon_view("seen"):
        seen_links, seen_schemas = views.causal_links(), views.coref_schemas()
    with views.lexicon_view("unseen"):
        unseen_links, unseen_schemas = views.causal_links(), views.coref_schemas()
    assert len(seen_links) >= 5 and len(unseen_links) >= 5
    assert not set(seen_links) & set(unseen_links)

    def pairs(schemas: tuple[object, ...]) -> set[tuple[str, str]]:
        return {(s.verb, r) for s in schemas for r in (*s.agent_reasons, *s.patient_reasons)}  # type: ignore[attr-defined]

    assert len(pairs(seen_schemas)) >= 10 and len(pairs(unseen_schemas)) >= 10
    assert not pairs(seen_schemas) & pairs(unseen_schemas)


def test_wic_collocates_of_training_and_dev_differ() -> None:
    from nlpbench.tasks.standins.superglue import _collocates

    seen, unseen = _collocates("seen"), _collocates("unseen")
    assert all(seen[k] and unseen[k] for k in seen)
    assert not {c for v in seen.values() for c in v} & {c for v in unseen.values() for c in v}


def test_corpus_states_schemas_and_causal_links() -> None:
    from nlpbench.data.synthetic.knowledge import COREF_SCHEMAS

    config = SyntheticConfig(n_documents=300)
    docs = [generate_document(config, k) for k in range(300)]
    verbs = {lx.VERBS[s.verb].past for s in COREF_SCHEMAS} | {lx.VERBS[s.verb].s3 for s in COREF_SCHEMAS}
    schema = [s.text for d in docs for s in d.sentences if " because " in s.text]
    assert len(schema) >= 0.05 * len(docs)
    assert all(any(f" {v} " in t for v in verbs) for t in schema)
    plain = SyntheticConfig(n_documents=300, phenomena={"schema": 0.0, "causal": 0.0})
    assert sum(len(d.sentences) for d in docs) > sum(len(generate_document(plain, k).sentences)
                                                      for k in range(300)) + 60
