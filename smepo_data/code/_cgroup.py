"""A cgroup per sandbox run: one memory and one process total for everything the run starts.

Made where the caller may: cgroup v2 when its own cgroup is writable and already delegates the ``memory``
and ``pids`` controllers to children (``memory.max``, ``memory.swap.max``, ``pids.max``), else cgroup v1
when the ``memory`` and ``pids`` hierarchies are writable (``memory.limit_in_bytes``, ``pids.max``).
Elsewhere (a normal user without delegation, a read-only ``/sys/fs/cgroup``) runs have per-process limits
only, and :func:`describe` says so. Never raises: a cgroup that cannot be made or removed is skipped.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_names = itertools.count()
_FILES = {  # version -> (memory limit, swap limit, process limit, file with the oom_kill count)
    "v2": ("memory.max", "memory.swap.max", "pids.max", "memory.events"),
    "v1": ("memory.limit_in_bytes", None, "pids.max", "memory.oom_control"),
}


@dataclass(frozen=True)
class RunCgroup:
    """The run's cgroup: ``procs`` are the files a process is moved in by writing its pid."""

    version: str
    dirs: tuple[Path, ...]

    @property
    def procs(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of the run for going over the memory total."""
        events = self.dirs[0] / _FILES[self.version][3]
        with suppress(OSError, ValueError):
            for line in events.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value) > 0
        return False


def describe() -> str:
    found = _parents()
    if found is None:
        return "none: no writable cgroup with memory and pids controllers (per-process limits only)"
    version, dirs = found
    return f"{version}: memory and pids totals per run, under {', '.join(map(str, dirs))}"


@contextmanager
def run_cgroup(memory_bytes: int, processes: int) -> Iterator[RunCgroup | None]:
    """A new cgroup with these totals, removed on exit; None where none can be made."""
    found = _parents()
    cgroup = None
    if found is not None:
        version, parents = found
        name = f"smepo-{os.getpid()}-{next(_names)}"
        cgroup = RunCgroup(version, tuple(p / name for p in parents))
        try:
            _create(cgroup, memory_bytes, processes)
        except OSError:
            _remove(cgroup)
            cgroup = None
    try:
        yield cgroup
    finally:
        if cgroup is not None:
            _remove(cgroup)


def _create(cgroup: RunCgroup, memory_bytes: int, processes: int) -> None:
    memory, swap, pids, _ = _FILES[cgroup.version]
    for d in cgroup.dirs:
        d.mkdir()
    memory_dir, pids_dir = cgroup.dirs[0], cgroup.dirs[-1]
    (memory_dir / memory).write_text(str(memory_bytes))
    if swap and (memory_dir / swap).exists():
        (memory_dir / swap).write_text("0")
    (pids_dir / pids).write_text(str(processes))


def _remove(cgroup: RunCgroup) -> None:
    """rmdir each directory; its last processes may take a moment to be gone."""
    deadline = time.monotonic() + 2.0
    for d in cgroup.dirs:
        while True:
            try:
                d.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)


@cache
def _parents() -> tuple[str, tuple[Path, ...]] | None:
    """Where run cgroups go: ``("v2", (dir,))`` or ``("v1", (memory dir, pids dir))``; None if nowhere."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return None
    own = {}  # controller ("" for v2) -> the caller's cgroup path
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            own[controller] = path
    points: dict[str, str] = {}  # controller ("" for v2) -> mount point
    for line in mounts:
        fields = line.split(" - ", 1)
        if len(fields) != 2:
            continue
        fstype, _, options = fields[1].split(" ")[:3]
        point = fields[0].split(" ")[4]
        if fstype == "cgroup2":
            points.setdefault("", point)
        elif fstype == "cgroup":
            for option in options.split(","):
                if option in ("memory", "pids"):
                    points.setdefault(option, point)
    v2 = _usable(points.get(""), own.get(""))
    if v2 is not None:
        enabled = (v2 / "cgroup.subtree_control").read_text().split() if v2.exists() else []
        if {"memory", "pids"} <= set(enabled):
            return "v2", (v2,)
    memory, pids = (
        _usable(points.get("memory"), own.get("memory")),
        _usable(points.get("pids"), own.get("pids")),
    )
    if memory is not None and pids is not None:
        return "v1", (memory, pids)
    return None


def _usable(point: str | None, path: str | None) -> Path | None:
    """The caller's cgroup directory under ``point`` if it is writable (in a cgroup namespace, the path
    is relative to the namespace's root: then ``point`` itself)."""
    if point is None or path is None:
        return None
    for candidate in (Path(point) / path.lstrip("/"), Path(point)):
        if candidate.is_dir() and os.access(candidate, os.W_OK):
            return candidate
    return None
