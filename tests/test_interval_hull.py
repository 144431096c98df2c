"""An answer that is a union of intervals leaving out single points (``(0,9) \\cup (9,36)``) written as the
inequality of its hull (``0 < x < 36``): a reader adds the points where the trace's expression vanishes
(round 42, MATH-500 intermediate_algebra/1992). The attack, the checker's own twin and the masker's
repair, on a trace built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math.attacks import _hull, attacks

from .test_recover_check import as_record, checker_leaks, rc, row

QUESTION = "Solve \\[\\frac{|x^2 - 16|}{x^2 - 25x} < 0.\\]"
TRACE = (
    "Note that $|x^2 - 16| \\ge 0$ for all $x,$ with $|x^2 - 16| = 0$ only for $x = \\pm 4.$\n\n"
    "The denominator factors as $x(x - 25).$  This is negative only for $0 < x < 25.$  Thus, the "
    "solution is\n"
    "\\[x \\in \\boxed{(0,4) \\cup (4,25)}.\\]"
)
GOLD = "(0,4) \\cup (4,25)"


def test_the_hull_of_a_union_with_point_gaps():
    assert _hull(parse_gold(GOLD)) == (0, 25, False, False)
    assert _hull(parse_gold("(-\\infty,-2) \\cup (-2,3]")) == (None, 3, False, True)
    assert _hull(parse_gold("(0,2] \\cup [3,4)")) is None  # a gap that is an interval: no hull
    assert _hull(parse_gold("(-\\infty,1) \\cup (1,\\infty)")) is None  # no inequality writes all reals
    assert _hull(parse_gold("[1,2]")) is None  # one piece: the plain interval attack's


def test_the_hull_written_as_an_inequality_leaks_and_a_gap_does_not():
    masked = TRACE.replace("\\pm 4", "\\pm [NUMBER]").replace(GOLD, "[EXPR]")
    found = [f for f in attacks(QUESTION, masked, GOLD) if f.attack == "equivalent_form"]
    assert [masked[f.start : f.end] for f in found] == ["0 < x < 25"]
    other = masked.replace("0 < x < 25", "0 < x < 20")
    assert not [f for f in attacks(QUESTION, other, GOLD) if f.attack == "equivalent_form"]


def test_the_masker_hides_a_bound_of_the_hull():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "0 < x < 25" not in r.text and "negative only for" in r.text
    assert not attacks(QUESTION, r.text, GOLD, TRACE)


def test_the_checker_reads_the_hull_too():
    template = (
        "with $|x^2 - 16| = 0$ only for $x = \\pm ⟦4|NUMBER⟧.$ This is negative only for $0 < x < 25.$ "
        "Thus \\[x \\in \\boxed{⟦(0,4) \\cup (4,25)|EXPR⟧}.\\]"
    )
    leaks = checker_leaks("hull", QUESTION, template, GOLD)
    assert "equivalent_form" in leaks and "hull" in leaks["equivalent_form"][0]["detail"]
    hidden = template.replace("0 < x < 25", "⟦0|NUMBER⟧ < x < ⟦25|NUMBER⟧")
    assert "equivalent_form" not in checker_leaks("hull_hidden", QUESTION, hidden, GOLD)


def test_the_checker_reads_plain_intervals_beside_a_hull_gold_and_skips_the_question_s_domain():
    # a visible interval of another piece is read without a crash; the hull the question states is no leak
    template = "On $(1,2)$ the sign is negative. \\[x \\in \\boxed{⟦(0,4) \\cup (4,25)|EXPR⟧}.\\]"
    rc._init_worker(8.0)
    result = rc.check_row(as_record(row("hull_piece", QUESTION, template, GOLD)))
    assert result["leaks"] == {} and not result["unchecked"]
    domain_q = "For $0 < x < 25$, solve \\[\\frac{|x^2 - 16|}{x^2 - 25x} < 0.\\]"
    stated = "For $0 < x < 25$ the denominator is negative. \\[x \\in \\boxed{⟦(0,4) \\cup (4,25)|EXPR⟧}.\\]"
    assert checker_leaks("hull_domain", domain_q, stated, GOLD) == {}


def test_an_end_no_number_reads_makes_no_hull():
    assert _hull(parse_gold("(k,4) \\cup (4,25)")) is None
    assert _hull(parse_gold("(\\log_2 3,4) \\cup (4,25)")) is None
