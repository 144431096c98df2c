"""A common-noun answer's other name (issue 11, round 20's Search-R1 row 1): the gold "sinoatrial (SA)
node" is written "The sinoatrial node (SA node), also known as sinus node, is ...". The masker hid "node"
and left "sinus [ENTITY]"; a reader completes it. Both the masker's alias reading (shared with the
verifier's ``alias`` attack) and the acceptance script's own rule now take the lower-case name up to the
answer's head noun, after the answer in any of its forms and after a parenthesis. Built here."""

from __future__ import annotations

from smepo_data._model import Example
from smepo_data.search._aliases import find_aliases
from smepo_data.search.answers import answers_json

from .test_search_attacks import _search_acceptance
from .test_search_masker import _critical

QUESTION = "the lungs take in oxygen through tiny sacs called what?"
TRACE = (
    '<information> Doc 1(Title: "Pulmonary alveolus") The pulmonary alveolus (PA sac), also known as air '
    "sac, is a hollow cavity in the lung. Each air sac sits at the end of a bronchiole, beside the "
    "alveolar duct. </information>\n<answer> pulmonary (PA) sac </answer>"
)
GOLD = ["pulmonary (PA) sac"]


def test_the_other_name_is_read_up_to_the_head_noun():
    assert find_aliases(TRACE.replace("alveolus", "sac"), GOLD, QUESTION) == ["air sac"]
    # a capitalised name is read as before; a lower-case phrase without the head noun is no name
    assert find_aliases("The pulmonary sac, also known as a hollow cavity, sits here.", GOLD) == []


def test_the_masker_hides_it_whole():
    trace = TRACE.replace("alveolus", "sac")
    masked = _critical(QUESTION, trace, *GOLD)
    assert "air sac" not in masked and "air [" not in masked, masked
    assert "bronchiole" in masked


def test_the_acceptance_script_sees_its_words_left_beside_a_blank():
    acc = _search_acceptance()
    trace = TRACE.replace("alveolus", "sac")
    ex = Example("s", "search", QUESTION, trace, answers_json(GOLD))
    left = trace.replace("pulmonary sac", "[ENTITY]").replace("pulmonary (PA) sac", "[ENTITY]")
    assert acc.independent(ex, left.replace("air sac", "air [ENTITY]"), [])["alias"] == 2
    assert acc.independent(ex, left.replace("air sac", "[ENTITY]"), [])["alias"] == 0
