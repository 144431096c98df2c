"""A fraction of two blanks is one value to a reader (issue 11; MATH-500 398 and GSM8K 7042 of the
thirty-second session): ``-\\frac{[NUMBER]}{[NUMBER]}`` beside a visible ``\\frac{-3}{10}\\cdot 3`` is 9/10
though neither blank is fixed apart, and a reader carries the fraction on to the next step. Read so by the
masker's attacks (:mod:`smepo_data.math._ratios`) and by the independent checker alike; not where either
blank is also written alone. Traces built here, shortened from the rows."""

from __future__ import annotations

import re

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math._ratios import blank_ratios, ratio_name
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks, row


def vec(top: str, bottom: str) -> str:
    return f"\\begin{{pmatrix}} {top} \\\\ {bottom} \\end{{pmatrix}}"


def _masked(template: str) -> str:
    return row("", "", template, "")["masked_trace"]


def _original(template: str) -> str:
    return row("", "", template, "")["trace"]


VECTOR_Q = (
    f"A reflection takes ${vec(5, 0)}$ to ${vec(4, 3)}.$  Which vector does the reflection take "
    f"${vec(-2, 3)}$ to?"
)
VECTOR_GOLD = vec("1/5", "-18/5")
# the projection's scalar is hidden, but the dot product that gives it is visible: -3/10 (3, 1) is the
# vector whose first component is written -[N]/[N]; doubled, less (-2, 3), it is the gold
SCALED = vec("-\\frac{⟦9|NUMBER⟧}{⟦10|NUMBER⟧}", "-⟦\\frac{3}{10}|EXPR⟧")
VECTOR = (
    f"The projection is\n\\[\\frac{{{vec(-2, 3)} \\cdot {vec(3, 1)}}}{{{vec(3, 1)} \\cdot {vec(3, 1)}}} "
    f"{vec(3, 1)} = \\frac{{-3}}{{⟦10|NUMBER⟧}} {vec(3, 1)} = {SCALED}.\\]Hence, the reflection is "
    f"$2 {SCALED} - {vec(-2, 3)} = \\boxed{{⟦{VECTOR_GOLD}|EXPR⟧}}.$"
)
HOURS_Q = "A bus travels 50 miles per hour. How far does it travel in 42 minutes?"
HOURS = (
    "We convert the time to hours, so 42 minutes = 42/60 hours = ⟦7|NUMBER⟧/⟦10|NUMBER⟧ hours.\n"
    "So the distance is 50 * (⟦7|NUMBER⟧/⟦10|NUMBER⟧) = <<50*(⟦7|NUMBER⟧/⟦10|NUMBER⟧)=⟦35|NUMBER⟧>>"
    "⟦35|NUMBER⟧ miles.\n#### ⟦35|NUMBER⟧"
)


def test_a_fraction_of_two_blanks_fixed_by_visible_values_gives_the_gold_vector_away():
    found = attacks(VECTOR_Q, _masked(VECTOR), VECTOR_GOLD)
    assert [f.attack for f in found] == ["system"]
    assert "gold vector" in found[0].detail
    assert set(checker_leaks("ratio_vector", VECTOR_Q, VECTOR, VECTOR_GOLD)) == {"system"}
    other = "\\begin{pmatrix} 1/5 \\\\ -17/5 \\end{pmatrix}"
    assert attacks(VECTOR_Q, _masked(VECTOR), other) == []
    assert checker_leaks("ratio_vector_other", VECTOR_Q, VECTOR.replace(VECTOR_GOLD, other), other) == {}


def test_the_questions_vector_hidden_where_the_trace_copies_it_leaves_the_last_step_open():
    # what the masker does: the copies of the question's (-2, 3) lose their -2, which a reader reads back
    # from the question (allowed); the fraction is still 9/10, but no visible step gives the gold
    cut = VECTOR.replace("-2 \\\\ 3", "-⟦2|NUMBER⟧ \\\\ 3")
    assert cut.count("⟦2|NUMBER⟧") == 2
    assert attacks(VECTOR_Q, _masked(cut), VECTOR_GOLD) == []
    assert checker_leaks("ratio_vector_cut", VECTOR_Q, cut, VECTOR_GOLD) == {}


def test_a_fraction_of_two_blanks_carried_into_a_calculator_step_gives_the_gold_away():
    found = attacks(HOURS_Q, _masked(HOURS), "35")
    assert found and {f.attack for f in found} <= {"replay", "constraints"}
    assert set(checker_leaks("ratio_hours", HOURS_Q, HOURS, "35")) == {"constraints"}
    # 42/[N]: the fraction a reader needs is no longer known
    cut = HOURS.replace("42/60 hours", "42/⟦60|NUMBER⟧ hours")
    assert attacks(HOURS_Q, _masked(cut), "35") == []
    assert checker_leaks("ratio_hours_cut", HOURS_Q, cut, "35") == {}


def test_the_masker_hides_what_fixes_the_fraction():
    for question, template, gold in ((VECTOR_Q, VECTOR, VECTOR_GOLD), (HOURS_Q, HOURS, "35")):
        r = mask_text("math", _original(template), question=question, answer=gold)
        assert r.leak is None
        assert attacks(question, r.text, gold) == []


def test_only_blanks_written_nowhere_else_apart_are_one_fraction():
    text = "$\\frac{[NUMBER]}{[NUMBER]} = \\frac{9}{10}$ and $[NUMBER] = 2$"
    reading = blank_ratios(read_equations(text, link=False))
    starts = [m.start() for m in re.finditer(r"\[NUMBER\]", text)]
    pair = ratio_name(f"u{starts[0]}", f"u{starts[1]}")
    assert any(pair in eq.unknowns for eq in reading.equations)
    assert not any(f"u{starts[0]}" in eq.unknowns for eq in reading.equations)
    assert any(f"u{starts[2]}" in eq.unknowns for eq in reading.equations)
    # each placeholder keeps its own unknown, which no equation holds: a slot read by its placeholder (a
    # template's m and n in \frac{m}{n}) gets no value, never the fraction's for both
    assert [reading.blanks[s] for s in starts] == [f"u{s}" for s in starts]
    # indexed blanks are one value wherever they are written: the numerator, written again alone, is no
    # part of a fraction of its own
    indexed = "$\\frac{[NUMBER_1]}{[NUMBER_2]} = \\frac{9}{10}$ and $[NUMBER_1] + 1 = 10$"
    plain = read_equations(indexed, link=False)
    assert blank_ratios(plain) is plain
    fraction = read_equations("$\\frac{[NUMBER_1]}{[NUMBER_2]} = \\frac{9}{10}$", link=False)
    assert {u for eq in blank_ratios(fraction).equations for u in eq.unknowns} == {ratio_name("b1", "b2")}


def test_the_checker_tries_a_fraction_of_two_blanks_beside_a_letter():
    # the fraction of two blanks is one unknown (a key of its own) beside the letter x in one equation: the
    # checker tries them together as an identity and keeps the row checked
    question = "Solve $|x+5|=|3x-6|$ for the larger $x$."
    template = (
        "If both sides have the same sign, $x+⟦5|NUMBER⟧=3x-6$, so $x = \\frac{⟦11|NUMBER⟧}{⟦2|NUMBER⟧}$; "
        "the larger is $\\boxed{⟦\\frac{11}{2}|EXPR⟧}$."
    )
    from .test_recover_check import as_record, rc

    rc._init_worker(8.0)
    got = rc.check_row(as_record(row("ratio_identity", question, template, "\\frac{11}{2}")))
    assert got["unchecked"] == [], got
