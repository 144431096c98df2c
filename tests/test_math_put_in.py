"""Two routes of the blind reading of round 48 (issue 11), read by the masker's attacks and by the independent
checker (benchmarks/recover_check.py), each with its own code:

- a math segment that is one expression in letters the visible equations fix, or give two roots: "Call the
  integers $k$ and $k+1$" beside ``k(k+1)=56`` gives k = 7 or -8, and ``k+1`` is 8 at 7 (MATH-500 1730 had
  ``(n-1)(n+1)=24`` and ``n+1``);
- the question's function at an argument the trace computes: ``h(1-1)`` under the question's ``h(x)`` and
  "$p(x)$ is the polynomial $h(x-1)$" (MATH-500 776 had ``f(1-1)``). Its numbers are all the question's,
  but the 0 is the trace's; ``h(2)`` under "If $x = 2$" stays the task.

The cases are built here, in other numbers."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import _absolute_bars, _math_ranges, evaluate, read_equations
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import attacks

from .test_recover_check import as_record, rc, row

PAIR_Q = "The product of two positive consecutive integers is 56. What is the larger of the two integers?"
PAIR_TRACE = (
    "Call the integers $k$ and $k+1$. Their product is $k(k+1)=56$. The integers are positive, so "
    "$k=7$. The larger is $k+1=\\boxed{8}$."
)
PAIR_MASKED = (
    "Call the integers $k$ and $k+1$. Their product is $k(k+1)=56$. The integers are positive, so "
    "$k=[NUMBER]$. The larger is $[EXPR]=\\boxed{[NUMBER]}$."
)

FUNC_Q = (
    "Let $h(x)=4x^3+2x^2-7x-6$. If $p(x)$ is the polynomial $h(x-1)$, what is the sum of the coefficients "
    "of $p$?"
)
FUNC_TRACE = (
    "The sum of the coefficients of $p(x)$ is $p(1)$. Since $p(x)=h(x-1)$, we have $p(1)=h(1-1)=h(0)$. So "
    "the sum is $h(0)=\\boxed{-6}$."
)
FUNC_MASKED = (
    "The sum of the coefficients of $p(x)$ is $p(1)$. Since $p(x)=h(x-1)$, we have "
    "$p(1)=h(1-1)=h([NUMBER])$. So the sum is $h([NUMBER])=\\boxed{[NUMBER]}$."
)


def _details(question: str, masked: str, answer: str) -> list[str]:
    return [f"{f.attack}: {f.detail}" for f in attacks(question, masked, answer)]


def test_an_expression_in_a_letter_a_quadratic_gives_two_roots():
    found = _details(PAIR_Q, PAIR_MASKED, "8")
    assert any("'k+1' with the letters the equations fix is the gold" in d for d in found), found
    # with the question's 56 hidden there, the reader reads it back: no attack reaches 8
    assert attacks(PAIR_Q, PAIR_MASKED.replace("=56$", "=[NUMBER]$"), "8") == []
    # the expression at neither root is the gold: nothing (k+1 is 8 or -7)
    assert not any("k+1" in d for d in _details(PAIR_Q, PAIR_MASKED, "9"))


def test_roots_of_the_question_s_own_equation_are_the_task():
    question = "Solve $k(k+1)=56$ for the positive $k$. What is $k+1$ then?"
    found = _details(question, PAIR_MASKED, "8")
    assert not any("with the letters the equations fix" in d for d in found), found


def test_an_expression_a_known_letter_fixes():
    question = "Three times a number is 21. What is 5 more than the number?"
    masked = "Call the number $m$. Then $3m=21$, so $m=[NUMBER]$, and the answer is $m+5=\\boxed{[NUMBER]}$."
    assert attacks(question, masked, "12") != []
    assert attacks(question, masked.replace("=21$", "=[NUMBER]$"), "12") == []


def test_the_masker_hides_the_question_s_copy_in_the_equation():
    r = mask_text("math", PAIR_TRACE, question=PAIR_Q, answer="8", level="critical")
    assert r.leak is None and r.level == "critical"
    assert "$k(k+1)=[NUMBER]$" in r.text, r.text
    assert "Call the integers $k$ and $k+1$." in r.text  # the plan's expressions stay
    assert attacks(PAIR_Q, r.text, "8") == []


def test_the_question_s_function_at_an_argument_the_trace_computes():
    found = _details(FUNC_Q, FUNC_MASKED, "-6")
    assert any(d.startswith("system: 'h(1-1)' is -6") for d in found), found
    r = mask_text("math", FUNC_TRACE, question=FUNC_Q, answer="-6", level="critical")
    assert r.leak is None and r.level == "critical"
    assert "p(1)=h([NUMBER]-1)=h([NUMBER])" in r.text, r.text  # one value of the argument, then its result
    assert attacks(FUNC_Q, r.text, "-6") == []


def test_the_question_s_function_at_the_question_s_value_is_the_task():
    question = "Let $h(x)=4x^3+2x^2-7x-6$. If $x = 2$, what is $h(x)$?"
    masked = "We put $x=2$ in: $h(2)=4\\cdot [NUMBER]+2\\cdot [NUMBER]-14-6=\\boxed{[NUMBER]}$."
    assert not any("question's definition" in d for d in _details(question, masked, "20"))
    # the trace's computation of the argument (4+4, from the question's 4s) is its own: 8 is no value the
    # question gives, nor its own definition at an argument it asks about; 4-2, 2, is the question's
    computed = (
        "We put $x=2$ in, then $4+4$: $h(4+4)=4\\cdot [NUMBER]+2\\cdot [NUMBER]-56-6=\\boxed{[NUMBER]}$."
    )
    assert any("question's definition" in d for d in _details(question, computed, "2114"))
    assert not any(
        "question's definition" in d for d in _details(question, masked.replace("$h(2)", "$h(4-2)"), "20")
    )


def _checker(question: str, template: str, gold: str) -> dict[str, list[dict]]:
    rc._init_worker(8.0)
    got = rc.check_row(as_record(row("put_in", question, template, gold)))
    assert got["unchecked"] == [], got
    return got["leaks"]


def test_the_checker_reads_both_routes():
    pair = PAIR_MASKED.replace("k=[NUMBER]", "k=⟦7|NUMBER⟧").replace("$[EXPR]=", "$⟦k+1|EXPR⟧=")
    pair = pair.replace("\\boxed{[NUMBER]}", "\\boxed{⟦8|NUMBER⟧}")
    got = _checker(PAIR_Q, pair, "8")
    assert any("'k+1' with the solved letters" in x["detail"] for x in got.get("constraints", [])), got
    assert _checker(PAIR_Q, pair.replace("=56$", "=⟦56|NUMBER⟧$"), "8") == {}
    func = FUNC_MASKED.replace("h([NUMBER])", "h(⟦0|NUMBER⟧)").replace(
        "\\boxed{[NUMBER]}", "\\boxed{⟦-6|NUMBER⟧}"
    )
    got = _checker(FUNC_Q, func, "-6")
    assert any("'h(1-1)' is the gold" in x["detail"] for x in got.get("system", [])), got
    assert _checker(FUNC_Q, func.replace("h(1-1)", "h(⟦1|NUMBER⟧-1)"), "-6") == {}


def test_absolute_values_are_read():
    """``|...|`` around an expression after an operator, a relation or a segment's start is an absolute
    value (MATH-500 1806: ``|1 + x + yi| + |...|`` at the equality case, at ``answer``); a bar of "divides",
    of a set-builder or of a norm separates, as before."""
    (eq,) = read_equations("$|x-3| = 5$").equations
    assert eq.left.tree == ("abs", ("-", ("u", "v:x"), ("n", Fraction(3))))
    assert evaluate(eq.left.tree, {"v:x": Fraction(-4)}) == 7
    assert abs(evaluate(read_equations("$|3 + 4i| = 0$").equations[0].left.tree, {"v:i": 1j}) - 5) < 1e-12
    for text in ("$3 | 12 = 12$", "$\\{x | x = 2\\}$", "$\\|v\\| = 2$"):
        assert all(eq.left.tree[0] != "abs" for eq in read_equations(text).equations), text
    # each guard on its own, with two bars that could pair: "divides" twice (a value before each bar), a
    # set-builder's condition (a relation inside), a norm's escaped bars, bars on two lines
    for text in (
        "$3 | 12 + 4 | 12$",
        "$\\{x | x > 0\\} \\cup \\{y | y < 0\\}$",
        "$\\|v\\| + \\|w\\|$",
        "$|x\n+ 1|$",
        "$| x = 1 |$",
        "$2 + |x + y\\|$",
    ):
        assert _absolute_bars(text, 0, len(text), _math_ranges(text)) == frozenset(), text
    pair = "$2 + |x - 1| + \\lfloor |y| \\rfloor$"
    lone = "$a | b$" + " and so on" * 20 + " " + pair  # a bar with no pair near ends no reading after it
    assert len(_absolute_bars(lone, 0, len(lone), _math_ranges(lone))) == 4
    assert _absolute_bars(pair, 0, len(pair), _math_ranges(pair)) == {
        i for i, c in enumerate(pair) if c == "|"
    }
    (eq,) = read_equations("$\\lvert x+1\\rvert + \\left|y\\right| = 5$").equations
    assert eq.left.tree == ("+", ("abs", ("+", ("u", "v:x"), ("n", Fraction(1)))), ("abs", ("u", "v:y")))


def test_an_absolute_value_at_the_equality_case():
    question = (
        "The point $(x, y)$ lies on the circle of radius 5 centred at the origin, with $x = 3$. What is "
        "$|x+1|+|y|$?"
    )
    masked = (
        "Since $x^2 + y^2 = 25$ and $x = 3$, we have $y^2 = [NUMBER]$, so $|x+1|+|y| = [NUMBER] + [NUMBER] = "
        "\\boxed{[NUMBER]}$."
    )
    found = _details(question, masked, "8")
    assert any("with the letters the equations fix is the gold" in d for d in found), found
    assert attacks(question, masked.replace("= 25$", "= [NUMBER]$"), "8") == []


def test_the_checker_reads_the_absolute_value_at_the_equality_case():
    question = (
        "The point $(x, y)$ lies on the circle of radius 5 centred at the origin, with $x = 3$. What is "
        "$|x+1|+|y|$?"
    )
    template = (
        "Since $x^2 + y^2 = 25$ and $x = 3$, we have $y^2 = ⟦16|NUMBER⟧$, so $|x+1|+|y| = ⟦4|NUMBER⟧ + "
        "⟦4|NUMBER⟧ = \\boxed{⟦8|NUMBER⟧}$."
    )
    got = _checker(question, template, "8")
    assert any("'|x+1|+|y|' with the solved letters" in x["detail"] for x in got.get("constraints", [])), got
    assert _checker(question, template.replace("= 25$", "= ⟦25|NUMBER⟧$"), "8") == {}


def test_a_side_set_equal_to_a_visible_value_is_read_off():
    """GSM8K 752 at `answer` (a trace with a slip: ``80 = 4 W^2`` where the area is 100): ``W^2`` is 20 at
    the roots of that line, the gold by chance, but ``W^2 = 25`` shows the value a reader takes for it."""
    question = "The length of a rectangle is four times its width. If the area is 100 m2, what is the length?"
    masked = (
        "Let $L = [NUMBER]W$. Then $80 = 4W^2$.\nThen $W^2 = 25$, so $W = [NUMBER]$ and "
        "$L = [NUMBER]$.\nThe length is $\\boxed{[NUMBER]}$."
    )
    assert not any("with the letters" in d for d in _details(question, masked, "20"))
    template = masked.replace("L = [NUMBER]W", "L = ⟦4|NUMBER⟧W")
    template = template.replace("W = [NUMBER]", "W = ⟦5|NUMBER⟧").replace("L = [NUMBER]", "L = ⟦20|NUMBER⟧")
    template = template.replace("\\boxed{[NUMBER]}", "\\boxed{⟦20|NUMBER⟧}")
    got = _checker(question, template, "20")
    assert not any("solved letters" in x["detail"] for x in got.get("constraints", [])), got


def test_each_root_and_only_consistent_readings():
    # both roots are tried: k+1 is 8 at 7 and -7 at -8
    assert any("'k+1'" in d for d in _details(PAIR_Q, PAIR_MASKED, "-7"))
    # a side of the equation that gave the roots counts too: n^2 is 9 at the positive root
    question = "The square of a positive number is 6 more than the number. What is the square?"
    masked = "Call the number $n$: $n^2 = n + 6$, so $n = [NUMBER]$ and the square is $\\boxed{[NUMBER]}$."
    assert any("'n^2' with the letters" in d for d in _details(question, masked, "9"))
    template = masked.replace("n = [NUMBER]", "n = ⟦3|NUMBER⟧").replace(
        "\\boxed{[NUMBER]}", "\\boxed{⟦9|NUMBER⟧}"
    )
    assert any(
        "'n^2' with the solved letters" in x["detail"]
        for x in _checker(question, template, "9")["constraints"]
    )
    # a letter fixed at one root is tried at the other with the equations solved again: y follows x, so
    # y - x is 4 either way, never 10 (-3 paired with the 7 that x = 3 gives)
    q = "A number squared is 9. What is the sum of the number and 4 more than it?"
    m = (
        "We have $x^2 = 9$ and $x > 0$, so $x = 3$. Then $y = x + 4 = [NUMBER]$. Their difference is "
        "$y - x = [NUMBER]$, and their sum is $\\boxed{[NUMBER]}$."
    )
    assert not any("with the letters" in d for d in _details(q, m, "10"))
    # a letter fixed at the root the trace discards is read at the other: x + 10 at 3
    q = "What is 10 more than the positive number whose square is 9?"
    m = (
        "The roots of $x^2 = 9$ are $\\pm 3$. The root $x = -3$ is negative. The answer is 10 more than the "
        "root, $x + 10$: $\\boxed{[NUMBER]}$."
    )
    assert any("'x + 10' with the letters" in d for d in _details(q, m, "13"))


def test_open_letters_read_together_satisfy_the_visible_equations():
    question = "Two numbers each square to 9 and multiply to -9. What is the distance between them?"
    masked = (
        "We have $x^2 = 9$, $y^2 = 9$ and $xy = -9$, so $x + y = 0$. The distance between them is "
        "$\\boxed{[NUMBER]}$."
    )
    assert not any("'x + y'" in d for d in _details(question, masked, "6"))  # x = y = 3 breaks xy = -9
    template = masked.replace("\\boxed{[NUMBER]}", "\\boxed{⟦6|NUMBER⟧}")
    assert not any("'x + y'" in x["detail"] for x in _checker(question, template, "6").get("constraints", []))
