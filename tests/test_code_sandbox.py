"""The code sandbox and verifier against hostile and ordinary programs.

Every test also checks that nothing is left behind: no build or working directory in the scratch
directory and no process of a sandbox uid. Limits are small so the file runs in well under a minute.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from pathlib import Path

import pytest

from smepo_data.code.sandbox import Limits, available, build, run_program, scratch_dir
from smepo_data.code.verifier import CodeVerifier

ROOT = os.geteuid() == 0
SMALL = Limits(wall_s=3.0, cpu_s=3.0, memory_mb=512, processes=32)
needs_root = pytest.mark.skipif(not ROOT, reason="this boundary (uid drop, namespaces) needs root")
needs_cpp = pytest.mark.skipif(not available("cpp"), reason="no g++")
needs_java = pytest.mark.skipif(not available("java"), reason="no javac/java")

HUMANEVAL_TESTS = """
METADATA = {"author": "jt", "dataset": "test"}


def check(candidate):
    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True
    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05) == False
    assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 1.0) == True
"""
HUMANEVAL_PROMPT = '''from typing import List


def has_close_elements(numbers: List[float], threshold: float) -> bool:
    """ Check if in given list of numbers, are any two numbers closer to each other than threshold."""
'''
HUMANEVAL_SOLUTION = """    for i, a in enumerate(numbers):
        for j, b in enumerate(numbers):
            if i != j and abs(a - b) < threshold:
                return True
    return False
"""


@pytest.fixture(autouse=True)
def nothing_left_behind():
    """No build or run directory of this process outlives the test. Directories carry the pid of the
    process that made them, so another process using the sandbox at the same time does not count; leftover
    processes are checked where a test can name them (``tests/test_hostile_programs.py``)."""
    mine = f"-{os.getpid()}-"
    yield
    assert [p.name for p in scratch_dir().iterdir() if mine in p.name] == []


# ------------------------------------------------------------------------------------- hostile programs


def test_infinite_loop_times_out_on_wall_clock():
    start = time.monotonic()
    r = run_program("python", "while True:\n    pass\n", limits=Limits(wall_s=2.0, cpu_s=10.0))
    assert r.status == "timeout" and r.returncode is None
    assert "wall" in r.detail
    assert time.monotonic() - start < 2.0 + 2.0


def test_cpu_limit_ends_a_busy_program():
    r = run_program("python", "while True:\n    pass\n", limits=Limits(wall_s=10.0, cpu_s=1.0))
    assert r.status == "timeout" and "CPU" in r.detail


def test_python_fork_bomb_is_refused_by_the_audit_hook():
    r = run_program("python", "import os\nwhile True:\n    os.fork()\n", limits=SMALL)
    assert r.status == "error" and "os.fork is not allowed" in r.detail


@needs_cpp
def test_fork_bomb_is_contained_by_the_process_limit():
    bomb = "#include <unistd.h>\nint main() { while (1) fork(); }\n"
    start = time.monotonic()
    r = run_program("cpp", bomb, limits=Limits(wall_s=3.0, cpu_s=3.0, processes=32))
    assert r.status == "timeout"
    assert time.monotonic() - start < 3.0 + 5.0  # the compile is part of it
    # the machine is fine afterwards: a program starts and runs at once
    after = run_program("python", "print('alive')", limits=SMALL)
    assert after.status == "ok" and after.stdout == "alive\n" and after.wall_s < 2.0


@needs_cpp
def test_processes_beyond_the_limit_cannot_be_created():
    counter = """#include <cstdio>
#include <unistd.h>
int main() {
    int made = 0;
    for (int i = 0; i < 500; i++) {
        pid_t pid = fork();
        if (pid == 0) { pause(); _exit(0); }
        if (pid > 0) made++;
    }
    printf("%d\\n", made);
}
"""
    r = run_program("cpp", counter, limits=Limits(wall_s=5.0, processes=32))
    assert r.status == "ok"
    assert 0 < int(r.stdout) < 32  # the children still paused are killed with the run


@needs_cpp
def test_processes_escaping_the_session_die_with_the_run():
    escaper = """#include <cstdio>
#include <unistd.h>
int main() {
    if (fork() == 0) { setsid(); if (fork() == 0) { for (;;) sleep(1); } _exit(0); }
    printf("parent done\\n");
}
"""
    r = run_program("cpp", escaper, limits=SMALL)
    assert r.status == "ok" and r.stdout == "parent done\n"
    # nothing_left_behind checks that the detached grandchild is gone


def test_two_gigabyte_allocation_hits_the_memory_limit():
    r = run_program("python", "x = bytearray(2 * 1024**3)\nprint(len(x))\n", limits=SMALL)
    assert r.status == "memory" and "MemoryError" in r.stderr


@needs_cpp
def test_two_gigabyte_allocation_in_cpp_hits_the_memory_limit():
    src = "#include <vector>\n#include <cstdio>\nint main() { std::vector<char> v(2000000000LL, 1); "
    src += 'printf("%d", v[7]); }\n'
    r = run_program("cpp", src, limits=SMALL)
    assert r.status == "memory"


def test_deep_recursion_is_an_error_not_a_crash():
    r = run_program("python", "def f(n):\n    return f(n + 1)\nf(0)\n", limits=SMALL)
    assert r.status == "error" and "RecursionError" in r.detail


@needs_cpp
def test_stack_overflow_segfault_is_an_error():
    src = "int f(int n) { volatile char pad[4096]; pad[0] = n; return f(n + 1) + pad[0]; }\n"
    src += "int main() { return f(0); }\n"
    r = run_program("cpp", src, limits=SMALL)
    assert r.status == "error" and "SIGSEGV" in r.detail


ESCAPES = ("/tmp/smepo_escape_test", str(scratch_dir() / "escape"))


def test_python_cannot_write_outside_its_directory():
    for target in ESCAPES:
        Path(target).unlink(missing_ok=True)
    src = "open('/tmp/smepo_escape_test', 'w').write('x')\n"
    r = run_program("python", src, limits=SMALL)
    assert r.status == "error" and "not allowed" in r.detail
    r = run_program("python", "open('../escape', 'w').write('x')\n", limits=SMALL)
    assert r.status == "error" and "not allowed" in r.detail
    r = run_program("python", "import os\nos.rename('/etc/hostname', 'stolen')\n", limits=SMALL)
    assert r.status == "error" and "not allowed" in r.detail
    for target in ESCAPES:
        assert not os.path.exists(target)


def test_python_can_write_inside_its_directory_and_each_run_starts_empty():
    src = "import os\nprint(sorted(os.listdir('.')))\nopen('state.txt', 'w').write('x')\nprint(os.getcwd())\n"
    with build("python", src, limits=SMALL) as program:
        first, second = program.run(), program.run()
    assert first.status == second.status == "ok"
    assert first.stdout.splitlines()[0] == second.stdout.splitlines()[0] == "[]"
    workdirs = [first.stdout.splitlines()[1], second.stdout.splitlines()[1]]
    assert workdirs[0] != workdirs[1] and not any(os.path.exists(w) for w in workdirs)


@needs_root
@needs_cpp
def test_native_code_cannot_write_outside_its_directory():
    src = '#include <cstdio>\nint main() { const char* t[] = {"/tmp/smepo_escape_test", "../escape", '
    src += '"/dev/shm/smepo_escape_test", "inside"}; for (auto p : t) printf("%d", fopen(p, "w") != 0); }\n'
    r = run_program("cpp", src, limits=SMALL)
    assert r.status == "ok" and r.stdout == "0011"  # /dev/shm is the run's own tmpfs
    for target in (*ESCAPES, "/dev/shm/smepo_escape_test"):
        assert not os.path.exists(target)


def test_secrets_in_the_environment_do_not_reach_the_program(monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "secret123")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret456")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws_secret789")
    src = """import os
print(dict(os.environ))
try:
    print(open(f"/proc/{os.getppid()}/environ").read())
except OSError as e:
    print("parent environ:", type(e).__name__)
"""
    r = run_program("python", src, limits=SMALL)
    assert r.status == "ok"
    for secret in ("secret123", "ghp_secret456", "aws_secret789"):
        assert secret not in r.stdout + r.stderr
    assert set(eval(r.stdout.splitlines()[0])) <= {"PATH", "LANG", "LC_ALL", "HOME", "TMPDIR"}


@needs_root
def test_no_network_and_no_view_of_other_processes():
    src = "import os\nprint(open('/proc/self/net/dev').read())\n"
    src += "print(sorted(p for p in os.listdir('/proc') if p.isdigit()))\n"
    r = run_program("python", src, limits=SMALL)
    assert r.status == "ok" and r.detail == "exit code 0"  # no "[... not isolated ...]" note
    interfaces = [line.split(":")[0].strip() for line in r.stdout.splitlines() if ":" in line]
    assert interfaces == ["lo"]
    assert r.stdout.splitlines()[-1] == "['1', '2']"  # its init and itself, in their own PID namespace


def test_python_sockets_and_subprocesses_are_refused():
    r = run_program("python", "import socket\nsocket.socket()\n", limits=SMALL)
    assert r.status == "error" and "socket" in r.detail
    r = run_program("python", "import subprocess\nsubprocess.run(['true'])\n", limits=SMALL)
    assert r.status == "error" and "subprocess.Popen is not allowed" in r.detail


def test_printing_100_mb_is_cut_at_the_output_limit():
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    src = "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\n"
    r = run_program("python", src, limits=Limits(output_bytes=1_000_000))
    assert r.status == "output_limit" and "stdout" in r.detail
    assert len(r.stdout) == 1_000_000
    assert time.monotonic() - start < 3.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 50 * 1024  # KiB


def test_concurrent_runs_see_only_their_own_processes_and_files():
    src = "import os, time\nopen(f'mine-{os.getpid()}', 'w').close()\ntime.sleep(0.3)\n"
    src += "print(sorted(p for p in os.listdir('/proc') if p.isdigit()), os.listdir('.'))\n"
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(run_program("python", src, limits=SMALL)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [(r.status, r.stdout) for r in results] == [("ok", "['1', '2'] ['mine-2']\n")] * 3


# --------------------------------------------------------------------------------------------- verifier


def test_exit_before_the_asserts_is_not_a_pass():
    v = CodeVerifier(SMALL)
    wrong = "def has_close_elements(numbers, threshold):\n    return None\n"
    for exit_call in ("import sys\nsys.exit(0)", "import os\nos._exit(0)"):
        verdict = v.run_asserts(f"{wrong}{exit_call}\n", HUMANEVAL_TESTS, entry_point="has_close_elements")
        assert not verdict.passed and verdict.status == "failed_test"
        assert "before all the tests ran" in verdict.detail


def test_humaneval_reference_passes_and_a_wrong_solution_names_the_failing_assert():
    v = CodeVerifier(SMALL)
    good = v.run_asserts(
        HUMANEVAL_PROMPT + HUMANEVAL_SOLUTION, HUMANEVAL_TESTS, entry_point="has_close_elements"
    )
    assert good.passed and good.status == "ok" and good.runs == 1
    bad = v.run_asserts(
        HUMANEVAL_PROMPT + "    return True\n", HUMANEVAL_TESTS, entry_point="has_close_elements"
    )
    assert not bad.passed and bad.status == "failed_test"
    assert (
        "AssertionError" in bad.detail
        and "assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05)" in bad.detail
    )


def test_mbpp_with_test_imports_passes():
    code = "def area(r):\n    return 3.141592653589793 * r * r\n"
    tests = "assert math.isclose(area(2), 12.566370614359172)\nassert math.isclose(area(1), math.pi)"
    v = CodeVerifier(SMALL)
    assert v.run_asserts(code, tests, imports=["import math"]).passed
    assert v.score(code, tests=tests, imports=["import math"]) == 1.0
    assert v.score(code, tests=tests) == 0.0  # NameError: math


def test_stdin_stdout_cases():
    v = CodeVerifier(SMALL)
    program = "n = int(input())\nprint(n * 2, ' ')\n"
    passed = v.run_io(program, {"inputs": ["1\n", "21\n"], "outputs": ["2\n", "42\n\n"]})
    assert passed.passed and passed.runs == 2
    failed = v.run_io(program, '{"inputs": ["1", "2", "3"], "outputs": ["2", "5", "6"]}')
    assert not failed.passed and failed.status == "wrong_answer" and failed.runs == 2
    assert failed.detail.startswith("case 1:")
    crashed = v.run_io("print(1 / 0)", {"inputs": [""], "outputs": ["1"]})
    assert crashed.status == "error" and "ZeroDivisionError" in crashed.detail
    assert v.score(program, inputs=["4"], outputs=["8"]) == 1.0


@needs_cpp
def test_cpp_io_and_compile_error():
    v = CodeVerifier(SMALL)
    program = "#include <iostream>\nint main() { long long n; std::cin >> n; std::cout << n * 2 << '\\n'; }\n"
    assert v.run_io(program, {"inputs": ["21", "5"], "outputs": ["42", "10"]}, language="cpp").passed
    r = run_program("cpp", "int main() { return undeclared; }\n", limits=SMALL)
    assert r.status == "compile_error" and "undeclared" in r.detail


@needs_java
def test_java_io():
    program = """import java.util.Scanner;
public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        System.out.println("hello " + (in.nextInt() * 2));
    }
}
"""
    verdict = CodeVerifier().run_io(program, {"inputs": ["21"], "outputs": ["hello 42"]}, language="java")
    assert verdict.passed, verdict.detail
