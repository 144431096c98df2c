"""What keeps a run folder whole when runs crash or overlap.

- One run at a time: the driver holds an exclusive ``flock`` on ``OUT/.smepo.lock`` for the whole run and
  writes its pid there; a second run into the same folder is refused ("another run, pid N, is writing
  here"). The kernel drops the lock when the holder dies, however it dies, so a ``kill -9`` never leaves a
  stale lock behind.
- A shard's files match its marker: ``OUT/_shards/NNNNN.json`` counts the rows the shard wrote and
  rejected; a done shard whose files do not open (footer) or do not hold those counts is run again, and
  ``_SUCCESS`` is written only once every shard's files match.
- Temporary names are unique per process (pid and a random part), so no two processes ever write the
  same temporary file.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOCK = ".smepo.lock"
#: files of a run folder that are not the run's output (an otherwise empty folder is a fresh one)
NOT_OUTPUT = {LOCK}


class FolderBusy(FileExistsError):
    """Another run holds the folder's lock."""


class RunLock:
    """An exclusive lock on ``folder`` for the life of the ``with`` block; raises :class:`FolderBusy` at
    once (never waits) when another process holds it."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise FolderBusy(f"another run, pid {holder}, is writing here ({self.path.parent})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor drops the lock; the file stays (no unlink race)
            self._fd = None


def temp_name(final: Path) -> Path:
    """A temporary name beside ``final`` that no other process uses: ``.NAME.PID-RANDOM.tmp``."""
    return final.with_name(f".{final.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")


def remove_temporaries(out: Path) -> None:
    """Drop what killed runs left half-written (only while holding the lock: no live writer owns them)."""
    for folder in ("data", "rejects", "_shards"):
        for tmp in (out / folder).glob(".*.tmp") if (out / folder).is_dir() else ():
            tmp.unlink(missing_ok=True)
    shutil.rmtree(out / "_pieces", ignore_errors=True)  # pieces of shards a killed run did not assemble


def shard_mismatch(out: Path, name: str, marker: dict[str, Any]) -> str | None:
    """Why shard ``name``'s files do not match its marker, or ``None`` when they do: each file's footer
    opens and the row counts are the marker's (rows written in ``data/``, rejected in ``rejects/``)."""
    from .io.readers import parquet_file

    for folder, key in (("data", "rows_out"), ("rejects", "rows_rejected")):
        rows = 0
        for f in sorted((out / folder).glob(f"part-{name}-*.parquet")):
            try:
                rows += parquet_file(f).metadata.num_rows
            except ValueError as e:
                return str(e)
        if rows != marker.get(key):
            return f"{folder}/ holds {rows} rows of shard {name}, its marker says {marker.get(key)}"
    return None


def done_shards(out: Path, names: list[str], events: Callable[[str], None]) -> set[str]:
    """The shards a previous run finished whose files match their marker; a marker whose files do not
    (a file cut short, another run's leftovers) is dropped, so its shard runs again."""
    done = set()
    for name in names:
        marker = out / "_shards" / f"{name}.json"
        if not marker.exists():
            continue
        why = shard_mismatch(out, name, json.loads(marker.read_text()))
        if why is None:
            done.add(name)
        else:
            events(f"shard {name}: {why}; running it again")
            marker.unlink()
    return done


def clear_shards(out: Path, names: list[str]) -> None:
    """Remove the final files of shards about to run (what a killed attempt renamed before its marker)."""
    for name in names:
        for folder in ("data", "rejects"):
            for f in (out / folder).glob(f"part-{name}-*.parquet") if (out / folder).is_dir() else ():
                f.unlink()
