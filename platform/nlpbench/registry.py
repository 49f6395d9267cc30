"""Generic name -> component registry with lazy import and did-you-mean errors."""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from nlpbench.errors import UnknownComponentError


def did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> list[str]:
    """Closest matches of ``name`` among ``choices``, best first."""
    return difflib.get_close_matches(name, list(choices), n=3, cutoff=0.5)


@dataclass(frozen=True)
class Entry:
    """One registered component: its stable name, a one-line summary and where its code lives.

    ``target`` is ``"module:attribute"`` and is imported only when the component is used, so
    listing components never pays for torch or transformers. A component that is data (a task's
    YAML file) has a ``factory`` that reads it instead, and its file as ``target``.
    """

    kind: str
    name: str
    target: str
    summary: str
    version: int = 1
    meta: Mapping[str, Any] = field(default_factory=dict)
    factory: Callable[[], Any] | None = field(default=None, compare=False, repr=False)

    def load(self) -> Any:
        if self.factory is not None:
            return self.factory()
        module_name, _, attr = self.target.partition(":")
        module = importlib.import_module(module_name)
        return getattr(module, attr) if attr else module


class Registry:
    """Components of one kind (models, tasks, metrics, ...) keyed by a name that never changes."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Entry] = {}

    def register(
        self, name: str, target: str, summary: str, *, version: int = 1, **meta: Any
    ) -> Entry:
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        if ":" not in target:
            raise ValueError(f"{self.kind} {name!r}: target must be 'module:attribute', got {target!r}")
        entry = Entry(self.kind, name, target, summary, version, MappingProxyType(dict(meta)))
        self._entries[name] = entry
        return entry

    def register_data(self, name: str, path: str, summary: str, factory: Callable[[], Any],
                      **meta: Any) -> Entry:
        """Register a component read from the file ``path`` by ``factory`` when it is used."""
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice (again in {path})")
        entry = Entry(self.kind, name, path, summary, 1, MappingProxyType(dict(meta)), factory)
        self._entries[name] = entry
        return entry

    def get(self, name: str) -> Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownComponentError(self.unknown_message(name)) from None

    def unknown_message(self, name: str) -> str:
        names = self.names()
        hint = did_you_mean(name, names)
        msg = f"unknown {self.kind} {name!r}."
        if hint:
            msg += f" Did you mean {hint[0]!r}?"
        return msg + f" Registered {self.kind}s: {', '.join(names) or '(none)'}"

    def load(self, name: str) -> Any:
        return self.get(name).load()

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._entries)
