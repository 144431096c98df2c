"""A number the question offers as a choice, named by leaving it out (``elimination``): in the masker's
attacks, in ``mask`` and in the independent checker (``benchmarks/recover_check.py``)."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._choices import _alone, elimination
from smepo_data.math._rational import Fraction
from tests.test_recover_check import checker_leaks

QUESTION = (
    "A baker packs 42 muffins. She can use boxes that hold either 4, 6, or 8 muffins. She wants every box "
    "full. Which box size should she choose?"
)
TRACE = (
    "With boxes of 4, 42/4 = 10.5 boxes, not whole. With boxes of 6, 42/6 = 7 boxes, all full. "
    "With boxes of 8, 42/8 = 5.25 boxes, not whole. So she should choose boxes of 6.\n#### 6"
)
#: the masked trace a value-by-value masker writes: each option's check, the chosen one hidden throughout
MASKED = (
    "With boxes of 4, [N]/4 = [N] boxes, not whole. With boxes of [N], [N]/[N] = [N] boxes, all full. "
    "With boxes of 8, [N]/8 = [N] boxes, not whole. So she should choose boxes of [N].\n#### [N]"
)


def test_every_option_but_the_gold_visible_names_it():
    found = elimination(QUESTION, MASKED, "6", TRACE)
    assert found and {f.attack for f in found} == {"elimination"}
    assert {MASKED[f.start : f.end] for f in found} == {"4"}  # the option shown fewest times, every time
    assert len(found) == 2


@pytest.mark.parametrize(
    ("question", "masked", "why"),
    [
        # the question asks for an amount, not a choice: a gold that happens to be an offered value
        (
            QUESTION.replace("Which box size should she choose?", "How many muffins fit in 7 boxes?"),
            MASKED,
            "ask",
        ),
        # the gold is visible: nothing is named by its absence (the value attacks judge it)
        (QUESTION, MASKED.replace("boxes of [N], [N]/[N]", "boxes of 6, [N]/[N]"), "visible"),
        # one other option hidden too: two are unaccounted for
        (QUESTION, MASKED.replace("boxes of 8, [N]/8", "boxes of [N], [N]/[N]"), "two open"),
        # no choice among numbers: "4 or 6" is not "1,000 or 6" read apart
        (QUESTION.replace("either 4, 6, or 8", "1,000 or 6"), MASKED, "list"),
    ],
)
def test_no_elimination_without_a_choice_left_to_one(question, masked, why):
    assert elimination(question, masked, "6", TRACE) == [], why


def test_options_the_trace_never_checks_are_no_elimination():
    trace = "42/6 = 7 boxes, all full; 4 and 8 do not divide 42.\n#### 6"
    assert elimination(
        QUESTION, "[N]/[N] = [N] boxes, all full; 4 and 8 do not divide 42.\n#### [N]", "6", trace
    )
    short = "42/6 = 7 boxes, all full, 4 does not divide 42.\n#### 6"  # 8 never named: no checked list
    assert (
        elimination(QUESTION, "[N]/[N] = [N] boxes, all full, 4 does not divide 42.\n#### [N]", "6", short)
        == []
    )


def test_mask_hides_another_option_so_two_stay_open():
    r = mask_text("math", TRACE, question=QUESTION, answer="6", level="critical")
    assert r.leak is None and elimination(QUESTION, r.text, "6", TRACE) == []
    assert "6" not in r.text.replace("[NUMBER]", "")
    assert sum(Fraction(o) in _alone(r.text) for o in ("4", "8")) <= 1, r.text  # two options stay open


def test_the_checker_reads_the_same_route():
    template = (
        "With boxes of 4, ⟦42|NUMBER⟧/4 = ⟦10.5|NUMBER⟧ boxes, not whole. With boxes of ⟦6|NUMBER⟧, "
        "⟦42|NUMBER⟧/⟦6|NUMBER⟧ = ⟦7|NUMBER⟧ boxes, all full. With boxes of 8, ⟦42|NUMBER⟧/8 = "
        "⟦5.25|NUMBER⟧ boxes, not whole. So she should choose boxes of ⟦6|NUMBER⟧.\n#### ⟦6|NUMBER⟧"
    )
    assert "elimination" in checker_leaks("choice", QUESTION, template, "6")
    clean = template.replace(
        "With boxes of 8, ⟦42|NUMBER⟧/8", "With boxes of ⟦8|NUMBER⟧, ⟦42|NUMBER⟧/⟦8|NUMBER⟧"
    )
    assert "elimination" not in checker_leaks("choice_clean", QUESTION, clean, "6")
    asks_amount = QUESTION.replace("Which box size should she choose?", "How many muffins fit in 7 boxes?")
    assert "elimination" not in checker_leaks("choice_amount", asks_amount, template, "6")


@pytest.mark.parametrize(
    "offer",
    [
        "either $4$, $6$, or $8$ muffins",  # math mode, as MATH writes its numbers
        "either 4, 6 or 8 muffins",
        "boxes, 4, 6, or 8 muffins each",  # right after a comma
    ],
)
def test_options_are_read_however_the_question_writes_them(offer):
    question = QUESTION.replace("either 4, 6, or 8 muffins", offer)
    assert elimination(question, MASKED, "6", TRACE), offer
    template = (
        "With boxes of 4, ⟦42|NUMBER⟧/4 = ⟦10.5|NUMBER⟧ boxes. With boxes of ⟦6|NUMBER⟧, all full. "
        "With boxes of 8, ⟦42|NUMBER⟧/8 = ⟦5.25|NUMBER⟧ boxes. So boxes of ⟦6|NUMBER⟧.\n#### ⟦6|NUMBER⟧"
    )
    assert "elimination" in checker_leaks("choice_forms", question, template, "6"), offer


def test_a_relative_which_or_a_decimal_is_read_right():
    relative = "Kim reads 3 or 4 chapters a day. What is the least number of days in which she can finish 12?"
    masked = "Reading the most, 4 chapters a day, she needs [NUMBER]/4 = [NUMBER] days.\n#### [NUMBER]"
    trace = "Reading the most, 4 chapters a day, she needs 12/4 = 3 days.\n#### 3"
    assert elimination(relative, masked, "3", trace) == []  # "in which" asks for no choice
    template = (
        "Reading the most, 4 chapters a day, she needs ⟦12|NUMBER⟧/4 = ⟦3|NUMBER⟧ days.\n#### ⟦3|NUMBER⟧"
    )
    assert "elimination" not in checker_leaks("choice_relative", relative, template, "3")
    decimal = "Bottles hold 1.5 or 2 liters. Which size should she choose for 6 liters?"
    trace = "With 1.5 liter bottles, 6/1.5 = 4 bottles. With 2 liter bottles, 3. She picks 2.\n#### 2"
    masked = (
        "With 1.5 liter bottles, [N]/1.5 = [N] bottles. With [N] liter bottles, [N]. She picks [N].\n#### [N]"
    )
    assert elimination(decimal, masked, "2", trace)  # the closing sentence is not cut at "1.5"


def test_giant_numerals_and_sentence_openers_do_not_break_the_twins():
    huge = "9" * 5000
    question = f"She can pick either 7 or {huge}. Which should she choose?"
    r = mask_text("math", "She picks 7.\n#### 7", question=question, answer="7", level="critical")
    assert r.leak is None
    leaks = checker_leaks("choice_huge", question, "She picks ⟦7|NUMBER⟧.\n#### ⟦7|NUMBER⟧", "7")
    assert "_errors" not in leaks, leaks
    # a capitalized word that opens a sentence is no name among the choices
    names = "Which runner is fastest? Debra timed them. Evelyn, Briana and Carla ran."
    template = "Debra's times: Evelyn 10 s, ⟦Briana|ENTITY⟧ 9 s, Carla 11 s. The fastest is ⟦Briana|ENTITY⟧."
    assert "elimination" not in checker_leaks("names_opening", names, template, "\\text{Briana}")


@pytest.mark.parametrize(
    "ask",
    [
        "How many days does she need for the book, which has 12 chapters?",  # a relative ", which"
        "What is the fewest days she needs to pick 12 chapters?",  # "pick" with its quantity: the task's verb
        "How many days does she need (in which she reads every day)?",
    ],
)
def test_a_relative_which_or_a_verb_with_its_quantity_asks_no_choice(ask):
    question = f"Kim reads 3 or 4 chapters a day. {ask}"
    trace = "Reading the most, 4 chapters a day, she needs 12/4 = 3 days.\n#### 3"
    masked = "Reading the most, 4 chapters a day, she needs [NUMBER]/4 = [NUMBER] days.\n#### [NUMBER]"
    assert elimination(question, masked, "3", trace) == []
    template = (
        "Reading the most, 4 chapters a day, she needs ⟦12|NUMBER⟧/4 = ⟦3|NUMBER⟧ days.\n#### ⟦3|NUMBER⟧"
    )
    assert "elimination" not in checker_leaks("choice_ask", question, template, "3")


def test_a_huge_separated_numeral_crashes_nothing():
    big = "1" + ",000" * 2000
    question = f"There are {big} grains. What is the sum of the digits of 25?"
    r = mask_text(
        "math", f"Of {big} grains, we take 25, and $2+5 = \\boxed{{7}}$.", question=question, answer="7"
    )
    assert r.level
    leaks = checker_leaks(
        "huge_sep", question, f"Of {big} grains, 25, and $2+5 = \\boxed{{⟦7|NUMBER⟧}}$.", "7"
    )
    assert "_errors" not in leaks, leaks
