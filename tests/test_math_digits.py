"""A sum of digits a reader adds from a value the trace computes whole (``digit_sums``), in the masker's
attacks, in ``mask`` and in the independent checker (``benchmarks/recover_check.py``)."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._digits import digit_sum, digit_sums
from smepo_data.math._rational import Fraction
from tests.test_recover_check import checker_leaks

QUESTION = "What is the sum of the digits of the product of $\\frac{3}{8}$ and $2^{10}$?"
TRACE = (
    "The product is $\\frac{3 \\cdot 2^{10}}{8} = 3 \\cdot 128 = 384$. "
    "So the sum of the digits is $3+8+4 = \\boxed{15}$."
)
#: the masked trace a result-by-result masker writes: ``3 \\cdot 128`` stays, and 384 is its value
MASKED = (
    "The product is $\\frac{[NUMBER] \\cdot [NUMBER]^{10}}{[NUMBER]} = 3 \\cdot 128 = [NUMBER]$. "
    "So the sum of the digits is $[NUMBER]+[NUMBER]+4 = \\boxed{[NUMBER]}$."
)


def test_digit_sum_of_terminating_decimals_only():
    assert digit_sum(Fraction(21605, 10**8)) == 14  # 0.00021605
    assert digit_sum(Fraction(-384)) == 15
    assert digit_sum(Fraction(1, 3)) is None  # no terminating decimal: no digits to add


def test_a_visible_computation_whose_digits_add_to_the_gold_leaks():
    [f] = digit_sums(QUESTION, MASKED, parse_gold("15"))
    assert f.attack == "replay" and "384" in f.detail
    assert MASKED[f.start : f.end].strip() == "3 \\cdot 128"


def test_a_visible_number_whose_digits_add_to_the_gold_leaks():
    masked = MASKED.replace("3 \\cdot 128 = [NUMBER]", "[NUMBER] \\cdot [NUMBER] = 384")
    [f] = digit_sums(QUESTION, masked, parse_gold("15"))
    assert f.attack == "equivalent_form" and masked[f.start : f.end] == "384"


@pytest.mark.parametrize(
    ("question", "masked"),
    [
        # not a question about digits: the value is just a value
        (QUESTION.replace("the sum of the digits of ", ""), MASKED),
        # the computation cut: nothing visible computes 384
        (QUESTION, MASKED.replace("3 \\cdot 128", "[NUMBER] \\cdot 128")),
        # the question's own expression, written again: evaluating it is the task
        (
            "What is the sum of the digits of $3 \\cdot 128$?",
            "We have $3 \\cdot 128 = [NUMBER]$, digits sum $\\boxed{[NUMBER]}$.",
        ),
    ],
)
def test_no_digit_sum_without_a_visible_value_of_the_trace(question, masked):
    assert digit_sums(question, masked, parse_gold("15")) == []


def test_a_value_of_the_question_s_expression_is_the_task():
    question = "Find the sum of the digits of the decimal form of $\\frac{3}{2^3}$."
    masked = (
        "Multiply by one: $\\frac{3}{2^3} \\cdot \\frac{5^3}{5^3} = \\frac{[NUMBER]}{[NUMBER]}$, "
        "so $\\boxed{[NUMBER]}$."
    )
    assert digit_sums(question, masked, parse_gold("15")) == []  # 0.375: the question's own value


def test_mask_cuts_the_computation():
    r = mask_text("math", TRACE, question=QUESTION, answer="15", level="critical")
    assert r.leak is None
    assert digit_sums(QUESTION, r.text, parse_gold("15")) == []
    assert "384" not in r.text and "3 \\cdot 128" not in r.text, r.text


def test_the_checker_reads_the_same_route():
    template = (
        "The product is $\\frac{⟦3|NUMBER⟧ \\cdot ⟦2|NUMBER⟧^{10}}{⟦8|NUMBER⟧} = 3 \\cdot 128 = "
        "⟦384|NUMBER⟧$. "
        "So the sum of the digits is $⟦3|NUMBER⟧+⟦8|NUMBER⟧+4 = \\boxed{⟦15|NUMBER⟧}$."
    )
    assert "replay" in checker_leaks("digits", QUESTION, template, "15")
    cut = template.replace("= 3 \\cdot 128 =", "= ⟦3|NUMBER⟧ \\cdot 128 =")
    assert checker_leaks("digits_cut", QUESTION, cut, "15") == {}
    shown = cut.replace("⟦384|NUMBER⟧", "384")
    assert "equivalent_form" in checker_leaks("digits_shown", QUESTION, shown, "15")


def test_the_checker_spares_the_question_s_own_value():
    question = "Find the sum of the digits of the decimal form of $\\frac{3}{2^3}$."
    template = (
        "Multiply by one: $\\frac{3}{2^3} \\cdot \\frac{5^3}{5^3} = \\frac{⟦375|NUMBER⟧}{⟦1000|NUMBER⟧}$, "
        "so $\\boxed{⟦15|NUMBER⟧}$."
    )
    assert checker_leaks("digits_own", question, template, "15") == {}


def test_a_part_that_is_not_the_question_s_value_is_the_trace_s():
    question = "Find the sum of the digits of the decimal form of $\\frac{3}{2^3}$."
    masked = (
        "So $\\frac{3}{2^3} = \\frac{3 \\cdot 125}{10^3} = [NUMBER]$, and the sum is $\\boxed{[NUMBER]}$."
    )
    [f] = digit_sums(question, masked, parse_gold("15"))  # 375, inside the question's 0.375
    assert "375" in f.detail and "3 \\cdot 125" in masked[f.start : f.end]


def test_a_coincidence_that_fits_no_visible_step_is_no_leak():
    # 180 adds up to 9 too, but the visible step "1+4+[NUMBER]" fits 144 only, which the trace hides
    question = (
        "What is the sum of the digits of the measure, in degrees, of an interior angle of a regular decagon?"
    )
    masked = (
        "The angles add up to $180(n-2)$ degrees, so each is $[NUMBER]$, "
        "and $1+4+[NUMBER] = \\boxed{[NUMBER]}$."
    )
    assert digit_sums(question, masked, parse_gold("9")) == []
    assert digit_sums(question, masked.replace("each is $[NUMBER]$", "each is $144$"), parse_gold("9"))
    template = (
        "The angles add up to $180(n-2)$ degrees, so each is $⟦144|NUMBER⟧$, and "
        "$1+4+⟦4|NUMBER⟧ = \\boxed{⟦9|NUMBER⟧}$."
    )
    leaks = checker_leaks("digits_coincidence", question, template, "9")
    assert "equivalent_form" not in leaks and "replay" not in leaks, leaks
    assert "equivalent_form" in checker_leaks(
        "digits_fit", question, template.replace("⟦144|NUMBER⟧", "144"), "9"
    )


def test_the_question_s_number_by_value_and_the_closing_sentence():
    question = "What is the sum of the digits of 1,024?"
    masked = "The digits of 1024 are 1, 0, [NUMBER] and [NUMBER], so the sum is $\\boxed{[NUMBER]}$."
    assert digit_sums(question, masked, parse_gold("7")) == []  # 1,024 is the question's
    condition = "A number's sum of the digits is 7. How many two-digit numbers have it?"  # asks no digit sum
    assert digit_sums(condition, "So $= 25$ and 16.", parse_gold("7")) == []


def test_sentence_ends_separators_and_signs_read_alike_in_both_twins():
    question = "What is the sum of the digits of $N$?"
    for shown, gold in (("that is $N = 384$.", "15"), ("so $N = 21{,}605$", "14"), ("so $N = -384$", "15")):
        masked = f"We find it, {shown} The sum is $\\boxed{{[NUMBER]}}$."
        assert digit_sums(question, masked, parse_gold(gold)), shown
        template = f"We find it, {shown} The sum is $\\boxed{{⟦{gold}|NUMBER⟧}}$."
        assert checker_leaks("digits_forms", question, template, gold), shown


def test_the_question_s_value_written_out_shows_its_digits():
    # evaluating the question's fraction is the task, but a trace that writes the decimal has done it
    question = "Find the sum of the digits of the decimal form of $\\frac{3}{2^3}$."
    masked = "So $\\frac{3}{2^3} = 0.375$, and $[NUMBER]+[NUMBER]+5 = \\boxed{[NUMBER]}$."
    [f] = digit_sums(question, masked, parse_gold("15"))
    assert f.attack == "equivalent_form" and masked[f.start : f.end] == "0.375"
    template = "So $\\frac{3}{2^3} = 0.375$, and $⟦3|NUMBER⟧+⟦7|NUMBER⟧+5 = \\boxed{⟦15|NUMBER⟧}$."
    assert "equivalent_form" in checker_leaks("digits_written", question, template, "15")


def test_a_sum_of_blanks_alone_is_no_step_to_fit():
    question = (
        "What is the sum of the digits of the measure, in degrees, of an interior angle of a regular decagon?"
    )
    masked = (
        "They add up to $180(n-2)$ degrees; each is $[NUMBER]$, "
        "so $[NUMBER]+[NUMBER]+[NUMBER] = \\boxed{[NUMBER]}$."
    )
    assert digit_sums(question, masked, parse_gold("9")) == []  # 180 fits "[N]+[N]+[N]" as any number would
    template = (
        "They add up to $180(n-2)$ degrees; each is $⟦144|NUMBER⟧$, so "
        "$⟦1|NUMBER⟧+⟦4|NUMBER⟧+⟦4|NUMBER⟧ = \\boxed{⟦9|NUMBER⟧}$."
    )
    leaks = checker_leaks("digits_blank_step", question, template, "9")
    assert "equivalent_form" not in leaks and "replay" not in leaks, leaks
