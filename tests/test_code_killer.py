"""The sandbox's killer (smepo_data/code/_killer.py) run as the sweep runs it (by path, ``python -I -S``),
against processes of a sandbox uid that this test holds (so no concurrent run can be using it): it kills
every process of that uid and nothing else, and a caller that cannot become the uid kills nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smepo_data.code import _killer
from smepo_data.code._uids import processes, sweep, uid_slot

ROOT = os.geteuid() == 0
KILLER = os.path.realpath(_killer.__file__)
needs_root = pytest.mark.skipif(not ROOT, reason="becoming a sandbox uid needs root")


def _killer_run(uid: int, **as_user) -> subprocess.CompletedProcess:
    python = as_user.pop("python", sys.executable)
    return subprocess.run(
        [python, "-I", "-S", KILLER, str(uid)],
        env={},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **as_user,
    )


def _start_as(uid: int, *command: str) -> subprocess.Popen:
    return subprocess.Popen(list(command), user=uid, group=uid, extra_groups=[], cwd="/")


def _alive(uid: int) -> list[int]:
    return [pid for pid, state, _ in processes(uid) if state != "Z"]


def _gone(uid: int, within: float = 60) -> list[int]:
    """The live processes of ``uid`` once none is left or ``within`` seconds have passed (a process a
    SIGKILL hit shows as live until the kernel runs it into its exit)."""
    deadline = time.monotonic() + within
    while _alive(uid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return _alive(uid)


def _wait_for(uid: int, count: int) -> None:
    """Until ``count`` processes of ``uid`` run (a shell forks its child when it gets to it)."""
    deadline = time.monotonic() + 120
    while len(_alive(uid)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(_alive(uid)) == count


@pytest.fixture
def held_uid():
    """A pool uid held for this test, as a run without isolation holds it (swept on entry)."""
    with uid_slot(isolate=False) as uid:
        assert uid is not None
        yield uid
        sweep(uid)


@needs_root
def test_the_killer_kills_every_process_of_the_uid_and_no_other(held_uid):
    victims = [_start_as(held_uid, "sleep", "120") for _ in range(2)]
    # a grandchild that no one here waits for: the killer must reach it by uid, not by parentage
    victims.append(_start_as(held_uid, "sh", "-c", "sleep 120 & exec sleep 121"))
    bystander = subprocess.Popen(["sleep", "120"])  # root's, as the caller's own processes are
    try:
        _wait_for(held_uid, 4)
        done = _killer_run(held_uid)
        assert done.returncode == 0, done.stderr
        assert [v.wait(timeout=60) for v in victims] == [-signal.SIGKILL] * 3
        # the grandchild no one here waits for dies too, once the kernel runs it (a moment, on a busy machine)
        assert _gone(held_uid) == []
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
        for v in victims:
            v.kill()
            v.wait()


@needs_root
def test_a_killer_that_cannot_become_the_uid_signals_nothing(held_uid):
    python = shutil.which("python3", path="/usr/bin:/bin")
    parents = Path(KILLER).parents
    reachable = os.stat(KILLER).st_mode & 0o004 and all(os.stat(p).st_mode & 0o001 for p in parents)
    if python is None or not reachable:
        pytest.skip("no Python and checkout that a sandbox uid can reach")
    victim = _start_as(held_uid, "sleep", "120")
    try:
        # the killer as the uid itself: without CAP_SETGID it may not even drop its groups, so kill(-1)
        # (which would reach the victim) never runs
        done = _killer_run(held_uid, python=python, user=held_uid, group=held_uid, extra_groups=[])
        assert done.returncode == 1 and "PermissionError" in done.stderr
        assert victim.poll() is None and _alive(held_uid) == [victim.pid]
    finally:
        victim.kill()
        victim.wait()


@needs_root
def test_the_sweep_leaves_no_live_process_of_the_uid(held_uid):
    victims = [_start_as(held_uid, "sh", "-c", "sleep 120 & sleep 120 & wait") for _ in range(2)]
    try:
        _wait_for(held_uid, 6)
        sweep(held_uid)
        assert _alive(held_uid) == []
        assert [v.wait(timeout=60) for v in victims] == [-signal.SIGKILL] * 2
    finally:
        for v in victims:
            v.kill()
            v.wait()
