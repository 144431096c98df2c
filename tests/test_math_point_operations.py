"""A slope or an area the trace names, of points it shows with every coordinate visible, or an operation of
one visible value it names in words ("the reciprocal of 2/3"): a reader computes the answer (round 34's
MATH-500 2700 and 1930, round 37's 1761, class c). The masker's ``replay`` reads it and the repair
hides a coordinate; the independent checker reads it with its own code. Traces built for the test."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._named_operation import divisor_counts, point_operations, unary_operations

from .test_recover_check import checker_leaks

SLOPE_Q = (
    "Point $A$ lies in the square with opposite corners at the origin and at $(3,3)$, and $B$ on the segment"
    " from $(6,1)$ up to height 5. What is the greatest slope of line $AB$?"
)
SLOPE = (
    "The slope is greatest when $A$ is at (3,0) and $B$ is at (6,5). So the greatest slope is"
    " $\\boxed{\\frac53}$."
)
AREA_Q = "What is the area of the region of points $(a,b)$ with $0 \\le a, b \\le 1$ and $a + b \\ge 1$?"
AREA = (
    "The region is the triangle with vertices $(1,0),$ $(1,1),$ and $\\left( 0, 1 \\right),$ which has"
    " area $\\boxed{\\frac12}.$"
)


def test_the_slope_or_area_of_visible_points_reads_the_gold():
    slope = SLOPE.replace("\\boxed{\\frac53}", "\\boxed{[EXPR]}")
    found = point_operations(SLOPE_Q, slope, parse_gold("\\frac53"))
    assert [slope[f.start : f.end] for f in found] == ["(6,5)"]
    assert not point_operations(SLOPE_Q, slope, parse_gold("\\frac35"))
    assert not point_operations(SLOPE_Q, slope.replace("(6,5)", "(6,[NUMBER])"), parse_gold("\\frac53"))
    area = AREA.replace("\\boxed{\\frac12}", "\\boxed{[EXPR]}")
    assert point_operations(AREA_Q, area, parse_gold("\\frac12"))
    # the question's own points: computing with them is the task
    asked = "What is the slope of the line through $(3,0)$ and $(6,5)$?"
    assert not point_operations(asked, slope, parse_gold("\\frac53"))


def test_the_masker_hides_a_coordinate_and_the_checker_agrees():
    for q, trace, gold in ((SLOPE_Q, SLOPE, "\\frac53"), (AREA_Q, AREA, "\\frac12")):
        r = mask_text("math", trace, question=q, answer=gold)
        assert r.leak is None and "[NUMBER]" in r.text.split("boxed")[0], r.text
        leaks = checker_leaks("points", q, trace.replace(gold, f"⟦{gold}|EXPR⟧"), gold)
        assert "replay" in leaks, leaks


def test_an_intervals_ends_are_no_points():
    text = "The slope of $f$ is positive on $(0,1)$ and negative on $(4,7)$, so the ratio is $[NUMBER]$."
    assert not point_operations("Q", text, parse_gold("\\frac32"))
    assert "replay" not in checker_leaks(
        "interval", "Q", text.replace("[NUMBER]", "⟦3/2|NUMBER⟧"), "\\frac32"
    )


RECIPROCAL_Q = "Remmy wants to divide $10$ by $\\frac{2}{3}$. By what number should he multiply $10$ instead?"
RECIPROCAL = (
    "Dividing by a fraction is multiplying by its reciprocal. The reciprocal of $\\frac{2}{3}$ is "
    "$\\boxed{\\frac{3}{2}}$, so that is what Remmy should multiply by."
)


def test_an_operation_of_one_value_named_in_words():
    masked = RECIPROCAL.replace("\\boxed{\\frac{3}{2}}", "\\boxed{[EXPR]}")
    found = unary_operations(RECIPROCAL_Q, masked, parse_gold("\\frac32"))
    assert [masked[f.start : f.end] for f in found] == ["\\frac{2}{3}"]
    for text, gold in (
        ("The square root of 49 is [NUMBER].", "7"),
        ("The cube root of $-27$ is [NUMBER].", "-3"),
        ("the absolute value of $-7$ is [NUMBER]", "7"),
        ("The square of 1.5 is [EXPR].", "\\frac94"),
    ):
        assert unary_operations("Q?", text, parse_gold(gold)), text
        assert "replay" in checker_leaks("unary", "Q?", text.replace("[NUMBER]", f"⟦{gold}|NUMBER⟧"), gold)
    # an irrational root, another result, or the operation the question itself names: nothing
    assert not unary_operations("Q?", "The square root of 8 is [EXPR].", parse_gold("2\\sqrt2"))
    assert not unary_operations("Q?", masked, parse_gold("\\frac23"))
    asked = "What is the reciprocal of $\\frac{2}{3}$?"
    assert not unary_operations(asked, masked, parse_gold("\\frac32"))
    assert "replay" not in checker_leaks(
        "asked", asked, RECIPROCAL.replace("\\frac{3}{2}", "⟦\\frac{3}{2}|EXPR⟧"), "\\frac32"
    )


def test_the_masker_hides_the_named_operand_and_the_checker_agrees():
    r = mask_text("math", RECIPROCAL, question=RECIPROCAL_Q, answer="\\frac32")
    assert r.leak is None and "The reciprocal of $[EXPR]$ is" in r.text, r.text
    assert "Dividing by a fraction is multiplying by its reciprocal." in r.text  # the plan stays
    leaks = checker_leaks(
        "reciprocal", RECIPROCAL_Q, RECIPROCAL.replace("\\frac{3}{2}", "⟦\\frac{3}{2}|EXPR⟧"), "\\frac32"
    )
    assert "replay" in leaks, leaks


# round 39's number_theory/978: "$n$ is a divisor of 24 ... The factors of 24 which are greater than 1 are
# 2, [EXPR], and 24": a reader counts the divisors of the visible 24 (8, so 7 above 1) and has the answer
POWER_Q = "For how many positive integers $n>1$ is it true that $2^{24}$ is a perfect $n^{\\text{th}}$ power?"
POWER = (
    "Note that $2^{24}$ is a perfect $n$th power if and only if $n$ is a divisor of 24. The factors of 24 "
    "which are greater than 1 are 2, 3, 4, 6, 8, 12, and 24, so we have $\\boxed{7}$ possible values of $n$."
)


def test_the_divisors_of_a_visible_number_are_counted():
    masked = POWER.replace("\\boxed{7}", "\\boxed{[NUMBER]}").replace("3, 4, 6, 8, 12", "[EXPR]")
    found = divisor_counts(POWER_Q, masked, parse_gold("7"))
    assert [masked[f.start : f.end] for f in found] == ["24", "24"]
    assert divisor_counts(POWER_Q, masked.replace("[EXPR]", "3, 4, 6, 8, 12"), parse_gold("8"))
    assert not divisor_counts(POWER_Q, masked, parse_gold("6"))  # neither 8 nor 7
    template = POWER.replace("\\boxed{7}", "\\boxed{⟦7|NUMBER⟧}").replace(
        "3, 4, 6, 8, 12", "⟦3, 4, 6, 8, 12|EXPR⟧"
    )
    assert "replay" in checker_leaks("divisors", POWER_Q, template, "7")
    # the question's own count ("How many divisors does 196 have?") is the task: nothing, here or there
    asked = "How many positive whole-number divisors does 196 have?"
    own = "The divisors of 196 are the products of a divisor of 4 and one of 49, so there are [NUMBER]."
    assert not divisor_counts(asked, own, parse_gold("9"))
    assert "replay" not in checker_leaks("own", asked, own.replace("[NUMBER]", "⟦9|NUMBER⟧"), "9")
    # no count asked: nothing; a coefficient or a factorial is no number whose divisors are counted
    assert not divisor_counts("What is the largest divisor of 24 below 10?", masked, parse_gold("7"))
    for text in (
        "The factors of $6x^2+5x+1$ are $2x+1$ and $3x+1$.",
        "The prime factors of 10! are 2, 3, 5, 7.",
    ):
        assert not divisor_counts("How many terms?", text, parse_gold("4")), text
        assert "replay" not in checker_leaks("coef", "How many terms?", text + " So ⟦4|NUMBER⟧.", "4")


def test_the_masker_hides_the_number_whose_divisors_count_the_answer():
    r = mask_text("math", POWER, question=POWER_Q, answer="7", level="critical")
    assert r.leak is None
    assert "$n$ is a divisor of [NUMBER]. The factors of [NUMBER] which are greater than 1" in r.text, r.text
