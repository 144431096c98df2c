"""The code domain through the pipeline: the sandboxed audit, escalation, and the reference check."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from smepo_data import Example, Span, mask_example, mask_text, render
from smepo_data._model import RowError
from smepo_data.code.verifier import CodeVerifier
from smepo_data.pipeline import PipelineConfig, run

from .conftest import ROOT, SAMPLES

SPEC = json.dumps({"tests": "assert add(2, 3) == 5\nassert add(-1, 1) == 0", "imports": []})
TRACE = "Add the two numbers.\n```python\ndef add(a, b):\n    # the sum\n    return a + b\n```\n"


def test_mask_text_for_code():
    r = mask_text("code", TRACE, question="Write add(a, b).", answer=SPEC)
    assert r.text == "Add the two numbers.\n```python\ndef add(a, b):\n    # the sum\n    [CODE]\n```\n"
    assert r.leak is None and r.level == "body"


def test_a_body_that_still_passes_escalates_to_block():
    # the tests only check that the function exists: the signature alone passes them
    spec = json.dumps({"tests": "assert callable(add)", "imports": []})
    r = mask_example(Example("x", "code", "q", TRACE, spec), "body")
    assert (r.requested_level, r.level, r.leak) == ("body", "block", None)
    assert r.text == "Add the two numbers.\n```python\n[CODE]\n```\n"


def test_a_reference_that_fails_its_tests_is_refused():
    bad = TRACE.replace("a + b", "a - b")
    with pytest.raises(RowError, match="reference_fails: the reference solution fails its tests"):
        mask_example(Example("x", "code", "q", bad, SPEC))


def test_io_tests_in_cpp():
    from smepo_data.code.sandbox import available

    if not available("cpp"):
        pytest.skip("no g++ here")
    trace = (
        "Read n, print n*n.\n```cpp\n#include <iostream>\nint main() {\n  long n; std::cin >> n;\n"
        "  std::cout << n * n << std::endl;\n  return 0;\n}\n```\n"
    )
    spec = json.dumps({"inputs": ["3\n", "12\n"], "outputs": ["9\n", "144\n"]})
    r = mask_text("code", trace, question="Square n.", answer=spec)
    assert r.leak is None and "int main() {\n  [CODE]\n}" in r.text


def test_leak_audit_runs_the_visible_code():
    ex = Example("x", "code", "q", TRACE, SPEC)
    verifier = CodeVerifier()
    assert verifier.leak(ex, TRACE) is not None  # unmasked: the code passes
    body = TRACE.index("return a + b")
    assert verifier.leak(ex, render(TRACE, [Span(body, body + len("return a + b"), "code", "body")])) is None


@pytest.mark.parametrize(
    "name, path", [("humaneval", "humaneval_sample.jsonl"), ("mbpp", "mbpp_sample.json")]
)
def test_pipeline_on_real_samples(tmp_path, name, path):
    out = tmp_path / name
    stats = run(
        PipelineConfig.from_yaml(
            ROOT / "pipelines" / f"{name}.yaml", inputs=[str(SAMPLES / path)], output=str(out), limit=8
        )
    )
    assert (stats.rows_in, stats.rows_out, stats.rows_rejected) == (8, 8, 0)
    rows = pq.read_table(out / "data").to_pylist()
    assert {r["ability"] for r in rows} == {"code"} and all("[CODE]" in r["masked_trace"] for r in rows)
    for r in rows:
        assert (
            render(r["trace"], [Span.from_dict(s) for s in r["spans"]], r["placeholder"]) == r["masked_trace"]
        )
        assert json.loads(r["reward_model"]["ground_truth"])["tests"]
