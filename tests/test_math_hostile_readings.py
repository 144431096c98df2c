"""Hostile inputs for the readings added in the twenty-sixth session (the coordinate of a named point, an
operation of one value named in words, a minus sign moved across a fraction bar, a carried factor 1, the
ratio of two segments on a figure), each found by a review with a reproduction: no super-linear run, no
false point or value, and the masker's rule and the checker's twin agree on the same text."""

from __future__ import annotations

import pytest

from smepo_data import Example, mask_example
from smepo_data.math._answer import parse_gold
from smepo_data.math._equations import read_equations
from smepo_data.math._lexer import scan_cached
from smepo_data.math._named_operation import _int_root, unary_operations
from smepo_data.math._restated import _coordinate, restated
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks, rc


def test_long_blank_runs_and_deep_quotients_are_read_in_linear_time():
    # "the square of" + a long run of blanks was cubic (29 s at 2 KB); nested \frac{...}{-3} was exponential
    spaces = "We want the square of" + " \n" * 50_000 + "the value, $\\boxed{[NUMBER]}$."
    assert unary_operations("Q?", spaces, parse_gold("9")) == []
    assert list(rc.UNARY_RE.finditer(spaces)) == []
    inner, outer = "5", "7"
    for _ in range(30):
        inner, outer = f"\\frac{{{inner}}}{{-3}}", f"\\frac{{{outer}}}{{-3}}"
    assert read_equations(f"${inner} + [NUMBER] = {outer} + 4$").equations
    assert "replay" not in checker_leaks("deep", "Q?", f"${inner} + ⟦2|NUMBER⟧ = {outer} + 4$", "9")


@pytest.mark.parametrize(
    ("text", "gold", "found"),
    [
        ("The square root of 49. So it is [NUMBER].", "7", True),  # a value at the end of a sentence
        ("He takes the reciprocal of 2/3. He multiplies by [EXPR].", "\\frac32", True),
        ("The square of $2\\sqrt{3}$ is [NUMBER].", "4", False),  # 2 is no value of its own there
        ("The reciprocal of $2\\pi$ is [EXPR].", "\\frac12", False),
        ("The square root of 1152921504606846976 is [NUMBER].", "1073741824", True),  # 2**60: exact
        ("The cube root of 1000000000000000000000000000000 is [NUMBER].", "10000000000", True),
    ],
)
def test_an_operation_of_one_value_reads_the_value_the_words_name(text, gold, found):
    assert bool(unary_operations("Q?", text, parse_gold(gold))) is found
    template = text.replace("[NUMBER]", f"⟦{gold}|NUMBER⟧").replace("[EXPR]", f"⟦{gold}|EXPR⟧")
    assert ("replay" in checker_leaks("unary", "Q?", template, gold)) is found


def test_exact_roots_at_any_size():
    assert [_int_root(k**3, 3) for k in (0, 1, 7, 10**12)] == [0, 1, 7, 10**12]
    assert _int_root(10**24 + 1, 3) is None and _int_root(2**61, 2) is None
    assert rc._exact_root(rc.Fraction(0), 3) == 0 and rc._exact_root(rc.Fraction(-8, 27), 3) == rc.Fraction(
        -2, 3
    )


COORDINATE_CASES = [
    ("then $B$ has coordinates $\\left( 4, 3 \\right)$ here", ("B", 0)),
    ("then $B$ has coordinates ( 4,3) here", ("B", 0)),
    ("then $B$ has coordinates (- 4, 3) here", ("B", 0)),
    ("then $A_1 = (4, 3)$ here", ("A_1", 0)),
    ("then $A' = (4, 3)$ here", ("A'", 0)),
    ("the least possible $x$-coordinate for $B$ =4 here", ("B", 0)),
    ("the point $P(4,3)$ lies on it", ("P", 0)),
    ("and $B$ has coordinates $(4, 3 + 0\\cdot\\sqrt{2}\\cdot\\pi)$ here", None),  # no short component
    ("First, F(4, 1) = 3 and F(1, 2) = 3.", None),  # a function's arguments, no point
    ("so C(4,2) = 6 ways", None),
]


@pytest.mark.parametrize(("text", "expected"), COORDINATE_CASES)
def test_the_coordinate_of_a_named_point_and_its_checker_twin_agree(text, expected):
    four = next(a for a in scan_cached(text).atoms if a.role == "value" and text[a.start : a.end] == "4")
    assert _coordinate(text, four.start, four.end) == expected
    assert rc._rs_coordinate(text, four.start, four.end) == expected


def test_function_arguments_restate_nothing():
    trace = "First, F(2, 1) = 3 and F(1, 2) = 3.\nThen F(3, 3) = F(2, 3) + F(3, 2) = 9."
    masked = trace.replace("F(2, 3)", "F([NUMBER], 3)").replace("= 9", "= [NUMBER]")
    assert not [f for f in restated(trace, masked) if "coordinate" in f.detail]


def test_a_carried_factor_1_is_the_step_just_before_and_any_multiplication_sign():
    question = "Jo meditates 30 minutes twice a day. How many hours a week does she meditate?"
    trace = (
        "Each session is 30/60=<<30/60=.5>>.5 hours\nSo she spends .5*2=<<.5*2=1>>1 hour a day\n"
        "So she spends $7 \\times 1$ = 7 hours a week\n#### 7"
    )
    out = mask_example(Example("t", "math", question, trace, "7"), "critical").text
    assert "$[NUMBER] \\times [NUMBER]$" in out
    # a 1 an earlier step computed, with another step between: no carried factor
    question = "Tom had 3 apples and ate 2. He buys 4 and 5 pears, then walks for an hour at 4 mph. How far?"
    trace = (
        "3 - 2 = <<3-2=1>>1 apple.\nHe buys 4+5=<<4+5=9>>9 pears.\nHe walks 1 x 4 = <<1*4=4>>4 miles\n#### 4"
    )
    out = mask_example(Example("u", "math", question, trace, "4"), "critical").text
    assert "He walks 1 x " in out


def test_a_lowercase_that_changes_length_keeps_offsets():
    # "İ".lower() is two characters: the word search reads a copy of the text with each character in place
    masked = "İ" * 20 + " So two ways.\n[asy]\ndraw((0,0)--(1,1));\n[/asy]"
    found = [f for f in attacks("How many ways?", masked, "2") if f.attack == "equivalent_form"]
    assert [masked[f.start : f.end] for f in found] == ["two"]
