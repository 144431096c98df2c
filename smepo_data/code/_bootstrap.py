"""The sandbox's Python bootstrap: ``python -I -B _bootstrap.py main.py [ARGS...]`` compiles ``main.py``,
installs the audit hook (:func:`audit_hook`) and runs the program as ``__main__``, with ``sys.argv`` as if
it had been started as ``python main.py ARGS...``.

The hook refuses writes outside the working directory, sockets, subprocesses, ``exec``, ``fork`` and
``ctypes``: defence in depth only (:mod:`smepo_data.code.sandbox` isolates the run), since Python code can
reach around it. Copied into each Python build directory and run by path there (read-only inside the
jail, next to ``main.py``), so stdlib only; imported by nothing but its tests.
"""

from __future__ import annotations

import os
import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:  # no typing import at run time: the bootstrap starts before every Python program
    from collections.abc import Callable
    from typing import Any

    AuditHook = Callable[[str, tuple[Any, ...]], None]

#: audit events refused outright (prefixes)
REFUSED = (
    "socket.",
    "subprocess.",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "ctypes.dlopen",
)
#: audit events that change the file system: refused for a path outside the working directory
MUTATING = frozenset(
    {
        "os.rename",
        "os.remove",
        "os.rmdir",
        "os.mkdir",
        "os.symlink",
        "os.link",
        "os.chmod",
        "os.chown",
        "os.truncate",
        "os.utime",
        "os.mkfifo",
        "os.mknod",
        "os.setxattr",
        "os.removexattr",
        "shutil.rmtree",
    }
)
#: files a program may open for writing wherever its working directory is
DEVICES = ("/dev/null", "/dev/stdout", "/dev/stderr")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def audit_hook(root: str) -> AuditHook:
    """The hook for a program whose working directory is ``root`` (a real path). What it uses is bound
    here, before the program runs, so a program that replaces ``os.path.realpath`` does not change it."""
    realpath, isabs, join = os.path.realpath, os.path.isabs, os.path.join
    fspath, getcwd, path_like = os.fspath, os.getcwd, os.PathLike
    refused, mutating, devices, write_flags = REFUSED, MUTATING, DEVICES, WRITE_FLAGS

    def inside(target: Any) -> bool:
        if isinstance(target, int):
            return True  # an open file descriptor: its opening was checked
        target = fspath(target)
        if isinstance(target, bytes):
            target = target.decode(errors="surrogateescape")
        if target in devices:
            return True
        full = realpath(target if isabs(target) else join(getcwd(), target))
        return bool(full == root or full.startswith(root + "/"))

    def hook(event: str, args: tuple[Any, ...]) -> None:
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
                if isinstance(target, (str, bytes, path_like)) and not inside(target):
                    raise PermissionError(f"sandbox: {event} on {target!r} is not allowed")

    return hook


def run(argv: list[str]) -> None:
    """Run the program ``argv[1]`` (arguments ``argv[2:]``) under the hook, as ``__main__``."""
    path = argv[1]
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec", dont_inherit=True)
    sys.addaudithook(audit_hook(os.path.realpath(os.getcwd())))
    sys.argv = argv[1:]
    main = types.ModuleType("__main__")
    main.__file__ = path
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


if __name__ == "__main__":
    run(sys.argv)
