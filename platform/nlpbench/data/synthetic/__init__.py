"""The synthetic language: a seeded English-like language whose meaning is exposed for gold labels.

Modules, one job each:

    lexicon     words, forms, meanings, topics, synonyms, antonyms, hypernyms, sentiment, senses
    grammar     morphology and agreement (forms, auxiliaries, pronouns, articles)
    semantics   Frame and friends; negate, paraphrase, entails, contradicts, relation, sentiment,
                similarity, pronoun resolution
    realisation frame -> sentence or question, with the span of every mention
    sampling    selection indexes and random well-formed phrases and frames
    generator   SyntheticConfig -> documents (one topic and cast each, pronouns for given entities)
    knowledge   coreference schemas and causal links (ground truth for WSC and COPA stand-ins)
    builders    labelled examples for every benchmark stand-in

Standard library only; importing this package is cheap.
"""

from nlpbench.data.synthetic.generator import (
    DEFAULT_PHENOMENA,
    GENERATOR_VERSION,
    Document,
    PronounLink,
    Sentence,
    SyntheticConfig,
    document_text,
    generate_document,
    generate_documents,
)
from nlpbench.data.synthetic.realisation import (
    Realisation,
    Style,
    realise,
    realise_question,
    realise_with_mentions,
)
from nlpbench.data.synthetic.semantics import (
    NP,
    Coord,
    Entity,
    Frame,
    Place,
    Relative,
    contradicts,
    entails,
    equivalent,
    negate,
    paraphrase,
    relation,
    resolve_pronoun,
    sentiment,
    similarity,
)

__all__ = [
    "DEFAULT_PHENOMENA", "GENERATOR_VERSION", "NP", "Coord", "Document", "Entity", "Frame", "Place",
    "PronounLink", "Realisation", "Relative", "Sentence", "Style", "SyntheticConfig", "contradicts",
    "document_text", "entails", "equivalent", "generate_document", "generate_documents", "negate",
    "paraphrase", "realise", "realise_question", "realise_with_mentions", "relation", "resolve_pronoun",
    "sentiment", "similarity",
]
