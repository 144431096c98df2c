"""The ends of the interval a quadratic inequality solves to are its roots (issue 11, round 22's MATH-500
892): "$0 \\ge a^2 - a - [N] = (a-[N])(a+[N])$. This means that $-1 \\le a \\le [N]$" gives the hidden end,
2, the answer: a reader takes -1 and the blank for the roots, and the visible -a makes their sum 1 (Vieta).
The masker's ``constraints`` attack reads the quadratic as its leading coefficient times ``(a + 1)(a -
[N])`` and the repair hides the visible end; the independent checker has its own reading. Both ends hidden
(solving the quadratic is the task), a bound whose ends are no roots, and a linear inequality read nothing.
Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._factored import factored_identities
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "What is the largest value of $a$ such that $a^2 + 2a \\ge a^3$ and $a > 0$?"
TRACE = (
    "Since $a > 0,$ we can divide by $a$ to get \\[a + 2 \\ge a^2,\\]so $0 \\ge a^2 - a - 2 = (a-2)(a+1).$ "
    "This means that $-1 \\le a \\le 2,$ so the greatest possible value of $a$ is $\\boxed{2}.$"
)
GOLD = "2"
MASKED = (
    TRACE.replace("a + 2 \\ge", "a + [NUMBER] \\ge")
    .replace("a - 2 =", "a - [NUMBER] =")
    .replace("(a-2)(a+1)", "(a-[NUMBER])(a+[NUMBER])")
    .replace("\\le 2,", "\\le [NUMBER],")
    .replace("{2}", "{[NUMBER]}")
)


def _constraints(question: str, text: str, gold: str) -> list[str]:
    return [text[f.start : f.end] for f in attacks(question, text, gold) if f.attack == "constraints"]


def test_the_hidden_end_is_found_from_the_visible_one():
    assert factored_identities(MASKED)
    found = _constraints(QUESTION, MASKED, GOLD)
    assert found and any("-1 \\le a" in text for text in found), found
    # "x < 2 or x > [N]" after a quadratic inequality: the same reading, Vieta's sum 5 - 2
    outside = "We need $x^2 - 5x + 6 > 0$, which holds for $x < 2$ or $x > [NUMBER]$, so the answer is 3."
    assert _constraints("Solve $x^2 + 6 > 5x$; give the larger boundary.", outside, "3")


def test_what_is_no_reading_of_roots_finds_nothing():
    both = MASKED.replace("$-1 \\le a", "$[NUMBER] \\le a")  # both ends hidden: solving it is the task
    assert not _constraints(QUESTION, both, GOLD)
    # 1 is no root of x^2 - 9: the ends are no roots, and the identity, which would match the x-terms at
    # -1, holds for no value of the blank and fixes nothing
    not_roots = "We need $x^2 - 9 < 0$ with $x$ over 1, so $1 < x < [NUMBER]$, giving $\\boxed{[NUMBER]}$."
    assert factored_identities(not_roots)
    assert not _constraints("Find the sum of the ends.", not_roots, "-1")
    linear = "We need $3x - 6 < 0$, so $-1 < x < [NUMBER]$ and the answer is $\\boxed{[NUMBER]}$."
    assert not factored_identities(linear)
    far = MASKED.replace("This means that", "Words. " * 30 + "This means that")
    assert not any(
        "-1" in far[e.right.start : e.right.end] for e in factored_identities(far)
    )  # a bound far from the inequality is another step's


def test_the_masker_hides_an_end():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "\\le a \\le" in r.text and "-1 \\le a" not in r.text, r.text
    assert not _constraints(QUESTION, r.text, GOLD)


def test_the_checker_reads_the_ends_as_roots():
    template = (
        "Since $a > 0,$ we can divide by $a$ to get \\[a + ⟦2|NUMBER⟧ \\ge a^2,\\]so "
        "$0 \\ge a^2 - a - ⟦2|NUMBER⟧ = (a-⟦2|NUMBER⟧)(a+⟦1|NUMBER⟧).$ This means that "
        "$-1 \\le a \\le ⟦2|NUMBER⟧,$ so the greatest possible value of $a$ is $\\boxed{⟦2|NUMBER⟧}.$"
    )
    assert "constraints" in checker_leaks("interval_roots", QUESTION, template, GOLD)
    cut = template.replace("$-1 \\le a", "$⟦-1|NUMBER⟧ \\le a")
    assert "constraints" not in checker_leaks("interval_roots", QUESTION, cut, GOLD)


def test_review_cases():
    # a power of a power is no polynomial the reader evaluates (it took minutes and gigabytes before)
    nested = "x"
    for _ in range(5):
        nested = "{(" + nested + ")^{64}}"
    text = f"We need ${nested} < [NUMBER]$, then $1 < x < 2$ and $y > 3$, so $\\boxed{{7}}$."
    assert factored_identities(text) == ()
    r = mask_text("math", text.replace("[NUMBER]", "5"), question="Q?", answer="7")
    assert "\\boxed{[NUMBER]}" in r.text, r.text  # masked in well under a second, the answer hidden
    # no blank in the quadratic or its ends: nothing to fix, nothing read (x' was reported as the gold)
    plain = (
        "We need $x^2 - 12x + 11 < 0$; with the given range, $3 \\le x \\le 7$. "
        "The two numbers are $-2$ and $-3$, so the answer is $\\boxed{-5}$."
    )
    assert factored_identities(plain) == ()
    r = mask_text("math", plain, question="What is the sum of the two numbers?", answer="-5", level="answer")
    assert "$3 \\le x \\le 7$" in r.text, r.text
    # the distance counts from the quadratic's chain, whatever equations stand between
    steps = " ".join(f"Then $y_{{{k}}} = {k + 10}$ by the rule." for k in range(12))
    far = f"So $0 \\ge a^2 - a - [NUMBER]$. {steps} Now $-1 \\le a \\le [NUMBER]$, so $\\boxed{{[NUMBER]}}$."
    assert factored_identities(far) == ()
    # a quadratic bounded on both sides: the interval it solves to is no pair of roots of one side
    twice = "We need $-1 \\le x^2 - x - [NUMBER] \\le 1$, so $-1 \\le x \\le 2$ and so $\\boxed{[NUMBER]}$."
    assert factored_identities(twice) == ()
    # "or" spelt with commas or \quad\text{or}\quad
    for gap in ("$, or, $", "$ \\quad\\text{or}\\quad $"):
        outside = f"We need $x^2 - 5x + 6 > 0$, which holds for $x < 2{gap}x > [NUMBER]$."
        assert factored_identities(outside), gap
    # the floor of x squared agrees with x^2 at whole numbers only
    assert factored_identities("So $\\lfloor x \\rfloor^2 - [NUMBER] < 0$, so $-1 < x < [NUMBER]$.") == ()


def test_checker_review_cases():
    twice = "We need $-1 \\le x^2 - x - ⟦1|NUMBER⟧ \\le 1$, so $-1 \\le x \\le 2$, so $\\boxed{⟦3|NUMBER⟧}$."
    for gold in ("3", "1"):
        assert "constraints" not in checker_leaks("interval_roots_twice", "Find it.", twice, gold)
    outside = "We need $x^2 - 5x + 6 > 0$, which holds for $x < 2$ \\quad\\text{or}\\quad $x > ⟦3|NUMBER⟧$."
    assert "constraints" in checker_leaks("interval_roots_or", "Find the larger boundary.", outside, "3")


def test_a_vector_is_renamed_whole():
    from smepo_data.math._factored import _renamed

    assert _renamed(("vec", (("u", "v:x"), ("u", "v:y")))) == ("vec", (("u", "v:x'"), ("u", "v:y'")))


# ---------------------------------------------------------------- an interval answer with a hidden bound

#: round 29's MATH-500 101 in another variable and other numbers: the gold is the interval itself, written
#: ``y \in [...]``; the trace's inequality hides one bound, which the factorization beside it fixes
INTERVAL_Q = (
    "For what values of $y$ is it true that $y^2 - 3y - 1 \\le 9$? Express your answer in interval notation."
)
INTERVAL_TRACE = (
    "Re-arranging, $y^2 - 3y - 10 \\le 0$. This factors as $y^2 - 3y - 10 = (y - 5)(y + 2) \\le 0$. So "
    "$y - 5$ and $y + 2$ have opposite signs, and $-2 \\le y \\le 5$, that is, $\\boxed{y \\in [-2,5]}$."
)
INTERVAL_MASKED = (
    "Re-arranging, $y^2 - 3y - [NUMBER] \\le 0$. This factors as "
    "$y^2 - 3y - [NUMBER] = (y - [NUMBER])(y + 2) \\le 0$. So $y - [NUMBER]$ and $y + 2$ have opposite "
    "signs, and $-2 \\le y \\le [NUMBER]$, that is, "
    "$\\boxed{[EXPR]}$."
)


def test_a_gold_written_with_its_variable_is_the_interval():
    from smepo_data.math._answer import parse_gold

    assert parse_gold("y \\in [-2,5]").components == parse_gold("[-2,5]").components
    assert parse_gold("x\\in(-\\infty, 3)").norm == "(-\\infty,3)"


def test_an_inequality_whose_hidden_bound_the_equations_fix_writes_the_interval():
    for gold in ("y \\in [-2,5]", "[-2,5]"):
        found = [f for f in attacks(INTERVAL_Q, INTERVAL_MASKED, gold) if f.attack == "constraints"]
        assert found and "interval" in found[0].detail, gold
        # another interval, or the bound left open where the gold closes it: nothing
        assert not [f for f in attacks(INTERVAL_Q, INTERVAL_MASKED, "[-2,6]") if "interval" in f.detail]
        assert not [f for f in attacks(INTERVAL_Q, INTERVAL_MASKED, "[-2,5)") if "interval" in f.detail]
    # the linear term hidden too: the factorization no longer fixes the bound
    cut = INTERVAL_MASKED.replace("- 3y", "- [NUMBER]y")
    assert not [f for f in attacks(INTERVAL_Q, cut, "y \\in [-2,5]") if "interval" in f.detail]


def test_the_masker_cuts_the_bound_an_interval_answer_reads():
    r = mask_text("math", INTERVAL_TRACE, question=INTERVAL_Q, answer="y \\in [-2,5]", level="critical")
    assert r.leak is None and r.level == "critical"
    assert attacks(INTERVAL_Q, r.text, "y \\in [-2,5]") == []
    assert "(y + 2)" in r.text and "-2 \\le y \\le [NUMBER]" in r.text  # the plan's visible end stays
    assert "- 3y" not in r.text  # the question's coefficient the factorization matched, read back from it


def test_the_independent_checker_fills_the_interval_s_blank_bound_too():
    marked = (
        "Re-arranging, $y^2 - 3y - ⟦10|NUMBER⟧ \\le 0$. This factors as $y^2 - 3y - ⟦10|NUMBER⟧ = "
        "(y - ⟦5|NUMBER⟧)(y + 2) \\le 0$. So $y - ⟦5|NUMBER⟧$ and $y + 2$ have opposite signs, and "
        "$-2 \\le y \\le ⟦5|NUMBER⟧$, that is, $\\boxed{⟦y \\in [-2,5]|EXPR⟧}$."
    )
    for gold in ("y \\in [-2,5]", "[-2,5]"):
        found = checker_leaks("interval_bound", INTERVAL_Q, marked, gold).get("constraints", [])
        assert any("interval" in f["detail"] for f in found), gold
    assert "constraints" not in checker_leaks("interval_bound_other", INTERVAL_Q, marked, "[-2,6]")
    cut = marked.replace("- 3y", "- ⟦3|NUMBER⟧y")
    assert "constraints" not in checker_leaks("interval_bound_cut", INTERVAL_Q, cut, "y \\in [-2,5]")


def test_a_union_with_one_blank_bound_is_read_too():
    q = "For what values of $x$ is $x^2 - 5x - 4 \\ge 10$? Express your answer in interval notation."
    gold = "(-\\infty,-2] \\cup [7,\\infty)"
    masked = (
        "Re-arranging, $x^2 - 5x - 14 \\ge 0$. This factors as "
        "$x^2 - 5x - 14 = (x - [NUMBER])(x + 2) \\ge 0$, so $x \\le -2$ or $x \\ge [NUMBER]$, that is, "
        "$\\boxed{[EXPR]}$."
    )
    assert any("interval" in f.detail for f in attacks(q, masked, gold))
    # the linear term and the constant hidden: the factorization fixes nothing
    cut = masked.replace("- 5x - 14", "- [NUMBER]x - [NUMBER]")
    assert not any("interval" in f.detail for f in attacks(q, cut, gold))
