"""The tests a code answer must pass, as carried in ``reward_model.ground_truth`` (a JSON string).

Two kinds: stdin/stdout cases (the released SMEPO schema, ``{"inputs": [...], "outputs": [...]}``) and
assert-style tests (``{"tests": "...", "entry_point": "...", "imports": [...]}``: HumanEval's
``check(candidate)``, MBPP's ``test_list`` with ``test_imports``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from .._model import RowError


@dataclass(frozen=True)
class TestSpec:
    kind: str  # "io" or "asserts"
    language: str = "python"
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    tests: str = ""
    entry_point: str | None = None
    imports: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        if self.kind == "io":
            d: dict = {"inputs": list(self.inputs), "outputs": list(self.outputs)}
        else:
            d = {"tests": self.tests, "entry_point": self.entry_point, "imports": list(self.imports)}
        if self.language != "python":
            d["language"] = self.language
        return json.dumps(d, ensure_ascii=False)


@lru_cache(maxsize=4096)
def parse_spec(answer: str) -> TestSpec:
    """Read a test spec; raise :class:`RowError` (``unparsable_answer``) saying what is wrong."""
    try:
        d = json.loads(answer)
    except (json.JSONDecodeError, TypeError) as e:
        raise RowError("unparsable_answer", f"the tests are not JSON ({e})") from e
    if not isinstance(d, dict):
        raise RowError("unparsable_answer", f"the tests are a JSON {type(d).__name__}, not an object")
    language = str(d.get("language") or "python").lower()
    if "inputs" in d or "outputs" in d:
        inputs, outputs = d.get("inputs"), d.get("outputs")
        if not isinstance(inputs, list) or not isinstance(outputs, list) or len(inputs) != len(outputs):
            raise RowError("unparsable_answer", "'inputs' and 'outputs' must be lists of the same length")
        if not inputs:
            raise RowError("unparsable_answer", "no test cases")
        return TestSpec("io", language, tuple(map(str, inputs)), tuple(map(str, outputs)))
    tests = d.get("tests")
    if not isinstance(tests, str) or not tests.strip():
        raise RowError("unparsable_answer", "no 'tests' (asserts) and no 'inputs'/'outputs' cases")
    imports = d.get("imports") or []
    if not isinstance(imports, list) or not all(isinstance(i, str) for i in imports):
        raise RowError("unparsable_answer", "'imports' must be a list of import lines")
    entry = d.get("entry_point")
    return TestSpec(
        "asserts", language, tests=tests, entry_point=str(entry) if entry else None, imports=tuple(imports)
    )
