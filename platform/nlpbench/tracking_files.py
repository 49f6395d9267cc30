"""Read W&B offline run files (``run-<id>.wandb``) back: the record log and what a run logged.

wandb 0.31 writes them from its Go core and ships no Python reader. The layout (checked against
wandb's ``core/internal/stream/store.go`` and ``core/pkg/leveldb/record.go``, and against files
this wandb writes) is a LevelDB log:

- a 7-byte header ``:W&B`` + magic 0xBEE1 (uint16, little endian) + version 0, at the start of
  the first block;
- 32 KiB blocks of chunks, each a 7-byte chunk header -- checksum (uint32 LE), length
  (uint16 LE), type (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST) -- then ``length`` payload bytes;
  chunks never cross a block; a block tail too short for a header is zero padding;
- the checksum is the plain IEEE CRC-32 (zlib's) of the type byte and the payload; the store
  opens its writer with ``CRCAlgoIEEE``, not LevelDB's masked CRC-32C;
- a record's payload (one chunk, or FIRST + MIDDLE* + LAST) is a serialized
  ``wandb.proto.wandb_internal_pb2.Record``.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpbench.errors import DataError

HEADER = b":W&B" + struct.pack("<HB", 0xBEE1, 0)
BLOCK = 32 * 1024
CHUNK_HEADER = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def checksum(chunk_type: int, payload: bytes) -> int:
    """The chunk checksum W&B writes: IEEE CRC-32 of the type byte followed by the payload."""
    return zlib.crc32(payload, zlib.crc32(bytes([chunk_type]))) & 0xFFFFFFFF


def iter_payloads(data: bytes, where: str = "<bytes>") -> Iterator[bytes]:
    """The record payloads of a .wandb file's bytes, reassembled from their chunks, in order.

    Raises DataError (naming ``where`` and the byte offset) on a bad header, a checksum
    mismatch or a broken chunk sequence; a truncated final chunk (a run still writing) ends
    the iteration quietly.
    """
    if data[: len(HEADER)] != HEADER:
        raise DataError(f"{where}: not a W&B run file (header {data[:7]!r}, expected {HEADER!r})")
    pos = len(HEADER)
    pending: bytearray | None = None
    while pos < len(data):
        room = BLOCK - pos % BLOCK
        if room < CHUNK_HEADER:  # zero padding at the end of a block
            pos += room
            continue
        if pos + CHUNK_HEADER > len(data):
            return
        crc, length, kind = struct.unpack_from("<IHB", data, pos)
        if crc == 0 and length == 0 and kind == 0:  # zeroed rest of a block
            pos += room
            continue
        start, end = pos + CHUNK_HEADER, pos + CHUNK_HEADER + length
        if end > len(data):
            return
        if length > room - CHUNK_HEADER:
            raise DataError(f"{where}: chunk at byte {pos} overflows its 32 KiB block")
        payload = data[start:end]
        if checksum(kind, payload) != crc:
            raise DataError(f"{where}: checksum mismatch in chunk at byte {pos}")
        if kind == FULL:
            if pending is not None:
                raise DataError(f"{where}: FULL chunk at byte {pos} inside a multi-chunk record")
            yield payload
        elif kind == FIRST:
            if pending is not None:
                raise DataError(f"{where}: FIRST chunk at byte {pos} inside a multi-chunk record")
            pending = bytearray(payload)
        elif kind in (MIDDLE, LAST):
            if pending is None:
                raise DataError(f"{where}: {'MIDDLE' if kind == MIDDLE else 'LAST'} chunk at byte {pos} "
                                "without a FIRST")
            pending += payload
            if kind == LAST:
                yield bytes(pending)
                pending = None
        else:
            raise DataError(f"{where}: unknown chunk type {kind} at byte {pos}")
        pos = end


def read_records(path: str | Path) -> list[Any]:
    """Every ``wandb_internal_pb2.Record`` in the .wandb file at ``path``, in order."""
    from wandb.proto import wandb_internal_pb2 as pb

    path = Path(path)
    records = []
    for payload in iter_payloads(path.read_bytes(), str(path)):
        record = pb.Record()  # type: ignore[attr-defined]
        record.ParseFromString(payload)
        records.append(record)
    return records


@dataclass
class OfflineRun:
    """What a run logged, rebuilt from its .wandb file: identity, config, history rows, summary."""

    path: Path
    run_id: str = ""
    project: str = ""
    job_type: str = ""
    group: str = ""
    name: str = ""
    tags: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    exit_code: int | None = None
    record_types: list[str] = field(default_factory=list)

    @property
    def files_dir(self) -> Path:
        """The run's ``files/`` folder, where logged tables and images live."""
        return self.path.parent / "files"

    def table(self, key: str) -> dict[str, Any]:
        """The contents (``columns`` and ``data``) of the wandb.Table logged under ``key``."""
        ref = next((row[key] for row in self.history if isinstance(row.get(key), dict)), None)
        if ref is None or ref.get("_type") != "table-file":
            raise KeyError(f"no table logged under {key!r} in {self.path}")
        return json.loads((self.files_dir / ref["path"]).read_text())


def read_run(path: str | Path) -> OfflineRun:
    """The run logged in a .wandb file, or in the one .wandb file of a run folder."""
    path = Path(path)
    if path.is_dir():
        logs = sorted(path.glob("*.wandb"))
        if len(logs) != 1:
            raise DataError(f"{path}: expected one .wandb file in the run folder, found {len(logs)}")
        path = logs[0]
    run = OfflineRun(path=path)
    for record in read_records(path):
        kind = record.WhichOneof("record_type")
        run.record_types.append(kind or "")
        if kind == "run":
            r = record.run
            run.run_id, run.project, run.job_type = r.run_id, r.project, r.job_type
            run.group, run.name, run.tags = r.run_group, r.display_name, list(r.tags)
            for item in r.config.update:
                _put(run.config, item)
            for item in r.summary.update:
                _put(run.summary, item)
        elif kind == "config":
            for item in record.config.update:
                _put(run.config, item)
            for item in record.config.remove:
                run.config.pop(item.key, None)
        elif kind == "history":
            row: dict[str, Any] = {}
            for item in record.history.item:
                _put(row, item)
            run.history.append(row)
        elif kind == "summary":
            for item in record.summary.update:
                _put(run.summary, item)
            for item in record.summary.remove:
                run.summary.pop(item.key, None)
        elif kind == "files":
            run.files += [f.path for f in record.files.files]
        elif kind == "exit":
            run.exit_code = record.exit.exit_code
    run.config.pop("_wandb", None)
    return run


def _put(target: dict[str, Any], item: Any) -> None:
    """Set ``item`` (``key`` or ``nested_key`` path, ``value_json``) in ``target``."""
    keys = list(item.nested_key) or [item.key]
    value = _value(item)
    node = target
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            node[key] = child = {}
        node = child
    node[keys[-1]] = value


def _value(item: Any) -> Any:
    """An item's value: its ``value_json``, or (history items) the typed field that is set."""
    if item.value_json:
        return json.loads(item.value_json)
    which = item.WhichOneof("value") if "value" in item.DESCRIPTOR.oneofs_by_name else None
    if which is None or which == "none":
        return None
    value = getattr(item, which)
    return json.loads(value) if which == "json" else value
