"""The sandbox's Python bootstrap (smepo_data/code/_bootstrap.py): its audit hook called directly, and the
bootstrap run as the sandbox runs it (by path, ``python -I -B``) without the jail around it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from smepo_data.code import _bootstrap
from smepo_data.code._bootstrap import audit_hook


@pytest.fixture
def hook(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    return work, audit_hook(os.path.realpath(work))


def test_the_hook_lets_writes_inside_the_working_directory_through(hook):
    work, check = hook
    for target in (str(work / "out.txt"), os.fsencode(work / "a" / "b"), work / "x", 3, "/dev/null"):
        check("open", (target, "w", os.O_WRONLY | os.O_CREAT))
    check("open", ("/etc/passwd", "r", os.O_RDONLY))  # reading is the jail's business, not the hook's
    check("os.remove", (str(work / "out.txt"), None))
    check("os.rename", (str(work / "a"), str(work / "b")))
    check("import", ("json", None, [], [], []))


@pytest.mark.parametrize(
    "event, args, message",
    [
        ("open", ("{outside}", "w", 0), "writing"),
        ("open", ("{outside}", None, os.O_RDWR), "writing"),
        ("open", ("{work}/../outside.txt", "a", 0), "writing"),
        ("open", ("{work}/link/x", "w", 0), "writing"),  # a link out of the working directory
        ("os.remove", ("{outside}", None), "os.remove on"),
        ("os.rename", ("{work}/mine", "{outside}"), "os.rename on"),
        ("shutil.rmtree", ("{tmp}", None, None), "shutil.rmtree on"),
        ("socket.connect", (None, ("10.0.0.1", 80)), "socket.connect is not allowed"),
        ("subprocess.Popen", ("ls", ["ls"], None, None), "subprocess.Popen is not allowed"),
        ("os.system", ("ls",), "os.system is not allowed"),
        ("os.fork", (), "os.fork is not allowed"),
        ("os.exec", ("/bin/sh", ["sh"], None), "os.exec is not allowed"),
        ("ctypes.dlopen", ("libc.so.6",), "ctypes.dlopen is not allowed"),
    ],
)
def test_the_hook_refuses_what_a_program_may_not_do(hook, tmp_path, event, args, message):
    work, check = hook
    (work / "link").symlink_to(tmp_path)
    places = {"work": str(work), "tmp": str(tmp_path), "outside": str(tmp_path / "outside.txt")}
    args = tuple(a.format(**places) if isinstance(a, str) else a for a in args)
    with pytest.raises(PermissionError, match=f"^sandbox: {message}"):
        check(event, args)


def test_the_bootstrap_runs_the_program_as_main_under_the_hook(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    program = tmp_path / "main.py"
    program.write_text(
        textwrap.dedent(
            """
            import json, os, socket, sys
            print(json.dumps([__name__, __file__, sys.argv, "REFUSED" in globals()]))
            with open("kept.txt", "w") as f:
                f.write("inside")
            for attempt in (lambda: open("../escaped.txt", "w"), lambda: socket.socket()):
                try:
                    attempt()
                except PermissionError as e:
                    print(e)
            """
        )
    )
    bootstrap = os.path.realpath(_bootstrap.__file__)
    done = subprocess.run(
        [sys.executable, "-I", "-B", bootstrap, str(program), "--flag", "x"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f'["__main__", "{program}", ["{program}", "--flag", "x"], false]'
    assert lines[1] == "sandbox: writing '../escaped.txt' is not allowed"
    assert lines[2] == "sandbox: socket.__new__ is not allowed"
    assert (work / "kept.txt").read_text() == "inside" and not (tmp_path / "escaped.txt").exists()
