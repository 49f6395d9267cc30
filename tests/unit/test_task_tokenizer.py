"""A fine-tuning task's tokenizer is trained once per texts and settings, then reused from the cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nlpbench.config import compose_config
from nlpbench.models.tokenizers import task_tokenizer, tokenizer_cache
from tests._steps import TEXTS

SCRIPT = """
import sys
from pathlib import Path
from nlpbench.config import compose_config
from nlpbench.models.tokenizers import task_tokenizer, tokenizer_cache
from tests._steps import TEXTS
spec = compose_config("finetune", ["model.tokenizer.vocab_size=120"]).typed.model.tokenizer
with tokenizer_cache(Path(sys.argv[1])):
    tok = task_tokenizer(spec, list(TEXTS))
print(sorted(tok.get_vocab().items()))
"""


def test_the_cache_gives_every_process_the_same_tokenizer(tmp_path: Path) -> None:
    runs = [subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parents[2]).stdout for _ in range(2)]
    assert runs[0] == runs[1] and runs[0].startswith("[(")
    [entry] = [p for p in tmp_path.iterdir()]
    assert entry.name.startswith("task-wordpiece-") and (entry / "tokenizer.json").is_file()


def test_other_texts_or_settings_get_their_own_entry(tmp_path: Path) -> None:
    spec = compose_config("finetune", ["model.tokenizer.vocab_size=120"]).typed.model.tokenizer
    with tokenizer_cache(tmp_path):
        first = task_tokenizer(spec, list(TEXTS))
        again = task_tokenizer(spec, list(TEXTS))
        task_tokenizer(spec, [*TEXTS, "a new sentence ."])
        task_tokenizer(spec.model_copy(update={"vocab_size": 110}), list(TEXTS))
    assert first.get_vocab() == again.get_vocab()
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) == 3
    assert first("the film")["input_ids"] == again("the film")["input_ids"]
