"""`hf` corpus: `datasets.load_dataset`, used only when the user names a dataset (or local folder)."""

from __future__ import annotations

from collections.abc import Iterator

from nlpbench.data.documents import Document, split_sentences
from nlpbench.errors import DataError


def load_hf(name: str, config: str | None, revision: str | None, split: str,
            text_field: str) -> Iterator[Document]:
    """Documents from a hub dataset name or a local dataset folder, one per row."""
    import datasets

    try:
        data = datasets.load_dataset(name, config, revision=revision, split=split)
    except Exception as err:  # noqa: BLE001 - the hub and builders raise many types
        raise DataError(
            f"hf corpus {name!r} (config {config!r}, split {split!r}): cannot load: {err}"
        ) from None
    if text_field not in data.column_names:
        raise DataError(f"hf corpus {name!r}: no column {text_field!r}; columns are {data.column_names}")
    for row, text in enumerate(data[text_field]):
        if isinstance(text, str) and text.strip():
            yield Document(f"{name}/{split}/{row}", tuple(split_sentences(text)), {"row": row})
