"""Blank bases of powers read as whole numbers (``_bases``): in the masker's attacks, in ``mask`` and in the
independent checker (``benchmarks/recover_check.py``)."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._bases import integer_bases
from smepo_data.math._equations import read_equations
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import attacks
from tests.test_recover_check import checker_leaks

QUESTION = "A sequence starts at $\\frac{27}{64}$ and doubles at each step. What is its eleventh term?"
TRACE = (
    "The term is $\\frac{27}{64} \\cdot 2^{10} = \\frac{3^3}{2^6} \\cdot 2^{10} = 2^4 \\cdot 3^3"
    " = \\boxed{432}$."
)
#: hidden bases, kept exponents: a^3 2^4 = b^4 3^3 has one pair of whole numbers in 2..30, 3 and 2
MASKED = (
    "The term is $[EXPR] \\cdot 2^{10} = \\frac{[NUMBER]^3}{2^6} \\cdot 2^{10} = [NUMBER]^4 \\cdot 3^3"
    " = \\boxed{[NUMBER]}$."
)


def test_two_blank_bases_with_one_whole_solution_are_fixed():
    eqs = read_equations("So $[NUMBER]^4 \\cdot [NUMBER]^2 = 144$.").equations
    [(a, (va, i)), (b, (vb, j))] = sorted(integer_bases(eqs, {}).items())
    assert {va, vb} == {Fraction(2), Fraction(3)} and i == j == 0


def test_bases_with_two_whole_solutions_or_a_letter_fix_nothing():
    assert (
        integer_bases(read_equations("So $[NUMBER]^2 \\cdot [NUMBER]^2 = 196$.").equations, {}) == {}
    )  # 2,7 / 7,2
    assert integer_bases(read_equations("So $x^2 \\cdot [NUMBER]^2 = 36$.").equations, {}) == {}  # a letter
    assert (
        integer_bases(read_equations("So $[NUMBER] \\cdot [NUMBER]^2 = 12$.").equations, {}) == {}
    )  # not a power


def test_the_attack_reads_the_chain_on():
    found = [f for f in attacks(QUESTION, MASKED, "432") if "whole numbers" in f.detail]
    assert found and {f.attack for f in found} == {"constraints"}
    clean = MASKED.replace("\\cdot 3^3", "\\cdot [NUMBER]^3")
    assert not [f for f in attacks(QUESTION, clean, "432") if "whole numbers" in f.detail]


def test_mask_cuts_it():
    r = mask_text("math", TRACE, question=QUESTION, answer="432", level="critical")
    assert r.leak is None
    assert not [f for f in attacks(QUESTION, r.text, "432", TRACE) if "whole numbers" in f.detail], r.text


def test_the_checker_reads_the_same_route():
    template = (
        "The term is $⟦\\frac{27}{64}|EXPR⟧ \\cdot 2^{10} = \\frac{⟦3|NUMBER⟧^3}{2^6} \\cdot 2^{10} = "
        "⟦2|NUMBER⟧^4 \\cdot 3^3 = \\boxed{⟦432|NUMBER⟧}$."
    )
    assert "constraints" in checker_leaks("bases", QUESTION, template, "432")
    cut = template.replace("\\cdot 3^3", "\\cdot ⟦3|NUMBER⟧^3")
    assert "constraints" not in checker_leaks("bases_cut", QUESTION, cut, "432")


def test_a_pair_without_a_value_is_no_fit_and_big_exponents_are_exact():
    # 2^2 - 2^2 = 0 divides by zero at the base 2: that pair fits nothing, the others are still tried
    eqs = read_equations("So $\\frac{125}{[NUMBER]^2 - 2^2} = [NUMBER]^2$.").equations
    assert sorted(v for v, _ in integer_bases(eqs, {}).values()) == [Fraction(3), Fraction(5)]
    eqs = read_equations("So $[NUMBER]^{21} \\cdot 3^2 = 2^{21} \\cdot [NUMBER]^2$.").equations  # past 10^30
    assert sorted(v for v, _ in integer_bases(eqs, {}).values()) == [Fraction(2), Fraction(3)]


@pytest.mark.parametrize("letters", [("a", "b"), ("x_1", "x_2"), ("\\alpha", "\\beta")])
def test_the_question_s_own_equation_in_any_letters_is_the_task(letters):
    a, b = letters
    question = (
        f"Whole numbers satisfy $\\frac{{5^3}}{{{a}^2}}\\cdot\\frac{{3^7}}{{5^7}} = \\frac{{{b}^5}}{{5^4}}$. "
        "Find it."
    )
    masked = (
        "So $\\frac{5^3}{[NUMBER]^2} \\cdot \\frac{3^7}{5^7} = \\frac{[NUMBER]^5}{5^4} = \\boxed{[EXPR]}$."
    )
    assert not [f for f in attacks(question, masked, "\\frac{243}{625}") if "whole numbers" in f.detail]
    template = (
        "So $\\frac{5^3}{⟦3|NUMBER⟧^2} \\cdot \\frac{3^7}{5^7} = \\frac{⟦3|NUMBER⟧^5}{5^4} = "
        "\\boxed{⟦\\frac{243}{625}|EXPR⟧}$."
    )
    leaks = checker_leaks("bases_letters", question, template, "\\frac{243}{625}")
    assert not any("whole numbers" in f["detail"] for f in leaks.get("constraints", [])), leaks


def test_a_huge_power_leaves_the_pairs_unknown():
    # (2, 4), (3, 9), (4, 16) ... all fit b = a^2; past 64 the exponent is no exact value: nothing is fixed
    eqs = read_equations("So $[NUMBER]^{130} = [NUMBER]^{65}$.").equations
    assert integer_bases(eqs, {}) == {}
