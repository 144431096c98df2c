"""Blanks written alike that stand for different values (issue 11, round 19's GSM8K 7134): a worked
solution in a letter writes ``[NUMBER]*n`` for 6n, then for the 10n a sum comes to, then solves
``[NUMBER]*n=50``. A reader links each to the latest result written alike, and links the term of the sum
to the line that computed it; read so, the chain reaches the answer. Two sides written alike term by
term are no value put in a letter's place while the letter is still on the other side (``3*n*2`` beside
``[NUMBER]*n``: the 2 is no n). Each trace is built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import _rewritten, attacks, solve

QUESTION = (
    "A book costs three times as much as a pen. A bag costs twice as much as the book. A pen, a book and a "
    "bag cost $50 together. How much does the book cost?"
)
# n = 5, the book 3n = 15: 6n for the bag, 10n in all
MASKED = (
    "Let n be the price of the pen.\n"
    "The book costs 3*n.\n"
    "The bag costs 3*n*2=[NUMBER]*n.\n"
    "Together they cost n+3*n+[NUMBER]*n=[NUMBER]*n.\n"
    "[NUMBER]*n=50\n"
    "n=<<[NUMBER]=[NUMBER]>>[NUMBER]\n"
    "The book costs 3*[NUMBER]=<<3*[NUMBER]=[NUMBER]>>[NUMBER].\n"
    "#### [NUMBER]"
)


def test_the_latest_result_written_alike_gives_the_chain():
    assert attacks(QUESTION, MASKED, "15")
    assert not attacks(QUESTION, MASKED, "16")


def test_the_question_copy_cuts_it():
    assert not attacks(QUESTION, MASKED.replace("=50", "=[NUMBER]"), "15")


def test_a_term_of_a_sum_and_a_later_side_link_to_different_results():
    reading = read_equations(MASKED, link="latest")
    known = {u: k.value for u, k in solve(reading).known.items()}
    assert known.get("v:n") == 5
    assert sorted(v for u, v in known.items() if u.startswith("u") and v in (6, 10)) == [6, 10]


def test_a_letter_still_on_its_side_is_no_value_put_in_its_place():
    known = {u: k.value for u, k in solve(read_equations("$3*n*2=[NUMBER]*n$")).known.items()}
    assert "v:n" not in known  # 2 = n taken from the alignment would be wrong
    assert [k for u, k in known.items() if u.startswith("u")] == [Fraction(6)]


def test_the_masker_hides_what_cuts_it():
    trace = MASKED
    for value in ("6", "6", "10", "10", "5", "5", "5", "5", "5", "15", "15", "15"):
        trace = trace.replace("[NUMBER]", value, 1)
    r = mask_text("math", trace, question=QUESTION, answer="15")
    assert r.leak is None
    assert not attacks(QUESTION, r.text, "15")
    assert "[NUMBER]*n=[NUMBER]" in r.text  # cut at the question's 50, the plan kept
    assert "3*n*2=" in r.text and "n+3*n+" in r.text


def test_a_run_of_terms_with_a_subtraction_is_read_against_a_result():
    question = "Ann, Bo and Cy lift 305 pounds in all. Bo lifts 5 less than 3 times Cy, Ann twice Bo. Ann?"
    # Bo 3c-5, Ann 6c-10 (hidden coefficients), the total's terms run "+[N]c-[N]": 10c-15 = 305, c = 32,
    # Ann 2(3c-5) = 182
    masked = (
        "Let c be what Cy lifts.\nBo: 3c-5\nAnn:2(3c-5)=[NUMBER]c-[NUMBER]\n"
        "Total:c+3c-5+[NUMBER]c-[NUMBER]=305\n[NUMBER]c-[NUMBER]=305\n[NUMBER]c=[NUMBER]\n"
        "c=<<[NUMBER]=[NUMBER]>>[NUMBER]\n#### [NUMBER]"
    )
    assert attacks(question, masked, "182")
    assert not attacks(question, masked.replace("=305", "=[NUMBER]"), "182")


def test_a_line_around_a_calculator_note_rewrites_the_line_before():
    # "s+s+s+s = [N]" then "[N]s=<<60=60>>[N]": the same equation, so 4s = 60 and s = 15
    question = "A square's perimeter equals a circle's area, 60. How long is a side?"
    masked = (
        "Let the side be s. Its perimeter is s+s+s+s = [NUMBER]\nTherefore, [NUMBER]s=<<60=60>>[NUMBER]\n"
        "So s = 60/[NUMBER] = <<60/[NUMBER]=[NUMBER]>>[NUMBER]\n#### [NUMBER]"
    )
    assert attacks(question, masked, "15")
    assert not attacks(question, masked.replace("60", "[NUMBER]"), "15")


def test_a_line_that_solves_for_a_letter_rewrites_nothing():
    # "[N]x = [N]", then "x = <<...>>": divided through as often as moved; read as moved, the blank is 1
    text = "So, [NUMBER]x=[NUMBER].\nAnd x = <<[NUMBER]=[NUMBER]>>[NUMBER] grams."
    reading = read_equations(text)
    assert _rewritten(reading, solve(reading), text) == {}
    # a line that moves terms is still read: 8d - 3 = 45 and d + 7d - 3 = [N]
    text = "We get d + 7d - 3 = [NUMBER].\nCombining like terms, [NUMBER]d - 3 = 45."
    reading = read_equations(text)
    assert sorted(v for v, _ in _rewritten(reading, solve(reading), text).values()) == [8, 45]


def test_an_expression_in_a_solved_letter_gives_the_gold():
    question = "Dinner costs $31 for a main and a dessert. The main costs $7 more than the dessert. Main?"
    masked = (
        "Let D be the cost of the dessert.\nThe main costs D+7 dollars\nD+(D+7)=31\n[NUMBER]D+7=31\n"
        "[NUMBER]D=[NUMBER]\nD=<<[NUMBER]=[NUMBER]>>[NUMBER]\n#### [NUMBER]"
    )
    found = attacks(question, masked, "19")
    assert found and "D+7" in found[0].detail
    assert not attacks(question, masked.replace("=31", "=[NUMBER]"), "19")


def test_the_second_reading_runs_where_the_first_contradicts_itself():
    # the sum's 6*n visible: read as written first, [N]*n=50 takes the bag's blank (6n = 50) and the sum
    # says 10n: a contradiction, so the unlinked reading stands in; the latest-result reading still runs
    masked = (
        "Let n be the price of the pen.\nThe book costs 3*n.\nThe bag costs 3*n*2=[NUMBER]*n.\n"
        "Together they cost n+3*n+6*n=[NUMBER]*n.\n[NUMBER]*n=50\nSo n=[NUMBER], and the book costs 3*n.\n"
        "#### [NUMBER]"
    )
    assert attacks(QUESTION, masked, "15")
    assert not attacks(QUESTION, masked.replace("=50", "=[NUMBER]"), "15")
