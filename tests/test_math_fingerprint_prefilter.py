"""The sympy fingerprint's prefilter (:func:`smepo_data.math._values._bracketed_list`): a bracket pair around
a comma-separated list is an interval or a tuple to latex2sympy, no expression, so its fingerprint is
``None`` without the parse (~50 ms each, most of the gold answers of MATH-500 that take the sympy path).
Constructed texts: the prefilter never says "a list" where latex2sympy reads an expression, and does say
it for the common forms."""

from __future__ import annotations

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

from smepo_data.math import _values
from smepo_data.math._values import _bracketed_list

LISTS = [
    "(2, 4)",
    "(2,\\infty)",
    "(-\\infty, 0]",
    "[a, b]",
    "(3,4]",
    "( 3, \\frac{\\pi}{2} )",
    "(1,-16,-4,43)",
    "[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} ]",
    "(1,000)",
    "(\\sqrt{2}, \\frac{1}{2}, 3)",
    "(4, 1)",
]
NOT_LISTS = [
    "(x+1)",
    "(a,b)^2",
    "(1,2)(3,4)",
    "(0,9) \\cup (9,36)",
    "(\\frac{1,2}{3})",
    "1,-2",
    "\\max(1, 2)",
    "f(1, 2)",
    "(1, 2) + 3",
    "2(1,2)",
    "(1)",
    "\\left(1, 2\\right)",
    "[x]",
]


@pytest.mark.parametrize("latex", LISTS + NOT_LISTS)
def test_a_list_is_never_an_expression_to_latex2sympy(latex):
    if not _bracketed_list(latex):
        return
    try:
        parsed = latex2sympy(latex)
    except Exception:  # noqa: BLE001 - no parse: the fingerprint is None too
        return
    assert not isinstance(parsed, sympy.Expr), (latex, parsed)


def test_the_prefilter_says_list_for_lists_only():
    assert all(_bracketed_list(t) for t in LISTS)
    assert not any(_bracketed_list(t) for t in NOT_LISTS)


def test_a_list_has_no_fingerprint_without_the_parser(monkeypatch):
    import latex2sympy2_extended

    parsed: list[str] = []

    def counted(latex: str, *args, **kwargs):
        parsed.append(latex)
        return latex2sympy(latex, *args, **kwargs)

    monkeypatch.setattr(latex2sympy2_extended, "latex2sympy", counted)
    for latex in LISTS:
        assert _values._sympy_fingerprint.__wrapped__(latex) is None
    assert parsed == []
