"""Tests for the synthetic language (nlpbench.data.synthetic): determinism, grammar, semantics, documents
and the benchmark builders. Labels are checked against the semantics, strings against the spans."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import pytest

from nlpbench.data.synthetic import builders as B
from nlpbench.data.synthetic import lexicon as lx
from nlpbench.data.synthetic.generator import (
    GENERATOR_VERSION,
    Document,
    SyntheticConfig,
    document_text,
    generate_documents,
    sentence_offsets,
)
from nlpbench.data.synthetic.realisation import Style, realise, realise_question, realise_with_mentions
from nlpbench.data.synthetic.semantics import (
    Coord,
    Frame,
    Place,
    Relative,
    contradicts,
    entails,
    equivalent,
    iter_nps,
    name_np,
    negate,
    noun_np,
    paraphrase,
    quantified,
    referent_class,
    relation,
    resolve_pronoun,
    sentiment,
    similarity,
)
from nlpbench.errors import ConfigError
from tests.conftest import REPO

N = 1000  # examples per builder for balance checks


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return generate_documents(SyntheticConfig(seed=7, n_documents=300))


def digest(documents: list[Document]) -> str:
    return hashlib.sha256("\n\n".join(document_text(d) for d in documents).encode()).hexdigest()


# --------------------------------------------------------------------------- determinism


def test_same_seed_is_byte_identical_and_other_seed_differs() -> None:
    a = generate_documents(SyntheticConfig(seed=3, n_documents=40))
    b = generate_documents(SyntheticConfig(seed=3, n_documents=40))
    c = generate_documents(SyntheticConfig(seed=4, n_documents=40))
    assert [document_text(d) for d in a] == [document_text(d) for d in b]
    assert digest(a) == digest(b)
    assert digest(a) != digest(c)
    assert sum(document_text(x) != document_text(y) for x, y in zip(a, c, strict=True)) > 35


def test_document_k_does_not_depend_on_n_documents() -> None:
    small = generate_documents(SyntheticConfig(seed=11, n_documents=10))
    large = generate_documents(SyntheticConfig(seed=11, n_documents=100))
    for k in range(10):
        assert small[k] == large[k]
        assert small[k].id == f"synthetic-11-{k:06d}"


def test_output_does_not_depend_on_hash_randomisation() -> None:
    """Set iteration order and str hashing change with PYTHONHASHSEED; the text must not."""
    code = ("import hashlib;"
            "from nlpbench.data.synthetic import SyntheticConfig, generate_documents, document_text;"
            "d = generate_documents(SyntheticConfig(seed=5, n_documents=60));"
            "print(hashlib.sha256((2 * chr(10)).join(map(document_text, d)).encode()).hexdigest())")
    outs = set()
    for hash_seed in ("1", "2", "random"):
        env = {"PYTHONHASHSEED": hash_seed, "PATH": ""}
        run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        outs.add(run.stdout.strip())
    assert outs == {digest(generate_documents(SyntheticConfig(seed=5, n_documents=60)))}


def test_version_and_config_validation() -> None:
    assert isinstance(GENERATOR_VERSION, int)
    with pytest.raises(ConfigError) as err:
        SyntheticConfig(n_documents=-1, sentences_per_document=(5, 2), topics=["musik"],
                        phenomena={"negations": 0.1, "passive": 2.0})
    text = str(err.value)
    for expected in ("n_documents", "sentences_per_document", "musik", "phenomena.negations",
                     "phenomena.passive", "negation"):
        assert expected in text
    assert SyntheticConfig(phenomena={"negation": 0.5}).rates["negation"] == 0.5


# --------------------------------------------------------------------------- agreement


@pytest.mark.parametrize(("number", "expected"), [("sg", "The dog barks."), ("pl", "The dogs bark.")])
def test_present_agreement_with_subject_number(number: str, expected: str) -> None:
    assert realise(Frame(noun_np("dog", number=number), "bark", tense="present")) == expected  # type: ignore[arg-type]


def test_agreement_of_be_do_and_coordination() -> None:
    dog, dogs = noun_np("dog"), noun_np("dog", number="pl")
    assert realise(Frame(dog, "happy", tense="present", copula=True)) == "The dog is happy."
    assert realise(Frame(dogs, "happy", tense="present", copula=True)) == "The dogs are happy."
    assert realise(Frame(dogs, "happy", tense="past", copula=True)) == "The dogs were happy."
    assert realise(Frame(dog, "bark", tense="present", negated=True)) == "The dog does not bark."
    assert realise(Frame(dogs, "bark", tense="present", negated=True)) == "The dogs do not bark."
    assert realise(Frame(dog, "bark", negated=True)) == "The dog did not bark."
    anna_ben = Coord((name_np("Anna"), name_np("Ben")))
    play = Frame(anna_ben, "play", noun_np("violin"), tense="present")
    assert realise(play) == "Anna and Ben play the violin."
    assert realise(Frame(anna_ben, "tired", tense="present", copula=True)) == "Anna and Ben are tired."
    cat = noun_np("cat", number="pl")
    chased = Frame(dog, "chase", cat, tense="present", voice="passive")
    assert realise(chased) == "The cats are chased by the dog."


def _expected_verb_group(frame: Frame) -> str:
    """An independent statement of agreement: what the verb group must start with."""
    subject = frame.surface_subject
    sg = subject.number == "sg" and not isinstance(subject, Coord)
    passive = frame.voice == "passive" and frame.patient is not None and not frame.copula
    if frame.copula or passive or frame.progressive:
        return ("is" if sg else "are") + (" not" if frame.negated else "")
    if frame.negated:
        return "does not" if sg else "do not"
    verb = lx.VERBS[frame.predicate]
    return verb.s3 if sg else verb.base


def test_generated_present_tense_sentences_agree() -> None:
    docs = generate_documents(SyntheticConfig(seed=2, n_documents=400, phenomena={"present_tense": 1.0}))
    checked: Counter[str] = Counter()
    for d in docs:
        for s in d.sentences:
            f = s.frame
            if f.negated and quantified(f) is not None:
                continue  # "Not every ..." / "It is not true that ..." move the negation
            real = realise_with_mentions(f, Style())
            group = real.text[real.verb[0]:real.verb[1]]
            assert group.startswith(_expected_verb_group(f)), (real.text, group)
            checked["sg" if f.surface_subject.number == "sg" else "pl"] += 1
    assert checked["sg"] > 300 and checked["pl"] > 50


# --------------------------------------------------------------------------- semantics


def test_negation_flips_sentence_polarity() -> None:
    anna, soup = name_np("Anna"), noun_np("soup")
    assert sentiment(Frame(anna, "love", soup)) == "positive"
    assert sentiment(Frame(anna, "love", soup, negated=True)) == "negative"
    assert sentiment(Frame(soup, "bland", copula=True)) == "negative"
    assert sentiment(negate(Frame(soup, "bland", copula=True))) == "positive"
    assert sentiment(Frame(noun_np("guest", "no"), "enjoy", soup)) == "negative"
    rng = random.Random(0)
    flipped = 0
    for _ in range(500):
        f = B.sample_frame(rng)
        if sentiment(f) in ("positive", "negative") and quantified(f) is None:
            opposite = {"positive": "negative", "negative": "positive"}[sentiment(f)]
            words = [w for w in _predicate_polarities(f) if w]
            if words:  # the predicate carries the sentiment, so negation must flip it
                assert sentiment(negate(f)) in (opposite, "mixed"), realise(f)
                flipped += 1
    assert flipped > 30


def _predicate_polarities(f: Frame) -> list[int]:
    if f.copula:
        return [lx.ADJECTIVES[f.predicate].sentiment]
    return [lx.VERBS[f.predicate].sentiment] + ([lx.ADVERBS[f.manner].sentiment] if f.manner else [])


def test_paraphrase_is_entailment_both_ways() -> None:
    rng = random.Random(1)
    changed = 0
    for _ in range(400):
        f = B.sample_frame(rng)
        g = paraphrase(f, rng)
        assert relation(f, g) == "entailment" and relation(g, f) == "entailment", (realise(f), realise(g))
        assert equivalent(f, g)
        changed += realise(f) != realise(g)
    assert changed > 250  # intransitive frames without synonyms have nothing to swap


def test_hypernym_entailment_holds_and_reverse_does_not() -> None:
    dog, animal = Frame(noun_np("dog"), "bark"), Frame(noun_np("animal"), "bark")
    assert relation(dog, animal) == "entailment"
    assert relation(animal, dog) == "neutral"
    anna = name_np("Anna")
    violin, instrument = Frame(anna, "play", noun_np("violin")), Frame(anna, "play", noun_np("instrument"))
    assert entails(violin, instrument) and not entails(instrument, violin)
    sprint, run = Frame(anna, "sprint"), Frame(anna, "run")
    assert entails(sprint, run) and not entails(run, sprint)
    # every noun with a realisable hypernym, in subject position of a copular frame
    n = 0
    for key, noun in lx.NOUNS.items():
        if noun.hypernym and not lx.noun_for_meaning(noun.hypernym).hidden:
            parent = lx.noun_for_meaning(noun.hypernym).key
            a, b = Frame(noun_np(key), "strange", copula=True), Frame(noun_np(parent), "strange", copula=True)
            assert relation(a, b) == "entailment" and relation(b, a) == "neutral", key
            n += 1
    assert n > 150


def test_quantifier_monotonicity() -> None:
    def q(det: str, noun: str = "dog", number: str | None = None, manner: str | None = None) -> Frame:
        return Frame(noun_np(noun, det, number), "run", manner=manner)  # type: ignore[arg-type]

    assert relation(q("every"), q("some")) == "entailment"
    assert relation(q("some"), q("every")) == "neutral"
    assert relation(q("every"), q("every", "puppy")) == "entailment"  # restrictor is downward
    assert relation(q("every", "puppy"), q("every")) == "neutral"
    assert relation(q("some", "puppy"), q("some", "dog")) == "entailment"  # restrictor is upward
    assert relation(q("no"), q("no", "puppy")) == "entailment"
    assert relation(q("every", manner="quickly"), q("every")) == "entailment"  # scope is upward
    assert relation(q("few"), q("few", manner="quickly")) == "entailment"  # scope is downward
    assert relation(q("most"), q("most", "animal")) == "neutral"
    assert relation(q("two"), q("two", manner="quickly")) == "neutral"
    assert relation(q("every"), q("no")) == "contradiction"
    assert relation(q("some"), q("no", number="pl")) == "contradiction"
    assert relation(q("every"), negate(q("every"))) == "contradiction"
    assert realise(negate(q("every"))) == "Not every dog ran."
    assert negate(negate(q("some"))) == q("some")


def test_modifiers_drop_upward_and_add_downward() -> None:
    anna, park = name_np("Anna"), Place(noun_np("garden"))
    full = Frame(anna, "walk", manner="slowly", place=park)
    bare = Frame(anna, "walk")
    assert relation(full, bare) == "entailment" and relation(bare, full) == "neutral"
    assert relation(negate(bare), negate(full)) == "entailment"
    assert relation(negate(full), negate(bare)) == "neutral"
    tall_dog = Frame(noun_np("dog", adjectives=("tall",)), "bark")
    assert relation(tall_dog, Frame(noun_np("dog"), "bark")) == "entailment"
    assert relation(Frame(Coord((anna, name_np("Ben"))), "walk"), bare) == "entailment"


def test_contradiction_by_negation_and_antonyms() -> None:
    soup = noun_np("soup")
    hot, cold = Frame(soup, "hot", copula=True), Frame(soup, "cold", copula=True)
    assert contradicts(hot, cold) and relation(hot, cold) == "contradiction"
    assert relation(hot, negate(cold)) == "entailment"  # hot => not cold
    assert relation(negate(hot), cold) == "neutral"  # not hot does not make it cold
    anna, match = name_np("Anna"), noun_np("match/sports")
    assert relation(Frame(anna, "win", match), Frame(anna, "lose/contest", match)) == "contradiction"
    f = Frame(anna, "play", noun_np("violin"), manner="quickly")
    assert relation(f, negate(Frame(anna, "play", noun_np("violin")))) == "contradiction"
    n = 0
    for key, adj in lx.ADJECTIVES.items():
        other = lx.adjective_antonym(adj.meaning)
        if other:
            a = Frame(name_np("Ben"), key, copula=True)
            b = Frame(name_np("Ben"), lx.adjective_for_meaning(other).key, copula=True)
            assert relation(a, b) == "contradiction" and relation(b, a) == "contradiction", key
            assert relation(a, replace(b, tense="present")) == "neutral"
            n += 1
    assert n > 50


def test_passive_has_by_agent_and_the_same_meaning() -> None:
    rng = random.Random(2)
    n = 0
    for _ in range(300):
        f = B.sample_frame(rng, quantified_rate=0.0, copular_rate=0.0, negation_rate=0.0)
        if f.patient is None:
            continue
        active, passive = replace(f, voice="active"), replace(f, voice="passive")
        agent = realise_with_mentions(active).mention("agent")
        text = realise(passive)
        assert agent is not None
        by_agent = agent.text[0].lower() + agent.text[1:] if agent.text.startswith("The ") else agent.text
        assert f" by {by_agent}" in text, text
        assert equivalent(active, passive) and relation(passive, active) == "entailment"
        n += 1
    assert n > 100


def test_pronoun_resolution_is_unique_or_none() -> None:
    anna, ben, maria = name_np("Anna", "a"), name_np("Ben", "b"), name_np("Maria", "m")
    assert resolve_pronoun("she", [anna, ben]) == 0
    assert resolve_pronoun("him", [anna, ben]) == 1
    assert resolve_pronoun("her", [anna, ben, maria]) is None
    assert resolve_pronoun("it", [anna, noun_np("violin")]) == 1
    assert resolve_pronoun("they", [anna, noun_np("dog", number="pl")]) == 1
    assert resolve_pronoun("he", [noun_np("teacher"), anna]) == 0  # gender unknown: he or she


def test_relative_clause_presupposition_and_questions() -> None:
    dog = noun_np("dog", relative=Relative("agent", "chase", noun_np("cat")))
    f = Frame(dog, "bark")
    assert realise(f) == "The dog that chased the cat barked."
    assert entails(f, Frame(noun_np("dog"), "chase", noun_np("cat")))
    assert entails(negate(f), Frame(noun_np("dog"), "chase", noun_np("cat")))  # survives negation
    g = Frame(name_np("Anna"), "play", noun_np("violin"), place=Place(noun_np("studio")))
    assert realise_question(g) == "Did Anna play the violin in the studio?"
    assert realise_question(g, "agent") == "Who played the violin in the studio?"
    assert realise_question(g, "patient") == "What did Anna play in the studio?"
    assert realise_question(g, "place") == "Where did Anna play the violin?"


def test_similarity_is_graded() -> None:
    anna, ben = name_np("Anna"), name_np("Ben")
    f = Frame(anna, "play", noun_np("violin"))
    assert similarity(f, paraphrase(f)) == 5.0
    one_off = similarity(f, Frame(anna, "play", noun_np("piano")))
    two_off = similarity(f, Frame(ben, "play", noun_np("piano")))
    nothing = similarity(f, Frame(noun_np("dog"), "bark", tense="present", negated=True))
    assert 5.0 > one_off > two_off > nothing >= 0.0


# --------------------------------------------------------------------------- documents


def test_pronouns_agree_and_follow_their_antecedent(docs: list[Document]) -> None:
    links = 0
    for d in docs:
        seen: dict[str, set[str]] = {}  # entity -> pronoun classes, as mentioned so far
        for i, s in enumerate(d.sentences):
            for p in s.pronouns:
                entity = d.entity(p.entity)
                assert p.pronoun.lower() in lx.PRONOUNS[entity.pronoun].values(), (s.text, p)
                assert s.text[p.start:p.end] == p.pronoun
                same = p.antecedent_sentence == i
                before = p.antecedent_sentence < i or (same and p.antecedent_end <= p.start)
                assert before, (d.text, p)
                ante = d.sentences[p.antecedent_sentence]
                named = [m for m in ante.mentions if m.entity == p.entity and not m.pronoun
                         and (m.start, m.end) == (p.antecedent_start, p.antecedent_end)]
                assert named, (d.text, p)
                rivals = [e for e, cls in seen.items() if e != p.entity and entity.pronoun in cls]
                assert not rivals, (d.text, p, rivals)  # no other given entity takes the same pronoun
                links += 1
            for m in s.mentions:
                if m.entity:
                    seen.setdefault(m.entity, set()).update(referent_class(d.entity(m.entity).np))
    assert links > 200


def test_a_document_keeps_to_one_topic_and_its_cast(docs: list[Document]) -> None:
    topics = Counter(d.topic for d in docs)
    assert len(topics) == len(lx.TOPICS)
    for d in docs:
        cast_ids = {e.id for e in d.entities}
        for s in d.sentences:
            for np in iter_nps(s.frame):
                if np.is_name:
                    assert np.entity in cast_ids, (d.text, np.head)
                else:
                    assert lx.NOUNS[np.head].topic == d.topic, (d.topic, np.head, s.text)
    # consecutive sentences share the cast: in a document of 4 or more sentences, some sentence
    # mentions an entity seen before (a document whose every sentence meets a new cast member is
    # possible, and rarer than 1 in 100)
    long = [[{m.entity for m in s.mentions if m.entity} for s in d.sentences] for d in docs
            if len(d.sentences) >= 4]
    linked = [sum(bool(ents[i] & set().union(*ents[:i])) for i in range(1, len(ents))) >= 1 for ents in long]
    assert sum(linked) >= 0.99 * len(long)


def test_documents_do_not_contradict_themselves(docs: list[Document]) -> None:
    for d in docs[:150]:
        frames = [s.frame for s in d.sentences]
        for i, a in enumerate(frames):
            for b in frames[i + 1:]:
                assert not contradicts(a, b), d.text


def test_document_text_and_offsets(docs: list[Document]) -> None:
    for d in docs[:50]:
        text = document_text(d)
        for s, off in zip(d.sentences, sentence_offsets(d), strict=True):
            assert text[off:off + len(s.text)] == s.text
            assert s.text[0].isupper() and s.text.endswith(".")


def test_phenomena_all_occur(docs: list[Document]) -> None:
    frames = [s.frame for d in docs for s in d.sentences]
    texts = " ".join(document_text(d) for d in docs)
    assert sum(f.negated or f.quantifier == "no" for f in frames) > 50
    assert sum(f.voice == "passive" for f in frames) > 50 and " by " in texts
    assert sum(quantified(f) is not None for f in frames) > 30
    assert sum(any(np.relative for np in iter_nps(f)) for f in frames) > 30
    assert sum(isinstance(f.agent, Coord) for f in frames) > 20
    assert sum(f.copula for f in frames) > 50
    assert sum(f.progressive for f in frames) > 10
    assert ", " in texts and any(w in texts.split() for w in ("his", "her", "its", "their"))


def test_documents_average_more_than_five_sentences() -> None:
    # generation speed is measured by the corpus build (its progress line), not in a timed test
    docs = generate_documents(SyntheticConfig(seed=0, n_documents=3600))
    assert sum(len(d.sentences) for d in docs) >= 19_000


# --------------------------------------------------------------------------- builders


def balanced(labels: list[object], tolerance: float = 0.10) -> Counter[object]:
    counts = Counter(labels)
    share = 1 / len(counts)
    for c in counts.values():
        assert abs(c / len(labels) - share) <= tolerance, counts
    return counts


def draw(builder: Callable[[random.Random], object], n: int = N) -> list:  # type: ignore[type-arg]
    rng = random.Random(f"test/{builder.__name__}")
    return [builder(rng) for _ in range(n)]


def test_builders_are_deterministic() -> None:
    for builder in (B.sentiment_example, B.entailment_pair, B.extractive_qa, B.word_sense_pair):
        assert draw(builder, 20) == draw(builder, 20)


def test_sentiment_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    examples = draw(B.sentiment_example)
    balanced([e.label for e in examples])
    polar = {}
    for table in (lx.ADJECTIVES, lx.ADVERBS):
        polar.update({e.word: e.sentiment for e in table.values() if e.sentiment})
    for v in lx.VERBS.values():
        if v.sentiment:
            polar.update({w: v.sentiment for w in (v.base, v.s3, v.past, v.pp, v.ing)})
    checked = 0
    for e in examples:  # an independent reading: the one sentiment word of the last clause, flipped by "not"
        clause = e.text.split(", but ")[-1].rstrip(".").split()
        words = [polar[w] for w in clause if w in polar]
        if len(words) == 1 and "patient" not in clause:
            expected = words[0] * (-1 if "not" in clause else 1)
            assert e.label == int(expected > 0), e
            checked += 1
    assert checked > 800
    assert any(", but " in e.text for e in examples) and any(" not " in e.text for e in examples)


def test_entailment_pairs_are_balanced_and_follow_the_semantics() -> None:
    rng = random.Random("nli")
    triples = [B.entailment_frames(rng) for _ in range(N)]
    balanced([label for _, _, label in triples])
    for p, h, label in triples:
        assert relation(p, h) == label
    examples = draw(B.entailment_pair, 200)
    assert all(e.premise != e.hypothesis for e in examples)


def test_paraphrase_pairs() -> None:
    rng = random.Random("mrpc")
    triples = [B.paraphrase_frames(rng) for _ in range(N)]
    balanced([same for _, _, same in triples])
    for a, b, same in triples:
        assert equivalent(a, b) == same
        if same:
            assert relation(a, b) == relation(b, a) == "entailment"


def test_similarity_pairs_spread_over_the_scale() -> None:
    rng = random.Random("sts")
    triples = [B.similarity_frames(rng) for _ in range(N)]
    scores = [s for _, _, s in triples]
    balanced([s >= 2.5 for s in scores])
    bands = Counter(min(int(s), 4) for s in scores)
    assert all(0.1 <= bands[b] / N <= 0.3 for b in range(5)), bands
    for a, b, s in triples:
        assert 0.0 <= s <= 5.0 and similarity(a, b) == s
        assert (s == 5.0) == equivalent(a, b)


def test_acceptability_examples() -> None:
    examples = draw(B.acceptability_example)
    balanced([e.acceptable for e in examples])
    bad = [e.text for e in examples if not e.acceptable]
    good = {e.text for e in examples if e.acceptable}
    assert not good & set(bad)
    assert any(" the." in t or " the," in t or " a." in t for t in bad)  # word order: "violin the"


def test_coreference_examples() -> None:
    examples = draw(B.coreference_example)
    balanced([e.refers for e in examples])
    for e in examples:
        words = e.text.split()
        assert words[e.pronoun_index].strip(".,").lower() == e.pronoun.lower()
        assert words[e.candidate_index].lower() == e.candidate.split()[0].lower()
        assert e.pronoun.lower() in ("he", "she")
        assert " because " in e.text


def test_word_sense_pairs() -> None:
    examples = draw(B.word_sense_pair)
    balanced([e.same_sense for e in examples])
    poly = lx.polysemous_words()
    for e in examples:
        assert e.word in poly
        forms = {e.word}
        for pos, key in poly[e.word]:
            if pos == "verb":
                v = lx.VERBS[key]
                forms |= {v.base, v.s3, v.past, v.pp, v.ing}
        for sentence, (start, end) in zip((e.sentence1, e.sentence2), e.spans, strict=True):
            assert sentence[start:end].lower() in forms, (sentence, e.spans)
    assert len({e.word for e in examples}) == len(poly)


def test_boolean_questions() -> None:
    rng = random.Random("boolq")
    triples = [B.boolean_question_frames(rng) for _ in range(N)]
    balanced([answer for _, _, answer in triples])
    for doc, question, answer in triples:
        verdicts = {relation(s.frame, question) for s in doc.sentences}
        assert ("entailment" if answer else "contradiction") in verdicts
        assert ("contradiction" if answer else "entailment") not in verdicts
    for e in draw(B.boolean_question, 50):
        assert e.question.endswith("?") and e.question[0].isupper()


def test_causal_choices() -> None:
    examples = draw(B.causal_choice)
    balanced([e.label for e in examples])
    balanced([e.question for e in examples])
    assert all(e.choice1 != e.choice2 and e.premise not in (e.choice1, e.choice2) for e in examples)


def test_extractive_qa() -> None:
    examples = draw(B.extractive_qa)
    balanced([e.is_impossible for e in examples])
    for e in examples:
        assert e.question.endswith("?") and e.question.split()[0] in ("Who", "What", "Where")
        if e.is_impossible:
            assert e.answers == ()
        else:
            assert e.answers
            for a in e.answers:
                assert e.context[a.start:a.start + len(a.text)] == a.text
                assert a.text.lower() not in {f for forms in lx.PRONOUNS.values() for f in forms.values()}


def test_extractive_qa_off_topic_questions_share_no_participant_with_the_context() -> None:
    examples = draw(lambda rng: B.extractive_qa(rng, unanswerable="off_topic"))
    balanced([e.is_impossible for e in examples])
    names = set(lx.NAMES)
    for e in examples:
        if e.is_impossible:
            asked = {w.strip("?.,") for w in e.question.split()} & names
            assert not asked & {w.strip("?.,") for w in e.context.split()}
        else:
            assert all(e.context[a.start:a.start + len(a.text)] == a.text for a in e.answers)


def test_extractive_qa_rejects_an_unknown_design() -> None:
    with pytest.raises(ValueError, match="off_topic"):
        B.extractive_qa(random.Random(0), unanswerable="adversarial")
