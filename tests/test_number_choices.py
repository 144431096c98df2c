"""A number the question offers as a choice, named by leaving it out (``elimination``): in the masker's
attacks, in ``mask`` and in the independent checker (``benchmarks/recover_check.py``)."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._choices import _mentions, elimination
from tests.test_recover_check import checker_leaks

QUESTION = (
    "A baker packs 42 muffins. She can use boxes that hold either 4, 6, or 8 muffins. She wants every box "
    "full. Which box size should she choose?"
)
TRACE = (
    "With boxes of 4, 42/4 = 10.5 boxes, not whole. With boxes of 6, 42/6 = 7 boxes, all full. "
    "With boxes of 8, 42/8 = 5.25 boxes, not whole. So she should choose boxes of 6.\n#### 6"
)
#: the masked trace a value-by-value masker writes: each option's check, the chosen one hidden throughout
MASKED = (
    "With boxes of 4, [N]/4 = [N] boxes, not whole. With boxes of [N], [N]/[N] = [N] boxes, all full. "
    "With boxes of 8, [N]/8 = [N] boxes, not whole. So she should choose boxes of [N].\n#### [N]"
)


def test_every_option_but_the_gold_visible_names_it():
    found = elimination(QUESTION, MASKED, "6", TRACE)
    assert found and {f.attack for f in found} == {"elimination"}
    assert {MASKED[f.start : f.end] for f in found} == {"4"}  # the option shown fewest times, every time
    assert len(found) == 2


@pytest.mark.parametrize(
    ("question", "masked", "why"),
    [
        # the question asks for an amount, not a choice: a gold that happens to be an offered value
        (
            QUESTION.replace("Which box size should she choose?", "How many muffins fit in 7 boxes?"),
            MASKED,
            "ask",
        ),
        # the gold is visible: nothing is named by its absence (the value attacks judge it)
        (QUESTION, MASKED.replace("boxes of [N], [N]/[N]", "boxes of 6, [N]/[N]"), "visible"),
        # one other option hidden too: two are unaccounted for
        (QUESTION, MASKED.replace("boxes of 8, [N]/8", "boxes of [N], [N]/[N]"), "two open"),
        # no choice among numbers: "4 or 6" is not "1,000 or 6" read apart
        (QUESTION.replace("either 4, 6, or 8", "1,000 or 6"), MASKED, "list"),
    ],
)
def test_no_elimination_without_a_choice_left_to_one(question, masked, why):
    assert elimination(question, masked, "6", TRACE) == [], why


def test_options_the_trace_never_checks_are_no_elimination():
    trace = "42/6 = 7 boxes, all full; 4 and 8 do not divide 42.\n#### 6"
    assert elimination(
        QUESTION, "[N]/[N] = [N] boxes, all full; 4 and 8 do not divide 42.\n#### [N]", "6", trace
    )
    short = "42/6 = 7 boxes, all full, 4 does not divide 42.\n#### 6"  # 8 never named: no checked list
    assert (
        elimination(QUESTION, "[N]/[N] = [N] boxes, all full, 4 does not divide 42.\n#### [N]", "6", short)
        == []
    )


def test_mask_hides_another_option_so_two_stay_open():
    r = mask_text("math", TRACE, question=QUESTION, answer="6", level="critical")
    assert r.leak is None and elimination(QUESTION, r.text, "6", TRACE) == []
    assert "6" not in r.text.replace("[NUMBER]", "")
    assert sum(bool(_mentions(r.text, o)) for o in ("4", "8")) <= 1, r.text  # two options stay open


def test_the_checker_reads_the_same_route():
    template = (
        "With boxes of 4, ⟦42|NUMBER⟧/4 = ⟦10.5|NUMBER⟧ boxes, not whole. With boxes of ⟦6|NUMBER⟧, "
        "⟦42|NUMBER⟧/⟦6|NUMBER⟧ = ⟦7|NUMBER⟧ boxes, all full. With boxes of 8, ⟦42|NUMBER⟧/8 = "
        "⟦5.25|NUMBER⟧ boxes, not whole. So she should choose boxes of ⟦6|NUMBER⟧.\n#### ⟦6|NUMBER⟧"
    )
    assert "elimination" in checker_leaks("choice", QUESTION, template, "6")
    clean = template.replace(
        "With boxes of 8, ⟦42|NUMBER⟧/8", "With boxes of ⟦8|NUMBER⟧, ⟦42|NUMBER⟧/⟦8|NUMBER⟧"
    )
    assert "elimination" not in checker_leaks("choice_clean", QUESTION, clean, "6")
    asks_amount = QUESTION.replace("Which box size should she choose?", "How many muffins fit in 7 boxes?")
    assert "elimination" not in checker_leaks("choice_amount", asks_amount, template, "6")
