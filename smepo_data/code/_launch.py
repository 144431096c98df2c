"""The parent's side of one run: start the launcher (:mod:`._launcher`) with its config (:func:`launch`: the
binds, the rlimits, a minimal environment), talk with it (:class:`Exchange`: stdin in; stdout, stderr and the
launcher's report out, as they come), leave nothing running (:func:`end`) and say how the run ended
(:func:`classify`)."""

from __future__ import annotations

import json
import os
import selectors
import signal
import stat
import subprocess
import sys
import time
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TypedDict

from ._cgroup import RunCgroup
from ._run_model import Limits, RunResult, SandboxError
from ._uids import sweep, task_count

SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"

_CHUNK = 65536
_KILL_GRACE_S = 5.0  # how long the launcher gets to wind down after its PID namespace is killed
_MEMORY_MARKERS = (b"MemoryError", b"std::bad_alloc", b"java.lang.OutOfMemoryError")


def close_fds(fds: tuple[int, int] | None) -> None:
    """Close what is left of a handed-over channel (a descriptor already closed is fine)."""
    for fd in fds or ():
        with suppress(OSError):
            os.close(fd)


class RunPaths(TypedDict):
    """A run's directories, as the launcher's config names them."""

    workdir: str
    in_dir: str
    out_dir: str | None


def launch(
    command: list[str],
    paths: RunPaths,
    stdin: bytes,
    limits: Limits,
    memory_mb: int,
    uid: int | None,
    isolate: bool,
    files: dict[str, str],
    channel: tuple[int, int] | None,
    cgroup: RunCgroup | None = None,
) -> RunResult:
    """Run ``command`` through the launcher in the directories ``paths`` and see the run to its end: nothing
    of it left running, ``channel`` closed here; a failure of the launcher itself raises
    :class:`SandboxError`."""
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
        close_fds(channel)
    with proc, open(read_end, "rb", buffering=0) as report:
        exchange = Exchange(proc, report.fileno(), stdin, limits.output_bytes, start + limits.wall_s)
        try:
            exchange.pump()
        finally:
            end(proc, exchange.messages, None if isolate else uid)
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
    status, detail = classify(exchange.stopped, returncode, stderr, limits)
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
    nproc = limits.processes + (task_count(os.getuid()) if uid is None and not isolate else 0)
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


class Exchange:
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


def end(proc: subprocess.Popen, messages: list[dict], uid: int | None) -> None:
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
        sweep(uid)


def classify(stopped: str | None, returncode: int | None, stderr: bytes, limits: Limits) -> tuple[str, str]:
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
