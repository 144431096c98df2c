"""Two readings a reader takes that the attacks missed (issue 11, round 8's MATH-500 rows of class (b)/(c)):
sides written alike read term by term (``\\sqrt{([N] - 1)^2 + (6 - 2)^2} = \\sqrt{3^2 + [N]^2}``: the first
operand is 3, the blank is 6 - 2), and a chain of named quantities read from its first side past a link
that is not linear (``x = \\frac{y}{[N]} = \\frac{z}{3}`` gives ``x = z/3``). Both the masker's attacks and
the independent checker (benchmarks/recover_check.py, its own code) must find them; each trace is
built here."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math.attacks import attacks

from .test_recover_check import as_record, rc, row


def found(question: str, masked: str, answer: str) -> set[str]:
    return {f.attack for f in attacks(question, masked, answer)}


DIST_Q = "What is the distance between the points $(1, 2)$ and $(4, 6)$?"
DIST = (
    r"By the distance formula, \[\sqrt{([NUMBER] - 1)^2 + (6 - 2)^2} = \sqrt{3^2 + [NUMBER]^2} "
    r"= \sqrt{[NUMBER] + [NUMBER]} = \boxed{[NUMBER]}.\]"
)
DIST_CUT = DIST.replace("(6 - 2)^2", "(6 - [NUMBER])^2").replace("3^2", "[NUMBER]^2")

RINGS = (
    r"The outer ring is $$\pi\cdot 8^2-\pi\cdot 5^2=[EXPR]-[EXPR] = [EXPR],$$ the middle one "
    r"$$\pi\cdot 5^2-\pi\cdot 3^2=[EXPR] - [EXPR] = [EXPR].$$ The difference of their areas is "
    r"$[EXPR]-[EXPR] = \boxed{[EXPR]}.$"
)


def test_terms_read_term_by_term_are_no_results_a_final_step_takes():
    # 64pi, 25pi, 25pi, 9pi are the terms; the rings are 39pi and 16pi, and the boxed step takes those
    assert found("What is the difference of the two ring areas?", RINGS, r"23\pi") == {"replay"}


CHAIN_Q = (
    r"Let $x,$ $y,$ $z$ be positive reals with $x + y + z = 1.$  Find the minimum of "
    r"$\frac{1}{x} + \frac{4}{y} + \frac{9}{z}.$"
)
CHAIN = (
    r"By Cauchy-Schwarz, \[(x + y + z) \left( \frac{1}{x} + \frac{4}{y} + \frac{9}{z} \right) \ge "
    r"(1 + [NUMBER] + 3)^2 = [NUMBER].\] Equality occurs when $x = \frac{y}{[NUMBER]} = \frac{z}{3}$ and "
    r"$x + y + z = 1,$ so $y = \frac{1}{3},$ and the minimum is $\boxed{[NUMBER]}.$"
)
CHAIN_CUT = CHAIN.replace(r"y = \frac{1}{3}", r"y = [EXPR]")


def test_sides_written_alike_are_read_term_by_term():
    assert found(DIST_Q, DIST, "5") == {"replay"}
    assert found(DIST_Q, DIST_CUT, "5") == set()


def test_term_by_term_needs_the_sides_written_alike():
    # 2 + 3 = 1 + 4: no pairing of terms; c/[N] = d/4: c is no d, so the blank is no 4
    for text in (r"$[NUMBER] + 2 + 3 = [NUMBER] + 1 + 4$", r"$\frac{c}{[NUMBER]} = \frac{d}{4}$"):
        assert len(read_equations(text).equations) == 1
    assert len(read_equations(r"$\sqrt{[NUMBER] + 9} = \sqrt{4^2 + 3^2}$").equations) == 2


SIGN_Q = r"If $g(x)=\frac{2x-1}{x-3}$, what is $g(1)+g(2)$?"
SIGN = (
    r"$g(1)+g(2)=\frac{2(1)-1}{1-3}+\frac{2(2)-1}{2-3}=\frac{1}{-2}+\frac{3}{-1}=-\frac{1}{2}+\frac{-3}{1}"
    r"=\boxed{-\frac{7}{2}}$"
)
#: the second term stays visible, and the next side moves its sign across the bar (round 37's 2584)
SIGN_MASKED = (
    r"$g(1)+g(2)=\frac{2(1)-[NUMBER]}{1-3}+\frac{2(2)-1}{2-3}=[EXPR]+\frac{[NUMBER]}{-1}=-\frac{1}{2}"
    r"+\frac{[NUMBER]}{1}=\boxed{[EXPR]}$"
)


def test_a_sign_moved_across_the_bar_still_reads_term_by_term():
    assert found(SIGN_Q, SIGN_MASKED, r"-\frac72")
    assert found(SIGN_Q, SIGN_MASKED.replace("2(2)-1", "2(2)-[NUMBER]"), r"-\frac72") == set()
    # read as written first: \frac{-2}{-2} beside 1 pairs without moving any sign
    assert len(read_equations(r"$\frac{[NUMBER]}{-3}+\frac{-2}{-2} = \frac{[NUMBER]}{3}+1$").equations) == 2
    r = mask_text("math", SIGN, question=SIGN_Q, answer=r"-\frac72")
    assert r.leak is None and r.level == "critical", r.text
    checked = rc.check_row(as_record(_masked_row("sign_masker", SIGN_Q, SIGN, r, r"-\frac72")))
    assert checked["leaks"] == {}, checked["leaks"]


def _masked_row(rid: str, question: str, trace: str, r, gold: str) -> dict:
    """A row of our masking (the template built from the spans of ``r``) for the checker."""
    template, pos = [], 0
    for sp in sorted(r.spans, key=lambda sp: sp.start):
        tag = "ANSWER" if sp.kind == "answer" else "EXPR" if sp.kind == "expression" else "NUMBER"
        template += [trace[pos : sp.start], f"⟦{trace[sp.start : sp.end]}|{tag}⟧"]
        pos = sp.end
    return row(rid, question, "".join(template) + trace[pos:], gold)


def test_a_chain_of_unknowns_is_read_from_its_first_side():
    assert found(CHAIN_Q, CHAIN, "36") == {"system"}
    assert found(CHAIN_Q, CHAIN_CUT, "36") == set()
    reading = read_equations(r"$x = \frac{y}{[NUMBER]} = \frac{z}{3}$")
    assert len(reading.equations) == 3  # x = y/[N], y/[N] = z/3, and x = z/3
    assert len(read_equations(r"$[NUMBER] + 1 = [NUMBER] + 2 = [NUMBER]$").equations) == 2  # no letter


ROOT_Q = r"For which real $x$ are both $x^2+2x-3$ and $x^2+5x+6$ zero?"
ROOT = (
    r"\begin{align*}"
    "\n"
    r"0=x^2+[NUMBER]x-3=(x+[NUMBER])(x-1)&\Rightarrow x=[NUMBER]\text{ or }x=1\\"
    "\n"
    r"0=x^2+5x+6=(x+[NUMBER])(x+[NUMBER])&\Rightarrow x=[NUMBER]\text{ or }x=[NUMBER]"
    "\n"
    r"\end{align*}"
    "\n"
    r"Both are zero only at $x=\boxed{[NUMBER]}$."
)
ROOT_CUT = ROOT.replace("x-3=", "x-[NUMBER]=")


def test_a_variable_written_as_cases_is_solved_by_the_visible_quadratic():
    # "x = [N] or x = 1" are two cases, not x = 1; x^2 + [N]x - 3 = (x + [N])(x - 1) matches the blank (2),
    # and x^2 + 2x - 3 = 0 gives x = -3 or 1, the gold among them. The question's own x^2 + 5x + 6 = 0 alone
    # is the task, no leak.
    assert found(ROOT_Q, ROOT, "-3") == {"system"}
    assert found(ROOT_Q, ROOT_CUT, "-3") == set()
    reading = read_equations(r"$x=[NUMBER]\text{ or }x=1$")
    assert len(reading.equations) == 2  # "or" is prose between two equations, not a unit


@pytest.mark.parametrize(
    ("question", "trace", "answer"),
    [
        (DIST_Q, r"\[\sqrt{(4 - 1)^2 + (6 - 2)^2} = \sqrt{3^2 + 4^2} = \sqrt{9 + 16} = \boxed{5}.\]", "5"),
        (
            CHAIN_Q,
            r"By Cauchy-Schwarz, \[(x + y + z) \left( \frac{1}{x} + \frac{4}{y} + \frac{9}{z} \right) \ge "
            r"(1 + 2 + 3)^2 = 36.\] Equality occurs when $x = \frac{y}{2} = \frac{z}{3}$ and "
            r"$x + y + z = 1,$ so $y = \frac{1}{3},$ and the minimum is $\boxed{36}.$",
            "36",
        ),
        (
            ROOT_Q,
            r"\begin{align*}"
            "\n"
            r"0=x^2+2x-3=(x+3)(x-1)&\Rightarrow x=-3\text{ or }x=1\\"
            "\n"
            r"0=x^2+5x+6=(x+2)(x+3)&\Rightarrow x=-2\text{ or }x=-3"
            "\n"
            r"\end{align*}"
            "\n"
            r"Both are zero only at $x=\boxed{-3}$.",
            "-3",
        ),
    ],
    ids=["term_by_term", "chain_of_unknowns", "cases_quadratic"],
)
def test_the_masker_cuts_both_readings(question, trace, answer):
    r = mask_text("math", trace, question=question, answer=answer, level="critical")
    assert r.leak is None and r.level == "critical"
    assert not attacks(question, r.text, answer, trace)


CHECKER = [
    (
        "cases_quadratic",
        ROOT_Q,
        ROOT.replace("[NUMBER]x-3", "⟦2|NUMBER⟧x-3")
        .replace("(x+[NUMBER])(x-1)", "(x+⟦3|NUMBER⟧)(x-1)")
        .replace("x=[NUMBER]\\text{ or }x=1", "x=⟦-3|NUMBER⟧\\text{ or }x=1")
        .replace("(x+[NUMBER])(x+[NUMBER])", "(x+⟦2|NUMBER⟧)(x+⟦3|NUMBER⟧)")
        .replace("x=[NUMBER]\\text{ or }x=[NUMBER]", "x=⟦-2|NUMBER⟧\\text{ or }x=⟦-3|NUMBER⟧")
        .replace("\\boxed{[NUMBER]}", "\\boxed{⟦-3|NUMBER⟧}"),
        "-3",
        {"constraints"},
    ),
    (
        "cases_quadratic_cut",
        ROOT_Q,
        ROOT_CUT.replace("[NUMBER]x-[NUMBER]", "⟦2|NUMBER⟧x-⟦3|NUMBER⟧")
        .replace("(x+[NUMBER])(x-1)", "(x+⟦3|NUMBER⟧)(x-1)")
        .replace("x=[NUMBER]\\text{ or }x=1", "x=⟦-3|NUMBER⟧\\text{ or }x=1")
        .replace("(x+[NUMBER])(x+[NUMBER])", "(x+⟦2|NUMBER⟧)(x+⟦3|NUMBER⟧)")
        .replace("x=[NUMBER]\\text{ or }x=[NUMBER]", "x=⟦-2|NUMBER⟧\\text{ or }x=⟦-3|NUMBER⟧")
        .replace("\\boxed{[NUMBER]}", "\\boxed{⟦-3|NUMBER⟧}"),
        "-3",
        set(),
    ),
    (
        "termwise",
        DIST_Q,
        r"By the distance formula, \[\sqrt{(⟦4|NUMBER⟧ - 1)^2 + (6 - 2)^2} = \sqrt{3^2 + ⟦4|NUMBER⟧^2} "
        r"= \sqrt{⟦9|NUMBER⟧ + ⟦16|NUMBER⟧} = \boxed{⟦5|NUMBER⟧}.\]",
        "5",
        {"constraints"},
    ),
    (
        "termwise_cut",
        DIST_Q,
        r"By the distance formula, \[\sqrt{(⟦4|NUMBER⟧ - 1)^2 + (6 - ⟦2|NUMBER⟧)^2} = \sqrt{⟦3|NUMBER⟧^2 + "
        r"⟦4|NUMBER⟧^2} = \sqrt{⟦9|NUMBER⟧ + ⟦16|NUMBER⟧} = \boxed{⟦5|NUMBER⟧}.\]",
        "5",
        set(),
    ),
    (
        "termwise_log_base",  # log_3 4 beside log 4 / log [N]: the blank is the visible base 3, nothing new
        "Find it.",
        r"We have $\log_2 ⟦3|NUMBER⟧ \cdot \log_3 4 = \frac{\log ⟦3|NUMBER⟧}{\log 2} \cdot \frac{\log 4}"
        r"{\log ⟦3|NUMBER⟧}$, so the answer is $\boxed{⟦2|NUMBER⟧}$.",
        "3",
        set(),
    ),
    (
        "termwise_unlike",  # c/[N] = d/4 is not read term by term: the blank stays open
        "Find it.",
        r"We have $\frac{c}{⟦2|NUMBER⟧} = \frac{d}{4}$, so the answer is $\boxed{⟦4|NUMBER⟧}$.",
        "4",
        set(),
    ),
    (
        "termwise_sign_moved",
        SIGN_Q,
        r"$g(1)+g(2)=\frac{2(1)-⟦1|NUMBER⟧}{1-3}+\frac{2(2)-1}{2-3}=⟦\frac{1}{-2}|EXPR⟧+\frac{⟦3|NUMBER⟧}{-1}"
        r"=-\frac{1}{2}+\frac{⟦-3|NUMBER⟧}{1}=\boxed{⟦-\frac{7}{2}|EXPR⟧}$",
        r"-\frac72",
        {"constraints"},
    ),
    (
        "chain_of_unknowns",
        CHAIN_Q,
        r"By Cauchy-Schwarz, \[(x + y + z) \left( \frac{1}{x} + \frac{4}{y} + \frac{9}{z} \right) \ge "
        r"(1 + ⟦2|NUMBER⟧ + 3)^2 = ⟦36|NUMBER⟧.\] Equality occurs when $x = \frac{y}{⟦2|NUMBER⟧} = "
        r"\frac{z}{3}$ and $x + y + z = 1,$ so $y = \frac{1}{3},$ and the minimum is $\boxed{⟦36|NUMBER⟧}.$",
        "36",
        {"system"},
    ),
    (
        "chain_of_unknowns_cut",
        CHAIN_Q,
        r"By Cauchy-Schwarz, \[(x + y + z) \left( \frac{1}{x} + \frac{4}{y} + \frac{9}{z} \right) \ge "
        r"(1 + ⟦2|NUMBER⟧ + 3)^2 = ⟦36|NUMBER⟧.\] Equality occurs when $x = \frac{y}{⟦2|NUMBER⟧} = "
        r"\frac{z}{3}$ and $x + y + z = 1,$ so $y = ⟦\frac{1}{3}|EXPR⟧,$ and the minimum is "
        r"$\boxed{⟦36|NUMBER⟧}.$",
        "36",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("rid", "question", "template", "gold", "expected"), CHECKER, ids=[c[0] for c in CHECKER]
)
def test_the_checker_reads_term_by_term_and_chains_of_unknowns(rid, question, template, gold, expected):
    rc._init_worker(8.0)
    got = rc.check_row(as_record(row(rid, question, template, gold)))
    assert got["unchecked"] == [], got
    assert set(got["leaks"]) == expected, got["leaks"]
