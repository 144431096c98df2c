"""Vieta's formulas over a polynomial the trace derives (issue 11, round 21's MATH-500 1279): "$10x^8 - 4x^7 +
\\dotsb = 0$, so by Vieta's formulas, the sum of the roots is [EXPR]" gives 4/10. The masker's
``constraints`` attack reads it (sum: the two highest terms; product: every term) and the repair hides a
coefficient; ``restated`` then finds the same coefficient of the same power left on the line before
(``4x^7`` beside ``[NUMBER]x^7``). The independent checker reads both with its own code. A polynomial the
question writes is the question's. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._vieta import vieta
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "Find the sum of all complex solutions of $\\frac{4}{x^2 - 1} = 10x^2 + 3$."
TRACE = (
    "Clearing the denominator and expanding, we get\n\\[4x^7 + \\dotsb = 10x^8 + \\dotsb,\\]where only the "
    "highest terms are shown. Then\n\\[10x^8 - 4x^7 + \\dotsb = 0,\\]so by Vieta's formulas, the sum of the "
    "roots is $\\frac{4}{10} = \\boxed{\\frac{2}{5}}.$"
)
GOLD = "\\frac{2}{5}"
MASKED = TRACE.replace("$\\frac{4}{10} = \\boxed{\\frac{2}{5}}.$", "$[EXPR] = \\boxed{[EXPR]}.$")


def test_the_sum_of_the_roots_of_a_visible_polynomial():
    found = [f for f in attacks(QUESTION, MASKED, GOLD) if "roots of" in f.detail]
    assert found and MASKED[found[0].start : found[0].end].startswith("10x^8 - 4x^7"), found
    assert not vieta(QUESTION, MASKED, parse_gold("\\frac{3}{5}"))
    product = "The roots of $x^2 - 5x + 6 = 0$ are real, and the product of the roots is [NUMBER]."
    assert vieta("Q", product, parse_gold("6")) and not vieta("Q", product, parse_gold("5"))
    dotted = "Here $x^3 + \\dotsb = 0$, so the sum of the roots is [NUMBER]."
    assert not vieta("Q", dotted, parse_gold("0"))  # the next degree is not shown
    asked = "Find the product of the roots of $x^2 - 5x + 6 = 0$."
    assert not vieta(asked, product, parse_gold("6"))  # the question's polynomial: the task


def test_the_masker_hides_a_coefficient_and_its_copy_on_the_line_before():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "x^8 - [NUMBER]x^7" in r.text or "[NUMBER]x^8 - 4x^7" in r.text, r.text
    assert "4x^7 + \\dotsb = 10x^8" not in r.text, r.text
    assert "by Vieta's formulas, the sum of the roots" in r.text


def test_the_checker_reads_vieta_and_the_same_power():
    template = TRACE.replace(
        "$\\frac{4}{10} = \\boxed{\\frac{2}{5}}.$", "$⟦\\frac{4}{10}|EXPR⟧ = \\boxed{⟦\\frac{2}{5}|EXPR⟧}.$"
    )
    assert "constraints" in checker_leaks("vieta", QUESTION, template, GOLD)
    cut = template.replace("10x^8 - 4x^7", "10x^8 - ⟦4|NUMBER⟧x^7")
    assert "constraints" not in checker_leaks("vieta", QUESTION, cut, GOLD)
    assert "restated" in checker_leaks("vieta", QUESTION, cut, GOLD)  # 4x^7 on the line before


ALIGNED_Q = "Find the sum of the roots of $\\frac{2}{x} + 3x^2 = 7x + 4$."
ALIGNED = (
    "Multiplying by $x$ and rearranging, \\[\\begin{aligned} 2 + 3x^3 &= 7x^2 + 4x \\\\ 3x^3 - 7x^2 - 4x + 2 "
    "&= 0 .\\end{aligned}\\]By Vieta, the sum of the roots is $\\boxed{\\frac73}.$"
)


def test_a_line_of_an_aligned_display_is_a_polynomial_too():
    # the polynomial on the display's last line gives 7/3 (round 34's MATH-500 1410); the masker cuts it
    masked = ALIGNED.replace("\\boxed{\\frac73}", "\\boxed{[EXPR]}")
    found = vieta(ALIGNED_Q, masked, parse_gold("\\frac73"))
    assert [masked[f.start : f.end] for f in found] == ["3x^3 - 7x^2 - 4x + 2"]
    r = mask_text("math", ALIGNED, question=ALIGNED_Q, answer="\\frac73")
    assert r.leak is None and "3x^3 - 7x^2 - 4x + 2" not in r.text, r.text
    template = ALIGNED.replace("\\boxed{\\frac73}", "\\boxed{⟦\\frac73|EXPR⟧}")
    assert "constraints" in checker_leaks("vieta_aligned", ALIGNED_Q, template, "\\frac73")


def test_a_display_line_with_an_align_mark_inside_and_align_star():
    # "t^2 - 7t &+ 10 = 0": the mark inside the polynomial (no crash); a bare align* display is read too
    q = "Find the sum of all values of $t$ such that $t^2 = 7t - 10$."
    trace = (
        "We rearrange:\n\\[\\begin{aligned} t^2 &= 7t - 10 \\\\ t^2 - 7t &+ 10 = 0 \\end{aligned}\\]"
        "\nso by Vieta the sum of the roots is $7$.\n\nThe answer is $\\boxed{7}$."
    )
    assert mask_text("math", trace, question=q, answer="7").leak is None
    star = "\\begin{align*}\n2x^5 - 7x^4 + \\dotsb &= 0\n\\end{align*}\nso the sum of the roots is [EXPR]."
    assert vieta("Find the sum of the roots.", star, parse_gold("\\frac{7}{2}"))
