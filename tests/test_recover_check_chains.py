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
    # "x - 2 = \pm 16^{3/2}": the plus root gives x = 66; with the 16 hidden, nothing
    (
        "plus_or_minus",
        r"Taking square roots, $x-2 = \pm 16^{3/2} = \pm ⟦64|NUMBER⟧$, "
        r"so $x = \boxed{⟦66|NUMBER⟧}$.",
        "66",
        {"constraints"},
    ),
    (
        "plus_or_minus_cut",
        r"Taking square roots, $x-2 = \pm ⟦16|NUMBER⟧^{3/2} = \pm ⟦64|NUMBER⟧$, "
        r"so $x = \boxed{⟦66|NUMBER⟧}$.",
        "66",
        set(),
    ),
]


@pytest.mark.parametrize(("rid", "template", "gold", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_checker_replays_chains(rid, template, gold, expected):
    got = leaks(rid, "Find it.", template, gold)
    assert set(got) == expected, got
    for findings in got.values():
        assert findings[0]["text"] and findings[0]["detail"]


# GSM8K-style prose steps: numbers with unit words, a first step without a calculator note, its hidden result
# carried into the next step's blank (same unit word), a step copying a visible computation with a blank
GSM_CASES = [
    # an en dash between values is a minus: "[N] – 2 = <<[N]-2=[N]>>" is no "2 = 9" (read so, it solved the
    # next step's blanks to the gold); with the 11 visible the chain replays
    (
        "en_dash_blanks",
        "Abigail had 11 dollars. She spent 2, then lost some and had 3 left. How much did she lose?",
        "She had ⟦11|NUMBER⟧ – 2 = <<⟦11|NUMBER⟧-2=⟦9|NUMBER⟧>>⟦9|NUMBER⟧ dollars left.\n"
        "She lost ⟦9|NUMBER⟧ – 3 = <<⟦9|NUMBER⟧-3=⟦6|NUMBER⟧>>⟦6|NUMBER⟧ dollars.\n#### ⟦6|NUMBER⟧",
        "6",
        set(),
    ),
    (
        "en_dash_visible",
        "Abigail had 11 dollars. She spent 2, then lost some and had 3 left. How much did she lose?",
        "She had 11 – 2 = <<11-2=⟦9|NUMBER⟧>>⟦9|NUMBER⟧ dollars left.\n"
        "She lost ⟦9|NUMBER⟧ – 3 = <<⟦9|NUMBER⟧-3=⟦6|NUMBER⟧>>⟦6|NUMBER⟧ dollars.\n#### ⟦6|NUMBER⟧",
        "6",
        {"replay"},
    ),
    # 15 * 3 = 45 rows, carried into `x [N] rows`, 4 * 45 = 180
    (
        "prose_units_carried",
        "A school has 3 buses with 15 rows each. Each row seats 4 kids. How many kids can ride?",
        "The number of rows is 15 rows/bus x 3 buses = ⟦45|NUMBER⟧ rows\n"
        "The number of kids is 4 kids/row x ⟦45|NUMBER⟧ rows = "
        "<<4*⟦45|NUMBER⟧=⟦180|NUMBER⟧>>⟦180|NUMBER⟧ kids\n"
        "#### ⟦180|NUMBER⟧",
        "180",
        {"replay"},
    ),
    # a rate divided by a rate (`per`, `a/b` units), then the result carried by its unit words
    (
        "prose_rates_carried",
        "A cookie weighs 2 ounces. A box holds 30 pounds of cookies. How many cookies fit in the box?",
        "First find the cookies in a pound. 16 ounces per pound / 2 ounces/cookie = ⟦8|NUMBER⟧ cookies per "
        "pound\nThe box holds 30 pounds, so 30 pounds * ⟦8|NUMBER⟧ cookies per pound = "
        "<<30*⟦8|NUMBER⟧=⟦240|NUMBER⟧>>⟦240|NUMBER⟧ cookies.\n#### ⟦240|NUMBER⟧",
        "240",
        {"replay"},
    ),
    # currency: `$6/hour x 5 hours`, the `$` result carried into the `$` blank of the next step
    (
        "prose_currency_carried",
        "Ben earns $6 an hour and works 5 hours a day. How much does he earn in 7 days?",
        "He earns $6/hour x 5 hours = $⟦30|NUMBER⟧ a day\n"
        "In a week he earns $⟦30|NUMBER⟧/day x 7 days = $<<⟦30|NUMBER⟧*7=⟦210|NUMBER⟧>>⟦210|NUMBER⟧\n"
        "#### ⟦210|NUMBER⟧",
        "210",
        {"replay"},
    ),
    # the blank after the sum is the question's 12 games, read back from the question: nothing carried
    (
        "prose_question_copy",
        "Tom played 5 games in May and 7 in June. In July he played 12 games of 90 minutes each. How many "
        "minutes did he play in July?",
        "5 games + 7 games = ⟦12|NUMBER⟧ games\n"
        "In July he played ⟦12|NUMBER⟧ games x 90 minutes = ⟦1080|NUMBER⟧ minutes\n#### ⟦1080|NUMBER⟧",
        "1080",
        set(),
    ),
    # another unit word on the blank than on the result before it: nothing carried
    (
        "prose_other_unit",
        "Find it.",
        "5 games + 7 games = ⟦12|NUMBER⟧ games\n"
        "Each team has ⟦12|NUMBER⟧ players x 90 minutes = ⟦1080|NUMBER⟧ minutes\n#### ⟦1080|NUMBER⟧",
        "1080",
        set(),
    ),
    # `and` is prose, not a unit: the step is not read
    (
        "prose_connective",
        "Find it.",
        "She has 5 apples and 7 pears and = ⟦12|NUMBER⟧ fruits\n#### ⟦12|NUMBER⟧",
        "12",
        set(),
    ),
    # a letter after a number is a variable (`2S`), a pronoun starts a clause (`1 he lost`): no units
    (
        "prose_no_units",
        "Find it.",
        "He sold S + 2S + 0 + 1 = 3S + 1 = ⟦7|NUMBER⟧ systems.\n"
        "He had ⟦9|NUMBER⟧ cards – 1 he lost = <<⟦9|NUMBER⟧-1=⟦8|NUMBER⟧>>⟦8|NUMBER⟧ cards.\n"
        "So 3S = ⟦7|NUMBER⟧ - 1 = ⟦6|NUMBER⟧, S = ⟦6|NUMBER⟧ / 3 = <<⟦6|NUMBER⟧/3=⟦2|NUMBER⟧>>⟦2|NUMBER⟧ "
        "and 2S = ⟦4|NUMBER⟧.\n#### ⟦4|NUMBER⟧",
        "4",
        set(),
    ),
    # the blank of `[N]/12 + 2/12` is the 3 of `3/12 + 2/12` on the line before; the sum is 5/12
    (
        "copied_step",
        "Find it.",
        "Add the fractions: 1/4 + 1/6 = 3/12 + 2/12\n"
        "So she has ⟦3|NUMBER⟧/12 + 2/12 = ⟦5|NUMBER⟧/12 of a bottle left.\n#### ⟦5|NUMBER⟧",
        "5",
        {"constraints", "restated"},  # restated too: "[N]/12 + 2/12" is the expression "3/12 + 2/12"
    ),
    # the number right after a calculator note is its result: "<<[N]*2=[N]>>6" fixes the blank to 3 ...
    (
        "note_result_shown",
        "Find it.",
        "He ruined ⟦3|NUMBER⟧ planks in each of 2 rooms: ⟦3|NUMBER⟧ * 2 = <<⟦3|NUMBER⟧*2=⟦6|NUMBER⟧>>6 "
        "planks.\n#### ⟦3|NUMBER⟧",
        "3",
        {"constraints"},
    ),
    # ... and no latest result (the 6 of the line before) is carried into it instead
    (
        "note_result_shown_no_carry",
        "Find it.",
        "The guest room took 8 - 2 = <<8-2=⟦6|NUMBER⟧>>6 planks.\n"
        "He ruined ⟦3|NUMBER⟧ * 2 = <<⟦3|NUMBER⟧*2=⟦6|NUMBER⟧>>6 planks.\n"
        "In all, 8 + 11 + ⟦6|NUMBER⟧ = <<8+11+⟦6|NUMBER⟧=⟦25|NUMBER⟧>>⟦25|NUMBER⟧ planks.\n#### ⟦31|NUMBER⟧",
        "31",
        set(),
    ),
    # ... but a percent, or a rounded value, after the note is no result: the note computes its own
    (
        "note_result_percent",
        "Find it.",
        "The tip is <<5/100=⟦0.05|NUMBER⟧>>5% so ⟦0.05|NUMBER⟧ * 200 = "
        "<<⟦0.05|NUMBER⟧*200=⟦10|NUMBER⟧>>⟦10|NUMBER⟧.\n#### ⟦10|NUMBER⟧",
        "10",
        {"replay"},
    ),
    (
        "note_result_rounded",
        "Find it.",
        "Each gets <<20/6=⟦3.333333333|NUMBER⟧>>3.33 pounds so ⟦3.333333333|NUMBER⟧*3 = ⟦10|NUMBER⟧.\n"
        "#### ⟦10|NUMBER⟧",
        "10",
        {"replay"},
    ),
    # thousands of zeros grouped by a space are one number: "10 000 kg" shows no 10 ...
    (
        "space_grouped_not_ten",
        "Find it.",
        "The boxes weigh 100 boxes x 100 kg/box = 10 000 kg.\n#### ⟦10|NUMBER⟧",
        "10",
        set(),
    ),
    # ... but it shows 10000
    (
        "space_grouped_is_ten_thousand",
        "Find it.",
        "The boxes weigh 100 boxes x 100 kg/box = 10 000 kg.\n#### ⟦10000|NUMBER⟧",
        "10000",
        {"extract", "visible_value", "replay"},
    ),
    # ... while "5 500 ml" is two numbers: 5 bottles of 500 ml
    (
        "space_between_two_numbers",
        "Find it.",
        "He buys 5 500 ml bottles.\n#### ⟦5|NUMBER⟧",
        "5",
        {"visible_value"},
    ),
    # another kept number: not a copy
    (
        "copied_step_differs",
        "Find it.",
        "Add the fractions: 1/4 + 1/6 = 3/12 + 2/12\n"
        "So she has ⟦3|NUMBER⟧/12 + 4/12 = ⟦7|NUMBER⟧/12 of a bottle left.\n#### ⟦7|NUMBER⟧",
        "7",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("rid", "question", "template", "gold", "expected"), GSM_CASES, ids=[c[0] for c in GSM_CASES]
)
def test_the_checker_reads_prose_steps(rid, question, template, gold, expected):
    got = leaks(rid, question, template, gold)
    assert set(got) == expected, got
    for findings in got.values():
        assert findings[0]["text"] and findings[0]["detail"]
