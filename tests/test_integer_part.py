"""A chain ``b < E < b + 1`` with a blank-free middle pins ``b`` to the integer part of E, which a calculator
reads (round 44, MATH-500 intermediate_algebra/776: ``b < \\frac{1}{\\sqrt[3]{2} - 1} < b + 1``). The attack,
the checker's own twin and the masker's repair, on a trace built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = "Write $\\sqrt{7}$ as $n + f$, where $n$ is an integer and $0 < f < 1$. Compute $n$."
TRACE = (
    "The integer $n$ must satisfy\n\\[n < \\sqrt{7} < n + 1.\\]Since $2^2 = 4 < 7 < 9 = 3^2$, "
    "$n = \\boxed{2}.$"
)


def _masked(trace: str) -> str:
    return trace.replace("\\boxed{2}", "\\boxed{[NUMBER]}").replace("2^2 = 4 < 7 < 9 = 3^2", "[EXPR]")


def test_the_chain_pins_the_integer_part_of_its_middle():
    masked = _masked(TRACE)
    found = [f for f in attacks(QUESTION, masked, "2") if f.attack == "constraints"]
    assert [masked[f.start : f.end] for f in found] == ["n < \\sqrt{7} < n + 1"]
    assert not [f for f in attacks(QUESTION, masked, "3") if f.attack == "constraints"]  # floor, not ceiling
    # a window two wide allows two integers: nothing is pinned
    wide = masked.replace("n + 1", "n + 2")
    assert not [f for f in attacks(QUESTION, wide, "2") if f.attack == "constraints"]
    # reversed relations, one way round, read alike
    flipped = masked.replace("n < \\sqrt{7} < n + 1", "n + 1 > \\sqrt{7} > n")
    assert [f.attack for f in attacks(QUESTION, flipped, "2")] == ["constraints"]


def test_the_masker_cuts_the_middle():
    r = mask_text("math", TRACE, question=QUESTION, answer="2")
    assert r.leak is None
    assert "n < \\sqrt{7} < n + 1" not in r.text and "must satisfy" in r.text
    assert not attacks(QUESTION, r.text, "2", TRACE)


def test_the_checker_reads_the_integer_part_too():
    template = "The integer $n$ must satisfy \\[n < \\sqrt{7} < n + 1.\\] So $n = \\boxed{⟦2|NUMBER⟧}.$"
    leaks = checker_leaks("floor", QUESTION, template, "2")
    assert "integer part" in leaks["constraints"][0]["detail"]
    cut = template.replace("\\sqrt{7}", "\\sqrt{⟦7|NUMBER⟧}")
    assert "constraints" not in checker_leaks("floor_cut", QUESTION, cut, "2")
