"""The sandbox's data model: what a run may use (:class:`Limits`), how it ended (:class:`RunResult`) and the
sandbox's own failure (:class:`SandboxError`). :mod:`.sandbox` is the public door to all three."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one run may use (the defaults suit a judge: generous for a correct solution, short for a hang)."""

    wall_s: float = 10.0  # wall clock, kept by the parent
    cpu_s: float = 10.0  # RLIMIT_CPU, rounded up to whole seconds
    memory_mb: int = 1024  # RLIMIT_AS (Java: see .sandbox's docstring); the stack may use min(this, 256 MB)
    output_bytes: int = 1_000_000  # for stdout and for stderr, each
    processes: int = 64  # RLIMIT_NPROC: processes and threads, as Linux counts them
    file_size_mb: int = 16  # RLIMIT_FSIZE: the largest file the program may write
    disk_mb: int = 64  # size of the run's working directory (a tmpfs of its own when isolated)
    inodes: int = 4096  # files and directories the working directory may hold (isolated)
    open_files: int = 64  # RLIMIT_NOFILE


COMPILE_LIMITS = Limits(
    wall_s=30.0, cpu_s=30.0, memory_mb=2048, output_bytes=65536, processes=64, disk_mb=256, open_files=256
)


@dataclass(frozen=True)
class RunResult:
    """How a run ended. ``status``: ``"ok"`` (exit 0), ``"error"`` (non-zero exit or a signal),
    ``"timeout"`` (wall or CPU time), ``"memory"``, ``"output_limit"``, ``"compile_error"`` or
    ``"unavailable"`` (no toolchain for the language, or no isolation and no opt-in: see
    :func:`.sandbox.isolation_report`)."""

    status: str
    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float
    detail: str


class SandboxError(RuntimeError):
    """The sandbox itself could not be set up or torn down: a fault of the host, never of the program."""
