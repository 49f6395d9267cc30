"""ALBERT's partial cross-layer sharing (shared-attention, shared-FFN): tying layers, untying to save."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from nlpbench.errors import DataError

if TYPE_CHECKING:
    import torch

# The transformers config attribute (kept in config.json) that records a partial sharing mode. The
# model itself has one layer group per layer (num_hidden_groups = num_hidden_layers); the named
# sublayers of every layer are then the first layer's modules. Each sublayer keeps its LayerNorm:
# AlbertAttention holds the post-attention LayerNorm, full_layer_layer_norm follows the FFN.
CONFIG_KEY = "nlpbench_sharing"
SHARED: dict[str, tuple[str, ...]] = {
    "attention": ("attention",),
    "ffn": ("ffn", "ffn_output", "full_layer_layer_norm"),
}


def partial_mode(config: Any) -> str | None:
    """The partial sharing mode a transformers config records (None: all, none or not ALBERT)."""
    mode = getattr(config, CONFIG_KEY, None)
    return mode if mode in SHARED else None


def _encoders(model: torch.nn.Module) -> Iterator[tuple[str, list[torch.nn.Module]]]:
    """(mode, every AlbertLayer in order) of each ALBERT encoder inside ``model`` with a partial mode."""
    for module in model.modules():
        groups = getattr(module, "albert_layer_groups", None)
        mode = partial_mode(getattr(module, "config", None))
        if groups is not None and mode is not None:
            yield mode, [layer for group in groups for layer in group.albert_layers]


def apply_sharing(model: torch.nn.Module, *, loaded: bool = False) -> torch.nn.Module:
    """Ties the sublayers of ``model``'s partial sharing mode (read from its config) to the first
    layer's, wherever its ALBERT encoder sits (pretraining, MLM, task heads, bare AlbertModel); a
    no-op for every other model and mode. ``loaded``: the weights come from a checkpoint, whose
    copies must already be equal (saved under `untied`); a mismatch is a DataError, not a silent
    choice of one copy."""
    ties = [(layer, name, getattr(layers[0], name), index, mode)
            for mode, layers in list(_encoders(model)) for index, layer in enumerate(layers[1:], start=1)
            for name in SHARED[mode] if getattr(layer, name) is not getattr(layers[0], name)]
    for layer, name, shared, index, mode in ties if loaded else ():
        if not _equal(getattr(layer, name), shared):
            raise DataError(f"layer {index} has its own {name!r} weights, but the checkpoint's "
                            f"{CONFIG_KEY}={mode!r} says they are layer 0's (remove "
                            f"{CONFIG_KEY} from its config.json to load the layers unshared)")
    for layer, name, shared, _, _ in ties:  # all checked first: a refused model is left as it was
        setattr(layer, name, shared)
    return model


@contextmanager
def untied(model: torch.nn.Module) -> Iterator[torch.nn.Module]:
    """``model`` with its shared sublayers replaced by copies, for ``save_pretrained`` (which refuses
    shared tensors it does not know as tied); re-tied on exit. Nested uses are harmless: only the
    sublayers found tied are untied, and only those are tied again."""
    restore: list[tuple[torch.nn.Module, str, torch.nn.Module]] = []
    try:
        for mode, layers in list(_encoders(model)):
            first = layers[0]
            for layer in layers[1:]:
                for name in SHARED[mode]:
                    shared = getattr(first, name)
                    if getattr(layer, name) is shared:
                        setattr(layer, name, copy.deepcopy(shared))
                        restore.append((layer, name, shared))
        yield model
    finally:
        for layer, name, shared in restore:
            setattr(layer, name, shared)


def _equal(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    import torch

    left, right = a.state_dict(), b.state_dict()
    return left.keys() == right.keys() and all(torch.equal(left[k], right[k]) for k in left)
