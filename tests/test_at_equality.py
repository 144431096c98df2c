"""An expression that is one value wherever the letters the trace sets equal are equal (issue 11, round
20's MATH-500 1300): "Equality occurs when $x = y = z$" beside ``(x + y + z)(\\frac{1}{x} + \\frac{1}{y} +
\\frac{1}{z})`` gives 9 whatever ``x`` is. The masker's ``equality`` attack finds it and the repair hides
the equality case whole; the independent checker finds it with its own code (sympy). Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = (
    "Let $x,$ $y,$ $z$ be positive real numbers. Find the minimum value of "
    "\\[(x + y + z) \\left( \\frac{1}{x} + \\frac{1}{y} + \\frac{1}{z} \\right).\\]"
)
TRACE = (
    "By AM-HM,\n\\[\\frac{x + y + z}{3} \\ge \\frac{3}{\\frac{1}{x} + \\frac{1}{y} + \\frac{1}{z}},\\]so\n"
    "\\[(x + y + z) \\left( \\frac{1}{x} + \\frac{1}{y} + \\frac{1}{z} \\right) \\ge 9.\\]"
    "Equality occurs when $x = y = z,$ so the minimum value is $\\boxed{9}.$"
)
GOLD = "9"
MASKED = TRACE.replace("\\ge 9.", "\\ge [NUMBER].").replace("\\boxed{9}", "\\boxed{[NUMBER]}")


def test_the_attack_puts_one_letter_for_all():
    found = [f for f in attacks(QUESTION, MASKED, GOLD) if f.attack == "equality"]
    assert found, attacks(QUESTION, MASKED, GOLD)
    cover = MASKED[min(f.start for f in found) : max(f.end for f in found)]
    assert cover == "x = y = z"
    # letters set equal to no effect: the expression still depends on them, or the gold is another value
    assert not [f for f in attacks(QUESTION, MASKED, "10") if f.attack == "equality"]
    lone = MASKED.replace("$x = y = z,$", "$x = 2,$")
    assert not [f for f in attacks(QUESTION, lone, GOLD) if f.attack == "equality"]
    apart = MASKED.replace("\\frac{1}{z} \\right) \\ge", "\\frac{1}{w} \\right) \\ge")
    assert not [f for f in attacks(QUESTION, apart, GOLD) if f.attack == "equality"]


def test_the_question_setting_letters_equal_is_the_questions():
    asked = "Let $x = y = z$ be positive. Find $(x + y + z)(\\frac{1}{x} + \\frac{1}{y} + \\frac{1}{z})$."
    said = MASKED.replace("Equality occurs when $x = y = z,$ so", "Let $x = y = z$ be positive. So")
    assert not [f for f in attacks(asked, said, GOLD) if f.attack == "equality"]
    template = _marked(
        TRACE.replace("Equality occurs when $x = y = z,$ so", "Let $x = y = z$ be positive. So")
    )
    assert "system" not in checker_leaks("equality", asked, template, GOLD)


def test_the_masker_hides_the_equality_case():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "Equality occurs when $[EXPR],$" in r.text
    assert "(x + y + z) \\left( \\frac{1}{x} + \\frac{1}{y} + \\frac{1}{z} \\right)" in r.text


def _marked(trace: str) -> str:
    return trace.replace("\\ge 9.", "\\ge ⟦9|NUMBER⟧.").replace("\\boxed{9}", "\\boxed{⟦9|NUMBER⟧}")


def test_the_checker_finds_it_too():
    template = _marked(TRACE)
    assert "system" in checker_leaks("equality", QUESTION, template, GOLD)
    cut = template.replace("$x = y = z,$", "$⟦x = y = z|EXPR⟧,$")
    assert "system" not in checker_leaks("equality", QUESTION, cut, GOLD)


def test_equations_far_apart_are_hidden_each_alone():
    # review of 8d2a442: one span from the first equating equation to the last hid the derivation between
    far = TRACE.replace(
        "By AM-HM,", "First try the case $x = y$, where the sum is symmetric. By AM-HM,"
    ).replace("$x = y = z,$", "$y = z$ too,")
    r = mask_text("math", far, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "where the sum is symmetric. By AM-HM," in r.text and "\\frac{x + y + z}{" in r.text, r.text


def test_three_groups_and_a_difference_are_read():
    # review of 8d2a442: the checker read both; the masker read at most two groups and only "a = b"
    total = "\\frac ab+\\frac ba+\\frac cd+\\frac dc+\\frac ef+\\frac fe"
    question = f"Let $a, b, c, d, e, f > 0$. Find the minimum of ${total}$."
    masked = (
        f"Each pair is at least [NUMBER] by AM-GM, so ${total} \\ge [NUMBER]$, with equality when $a = b$, "
        "$c = d$ and $e - f = 0$. The minimum is $\\boxed{[NUMBER]}$."
    )
    found = [f for f in attacks(question, masked, "6") if f.attack == "equality"]
    assert len(found) == 3, found
