"""Numbers too large to compute as written (``(10^{10^{10}})!``, ``9^{9^{9^9}}``, ``1e999999999``): the
row is masked like any other, and no parser is handed the number to evaluate (sympy computes such a power
exactly: minutes of CPU, or memory until the machine kills the run)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

from smepo_data._model import RowError
from smepo_data.math._values import plain_number, too_large

HUGE = [
    *("(10^{10^{10}})!", "9^{9^{9^{9}}}", "7^{7^{7^{7}}}", "10^{123456789}", "(10^{7})!", "(2^{30})!"),
    *("2^{1+10^{10}}", "(10000 \\cdot 10000)!", "(10^{8}+1)!", "2^{-10^{10}}", "2^{10^5 \\cdot 10^5}"),
    *("\\binom{10^{9}}{5 \\cdot 10^{8}}", "1e999999999", "2.5E-12345678", "1e5000", "1234567!", "123456 !"),
    *("2^{2^{2^{2^{2}}}}", "10^{999999}", "10^{5000}"),  # more digits than Python prints (4,300)
]
FINE = [
    *(
        "2^{2^{5}}",
        "2^{2^{2^{2}}}",
        "10^{10}",
        "2^{100}",
        "x^{10^{10}}",
        "10^{3999}",
        "(10^3)!",
        "5!",
        "1000!",
    ),
    *("1e30", "1.5e-7", "3^{3^3}", "\\binom{100}{50}", "\\binom{10^6}{2}", "\\frac{1}{2^{100}}"),
    # powers side by side are a product, no tower
    *("2^{4} 3^{2} 5^{2}", "2^{10}3^{10}", "(2^{10})(5^{10})", "2^{7}3^{4}5^{2}", "2^{10} \\cdot 3^{10}"),
    # two sides of a relation are sized apart
    *("10^{2500} \\le 10^{2501}", "10^{2500} < 10^{2501}", "10^{2500} \\approx 10^{2500}"),
]


def test_what_is_too_large():
    assert [s for s in HUGE if not too_large(s)] == []
    assert [s for s in FINE if too_large(s)] == []
    # a plain number in scientific notation is no value then (a Fraction of it takes seconds to make)
    assert plain_number("1e9999999") is None and plain_number("1e5000") is None
    assert plain_number("1e30") == 10**30


@pytest.mark.parametrize(
    "concluded, answer",
    [
        *(("(10^{10^{11}})!",) * 2, ("7^{7^{7^{7}}}",) * 2, ("3e99999999",) * 2),
        ("(10^{10^{12}})!", "5"),  # the trace concludes it, the gold is small: no value to compare
        ("5", "6^{6^{6^{6}}}"),  # the gold is it
    ],
)
def test_no_parser_is_handed_a_number_too_large_to_compute(monkeypatch, concluded, answer):
    import latex2sympy2_extended
    import math_verify.parser

    from smepo_data import mask_text

    seen: list[str] = []
    for module in (latex2sympy2_extended, math_verify.parser):
        real = module.latex2sympy

        def spy(latex, *args, _real=real, **kwargs):
            seen.append(str(latex))
            if too_large(str(latex)):  # (refused here, so that a regression fails instead of filling memory)
                raise RuntimeError("handed a number too large to compute")
            return _real(latex, *args, **kwargs)

        monkeypatch.setattr(module, "latex2sympy", spy)
    trace = f"We multiply it out: the answer is $\\boxed{{{concluded}}}$."
    try:
        out = mask_text("math", trace, question="Compute it.", answer=answer, level="critical")
        assert concluded not in out.text  # the trace's answer is still hidden, read as text
    except RowError as e:
        assert e.reason == "wrong_trace" and concluded != answer
    assert [s for s in seen if too_large(s)] == []


def _limited() -> None:  # a child that tries to hold the number runs out of memory, not the machine
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_a_run_with_such_an_answer_writes_every_row(tmp_path):
    rows = [
        {
            "problem": "Compute it.",
            "solution": "So the answer is $\\boxed{(10^{10^{10}})!}$.",
            "answer": "(10^{10^{10}})!",
        },
        {"problem": "What is 2+3?", "solution": "We have $2+3=5$, so $\\boxed{5}$.", "answer": "5"},
    ]
    src = tmp_path / "huge.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "smepo_data.cli", "mask", str(src), "-o", str(out), "--format", "math", "-q"]
    subprocess.run(cmd, check=True, preexec_fn=_limited, timeout=600)
    import pyarrow.parquet as pq

    written = [r for f in sorted((out / "data").rglob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    rejected = [r for f in sorted((out / "rejects").rglob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert len(written) == 2 and rejected == []
    assert all("[" in r["masked_trace"] for r in written)
