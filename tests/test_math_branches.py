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


DIE_Q = (
    "When rolling a certain unfair six-sided die, the probability of obtaining face $F$ is greater than "
    "$1/6$ ... the probability of obtaining a sum of 7 is $ \\frac{47}{288} $. Given that the probability of "
    "obtaining face $F$ is $m/n$, where $m$ and $n$ are relatively prime positive integers, find $m+n$."
)
# MATH-500 test/counting_and_probability/1003.json as round 56 read it: x is 1/24 or -1/24 by the visible
# quadratic; on the branch x = 1/24 the blanks give 5/24, and the question's m/n form gives 29
DIE = (
    "Let the probability of obtaining face $F$ be $(1/6)+x$. Then $2x^2=1/288$, and so $x=1/[NUMBER]$. The "
    "probability of obtaining face $F$ is therefore $(1/6)+(1/[NUMBER])=5/[NUMBER]$, and "
    "$m+n=\\boxed{[NUMBER]}$."
)


def test_a_branch_that_fills_the_question_s_form_leaks():
    found = [f for f in attacks(DIE_Q, DIE, "29") if f.attack in ("template", "constraints")]
    # blamed on the equation the branch's value came from, not on the form's instance
    assert [DIE[f.start : f.end] for f in found if "filled where x = 1/24" in f.detail] == ["1/288"]
    assert not [f for f in found if "'m/n' written as" in f.detail]
    assert not attacks(DIE_Q, DIE, "30")
    assert not attacks(DIE_Q, DIE.replace("$2x^2=1/288$", "$2x^2=[NUMBER]/288$"), "29")


def test_a_branch_from_the_question_s_own_condition_fills_nothing():
    # the condition "one head and one tail ... is $3/8$" written as an equation: solving it is the task
    q = (
        "A biased coin shows heads with probability $p$, where $p<1/2$ and the probability of one head and "
        "one tail in two tosses is $3/8$. If the probability of heads is $m/n$, where $m$ and $n$ are "
        "relatively prime positive integers, find $m+n$."
    )
    masked = "We need $2p(1-p)=3/8$, so $p=[NUMBER]/4$ or $p=[NUMBER]/4$. So $m+n=\\boxed{[NUMBER]}$."
    assert not [f for f in attacks(q, masked, "5") if "filled where" in f.detail]
    assert [f for f in attacks(q, masked.replace("3/8", "6/16"), "5") if "filled where" in f.detail]


DIE_TRACE = (  # MATH-500 test/counting_and_probability/1003.json, the solution whole
    "Let $p(a,b)$ denote the probability of obtaining  $a$ on the first die and $b$ on the second.  "
    "Then the probability of obtaining a sum of 7 is "
    "$$p(1,6)+p(2,5)+p(3,4)+p(4,3)+p(5,2)+p(6,1).$$Let the probability of obtaining face $F$ be "
    "$(1/6)+x$.  Then the probability of obtaining the face opposite face $F$ is $(1/6)-x$. "
    "Therefore $$\\begin{aligned}{{47}\\over{288}}&=\n"
    "4\\left({1\\over6}\\right)^2+2\\left({1\\over6}+x\\right)\n\\left({1\\over6}-x\\right)\\cr&=\n"
    "{4\\over36}+2\\left({1\\over36}-x^2\\right)\\cr&=\n{1\\over6}-2x^2.\\end{aligned}$$Then "
    "$2x^2=1/288$, and so $x=1/24$. The probability of obtaining face $F$ is therefore "
    "$(1/6)+(1/24)=5/24$, and $m+n=\\boxed{29}$."
)


DIE_FULL_Q = (
    "When rolling a certain unfair six-sided die with faces numbered 1, 2, 3, 4, 5, and 6, the "
    "probability of obtaining face $F$ is greater than $1/6$, the probability of obtaining the face "
    "opposite face $F$ is less than $1/6$, the probability of obtaining each of the other faces is "
    "$1/6$, and the sum of the numbers on each pair of opposite faces is 7. When two such dice are "
    "rolled, the probability of obtaining a sum of 7 is $ \\frac{47}{288} $. Given that the "
    "probability of obtaining face $F$ is $m/n$, where $m$ and $n$ are relatively prime positive "
    "integers, find $m+n$."
)


def test_the_masker_cuts_the_branch_at_its_equation():
    result = mask_text("math", DIE_TRACE, question=DIE_FULL_Q, answer="29", level="critical")
    assert result.leak is None and "$2x^2=1/[NUMBER]$" in result.text
    assert "$(1/6)+x$" in result.text  # the plan stays
    assert not [s for s in result.spans if "'m/n' written as" in s.reason]  # cut at the branch, not the form
