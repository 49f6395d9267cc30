"""The run record (what one job wrote: config, provenance, metrics, outcome) and its config hash."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from nlpbench.errors import StoreError

STATUSES: tuple[str, ...] = ("ok", "failed")


def new_run_id() -> str:
    """A fresh 12-hex-digit run id."""
    return uuid.uuid4().hex[:12]


def utc_now() -> str:
    """The current time as ISO-8601 UTC with microseconds (sorts lexicographically)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def json_default(obj: Any) -> Any:
    """``json.dumps`` fallback for the few non-JSON types configs commonly carry."""
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=repr)
    if hasattr(obj, "item") and callable(obj.item):  # numpy / torch scalars
        return obj.item()
    raise TypeError(f"{type(obj).__name__} value {obj!r} is not JSON-serializable")


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no whitespace, non-ASCII kept."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=json_default
    )


def config_hash(config: dict[str, Any]) -> str:
    """The first 16 hex digits of the sha256 of ``config`` as canonical JSON."""
    return hashlib.sha256(canonical_json(config).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Metric:
    """One measured value: metric ``name`` on data ``split`` (e.g. accuracy on validation)."""

    name: str
    split: str
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "split": self.split, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metric:
        return cls(name=str(data["name"]), split=str(data["split"]), value=float(data["value"]))


@dataclass(kw_only=True)
class RunRecord:
    """Everything one job run leaves behind; written once, never changed.

    ``config_hash`` is computed from ``config`` when left empty.
    """

    id: str = field(default_factory=new_run_id)
    job: str
    status: str
    model: str | None = None
    task: str | None = None
    objective: str | None = None
    group: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    config_hash: str = ""
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    seed: int | None = None
    git_commit: str | None = None
    git_dirty: bool | None = None
    data_hashes: dict[str, str] = field(default_factory=dict)
    metrics: list[Metric] = field(default_factory=list)
    headline_metric: str | None = None
    headline_value: float | None = None
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    artifacts: dict[str, str] = field(default_factory=dict)
    command: str | None = None
    created_at: str = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if not self.config_hash:
            self.config_hash = config_hash(self.config)

    def metric(self, name: str, split: str | None = None) -> float | None:
        """The value of metric ``name`` (on ``split`` if given), or None if absent."""
        for m in self.metrics:
            if m.name == name and (split is None or m.split == split):
                return m.value
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (metrics as a list of dicts)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["metrics"] = [m.to_dict() for m in self.metrics]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        """Inverse of :meth:`to_dict`; unknown keys are an error, missing ones take defaults."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise StoreError(
                f"unknown run record field(s): {', '.join(unknown)}; "
                f"known fields: {', '.join(sorted(known))}"
            )
        kwargs = dict(data)
        kwargs["metrics"] = [
            m if isinstance(m, Metric) else Metric.from_dict(m) for m in data.get("metrics", [])
        ]
        return cls(**kwargs)


def validate(record: RunRecord) -> None:
    """Raise StoreError if ``record`` cannot be stored as it is."""
    problems: list[str] = []
    if not record.id or not isinstance(record.id, str):
        problems.append("id must be a non-empty string")
    if not record.job:
        problems.append("job must be a non-empty string such as 'finetune'")
    if record.status not in STATUSES:
        problems.append(f"status must be one of {', '.join(STATUSES)}, got {record.status!r}")
    for m in record.metrics:
        if not isinstance(m, Metric):
            problems.append(f"metrics must be Metric objects, got {type(m).__name__}")
        elif not is_number(m.value):
            problems.append(f"metric {m.name}/{m.split} value must be a number, got {m.value!r}")
    if problems:
        raise StoreError(f"cannot store run record {record.id!r}: " + "; ".join(problems))


def is_number(value: Any) -> bool:
    """True for ints, floats and numpy/torch scalars; False for text and booleans."""
    if isinstance(value, (str, bytes, bool)):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def float_or_nan(value: float | None) -> float:
    """SQLite stores NaN as NULL; read NULL metric values back as NaN."""
    return math.nan if value is None else float(value)
