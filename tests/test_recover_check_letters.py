"""The independent checker (benchmarks/recover_check.py, loaded from its file; it imports nothing of
smepo_data) reads grade-school algebra written in plain text ("Let x be ...", ``x+3*x=380``, ``3x``,
``B - 12 = 16``): letters, blanks written alike that stand for the latest result (a term of the sum
included), an expression in letters the equations fix, and a line that solves for a letter is no rewrite
of the one before. The masked traces are built here, with values of their own."""

from __future__ import annotations

import pytest

from .test_recover_check import as_record, rc, row


def leaks(question: str, template: str, gold: str) -> dict[str, list[dict]]:
    rc._init_worker(8.0)
    got = rc.check_row(as_record(row("letters", question, template, gold)))
    assert got["unchecked"] == [], got
    return got["leaks"]


PEN = (
    "A book costs three times as much as a pen. A bag costs twice as much as the book. A pen, a book and a "
    "bag cost $50 together. How much does the book cost?"
)
# 6n for the bag, 10n in all: a reader links the sum's [N]*n to the bag's, and [N]*n=50 to the 10n
PEN_TRACE = (
    "Let n be the price of the pen.\n"
    "The book costs 3*n.\n"
    "The bag costs 3*n*2=⟦6|NUMBER⟧*n.\n"
    "Together they cost n+3*n+⟦6|NUMBER⟧*n=⟦10|NUMBER⟧*n.\n"
    "⟦10|NUMBER⟧*n=50\n"
    "n=<<⟦5|NUMBER⟧=⟦5|NUMBER⟧>>⟦5|NUMBER⟧\n"
    "The book costs 3*⟦5|NUMBER⟧=<<3*⟦5|NUMBER⟧=⟦15|NUMBER⟧>>⟦15|NUMBER⟧.\n"
    "#### ⟦15|NUMBER⟧"
)

TRIP = (
    "Ann, Bo and Cy drive 700 miles in all. Bo drives 2 times as far as Cy, and Ann drives 10 miles more "
    "than 3 times as far as Bo. How far does Bo drive?"
)
# Ann's 10+6c written again as a run of the total's terms: c = 690/9 ... with 10+6c: 9c + 10 = 700
TRIP_TRACE = (
    "Let c be the miles Cy drives\n"
    "Bo:2c\n"
    "Ann:10+3(2c)=10+⟦6|NUMBER⟧c\n"
    "Total:c+2c+10+⟦6|NUMBER⟧c=700\n"
    "⟦9|NUMBER⟧c+10=700\n"
    "⟦9|NUMBER⟧c=⟦690|NUMBER⟧\n"
    "c=<<⟦230/3|NUMBER⟧=⟦230/3|NUMBER⟧>>⟦230/3|NUMBER⟧ miles\n"
    "#### ⟦460/3|NUMBER⟧"
)


@pytest.mark.parametrize(
    ("question", "template", "gold", "expected"),
    [
        (PEN, PEN_TRACE, "15", {"constraints"}),
        (PEN, PEN_TRACE, "16", set()),
        (PEN, PEN_TRACE.replace("=50", "=⟦50|NUMBER⟧"), "15", set()),  # cut at the question's copy
        (TRIP, TRIP_TRACE, "460/3", {"constraints"}),
        (TRIP, TRIP_TRACE.replace("=700", "=⟦700|NUMBER⟧"), "460/3", set()),
    ],
    ids=["latest_result", "not_the_gold", "cut", "run_of_terms", "run_of_terms_cut"],
)
def test_blanks_read_as_the_latest_result(question, template, gold, expected):
    got = leaks(question, template, gold)
    assert set(got) == expected, got
    if expected:
        assert "with the solved letters" in got["constraints"][0]["detail"]


def test_a_plain_expression_in_a_solved_letter():
    question = "Dinner costs $31 for a main and a dessert. The main costs $7 more than the dessert. Main?"
    template = (
        "Let D be the cost of the dessert.\nThe main costs D+7 dollars\nD+(D+7)=31\n"
        "⟦2|NUMBER⟧D+7=31\n⟦2|NUMBER⟧D=⟦24|NUMBER⟧\nD=<<⟦12|NUMBER⟧=⟦12|NUMBER⟧>>⟦12|NUMBER⟧\n"
        "#### ⟦19|NUMBER⟧"
    )
    assert set(leaks(question, template, "19")) == {"constraints"}
    assert not leaks(question, template.replace("=31\n⟦2", "=⟦31|NUMBER⟧\n⟦2"), "19")


def test_a_line_that_solves_for_a_letter_is_no_rewrite():
    # "[N]x = 70" moved around into "x = [N]" would make the blank 1 and x 70, and "3*x" 210; the line
    # divides through, and nothing fixes x (10 with the question's 7)
    question = "Seven boxes hold 70 pens. How many pens are in 3 boxes?"
    template = (
        "Let x be the pens in a box.\n⟦7|NUMBER⟧x=70\nx=<<⟦10|NUMBER⟧=⟦10|NUMBER⟧>>⟦10|NUMBER⟧\n"
        "Three boxes hold 3*x pens.\n#### ⟦30|NUMBER⟧"
    )
    assert not leaks(question, template, "210")
    assert not leaks(question, template, "30")
    assert set(leaks(question, template.replace("⟦7|NUMBER⟧x", "7x"), "30")) == {"constraints"}


def test_plain_letters_are_read():
    masked = "He had B - 12 = 16 left.\nThen 3x+2 = 14"
    ctx = rc.RowCtx({"id": "p", "question": "q", "trace": "t", "masked": masked, "gold": "1"}).build()
    nodes = [sd.node for run in ctx.runs for sd in run if sd.node is not None]
    assert ("var", "B") in [n for node in nodes for n in rc.walk(node)]
    assert ("var", "x") in [n for node in nodes for n in rc.walk(node)]
    # "a" stays a word, and a line break ends a step: no product of 16 and the next line's 3
    assert not any(n == ("var", "a") for node in nodes for n in rc.walk(node))
    assert ("num", rc.Fraction(16)) in nodes


def test_a_timeout_in_the_second_reading_marks_only_constraints(monkeypatch):
    def out_of_time(*_args):
        raise rc.RowTimeout()

    monkeypatch.setattr(rc, "_relinked_chains", out_of_time)
    rc._init_worker(8.0)
    got = rc.check_row(as_record(row("letters", PEN, PEN_TRACE, "15")))
    assert got["unchecked"] == ["constraints"]
    assert got["kept"]["operators"][0] > 0  # the row's damage and structure were still counted


def test_units_and_broken_lines_read_as_before():
    # a one-letter unit after its number is no letter, and a line that starts or ends with an operator
    # goes on: 3 * 40 = 120 and 12 + 30 + 5 + 8 = 55 replay as they did
    lap = "3 * 40 s = ⟦120|NUMBER⟧ s\n#### ⟦120|NUMBER⟧"
    got = leaks("A lap takes 40 s. How long do 3 laps take?", lap, "120")
    assert "replay" in got
    got = leaks("Add 12, 30, 5 and 8.", "Total = 12 + 30 + 5\n+ 8 = ⟦55|NUMBER⟧\n#### ⟦55|NUMBER⟧", "55")
    assert "replay" in got
