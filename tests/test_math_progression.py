"""The ``progression`` attack (issue 11, round 31's MATH-500 2046): a list of values with one blank whose
visible values step evenly (``Trying $x=1$, $x=[NUMBER]$, and $x=3$``): a reader fills the blank with the
step and never solves the equation. Each case is built here, in other numbers."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

Q = "Solve for $x$: $2^{x} + 2^{x+1} = 48$."
TRACE = "Trying $x=2$, $x=4$, and $x=6$ in the left side, only one of them works, so $x=\\boxed{4}$."
MASKED = (
    "Trying $x=2$, $x=[NUMBER]$, and $x=6$ in the left side, only one of them works, "
    "so $x=\\boxed{[NUMBER]}$."
)


def progression(question: str, masked: str, gold: str) -> list[str]:
    return [masked[f.start : f.end] for f in attacks(question, masked, gold) if f.attack == "progression"]


def test_a_blank_between_even_steps_is_singled_out():
    assert progression(Q, MASKED, "4") == ["x=2$, $x=[NUMBER]$, and $x=6"]
    assert progression(Q, MASKED, "5") == []  # not the gold
    # plain values, the blank past the visible ones: 3, 6, 9, then 12
    assert progression("How many?", "We count 3, 6, 9, [NUMBER] in turn.", "12") == ["3, 6, 9, [NUMBER]"]


def test_lists_that_single_out_nothing_are_no_progression():
    # two visible values always step evenly: only a blank between them is fixed, never one past them
    assert progression("How long?", "The sides are 5, 12, and [NUMBER] here.", "19") == []
    # a tuple or a set is no list of trials
    assert progression(Q, "The point is $(1, [NUMBER], 3)$ here.", "2") == []
    assert progression(Q, "The set is $\\{ 1, [NUMBER], 3 \\}$ here.", "2") == []
    # an operand is no item: "7 - 1" ends in 1 but is a difference
    assert progression(Q, "We have $7 - 1$, $[NUMBER]$, and $3$ here.", "2") == []
    assert progression(Q, "We have $2+1$, $[NUMBER]$, and $6$ here.", "3.5") == []
    # the question's own sequence, continued: that is the task
    seq = "What is the next term of the arithmetic sequence $2, 5, 8, \\ldots$?"
    assert progression(seq, "The terms 2, 5, 8, [NUMBER] follow.", "11") == []
    # a hostile number is not read (no crash); a signed blank between signed values is read
    assert progression(Q, "We try " + "1" * 4401 + ", 2, and [NUMBER] here.", "3") == []
    assert progression(Q, "Try $x=-1$, $x=-[NUMBER]$, and $x=-3$ now.", "-2") == [
        "x=-1$, $x=-[NUMBER]$, and $x=-3"
    ]


def test_no_even_step_or_no_single_blank_is_no_progression():
    assert progression("How many?", "We count 3, 6, 10, [NUMBER] in turn.", "14") == []  # 3, 6, 10: uneven
    # several blanks single none out: the multiples of 2 up to the least common multiple
    assert progression("When?", "It is on after 2, 4, [NUMBER], [NUMBER], [NUMBER] seconds.", "8") == []
    # different letters, or a value inside a longer expression, are no list items
    assert progression(Q, "Set $x=2$, $y=[NUMBER]$, and $z=6$.", "4") == []
    assert progression(Q, "We have $2+1$, $[NUMBER]$, and $6$ here.", "4") == []


def test_the_masker_hides_the_list_s_values():
    r = mask_text("math", TRACE, question=Q, answer="4", level="critical")
    assert r.leak is None and attacks(Q, r.text, "4") == []
    assert not ("x=2$" in r.text and "x=6$" in r.text)  # no two visible steps around one blank
    assert "Trying $x=" in r.text  # the letters and the plan's words stay


def test_the_independent_checker_reads_even_steps_too():
    from .test_recover_check import as_record, checker_leaks, rc, row

    # the rule runs to the end on a row with an operand before a list (no attack left unchecked)
    ops = "We have $7 - 1$, $⟦2|NUMBER⟧$, and $3$, and $2+1$, 4, 5, so $\\boxed{⟦2|NUMBER⟧}$."
    assert rc.check_row(as_record(row("even_steps_ops", Q, ops, "2")))["unchecked"] == []

    masked = "Trying $x=2$, $x=⟦4|NUMBER⟧$, and $x=6$, only one works, so $x=\\boxed{⟦4|NUMBER⟧}$."
    found = checker_leaks("even_steps", Q, masked, "4").get("listed", [])
    assert any("steps by 2" in f["detail"] for f in found)
    assert "listed" not in checker_leaks("even_steps_other_gold", Q, masked, "5")
    several = "It is on after 2, 4, ⟦6|NUMBER⟧, ⟦8|NUMBER⟧ seconds, so $\\boxed{⟦8|NUMBER⟧}$."
    assert "listed" not in checker_leaks("even_steps_several", "When?", several, "8")
    past = "The sides are 5, 12, and ⟦19|NUMBER⟧ here, so $\\boxed{⟦19|NUMBER⟧}$."
    assert "listed" not in checker_leaks("even_steps_past_two", "How long?", past, "19")
    tup = "The point is $(1, ⟦2|NUMBER⟧, 3)$, so $\\boxed{⟦2|NUMBER⟧}$."
    assert "listed" not in checker_leaks("even_steps_tuple", Q, tup, "2")
