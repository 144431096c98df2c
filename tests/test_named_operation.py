"""The trace names the step's operation where the question does not (issue 11, round 20's GSM8K 3484):
"every 2 seconds ... (multiples of 2)", "(multiples of 3)", "(multiples of 5)", then "the least common
multiple" gives 30 with the operands in view. The masker's attack finds it and the repair hides operands
until no lcm of what stays visible is the gold; the independent checker finds it with its own code.
Where the question names the operation, computing it is the task. Built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

QUESTION = (
    "Three lamps blink together at noon: one every 2 minutes, one every 3 minutes and one every 5 "
    "minutes. After how many minutes do they next blink together?"
)
TRACE = (
    "The first lamp blinks after 2, 4, 6, 8... minutes (multiples of 2)\n"
    "The second lamp blinks after 3, 6, 9... minutes (multiples of 3)\n"
    "The third lamp blinks after 5, 10, 15... minutes (multiples of 5)\n"
    "They next blink together after 30 minutes, the least common multiple of the three.\n#### 30"
)
GOLD = "30"
MASKED = TRACE.replace("30 minutes", "[NUMBER] minutes").replace("#### 30", "#### [NUMBER]")


def _named(question: str, masked: str, gold: str = GOLD) -> list:
    return [f for f in attacks(question, masked, gold) if "common multiple" in f.detail]


def test_the_attack_takes_the_lcm_of_the_visible_operands():
    found = _named(QUESTION, MASKED)
    assert found and found[0].attack == "replay", attacks(QUESTION, MASKED, GOLD)
    assert not _named(QUESTION, MASKED, "60")
    asked = QUESTION.replace(
        "After how many", "What is the least common multiple of their periods? After how many"
    )
    assert not _named(asked, MASKED)  # the question names it: computing it is the task


def test_the_masker_hides_operands_until_no_lcm_is_the_gold():
    r = mask_text("math", TRACE, question=QUESTION, answer=GOLD)
    assert r.leak is None
    assert "least common multiple" in r.text
    assert not _named(QUESTION, r.text)


def test_the_checker_finds_it_too():
    template = TRACE.replace("30 minutes", "⟦30|NUMBER⟧ minutes").replace("#### 30", "#### ⟦30|NUMBER⟧")
    assert "replay" in checker_leaks("lcm", QUESTION, template, GOLD)
    cut = template.replace("(multiples of 5)", "(multiples of ⟦5|NUMBER⟧)").replace(
        "after 5,", "after ⟦5|NUMBER⟧,"
    )
    assert "replay" not in checker_leaks("lcm", QUESTION, cut, GOLD)


def test_every_name_is_read_and_a_passing_mention_cuts_nothing():
    # review of 288ccb5: only the first name was read; a name in passing took every number before it
    passing = "We do not need a gcd here.\n\n" + MASKED
    assert _named(QUESTION, passing)
    template = "We do not need a gcd here.\n\n" + TRACE.replace("30 minutes", "⟦30|NUMBER⟧ minutes").replace(
        "#### 30", "#### ⟦30|NUMBER⟧"
    )
    assert "replay" in checker_leaks("lcm", QUESTION, template, GOLD)
    question = "Ann has 12 apples and 18 pears and packs them in bags of 2. How many bags of apples?"
    trace = "Apples: 12, pears: 18, so the HCF thinking is not needed. 12 / 2 = 6 bags.\n#### 6"
    masked = trace.replace("= 6 bags", "= [NUMBER] bags").replace("#### 6", "#### [NUMBER]")
    assert not [f for f in attacks(question, masked, "6") if "HCF" in f.detail]
    one = "The numbers 4 and 9 share no factor, so the greatest common divisor is 1.\n#### ⟦1|NUMBER⟧"
    assert "replay" not in checker_leaks("gcd1", "Lily has 4 red and 9 blue beads. How many?", one, "1")
