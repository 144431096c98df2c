"""Arithmetic a trace spells in words (issue 11, blind reading round 49: MATH-500 1184, "from the 27, we add
four to make [NUMBER], then multiply [NUMBER] by four to make [NUMBER], ..."): each blank is the result just
made, so a reader works the chain from its visible start. Read by the masker's attacks
(:mod:`smepo_data.math._worded`) and, with its own code, by the independent checker. The traces are built
here, in other numbers."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._worded import worded
from smepo_data.math.attacks import attacks

from .test_recover_check import as_record, rc, row

QUESTION = (
    "A sequence starts 1, 3, 9, 12, 36, ... Each term after the first is made by alternately adding and "
    "multiplying by 3, then by 4, then by 5, and so on. What is the first term greater than 500?"
)
TRACE = (
    "Going on from the 36, we add four to make 40, then multiply 40 by four to make 160, then add five to "
    "160 to make 165, then multiply it by five to get 825. Thus $\\boxed{825}$ is the first term greater "
    "than 500."
)
MASKED = (
    "Going on from the 36, we add four to make [NUMBER], then multiply [NUMBER] by four to make [NUMBER], "
    "then add five to [NUMBER] to make [NUMBER], then multiply it by five to get [NUMBER]. Thus "
    "$\\boxed{[NUMBER]}$ is the first term greater than 500."
)


def _worded(question: str, masked: str, answer: str) -> list[str]:
    return [f.detail for f in worded(question, masked, parse_gold(answer))]


def test_a_chain_in_words_from_a_visible_start():
    (found,) = _worded(QUESTION, MASKED, "825")
    assert found.startswith("'36, we add four to make") and found.endswith("gives the gold 825")
    # the start hidden: the reader reads it back from the question, and the chain gives nothing
    assert _worded(QUESTION, MASKED.replace("the 36", "the [NUMBER]"), "825") == []
    # an operand hidden cuts the chain there
    assert _worded(QUESTION, MASKED.replace("by four", "by [NUMBER]"), "825") == []


def test_a_visible_result_is_what_the_reader_takes():
    # 36 + 4 is 40, but the trace writes 41: the reader goes on from 41 (41 * 4 = 164, + 5 = 169, * 5 = 845)
    masked = MASKED.replace("four to make [NUMBER], then", "four to make 41, then", 1)
    assert _worded(QUESTION, masked, "825") == []
    assert _worded(QUESTION, masked, "845") != []


def test_unary_verbs_and_pronouns():
    question = "Ann has 7 marbles and plays three rounds of a game. How many marbles does she have now?"
    masked = "Start with 7 and double it to get [NUMBER], add 3 to make [NUMBER], triple that for [NUMBER]"
    assert _worded(question, masked, "51") != []
    assert _worded(question, masked.replace("Start with 7", "Start with [NUMBER]"), "51") == []


def test_steps_without_a_result_are_no_chain():
    question = "Solve $4p + 5 = 77$."
    masked = "Subtract 5 from both sides to get $4p = 72$. Divide both sides by 4 to get $p = [NUMBER]$."
    assert _worded(question, masked, "18") == []
    # far apart, in two paragraphs: two chains, the second with no start
    far = "We add four to make 40.\n\nLater, multiply [NUMBER] by four to make [NUMBER]."
    assert _worded("What is it?", far, "160") == []


def test_the_question_s_own_chain_is_the_task():
    masked = "Start with 36 and add four to make [NUMBER], then multiply [NUMBER] by four to get [NUMBER]."
    spelled = "Start with 36, add four, then multiply the result by four. What number do you get?"
    assert _worded(spelled, masked, "160") == []
    assert _worded("A machine takes 36 and works on it. What number does it print?", masked, "160") != []
    # the question spells other steps, or another start: the trace's chain is its own
    assert _worded(spelled.replace("by four", "by five"), masked, "160") != []
    assert _worded(spelled.replace("36", "35"), masked, "160") != []


def test_the_masker_cuts_the_chain():
    r = mask_text("math", TRACE, question=QUESTION, answer="825", level="critical")
    assert r.leak is None and r.level == "critical"
    assert "from the [NUMBER], we add four" in r.text, r.text  # the question's 36, read back from there
    assert attacks(QUESTION, r.text, "825") == []


def test_the_checker_reads_the_chain():
    rc._init_worker(8.0)
    template = (
        "Going on from the 36, we add four to make ⟦40|NUMBER⟧, then multiply ⟦40|NUMBER⟧ by four to make "
        "⟦160|NUMBER⟧, then add five to ⟦160|NUMBER⟧ to make ⟦165|NUMBER⟧, then multiply it by five to get "
        "⟦825|NUMBER⟧. Thus $\\boxed{⟦825|NUMBER⟧}$ is the first term greater than 500."
    )
    got = rc.check_row(as_record(row("worded", QUESTION, template, "825")))
    assert any("arithmetic in words" in x["detail"] for x in got["leaks"].get("replay", [])), got
    cut = rc.check_row(
        as_record(row("worded", QUESTION, template.replace("the 36", "the ⟦36|NUMBER⟧"), "825"))
    )
    assert cut["leaks"] == {}, cut


def test_every_form_of_the_unary_verbs():
    for verb, gold in (("double", 14), ("triple", 21), ("halve", "7/2"), ("square", 49)):
        for form in (
            verb,
            verb + "s",
            verb[:-1] + "ed" if verb.endswith("e") else verb + "ed",
            verb[:-1] + "ing",
        ):
            masked = f"We start at 7 and {form} it to get [NUMBER]."
            assert _worded("What is it?", masked, str(gold)) != [], form
            assert _worded("What is it?", masked, "1000") == [], form


def test_numerals_are_read_whole():
    # a thousands comma is one numeral; a fraction's numerator is no result
    assert _worded("Go.", "Multiply 250 by 4 to get 1,000, then add 500 to get [NUMBER].", "1500") != []
    assert _worded("Go.", "Multiply 250 by 4 to get 1,000, then add 500 to get [NUMBER].", "501") == []
    assert (
        _worded("Go.", "Start at 3 and multiply it by 4 to get 1/2 of it, then add 1 to get [NUMBER].", "2")
        == []
    )


def test_a_new_sentence_with_a_value_of_its_own_starts_a_new_chain():
    masked = "John adds 4 to 36 to make 40. Mary starts at 7 and doubles it to get [NUMBER]."
    assert _worded("Go.", masked, "14") != []
    assert _worded("Go.", masked, "80") == []
    # a blank before the step, in its sentence, is the start: unknown, whatever numeral stands before it
    assert _worded("Go.", "Going on from term 5, the [NUMBER], we add four to make [NUMBER].", "9") == []


def test_the_checker_reads_the_same_forms():
    rc._init_worker(8.0)

    def leaks(question: str, template: str, gold: str) -> bool:
        return "replay" in rc.check_row(as_record(row("worded", question, template, gold)))["leaks"]

    assert leaks("Go.", "We start at 7 and halving it to get ⟦3.5|NUMBER⟧.", "7/2")
    assert leaks("Go.", "Start with 5 and add 5 to that number to get ⟦10|NUMBER⟧.", "10")
    thousand = "Multiply 250 by 4 to get 1,000, then add 500 to get ⟦1500|NUMBER⟧."
    assert leaks("Go.", thousand, "1500") and not leaks("Go.", thousand, "501")
    two = "John adds 4 to 36 to make 40. Mary starts at 7 and doubles it to get ⟦14|NUMBER⟧."
    assert leaks("Go.", two, "14") and not leaks("Go.", two, "80")
    assert not leaks("Go.", "Going on from term 5, the ⟦4|NUMBER⟧, we add four to make ⟦8|NUMBER⟧.", "9")
    chain = (
        "Start with 36 and add four to make ⟦40|NUMBER⟧, then multiply ⟦40|NUMBER⟧ by four to get "
        "⟦160|NUMBER⟧."
    )
    assert not leaks("Start with 36, add four, then multiply the result by four. What number?", chain, "160")
    assert leaks("A machine takes 36. What does it print?", chain, "160")
    assert leaks("Start with 36, add four, then multiply the result by five. What number?", chain, "160")
    by = "Multiply 4 by 3 to get ⟦12|NUMBER⟧, then add 5 to get ⟦17|NUMBER⟧."
    assert not leaks("Multiply 4 by 3, then add 5. What do you get?", by, "17")
    on = "We add 4 to 36 to make ⟦40|NUMBER⟧. We take the ⟦40|NUMBER⟧ and double it to get ⟦80|NUMBER⟧."
    assert leaks("How many apples?", on, "80")


def test_odd_inputs_and_the_question_s_wordings():
    # a numeral too long to be a value, and a chain that squares past any value a reader works with
    big = "1" + "0" * 5000
    assert _worded("Go.", f"Start with 3 and add {big} to get [NUMBER].", "7") == []
    squares = "Start with 10 and square it to get [NUMBER]" + ", then square it to get [NUMBER]" * 30 + "."
    assert _worded("Go.", squares, "100") != [] and _worded("Go.", squares, "7") == []
    # the question's own chain, however it writes the start, and "multiply A by B" read as B
    masked = "Start with 36 and add four to make [NUMBER], then multiply [NUMBER] by four to get [NUMBER]."
    for start in ("36.", "thirty-six,"):
        question = f"Start with {start} Add four, then multiply the result by four. What number do you get?"
        assert _worded(question, masked, "160") == [], question
    by = "Multiply 4 by 3 to get [NUMBER], then add 5 to get [NUMBER]."
    assert _worded("Multiply 4 by 3, then add 5. What do you get?", by, "17") == []
    # "an additional four", "multiplication": no verb of the question's own steps
    extra = "Tom has 36 marbles. He gets an additional four, then the multiplication by four. How many?"
    assert _worded(extra, masked, "160") != []
    # a blank in the next sentence is the result just made: the chain goes on
    on = "We add 4 to 36 to make [NUMBER]. We take the [NUMBER] and double it to get [NUMBER]."
    assert _worded("How many apples?", on, "80") != []
    # two steps far apart in one paragraph are two chains
    far = "We add 4 to 36 to make [NUMBER]" + ", and so on" * 10 + ", then double it to get [NUMBER]."
    assert _worded("How many?", far, "80") == []
