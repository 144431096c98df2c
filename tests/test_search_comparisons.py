"""Two-option comparisons decided from what the masked trace still shows.

* A verdict by elimination: "Which documentary is about Finnish rock groups, Adam Clayton Powell or The
  Saimaa Gesture?" with both options hidden still leaked through the ReAct thought "[ENTITY] (film) is a
  documentary about an African-American politician, not Finnish rock groups. So the documentary about
  Finnish rock groups must instead be [ENTITY]": a blind reader ruled out the first option and named the
  second (rounds 12, 20 and 23 of benchmarks/results/issue11_blind_readings.md).
* A comparison by count: "Which of Jonny Craig and Pete Doherty has been a member of more bands?" with the
  band lists visible, and "Does The Border Surrender or Unsane have more members?" with four placeholders
  in a row and "a noise rock trio": a reader counts (rounds 21 and 23).

The masker hides the verdict and what is counted, the verifier's ``elimination`` attack finds either left
visible, and the acceptance script's own ``verdict`` and ``countable`` rules agree.
"""

from __future__ import annotations

import pytest

from smepo_data import Example, mask_example
from smepo_data._render import render
from smepo_data.search._reader import (
    comparison,
    counted_noun,
    enumerations,
    kind_mentions,
    option_kinds,
    ruled_out,
)
from smepo_data.search.answers import answers_json

from .test_search_attacks import MASKER, _search_acceptance, attacks, hide, row

FINNISH = "Finnish rock groups"
OPTIONS = ("Arthur's Magazine", "First for Women")


@pytest.mark.parametrize("level", ["answer", "critical", "entities"])
def test_the_react_elimination_sentence_is_hidden_at_every_level(level):
    ex = row("react", FINNISH)
    result = mask_example(ex, level)
    assert result.leak is None
    thought = result.text[result.text.index("Thought 3:") :].split("\n", 1)[0]
    assert "not Finnish" not in thought and "instead" not in thought
    assert thought.endswith("must [ENTITY] be [ENTITY].")
    # the plan stays: the question's words in the first thought and the restated goal
    assert "find which documentary is about Finnish rock groups" in result.text
    assert "So the documentary about Finnish rock groups must" in thought
    verdicts = [s for s in result.spans if "rules an option out" in s.reason]
    assert sorted(ex.trace[s.start : s.end] for s in verdicts) == ["instead", "not Finnish rock groups"]


def test_the_elimination_attack_finds_a_verdict_left_visible():
    ex = row("react", FINNISH)
    spans = MASKER.find_spans(ex, "answer")
    options = [s for s in spans if "rules an option out" not in s.reason]
    assert len(options) == len(spans) - 2
    found = attacks(ex, render(ex.trace, options))
    assert sorted(found["elimination"]) == ["instead", "not Finnish rock groups"]
    assert attacks(ex, render(ex.trace, spans)) == {}


THOUGHTS = {  # a thought of react-2 written other ways -> what rules an option out
    "[A] (film) isn't about Finnish rock groups.": ["isn't about Finnish rock groups"],
    "[A] (film) isn\u2019t about Finnish rock groups.": ["isn\u2019t about Finnish rock groups"],
    "[A] (film) has nothing to do with Finnish rock groups.": ["nothing to do with Finnish rock groups"],
    "Finnish rock groups are never its subject.": ["Finnish rock groups are never"],
    "It is about a politician rather than Finnish rock groups.": ["rather than Finnish rock groups"],
    "So the answer is the second option, [B].": ["second"],
    "It is not the one. So it must be the other, [B].": ["other"],
    "That eliminates [A], leaving [B] as the one about Finnish rock groups.": ["eliminates", "leaving"],
    # plan: no verdict
    "I could not find the documentary page, so I can search [A] (film) instead.": [],
    "I do not yet know which documentary is about Finnish rock groups; I will search both.": [],
    "I need to read the other document about [A] first.": [],
}


@pytest.mark.parametrize("thought", list(THOUGHTS))
def test_verdicts_in_other_words_and_plan_that_is_none(thought):
    ex = row("react", FINNISH)
    names = {"[A]": "Adam Clayton Powell", "[B]": "The Saimaa Gesture"}
    plain = thought
    for k, v in names.items():
        plain = plain.replace(k, v)
    trace = f"Thought 1: {plain}\nAction 1: Finish[The Saimaa Gesture]"
    options = ("Adam Clayton Powell", "The Saimaa Gesture")
    assert [trace[a:b] for a, b in ruled_out(trace, ex.question, options)] == THOUGHTS[thought]
    case = Example("v", "search", ex.question, trace, ex.answer)
    result = mask_example(case, "critical")
    assert result.leak is None
    for words in THOUGHTS[thought]:
        assert words not in result.text
    acc = _search_acceptance()
    assert acc.verdicts_visible(ex.question, ["The Saimaa Gesture"], result.text) == 0
    masked_options = thought.replace("[A]", "[ENTITY]").replace("[B]", "[ENTITY]")
    shown = f"Thought 1: {masked_options}\nAction 1: Finish[[ENTITY]]"
    assert bool(acc.verdicts_visible(ex.question, ["The Saimaa Gesture"], shown)) == bool(THOUGHTS[thought])
    if not THOUGHTS[thought]:  # nothing hidden but the options
        assert result.text.startswith(f"Thought 1: {masked_options}\n")


def _comparison(trace: str) -> Example:
    question = "Which magazine was started first, Arthur's Magazine or First for Women?"
    return Example("c", "search", question, trace, answers_json(["Arthur's Magazine"]))


def test_verdicts_in_think_blocks_and_chains_of_thought():
    trace = (
        "<think> I need both dates. </think>\n<search> Arthur's Magazine </search>\n"
        "<information> Doc 1(Title: \"Arthur's Magazine\") Arthur's Magazine was an American literary "
        "periodical published in Philadelphia from 1844. </information>\n"
        "<think> First for Women was not started first, it began in 1989; the latter is younger. </think>\n"
        "<answer> Arthur's Magazine </answer>"
    )
    ex = _comparison(trace)
    assert [trace[a:b] for a, b in ruled_out(trace, ex.question, OPTIONS)] == ["not started first", "latter"]
    text = mask_example(ex, "critical").text
    assert "not started first" not in text and "latter" not in text
    assert "I need both dates." in text  # reasoning without a verdict is plan


def test_no_verdict_without_the_question_words_or_outside_comparisons():
    trace = (
        "Thought 1: I do not know which one, so I will search both.\n"
        "Action 1: Search[Arthur's Magazine]\nObservation 1: Arthur's Magazine was not started in 1850.\n"
        "Thought 2: It was not started first? I do not know yet.\nAction 2: Finish[Arthur's Magazine]"
    )
    ex = _comparison(trace)
    # a denial that reaches no word of the question in its clause is no verdict, and retrieved text
    # states facts: only "not started first" of the second thought is one
    assert [trace[a:b] for a, b in ruled_out(trace, ex.question, OPTIONS)] == ["not started first"]
    when = trace.replace("Finish[Arthur's Magazine]", "Finish[1844]")
    plain = Example("p", "search", "When was Arthur's Magazine started first?", when, answers_json(["1844"]))
    assert all("rules an option out" not in s.reason for s in mask_example(plain, "critical").spans)


def test_the_acceptance_script_finds_a_verdict_by_itself():
    acc = _search_acceptance()
    ex = row("react", FINNISH)
    golds = ["The Saimaa Gesture"]
    assert acc.verdicts_visible(ex.question, golds, ex.trace) == 2
    masked = hide(ex.trace, ["Adam Clayton Powell", "The Saimaa Gesture"])
    assert acc.verdicts_visible(ex.question, golds, masked) == 2
    assert acc.verdicts_visible(ex.question, golds, mask_example(ex, "critical").text) == 0
    assert acc.independent(ex, masked, [])["verdict"] == 2
    # "Thought [NUMBER]:" of the reference-style masking is still a thought
    assert acc.verdicts_visible(ex.question, golds, ex.trace.replace("Thought 3", "Thought [NUMBER]")) == 2
    assert acc.verdicts_visible("Who wrote Hamlet?", ["Shakespeare"], ex.trace) == 0


BANDS = "Jonny Craig and Pete Doherty"
MEMBERS = "The Border Surrender or Unsane"


@pytest.mark.parametrize("level", ["answer", "critical", "entities"])
def test_what_a_count_comparison_counts_is_hidden_whole(level):
    craig = mask_example(row("hotpotqa", BANDS), level)
    assert craig.leak is None
    # the noun right before its list goes with it: "bands" against "band" would tell the count
    assert "lead vocalist for the [ENTITY]." in craig.text
    assert "Emarosa" not in craig.text and "Babyshambles" not in craig.text
    assert "His other musical projects are indie [ENTITY]." in craig.text
    assert all(not s.reason.startswith("audit") for s in craig.spans)  # the masker's, not a repair
    border = mask_example(row("ircot", MEMBERS), level)
    assert border.leak is None
    assert "has following [ENTITY]. That is" in border.text  # not four placeholders to count
    assert "trio" not in border.text and "The band [ENTITY]." in border.text  # "members are": the plural


def test_the_elimination_attack_counts_lists_and_group_sizes():
    ex = row("ircot", MEMBERS)
    spans = [s for s in MASKER.find_spans(ex, "critical") if "comparison by count" not in s.reason]
    found = attacks(ex, render(ex.trace, spans))["elimination"]
    assert "trio" in found and "members: Keith Austin, Simon Shields, Johnny Manning and Mark Austin" in found
    assert attacks(ex, render(ex.trace, MASKER.find_spans(ex, "critical"))) == {}


def test_the_counted_noun_and_what_is_a_list():
    assert counted_noun("Which of A and B has been a member of more bands ?") == "band(?:s|es)?"
    assert counted_noun("Who has won more Grammy awards, A or B?") == "award(?:s|es)?"
    assert counted_noun("Who has more Grand Slam titles, A or B?") == "title(?:s|es)?"
    assert counted_noun("Which has more churches, A or B?") == "church(?:s|es)?"
    assert counted_noun("Who has more children, A or B?") == "(?:child|children)"
    assert counted_noun("Which city is more populous, A or B?") is None
    assert counted_noun("Which more closely resembles a fox, A or B?") is None
    assert counted_noun("Is Velvetpark or Shape magazine written more for a lesbian readership?") is None
    members = counted_noun("Does A or B have more members?")
    assert members is not None

    def lists(text: str) -> list[str]:
        return [text[a:b] for a, b in enumerations(text, members, [(0, len(text))])]

    assert lists(
        "The band members, who met at school, formed the band in 1990. "
        "The members are A (vocals, guitar and bass), B (drums) and C. It has 3 members."
    ) == ["members are A (vocals, guitar and bass), B (drums) and C"]
    # a reader counts placeholders too
    blanks = "The band has following members: [ENTITY], [ENTITY] and [ENTITY]. It has [NUMBER] members."
    assert lists(blanks) == ["members: [ENTITY], [ENTITY] and [ENTITY]"]  # the noun before it too
    # a count before the noun goes with it, and a noun the list follows after "are" or a no-break space
    assert lists("He sang for the four members Ann Lee, Bo Chan, Cy Dunn and Di Eyre.") == [
        "four members Ann Lee, Bo Chan, Cy Dunn and Di Eyre"
    ]
    assert lists("The members\xa0Ann Lee, Bo Chan and Cy Dunn sang.") == [
        "members\xa0Ann Lee, Bo Chan and Cy Dunn sang"
    ]
    # names with commas alone; the list in the next sentence; a list ends at ";" and at a bracket it did
    # not open
    assert lists("The members are Keith Austin, Simon Shields, Johnny Manning, Mark Austin.") == [
        "members are Keith Austin, Simon Shields, Johnny Manning, Mark Austin"
    ]
    assert lists("It has several members. These include Keith Austin, Simon Shields and Mark Austin.") == [
        "Keith Austin, Simon Shields and Mark Austin"
    ]
    assert lists("Its members are Keith and Simon; he was born in Canada, raised in Victoria and Perth.") == [
        "members are Keith and Simon"
    ]
    assert lists("The Border Surrender (whose members are Keith, Simon and Mark) formed in London.") == [
        "members are Keith, Simon and Mark"
    ]
    # no list of members: a clause that goes on, places toured, relatives
    assert lists("The members toured Canada, Mexico and Japan.") == []
    assert lists("The members, who met at school, formed a band with his brother and sister.") == []


def test_a_group_size_the_question_says_is_no_count():
    ex = row("ircot", MEMBERS)
    question = "Which trio has more members, The Border Surrender or Unsane?"
    trio = Example("t", "search", question, ex.trace, ex.answer)
    text = mask_example(trio, "critical").text
    assert "noise rock trio" in text


def test_the_acceptance_script_counts_by_itself():
    acc = _search_acceptance()
    for part, gold in ((BANDS, "Jonny Craig"), (MEMBERS, "The Border Surrender")):
        ex = row("hotpotqa" if part == BANDS else "ircot", part)
        plain = hide(ex.trace, [gold])
        assert acc.counts_visible(ex.question, [gold], plain) >= 2
        assert acc.counts_visible(ex.question, [gold], mask_example(ex, "critical").text) == 0
    assert acc.counts_visible("Who wrote Hamlet?", ["Shakespeare"], "the bands A, B and C") == 0


NORTH = (
    "<think> I need information about Pizza Inn. </think>\n<search> Pizza Inn </search>\n"
    '<information> Doc 1(Title: "Pizza Inn") Pizza Inn is an American restaurant chain. The company is based '
    "in the Dallas suburb of The Colony, Texas. </information>\n"
    "<think> I need information about Papa Gino's. </think>\n<search> Papa Gino's </search>\n"
    "<information> Doc 1(Title: \"Papa Gino's\") Papa Gino's, Inc. is a restaurant chain based in Dedham, "
    "Massachusetts. </information>\n<answer> Papa Gino's </answer>"
)


@pytest.mark.parametrize(
    "question",
    [
        "Which restaurant chain's headquarters is further north, Pizza Inn or Papa Gino's?",
        "Which restaurant chain is based in Massachusetts, Pizza Inn or Papa Gino's?",
    ],
)
def test_a_comparison_by_place_hides_the_places(question):
    # round 24: "based in Dedham, Massachusetts" against "The Colony, Texas" told which is further north
    ex = Example("p", "search", question, NORTH, answers_json(["Papa Gino's"]))
    result = mask_example(ex, "critical")
    assert result.leak is None
    for place in ("Dallas", "Colony", "Texas", "Dedham", "Massachusetts"):
        assert place not in result.text
    assert "is a restaurant chain based in [ENTITY], [ENTITY]." in result.text  # the plan's words stay
    acc = _search_acceptance()
    assert acc.places_visible(question, ["Papa Gino's"], NORTH) == 2  # Texas, Massachusetts
    assert acc.places_visible(question, ["Papa Gino's"], result.text) == 0


def test_places_stay_when_the_comparison_is_not_by_place():
    text = mask_example(row("react", "Arthur's Magazine"), "critical").text
    assert "published in Philadelphia" in text


@pytest.mark.parametrize(
    "question",
    [
        "Which restaurant chain was founded in an earlier year, Pizza Inn or Papa Gino's?",
        "Which restaurant chain was founded in the 1950s, Pizza Inn or Papa Gino's?",
        "Which restaurant chain serves more Western dishes, Pizza Inn or Papa Gino's?",
        "Which restaurant chain is closer to Christmas sales, Pizza Inn or Papa Gino's?",
    ],
)
def test_a_comparison_not_by_place_keeps_the_places(question):
    # the review of 88a528c: "in" before a lower-case word or a number, "Western", "closer to" are no place
    text = mask_example(
        Example("n", "search", question, NORTH, answers_json(["Papa Gino's"])), "critical"
    ).text
    assert "Dedham" in text and "Texas" in text
    assert _search_acceptance().places_visible(question, ["Papa Gino's"], text) == 0


def test_the_acceptance_place_rule_reads_places_where_a_place_stands():
    acc = _search_acceptance()
    question = "Which restaurant chain's headquarters is further north, Pizza Inn or Papa Gino's?"
    gold = ["Papa Gino's"]
    assert acc.places_visible(question, gold, "The Washington Post and Virginia Woolf, in New England") == 0
    assert acc.places_visible(question, gold, "BOSTON, MASSACHUSETTS") == 1
    assert (
        acc.places_visible("Which band is based in India, Indiana Jones or Lagaan?", ["Lagaan"], "in India")
        == 1
    )


FILMS = (
    "<think> I need information about The Guest. </think>\n<search> The Guest </search>\n"
    '<information> Doc 1(Title: "The Guest (film)") The Guest is a 2014 American thriller film directed by '
    "Adam Wingard, who previously collaborated with Simon Barrett on a previous film, You're Next. "
    "</information>\n<think> I need information about You're Next. </think>\n<search> You're Next </search>\n"
    "<information> Doc 1(Title: \"You're Next\") You're Next is a slasher film directed by Adam Wingard. "
    "He later directed other films. </information>\n<answer> You're Next </answer>"
)


def test_a_comparison_by_time_hides_words_of_order_beside_an_option():
    # round 24: "previously collaborated on a previous film, [ENTITY]" told which came first
    question = "Which movie was filmed first, The Guest or You're Next?"
    ex = Example("o", "search", question, FILMS, answers_json(["You're Next"]))
    critical = mask_example(ex, "critical").text
    assert "previous" not in critical
    assert "He later directed other films." in critical  # no option in that sentence
    assert "who [ENTITY] collaborated with Simon Barrett on a [ENTITY] film" in critical
    assert "previously collaborated" in mask_example(ex, "answer").text  # a deciding fact: critical's
    acc = _search_acceptance()
    options = hide(FILMS, ["The Guest", "You're Next"])
    assert acc.order_visible(question, ["You're Next"], options) == 1  # one sentence
    assert acc.order_visible(question, ["You're Next"], critical) == 0
    # a comparison of ages: a career's "previously" tells no birth
    older = Example(
        "a", "search", "Who is older, The Guest or You're Next?", FILMS, answers_json(["You're Next"])
    )
    assert "previously collaborated" in mask_example(older, "critical").text


MAGAZINES = (
    "<think> I need information about Velvetpark. </think>\n<search> Velvetpark </search>\n"
    '<information> Doc 1(Title: "Velvetpark") Velvetpark: Dyke Culture in Bloom is a lesbian and feminist '
    "arts and culture website for lesbians and queer-identified women. </information>\n"
    "<think> I need information about Shape (magazine). </think>\n<search> Shape (magazine) </search>\n"
    '<information> Doc 1(Title: "Shape (magazine)") Shape is a monthly English language fitness magazine '
    "started in 1981. </information>\n<answer> Velvetpark </answer>"
)


@pytest.mark.parametrize("level", ["answer", "critical", "entities"])
def test_a_kind_the_question_gives_one_option_is_hidden_in_its_titles(level):
    # round 52 (and 24, 44): "[ENTITY] (magazine)" is the question's "Shape magazine", so the other
    # hidden option is the answer
    question = "Is Velvetpark or Shape magazine written more for a lesbian and queer-identified readership?"
    ex = Example("m", "search", question, MAGAZINES, answers_json(["Velvetpark"]))
    result = mask_example(ex, level)
    assert result.leak is None
    assert "(magazine)" not in result.text
    assert result.text.count("[ENTITY] ([ENTITY])") == 3  # the thought, the query and the title
    assert "fitness magazine" in result.text  # the document's own words stay
    options = hide(MAGAZINES, ["Velvetpark", "Shape"])
    assert set(attacks(ex, options)["elimination"]) == {"magazine"}
    acc = _search_acceptance()
    assert acc.option_tags_visible(question, ["Velvetpark"], options) == 3
    assert acc.option_tags_visible(question, ["Velvetpark"], result.text) == 0


@pytest.mark.parametrize(
    "question",
    [
        "Which was started first, Velvetpark or Shape?",  # no kind given
        "Which magazine was started first, Velvetpark or Shape magazine?",  # the question calls both one
        "Which magazine, Velvetpark or Shape, was started first?",
        "Did Velvetpark or Shape show more queer artists?",  # a verb after the option, no kind
    ],
)
def test_a_title_keeps_its_kind_where_the_question_gives_no_option_alone_one(question):
    ex = Example("m", "search", question, MAGAZINES, answers_json(["Velvetpark"]))
    assert "[ENTITY] (magazine)" in mask_example(ex, "critical").text
    assert _search_acceptance().option_tags_visible(question, ["Velvetpark"], hide(MAGAZINES, ["Shape"])) == 0


QUERIES = (  # the kind beside the option outside a title: the question's words copied into a query
    "Thought 1: I need to search Velvetpark and Shape magazine.\nAction 1: Search[Shape magazine]\n"
    "Observation 1: Shape is a monthly fitness magazine.\nAction 2: Search[Shape (magazine, 1981)]\n"
    "Observation 2: Shape (magazine) is published by Weider.\nAction 3: Finish[Velvetpark]"
)


def test_a_kind_beside_a_hidden_option_is_hidden_outside_titles_too():
    question = "Is Velvetpark or Shape (magazine) written more for a lesbian and queer-identified readership?"
    ex = Example("q", "search", question, QUERIES, answers_json(["Velvetpark"]))
    text = mask_example(ex, "critical").text
    assert "Search[[ENTITY]]" in text  # "Shape magazine" as one name
    assert "[ENTITY] ([ENTITY], 1981)" in text and "[ENTITY] ([ENTITY]) is published" in text
    assert "a monthly fitness magazine" in text  # a document's own words (a reader may still match them)
    options = hide(QUERIES, ["Shape"])
    assert attacks(ex, options)["elimination"].count("magazine") >= 3
    acc = _search_acceptance()
    assert acc.option_tags_visible(question, ["Velvetpark"], options) == 4
    assert acc.option_tags_visible(question, ["Velvetpark"], text) == 0


KIND_FORMS = [  # (question, masked text, times the kind tells the hidden options apart)
    ("Was the band Hole or Nirvana formed first?", "<search> the band [ENTITY] </search>", 1),
    ("Was the band Hole or Nirvana formed first?", 'I need the band "[ENTITY]" and [ENTITY].', 1),
    ("Is Velvetpark or Shape magazine for women?", '"[ENTITY]" magazine, *[ENTITY]* magazine', 2),
    ("Is Velvetpark or Shape\u00a0magazine for women?", "[ENTITY]\u00a0(magazine)", 1),
    ("Is Velvetpark or Shape magazine for women?", "[ENTITY]\u2019 (magazine, 1981)", 1),
    ("Is Velvetpark or Shape magazine for women?", "[ENTITY] (a US magazine since 1981)", 0),  # 5 words
    (
        "Is Velvetpark or Shape magazine for women?",
        "[Curve] magazine, Curve[a] magazine",
        0,
    ),  # no placeholder
    ("Is Velvetpark or Shape magazine for women?", "the [NUMBER] magazine awards", 0),  # a number's blank
    ("Is Velvetpark or Shape magazine older, and is Shape magazine in print?", "[ENTITY] magazine", 1),
    ("Which magazine is older, Velvetpark or Shape magazine?", "[ENTITY] magazine", 0),  # both are
]


@pytest.mark.parametrize(("question", "masked", "times"), KIND_FORMS)
def test_the_kind_reading_and_the_acceptance_check_agree(question, masked, times):
    # the second review of the kind rule: forms before the name, quotes and emphasis, a no-break space, the
    # words a disambiguation holds, brackets that are no placeholder, a number's blank
    gold = "Hole" if "Hole" in question else "Velvetpark"
    comp = comparison(question, [gold])
    kinds = option_kinds(comp, question)
    found = {span for i, o in enumerate(comp.options) for span in kind_mentions(masked, o, kinds[i])}
    assert len(found) == times
    assert all(masked[s:e].lower() in ("magazine", "band") for s, e in found)
    assert _search_acceptance().option_tags_visible(question, [gold], masked) == times


def test_the_acceptance_check_reads_hidden_options_from_the_spans():
    # on the trace with the spans, a kind beside another hidden name ("the bodybuilding magazine [ENTITY]") is
    # no finding; beside a hidden option it is
    question = "Is Velvetpark or Shape magazine written more for a lesbian and queer-identified readership?"
    trace = 'Shape (magazine) is a fitness magazine, like the bodybuilding magazine "Muscle & Fitness".'
    acc = _search_acceptance()
    other = [(trace.index("Muscle"), trace.index('".'))]
    shape = [(0, 5)]
    assert acc.option_tags_visible(question, ["Velvetpark"], "", trace, other) == 0
    assert acc.option_tags_visible(question, ["Velvetpark"], "", trace, shape + other) == 1
    assert acc.option_tags_visible(question, ["Velvetpark"], "", trace, [(0, 5), (7, 15), *other]) == 0
    masked = 'is a fitness magazine, like the bodybuilding magazine "[ENTITY]".'
    assert acc.option_tags_visible(question, ["Velvetpark"], masked) == 1  # the masked text alone: any name
