"""The tools the sandbox runs programs with (``python``; ``g++``; ``javac`` and ``java``): which a language
needs (:func:`tools`) and where each is, if the sandbox's programs can reach it (:func:`tool`)."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from functools import cache
from pathlib import Path

from ._isolation import isolation_report
from ._launch import SAFE_PATH

LANGUAGES = ("python", "cpp", "java")


def tools(language: str) -> tuple[str, ...]:
    """The tools a program in ``language`` needs to be built and run; an unknown language is an error."""
    needed = {"python": ("python",), "cpp": ("g++",), "java": ("javac", "java")}
    if language not in needed:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    return needed[language]


def tool(name: str) -> str | None:
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
