"""A visible decimal that rounds to the gold, in a sentence that rounds ("we round 22.18 to the final answer
of [NUMBER]"; round 36's MATH-500 2066): the audit's ``equivalent_form`` finds it, the repair hides it, and
the independent checker reads it with its own code. Traces built for the test."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math.attacks import _rounded_forms

from .test_recover_check import checker_leaks

Q = "Mia has 200 dollars and buys items at 1.64 dollars each. How many items, to the nearest whole number?"
TRACE = (
    "She buys $200 \\div 1.64 = 121.95$ items. To the nearest whole number, we round 121.95 to the final"
    " answer of $\\boxed{122}$."
)


def test_a_decimal_that_rounds_to_the_gold_is_a_form_of_it():
    masked = TRACE.replace("121.95$", "[NUMBER]$").replace("\\boxed{122}", "\\boxed{[NUMBER]}")
    found = _rounded_forms(Q, masked, parse_gold("122"))
    assert [masked[f.start : f.end] for f in found] == ["121.95"]
    assert not _rounded_forms(Q, masked, parse_gold("121"))
    plain = masked.replace("To the nearest whole number, we round", "Then we take")
    assert not _rounded_forms(Q, plain, parse_gold("122"))  # a sentence that does not round
    assert not _rounded_forms(Q, "It costs 1.64 dollars; round up.", parse_gold("2"))  # the question's value
    # the way the sentence rounds: down, up (3.6 tens of dollars, rounded up to whole bills), else half up
    assert _rounded_forms(Q, "It takes 15.7 minutes, which rounds down to [NUMBER].", parse_gold("15"))
    assert _rounded_forms(Q, "He spends 3.2 tens, which rounds up to [NUMBER].", parse_gold("4"))
    assert not _rounded_forms(Q, "He spends 3.2 tens, rounded to [NUMBER].", parse_gold("4"))  # half up: 3
    template = "It takes ⟦15.7|NUMBER⟧ minutes; 15.7 rounds down to ⟦15|NUMBER⟧.\n#### ⟦15|NUMBER⟧"
    assert "equivalent_form" in checker_leaks("rounded_down", Q, template, "15")


def test_the_masker_hides_it_and_the_checker_reads_it():
    r = mask_text("math", TRACE, question=Q, answer="122")
    assert r.leak is None and "121.95" not in r.text, r.text
    template = TRACE.replace("121.95$", "⟦121.95|NUMBER⟧$").replace("\\boxed{122}", "\\boxed{⟦122|NUMBER⟧}")
    assert "equivalent_form" in checker_leaks("rounded", Q, template, "122")


def test_rounding_variants_and_what_is_no_rounding():
    g3 = parse_gold("3")
    assert _rounded_forms(
        Q, "= -2.7 degrees; rounding to the nearest integer gives [NUMBER]", parse_gold("-3")
    )
    assert _rounded_forms(Q, "= 1,234.6 dollars; rounded to the nearest dollar", parse_gold("1235"))
    assert _rounded_forms(Q, "Then we round the quotient 22.8.", parse_gold("23"))
    assert _rounded_forms(Q, "$\\lfloor 22.8 \\rfloor = [NUMBER]$", parse_gold("22"))
    assert not _rounded_forms(Q, "Using $\\pi \\approx 3.14$, the radius is $r = [NUMBER]$.", g3)
    assert not _rounded_forms(Q, "A round table of 2.5 m diameter fits [NUMBER] people.", g3)
    # a decimal of 5,000 digits is no number to round (no crash)
    huge = "We round " + "1" * 5000 + ".5 to the nearest integer, giving 7.\n#### 7"
    assert mask_text("math", huge, question="What is it rounded?", answer="7").leak is None
