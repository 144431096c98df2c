"""A mask run's output folder (:class:`RunFolder`: the one place that names its parts), and what keeps it
whole when runs crash or overlap.

    OUT/data/part-NNNNN-*.parquet      the masked rows          OUT/config.json  the resolved configuration
    OUT/rejects/part-NNNNN-*.parquet   every refused row        OUT/stats.json   the run's statistics
    OUT/_shards/NNNNN.json             a finished shard         OUT/_SUCCESS     the run finished
    OUT/_logs/NNNNN.log                a shard's log            OUT/_pieces/     pieces of unassembled shards

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


class _Part:
    """A part of a run folder, by name: ``RunFolder(out).data`` is ``out / "data"``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, folder: RunFolder, owner: type | None = None) -> Path:
        return folder.path / self.name


class RunFolder:
    """The parts of the run folder at ``path`` (none of them need exist)."""

    data = _Part("data")
    rejects = _Part("rejects")
    shards = _Part("_shards")
    logs = _Part("_logs")
    pieces = _Part("_pieces")
    config = _Part("config.json")
    stats = _Part("stats.json")
    success = _Part("_SUCCESS")

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"RunFolder({str(self.path)!r})"

    @property
    def outputs(self) -> tuple[Path, Path]:
        """The two folders of Parquet files every shard writes to: ``data/`` and ``rejects/``."""
        return self.data, self.rejects

    def marker(self, shard: str) -> Path:
        """Shard ``shard``'s completion marker."""
        return self.shards / f"{shard}.json"

    def mark_done(self, shard: str, stats: dict[str, Any]) -> None:
        """Mark shard ``shard`` done, once its files are written: its stats in its marker, written under a
        temporary name and renamed (a marker is whole or absent)."""
        marker = self.marker(shard)
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_name(marker)
        tmp.write_text(json.dumps(stats))
        os.replace(tmp, marker)

    def log(self, shard: str) -> Path:
        return self.logs / f"{shard}.log"

    def shard_files(self, folder: Path, shard: str) -> list[Path]:
        """Shard ``shard``'s final Parquet files in ``folder`` (:attr:`data` or :attr:`rejects`)."""
        return sorted(folder.glob(f"part-{shard}-*.parquet")) if folder.is_dir() else []

    def data_files(self) -> list[Path]:
        return sorted(self.data.glob("*.parquet"))

    def reject_files(self) -> list[Path]:
        return sorted(self.rejects.glob("*.parquet")) if self.rejects.is_dir() else []

    @property
    def finished(self) -> bool:
        """The run wrote ``_SUCCESS``: every shard's files match their marker."""
        return self.success.exists()

    def is_run(self) -> bool:
        """The folder is (or was being made into) an OUT_DIR of ``smepo-data mask``."""
        return self.path.is_dir() and self.data.is_dir() and (self.config.exists() or self.finished)

    def read_config(self) -> dict[str, Any]:
        return dict(json.loads(self.config.read_text()))

    def read_stats(self) -> dict[str, Any]:
        return dict(json.loads(self.stats.read_text()))


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
    run = RunFolder(out)
    for folder in (*run.outputs, run.shards):
        for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
            tmp.unlink(missing_ok=True)
    shutil.rmtree(run.pieces, ignore_errors=True)  # pieces of shards a killed run did not assemble


def shard_mismatch(out: Path, name: str, marker: dict[str, Any]) -> str | None:
    """Why shard ``name``'s files do not match its marker, or ``None`` when they do: each file's footer
    opens and the row counts are the marker's (rows written in ``data/``, rejected in ``rejects/``)."""
    from .io.readers import parquet_file

    run = RunFolder(out)
    for folder, key in zip(run.outputs, ("rows_out", "rows_rejected"), strict=True):
        rows = 0
        for f in run.shard_files(folder, name):
            try:
                rows += parquet_file(f).metadata.num_rows
            except ValueError as e:
                return str(e)
        if rows != marker.get(key):
            return f"{folder.name}/ holds {rows} rows of shard {name}, its marker says {marker.get(key)}"
    return None


def done_shards(out: Path, names: list[str], events: Callable[[str], None]) -> set[str]:
    """The shards a previous run finished whose files match their marker; a marker whose files do not
    (a file cut short, another run's leftovers) is dropped, so its shard runs again."""
    done = set()
    for name in names:
        marker = RunFolder(out).marker(name)
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
    run = RunFolder(out)
    for name in names:
        for folder in run.outputs:
            for f in run.shard_files(folder, name):
                f.unlink()
