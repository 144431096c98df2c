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
"""

from __future__ import annotations

import json
import os
import pwd
import selectors
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TypedDict

from ._cgroup import RunCgroup, describe, run_cgroup

LANGUAGES = ("python", "cpp", "java")

# The sandbox's uids (and gids) are UID_BASE .. UID_BASE + UID_SLOTS - 1: far from accounts, subordinate-id
# ranges and the 64000.. range of earlier versions, whose sweep of "every process of the uid" would
# otherwise kill this version's runs when both run on one machine.
UID_BASE = 2_000_064_000
UID_SLOTS = 64
JVM_RESERVE_MB = 2048  # address space a JVM maps beyond its heap (class space, code cache, stacks)
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"

_CHUNK = 65536
_KILL_GRACE_S = 5.0  # how long the launcher gets to wind down after its PID namespace is killed
_SWEEPS = 10  # rounds of "kill every process of the sandbox uid" before giving up
_SHM_MB = 16  # the run's /dev/shm (see _launcher.py)
_LAUNCHER_MB = 64  # the launcher, keeper and init (Python processes) in the run's cgroup
_LAUNCHER_TASKS = 8
_MEMORY_MARKERS = (b"MemoryError", b"std::bad_alloc", b"java.lang.OutOfMemoryError")


@dataclass(frozen=True)
class Limits:
    """What one run may use (the defaults suit a judge: generous for a correct solution, short for a hang)."""

    wall_s: float = 10.0  # wall clock, kept by the parent
    cpu_s: float = 10.0  # RLIMIT_CPU, rounded up to whole seconds
    memory_mb: int = 1024  # RLIMIT_AS (Java: see the module docstring); the stack may use min(this, 256 MB)
    output_bytes: int = 1_000_000  # for stdout and for stderr, each
    processes: int = 64  # RLIMIT_NPROC: processes and threads, as Linux counts them
    file_size_mb: int = 16  # RLIMIT_FSIZE: the largest file the program may write
    disk_mb: int = 64  # size of the run's working directory (a tmpfs of its own when isolated)
    inodes: int = 4096  # files and directories the working directory may hold (isolated)
    open_files: int = 64  # RLIMIT_NOFILE


COMPILE_LIMITS = Limits(
    wall_s=30.0, cpu_s=30.0, memory_mb=2048, output_bytes=65536, processes=64, disk_mb=256, open_files=256
)
UNISOLATED_ENV = "SMEPO_SANDBOX_ALLOW_UNISOLATED"  # "1": run without namespaces where they cannot be had


@dataclass(frozen=True)
class RunResult:
    """How a run ended. ``status``: ``"ok"`` (exit 0), ``"error"`` (non-zero exit or a signal),
    ``"timeout"`` (wall or CPU time), ``"memory"``, ``"output_limit"``, ``"compile_error"`` or
    ``"unavailable"`` (no toolchain for the language, or no isolation and no opt-in: see
    :func:`isolation_report`)."""

    status: str
    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float
    detail: str


class SandboxError(RuntimeError):
    """The sandbox itself could not be set up or torn down: a fault of the host, never of the program."""


# Run by the sandbox's Python before the program: compile it, install the audit hook, run it as __main__.
_BOOTSTRAP = Path(__file__).with_name("_bootstrap.py")

# Run as root with a sandbox uid as argv[1]: become that uid, then kill(-1) reaches all its processes at once.
_KILLER = """
import os, signal, sys
uid = int(sys.argv[1])
os.setgroups([])
os.setgid(uid)
os.setuid(uid)
os.kill(-1, signal.SIGKILL)
"""


# ---------------------------------------------------------------------------------------------- public


def available(language: str) -> bool:
    """Whether programs in ``language`` can run here: Python always (given an interpreter the sandbox
    uid can reach), C++ with ``g++`` on ``PATH``, Java with ``javac`` and ``java``."""
    return all(_tool(name) for name in _tools(language))


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
    tools = {name: _tool(name) for name in _tools(language)}  # _tools raises for an unknown language
    build_dir = Path(tempfile.mkdtemp(prefix=f"build-{os.getpid()}-", dir=scratch_dir()))
    try:
        build_dir.chmod(0o711)
        missing = [name for name, path in tools.items() if path is None]
        if missing:
            detail = f"no {' or '.join(missing)} that the sandbox can run"
            yield Program(
                language, [], limits, files or {}, RunResult("unavailable", None, "", "", 0.0, detail)
            )
        else:
            command, error = _prepare(language, source, build_dir, limits, tools)
            yield Program(language, [*command, *args], limits, files or {}, error)
    finally:
        _remove(build_dir)


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
        return _execute(self.command, self.files, stdin.encode(), self.limits, memory_mb, channel=channel)


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
        r = _execute(command, {}, b"", Limits(wall_s=30.0, cpu_s=10.0), 512, isolate=True)
    except (SandboxError, OSError) as e:
        return False, str(e)
    if r.status == "ok" and r.stdout == "ok\n":
        return True, "namespaces, minimal root and limits set up"
    return False, r.detail.removeprefix("sandbox isolation unavailable: ")


def _isolation() -> bool | RunResult:
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


def scratch_dir() -> Path:
    """The directory every build and run directory is made in (and removed from), each named after the
    process that made it; empty between runs."""
    return _scratch(tempfile.gettempdir(), os.geteuid())


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


# -------------------------------------------------------------------------------------- preparation


def _tools(language: str) -> tuple[str, ...]:
    tools = {"python": ("python",), "cpp": ("g++",), "java": ("javac", "java")}
    if language not in tools:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    return tools[language]


def _tool(name: str) -> str | None:
    """The path of a tool the sandbox can run, or ``None``."""
    return _tool_for(name, bool(isolation_report()["isolated"]))


@cache
def _tool_for(name: str, isolated: bool) -> str | None:
    if name == "python" and isolated:
        return os.path.realpath(sys.executable)  # its installation is bound into the run's root
    if name == "python":
        candidates = [sys.executable]
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        candidates += [shutil.which(n, path=SAFE_PATH) or "" for n in (version, "python3")]
    else:
        candidates = [shutil.which(name) or ""]
    for path in candidates:
        if path and (os.geteuid() != 0 or _reachable(path)):
            return path
    return None


def _reachable(path: str) -> bool:
    """Whether a user owning nothing can execute ``path`` (and, for an interpreter, read its library)."""
    real = Path(os.path.realpath(path))
    needed = [real] + ([Path(sys.base_prefix)] if path == sys.executable else [])
    return all(os.stat(p).st_mode & stat.S_IXOTH for target in needed for p in (target, *target.parents))


def _prepare(
    language: str, source: str, build_dir: Path, limits: Limits, tools: dict[str, str | None]
) -> tuple[list[str], RunResult | None]:
    """The command that runs the built program, and the build's failure, if any."""
    if language == "python":
        main, bootstrap = build_dir / "main.py", build_dir / _BOOTSTRAP.name
        main.write_text(source, encoding="utf-8")
        shutil.copyfile(_BOOTSTRAP, bootstrap)  # beside main.py: the jail binds the build directory only
        for path in (main, bootstrap):
            path.chmod(0o644)
        return [str(tools["python"]), "-I", "-B", str(bootstrap), str(main)], None
    if language == "cpp":
        compiler = [str(tools["g++"]), "-O2", "-std=c++17", "-o", "main", "main.cpp"]
        error = _compile(compiler, {"main.cpp": source}, build_dir, COMPILE_LIMITS.memory_mb)
        return [str(build_dir / "main")], error
    heap = max(limits.memory_mb // 4, 16)
    jvm = ["-XX:+UseSerialGC", "-XX:-UsePerfData"]
    compiler = [str(tools["javac"]), "-J-Xmx512m", "-J-XX:TieredStopAtLevel=1", *(f"-J{o}" for o in jvm)]
    compiler += ["-encoding", "UTF-8", "-d", ".", "Main.java"]
    error = _compile(compiler, {"Main.java": source}, build_dir, COMPILE_LIMITS.memory_mb + JVM_RESERVE_MB)
    command = [str(tools["java"]), f"-Xmx{heap}m", *jvm, "-Djava.io.tmpdir=.", "-cp", str(build_dir), "Main"]
    return command, error


def _compile(
    compiler: list[str], sources: dict[str, str], build_dir: Path, memory_mb: int
) -> RunResult | None:
    """Compile in the sandbox and copy the binary / class files into ``build_dir``; the failure if any."""
    result = _execute(compiler, sources, b"", COMPILE_LIMITS, memory_mb, keep=build_dir)
    if result.status == "ok":
        return None
    lines = result.stderr.splitlines()
    first = next((line for line in lines if "error" in line), lines[0] if lines else result.detail)
    return replace(result, status="compile_error", detail=f"compile error: {first.strip()[:300]}")


# ---------------------------------------------------------------------------------------- execution


def _execute(
    command: list[str],
    files: dict[str, str],
    stdin: bytes,
    limits: Limits,
    memory_mb: int,
    keep: Path | None = None,
    channel: tuple[int, int] | None = None,
    isolate: bool | None = None,
) -> RunResult:
    """One run in a fresh working directory; with ``keep``, the run's regular files that the sources did
    not include (the compiler's output) are copied there after a successful run. ``channel`` (two file
    descriptors, handed over: this closes them) becomes the program's descriptors 3 and 4."""
    if isolate is None:
        try:
            mode = _isolation()
        except BaseException:
            _close(channel)
            raise
        if isinstance(mode, RunResult):
            _close(channel)
            return mode
        isolate = mode
    # The run's total: its processes' memory, what it may put in its tmpfs and /dev/shm, and the launcher's.
    total_mb = memory_mb + limits.disk_mb + _SHM_MB + _LAUNCHER_MB
    with (
        _uid_slot(isolate) as uid,
        run_cgroup(total_mb * 1024 * 1024, limits.processes + _LAUNCHER_TASKS) as cgroup,
    ):
        run_dir = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=scratch_dir()))
        try:
            paths = _prepare_run(run_dir, files, uid, isolate, keep is not None)
            result = _launch(command, paths, stdin, limits, memory_mb, uid, isolate, files, channel, cgroup)
            channel = None
            if keep is not None and result.status == "ok":
                _copy_out(paths["out_dir"] or paths["workdir"], keep, set(files), limits.file_size_mb)
            return result
        finally:
            _close(channel)
            _remove(run_dir)


def _close(fds: tuple[int, int] | None) -> None:
    for fd in fds or ():
        with suppress(OSError):
            os.close(fd)


class _RunPaths(TypedDict):
    """A run's directories, as the launcher's config names them."""

    workdir: str
    in_dir: str
    out_dir: str | None


def _prepare_run(
    run_dir: Path, files: dict[str, str], uid: int | None, isolate: bool, keep: bool
) -> _RunPaths:
    """The run's directories: ``in`` (the sources), ``work`` (the working directory: a mount point when
    isolated, the directory itself when not) and ``out`` (files kept)."""
    outer = uid if uid is not None else os.getuid()
    work, source = run_dir / "work", run_dir / "in"
    for d in (work, source):
        d.mkdir(mode=0o755)
    for name, text in files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"file names must be relative paths inside the working directory: {name!r}")
        target = source.joinpath(*rel.parts)
        target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o644)
    out = None
    if keep and isolate:
        out = run_dir / "out"
        out.mkdir(mode=0o700)
    for d in (run_dir, work, *([out] if out else [])):
        if outer != os.geteuid():
            os.chown(d, outer, outer)
    run_dir.chmod(0o700)
    return {"workdir": str(work), "in_dir": str(source), "out_dir": str(out) if out else None}


def _copy_out(src: str, keep: Path, sources: set[str], limit_mb: int) -> None:
    """Copy the regular files at the top of ``src`` (not the sources) into ``keep``, never through a link."""
    for entry in os.scandir(src):
        if entry.name in sources or not entry.is_file(follow_symlinks=False):
            continue
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit_mb * 1024 * 1024:
                continue
            with open(fd, "rb", closefd=False) as f, open(keep / entry.name, "xb") as out:
                shutil.copyfileobj(f, out)
            (keep / entry.name).chmod(0o755)
        finally:
            os.close(fd)


def _launch(
    command: list[str],
    paths: _RunPaths,
    stdin: bytes,
    limits: Limits,
    memory_mb: int,
    uid: int | None,
    isolate: bool,
    files: dict[str, str],
    channel: tuple[int, int] | None,
    cgroup: RunCgroup | None = None,
) -> RunResult:
    start = time.monotonic()
    read_end, write_end = os.pipe()
    config = {
        "report": write_end,
        "isolate": isolate,
        "root_caller": _may_set_groups(),
        "outer_uid": uid if uid is not None else os.getuid(),
        "outer_gid": uid if uid is not None else os.getgid(),
        "uid": None if isolate else uid,
        **paths,
        "binds": _binds(command) if isolate else [],
        "cgroup_procs": cgroup.procs if cgroup is not None and isolate else [],
        "stage": _stage(),
        "sources": sorted(files),
        "disk_mb": limits.disk_mb,
        "inodes": limits.inodes,
        "out_bytes": limits.file_size_mb * 1024 * 1024,
        "channel": list(channel) if channel else None,
        "rlimits": _rlimits(limits, memory_mb, uid, isolate),
    }
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-S",
                str(Path(__file__).with_name("_launcher.py")),
                json.dumps(config),
                *command,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_end, *(channel or ())),
            cwd=paths["in_dir"],
            env=_environment(Path(paths["workdir"])),
            start_new_session=True,
        )
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
        _close(channel)
    with proc, open(read_end, "rb", buffering=0) as report:
        exchange = _Exchange(proc, report.fileno(), stdin, limits.output_bytes, start + limits.wall_s)
        try:
            exchange.pump()
        finally:
            _end(proc, exchange.messages, None if isolate else uid)
    messages = exchange.messages
    errors = [m["error"] for m in messages if "error" in m]
    if errors:
        raise SandboxError(errors[0])
    unavailable = [m["unavailable"] for m in messages if "unavailable" in m]
    if unavailable:
        return RunResult("unavailable", None, "", "", 0.0, f"sandbox isolation unavailable: {unavailable[0]}")
    statuses = [m["status"] for m in messages if "status" in m]
    returncode = os.waitstatus_to_exitcode(statuses[0]) if statuses else None
    stdout, stderr = (bytes(b[: limits.output_bytes]) for b in exchange.output)
    status, detail = _classify(exchange.stopped, returncode, stderr, limits)
    if status == "error" and returncode == -signal.SIGKILL and cgroup is not None and cgroup.oom_killed():
        status, detail = "memory", f"killed by the kernel: the run's processes together passed {memory_mb} MB"
    notes = [m["note"] for m in messages if "note" in m]
    if notes:
        detail += f" [{'; '.join(notes)}]"
    if not isolate:
        detail += " [NOT ISOLATED: no namespaces; opted in]"
    return RunResult(
        status,
        returncode,
        stdout.decode(errors="replace"),
        stderr.decode(errors="replace"),
        round(time.monotonic() - start, 3),
        detail,
    )


_TOOLCHAIN = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d")


def _binds(command: list[str]) -> list[str]:
    """What an isolated run sees, read-only: the toolchain, a few files of ``/etc`` it reads, the Python
    installation and the directory of each absolute path in ``command`` (the build directory)."""
    wanted = [*_TOOLCHAIN, *(f"/etc/{n}" for n in _ETC)]
    wanted += sorted(str(p) for p in Path("/etc").glob("java-*"))
    wanted += [os.path.realpath(sys.base_prefix)]
    for arg in command:
        if arg.startswith("/"):
            real = Path(os.path.realpath(arg))
            wanted.append(str(real.parent.parent if real.parent.name == "bin" else real.parent))
    binds: list[str] = []
    for path in wanted:
        if not any(path == b or path.startswith(b.rstrip("/") + "/") for b in binds):
            binds.append(path)
    return binds


@cache
def _may_set_groups() -> bool:
    """Root whose user namespace allows setgroups (not in a rootless container that denies it): the run's
    namespace may then drop the supplementary groups; otherwise it must deny setgroups, as for a user."""
    try:
        allowed = Path("/proc/self/setgroups").read_text().strip() == "allow"
    except OSError:
        allowed = True
    return os.geteuid() == 0 and allowed


def _stage() -> str:
    """Where an isolated run mounts its new root: an existing directory any uid can enter (the run's own
    directories may sit below ``TMPDIR`` folders the sandbox uid cannot enter; they are passed as open
    descriptors)."""
    for path in ("/tmp", "/mnt", "/var/tmp", "/dev/shm"):
        if all(os.stat(p).st_mode & stat.S_IXOTH for p in (Path(path), *Path(path).parents)):
            return path
    raise SandboxError("no directory that every uid can enter to mount the run's root on")


def _rlimits(limits: Limits, memory_mb: int, uid: int | None, isolate: bool) -> dict[str, tuple[int, int]]:
    mb = 1024 * 1024
    cpu = max(1, int(limits.cpu_s + 0.999))
    # Isolated, RLIMIT_NPROC counts the run's own user namespace; not isolated and without a dedicated uid,
    # it counts every task of the caller's user: leave room for them.
    nproc = limits.processes + (_task_count(os.getuid()) if uid is None and not isolate else 0)
    return {
        "RLIMIT_CPU": (cpu, cpu + 1),  # SIGXCPU at the soft limit, SIGKILL a second later
        "RLIMIT_AS": (memory_mb * mb, memory_mb * mb),
        "RLIMIT_FSIZE": (limits.file_size_mb * mb, limits.file_size_mb * mb),
        "RLIMIT_NPROC": (nproc, nproc),
        "RLIMIT_NOFILE": (limits.open_files, limits.open_files),
        "RLIMIT_CORE": (0, 0),
        "RLIMIT_STACK": (min(limits.memory_mb, 256) * mb, min(limits.memory_mb, 256) * mb),
    }


def _environment(workdir: Path) -> dict[str, str]:
    """Built from nothing, so no variable of the caller (a token, a key) reaches the program."""
    return {
        "PATH": SAFE_PATH,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
    }


class _Exchange:
    """Feeds stdin and reads stdout, stderr and the launcher's report as they come, until the report
    closes (the program and its init have ended), the deadline passes or an output passes its cap."""

    def __init__(
        self, proc: subprocess.Popen, report_fd: int, stdin: bytes, cap: int, deadline: float
    ) -> None:
        if proc.stdin is None or proc.stdout is None or proc.stderr is None:
            raise ValueError("the exchange needs a process started with stdin, stdout and stderr piped")
        self.proc, self.report_fd, self.cap, self.deadline = proc, report_fd, cap, deadline
        self.stdin = proc.stdin
        self.stdin_fd = proc.stdin.fileno()
        self.streams = {proc.stdout.fileno(): 0, proc.stderr.fileno(): 1}
        self.pending = memoryview(stdin)
        self.output = (bytearray(), bytearray())
        self.report = bytearray()
        self.stopped: str | None = None  # "timeout", "stdout" or "stderr" when the run had to be killed
        self.selector = selectors.DefaultSelector()

    @property
    def messages(self) -> list[dict]:
        """The launcher's complete report lines (a line cut short by a kill is dropped)."""
        return [json.loads(line) for line in self.report.split(b"\n")[:-1] if line.strip()]

    def pump(self) -> None:
        selected = self.selector.get_map()
        for fd in (*self.streams, self.report_fd):
            self.selector.register(fd, selectors.EVENT_READ)
        if self.pending:
            os.set_blocking(self.stdin_fd, False)
            self.selector.register(self.stdin_fd, selectors.EVENT_WRITE)
        else:
            self.stdin.close()
        try:
            while self.stopped is None and self.report_fd in selected:
                remaining = self.deadline - time.monotonic()
                if remaining <= 0:
                    self.stopped = "timeout"
                    break
                for key, _ in self.selector.select(remaining):
                    self._service(key.fd)
            # Take what is already in the pipes without waiting: after a normal end, the program's last
            # output (a leftover background process could hold the EOF back); after a kill, the report.
            for fd in (self.report_fd, *(self.streams if self.stopped is None else ())):
                if fd in selected:
                    os.set_blocking(fd, False)
                while fd in selected and (fd == self.report_fd or self.stopped is None):
                    self._service(fd)
        finally:
            self.selector.close()
            self.stdin.close()

    def _service(self, fd: int) -> None:
        if fd == self.stdin_fd:
            try:
                self.pending = self.pending[os.write(fd, self.pending[:_CHUNK]) :]
            except BlockingIOError:
                return
            except BrokenPipeError:
                self.pending = self.pending[:0]  # the program stopped reading: fine
            if not self.pending:
                self.selector.unregister(fd)
                self.stdin.close()  # EOF for the program
            return
        try:
            data = os.read(fd, _CHUNK)
        except BlockingIOError:
            data = b""  # drained
        if not data:
            self.selector.unregister(fd)
        elif fd == self.report_fd:
            self.report += data
        else:
            buffer = self.output[self.streams[fd]]
            buffer += data
            if len(buffer) > self.cap:
                del buffer[self.cap + 1 :]
                self.stopped = ("stdout", "stderr")[self.streams[fd]]


def _end(proc: subprocess.Popen, messages: list[dict], uid: int | None) -> None:
    """Leave nothing running: the PID namespace's init (taking the namespace with it), the launcher's
    process group, then every process of the sandbox uid."""
    init = next((m["init"] for m in messages if "init" in m), None)
    if proc.poll() is None:
        if init is not None and not any("status" in m for m in messages):
            with suppress(ProcessLookupError):
                os.kill(init, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=_KILL_GRACE_S)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if uid is not None:
        _sweep(uid)


def _classify(stopped: str | None, returncode: int | None, stderr: bytes, limits: Limits) -> tuple[str, str]:
    if stopped == "timeout":
        return "timeout", f"killed after {limits.wall_s:g} s wall time"
    if stopped is not None:
        return "output_limit", f"killed after {stopped} passed {limits.output_bytes} bytes"
    if returncode is None:
        return "error", "ended without an exit status"
    if returncode == 0:
        return "ok", "exit code 0"
    if returncode == -signal.SIGXCPU:
        return "timeout", f"killed after {limits.cpu_s:g} s CPU time"
    # RLIMIT_AS makes allocations fail and the runtimes say so on stderr: a heuristic, but only the label
    # depends on it, never a pass.
    if any(marker in stderr[-4096:] for marker in _MEMORY_MARKERS):
        return "memory", f"out of memory (limit {limits.memory_mb} MB)"
    why = f"killed by {signal.Signals(-returncode).name}" if returncode < 0 else f"exit code {returncode}"
    last = next((line for line in reversed(stderr.decode(errors="replace").splitlines()) if line.strip()), "")
    return "error", f"{why}: {last.strip()[:200]}" if last else why


# --------------------------------------------------------------------------------- uids and processes


@contextmanager
def _uid_slot(isolate: bool) -> Iterator[int | None]:
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
                    _sweep(uid)  # processes a crashed caller left behind
                yield uid
            finally:
                holder.close()
            return
        if isolate:  # every uid held: runs in separate namespaces may share one
            yield uids[os.getpid() % len(uids)]
            return
        time.sleep(0.05)


def _processes(uid: int) -> list[tuple[int, str, int]]:
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


def _task_count(uid: int) -> int:
    return sum(threads for _, _, threads in _processes(uid))


def _sweep(uid: int) -> None:
    """Kill every live process of the sandbox uid (zombies wait for their reaper and are skipped)."""
    for _ in range(_SWEEPS):
        if not any(state != "Z" for _, state, _ in _processes(uid)):
            return
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", _KILLER, str(uid)],
            env={},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
        time.sleep(0.01)
    raise SandboxError(f"processes of sandbox uid {uid} survive SIGKILL")


# ---------------------------------------------------------------------------------------- directories


@cache
def _scratch(tmp: str, euid: int) -> Path:
    """``$TMPDIR/smepo-sandbox-<euid>``: ours, mode 0711 (others may pass through, not list or write), so
    a sandboxed program cannot write beside its working directory even without the mount namespace."""
    path = Path(tmp) / f"smepo-sandbox-{euid}"
    with suppress(FileExistsError):
        path.mkdir(mode=0o711)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != euid:
        raise SandboxError(f"{path} exists and is not a directory owned by uid {euid}")
    path.chmod(0o711)
    return path


def _remove(path: Path) -> None:
    """Remove a directory tree whatever a program left in it: iteratively (any depth), never following a
    link (each directory is opened relative to its parent with ``O_NOFOLLOW``) and never raising; what
    cannot be removed stays (its name says which run it was)."""
    try:
        parent = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        _remove_at(parent, path.name)
    except Exception:  # noqa: BLE001, S110 - cleanup must never take the caller down
        pass
    finally:
        os.close(parent)


def _remove_at(parent_fd: int, name: str) -> None:
    with suppress(OSError):
        os.unlink(name, dir_fd=parent_fd)  # a file or a link: done
        return
    top = _open_dir(parent_fd, name)
    if top is None:
        return
    stack = [(parent_fd, name, top)]  # (parent's fd, name, own fd)
    stuck: set[tuple[int, int]] = set()  # directories that could not be opened or removed
    while stack:
        parent, own, fd = stack[-1]
        info = os.fstat(fd)
        descend = None
        with suppress(OSError), os.scandir(fd) as entries:
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False):
                    with suppress(OSError):
                        os.unlink(entry.name, dir_fd=fd)
                    continue
                if (info.st_dev, entry.inode()) in stuck:
                    continue
                child = _open_dir(fd, entry.name)
                if child is None:
                    stuck.add((info.st_dev, entry.inode()))
                    continue
                descend = (fd, entry.name, child)
                break
        if descend is not None:
            stack.append(descend)
            continue
        stack.pop()
        os.close(fd)
        try:
            os.rmdir(own, dir_fd=parent)
        except OSError:
            stuck.add((info.st_dev, info.st_ino))


def _open_dir(parent_fd: int, name: str) -> int | None:
    """The directory ``name`` (never a link's target), opened for reading; a caller that is not root first
    gives itself access through an ``O_PATH`` descriptor, which names that very directory."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(name, flags, dir_fd=parent_fd)
    except PermissionError:
        if os.geteuid() == 0:
            return None
    except OSError:
        return None
    try:
        handle = os.open(name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent_fd)
    except OSError:
        return None
    try:
        os.chmod(f"/proc/self/fd/{handle}", 0o700)
        return os.open(f"/proc/self/fd/{handle}", flags & ~os.O_NOFOLLOW)
    except OSError:
        return None
    finally:
        os.close(handle)
