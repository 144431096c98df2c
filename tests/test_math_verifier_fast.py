"""The wrong-trace check's fast path (a stated answer that is the gold's own text) decides as the full
path, math-verify's parse and verdict, does."""

from __future__ import annotations

import pytest

from smepo_data import Example
from smepo_data.math.verifier import MathVerifier, _not_gold_text, parse_gold_for_verify

VERIFIER = MathVerifier()

#: answers of every shape the corpora hold, and a few they do not
ANSWERS = [
    "72",
    "1,000",
    "-3",
    "0.5",
    "\\frac{14}{3}",
    "\\dfrac{3}{4}",
    "-\\frac{\\sqrt{3}}{2}",
    "2\\sqrt{5}",
    "(3, \\frac{\\pi}{2})",
    "[2,5)",
    "(-\\infty, 0] \\cup [1, \\infty)",
    "\\{1, 2\\}",
    "1, 2, 3",
    "\\text{Monday}",
    "\\text{(C)}",
    "\\textbf{(E)}",
    "p - q",
    "x^2 + 7x + 10",
    "y = 2x + 3",
    "x \\in [1, 2]",
    "a > 0",
    "\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}",
    "10\\%",
    "30^\\circ",
    "\\$5.40",
    "5\\text{ cm}",
    "\\pi",
    "\\infty",
    "i",
    "3 + 4i",
    "\\emptyset",
    "E",
    "\\sqrt{2} + \\sqrt{3}",
    "\\log_2 3",
    "3 \\pm \\sqrt{2}",
    "\\frac{1}{",
    "{}",
    "x =",
]


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("ending", ["So the answer is $\\boxed{{{a}}}$.", "\\[\\boxed{{{a}}}\\]", "#### {a}"])
def test_fast_path_agrees_with_the_full_path(answer, ending):
    trace = "We work it out step by step.\n" + ending.format(a=answer)
    ex = Example("t", "math", "What is it?", trace, answer)
    assert VERIFIER._wrong_trace(ex, fast=True) == VERIFIER._wrong_trace(ex, fast=False)


def test_fast_path_is_taken_only_on_the_gold_text():
    ex = Example("t", "math", "What is it?", "So it is $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{3}")
    assert VERIFIER._wrong_trace(ex, fast=True) is not None


def _string_readings(answer):
    return [g for g in parse_gold_for_verify(answer) if isinstance(g, str)]


@pytest.mark.parametrize("answer", ANSWERS + ["\\text{ANSWER}", "[ANSWER]", "\\text{(A)}", "ABC", "\\Delta"])
def test_no_gold_parse_shortcut_agrees_with_the_full_verdict(answer):
    extracted = [
        [],
        ["[ANSWER]"],
        ["\\boxed{[ANSWER]}"],
        ["[NUMBER]", "[EXPR_2]"],
        ["", " "],
        ["A"],
        ["ANSWER"],
        [answer],
        [answer.strip("\\")],
        _string_readings(answer),
        [s.upper() for s in _string_readings(answer)],
    ]
    for pred in extracted:
        assert VERIFIER._accepts(answer, pred, timeout=None) == VERIFIER._verdict(answer, pred, None), pred


def test_the_shortcut_never_hides_a_string_reading_of_the_gold():
    for answer in ANSWERS + ["\\text{ANSWER}", "\\text{(A)}"]:
        for reading in _string_readings(answer):
            assert not _not_gold_text(reading, answer), (answer, reading)
