"""A function the question defines, applied in the trace at an argument the trace gives (issue 11, round
20's MATH-500 776): under the question's ``f(x)=2x^3-x+5``, the trace's ``f(0)`` is 5, the gold. The
masker's ``system`` attack reads the question's definition after the trace and the repair hides the
argument; the independent checker finds it with its own code. The question's own application ("Find
$f(0)$") and one at the question's values alone are the task. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "Let $f(x)=2x^3-x+7$. If $h(x)=f(x+3)$, what is $h(-3)$?"
TRACE = "Since $h(x)=f(x+3)$, we have $h(-3)=f(-3+3)=f(0)$. So $h(-3)=f(0)=\\boxed{7}$."
GOLD = "7"
MASKED = TRACE.replace("\\boxed{7}", "\\boxed{[NUMBER]}")


def _found(question: str, masked: str, gold: str = GOLD) -> list:
    return [f for f in attacks(question, masked, gold) if f.attack == "system"]


def test_the_attack_applies_the_questions_function():
    found = _found(QUESTION, MASKED)
    assert found and "f(0)" in found[0].detail, attacks(QUESTION, MASKED, GOLD)
    assert not [f for f in attacks(QUESTION, MASKED, "8") if f.attack == "system"]


def test_the_questions_own_application_is_the_task():
    asked = "Let $f(x)=2x^3-x+7$. What is $f(0)$?"
    assert not _found(asked, "We have $f(0)=2(0)^3-0+7=\\boxed{[NUMBER]}$.")
    at_given = "Let $f(x)=2x^3-x+7$. If $h(x)=f(x+3)$, what is $h(0)$?"
    assert not _found(at_given, "We have $h(0)=f(0+3)=\\boxed{[NUMBER]}$.", "58")
    assert not _found(at_given, "We have $h(0)=f(3)=\\boxed{[NUMBER]}$.", "58")
    # the question's own definition at the argument it asks about, written out (-3+3), is its own too
    asked_at = "Let $f(x)=2x^3-x+7$. If $h(x)=f(x+3)$, what is $h(-3)$?"
    assert not [f for f in _found(asked_at, MASKED) if "-3+3" in f.detail]
    # a value the question writes as a computation
    half = "Let $f(x)=4x+3$. What is $f(x)$ when $x = 1/2$?"
    assert not _found(half, "We have $f(1/2) = 4(1/2)+3 = \\boxed{[NUMBER]}$.", "5")


def test_the_masker_hides_the_argument():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "f(0)" not in r.text and "f([NUMBER])" in r.text
    assert "h(x)=f(x+3)" in r.text


def test_the_checker_finds_it_too():
    template = TRACE.replace("\\boxed{7}", "\\boxed{⟦7|NUMBER⟧}")
    assert "system" in checker_leaks("question-f", QUESTION, template, GOLD)
    cut = template.replace("f(0)", "f(⟦0|NUMBER⟧)")
    assert "system" not in checker_leaks("question-f", QUESTION, cut, GOLD)
    asked = "Let $f(x)=2x^3-x+7$. What is $f(0)$?"
    own = "We have $f(0)=2(0)^3-0+7=\\boxed{⟦7|NUMBER⟧}$."
    assert "system" not in checker_leaks("question-f", asked, own, GOLD)


def test_an_exponent_of_the_question_is_no_value_it_gives():
    # review of c33f268: f(3) at a 3 the trace found was skipped as a question value (the 3 of x^{3})
    question = "Let $f(x) = x^{3} + 1$ and $4y = 12$. Find $f(y)$."
    masked = "We get $y = 3$, so $f(3) = [NUMBER]$ is the value: $\\boxed{[NUMBER]}$."
    assert [f for f in attacks(question, masked, "28") if f.attack == "system"]
    template = "We get $y = 3$, so $f(3) = ⟦28|NUMBER⟧$ is the value: $\\boxed{⟦28|NUMBER⟧}$."
    assert "system" in checker_leaks("exp", question, template, "28")


def test_an_argument_the_question_writes_as_a_computation_is_its_own():
    # second review of the thirty-fourth session: `x = 2^3`, `x = \frac{1}{2}` are the question's values
    for question, masked, gold in (
        ("Let $f(x)=x+2$. If $x = 2^3$, what is $f(x)$?", "So $f(2^3) = 8+2 = \\boxed{[NUMBER]}$.", "10"),
        (
            "Let $f(x)=4x+3$. What is $f(x)$ when $x = \\frac{1}{2}$?",
            "So $f(\\frac{1}{2}) = \\boxed{[NUMBER]}$.",
            "5",
        ),
        (
            "Let $f(x)=x^3+1$. If $x = 3 \\cdot 2$, what is $f(x)$?",
            "So $f(3 \\cdot 2) = \\boxed{[NUMBER]}$.",
            "217",
        ),
    ):
        assert not _found(question, masked, gold), question
        assert "system" not in checker_leaks(
            "asked", question, masked.replace("[NUMBER]", f"⟦{gold}|NUMBER⟧"), gold
        )
    # the same argument the trace works out itself ("the midpoint of 0 and 1") is the trace's
    midpoint = "Let $f(x)=4x+3$. What is $f(x)$ at the midpoint of 0 and 1?"
    masked = "So $f(\\frac{1}{2}) = \\boxed{[NUMBER]}$."
    assert _found(midpoint, masked, "5")
    assert "system" in checker_leaks("asked", midpoint, masked.replace("[NUMBER]", "⟦5|NUMBER⟧"), "5")
