"""A quadratic whose roots' sum does not depend on what its blanks hide (issue 11, round 22's MATH-500 2391):
"$(5-a)^2 = [N]$" where the question asks for the sum of the values of $a$ gives 10 by Vieta (a = 5 ± √K),
whatever the blank. The masker's ``constraints`` attack finds it and the repair hides the value inside the
bracket that holds the letter (not the 4 of ``4(5-a)^2``, which scales every coefficient alike); the
independent checker has its own reading. No sum asked, a sum that depends on the blank, a linear or a cubic
equation read nothing. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "What is the sum of the values of $a$ that satisfy $2(7-a)^2 + 3 = 35$?"
TRACE = (
    "Subtracting 3 and dividing by 2 gives \\[(7-a)^2 = 16,\\] so $7-a = 4$ or $7-a = -4$, that is $a = 3$ "
    "or $a = 11$. The sum of the values of $a$ is $3 + 11 = \\boxed{14}$."
)
GOLD = "14"
MASKED = (
    "Subtracting 3 and dividing by 2 gives \\[(7-a)^2 = [NUMBER],\\] so $7-a = [NUMBER]$ or "
    "$7-a = [NUMBER]$, that is $a = [NUMBER]$ or $a = [NUMBER]$. The sum of the values of $a$ is "
    "$[NUMBER] + [NUMBER] = \\boxed{[NUMBER]}$."
)


def _constraints(question: str, text: str, gold: str) -> list[str]:
    return [text[f.start : f.end] for f in attacks(question, text, gold) if f.attack == "constraints"]


def test_the_sum_of_the_roots_is_found_whatever_the_blank():
    assert _constraints(QUESTION, MASKED, GOLD) == ["7-a"]
    # the product of the roots of (7-a)^2 = K is 49 - K: it depends on the blank
    product = QUESTION.replace("sum", "product")
    assert not _constraints(product, MASKED.replace("sum", "product"), "33")
    # that of a^2 - [N]a + 6 = 0 is 6 whatever the blank
    question = "What is the product of the solutions of $a^2 + 6 = 5a$?"
    assert _constraints(question, "Moving every term to one side, $a^2 - [NUMBER]a + 6 = 0$.", "6")


def test_what_is_no_such_sum_finds_nothing():
    largest = QUESTION.replace("the sum of the values of $a$", "the largest value of $a$")
    assert not _constraints(largest, MASKED, GOLD)  # no sum asked
    shifted = MASKED.replace("(7-a)^2", "([NUMBER]-a)^2")  # the sum is twice the blank: not fixed
    assert not _constraints(QUESTION, shifted, GOLD)
    linear = MASKED.replace("(7-a)^2 = [NUMBER]", "2(7-a) = [NUMBER]")
    assert not _constraints(QUESTION, linear, GOLD)
    cubic = MASKED.replace("(7-a)^2 = [NUMBER]", "(7-a)^3 = [NUMBER]")
    assert not _constraints(QUESTION, cubic, "21")


def test_the_masker_hides_the_value_beside_the_letter():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "([NUMBER]-a)^2" in r.text, r.text
    assert not _constraints(QUESTION, r.text, GOLD)


def test_the_checker_reads_the_sum():
    template = (
        "Rearranging gives \\[(7-a)^2 = ⟦16|NUMBER⟧,\\] so the values of $a$ are "
        "$⟦3|NUMBER⟧$ and $⟦11|NUMBER⟧$. The sum of the values of $a$ is $\\boxed{⟦14|NUMBER⟧}$."
    )
    assert "constraints" in checker_leaks("root_sum", QUESTION, template, GOLD)
    cut = template.replace("(7-a)^2", "(⟦7|NUMBER⟧-a)^2")
    assert "constraints" not in checker_leaks("root_sum", QUESTION, cut, GOLD)
    largest = QUESTION.replace("the sum of the values of $a$", "the largest value of $a$")
    assert "constraints" not in checker_leaks("root_sum", largest, template, GOLD)
