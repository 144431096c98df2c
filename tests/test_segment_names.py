"""A segment's name read either way is one quantity (issue 11, round 20's MATH-500 1640): ``BA = CB = 6``
beside ``AB + BC = [N]`` and ``2(AB+BC) = [N]`` gives the perimeter, as a reader who names segments reads
it. The masker's ``system`` attack and the independent checker both read ``BA`` as ``AB``; the repair cuts
the chain. Built here, not taken from the dev row."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "The diagonal of a square is $6\\sqrt{2}$. What is the perimeter of the square?"
TRACE = (
    "Let the square be $ABCD$ with diagonal $\\overline{AC}$. Since $\\triangle ABC$ is a 45-45-90 "
    "triangle, $BA = CB = 6$, so $AB + BC = 12$ and the perimeter is $2(AB+BC) = \\boxed{24}$."
)
GOLD = "24"


def test_the_attack_reads_a_segment_either_way():
    masked = TRACE.replace("= 12", "= [NUMBER]").replace("\\boxed{24}", "\\boxed{[NUMBER]}")
    found = [f for f in attacks(QUESTION, masked, GOLD) if f.attack == "system"]
    assert found, attacks(QUESTION, masked, GOLD)
    # the same chain with two different segments fixes nothing
    other = masked.replace("$BA = CB = 6$", "$BD = CE = 6$")
    assert not [f for f in attacks(QUESTION, other, GOLD) if f.attack == "system"]


def test_the_masker_cuts_that_chain():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "45-45-90" in r.text and "AB + BC" in r.text
    assert not ("$BA = CB = 6$" in r.text and "2(AB+BC)" in r.text)  # an operand of the chain is hidden


def test_the_checker_reads_it_either_way_too():
    template = TRACE.replace("= 12", "= ⟦12|NUMBER⟧").replace("\\boxed{24}", "\\boxed{⟦24|NUMBER⟧}")
    assert "system" in checker_leaks("segment", QUESTION, template, GOLD)
    other = template.replace("$BA = CB = 6$", "$BD = CE = 6$")
    assert "system" not in checker_leaks("segment", QUESTION, other, GOLD)


def test_a_digit_puzzle_keeps_ab_and_ba_apart():
    # review of 8d2a442: "AB - BA" of a two-digit puzzle read as 0 voided the system in both tools
    question = "AB and BA are two-digit numbers whose digits A and B differ. Find A."
    masked = (
        "$AB - BA = 9A - 9B = 27$, so $A - B = [NUMBER]$. With $A + B = 11$, we get $A = \\boxed{[NUMBER]}$."
    )
    assert [f for f in attacks(question, masked, "7") if f.attack == "system"]
    template = masked.replace("= [NUMBER]$.", "= ⟦3|NUMBER⟧$.").replace("{[NUMBER]}", "{⟦7|NUMBER⟧}")
    assert "system" in checker_leaks("digits", question, template, "7")
