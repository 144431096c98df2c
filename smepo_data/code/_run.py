"""One run on the host's side, isolation decided: a uid slot (:mod:`._uids`), a cgroup (:mod:`._cgroup`), a
run directory in the scratch directory (:mod:`._scratch`) with the sources, the launch (:mod:`._launch`), the
compiler's output copied out, and the run directory removed whatever happened."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path, PurePosixPath

from ._cgroup import run_cgroup
from ._launch import RunPaths, close_fds, launch
from ._run_model import Limits, RunResult
from ._scratch import remove, scratch_dir
from ._uids import uid_slot

_SHM_MB = 16  # the run's /dev/shm (see _launcher.py)
_LAUNCHER_MB = 64  # the launcher, keeper and init (Python processes) in the run's cgroup
_LAUNCHER_TASKS = 8


def execute(
    command: list[str],
    files: dict[str, str],
    stdin: bytes,
    limits: Limits,
    memory_mb: int,
    keep: Path | None = None,
    channel: tuple[int, int] | None = None,
    *,
    isolate: bool,
) -> RunResult:
    """One run in a fresh working directory; with ``keep``, the run's regular files that the sources did
    not include (the compiler's output) are copied there after a successful run. ``channel`` (two file
    descriptors, handed over: this closes them) becomes the program's descriptors 3 and 4. ``isolate``:
    in namespaces, or not (the caller's opt-in, :func:`._isolation.isolation_mode`)."""
    # The run's total: its processes' memory, what it may put in its tmpfs and /dev/shm, and the launcher's.
    total_mb = memory_mb + limits.disk_mb + _SHM_MB + _LAUNCHER_MB
    with (
        uid_slot(isolate) as uid,
        run_cgroup(total_mb * 1024 * 1024, limits.processes + _LAUNCHER_TASKS) as cgroup,
    ):
        run_dir = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=scratch_dir()))
        try:
            paths = _prepare_run(run_dir, files, uid, isolate, keep is not None)
            result = launch(command, paths, stdin, limits, memory_mb, uid, isolate, files, channel, cgroup)
            channel = None
            if keep is not None and result.status == "ok":
                _copy_out(paths["out_dir"] or paths["workdir"], keep, set(files), limits.file_size_mb)
            return result
        finally:
            close_fds(channel)
            remove(run_dir)


def _prepare_run(
    run_dir: Path, files: dict[str, str], uid: int | None, isolate: bool, keep: bool
) -> RunPaths:
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
