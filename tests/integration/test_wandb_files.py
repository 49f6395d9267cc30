"""The .wandb reader (nlpbench.tracking_files): chunk framing and checksums on hand-made logs, and a
real offline run written by wandb's own core (multi-chunk records included) read back."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from nlpbench.errors import DataError
from nlpbench.tracking_files import (
    BLOCK,
    FIRST,
    FULL,
    HEADER,
    LAST,
    MIDDLE,
    checksum,
    iter_payloads,
    read_run,
)


def write_log(payloads: list[bytes]) -> bytes:
    """A log laid out the way wandb's Go writer does it (header in block 0, zero-padded block
    tails shorter than a chunk header, records split FIRST / MIDDLE* / LAST across blocks)."""
    out = bytearray(HEADER)
    for payload in payloads:
        first, rest = True, payload
        while True:
            room = BLOCK - len(out) % BLOCK
            if room < 7:
                out += b"\0" * room
                room = BLOCK
            take = min(len(rest), room - 7)
            piece, rest = rest[:take], rest[take:]
            kind = (FULL if first else LAST) if not rest else (FIRST if first else MIDDLE)
            out += struct.pack("<IHB", checksum(kind, piece), len(piece), kind) + piece
            first = False
            if not rest:
                break
    return bytes(out)


def test_records_round_trip_across_blocks_and_padding() -> None:
    payloads = [b"small", os.urandom(70_000), b"", b"x" * (BLOCK - 7 - 7 - 5 - 3), b"after padding",
                os.urandom(BLOCK * 2 - 14)]
    data = write_log(payloads)
    assert len(data) > 4 * BLOCK
    assert list(iter_payloads(data)) == payloads


def test_checksum_is_ieee_crc32_of_type_and_payload() -> None:
    import zlib

    assert checksum(FULL, b"abc") == zlib.crc32(b"\x01abc")


def test_corruption_and_bad_headers_are_reported_with_the_offset() -> None:
    data = bytearray(write_log([b"one", b"two"]))
    data[7 + 7] ^= 0xFF  # first payload byte
    with pytest.raises(DataError, match=r"run.wandb: checksum mismatch in chunk at byte 7"):
        list(iter_payloads(bytes(data), "run.wandb"))
    with pytest.raises(DataError, match="not a W&B run file"):
        list(iter_payloads(b"LEVELDB" + bytes(data[7:])))
    lonely = HEADER + struct.pack("<IHB", checksum(LAST, b"z"), 1, LAST) + b"z"
    with pytest.raises(DataError, match="LAST chunk at byte 7 without a FIRST"):
        list(iter_payloads(lonely))


def test_a_run_still_being_written_reads_up_to_its_last_whole_record() -> None:
    data = write_log([b"one", b"two", b"three"])
    assert list(iter_payloads(data[:-2])) == [b"one", b"two"]


def test_a_real_offline_run_reads_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wandb

    monkeypatch.setenv("WANDB_SILENT", "true")
    big = "x" * 100_000  # one config record spanning four blocks
    run = wandb.init(project="p", dir=str(tmp_path), id="abc123def456", job_type="probe", group="g1",
                     mode="offline", config={"lr": 0.001, "nested": {"depth": 2}, "big": big},
                     settings=wandb.Settings(console="off", disable_git=True, x_disable_stats=True))
    for step in range(3):
        run.log({"val/accuracy": 0.5 + step / 10, "trainer/global_step": step * 10})
    run.summary["record_id"] = "rec-1"
    run_dir = Path(run.dir).parent
    run.finish()

    logged = read_run(run_dir)
    identity = (logged.run_id, logged.project, logged.job_type, logged.group)
    assert identity == ("abc123def456", "p", "probe", "g1")
    assert logged.config == {"lr": 0.001, "nested": {"depth": 2}, "big": big}
    assert [h["val/accuracy"] for h in logged.history] == pytest.approx([0.5, 0.6, 0.7])
    assert [h["trainer/global_step"] for h in logged.history] == [0, 10, 20]
    assert [h["_step"] for h in logged.history] == [0, 1, 2]
    assert logged.summary["record_id"] == "rec-1" and logged.summary["val/accuracy"] == pytest.approx(0.7)
    assert logged.exit_code == 0
    assert logged.record_types[0] == "header" and logged.record_types[-1] == "exit"
