"""Code in traces: every fence form, the three levels in Python, C++ and Java, inline code, the
parse-failure fallback, and the code presets, on real HumanEval / MBPP rows."""

from __future__ import annotations

import json

import pytest

from smepo_data import Example, render
from smepo_data._domains import find_preset
from smepo_data._model import RowError
from smepo_data.code._blocks import find_code
from smepo_data.code.masker import CodeMasker
from smepo_data.io.readers import read_rows

from .conftest import SAMPLES

SPEC = json.dumps({"tests": "assert True", "entry_point": "f"})
MASKER = CodeMasker()


def mask(trace: str, level: str = "body") -> str:
    return render(trace, MASKER.find_spans(Example("x", "code", "q", trace, SPEC), level))


def humaneval() -> list[Example]:
    return [
        find_preset("humaneval").to_example(r.data, source="he", index=r.index)
        for r in read_rows(SAMPLES / "humaneval_sample.jsonl")
    ]


def mbpp() -> list[Example]:
    return [
        find_preset("mbpp").to_example(r.data, source="mbpp", index=r.index)
        for r in read_rows(SAMPLES / "mbpp_sample.json")
    ]


# ----------------------------------------------------------------------------------------- finding code


@pytest.mark.parametrize(
    "trace, kind, language, code",
    [
        ("Plan.\n```python\nx = 1\n```\nAfter.", "fenced", "python", "x = 1"),
        ("Plan.\n~~~cpp\nint x = 1;\n~~~\n", "fenced", "cpp", "int x = 1;"),
        ("Plan.\n```\nint main() { return 0; }\n```\n", "fenced", None, "int main() { return 0; }"),
        ("Plan.\n````py\ns = '```'\n````\n", "fenced", "python", "s = '```'"),
        ("Plan.\n```java\nclass A {}\n", "fenced", "java", "class A {}\n"),  # unterminated
    ],
)
def test_fenced_blocks(trace, kind, language, code):
    (b,) = [b for b in find_code(trace) if b.kind != "inline"]
    assert (b.kind, b.language, trace[b.code_start : b.code_end]) == (kind, language, code)


def test_backticks_inside_strings_do_not_close_a_fence():
    trace = 'Plan.\n```python\ns = "```"\nt = s * 2\n```\nThen `t`.'
    blocks = find_code(trace)
    assert [b.kind for b in blocks] == ["fenced", "inline"]
    assert trace[blocks[0].code_start : blocks[0].code_end] == 's = "```"\nt = s * 2'


def test_indented_code_is_found_and_indented_prose_is_not():
    trace = (
        "We loop:\n\n    for i in range(n):\n        total += i\n\n"
        "Then:\n\n    this is just an indented remark\n"
    )
    (b,) = find_code(trace)
    assert b.kind == "indented" and b.language == "python"
    assert mask(trace) == "We loop:\n\n    [CODE]\n\nThen:\n\n    this is just an indented remark\n"


def test_inline_code_hides_expressions_and_keeps_names():
    trace = "Use `n`, `dp.table` and `dp[i] = dp[i-1] + 1`; call `solve(x)`."
    assert mask(trace) == "Use `n`, `dp.table` and `[CODE]`; call `[CODE]`."
    assert mask(trace, "block") == mask(trace)


# ----------------------------------------------------------------------------------------- levels


def test_body_keeps_imports_signatures_docstrings_and_comments_on_humaneval():
    kept = total = 0
    for ex in humaneval():
        text = mask(ex.trace)
        for line in ex.trace.splitlines():
            s = line.strip()
            if s.startswith(("def ", "from ", "import ", "#", '"""', ">>>", "class ")):
                total += 1
                kept += line in text
    assert total > 100 and kept == total


def test_body_on_a_real_row():
    ex = humaneval()[2]  # truncate_number
    assert mask(ex.trace).endswith('    >>> truncate_number(3.5)\n    0.5\n    """\n    [CODE]\n```\n')


def test_comments_nested_in_hidden_statements_stay():
    trace = (
        "```python\ndef f(v):\n    if v:\n        # trim zeros\n        v = v.rstrip('0')\n"
        "    return v\n```\n"
    )
    assert mask(trace) == "```python\ndef f(v):\n    [CODE]\n        # trim zeros\n        [CODE]\n```\n"


def test_skeleton_keeps_control_flow_on_a_real_row():
    ex = humaneval()[0]  # has_close_elements
    text = mask(ex.trace, "skeleton")
    assert "    for [CODE] in [CODE]:\n        for [CODE] in [CODE]:\n            if [CODE]:\n" in text
    assert "return [CODE]" in text and "distance" not in text


def test_block_hides_the_whole_block_but_keeps_the_fences_and_prose():
    trace = "Plan: sort, then scan.\n```python\ndef f(a):\n    return sorted(a)\n```\nDone."
    assert mask(trace, "block") == "Plan: sort, then scan.\n```python\n[CODE]\n```\nDone."


CPP = """Plan.
```cpp
#include <vector>
// count the evens
int f(const std::vector<int>& a) {
  int n = 0;  // running count
  for (int x : a) { if (x % 2 == 0) n++; }
  return n;
}
```
"""


def test_cpp_levels():
    assert mask(CPP) == (
        "Plan.\n```cpp\n#include <vector>\n// count the evens\nint f(const std::vector<int>& a) {\n"
        "  [CODE]  // running count\n  [CODE]\n}\n```\n"
    )
    assert "  for ([CODE] [CODE] : [CODE]) { if ([CODE]) [CODE] }\n  return [CODE];" in mask(CPP, "skeleton")


JAVA = """```java
import java.util.*;

public class Main {
    // read n, print the squares
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        for (int i = 0; i < n; i++) {
            System.out.println(i * i);
        }
    }
}
```"""


def test_java_levels():
    body = mask(JAVA)
    assert "public static void main(String[] args) {\n        [CODE]\n    }" in body
    assert "import java.util.*;" in body and "// read n, print the squares" in body
    skeleton = mask(JAVA, "skeleton")
    assert "for ([CODE] [CODE]; [CODE]) {\n            [CODE]\n        }" in skeleton


def test_code_that_does_not_parse_is_hidden_whole_with_the_reason():
    trace = "```python\ndef f(x:\n    return x +\n```\n"
    (span,) = MASKER.find_spans(Example("x", "code", "q", trace, SPEC), "body")
    assert span.reason == "does not parse as python: whole block hidden"
    assert render(trace, [span]) == "```python\n[CODE]\n```\n"


def test_prose_stays_at_every_level():
    trace = "First sort the list, then walk it once.\n```python\nx = sorted(a)\n```\nThis is O(n log n)."
    for level in ("block", "body", "skeleton"):
        text = mask(trace, level)
        assert text.startswith("First sort the list, then walk it once.") and text.endswith(
            "This is O(n log n)."
        )


def test_non_ascii_code_keeps_offsets_right():
    trace = "```python\ndef f():\n    s = 'héllo wörld'  # ünïcode\n    return s\n```\n"
    assert mask(trace) == "```python\ndef f():\n    [CODE]  # ünïcode\n    [CODE]\n```\n"


# ----------------------------------------------------------------------------------------- presets


def test_humaneval_and_mbpp_presets():
    ex = humaneval()[0]
    assert ex.domain == "code" and ex.id == "HumanEval/0" and ex.trace.startswith("```python\nfrom typing")
    assert json.loads(ex.answer)["entry_point"] == "has_close_elements"
    mb = mbpp()[0]
    spec = json.loads(mb.answer)
    assert mb.trace.startswith("```python\n") and spec["tests"].startswith("assert") and "imports" in spec


def test_smepo_code_preset():
    row = {
        "question": "Read n and print n squared.",
        "teacher_ds": "Square it.\n```python\nn=int(input())\nprint(n*n)\n```",
        "reward_model": {"ground_truth": json.dumps({"inputs": ["3\n"], "outputs": ["9\n"]})},
    }
    ex = find_preset("smepo_code").to_example(row, source="code.parquet", index=0)
    assert ex.domain == "code" and json.loads(ex.answer)["inputs"] == ["3\n"]


def test_validate_refuses_unreadable_tests_and_traces_without_code():
    with pytest.raises(RowError, match="unparsable_answer"):
        MASKER.validate(Example("x", "code", "q", "```python\nx=1\n```", "not json"))
    with pytest.raises(RowError, match="no_code"):
        MASKER.validate(Example("x", "code", "q", "Just prose, no code at all.", SPEC))


@pytest.mark.parametrize("trace, fence", [(CPP, "```cpp"), (JAVA, "```java")])
def test_block_level_in_cpp_and_java(trace, fence):
    text = mask(trace, "block")
    assert f"{fence}\n[CODE]\n```" in text and "#include" not in text and "import java" not in text
