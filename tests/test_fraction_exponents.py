"""An exponent written as a fraction with no braces around it (``64^\\frac{1}{3}``, ``4^\\frac12``) is an
exponent: the plan's, kept at every level as ``^{\\frac{1}{3}}`` is (the masker hid its 3, a value to it), and
counted among the exponents the independent checker says are kept. Built here."""

from __future__ import annotations

import pytest

from smepo_data import mask_text

from .test_recover_check import rc

QUESTION = "Find $\\sqrt[3]{64}+\\sqrt{4}$, written with fractional exponents."
TRACE = "We have $64^\\frac{1}{3} = 4$ and $4^\\frac12 = 2$, so the sum is $4 + 2 = \\boxed{6}$."


@pytest.mark.parametrize("level", ["answer", "critical", "all"])
def test_a_fraction_exponent_stays(level):
    r = mask_text("math", TRACE, question=QUESTION, answer="6", level=level)
    assert "^\\frac{1}{3} = " in r.text and "^\\frac12 = " in r.text, r.text
    assert r.leak is None


def test_the_checker_counts_it_as_an_exponent():
    found = [TRACE[m.start(1) : m.end(1)] for m in rc.EXP_RE.finditer(TRACE)]
    assert found == ["\\frac{1}{3}", "\\frac12"]
