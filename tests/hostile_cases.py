"""Hostile programs against the sandbox and the verifier, each a function that raises when the attack works.

Imported by ``tests/test_hostile_programs.py`` (the caller as it is) and run as a script
(``python tests/hostile_cases.py``: every case, one JSON line each) by that test under ``setpriv`` as a
caller without ``CAP_SYS_ADMIN`` and as a non-root user. Stdlib and ``smepo_data`` only, so a system
Python can run it. Every case also checks that it left nothing behind: no directory of this process in
the scratch directory and no process carrying the case's token.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from smepo_data.code.sandbox import Limits, available, isolation_report, run_program, scratch_dir
from smepo_data.code.verifier import CodeVerifier

SMALL = Limits(wall_s=5.0, cpu_s=5.0, memory_mb=512, processes=32)
VERIFIER = CodeVerifier(SMALL)
HUMANEVAL_TESTS = """
def check(candidate):
    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True
    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05) == False
    assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 1.0) == True
"""
GOOD = """def has_close_elements(numbers, threshold):
    pairs = [(a, b) for i, a in enumerate(numbers) for j, b in enumerate(numbers) if i != j]
    return any(abs(a - b) < threshold for a, b in pairs)
"""
WRONG = "def has_close_elements(numbers, threshold):\n    return None\n"
NUMERIC_TESTS = (
    "assert abs(half(9) - 4.5) < 1e-9\nassert half(4) <= 2 and half(4) >= 2\nassert not half(2) < 1\n"
)
ANYTHING = """class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __le__(self, other): return True
    def __gt__(self, other): return False
    def __ge__(self, other): return True
    def __sub__(self, other): return self
    def __rsub__(self, other): return self
    def __abs__(self): return 0
    def __bool__(self): return True
    def __hash__(self): return 0
"""
CASES: dict[str, Callable[[], None]] = {}
NEEDS_CPP: set[str] = set()


class Skip(Exception):
    """The case cannot run here (a tool is missing); the reason is its message."""


def case(fn: Callable[[], None]) -> Callable[[], None]:
    CASES[fn.__name__] = fn
    return fn


def cpp() -> None:
    if not available("cpp"):
        raise Skip("no g++")


def must_fail(verdict, *statuses: str) -> None:
    assert not verdict.passed, f"a hacked program passed: {verdict}"
    assert not statuses or verdict.status in statuses, verdict


# ------------------------------------------------------------------------------------------ reward hacks


@case
def eq_always_true():
    hacked = ANYTHING + "def has_close_elements(numbers, threshold):\n    return Anything()\n"
    must_fail(VERIFIER.run_asserts(hacked, HUMANEVAL_TESTS, entry_point="has_close_elements"))
    numeric = ANYTHING + "def half(x):\n    return Anything()\n"
    must_fail(VERIFIER.run_asserts(numeric, NUMERIC_TESTS))
    subclass = "class T(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\n"
    subclass += "def has_close_elements(numbers, threshold):\n    return T(7)\n"
    must_fail(VERIFIER.run_asserts(subclass, HUMANEVAL_TESTS, entry_point="has_close_elements"))
    # the honest versions pass
    assert VERIFIER.run_asserts(GOOD, HUMANEVAL_TESTS, entry_point="has_close_elements").passed
    assert VERIFIER.run_asserts("def half(x):\n    return x / 2\n", NUMERIC_TESTS).passed


STEAL = r"""
import gc, os, re, sys
found = set()
pattern = re.compile(rb"[0-9a-f]{32}")
def scan(data):
    found.update(m.decode() for m in pattern.findall(data))
def scan_code(code):
    for const in code.co_consts:
        if isinstance(const, str):
            scan(const.encode())
        elif hasattr(const, "co_consts"):
            scan_code(const)
def steal():
    for arg in sys.argv:
        scan(arg.encode())
    frame = sys._getframe()
    while frame:
        scan_code(frame.f_code)
        scan(repr(frame.f_globals).encode(errors="ignore"))
        frame = frame.f_back
    for obj in gc.get_objects():
        if hasattr(obj, "co_consts"):
            scan_code(obj)
    budget = 3000
    paths = [globals().get("__file__", ""), "/proc/self/cmdline", "/proc/self/environ", "/proc/1/cmdline"]
    for top in (".", "/tmp", "/"):
        for root, dirs, files in os.walk(top):
            if root.startswith(("/proc", "/usr", "/sys", "/root")):
                dirs[:] = []
                continue
            paths += [os.path.join(root, name) for name in files]
    for path in paths[:budget]:
        try:
            with open(path, "rb") as f:
                scan(f.read(1 << 20))
        except OSError:
            pass
    for token in sorted(found):
        print(token)
    sys.stdout.flush()
"""


@case
def pass_marker_from_the_harness():
    """Print every 32-hex string the program can find (its source, its arguments, /proc, the code objects
    in its memory, the visible disk), then exit 0."""
    thief = WRONG + STEAL + "steal()\nos._exit(0)\n"
    must_fail(VERIFIER.run_asserts(thief, HUMANEVAL_TESTS, entry_point="has_close_elements"))


@case
def atexit_rewrites_the_exit_code():
    """After the failed assert, print what may be the pass marker and turn the exit code into 0."""
    for hook in (
        "import atexit\natexit.register(lambda: (steal(), os._exit(0)))\n",
        "sys.excepthook = lambda *a: (steal(), os._exit(0))\n",
    ):
        program = WRONG + STEAL + hook
        must_fail(VERIFIER.run_asserts(program, HUMANEVAL_TESTS, entry_point="has_close_elements"))


@case
def monkeypatching_the_tests_names():
    isclose = "assert math.isclose(area(2), 12.566370614359172)\nassert math.isclose(area(1), math.pi)"
    absolute = (
        "assert abs(area(1) - 3.141592653589793) < 1e-9\nassert abs(area(2) - 12.566370614359172) < 1e-9"
    )
    attacks = (
        ("import math\nmath.isclose = lambda *a, **k: True\n", isclose),
        ("import builtins\nbuiltins.abs = lambda x: 0\n", absolute),
        ("abs = lambda x: 0\n", absolute),
        ("isinstance = lambda *a: True\nmath = None\n", isclose),
    )
    for patch, tests in attacks:
        must_fail(
            VERIFIER.run_asserts(patch + "def area(r):\n    return 0\n", tests, imports=["import math"])
        )
    honest = "def area(r):\n    return 3.141592653589793 * r * r\n"
    for tests in (isclose, absolute):
        assert VERIFIER.run_asserts(honest, tests, imports=["import math"]).passed


@case
def exit_before_the_asserts():
    for exit_call in ("import sys\nsys.exit(0)\n", "import os\nos._exit(0)\n", "raise SystemExit\n"):
        verdict = VERIFIER.run_asserts(WRONG + exit_call, HUMANEVAL_TESTS, entry_point="has_close_elements")
        must_fail(verdict, "failed_test")


# ------------------------------------------------------------------------------------------- the host


@case
def network():
    cpp()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    unix_path = Path(tempfile.mkdtemp()) / "sock"
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(unix_path))
    unix.listen(4)
    unix.settimeout(0.2)
    os.chmod(unix_path.parent, 0o755)
    os.chmod(unix_path, 0o777)
    src = f"""#include <cstdio>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
int main() {{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{{}}; a.sin_family = AF_INET; a.sin_port = htons({port});
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    printf("tcp %d\\n", connect(s, (sockaddr*)&a, sizeof a));
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un b{{}}; b.sun_family = AF_UNIX; strcpy(b.sun_path, "{unix_path}");
    printf("unix %d\\n", connect(u, (sockaddr*)&b, sizeof b));
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in g{{}}; g.sin_family = AF_INET; g.sin_port = htons(53);
    inet_pton(AF_INET, "8.8.8.8", &g.sin_addr);
    printf("udp %d\\n", (int)sendto(d, "x", 1, 0, (sockaddr*)&g, sizeof g));
}}
"""
    try:
        r = run_program("cpp", src, limits=SMALL)
        for listener in (server, unix):
            try:
                conn, _ = listener.accept()
                conn.close()
                raise AssertionError("the program reached a listener on the host")
            except TimeoutError:
                pass
    finally:
        server.close()
        unix.close()
        unix_path.unlink(missing_ok=True)
        unix_path.parent.rmdir()
    assert r.status == "ok", r
    assert r.stdout == "tcp -1\nunix -1\nudp -1\n", r.stdout


@case
def proc_and_disk_secrets():
    secret = "hf_" + secrets.token_hex(12)
    before = os.environ.get("HF_TOKEN")
    os.environ["HF_TOKEN"] = secret
    home = Path(tempfile.mkdtemp())
    token = home / ".cache" / "huggingface" / "token"
    token.parent.mkdir(parents=True)
    token.write_text(secret)
    for d in (home, home / ".cache", token.parent):
        d.chmod(0o755)
    token.chmod(0o644)
    src = f"""import os
seen = []
for pid in os.listdir("/proc"):
    for part in ("environ", "cmdline"):
        try:
            seen.append(open(f"/proc/{{pid}}/{{part}}", "rb").read().decode(errors="replace"))
        except OSError:
            pass
for path in ({str(token)!r}, "/proc/1/root/{str(token)}", "/root/.cache/huggingface/token",
             "/work/shared/data/code/sanitized-mbpp.json"):
    try:
        seen.append(open(path).read())
    except OSError as e:
        seen.append(f"{{path}}: {{type(e).__name__}}")
print(seen)
print(sorted(os.listdir("/")))
"""
    try:
        r = run_program("python", src, limits=SMALL)
    finally:
        if before is None:
            del os.environ["HF_TOKEN"]
        else:
            os.environ["HF_TOKEN"] = before
        token.unlink()
        for d in (token.parent, home / ".cache", home):
            d.rmdir()
    assert r.status == "ok", r
    assert secret not in r.stdout + r.stderr
    assert "similar_elements" not in r.stdout  # the dataset holding the tests' expected values
    visible = set(eval(r.stdout.splitlines()[-1]))
    toolchain = {"proc", "dev", "etc", "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"}
    needed = {Path(os.path.realpath(p)).parts[1] for p in (sys.base_prefix, scratch_dir())}
    assert visible <= toolchain | needed, visible  # the Python installation and the run's own directory


@case
def searching_the_disk_for_the_expected_output():
    expected = "EXPECTED-" + secrets.token_hex(8)
    holder = Path(tempfile.mkdtemp())
    (holder / "cases.jsonl").write_text(json.dumps({"input": "7", "output": expected}) + "\n")
    holder.chmod(0o755)
    (holder / "cases.jsonl").chmod(0o644)
    # the attacker knows where the data lives; everywhere else that holds data is searched too
    tops = [
        str(holder),
        "/work/shared/data",
        "/work",
        "/tmp",
        "/home",
        "/root/.cache",
        "/data",
        "/mnt",
        "/srv",
    ]
    src = f"""import os
for top in {tops!r}:
    for root, dirs, files in os.walk(top):
        for name in files:
            try:
                for line in open(os.path.join(root, name), errors="ignore"):
                    if "EXPECTED-" in line:
                        print(line.split('"output": "')[1].split('"')[0])
                        raise SystemExit
            except (OSError, IndexError, UnicodeError):
                pass
print("nothing found")
"""
    try:
        verdict = VERIFIER.run_io(src, {"inputs": ["7"], "outputs": [expected]})
    finally:
        (holder / "cases.jsonl").unlink()
        holder.rmdir()
    must_fail(verdict, "wrong_answer")


@case
def fork_bomb():
    cpp()
    token = "smp" + secrets.token_hex(4)
    bomb = f'#include <unistd.h>\n#include <sys/prctl.h>\nint main() {{ prctl(PR_SET_NAME, "{token}");'
    bomb += " while (1) fork(); }\n"
    r = run_program("cpp", bomb, limits=Limits(wall_s=3.0, cpu_s=3.0, processes=32))
    assert r.status in ("timeout", "error"), r
    no_process_named(token)
    after = run_program("python", "print('alive')", limits=SMALL)
    assert after.status == "ok" and after.stdout == "alive\n", after


@case
def memory_bomb():
    r = run_program("python", "x = bytearray(4 * 1024**3)\nprint(len(x))\n", limits=SMALL)
    assert r.status == "memory", r
    r = run_program("python", "x = []\nwhile True:\n    x.append(bytearray(1 << 24))\n", limits=SMALL)
    assert r.status in ("memory", "error"), r
    assert "MemoryError" in r.stderr, r


@case
def memory_bomb_across_processes():
    """8 processes of 230 MB each under a 256 MB limit: the run's cgroup keeps their total near the limit
    (without one, each process is bounded alone and together they take 1.8 GB)."""
    cpp()
    if isolation_report()["cgroup"].startswith("none"):
        raise Skip("no cgroup this caller may make: memory is bounded per process only")
    src = """#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <unistd.h>
#include <poll.h>
#include <sys/wait.h>
int main() {
    int p[2];
    pipe(p);
    for (int i = 0; i < 8; i++) {
        if (fork() == 0) {
            char* m = (char*)malloc(230 << 20);
            memset(m, 1, 230 << 20);
            pid_t me = getpid();
            write(p[1], &me, sizeof me);
            pause();
        }
    }
    close(p[1]);
    std::set<pid_t> holding, dead;  // children that allocated their share; children gone
    pid_t pid;
    pollfd f{p[0], POLLIN, 0};
    for (;;) {  // until every child has either allocated its share or been killed
        if (poll(&f, 1, 100) > 0 && read(p[0], &pid, sizeof pid) == sizeof pid) holding.insert(pid);
        while ((pid = waitpid(-1, nullptr, WNOHANG)) > 0) dead.insert(pid);
        std::set<pid_t> seen(holding);
        seen.insert(dead.begin(), dead.end());
        if (seen.size() == 8) break;
    }
    // a child the kernel killed for memory may not be reaped yet on a loaded machine: reap for a second
    for (int k = 0; k < 50; k++) {
        while ((pid = waitpid(-1, nullptr, WNOHANG)) > 0) dead.insert(pid);
        usleep(20000);
    }
    int alive = 0;
    for (pid_t h : holding) alive += !dead.count(h);
    printf("%d\\n", alive);  // children holding 230 MB each, all at once
}
"""
    r = run_program("cpp", src, limits=Limits(wall_s=30.0, cpu_s=30.0, memory_mb=256, processes=32))
    # the total allowed: 256 MB, the run's tmpfs (64), /dev/shm (16) and the launcher's (64): one child fits
    # (a child that allocated may be killed later to make room for another: only those alive at once count)
    assert r.status == "memory" or (r.status == "ok" and int(r.stdout) <= 1), r


@case
def deep_tree_and_links_out():
    cpp()  # native code: the Python audit hook would refuse the links
    src = """#include <cstdio>
#include <unistd.h>
#include <sys/stat.h>
int main() {
    char top[4096];
    getcwd(top, sizeof top);
    symlink("/", "root"); symlink("..", "up"); symlink(top, "home"); symlink("/proc/self/cwd", "proc");
    for (int i = 0; i < 1100; i++) {
        if (mkdir("d", 0755) != 0 || chdir("d") != 0) { printf("stopped at %d\\n", i); return 1; }
        if (i % 100 == 0) { symlink("/", "link"); symlink(top, "top"); symlink("../../..", "back"); }
    }
    chdir(top);
    chmod("d", 0);
    printf("deep\\n");
}
"""
    r = run_program("cpp", src, limits=SMALL)
    assert r.status == "ok" and r.stdout == "deep\n", r


@case
def shared_memory_outliving_the_run():
    cpp()
    key = 0x5E000000 + secrets.randbelow(1 << 20)
    name = f"smepo-leak-{key:x}"
    writer = f"""#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/mman.h>
int main() {{
    int id = shmget({key}, 4096, IPC_CREAT | 0666);
    char* p = (char*)shmat(id, nullptr, 0);
    if (p != (char*)-1) strcpy(p, "left behind");
    int m = memfd_create("smepo-leak", 0);
    write(m, "left behind", 11);
    int f = open("/dev/shm/{name}", O_CREAT | O_WRONLY, 0666);
    write(f, "left behind", 11);
    printf("%d %d %d\\n", id >= 0, m >= 0, f >= 0);
}}
"""
    reader = f"""#include <cstdio>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>
int main() {{
    printf("%d %d\\n", shmget({key}, 0, 0) >= 0, access("/dev/shm/{name}", F_OK) == 0);
}}
"""
    first = run_program("cpp", writer, limits=SMALL)
    assert first.status == "ok" and first.stdout == "1 1 1\n", first
    second = run_program("cpp", reader, limits=SMALL)
    assert second.status == "ok" and second.stdout == "0 0\n", second
    host = Path("/proc/sysvipc/shm").read_text()
    assert f"{key:d}" not in host.split(), "a SysV segment of the run is on the host"
    assert not Path("/dev/shm", name).exists(), "a file the run put in /dev/shm is on the host"


@case
def leftover_daemon():
    cpp()
    token = "smp" + secrets.token_hex(4)
    src = f"""#include <cstdio>
#include <unistd.h>
#include <sys/prctl.h>
int main() {{
    if (fork() == 0) {{
        setsid();
        if (fork() == 0) {{ prctl(PR_SET_NAME, "{token}"); for (;;) sleep(1); }}
        _exit(0);
    }}
    printf("parent done\\n");
}}
"""
    r = run_program("cpp", src, limits=SMALL)
    assert r.status == "ok" and r.stdout == "parent done\n", r
    no_process_named(token)


@case
def no_privileges_inside():
    src = """fields = dict(l.split(":", 1) for l in open("/proc/self/status"))
print(fields["CapEff"].strip(), fields["CapBnd"].strip(), fields["NoNewPrivs"].strip())
"""
    r = run_program("python", src, limits=SMALL)
    assert r.status == "ok" and r.stdout == "0000000000000000 0000000000000000 1\n", r


@case
def writing_outside_the_working_directory():
    cpp()  # native code: the kernel's boundary, not the Python audit hook
    name = "smepo-x-" + secrets.token_hex(4)
    targets = [f"/usr/bin/{name}", f"/etc/{name}", f"/{name}", f"/tmp/{name}", f"/dev/{name}"]
    listed = ", ".join(f'"{t}"' for t in [*targets, "../x", "in"])
    src = f"""#include <cstdio>
int main() {{
    const char* t[] = {{{listed}}};
    for (auto p : t) printf("%d", fopen(p, "w") != nullptr);
    printf("\\n");
}}
"""
    r = run_program("cpp", src, limits=SMALL)
    assert r.status == "ok" and r.stdout == "0000001\n", r
    left = [t for t in targets if Path(t).exists()]
    assert not left, f"the program wrote on the host: {left}"


# ----------------------------------------------------------------------------------------------- checks


def no_process_named(token: str) -> None:
    """No process on the host (that this caller can see) has ``token`` as its name, within 5 s."""
    deadline = time.monotonic() + 5
    while True:
        left = []
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    if Path(entry.path, "comm").read_text().strip() == token:
                        left.append(entry.name)
                except OSError:
                    pass
        if not left:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"processes of the run are still alive: {left}")
        time.sleep(0.1)


def run_case(name: str) -> str:
    """``held``, ``skipped: why`` or ``FAILED: why`` (an attack that worked, a crash, or something left)."""
    mine = f"-{os.getpid()}-"
    try:
        CASES[name]()
    except Skip as e:
        return f"skipped: {e}"
    except BaseException as e:  # noqa: BLE001 - a crash of the caller is a result here
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        return f"FAILED: {detail}"[:2000]
    left = [p.name for p in scratch_dir().iterdir() if mine in p.name]
    return f"FAILED: left behind {left}" if left else "held"


def main() -> None:
    """Say who runs this and what isolation it gets, then run the cases: one JSON line each."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    caller = {"uid": os.getuid(), "cap_eff": status["CapEff"].strip(), "isolation": isolation_report()}
    print(json.dumps({"caller": caller}), flush=True)
    for name in sys.argv[1:] or CASES:
        print(json.dumps({"case": name, "result": run_case(name)}), flush=True)


if __name__ == "__main__":
    main()
