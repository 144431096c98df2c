"""The independent checker (benchmarks/recover_check.py, loaded from its file; it imports nothing of
smepo_data, nor does this test) finds the chains a calculator replays, with its own code: a final step
written over blanks a reader has just computed, a step written across math segments with unit words
between, a visible part of a side that expands to a symbolic gold. The masked traces are built here."""

from __future__ import annotations

import pytest

from .test_recover_check import as_record, rc, row


def leaks(rid: str, question: str, template: str, gold: str) -> dict[str, list[dict]]:
    rc._init_worker(8.0)
    got = rc.check_row(as_record(row(rid, question, template, gold)))
    assert got["unchecked"] == [], got
    return got["leaks"]


CASES = [
    # 4^2 + 7^2 = 65 fills the chain's last blank; the boxed step takes it: sqrt(65 - 36)
    (
        "chain_then_final",
        r"Only one sum repeats: $4^2 + 7^2 = ⟦1|NUMBER⟧^2 + 8^2 = ⟦65|NUMBER⟧.$  "
        r"So the last length is $\sqrt{⟦65|NUMBER⟧ - 6^2} = \boxed{⟦\sqrt{29}|EXPR⟧}.$",
        r"\sqrt{29}",
        {"replay"},
    ),
    # the same with the chain's visible side cut: nothing to carry
    (
        "chain_cut",
        r"Only one sum repeats: $⟦4|NUMBER⟧^2 + 7^2 = ⟦1|NUMBER⟧^2 + 8^2 = ⟦65|NUMBER⟧.$  "
        r"So the last length is $\sqrt{⟦65|NUMBER⟧ - 6^2} = \boxed{⟦\sqrt{29}|EXPR⟧}.$",
        r"\sqrt{29}",
        set(),
    ),
    # 60 * 3 and 40 * 2, each written across segments with unit words, then their sum boxed
    (
        "units_between",
        r"The first leg is $60$ miles $\times 3$ trips $= ⟦180|NUMBER⟧$ miles. The second is $40$ miles "
        r"$\times 2$ trips $= ⟦80|NUMBER⟧$ miles. "
        r"In all, $⟦180|NUMBER⟧ + ⟦80|NUMBER⟧ = \boxed{⟦260|NUMBER⟧}$.",
        "260",
        {"replay"},
    ),
    # "and" between the segments is prose: the steps are not read, and the 3 and 2 are hidden anyway
    (
        "units_prose",
        r"The first leg is $60$ and $\times ⟦3|NUMBER⟧$ trips $= ⟦180|NUMBER⟧$ miles. The second is $40$ and "
        r"$\times ⟦2|NUMBER⟧$ trips $= ⟦80|NUMBER⟧$ miles. In all, $⟦180|NUMBER⟧ + ⟦80|NUMBER⟧ = "
        r"\boxed{⟦260|NUMBER⟧}$.",
        "260",
        set(),
    ),
    # (x - 1)(x^2 + 1) inside a side with a blank is the quotient x^3 - x^2 + x - 1
    (
        "symbolic_part",
        r"We write \[\frac{x^4 + 1}{x + 1} = (x - 1)(x^2 + 1) + \frac{⟦2|NUMBER⟧}{x + 1}.\] "
        r"The quotient is $\boxed{⟦x^3 - x^2 + x - 1|EXPR⟧}$.",
        "x^3 - x^2 + x - 1",
        {"replay"},
    ),
    (
        "symbolic_part_cut",
        r"We write \[\frac{x^4 + 1}{x + 1} = (x - ⟦1|NUMBER⟧)(x^2 + 1) + \frac{⟦2|NUMBER⟧}{x + 1}.\] "
        r"The quotient is $\boxed{⟦x^3 - x^2 + x - 1|EXPR⟧}$.",
        "x^3 - x^2 + x - 1",
        set(),
    ),
]


@pytest.mark.parametrize(("rid", "template", "gold", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_checker_replays_chains(rid, template, gold, expected):
    got = leaks(rid, "Find it.", template, gold)
    assert set(got) == expected, got
    for findings in got.values():
        assert findings[0]["text"] and findings[0]["detail"]
