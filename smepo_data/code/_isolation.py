"""Whether this machine isolates the sandbox's runs: probed once per process by a trivial run
(:func:`isolation_report`), and what a run does without it (:func:`isolation_mode`: ``unavailable``, unless
:data:`UNISOLATED_ENV` opts in, warned loudly once per process)."""

from __future__ import annotations

import os
import sys
import warnings
from functools import cache

from ._cgroup import describe
from ._run import execute
from ._run_model import Limits, RunResult, SandboxError
from ._uids import UID_BASE, UID_SLOTS, sandbox_uids

UNISOLATED_ENV = "SMEPO_SANDBOX_ALLOW_UNISOLATED"  # "1": run without namespaces where they cannot be had


def isolation_report() -> dict[str, object]:
    """What isolation this machine gives the sandbox (probed once per process by a trivial run):
    ``isolated``, ``reason`` (why not), ``namespaces``, ``uid`` (what programs run as), ``cgroup`` and
    ``unisolated_opt_in`` (whether :data:`UNISOLATED_ENV` allows runs without isolation)."""
    isolated, reason = _probe()
    pooled = os.geteuid() == 0 and bool(sandbox_uids())
    pool = f"a pool uid ({UID_BASE}..{UID_BASE + UID_SLOTS - 1})"
    return {
        "isolated": isolated,
        "reason": reason,
        "namespaces": "user, mount, pid, network, ipc, uts" if isolated else "none",
        "uid": f"uid 0 of a user namespace, mapped to {pool if pooled else f'uid {os.getuid()}'}"
        if isolated
        else (pool if pooled else f"the caller's uid {os.getuid()}"),
        "root": "a tmpfs with read-only binds of the toolchain" if isolated else "the host's",
        "cgroup": describe() if isolated else "none (per-process limits only)",
        "unisolated_opt_in": os.environ.get(UNISOLATED_ENV) == "1",
    }


@cache
def _probe() -> tuple[bool, str]:
    command = [os.path.realpath(sys.executable), "-I", "-S", "-c", "print('ok')"]
    try:
        r = execute(command, {}, b"", Limits(wall_s=30.0, cpu_s=10.0), 512, isolate=True)
    except (SandboxError, OSError) as e:
        return False, str(e)
    if r.status == "ok" and r.stdout == "ok\n":
        return True, "namespaces, minimal root and limits set up"
    return False, r.detail.removeprefix("sandbox isolation unavailable: ")


def isolation_mode() -> bool | RunResult:
    """True: isolate; False: run without (opted in, warned); a RunResult: ``unavailable``, with why."""
    report = isolation_report()
    if report["isolated"]:
        return True
    if report["unisolated_opt_in"]:
        _warn_unisolated(str(report["reason"]))
        return False
    detail = (
        f"sandbox isolation unavailable: {report['reason']} ({UNISOLATED_ENV}=1 runs programs without it)"
    )
    return RunResult("unavailable", None, "", "", 0.0, detail)


@cache
def _warn_unisolated(reason: str) -> None:
    message = (
        f"SMEPO SANDBOX NOT ISOLATED ({UNISOLATED_ENV}=1): {reason}. Untrusted programs run with the "
        "network and the host's file system, under per-process limits only."
    )
    warnings.warn(message, RuntimeWarning, stacklevel=3)
    print(f"WARNING: {message}", file=sys.stderr, flush=True)
