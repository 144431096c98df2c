"""Two powers of one base set equal (round 46 of the blind reading, MATH-500 2157; 1265 has the shape too):
``[NUMBER]^{2x} = ([NUMBER]^4)`` gives ``2x = 4`` whatever the base, exponents being kept visible. The
masker's ``matched`` reading and the independent checker's find it, each equation on its own (a line with two
different bases fixes nothing), and the repair hides the power without the letter whole."""

from __future__ import annotations

import re

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

Q = "Solve for $x$: $2^{2x} = 256^\\frac{1}{2}$."
TRACE = (
    "\\begin{align*}\n⟦2|NUMBER⟧^{2x} & =⟦256|NUMBER⟧^{\\frac{1}{2}} \\\\\n"
    "⟦2|NUMBER⟧^{2x} & =(⟦2|NUMBER⟧^8)^{\\frac{1}{2}} \\\\\n⟦2|NUMBER⟧^{2x} & =(⟦2|NUMBER⟧^4) \\\\\n"
    "⟦2|NUMBER⟧x & = ⟦4|NUMBER⟧ \\\\\nx & = \\boxed{⟦2|NUMBER⟧}\n\\end{align*}"
)


def _masked(template: str) -> str:
    return re.sub(r"⟦[^|⟧]*\|([A-Z_0-9]+)⟧", r"[\1]", template)


def _original(template: str) -> str:
    return re.sub(r"⟦([^|⟧]*)\|[A-Z_0-9]+⟧", r"\1", template)


def test_equal_powers_of_blank_bases_give_the_exponents():
    found = [f for f in attacks(Q, _masked(TRACE), "2") if f.attack == "matched"]
    assert len(found) == 2  # (b^8)^{1/2} and b^4; not the first line, whose bases differ (x would be 1/4)
    assert all("x = 2" in f.detail for f in found)
    assert set(checker_leaks("powers", Q, TRACE, "2")) == {"constraints"}


def test_a_power_of_a_power_multiplies_its_exponents():
    t = "So $(⟦3|NUMBER⟧^2)^x=⟦3|NUMBER⟧^3$, and $x = \\boxed{⟦\\frac32|EXPR⟧}$."
    assert [f.attack for f in attacks("Solve $9^x = 27$.", _masked(t), "\\frac32")] == ["matched"]
    assert set(checker_leaks("power_power", "Solve $9^x = 27$.", t, "\\frac32")) == {"constraints"}


def test_other_bases_or_another_value_fix_nothing():
    other = "So $5^{2x} = 3^4$ and $x = \\boxed{⟦2|NUMBER⟧}$."  # two visible bases, not one
    assert attacks(Q, _masked(other), "2") == []
    assert checker_leaks("powers_other", Q, other, "2") == {}
    first_line_only = "So $⟦2|NUMBER⟧^{2x} = ⟦256|NUMBER⟧^{\\frac{1}{2}}$ and $x = \\boxed{⟦2|NUMBER⟧}$."
    assert attacks(Q, _masked(first_line_only), "2") == []  # 2x = 1/2 is no 2
    assert checker_leaks("powers_first", Q, first_line_only, "2") == {}


def test_the_masker_hides_the_power_without_the_letter():
    r = mask_text("math", _original(TRACE), question=Q, answer="2")
    assert r.leak is None
    assert "^{2x} & =[EXPR]" in r.text and "^4" not in r.text and "^{2x}" in r.text


def test_a_chain_written_once_on_the_left_pairs_every_power():
    # the usual align layout: the left side once, then `&=` line after line
    chain = (
        "\\begin{align*}\n⟦2|NUMBER⟧^{2x} &= ⟦256|NUMBER⟧^{\\frac{1}{2}} \\\\\n"
        "&= (⟦2|NUMBER⟧^8)^{\\frac{1}{2}} \\\\\n&= ⟦2|NUMBER⟧^4\n\\end{align*} So $x = \\boxed{⟦2|NUMBER⟧}$."
    )
    assert {f.attack for f in attacks(Q, _masked(chain), "2")} == {"matched"}
    assert set(checker_leaks("powers_chain", Q, chain, "2")) == {"constraints"}


def test_one_letter_twice_is_one_base_and_zero_or_one_is_none():
    e = "We get $e^{x} = e^{3}$, so $x=\\boxed{⟦3|NUMBER⟧}$."
    assert [f.attack for f in attacks("Solve for $x$.", _masked(e), "3")] == ["matched"]
    assert set(checker_leaks("powers_e", "Solve for $x$.", e, "3")) == {"constraints"}
    for base in ("1", "0"):  # every power of these agrees: the exponents are not fixed
        t = f"We get ${base}^{{x}} = {base}^{{3}}$, so $x=\\boxed{{⟦3|NUMBER⟧}}$."
        assert attacks("Solve for $x$.", _masked(t), "3") == [], base
        assert checker_leaks("powers_" + base, "Solve for $x$.", t, "3") == {}, base


def test_the_questions_own_equation_of_powers_is_not_blamed():
    q = "Solve $[2]^{x} = 2^{3}$ for $x$."  # the trace writes the question's equation again
    t = "We have $[2]^{x} = 2^{3}$ and so $x=\\boxed{⟦3|NUMBER⟧}$."
    assert not [f for f in attacks(q, _masked(t), "3") if f.attack == "matched"]
