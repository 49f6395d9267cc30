"""Corpus sources, the synthetic language, tokenizer training and pretraining formats."""

from nlpbench.registry import Registry

CORPORA = Registry("corpus")
CORPORA.register("synthetic", "nlpbench.data.sources:synthetic",
                 "seeded synthetic English-like language with exposed semantics (one topic per document)")
CORPORA.register("pydocs", "nlpbench.data.sources:pydocs",
                 "real English prose: the documentation topics shipped with this Python interpreter")
CORPORA.register("local", "nlpbench.data.sources:local",
                 "local .txt (blank-line blocks), .jsonl or .parquet files, one file or a folder")
CORPORA.register("hf", "nlpbench.data.sources:hf",
                 "a Hugging Face dataset by name or local dataset folder (only when named)")

TOKENIZERS = Registry("tokenizer")
TOKENIZERS.register("wordpiece", "nlpbench.data.tokenizers:wordpiece",
                    "BERT-style WordPiece with [CLS]/[SEP]/[MASK] specials")
TOKENIZERS.register("bpe", "nlpbench.data.tokenizers:bpe",
                    "character-level BPE on whitespace-split words, </w> end-of-word suffix")
TOKENIZERS.register("byte_bpe", "nlpbench.data.tokenizers:byte_bpe",
                    "byte-level BPE as in GPT-2 / RoBERTa (<s> </s> <mask>), no unknown tokens")
TOKENIZERS.register("unigram", "nlpbench.data.tokenizers:unigram",
                    "SentencePiece-style Unigram as in T5 / ALBERT, with <extra_id_N> sentinels")
