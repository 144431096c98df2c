"""The code verifier: does a program pass its tests? The leak audit's judge and, later, the RL reward.

Two kinds of tests, each run in :mod:`smepo_data.code.sandbox`:

* stdin/stdout cases, the released SMEPO schema ``{"inputs": [...], "outputs": [...]}``: the program
  runs once per case; its stdout must equal the expected output up to trailing spaces on each line and
  trailing newlines. The first failing case ends the check.
* assert-style tests, in Python: HumanEval (``tests`` defines ``check(candidate)``, called on
  ``entry_point``) and MBPP (``tests`` is the ``test_list`` asserts, ``imports`` the ``test_imports``).
  Program and tests run as one script that ends by printing a random per-run nonce, and a pass needs
  exit code 0 *and* the nonce on stdout: a program that exits (``sys.exit(0)``, ``os._exit(0)``)
  before the asserts have run does not pass. Code that deliberately introspects the running script can
  still find the nonce; the nonce guards against early exits, not against such an attack.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .._leak import Finding
from .._model import Example, RowError
from ._blocks import find_code
from ._extract import programs
from .sandbox import Limits, RunResult, build
from .spec import TestSpec, parse_spec

_FRAME = re.compile(r'^\s*File "[^"]*main\.py", line (\d+)')


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
        """Run ``program`` followed by assert-style ``tests`` (and ``check(entry_point)`` if given)."""
        if language != "python":
            raise ValueError(f"assert-style tests are Python; got language {language!r}")
        nonce = secrets.token_hex(16)
        script = _assert_script(program, tests, entry_point, imports, nonce)

        def judge(_: int, result: RunResult) -> tuple[str, str] | None:
            if result.status == "ok":
                if nonce in result.stdout:
                    return None
                return "failed_test", "exited before all the tests ran"
            if result.status == "error" and "AssertionError" in result.stderr:
                return "failed_test", _failed_assert(result.stderr)
            return result.status, result.detail

        return self._verify("python", script, [""], judge)

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


def _assert_script(
    program: str, tests: str, entry_point: str | None, imports: Sequence[str], nonce: str
) -> str:
    """The one place the assert harness is built: imports, program, tests, the check call, the nonce."""
    parts = [*imports, program, tests]
    if entry_point:
        parts.append(f"check({entry_point})")
    parts.append(f"print({nonce!r}, flush=True)")
    return "\n\n".join(parts) + "\n"


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
