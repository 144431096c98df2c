"""Readings of GSM8K-style prose the masker's audit got wrong, on traces built for the test: any currency
sign (``¢``, ``₹``) before an operand is a sign, not the end of the step; a dash after words of prose
("[N]kg in items – 300kg") is a subtraction whose first operand the prose holds, never a negative value; a
number with its commas misplaced ("13,2000") is read as no value, not as its last group; and where a step's
written result is wrong (``14*20=140``), a reader who carries the hidden result into its blank works the
side out himself, so the true value counts as computed."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import attacks


def _steps(masked: str) -> set[str]:
    return {masked[e.start : e.end] for e in read_equations(masked, link=True).equations}


def _trees(masked: str) -> list[tuple]:
    return [t for e in read_equations(masked, link=True).equations for t in (e.left.tree, e.right.tree)]


CANDY_Q = (
    "A snack machine takes only quarters. Gum costs ¢35, a lollipop ¢15 and a pack of mints ¢50. "
    "How many quarters buy one of each?"
)


@pytest.mark.parametrize("sign", ["¢", "₹", "€"])
def test_a_currency_sign_before_an_operand_is_read_through(sign):
    masked = (
        f"The total is {sign}35 + {sign}15 + {sign}50 = {sign}<<35+15+50=[NUMBER]>>[NUMBER].\n"
        f"A quarter is {sign}25, so {sign}[NUMBER]/{sign}25 = <<[NUMBER]/25=[NUMBER]>>[NUMBER] quarters.\n"
        "#### [NUMBER]"
    )
    trees = _trees(masked)
    assert ("n", Fraction(25)) not in trees  # no "25 = <<...>>": the sign does not cut "[N]/25" in two
    assert any(t[0] == "/" and t[2] == ("n", Fraction(25)) and t[1][0] == "u" for t in trees)
    # the hidden total carried into "[N]/25" gives the answer: the audit sees it
    assert "replay" in {f.attack for f in attacks(CANDY_Q.replace("¢", sign), masked, "4")}


def test_the_cent_sign_row_is_cut_until_no_replay_reaches_the_answer():
    trace = (
        "The total is ¢35 + ¢15 + ¢50 = ¢<<35+15+50=100>>100.\n"
        "A quarter is ¢25, so ¢100/¢25 = <<100/25=4>>4 quarters.\n#### 4"
    )
    r = mask_text("math", trace, question=CANDY_Q, answer="4", level="answer")
    assert r.leak is None
    assert attacks(CANDY_Q, r.text, "4", trace) == []
    assert "¢35 + ¢15 + ¢50" not in r.text  # an operand of the total is cut


def test_a_dash_after_prose_words_is_no_negative_value():
    masked = (
        "The items weigh 20kg + 60kg + 300kg = <<20+60+300=[NUMBER]>>[NUMBER]kg.\n"
        "He leaves out [NUMBER]kg in items – 300kg weight limit = <<[NUMBER]-300=[NUMBER]>>[NUMBER]kg.\n"
        "#### [NUMBER]"
    )
    assert not any(t[0] == "neg" for t in _trees(masked))
    assert not any(s.startswith("–") for s in _steps(masked))
    q = "He has 20kg of nails, 60kg of hammers and 300kg of planks; the limit is 300kg. How much is left out?"
    assert "replay" in {f.attack for f in attacks(q, masked, "80")}


def test_a_dash_inside_a_computation_still_subtracts():
    masked = "He has 380 – 300 = <<380-300=[NUMBER]>>[NUMBER]kg left.\n#### [NUMBER]"
    assert any(t[0] == "-" for t in _trees(masked))


def test_a_dash_after_a_connective_is_a_negative_value():
    masked = "Therefore 60 - L - 2 L = [NUMBER]\nTherefore - 3 L = -90\nSo L = [NUMBER]\n#### [NUMBER]"
    assert "- 3 L = -90" in _steps(masked)  # no value and unit words before the dash: "-3 L" is a side


def test_a_number_with_misplaced_commas_is_no_value():
    masked = (
        "It takes 2 * 6,600 = [NUMBER] seconds.\n"
        "[NUMBER] seconds is 13,2000 / 60 = <<[NUMBER]/60=[NUMBER]>>[NUMBER] minutes\n#### [NUMBER]"
    )
    trees = _trees(masked)
    assert ("n", Fraction(2000)) not in [c for t in trees if t[0] == "/" for c in t[1:]]
    assert ("n", Fraction(6600)) in [c for t in trees if t[0] == "*" for c in t[1:]]  # 6,600 is read
    q = "Bob tills 6,600 feet at 1 foot every 2 seconds. How many minutes does it take?"
    assert "replay" in {f.attack for f in attacks(q, masked, "220")}


SLIP_Q = "Mark plays a gig every other day for 2 weeks; each gig is 20 minutes. How many minutes did he play?"


def test_a_wrong_written_result_does_not_hide_the_true_one():
    masked = (
        "He played 7*2 = <<7*2=[NUMBER]>>[NUMBER] gigs\n"
        "So he played [NUMBER]*20=140 minutes\n#### [NUMBER]"
    )  # the trace slipped: 14*20 is 280, the gold
    found = [f for f in attacks(SLIP_Q, masked, "280") if f.attack == "replay"]
    assert found, "the carried 14 gives 280"
    # where the written result is right, nothing is computed that the step does not show
    right = masked.replace("=140", "=280")
    assert [f for f in attacks(SLIP_Q, right, "560") if f.attack == "replay"] == []


def test_the_slipped_row_is_cut():
    trace = "He played 7*2 = <<7*2=14>>14 gigs\nSo he played 14*20=140 minutes\n#### 280"
    r = mask_text("math", trace, question=SLIP_Q, answer="280", level="answer")
    assert r.leak is None
    assert attacks(SLIP_Q, r.text, "280", trace) == []
    assert "14*20" not in r.text  # the slipped step is cut (at the question's 20, a copy)


def test_a_step_that_holds_with_a_number_of_the_question_is_no_slip():
    q = "Betsy won 5 games. Helen won twice as many and Susan three times as many. How many did they win?"
    masked = (
        "Helen won 2*5 = <<2*5=[NUMBER]>>[NUMBER] games\n"
        "Susan won 3*[NUMBER] = <<3*[NUMBER]=15>>15 games\n#### [NUMBER]"
    )  # 3*[N]=15 holds with Betsy's 5; Helen's 10 carried in would give 30, the gold, by chance
    assert [f for f in attacks(q, masked, "30") if f.attack == "replay"] == []


def test_a_step_that_holds_with_a_value_the_reader_has_is_no_slip():
    # a number word of the question ...
    q = "Betsy won five games. Helen won twice as many and Susan three times as many. How many did they win?"
    masked = (
        "Helen won 2*5 = <<2*5=[NUMBER]>>[NUMBER] games\nSusan won 3*[NUMBER] = <<3*[NUMBER]=15>>15 games\n"
    )
    assert [f for f in attacks(q, masked + "#### [NUMBER]", "30") if f.attack == "replay"] == []
    # ... or a value a step computed before it
    q = "Betsy won 2 more than 3 games. Helen won twice as many and Susan three times as many. How many?"
    masked = (
        "Betsy won 2+3 = <<2+3=[NUMBER]>>[NUMBER] games\n"
        "Helen won 2*[NUMBER] = <<2*[NUMBER]=[NUMBER]>>[NUMBER] games\n"
        "Susan won 3*[NUMBER] = <<3*[NUMBER]=15>>15 games\n#### [NUMBER]"
    )
    assert [f for f in attacks(q, masked, "30") if f.attack == "replay"] == []


def test_no_result_is_carried_into_a_letter():
    q = "Ann has 3 red and 4 blue apples. Bob has some apples. Carl has 30 apples with Bob's. How many?"
    masked = (
        "Ann has 3+4 = [NUMBER_1] apples.\nBob and Ann have [NUMBER_1] + [NUMBER_2] = [NUMBER_3] apples.\n"
        "So x + [NUMBER_3] = 30\n#### [NUMBER_4]"
    )
    assert [f for f in attacks(q, masked, "28") if f.attack == "replay"] == []


def test_negative_values_and_lists_in_prose_are_still_read():
    assert _steps("On day 2 the temperature was - 5 + 3 = -2 degrees") == {"- 5 + 3 = -2"}
    assert _steps("The roots are x=2,3 and y=4") == {"x=2", "y=4"}
