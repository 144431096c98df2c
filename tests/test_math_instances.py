"""An instance of the trace's own formula (``_instances``): in the masker's attacks, in ``mask`` and in the
independent checker (``benchmarks/recover_check.py``)."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math._instances import formula_instances
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import attacks
from tests.test_recover_check import as_record, checker_leaks, rc, row

QUESTION = "What is the sum of the first twenty positive integers?"
TRACE = (
    "The sum of the first $n$ positive integers is $\\frac{n(n+1)}{2}$, so the sum of the first 20 is "
    "$\\frac{20(20+1)}{2} = \\boxed{210}$."
)
#: one place of the letter hidden, the other visible: laid over the formula, the blank is 20
MASKED = (
    "The sum of the first $n$ positive integers is $\\frac{n(n+1)}{2}$, so the sum of the first [NUMBER] is "
    "$\\frac{[NUMBER](20+1)}{2} = \\boxed{[NUMBER]}$."
)


def test_the_blank_in_the_letter_s_place_is_the_visible_value():
    [eq] = formula_instances(read_equations(MASKED), MASKED)
    assert eq.right.tree == ("n", Fraction(20)) and eq.left.tree[0] == "u"


def test_no_instance_without_a_visible_value_or_with_two():
    both_hidden = MASKED.replace("(20+1)", "([NUMBER]+1)")
    assert formula_instances(read_equations(both_hidden), both_hidden) == []
    other = MASKED.replace("\\frac{[NUMBER](20+1)}{2}", "\\frac{[NUMBER](20+3)}{2}")  # +3: not the formula
    assert formula_instances(read_equations(other), other) == []
    before = MASKED.replace("is $\\frac{n(n+1)}{2}$, so", "is known, so") + " In general $\\frac{n(n+1)}{2}$."
    assert formula_instances(read_equations(before), before) == []  # a formula written after: no instance


def test_the_attack_reads_the_instance():
    found = [f for f in attacks(QUESTION, MASKED, "210") if f.attack in ("constraints", "replay")]
    assert found
    cut = MASKED.replace("(20+1)", "([NUMBER]+1)")
    assert not [f for f in attacks(QUESTION, cut, "210") if f.attack in ("constraints", "replay")]


def test_mask_leaves_no_instance_to_read():
    r = mask_text("math", TRACE, question=QUESTION, answer="210", level="critical")
    assert r.leak is None
    assert not [f for f in attacks(QUESTION, r.text, "210", TRACE) if f.attack in ("constraints", "replay")]


def test_the_checker_reads_the_same_route():
    template = (
        "The sum of the first $n$ positive integers is $\\frac{n(n+1)}{2}$, so the sum of the first "
        "⟦20|NUMBER⟧ is $\\frac{⟦20|NUMBER⟧(20+1)}{2} = \\boxed{⟦210|NUMBER⟧}$."
    )
    assert checker_leaks("instance", QUESTION, template, "210")
    cut = template.replace("(20+1)", "(⟦20|NUMBER⟧+1)")
    assert checker_leaks("instance_cut", QUESTION, cut, "210") == {}


def test_the_other_side_of_one_statement_or_a_letter_alone_is_no_formula():
    question = "The sum of two ages is 74 and they differ by 2. Find the older age."
    masked = "So $X + (X-2) = [NUMBER]$.\nThen $X + X = [NUMBER] + 2$.\nSo $2X = [NUMBER]$.\n#### [NUMBER]"
    assert formula_instances(read_equations(masked), masked) == []  # X + X: no number, the same statement
    template = (
        "So $X + (X-2) = ⟦74|NUMBER⟧$.\nThen $X + X = ⟦74|NUMBER⟧ + 2$.\n"
        "So $2X = ⟦76|NUMBER⟧$.\n#### ⟦38|NUMBER⟧"
    )
    rc._init_worker(8.0)
    ctx = rc.RowCtx(as_record(row("instance_same", question, template, "38")))
    ctx.build()
    assert rc.formula_instance_pairs(ctx) == []


def test_the_checker_carries_an_instance_on_without_errors():
    # constraints finds nothing here, so the seeded replay runs to its end (it raised KeyError once)
    template = "We use $n(n+1)$. Then $⟦7|NUMBER⟧(8+1) = ⟦5|NUMBER⟧$ and $\\boxed{⟦14|NUMBER⟧}$."
    rc._init_worker(8.0)
    out = rc.check_row(as_record(row("instance_seed", "Compute it.", template, "14")))
    assert out["unchecked"] == [] and "_errors" not in out["leaks"], out


def test_degrees_products_and_two_formulas_read_alike():
    masked = (
        "Each angle of a regular $n$-gon is $180^\\circ(n-2)/n$.\nSo the heptagon's is "
        "$180^\\circ([NUMBER]-2)/7 = \\boxed{[EXPR]}$."
    )
    assert formula_instances(read_equations(masked), masked)  # a degree sign in the formula
    template = (
        "The sum is $\\frac{n(n+1)}{2}$, so the first ⟦20|NUMBER⟧ give "
        "$\\frac{⟦20|NUMBER⟧\\cdot(20+1)}{2} = \\boxed{⟦210|NUMBER⟧}$."
    )
    assert checker_leaks("instance_cdot", QUESTION, template, "210")  # \\cdot in one, juxtaposed in the other
    two = "We have $n \\cdot 2 + n$ and $n \\cdot n + 1$.\nThen $[NUMBER] \\cdot 2 + 1 = [NUMBER]$."
    assert formula_instances(read_equations(two), two) == []  # the two formulas give 1 and 2: no reading
