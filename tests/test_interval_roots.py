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
