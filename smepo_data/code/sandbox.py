"""Run one untrusted program (Python, C++ or Java) in isolation and say how it ended.

The code verifier runs programs it did not write: code left visible in a masked trace (the leak audit) and,
later, a policy's completions (the RL reward). Either may loop, fork, allocate, print without end, read
secrets or write where it should not, so every run goes through the layers below. Each is tested in
``tests/test_code_sandbox.py``.

* **A process per run, in a fresh working directory** (``HOME`` and ``TMPDIR`` too), removed afterwards.
  A compiled program is built once (:func:`build`) into a read-only directory; each run still gets its own
  empty working directory, so one test case cannot leave state for the next.
* **Limits** (:class:`Limits`): wall clock (measured here), CPU time (``RLIMIT_CPU``), address space
  (``RLIMIT_AS``), file size (``RLIMIT_FSIZE``), processes (``RLIMIT_NPROC``) and output (stdout and
  stderr are read as they come and the run is killed once either passes ``output_bytes``). A JVM reserves
  far more address space than it uses, so Java gets its heap through ``-Xmx`` (a quarter of
  ``memory_mb``) and an address-space limit of ``memory_mb + JVM_RESERVE_MB``.
* **An unprivileged, dedicated user.** Run as root, the program runs as one uid of a pool kept for the
  sandbox (:func:`sandbox_uids`, each held by one run at a time through a lock file). ``RLIMIT_NPROC``
  counts per uid and root ignores it, so only this makes the process limit (a fork bomb) hold; the uid
  also owns nothing but its working directory, and after each run every process left with that uid is
  killed. Run as a normal user, the program keeps that user: the process limit is then set above the
  user's current task count, only the process group is killed at the end, and the system's init must
  reap any orphans; namespaces are normally refused to a normal user, leaving the audit hook alone to
  guard the file system (and only for Python).
* **Namespaces** (as root): a new network namespace (no interface but a down loopback: no network), a
  new PID namespace whose init reaps every orphan and takes all the run's processes with it when it ends,
  and a new mount namespace in which the whole file system is read-only except the working directory,
  and ``/proc`` shows only the sandbox uid's own processes. Where the OS refuses one of these, the run
  goes on without it and ``RunResult.detail`` says what is not isolated.
* **A minimal environment** built from scratch (``PATH``, ``LANG``, ``HOME``, ``TMPDIR``): no variable
  of the caller (tokens, keys, ``HF_*``, ``AWS_*`` ...) reaches the program.
* **For Python, an audit hook** (``sys.addaudithook``), installed by a bootstrap before the program's
  code runs, refuses writes outside the working directory, sockets, subprocesses, ``exec``, ``fork`` and
  ``ctypes``. Python code can reach around an audit hook, so this is defence in depth; the boundary is the
  uid, the limits and the namespaces. Python programs run isolated (``-I -B``) under ``sys.executable``,
  or, when the sandbox uid cannot reach it (a virtual environment under ``/root``), under the first
  ``python3.X`` / ``python3`` on the system path that it can.

Mechanics: the parent starts a small launcher (``python -I -S -c``, in a new session) and never runs code
between ``fork`` and ``exec`` itself, so it stays thread-safe. The launcher, still root, unshares the
namespaces and forks the PID namespace's init, which sets up the mounts and forks the program's process;
that one sets the limits, drops to the sandbox uid and execs the program. The init reports the
program's exit status through a pipe. On a timeout the parent kills the init (the kernel then kills
everything in the namespace), then the launcher's process group, then whatever the sandbox uid still runs.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pwd
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path, PurePosixPath

LANGUAGES = ("python", "cpp", "java")

UID_BASE = 64000  # the sandbox's uids (and gids) are UID_BASE .. UID_BASE + UID_SLOTS - 1
UID_SLOTS = 64
JVM_RESERVE_MB = 2048  # address space a JVM maps beyond its heap (class space, code cache, stacks)
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"

_CHUNK = 65536
_KILL_GRACE_S = 5.0  # how long the launcher gets to wind down after its PID namespace is killed
_SWEEPS = 10  # rounds of "kill every process of the sandbox uid" before giving up
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


COMPILE_LIMITS = Limits(wall_s=30.0, cpu_s=30.0, memory_mb=2048, output_bytes=65536, processes=64)


@dataclass(frozen=True)
class RunResult:
    """How a run ended. ``status``: ``"ok"`` (exit 0), ``"error"`` (non-zero exit or a signal),
    ``"timeout"`` (wall or CPU time), ``"memory"``, ``"output_limit"``, ``"compile_error"`` or
    ``"unavailable"`` (no toolchain for the language)."""

    status: str
    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float
    detail: str


class SandboxError(RuntimeError):
    """The sandbox itself could not be set up or torn down: a fault of the host, never of the program."""


# Run by the parent's interpreter as root: argv[1] is the JSON config, the rest the program's argv.
_LAUNCHER = r"""
import ctypes, json, os, resource, sys

cfg = json.loads(sys.argv[1])
argv = sys.argv[2:]
report = cfg["report"]
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 8, 4096, 16384, 262144
AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY, SYS_MOUNT_SETATTR = -100, 0x8000, 1, 442


def send(**msg):
    os.write(report, (json.dumps(msg) + "\n").encode())


def call(fn, *args):
    if fn(*args) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def attempt(what, action):
    try:
        action()
        return True
    except OSError as e:
        send(note=f"{what} ({e.strerror})")
        return False


class MountAttr(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in ("attr_set", "attr_clr", "propagation", "userns_fd")]


def mount(source, target, fstype, flags, data=None):
    call(libc.mount, source, target, fstype, ctypes.c_ulong(flags), data)


def mount_setattr(path, flags, attr_set, attr_clr):
    attr = MountAttr(attr_set, attr_clr, 0, 0)
    args = (ctypes.c_long(AT_FDCWD), path, ctypes.c_long(flags), ctypes.byref(attr), ctypes.sizeof(attr))
    call(libc.syscall, ctypes.c_long(SYS_MOUNT_SETATTR), *args)


def private_mounts():
    work = cfg["workdir"].encode()
    mount(None, b"/", None, MS_REC | MS_PRIVATE)
    mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, b"hidepid=2")
    mount(work, work, None, MS_BIND)
    mount_setattr(b"/", AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0)
    mount_setattr(work, 0, 0, MOUNT_ATTR_RDONLY)


def program():
    os.umask(0o022)
    for name, (soft, hard) in cfg["rlimits"].items():
        resource.setrlimit(getattr(resource, name), (soft, hard))
    if cfg["uid"] is not None:
        os.setgroups([])
        os.setgid(cfg["uid"])
        os.setuid(cfg["uid"])
    os.set_inheritable(report, False)
    try:
        os.execv(argv[0], argv)
    except OSError as e:
        send(error=f"cannot run {argv[0]}: {e.strerror}")
        os._exit(127)


def init(mounts):
    if mounts:
        attempt("file system not read-only", private_mounts)
    os.chdir(cfg["workdir"])
    child = os.fork()
    if child == 0:
        program()
    while True:
        pid, status = os.wait()
        if pid == child:
            send(status=status)
            return


try:
    attempt("processes not in their own PID namespace", lambda: call(libc.unshare, CLONE_NEWPID))
    attempt("network not isolated", lambda: call(libc.unshare, CLONE_NEWNET))
    mounts = attempt("file system not isolated", lambda: call(libc.unshare, CLONE_NEWNS))
    pid = os.fork()
    if pid == 0:
        init(mounts)
        os._exit(0)
    send(init=pid)
    os.waitpid(pid, 0)
except Exception as e:
    send(error=f"launcher: {type(e).__name__}: {e}")
    os._exit(126)
"""

# Run by the sandbox's Python before the program: compile it, install the audit hook, run it as __main__.
_PY_BOOTSTRAP = r"""
import sys


def _bootstrap():
    import os
    import types

    path = sys.argv[1]
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec", dont_inherit=True)
    root = os.path.realpath(os.getcwd())
    realpath, isabs, join = os.path.realpath, os.path.isabs, os.path.join
    fspath, getcwd = os.fspath, os.getcwd
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    devices = ("/dev/null", "/dev/stdout", "/dev/stderr")
    refused = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
               "os.forkpty", "ctypes.dlopen")
    mutating = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.chmod",
                "os.chown", "os.truncate", "os.utime", "os.mkfifo", "os.mknod", "os.setxattr",
                "os.removexattr", "shutil.rmtree"}

    def inside(target):
        if isinstance(target, int):
            return True  # an open file descriptor: its opening was checked
        target = fspath(target)
        if isinstance(target, bytes):
            target = target.decode(errors="surrogateescape")
        if target in devices:
            return True
        full = realpath(target if isabs(target) else join(getcwd(), target))
        return full == root or full.startswith(root + "/")

    def hook(event, args):
        if event.startswith(refused):
            raise PermissionError(f"sandbox: {event} is not allowed")
        if event == "open":
            target, mode, flags = args
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags > 0 and flags & write_flags
            )
            if writing and not inside(target):
                raise PermissionError(f"sandbox: writing {target!r} is not allowed")
        elif event in mutating:
            for target in args[:2]:
                if isinstance(target, (str, bytes, os.PathLike)) and not inside(target):
                    raise PermissionError(f"sandbox: {event} on {target!r} is not allowed")

    sys.addaudithook(hook)
    sys.argv = sys.argv[1:]
    main = types.ModuleType("__main__")
    main.__file__ = path
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


_bootstrap()
"""

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
) -> Iterator[Program]:
    """Build ``source`` once (compile C++ or Java) and yield a :class:`Program` to run as often as
    needed; the build directory is removed on exit."""
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
            yield Program(language, command, limits, files or {}, error)
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

    def run(self, stdin: str = "") -> RunResult:
        if self.error is not None:
            return self.error
        memory_mb = self.limits.memory_mb + (JVM_RESERVE_MB if self.language == "java" else 0)
        return _execute(self.command, self.files, stdin.encode(), self.limits, memory_mb)


def scratch_dir() -> Path:
    """The directory every build and working directory is made in (and removed from); it holds only
    ``locks/`` between runs."""
    return _scratch(tempfile.gettempdir(), os.geteuid())


@cache
def sandbox_uids() -> tuple[int, ...]:
    """The uids programs run as when the parent is root: the pool, less any uid that names an account."""
    uids = []
    for uid in range(UID_BASE, UID_BASE + UID_SLOTS):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            uids.append(uid)
    return tuple(uids)


# -------------------------------------------------------------------------------------- preparation


def _tools(language: str) -> tuple[str, ...]:
    tools = {"python": ("python",), "cpp": ("g++",), "java": ("javac", "java")}
    if language not in tools:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    return tools[language]


@cache
def _tool(name: str) -> str | None:
    """The path of a tool the sandbox uid can run, or ``None``."""
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
        main = build_dir / "main.py"
        main.write_text(source, encoding="utf-8")
        main.chmod(0o644)
        return [str(tools["python"]), "-I", "-B", "-c", _PY_BOOTSTRAP, str(main)], None
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
) -> RunResult:
    """One run in a fresh working directory; with ``keep``, the run's regular files that the sources did
    not include (the compiler's output) are copied there after a successful run."""
    with _uid_slot() as uid:
        workdir = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=scratch_dir()))
        try:
            _populate(workdir, files, uid)
            result = _launch(command, workdir, stdin, limits, memory_mb, uid)
            if keep is not None and result.status == "ok":
                for entry in os.scandir(workdir):
                    if entry.is_file(follow_symlinks=False) and entry.name not in files:
                        shutil.copyfile(entry.path, keep / entry.name, follow_symlinks=False)
                        (keep / entry.name).chmod(0o755)
            return result
        finally:
            _remove(workdir)


def _populate(workdir: Path, files: dict[str, str], uid: int | None) -> None:
    for name, text in files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"file names must be relative paths inside the working directory: {name!r}")
        target = workdir.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o644)
    if uid is not None:
        os.chown(workdir, uid, uid)


def _launch(
    command: list[str], workdir: Path, stdin: bytes, limits: Limits, memory_mb: int, uid: int | None
) -> RunResult:
    start = time.monotonic()
    read_end, write_end = os.pipe()
    config = {
        "report": write_end,
        "workdir": str(workdir),
        "uid": uid,
        "rlimits": _rlimits(limits, memory_mb, uid),
    }
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(config), *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_end,),
            cwd=workdir,
            env=_environment(workdir),
            start_new_session=True,
        )
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    with proc, open(read_end, "rb", buffering=0) as report:
        exchange = _Exchange(proc, report.fileno(), stdin, limits.output_bytes, start + limits.wall_s)
        try:
            exchange.pump()
        finally:
            _end(proc, exchange.messages, uid)
    messages = exchange.messages
    errors = [m["error"] for m in messages if "error" in m]
    if errors:
        raise SandboxError(errors[0])
    statuses = [m["status"] for m in messages if "status" in m]
    returncode = os.waitstatus_to_exitcode(statuses[0]) if statuses else None
    stdout, stderr = (bytes(b[: limits.output_bytes]) for b in exchange.output)
    status, detail = _classify(exchange.stopped, returncode, stderr, limits)
    notes = [m["note"] for m in messages if "note" in m]
    if notes:
        detail += f" [{'; '.join(notes)}]"
    return RunResult(
        status,
        returncode,
        stdout.decode(errors="replace"),
        stderr.decode(errors="replace"),
        round(time.monotonic() - start, 3),
        detail,
    )


def _rlimits(limits: Limits, memory_mb: int, uid: int | None) -> dict[str, tuple[int, int]]:
    mb = 1024 * 1024
    cpu = max(1, int(limits.cpu_s + 0.999))
    # Without a dedicated uid, RLIMIT_NPROC counts every task of the caller's user: leave room for them.
    nproc = limits.processes + (0 if uid is not None else _task_count(os.getuid()))
    return {
        "RLIMIT_CPU": (cpu, cpu + 1),  # SIGXCPU at the soft limit, SIGKILL a second later
        "RLIMIT_AS": (memory_mb * mb, memory_mb * mb),
        "RLIMIT_FSIZE": (limits.file_size_mb * mb, limits.file_size_mb * mb),
        "RLIMIT_NPROC": (nproc, nproc),
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
        self.proc, self.report_fd, self.cap, self.deadline = proc, report_fd, cap, deadline
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
            self.proc.stdin.close()
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
            self.proc.stdin.close()

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
                self.proc.stdin.close()  # EOF for the program
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
def _uid_slot() -> Iterator[int | None]:
    """A sandbox uid held by this run alone (``None`` when not root): a lock file per uid, so concurrent
    runs, in threads or processes, never share one, and killing "every process of the uid" is safe."""
    if os.geteuid() != 0:
        yield None
        return
    uids = sandbox_uids()
    if not uids:
        raise SandboxError(f"every uid in {UID_BASE}..{UID_BASE + UID_SLOTS - 1} names an account")
    locks = scratch_dir() / "locks"
    locks.mkdir(mode=0o700, exist_ok=True)
    for attempt, uid in enumerate([*uids, uids[os.getpid() % len(uids)]]):
        fd = os.open(locks / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if attempt < len(uids) else 0))
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            _sweep(uid)  # processes a crashed caller left behind
            yield uid
        finally:
            os.close(fd)
        return


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
    """Remove a directory a program worked in, whatever modes it left (only root ignores them)."""
    try:
        shutil.rmtree(path)
    except OSError as e:
        if e.errno == errno.ENOENT:
            return
        os.chmod(path, 0o700)
        for root, dirs, _ in os.walk(path):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o700)
        shutil.rmtree(path)
