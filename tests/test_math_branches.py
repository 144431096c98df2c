"""A variable the trace solves to more than one value (``5-a=3 OR 5-a=-3``): a reader follows each value as
a branch, and adds or multiplies the values where the question asks for their sum or product (MATH-500
test/algebra/2391.json, read blind in the seventeenth round)."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

SUM_Q = "What is the sum of the values of $a$ that satisfy the equation $$(3)5^2-4(5-a)^2 \\div 3=63?$$"

# the seventeenth round's masking of MATH-500 test/algebra/2391.json: "5-a=-3" gives a = 8 and the sum 10
ROUND17 = (
    "First we multiply all terms in the equation by 3 to avoid fractions and then solve for $a$. "
    "\\begin{align*}\n"
    "[NUMBER]\\cdot5^2-4(5-a)^2&=3\\cdot63\\quad\\Rightarrow\\\\\n"
    "-4(5-a)^2&=[NUMBER]\\cdot[NUMBER]-[NUMBER]\\cdot[NUMBER]\\quad\\Rightarrow\\\\\n"
    "&=[NUMBER](-4)\\quad\\Rightarrow\\\\\n"
    "(5-a)^2&=[NUMBER]\n"
    "\\end{align*} Therefore, \\begin{align*}\n"
    "5-a=3\\quad\\text{ OR }\\quad 5-a=-3\\quad\\Rightarrow\\\\\n"
    "2=a \\quad\\text{ OR }\\quad [NUMBER]=a.\n"
    "\\end{align*} The sum of the values of $a$ is $2+[NUMBER]=\\boxed{[NUMBER]}$."
)


def blamed(question: str, masked: str, answer: str) -> set[str]:
    return {masked[f.start : f.end] for f in attacks(question, masked, answer) if f.attack == "constraints"}


def test_two_equations_for_one_variable_are_two_branches_and_their_sum_leaks():
    # a = 2 from "5-a=3"; a = 8 (the value a single solve drops) from "5-a=-3" and from the first line,
    # where the restated question with its blank fixed by a = 2 has the roots 2 and 8
    found = blamed(SUM_Q, ROUND17, "10")
    assert found and found <= {"3", "-3", "3\\cdot63"}
    assert blamed(SUM_Q.replace("sum", "product"), ROUND17, "16")
    # the values stated bare, as the answer level leaves them: "$a$" in the question is no formula of it
    stated = "So $5-a=[NUMBER]$ or $5-a=[NUMBER]$, and $2=a$ OR $8=a$. The sum is $[NUMBER]$."
    assert blamed(SUM_Q, stated, "10") == {"2", "8"}
    assert not blamed(SUM_Q, ROUND17, "12")


def test_a_branch_that_computes_the_gold_leaks():
    # "x = 3 or x = 5"; the gold is 5 + 4: a solve that keeps x = 3 computes 7 for the blank and misses it
    q = "Find the larger root plus 4."
    masked = "We get $x - 3 = 0$ or $x - 5 = 0$. So the answer is $x + 4 = [NUMBER]$."
    assert blamed(q, masked, "9")
    assert not blamed(q, masked.replace("x - 5", "x - [NUMBER]"), "9")


def test_equations_with_blanks_give_no_branch():
    # read with written-alike blanks linked, "[N]^{2x} = [N]^{1/2}" says 2x = 1/2: a value the trace never
    # states (MATH-500 test/algebra/2157.json, gold 2, x = 2 from the later lines)
    masked = (
        "\\begin{align*}\n[NUMBER]^{2x} & =[NUMBER]^{\\frac{1}{2}} \\\\\n"
        "[NUMBER]^{2x} & =([NUMBER]^8)^{\\frac{1}{2}} \\\\\n[NUMBER]^{2x} & =([NUMBER]^4) \\\\\n"
        "[NUMBER]x & = [NUMBER] \\\\\nx & = \\boxed{[NUMBER]}\n\\end{align*}"
    )
    assert not blamed("Solve for $x$: $2^{2x} = 256^\\frac{1}{2}$.", masked, "2")


def test_one_value_per_variable_is_no_branch_and_no_question_is_no_sum():
    masked = "So $5-a=3$, and $2=a$. The sum is $[NUMBER]$."
    assert not blamed(SUM_Q, masked, "10")
    two = "So $5-a=3$ or $5-a=-3$. Then $[NUMBER]$."
    assert not blamed("Find the values of $a$, in order.", two, "10")  # no sum asked for: 10 is no reading


def test_the_masker_cuts_the_branches():
    trace = (  # MATH-500 test/algebra/2391.json
        "First we multiply all terms in the equation by 3 to avoid fractions and then solve for $a$. "
        "\\begin{align*}\n9\\cdot5^2-4(5-a)^2&=3\\cdot63\\quad\\Rightarrow\\\\\n"
        "-4(5-a)^2&=9\\cdot21-9\\cdot25\\quad\\Rightarrow\\\\\n&=9(-4)\\quad\\Rightarrow\\\\\n(5-a)^2&=9\n"
        "\\end{align*} Therefore, \\begin{align*}\n"
        "5-a=3\\quad\\text{ OR }\\quad 5-a=-3\\quad\\Rightarrow\\\\\n"
        "2=a \\quad\\text{ OR }\\quad 8=a.\n\\end{align*} The sum of the values of $a$ is $2+8=\\boxed{10}$."
    )
    result = mask_text("math", trace, question=SUM_Q, answer="10", level="critical")
    assert result.leak is None
    assert "5-a=-3" not in result.text and not blamed(SUM_Q, result.text, "10")
    assert "\\Rightarrow" in result.text and "OR" in result.text  # the plan stays
