"""The sandbox's uids and the processes that run as them: the pool (:func:`sandbox_uids`), a slot of it
held for one run (:func:`uid_slot`), and sweeping every process of a uid (:func:`sweep`, through
:mod:`._killer`)."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from ._run_model import SandboxError

# The sandbox's uids (and gids) are UID_BASE .. UID_BASE + UID_SLOTS - 1: far from accounts, subordinate-id
# ranges and the 64000.. range of earlier versions, whose sweep of "every process of the uid" would
# otherwise kill this version's runs when both run on one machine.
UID_BASE = 2_000_064_000
UID_SLOTS = 64
_SWEEPS = 10  # rounds of "kill every process of the sandbox uid" before giving up
# Run as root with a sandbox uid as its argument: becomes that uid, so kill(-1) reaches all its processes.
_KILLER = Path(__file__).with_name("_killer.py")


@cache
def sandbox_uids() -> tuple[int, ...]:
    """The uids programs run as when the parent is root: the pool, less any uid that names an account or
    that this process's user namespace does not map (root of a rootless container maps only a range;
    without a pool uid, an isolated run maps the caller's own uid, as for a normal user)."""
    mapped = [_id_ranges(f"/proc/self/{kind}_map") for kind in ("uid", "gid")]
    uids = []
    for uid in range(UID_BASE, UID_BASE + UID_SLOTS):
        if not all(any(lo <= uid < hi for lo, hi in ranges) for ranges in mapped):
            continue
        try:
            pwd.getpwuid(uid)
        except KeyError:
            uids.append(uid)
    return tuple(uids)


def _id_ranges(path: str) -> list[tuple[int, int]]:
    """The ids a uid_map or gid_map makes visible here, as half-open ranges."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return [(0, 2**32 - 1)]
    ranges = []
    for line in lines:
        inside, _, count = (int(x) for x in line.split())
        ranges.append((inside, inside + count))
    return ranges


@contextmanager
def uid_slot(isolate: bool) -> Iterator[int | None]:
    """A pool uid for this run (``None`` when not root), held through an abstract Unix socket named after
    it: machine-wide whatever ``TMPDIR`` says, and released when its holder dies. Only a run without
    isolation kills what a crashed caller left under its uid (an isolated run's PID namespace ends
    everything it started), so no run ever kills processes of a uid another run holds."""
    if os.geteuid() != 0:
        yield None
        return
    uids = sandbox_uids()
    if not uids and isolate:
        yield None  # the run maps the caller's own uid
        return
    if not uids:
        raise SandboxError(f"no uid in {UID_BASE}..{UID_BASE + UID_SLOTS - 1} is free of accounts and mapped")
    while True:
        for uid in uids:
            holder = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                holder.bind(f"\0smepo-sandbox-uid-{uid}")
            except OSError:
                holder.close()
                continue
            try:
                if not isolate:
                    sweep(uid)  # processes a crashed caller left behind
                yield uid
            finally:
                holder.close()
            return
        if isolate:  # every uid held: runs in separate namespaces may share one
            yield uids[os.getpid() % len(uids)]
            return
        time.sleep(0.05)


def processes(uid: int) -> list[tuple[int, str, int]]:
    """``(pid, state, threads)`` of every process whose real uid is ``uid``."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", "rb") as f:
                fields = dict(line.split(b":", 1) for line in f.read().splitlines() if b":" in line)
        except OSError:
            continue  # gone meanwhile
        if int(fields[b"Uid"].split()[0]) == uid:
            found.append((int(entry.name), fields[b"State"].strip()[:1].decode(), int(fields[b"Threads"])))
    return found


def task_count(uid: int) -> int:
    return sum(threads for _, _, threads in processes(uid))


def sweep(uid: int) -> None:
    """Kill every live process of the sandbox uid (zombies wait for their reaper and are skipped)."""
    for _ in range(_SWEEPS):
        if not any(state != "Z" for _, state, _ in processes(uid)):
            return
        subprocess.run(
            [sys.executable, "-I", "-S", str(_KILLER), str(uid)],
            env={},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
        time.sleep(0.01)
    raise SandboxError(f"processes of sandbox uid {uid} survive SIGKILL")
