"""The sandbox's scratch file system on the host: the directory every build and run directory is made in
(:func:`scratch_dir`) and their removal (:func:`remove`), which no link or depth a program left can
mislead."""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path

from ._run_model import SandboxError


def scratch_dir() -> Path:
    """The directory every build and run directory is made in (and removed from), each named after the
    process that made it; empty between runs."""
    return _scratch(tempfile.gettempdir(), os.geteuid())


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


def remove(path: Path) -> None:
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
