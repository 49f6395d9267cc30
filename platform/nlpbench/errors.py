"""The error types users see; each carries a message that says what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


class NlpbenchError(Exception):
    """Base of every user-facing error. The CLI prints ``str(err)`` and exits with ``exit_code``."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One configuration problem: the key, what is wrong, and the override that fixes it."""

    key: str
    message: str
    fix: str | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)

    def render(self) -> str:
        text = f"  - {self.key}: {self.message}"
        if self.choices:
            text += f"\n      valid choices: {', '.join(self.choices)}"
        if self.fix:
            text += f"\n      fix: {self.fix}"
        return text


class ConfigError(NlpbenchError):
    """The composed configuration is invalid; lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem], header: str = "invalid configuration") -> None:
        self.problems = list(problems)
        n = len(self.problems)
        lines = [f"{header} ({n} problem{'s' if n != 1 else ''}):"]
        lines += [p.render() for p in self.problems]
        super().__init__("\n".join(lines))


class UnknownComponentError(NlpbenchError):
    """A registered-name lookup failed."""


class DataError(NlpbenchError):
    """An input file is missing or malformed; the message names the file and line."""


class StoreError(NlpbenchError):
    """The results store cannot be opened, read or written."""


class DuplicateRunError(StoreError):
    """A record with this id is already in the store (records are append-only)."""


class TrainingError(NlpbenchError):
    """Training stopped for a reason the user should see (for example a non-finite loss)."""

    exit_code = 1
