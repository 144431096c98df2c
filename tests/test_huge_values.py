"""A value beyond a float's range (a 400-digit answer, a 400-digit number in the trace) is compared exactly,
never through a float: it used to raise ``OverflowError`` out of ``mask_text`` (the wrong-trace check and
``values_equal``). Built here."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._equations import Undefined, evaluate
from smepo_data.math._rational import Fraction
from smepo_data.math._values import values_equal

BIG = "9" * 400


def test_values_equal_compares_huge_fractions_exactly():
    assert values_equal(Fraction(int(BIG)), Fraction(int(BIG)))
    assert not values_equal(Fraction(int(BIG)), 1.5)
    assert not values_equal(Fraction(int(BIG)), complex(2, 1))


@pytest.mark.parametrize("level", ["answer", "critical"])
def test_a_huge_answer_is_masked_or_rejected_cleanly(level):
    r = mask_text(
        "math",
        f"So $x = {BIG}$, and the answer is $\\boxed{{{BIG}}}$.",
        question="Q",
        answer=BIG,
        level=level,
    )
    assert BIG not in r.text and r.leak is None, r.text
    with pytest.raises(ValueError, match="wrong_trace"):  # RowError is a ValueError: a reason, not a crash
        mask_text("math", "So $x = 2$ and $\\boxed{7}$.", question="Q", answer=BIG, level=level)


def test_a_power_of_a_power_is_no_value_to_compute():
    # ((x)^{64})^{64}, five deep: 2^(64^5) has billions of digits; masking it ran for minutes and grew without
    # bound, now the power is no value (``Undefined``) and the row is masked as any other
    nested = "x"
    for _ in range(5):
        nested = "{(" + nested + ")^{64}}"
    trace = f"We have ${nested} = 5$ and so $x = 7$, giving $\\boxed{{7}}$."
    r = mask_text("math", trace, question="Q?", answer="7")
    assert r.leak is None and "\\boxed{[NUMBER]}" in r.text, r.text
    tree = ("^", ("n", Fraction(2)), ("n", Fraction(64)))
    for _ in range(3):
        tree = ("^", tree, ("n", Fraction(64)))
    with pytest.raises(Undefined):
        evaluate(tree, {})
    assert evaluate(("^", ("n", Fraction(2)), ("n", Fraction(64))), {}) == 2**64
    # the square root of a number beyond a float's range is no value either (it raised OverflowError)
    with pytest.raises(Undefined):
        evaluate(("^", ("n", Fraction(3) ** 1500), ("n", Fraction(1, 2))), {})
    assert evaluate(("^", ("n", Fraction(3) ** 40), ("n", Fraction(1, 2))), {}) == 3**20
