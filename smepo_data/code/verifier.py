"""The code verifier: does a program pass its tests? The leak audit's judge and, later, the RL reward.

Two kinds of tests, each run in :mod:`smepo_data.code.sandbox`:

* stdin/stdout cases, the released SMEPO schema ``{"inputs": [...], "outputs": [...]}``: the program
  runs once per case; its stdout must equal the expected output up to trailing spaces on each line and
  trailing newlines. The first failing case ends the check.
* assert-style tests, in Python: HumanEval (``tests`` defines ``check(candidate)``, called on
  ``entry_point``) and MBPP (``tests`` is the ``test_list`` asserts, ``imports`` the ``test_imports``).
  The program and the tests run in two sandboxed processes joined by a pipe (:mod:`._harness`): the tests
  call the program's functions through stubs, and every value comes back as plain built-in data, so the
  tests compare their own ``int``, ``list`` ... and the program's ``__eq__``, ``atexit`` hooks, exit
  code or monkeypatching never decide anything. A pass is the tests' process exiting 0 after printing a
  per-run nonce that only it ever held.

What this cannot make tamper-proof:

* names the tests take from the program: a helper the tests call (HumanEval's ``poly`` beside
  ``find_zero``, ``encode_cyclic`` beside ``decode_cyclic``) is the program's own code, so a program that
  redefines it decides what the tests see;
* values the program returns are compared, not how they were computed: a program may special-case the
  test inputs it is given (they cross the pipe) or read them from its own source of the task;
* stdin/stdout cases are compared here, outside the sandbox, but a program that prints the expected
  output for a known input passes, as with any judge;
* arguments cross by value: a test that checks how the program mutated an argument in place, or that
  passes a function or an object of its own to the program, cannot be run this way and fails;
* the sandbox's own limits: see :mod:`.sandbox` (no per-run memory total without a cgroup).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._leak import Finding
from .._model import Example, RowError
from ._blocks import find_code
from ._extract import programs
from .sandbox import Limits, RunResult, SandboxError, build
from .spec import TestSpec, parse_spec

_FRAME = re.compile(r'^\s*File "tests\.py", line (\d+)')
_HARNESS = Path(__file__).with_name("_harness.py")


@dataclass(frozen=True)
class Verdict:
    """``status``: ``"ok"`` when passed, else the run's status (``"error"``, ``"timeout"``, ...) or
    ``"failed_test"`` (an assert failed, or the tests did not all run) / ``"wrong_answer"`` (stdout).
    ``runs``: program runs made; ``wall_s``: their total time, building included."""

    passed: bool
    status: str
    detail: str
    runs: int
    wall_s: float


class CodeVerifier:
    """Runs programs against tests in the sandbox, under ``limits`` per run."""

    def __init__(self, limits: Limits = Limits()) -> None:  # noqa: B008 - frozen, so a shared default is safe
        self.limits = limits

    def run_io(self, program: str, cases: dict | str, language: str = "python") -> Verdict:
        """Run ``program`` on each of ``cases["inputs"]`` and compare its stdout with ``cases["outputs"]``."""
        spec = json.loads(cases) if isinstance(cases, str) else cases
        inputs, outputs = spec["inputs"], spec["outputs"]
        if len(inputs) != len(outputs) or not inputs:
            raise ValueError("'inputs' and 'outputs' must be non-empty lists of the same length")

        def judge(case: int, result: RunResult) -> tuple[str, str] | None:
            if result.status != "ok":
                return result.status, f"case {case}: {result.detail}"
            got, expected = _normalise(result.stdout), _normalise(outputs[case])
            if got != expected:
                return "wrong_answer", f"case {case}: expected {_clip(expected)!r}, got {_clip(got)!r}"
            return None

        return self._verify(language, program, inputs, judge)

    def run_asserts(
        self,
        program: str,
        tests: str,
        *,
        entry_point: str | None = None,
        imports: Sequence[str] = (),
        language: str = "python",
    ) -> Verdict:
        """Run ``program`` against assert-style ``tests`` (and ``check(entry_point)`` if given): the program
        and the tests run in two sandboxed processes (see :mod:`smepo_data.code._harness`)."""
        if language != "python":
            raise ValueError(f"assert-style tests are Python; got language {language!r}")
        start = time.monotonic()
        nonce = secrets.token_hex(16)
        request = json.dumps({"nonce": nonce, "entry_point": entry_point, "imports": list(imports)})
        harness = _HARNESS.read_text(encoding="utf-8")
        limits = self.limits
        with (
            build("python", harness, limits=limits, files={"program.py": program}, args=["serve"]) as side,
            build("python", harness, limits=limits, files={"tests.py": tests}, args=["tests"]) as checker,
        ):
            requests_r, requests_w = os.pipe()
            replies_r, replies_w = os.pipe()
            ran: dict[str, RunResult | BaseException] = {}

            def serve() -> None:
                try:
                    ran["program"] = side.run("", channel=(requests_r, replies_w))
                except BaseException as e:  # noqa: BLE001 - raised again below, in the caller's thread
                    ran["program"] = e

            thread = threading.Thread(target=serve, daemon=True)
            thread.start()
            try:
                result = checker.run(request, channel=(replies_r, requests_w))
            finally:
                thread.join()
        served = ran["program"]
        if isinstance(served, BaseException):
            raise served
        status, detail = _judge_asserts(result, served, nonce)
        return Verdict(status == "ok", status, detail, 1, round(time.monotonic() - start, 3))

    def score(self, completion_code: str, **test_spec: Any) -> float:
        """1.0 if ``completion_code`` passes, else 0.0. ``test_spec``: a test spec's fields, either
        ``inputs``/``outputs`` (or ``cases``) or ``tests`` with ``entry_point``/``imports``; plus
        ``language``."""
        language = test_spec.pop("language", "python")
        if "tests" in test_spec:
            verdict = self.run_asserts(completion_code, language=language, **test_spec)
        else:
            verdict = self.run_io(completion_code, test_spec.pop("cases", test_spec), language)
        return 1.0 if verdict.passed else 0.0

    def reward(self, completion: str, answer: str, **row: Any) -> float:
        """1.0 when the completion's first program in the spec's language (its code blocks, else the
        whole text) passes the tests of the spec ``answer``, else 0.0 (0.0 without a program). Raises
        :class:`~smepo_data.code.sandbox.SandboxError` where the sandbox cannot run programs at all (no
        isolation, no toolchain), rather than scoring every completion 0."""
        spec = parse_spec(answer)
        found = programs(completion, spec.language)
        if not found:
            return 0.0
        verdict = self.check(found[0], spec)
        if verdict.status == "unavailable":  # no isolation or no toolchain: no completion could earn it
            raise SandboxError(f"the code reward cannot be computed: {verdict.detail}")
        return 1.0 if verdict.passed else 0.0

    def check(self, program: str, spec: TestSpec, language: str | None = None) -> Verdict:
        """Run ``program`` against a parsed test spec."""
        language = language or spec.language
        if spec.kind == "io":
            return self.run_io(
                program, {"inputs": list(spec.inputs), "outputs": list(spec.outputs)}, language
            )
        return self.run_asserts(program, spec.tests, entry_point=spec.entry_point, imports=spec.imports)

    def validate(self, example: Example) -> None:
        """A row whose reference solution fails its own tests cannot be audited: refuse it."""
        spec = parse_spec(example.answer)
        language = _language(example.trace, spec)
        candidates = programs(example.trace, language)
        if not candidates:
            raise RowError(
                "reference_fails", f"no {language} program in the trace to check against the tests"
            )
        verdicts = [self.check(p, spec, language) for p in candidates]
        if not any(v.passed for v in verdicts):
            raise RowError("reference_fails", f"the reference solution fails its tests: {verdicts[0].detail}")

    def wrong_trace(self, example: Example) -> str | None:
        """Always ``None``: :meth:`validate` already refuses a trace whose code fails its own tests
        (``reference_fails``)."""
        return None

    def attacks(self, example: Example, masked: str) -> list[Finding]:
        """``tests_pass``: the code still visible in the masked trace, run as the answer in the sandbox,
        passes the tests. Not located: a code row that leaks is masked at the next stricter level."""
        spec = parse_spec(example.answer)
        language = _language(example.trace, spec)
        for program in programs(masked, language):
            verdict = self.check(program, spec, language)
            if verdict.passed:
                return [Finding("tests_pass", f"the code left visible passes the tests ({verdict.detail})")]
        return []

    def leak(self, example: Example, masked: str) -> str | None:
        """The masked trace leaks when the code still visible in it, run as the answer, passes the tests."""
        found = self.attacks(example, masked)
        return str(found[0]) if found else None

    def _verify(
        self,
        language: str,
        source: str,
        stdins: Sequence[str],
        judge: Callable[[int, RunResult], tuple[str, str] | None],
    ) -> Verdict:
        """The one place programs run: build once, run per stdin, stop at the first failure."""
        start = time.monotonic()
        runs = 0
        with build(language, source, limits=self.limits) as program:
            for case, stdin in enumerate(stdins):
                runs += 1
                failure = judge(case, program.run(stdin))
                if failure is not None:
                    return Verdict(False, *failure, runs, round(time.monotonic() - start, 3))
        return Verdict(True, "ok", f"{runs} run(s) passed", runs, round(time.monotonic() - start, 3))


def _language(trace: str, spec: TestSpec) -> str:
    """The language the answer is written in: the spec's when it names one (assert tests are Python),
    else the last tagged block's, else Python."""
    if spec.kind == "asserts" or spec.language != "python":
        return spec.language
    tagged = [b.language for b in find_code(trace) if b.kind != "inline" and b.language]
    return tagged[-1] if tagged else "python"


def _judge_asserts(tests: RunResult, program: RunResult, nonce: str) -> tuple[str, str]:
    """The verdict from the tests' run alone (the program's run only explains a failure): a pass needs
    the tests' exit code 0 and the nonce, which only the tests' process ever held."""
    if tests.status == "ok" and nonce in tests.stdout.splitlines():
        return "ok", "the tests passed"
    if tests.status == "unavailable" or program.status == "unavailable":
        return "unavailable", (tests if tests.status == "unavailable" else program).detail
    if "ProgramEnded" in tests.stderr:
        if program.status == "ok":
            return "failed_test", "the program exited before all the tests ran"
        return program.status, program.detail
    if tests.status == "error" and "AssertionError" in tests.stderr:
        return "failed_test", _failed_assert(tests.stderr)
    if tests.status != "ok":
        if program.status in ("timeout", "memory", "output_limit"):
            return program.status, program.detail
        return tests.status, tests.detail
    return "failed_test", "the tests did not finish"


def _failed_assert(stderr: str) -> str:
    """``AssertionError at line N: <the failing line>`` from the traceback (the script's own frames)."""
    lines = stderr.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        frame = _FRAME.match(lines[i])
        if frame:
            source = lines[i + 1].strip() if i + 1 < len(lines) else ""
            last = lines[-1].strip()
            return _clip(f"{last} at line {frame.group(1)}: {source}", 300)
    return _clip(lines[-1].strip() if lines else "AssertionError", 300)


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
