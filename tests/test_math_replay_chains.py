"""Chains a calculator replays from what a masked math trace shows (issue 11, round 6's MATH-500 rows of
class (c)/(d)): a chain whose visible first side fixes its last blank, a final step written over blanks a
reader has just computed, a step written across math segments with unit words between, floor and ceiling,
a function letter applied to values, a visible part that expands to a symbolic gold. Each trace is built
here; each attack fires on it and stays quiet once an operand is hidden."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math.attacks import attacks


def found(question: str, masked: str, answer: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in attacks(question, masked, answer):
        out.setdefault(f.attack, set()).add(masked[f.start : f.end])
    return out


CHAIN = (
    r"Only one sum repeats: $4^2 + 7^2 = [NUMBER]^2 + 8^2 = [NUMBER].$  "
    r"So the last length is $\sqrt{[NUMBER] - 6^2} = \boxed{[EXPR]}.$"
)


def test_a_chain_whose_first_side_is_visible_fixes_its_last_blank_and_the_boxed_step_replays():
    # 4^2 + 7^2 = 65 fixes the last blank (the middle one is a square root: two values); the reader writes
    # 65 into the boxed step: sqrt(65 - 36) = sqrt(29)
    got = found("Find the length.", CHAIN, r"\sqrt{29}")
    assert got == {"replay": {"4^2 + 7^2"}}  # blamed on the visible side, where one hidden value cuts it
    cut = CHAIN.replace("4^2 + 7^2", "[NUMBER]^2 + 7^2")
    assert found("Find the length.", cut, r"\sqrt{29}") == {}


def test_only_a_visible_first_side_reaches_past_the_next_one():
    reading = read_equations(r"$[NUMBER]^2 + 7^2 = [NUMBER]^2 + 8^2 = [NUMBER]$")
    assert len(reading.equations) == 2  # a = b and b = c; no a = c: a is no computation a reader can do
    reading = read_equations(r"$4^2 + 7^2 = [NUMBER]^2 + 8^2 = [NUMBER]$")
    assert len(reading.equations) == 3


UNITS = (
    r"The first leg is $60$ miles $\times 3$ trips $= [NUMBER]$ miles. The second is $40$ miles "
    r"$\times 2$ trips $= [NUMBER]$ miles. In all, $[NUMBER] + [NUMBER] = \boxed{[NUMBER]}$ miles."
)


def test_a_step_written_across_math_segments_with_unit_words_between():
    got = found("How far?", UNITS, "260")
    assert set(got) == {"replay"}
    assert got["replay"] <= {r"60$ miles $\times 3", r"40$ miles $\times 2"}
    cut = UNITS.replace(r"$60$ miles $\times 3$", r"$[NUMBER]$ miles $\times 3$")
    assert found("How far?", cut, "260") == {}


def test_prose_between_segments_ends_the_step():
    # "and" is prose: 60 and 3 are two values, not 60 * 3 (nothing joins them into one step)
    reading = read_equations(r"It is $60$ and $\times 3$ trips $= [NUMBER]$ miles.")
    assert all("60" not in str(eq.left.tree) for eq in reading.equations)
    # a unit word before a segment that does not go on with an operator ends the step too
    reading = read_equations(r"It is $60$ miles $3 = [NUMBER]$.")
    assert all("60" not in str(eq.left.tree) for eq in reading.equations)


def test_floor_and_ceiling_are_evaluated():
    masked = (
        r"We have $\lfloor \sqrt{50} \rfloor = [NUMBER]$, so the total is $[NUMBER] + 3 = \boxed{[NUMBER]}$."
    )
    assert set(found("Compute.", masked, "10")) == {"replay"}
    masked = r"$\left\lceil \frac{7}{2} \right\rceil^2 = [NUMBER]^2 = \boxed{[NUMBER]}$"
    assert set(found("Compute.", masked, "16")) == {"replay"}


def test_a_letter_applied_as_a_function_is_one_quantity_per_argument():
    masked = (
        r"First $f(2) = \lceil \frac{7}{2} \rceil = 4$ and $f(5) = \lfloor \frac{11}{2} \rfloor = [NUMBER]$. "
        r"So $f(2) + f(5) = 4 + [NUMBER] = \boxed{[NUMBER]}$."
    )
    assert "replay" in found("Find f(2)+f(5).", masked, "9") or "constraints" in found(
        "Find f(2)+f(5).", masked, "9"
    )
    # read as a product (f times 2, f times 5), f(2) = 4 and f(5) = 5 contradict each other and nothing
    # is fixed: the reading gives every application its own unknown
    reading = read_equations(masked)
    names = set().union(*(eq.unknowns for eq in reading.equations))
    assert {"v:f(2)", "v:f(5)"} <= names
    # x(x+1) beside a bare x stays a product
    reading = read_equations(r"$x(x+1) = 12$ and $x(x-1) = [NUMBER]$ with $x = 3$")
    assert "v:x" in set().union(*(eq.unknowns for eq in reading.equations))


def test_the_boxed_final_step_takes_fixed_values_once_each():
    # m = 1, b = 2, x = -1 are fixed; (2 + 8)/2 * 3 = 15 needs 2 twice: a guess, not what was computed
    masked = (
        r"Here $m = 1$, $b = 2$ and $x = -1$. "
        r"The area is $\frac{[NUMBER] + 8}{[NUMBER]} \cdot 3 = \boxed{[NUMBER]}$."
    )
    assert "replay" not in found("Find the area.", masked, "15")
    # the values just fixed, in order, fill a two-blank final step
    masked = (
        r"So $20 \cdot 2 = [NUMBER]$ and $18 \cdot 1 = [NUMBER]$; "
        r"in all $[NUMBER] + [NUMBER] + 20 = \boxed{[NUMBER]}$."
    )
    assert set(found("How much?", masked, "78")) == {"replay"}


QUOTIENT = (
    r"We write \[\frac{x^4 + 1}{x + 1} = \frac{(x^4 - 1) + [NUMBER]}{x + 1} = (x - 1)(x^2 + 1) "
    r"+ \frac{[NUMBER]}{x + 1}.\] The quotient is $\boxed{[EXPR]}$."
)


def test_a_visible_part_that_expands_to_a_symbolic_gold():
    gold = "x^3 - x^2 + x - 1"
    assert found("Find the quotient of x^4+1 by x+1.", QUOTIENT, gold) == {
        "replay": {r"(x - 1)(x^2 + 1) + \frac{[NUMBER]}{x + 1}"}
    }
    # one value of the product hidden: matching the chain's sides as polynomials in x (an identity) fixes
    # it again, so the product with its blanks filled still expands to the gold; the product hidden whole
    # leaves the division to the reader
    for values in ("(x - [NUMBER])(x^2 + 1)", "(x - [NUMBER])(x^2 + [NUMBER])"):
        cut = QUOTIENT.replace("(x - 1)(x^2 + 1)", values)
        assert found("Find the quotient of x^4+1 by x+1.", cut, gold) == {
            "replay": {cut[cut.index("(x - [") : cut.index(".\\]")]}
        }
    # the product hidden whole: the side before still shows x^4 - 1 over x + 1, which divides to the gold
    cut = QUOTIENT.replace("(x - 1)(x^2 + 1)", "[EXPR]")
    assert found("Find the quotient of x^4+1 by x+1.", cut, gold) == {
        "replay": {r"\frac{(x^4 - 1) + [NUMBER]}{x + 1}"}
    }
    cut = cut.replace("(x^4 - 1) + [NUMBER]", "[EXPR] + [NUMBER]")
    assert found("Find the quotient of x^4+1 by x+1.", cut, gold) == {}
    # a numeric gold is not compared with parts (a part equal to a number is the visible-value attacks')
    assert "replay" not in found("Find the remainder.", QUOTIENT.replace("[EXPR]", "[NUMBER]"), "2")


def test_the_masker_cuts_a_unit_step_at_a_question_value():
    question = (
        "A cyclist rides at 12 miles per hour for 3 hours and then 2 hours more. How far does she ride?"
    )
    trace = (
        r"First she rides $12$ mph $\times 3$ hours $= 36$ miles, then $12$ mph $\times 2$ hours $= 24$ "
        r"miles. In all $36 + 24 = \boxed{60}$ miles."
    )
    r = mask_text("math", trace, question=question, answer="60", level="critical")
    assert r.leak is None and r.level == "critical"
    assert "replay" in r.repairs
    hidden = {trace[s.start : s.end] for s in r.spans}
    assert hidden & {"12", "3", "2"}  # an operand the question states, not only the results
    assert r"\times" in r.text and "mph" in r.text  # operators and words of the plan stay


def test_the_masker_cuts_a_chain_at_its_visible_side():
    question = (
        "The lengths 1, 4, 6, 7 and 8 pair up; which sum of squares repeats, and what is the last length?"
    )
    trace = (
        r"Only one sum repeats: $4^2 + 7^2 = 1^2 + 8^2 = 65.$  "
        r"So the last length is $\sqrt{65 - 6^2} = \boxed{\sqrt{29}}.$"
    )
    r = mask_text("math", trace, question=question, answer=r"\sqrt{29}", level="critical")
    assert r.leak is None and r.level == "critical"
    assert "4^2 + 7^2" not in r.text and "^2" in r.text  # a base hidden, every exponent kept


def test_a_logarithm_to_a_base_is_evaluated():
    # TeX's subscript is one digit: \log_264 is log base 2 of 64
    masked = r"We have $2^6=[NUMBER]$, so $\log_2 [NUMBER] = \boxed{[NUMBER]}$."
    assert set(found(r"Evaluate $\log_264$.", masked, "6")) == {"replay"}
    reading = read_equations(r"$\log_264 = [NUMBER]$ and $\log_{3} 81 = [NUMBER]$")
    assert [str(eq.left.tree[2]) for eq in reading.equations] == [
        "('log', ('n', Fraction(2, 1)))",
        "('log', ('n', Fraction(3, 1)))",
    ]


def test_a_plus_or_minus_root_is_read_with_its_plus_first():
    # "x - 2 = \pm 16^{3/2}": a reader takes the plus root, x = 66, the positive answer; "\pm" ended the
    # step and left "x - 2 =" with no side
    question = r"Solve for the positive value of $x$ such that $\sqrt[3]{x^2 - 4x + 4} = 16$."
    masked = r"So $(x-2)^2 = [NUMBER]^3$ and $x-2 = \pm 16^{3/2} = \pm [NUMBER]$, so $x = \boxed{[NUMBER]}$."
    assert found(question, masked, "66") == {"constraints": {"16^{3/2}"}}
    assert found(question, masked.replace("16^{3/2}", "[NUMBER]^{3/2}"), "66") == {}


def test_the_question_s_own_expression_written_again_is_no_replay():
    # MATH-500 precalculus/24313's shape ("Simplify" an expression; the trace's chain starts from it as the
    # question writes it): evaluating the question's expression is the task, so it stays visible; the
    # trace's own rewritings of it that evaluate to the gold are still cut
    q = "Simplify\n\\[\\frac{\\csc x}{\\cos x} - \\frac{\\cos x}{\\sin x}.\\]"
    trace = (
        "We can write\n\\begin{align*}\n\\frac{\\csc x}{\\cos x} - \\frac{\\cos x}{\\sin x} &= "
        "\\frac{1}{\\sin x \\cos x} - \\frac{\\cos x}{\\sin x} \\\\\n"
        "&= \\frac{1 - \\cos^2 x}{\\sin x \\cos x} \\\\\n&= \\frac{\\sin^2 x}{\\sin x \\cos x} \\\\\n"
        "&= \\frac{\\sin x}{\\cos x} \\\\\n"
        "&= \\boxed{\\tan x}.\n\\end{align*}"
    )
    r = mask_text("math", trace, question=q, answer="\\tan x", level="critical")
    assert r.leak is None and r.level == "critical"
    assert "\\frac{\\csc x}{\\cos x} - \\frac{\\cos x}{\\sin x} &=" in r.text
    assert "\\frac{1}{\\sin x \\cos x}" not in r.text and "\\frac{\\sin^2 x}{\\sin x \\cos x}" not in r.text
    assert attacks(q, r.text, "\\tan x") == []
    # the same expression, not the question's: found
    other = "Simplify the sum of the two fractions below."
    masked = "We have $\\frac{\\csc x}{\\cos x} - \\frac{\\cos x}{\\sin x} = \\boxed{[EXPR]}$."
    assert "replay" in {f.attack for f in attacks(other, masked, "\\tan x")}
    assert "replay" not in {f.attack for f in attacks(q, masked, "\\tan x")}


def test_only_a_whole_expression_of_the_question_is_exempt():
    # "3 \cdot 4" is a part of the question's 3 \cdot 4 \cdot 2, not an expression it writes: a replay
    q = "What is one half of $3 \\cdot 4 \\cdot 2$?"
    masked = "Note $3 \\cdot 4 = 2 \\cdot [NUMBER]$, so the answer is $\\boxed{[NUMBER]}$."
    assert "replay" in {f.attack for f in attacks(q, masked, "12")}
