"""Lightning checkpoints to resume from: checked whole before a run relies on one."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from nlpbench.errors import DataError


def check_lightning_checkpoint(path: Path, fresh: str | None = None) -> None:
    """Refuse a checkpoint that cannot be read back whole (truncated by a full disk or a kill while
    it was written, or not a checkpoint at all), naming the file and the way out: ``fresh`` is the
    override that starts the run afresh, when there is one."""
    why = _damage(path)
    if why is None:
        return
    way_out = (f"start the run afresh with `{fresh}` (the damaged folder is set aside, not deleted)"
               if fresh else "delete it, or point the run at another checkpoint")
    raise DataError(f"{path}: cannot resume from this Lightning checkpoint: {why}; {way_out}")


def _damage(path: Path) -> str | None:
    """What is wrong with the checkpoint at ``path``, or None (torch.save writes a zip archive)."""
    if not path.is_file():
        return "the file does not exist"
    if path.stat().st_size == 0:
        return "the file is empty"
    if not zipfile.is_zipfile(path):
        return "it is not a torch checkpoint archive (truncated, or another kind of file)"
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()  # reads every member and checks its CRC
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        return f"the archive is damaged ({err})"
    return f"member {bad!r} of the archive is damaged" if bad is not None else None


def set_aside(folder: Path) -> Path:
    """Rename ``folder`` to a hidden, timestamped sibling (kept for inspection) and return it."""
    aside = folder.with_name(f".{folder.name}.set-aside-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.rename(aside)
    return aside
