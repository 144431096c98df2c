"""For the count one, the noun it counts goes with it (issue 11, round 20's HotpotQA 5ac2ada5): "won
[ENTITY] award" left a singular "award" beside the blank, which fixes the count at one. The masker widens
the answer's mention over that noun; the acceptance script's own ``agreement`` check counts a hidden "one"
whose noun stays visible. Built here."""

from __future__ import annotations

from smepo_data._model import Example
from smepo_data.search.answers import answers_json

from .test_search_attacks import _search_acceptance
from .test_search_masker import _critical

QUESTION = "How many Grammy awards did the singer of Blue Harbour win in 2009?"
TRACE = (
    "Wikipedia Title: Blue Harbour\nBlue Harbour is a song by Mara Lind.\n\n"
    "Wikipedia Title: Mara Lind\nAt the 2009 Grammy Awards, Mara Lind won one award for the song.\n\n"
    "Q: How many Grammy awards did the singer of Blue Harbour win in 2009?\n"
    "A: Blue Harbour is by Mara Lind. In 2009 she won one award. So the answer is: one."
)


def test_the_masker_hides_the_noun_the_count_one_counts():
    masked = _critical(QUESTION, TRACE, "one")
    assert "] award" not in masked and "won [ENTITY] for the song" in masked, masked
    # "one of the", "one in": no noun the count counts, the word stays
    kept = _critical(QUESTION, TRACE.replace("won one award", "was one of the winners"), "one")
    assert "of the winners" in kept


def test_the_acceptance_script_counts_a_noun_left_beside_a_hidden_one():
    acc = _search_acceptance()
    ex = Example("o", "search", QUESTION, TRACE, answers_json(["one"]))
    ones = [(i, i + 3) for i in range(len(TRACE)) if TRACE.startswith("one", i) and TRACE[i + 3] in " ."]
    assert acc.singular_beside_one(ex, ones) == 2  # "one award" twice
    whole = [(a, b + 6 if TRACE.startswith(" award", b) else b) for a, b in ones]
    assert acc.singular_beside_one(ex, whole) == 0
    other = Example("t", "search", QUESTION, TRACE, answers_json(["two"]))
    assert acc.singular_beside_one(other, ones) == 0


def test_a_modal_or_more_after_one_is_no_noun_it_counts():
    # review of 6625bfc: "one can hear" lost its "can", and the two tools' word lists differed
    trace = TRACE.replace("In 2009 she won one award.", "In 2009 one can hear that she won one award.")
    masked = _critical(QUESTION, trace, "one")
    assert "] can hear" in masked, masked
    acc = _search_acceptance()
    ex = Example("m", "search", QUESTION, trace, answers_json(["one"]))
    ones = [(i, i + 3) for i in range(len(trace)) if trace.startswith(" one ", i - 1)]
    assert acc.singular_beside_one(ex, ones) == 2  # the two "one award", not "one can"
