"""A linear system with an irrational constant (issue 11: MATH-500 1640 at `answer`, ``DB=DC=DA=[EXPR]``
beside ``BC = BD+DC = 8\\sqrt{2}`` and ``\\frac{(AD)(BC)}{2}``): the coefficients are plain numbers, so a
reader eliminates as with fractions and carries the constant. The solver's linear rows now keep an irrational
constant (exact coefficients only); the independent checker (sympy) read it before. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

QUESTION = "In a square the diagonal has length $6\\sqrt{2}$. What is the area of the triangle cut off by it?"
MASKED = (
    "Let the legs be $p$ and $q$. Since the square's sides are equal, $p - q = 0$, and "
    "$p + q = 6\\sqrt{2}$, so the area is $\\frac{pq}{2} = \\boxed{[NUMBER]}$."
)


def test_an_irrational_constant_is_carried_through_elimination():
    found = [f for f in attacks(QUESTION, MASKED, "9") if f.attack in ("constraints", "system")]
    assert found, attacks(QUESTION, MASKED, "9")
    # a coefficient that is no plain number stays out: p\\sqrt{2} - q = 0 is no row of fractions
    other = MASKED.replace("$p - q = 0$", "$p\\sqrt{2} - q = 0$")
    assert not [f for f in attacks(QUESTION, other, "9") if f.attack in ("constraints", "system")]


def test_the_masker_cuts_it():
    trace = MASKED.replace("[NUMBER]", "9")
    r = mask_text("math", trace, question=QUESTION, answer="9")
    assert r.leak is None
    assert not [f for f in attacks(QUESTION, r.text, "9") if f.attack in ("constraints", "system")], r.text
