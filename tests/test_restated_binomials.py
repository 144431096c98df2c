"""A binomial or fraction written alike restates its hidden argument (issue 11, round 21's MATH-500 666):
``\\binom{6}{2}`` visible in the prose and ``\\binom{[NUMBER]}{2}\\cdot\\binom{9}{7}`` in the last step give
the product at once. The masker's ``restated`` attack finds the visible copy and the repair hides it; the
independent checker finds it with its own code. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._restated import restated

from .test_recover_check import checker_leaks

QUESTION = (
    "A club has 6 seniors and 9 juniors. A committee needs 2 seniors and 7 juniors. How many committees "
    "can be formed?"
)
TRACE = (
    "There are $\\binom{6}{2}$ ways to choose the seniors. For each of these, there are $\\binom{9}{7}$ "
    "ways to choose the juniors. The number of committees is $\\binom{6}{2}\\cdot \\binom{9}{7} = "
    "\\boxed{540}$."
)
GOLD = "540"
LAST = "\\binom{6}{2}\\cdot"


def test_a_binomial_written_alike_restates_the_hidden_argument():
    masked = TRACE.replace(LAST, "\\binom{[NUMBER]}{2}\\cdot").replace("\\boxed{540}", "\\boxed{[NUMBER]}")
    found = [masked[f.start : f.end] for f in restated(TRACE, masked, QUESTION)]
    assert found == ["6"], found
    # another binomial (another lower argument) is no copy of it
    other = TRACE.replace("$\\binom{6}{2}$ ways", "$\\binom{6}{3}$ ways")
    masked_other = masked.replace("$\\binom{6}{2}$ ways", "$\\binom{6}{3}$ ways")
    assert not restated(other, masked_other, QUESTION)


def test_the_masker_leaves_no_copy_beside_the_cut():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "\\binom{6}{2}" not in r.text, r.text
    assert "ways to choose the seniors" in r.text


def test_the_checker_finds_it_too():
    template = TRACE.replace(LAST, "\\binom{⟦6|NUMBER⟧}{2}\\cdot").replace(
        "\\boxed{540}", "\\boxed{⟦540|NUMBER⟧}"
    )
    assert "restated" in checker_leaks("binom", QUESTION, template, GOLD)
    cut = template.replace("$\\binom{6}{2}$ ways", "$\\binom{⟦6|NUMBER⟧}{2}$ ways")
    assert "restated" not in checker_leaks("binom", QUESTION, cut, GOLD)


def test_an_exponent_is_never_compared_by_the_checker():
    # the final masking at `all`: `^{\frac {1}{3}}` kept as an exponent, `^\frac{[N]}{[N]}` hidden
    question = "If $a = 8$, what is the value of $\\left(16\\sqrt[3]{a^2}\\right)^{\\frac 13}$?"
    template = (
        "Note that $a^2 = ⟦64|NUMBER⟧$. Therefore, "
        "$\\left(⟦16|NUMBER⟧\\sqrt[3]{a^2}\\right)^{\\frac {1}{3}} = "
        "⟦64|NUMBER⟧^\\frac{⟦1|NUMBER⟧}{⟦3|NUMBER⟧} = \\boxed{⟦4|NUMBER⟧}.$"
    )
    assert "restated" not in checker_leaks("exponent", question, template, "4")
