"""Run one untrusted program (Python, C++ or Java) in isolation and say how it ended.

The code verifier runs programs it did not write: code left visible in a masked trace (the leak audit) and,
later, a policy's completions (the RL reward). Either may loop, fork, allocate, print without end, read
secrets or write where it should not, so every run goes through the layers below. Each is tested in
``tests/test_code_sandbox.py`` and, against hostile programs in three modes of the caller,
``tests/test_hostile_programs.py``.

* **Isolation or nothing** (:func:`isolation_report`). Every run gets new user, mount, PID, network, IPC
  and UTS namespaces through an unprivileged user namespace, so root, a normal user and a container
  without ``CAP_SYS_ADMIN`` get the same: inside, the program is uid 0 of its own user namespace (mapped to
  a pool uid, :func:`sandbox_uids`, when the caller is root, else to the caller's uid) with every
  capability dropped, the bounding set included, and ``PR_SET_NO_NEW_PRIVS``. Where that cannot be set
  up, a run is ``unavailable`` and says why, unless ``SMEPO_SANDBOX_ALLOW_UNISOLATED=1`` opts in (warned
  loudly, once per process) to the old per-process layers alone.
* **A minimal root**: a tmpfs holding read-only, nosuid, nodev binds of ``/usr`` (and the ``/bin``,
  ``/lib`` ... links), a few files of ``/etc`` the loaders read, the Python installation and the build
  directory; nothing else of the host (no ``/home``, ``/tmp``, ``/run``, ``/work``, data trees or
  sockets; where the Python installation lives under ``/root``, that folder holds only it). The working
  directory (also ``HOME`` and ``TMPDIR``) is a fresh tmpfs of ``disk_mb`` and ``inodes``; ``/dev``
  holds ``null``, ``zero``, ``full``, ``random``, ``urandom`` and its own ``/dev/shm``; ``/proc`` shows
  only the run's processes (``subset=pid``). Everything the program wrote lives in namespaces that die
  with the run: nothing the program made is removed on the host, so its depth or links cannot matter;
  the host side of a run is removed iteratively, never following a link, never raising.
* **Limits** (:class:`Limits`): wall clock (measured here), CPU time (``RLIMIT_CPU``), address space
  (``RLIMIT_AS``), file size (``RLIMIT_FSIZE``), open files (``RLIMIT_NOFILE``), processes
  (``RLIMIT_NPROC``, which the kernel counts per user namespace, so per run) and output (stdout and
  stderr are read as they come and the run is killed once either passes ``output_bytes``). A JVM reserves
  far more address space than it uses, so Java gets its heap through ``-Xmx`` (a quarter of
  ``memory_mb``) and an address-space limit of ``memory_mb + JVM_RESERVE_MB``. Where the caller may make
  one (:mod:`._cgroup`), a cgroup per run also bounds the total memory and processes of the run; elsewhere
  the run's processes together may use up to ``processes`` x ``memory_mb``.
* **The PID namespace's init** reaps orphans and, once the program has ended, kills whatever it left;
  its own end takes every process of the run with it. SysV IPC objects die with the IPC namespace, files
  in ``/dev/shm`` with the run's tmpfs, a memfd with the last process holding it.
* **A minimal environment** built from scratch (``PATH``, ``LANG``, ``HOME``, ``TMPDIR``): no variable
  of the caller (tokens, keys, ``HF_*``, ``AWS_*`` ...) reaches the program.
* **For Python, an audit hook** (``sys.addaudithook``), installed by a bootstrap (:mod:`._bootstrap`)
  before the program's code runs, refuses writes outside the working directory, sockets, subprocesses,
  ``exec``, ``fork`` and ``ctypes``: defence in depth only, since Python code can reach around it.

Mechanics: the parent starts ``_launcher.py`` (``python -I -S``, in a new session) and never runs code
between ``fork`` and ``exec`` itself, so it stays thread-safe; the launcher's docstring gives the chain of
processes. On a timeout the parent kills the init (the kernel then kills everything in the namespace),
then the launcher's process group.

This module is the public door (building and running programs); the layers live by job beside it:
:mod:`._run_model` (:class:`Limits`, :class:`RunResult`, :class:`SandboxError`), :mod:`._isolation` (the
probe, the opt-in), :mod:`._toolchain` (the tools a language needs), :mod:`._run` (one run on the host's
side), :mod:`._launch` (starting the launcher and the exchange with it), :mod:`._uids` (the uid pool, its
slots and the kill sweep, run by :mod:`._killer`), :mod:`._scratch` (the host's scratch directories and
their removal) and :mod:`._cgroup`; :mod:`._launcher` and :mod:`._bootstrap` run in the run's processes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from ._isolation import UNISOLATED_ENV, isolation_mode, isolation_report
from ._launch import SAFE_PATH, close_fds
from ._run import execute
from ._run_model import COMPILE_LIMITS, Limits, RunResult, SandboxError
from ._scratch import remove, scratch_dir
from ._toolchain import LANGUAGES, tool, tools
from ._uids import UID_BASE, UID_SLOTS, sandbox_uids

__all__ = [
    "COMPILE_LIMITS",
    "JVM_RESERVE_MB",
    "LANGUAGES",
    "SAFE_PATH",
    "UID_BASE",
    "UID_SLOTS",
    "UNISOLATED_ENV",
    "Limits",
    "Program",
    "RunResult",
    "SandboxError",
    "available",
    "build",
    "isolation_report",
    "run_program",
    "sandbox_uids",
    "scratch_dir",
]

JVM_RESERVE_MB = 2048  # address space a JVM maps beyond its heap (class space, code cache, stacks)
# Run by the sandbox's Python before the program: compile it, install the audit hook, run it as __main__.
_BOOTSTRAP = Path(__file__).with_name("_bootstrap.py")


def available(language: str) -> bool:
    """Whether programs in ``language`` can run here: Python always (given an interpreter the sandbox
    uid can reach), C++ with ``g++`` on ``PATH``, Java with ``javac`` and ``java``."""
    return all(tool(name) for name in tools(language))


def run_program(
    language: str,
    source: str,
    *,
    stdin: str = "",
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
    files: dict[str, str] | None = None,
) -> RunResult:
    """Build (if needed) and run ``source`` once with ``stdin``; ``files`` (relative path -> text) are
    put in the working directory. Compiling runs in the sandbox too, under :data:`COMPILE_LIMITS`."""
    with build(language, source, limits=limits, files=files) as program:
        return program.run(stdin)


@contextmanager
def build(
    language: str,
    source: str,
    *,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
    files: dict[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[Program]:
    """Build ``source`` once (compile C++ or Java) and yield a :class:`Program` to run as often as
    needed, with ``args`` as its arguments; the build directory is removed on exit."""
    needed = {name: tool(name) for name in tools(language)}  # tools raises for an unknown language
    build_dir = Path(tempfile.mkdtemp(prefix=f"build-{os.getpid()}-", dir=scratch_dir()))
    try:
        build_dir.chmod(0o711)
        missing = [name for name, path in needed.items() if path is None]
        if missing:
            detail = f"no {' or '.join(missing)} that the sandbox can run"
            yield Program(
                language, [], limits, files or {}, RunResult("unavailable", None, "", "", 0.0, detail)
            )
        else:
            command, error = _prepare(language, source, build_dir, limits, needed)
            yield Program(language, [*command, *args], limits, files or {}, error)
    finally:
        remove(build_dir)


@dataclass(frozen=True)
class Program:
    """A built program. Each :meth:`run` is a fresh process in a fresh working directory; a program whose
    build failed (``error``) returns that error from every run."""

    language: str
    command: list[str]
    limits: Limits
    files: dict[str, str]
    error: RunResult | None = None

    def run(self, stdin: str = "", channel: tuple[int, int] | None = None) -> RunResult:
        """One run. ``channel``: two descriptors (read, write), handed over (closed here), that the
        program finds as descriptors 3 and 4: how two runs talk without sharing anything else."""
        if self.error is not None:
            for fd in channel or ():
                os.close(fd)
            return self.error
        memory_mb = self.limits.memory_mb + (JVM_RESERVE_MB if self.language == "java" else 0)
        mode = _mode(channel)
        if isinstance(mode, RunResult):
            return mode
        return execute(
            self.command, self.files, stdin.encode(), self.limits, memory_mb, channel=channel, isolate=mode
        )


def _prepare(
    language: str, source: str, build_dir: Path, limits: Limits, found: dict[str, str | None]
) -> tuple[list[str], RunResult | None]:
    """The command that runs the built program, and the build's failure, if any."""
    if language == "python":
        main, bootstrap = build_dir / "main.py", build_dir / _BOOTSTRAP.name
        main.write_text(source, encoding="utf-8")
        shutil.copyfile(_BOOTSTRAP, bootstrap)  # beside main.py: the jail binds the build directory only
        for path in (main, bootstrap):
            path.chmod(0o644)
        return [str(found["python"]), "-I", "-B", str(bootstrap), str(main)], None
    if language == "cpp":
        compiler = [str(found["g++"]), "-O2", "-std=c++17", "-o", "main", "main.cpp"]
        error = _compile(compiler, {"main.cpp": source}, build_dir, COMPILE_LIMITS.memory_mb)
        return [str(build_dir / "main")], error
    heap = max(limits.memory_mb // 4, 16)
    jvm = ["-XX:+UseSerialGC", "-XX:-UsePerfData"]
    compiler = [str(found["javac"]), "-J-Xmx512m", "-J-XX:TieredStopAtLevel=1", *(f"-J{o}" for o in jvm)]
    compiler += ["-encoding", "UTF-8", "-d", ".", "Main.java"]
    error = _compile(compiler, {"Main.java": source}, build_dir, COMPILE_LIMITS.memory_mb + JVM_RESERVE_MB)
    command = [str(found["java"]), f"-Xmx{heap}m", *jvm, "-Djava.io.tmpdir=.", "-cp", str(build_dir), "Main"]
    return command, error


def _compile(
    compiler: list[str], sources: dict[str, str], build_dir: Path, memory_mb: int
) -> RunResult | None:
    """Compile in the sandbox and copy the binary / class files into ``build_dir``; the failure if any."""
    mode = _mode(None)
    result = (
        mode
        if isinstance(mode, RunResult)
        else execute(compiler, sources, b"", COMPILE_LIMITS, memory_mb, keep=build_dir, isolate=mode)
    )
    if result.status == "ok":
        return None
    lines = result.stderr.splitlines()
    first = next((line for line in lines if "error" in line), lines[0] if lines else result.detail)
    return replace(result, status="compile_error", detail=f"compile error: {first.strip()[:300]}")


def _mode(channel: tuple[int, int] | None) -> bool | RunResult:
    """How this machine runs programs (:func:`._isolation.isolation_mode`); where the run will not happen
    (``unavailable``, or the probe raised), ``channel`` is closed here, as a run would have closed it."""
    try:
        mode = isolation_mode()
    except BaseException:
        close_fds(channel)
        raise
    if isinstance(mode, RunResult):
        close_fds(channel)
    return mode
