"""A visible ``\\sin\\theta = \\frac{1}{2}`` gives the angle a reader takes, the principal one (arcsin), in
degrees where the answer is (issue 11, round 22's MATH-500 441). The equation reader now reads a side of
Greek letters alone (``\\sin\\theta``, ``\\theta``), the solver inverts a trigonometric function of one
letter to its principal value, and a letter fixed in radians is compared with a gold in degrees. A side of
letters alone that evaluates to the gold (``\\tan A`` once ``\\cos A = \\frac{3}{5}`` fixes ``A``) is the
plan's wording: the values that fixed the letters are blamed, not the words. The independent checker has
its own rule. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = (
    "Vectors $\\mathbf{a}$ and $\\mathbf{b}$ have $\\|\\mathbf{a}\\| = 4,$ $\\|\\mathbf{b}\\| = 3$ and "
    "$\\|\\mathbf{a} \\times \\mathbf{b}\\| = 6.$ Find the smallest possible angle between them, in degrees."
)
TRACE = (
    "We have $6 = 12 \\sin \\theta,$ so $\\sin \\theta = \\frac{1}{2}.$ Thus the smallest possible angle is "
    "$\\boxed{30^\\circ}.$"
)
MASKED = TRACE.replace("12 \\sin", "[NUMBER] \\sin").replace("{30^", "{[NUMBER]^")


def test_a_side_of_greek_letters_is_read():
    eqs = read_equations("so $\\sin \\theta = \\frac{1}{2}$ and $\\alpha = 3$").equations
    assert [e.left.tree for e in eqs] == [("fn", "sin", ("u", "v:\\theta")), ("u", "v:\\alpha")]


def test_the_principal_angle_is_found_in_degrees():
    found = [f for f in attacks(QUESTION, MASKED, "30^\\circ") if f.attack == "constraints"]
    assert found and MASKED[found[0].start : found[0].end] == "\\frac{1}{2}", found
    assert not [f for f in attacks(QUESTION, MASKED, "45^\\circ") if f.attack == "constraints"]
    radians = MASKED.replace("[NUMBER]^\\circ", "[EXPR]")
    assert [f for f in attacks("Find the angle.", radians, "\\frac{\\pi}{6}") if f.attack == "constraints"]


def test_the_masker_hides_the_sine():
    question = (
        "If $\\|\\mathbf{a}\\| = 3,$ $\\|\\mathbf{b}\\| = 4,$ and $\\mathbf{a} \\times \\mathbf{b} = "
        "\\begin{pmatrix} 2 \\\\ 4 \\\\ 4 \\end{pmatrix},$ find the smallest possible angle between "
        "$\\mathbf{a}$ and $\\mathbf{b},$ in degrees."
    )
    trace = (
        "Let $\\theta$ be the angle between $\\mathbf{a}$ and $\\mathbf{b}.$ Then \\[\\|\\mathbf{a} \\times "
        "\\mathbf{b}\\| = \\|\\mathbf{a}\\| \\|\\mathbf{b}\\| \\sin \\theta.\\]From the given information, "
        "$6 = 12 \\sin \\theta,$ so $\\sin \\theta = \\frac{1}{2}.$ Thus, the smallest possible value of "
        "$\\theta$ is $\\boxed{30^\\circ}.$"
    )
    r = mask_text("math", trace, question=question, answer="30^\\circ")
    assert r.leak is None
    assert "\\sin \\theta = \\frac{1}{2}" not in r.text and "so $\\sin \\theta = " in r.text, r.text


def test_letters_alone_stay_and_the_values_that_fix_them_go():
    # "abc" evaluates to the gold once the trace fixes a, b and c: their values go, the words stay (the
    # masker used to hide "abc" itself, writing "Thus [NUMBER] = \boxed{[NUMBER]}")
    question = "If $a+b=5$, $b+c=7$ and $a+c=6$, find $abc$."
    trace = (
        "Adding, $2(a+b+c) = 18$, so $a+b+c = 9$. Then $c = 4$, $a = 2$ and $b = 3$. "
        "Thus $abc = \\boxed{24}$."
    )
    r = mask_text("math", trace, question=question, answer="24", level="answer")
    assert r.leak is None
    assert "Thus $abc = \\boxed{[NUMBER]}" in r.text, r.text


def test_an_obtuse_angle_the_trace_states_stands():
    # the principal angle is what a reader names, never a value the solver fixes: x = 150 stands, and the
    # blank of 2x + [N] = 310 is still found (10)
    question = "Angle $x$ (in degrees) is obtuse with $\\sin x = \\frac12$, and $2x + c = 310$. Find $c$."
    masked = "Since $\\sin x = \\frac{1}{2}$ and $x$ is obtuse, $x = 150$. So $2x + [NUMBER] = 310$."
    assert [f for f in attacks(question, masked, "10") if f.attack == "constraints"]


def test_exact_values_and_the_cotangent():
    for value, gold in (("\\frac{\\sqrt{3}}{2}", "60^\\circ"), ("\\frac{1}{\\sqrt2}", "45^\\circ")):
        masked = f"so $\\sin \\theta = {value}.$ Thus the angle is $\\boxed{{[NUMBER]^\\circ}}.$"
        assert [f for f in attacks("Find the angle in degrees.", masked, gold) if f.attack == "constraints"]
    for value, gold in (("0", "90^\\circ"), ("-1", "135^\\circ")):
        masked = f"so $\\cot \\theta = {value}.$ Thus the angle is $\\boxed{{[NUMBER]^\\circ}}.$"
        assert [f for f in attacks("Find the angle in degrees.", masked, gold) if f.attack == "constraints"]
    huge = "We get $\\tan x = 200!$, so $x = \\boxed{[NUMBER]}$."
    assert attacks("Find $x$.", huge, "90") is not None  # no OverflowError
    polynomial = "Here $\\tan u = 1$, so the answer is $\\boxed{[NUMBER]}$."
    assert not attacks("Find the degree of $x^{45}+1$.", polynomial, "45")  # "degree" is no angle unit


def test_the_checker_reads_the_principal_angle():
    template = (
        "We have $6 = ⟦12|NUMBER⟧ \\sin \\theta,$ so $\\sin \\theta = \\frac{1}{2}.$ Thus the smallest "
        "possible angle is $\\boxed{⟦30|NUMBER⟧^\\circ}.$"
    )
    assert "constraints" in checker_leaks("trig", QUESTION, template, "30^\\circ")
    cut = template.replace("\\frac{1}{2}", "⟦\\frac{1}{2}|EXPR⟧")
    assert "constraints" not in checker_leaks("trig", QUESTION, cut, "30^\\circ")
