"""The search masker with the real spaCy pipeline (en_core_web_sm) on the bundled traces."""

from __future__ import annotations

import pytest

from smepo_data import Example, mask_example, render
from smepo_data._domains import find_preset
from smepo_data._model import Span
from smepo_data.io.readers import read_rows
from smepo_data.search._damage import spans_damage
from smepo_data.search.answers import answers_json
from smepo_data.search.masker import SearchMasker, _balanced
from smepo_data.search.verifier import SearchVerifier

from .conftest import SAMPLES

MASKER = SearchMasker()
FILES = {
    "react": "react_sample.jsonl",
    "ircot": "ircot_sample.jsonl",
    "searchr1": "searchr1_sample.jsonl",
    "hotpotqa": "hotpotqa_sample.jsonl",
}


def examples(name: str) -> list[Example]:
    return [
        find_preset(name).to_example(r.data, source=name, index=r.index)
        for r in read_rows(SAMPLES / FILES[name])
    ]


def test_the_statistical_pipeline_runs():
    doc = MASKER.nlp("John Lennon released Walls and Bridges on Apple Records in 1974.")
    assert {e.label_ for e in doc.ents} & {"PERSON", "ORG", "DATE"}


@pytest.mark.parametrize("name", list(FILES))
@pytest.mark.parametrize("level", ["answer", "critical", "entities"])
def test_no_leak_at_any_level(name, level):
    for ex in examples(name):
        r = mask_example(ex, level)
        assert r.leak is None, (ex.id, r.leak)
        assert render(ex.trace, r.spans) == r.text


def test_bridge_entity_hidden_also_inside_later_queries():
    (ex,) = [e for e in examples("react") if "Colorado orogeny" in e.question]
    text = mask_example(ex).text
    assert "Action 3: Search[[ENTITY]]" in text  # High Plains: learned in Observation 2, searched later
    assert "High Plains" not in text.split("Observation 2")[1]
    assert "Search[Colorado orogeny]" in text and "Lookup[eastern sector]" in text  # named by the question


def test_entities_the_question_names_stay_visible():
    for ex in examples("searchr1"):
        text = mask_example(ex).text
        if "paul walker" in ex.question.lower():
            assert "Paul Walker" in text


def test_answer_the_ner_misses_is_still_hidden_by_the_rules():
    trace = "<think> The shop is run by blorptastic qux. </think>\n<answer> blorptastic qux </answer>"
    ex = Example("x", "search", "Who runs the shop?", trace, answers_json(["Blorptastic Qux"]))
    assert mask_example(ex, "answer", placeholder="typed_answer").text == (
        "<think> The shop is run by [ANSWER]. </think>\n<answer> [ANSWER] </answer>"
    )


def test_aliases_case_articles_and_partial_mentions():
    trace = "Thought 1: THE city of light, i.e. the Paris's quarter, hosts it.\nAction 1: Finish[Paris]"
    ex = Example("x", "search", "Which city?", trace, answers_json(["Paris", "City of Light"]))
    assert mask_example(ex, "answer", placeholder="typed_answer").text == (
        "Thought 1: THE [ANSWER], i.e. the [ANSWER]'s quarter, hosts it.\nAction 1: Finish[[ANSWER]]"
    )


def test_levels_are_nested_on_real_traces():
    for ex in examples("ircot")[:5]:
        answer, critical, entities = (
            len(MASKER.find_spans(ex, lvl)) for lvl in ("answer", "critical", "entities")
        )
        assert answer <= critical <= entities


def test_the_audit_catches_an_unmasked_answer():
    ex = examples("hotpotqa")[0]
    assert SearchVerifier().leak(ex, ex.trace) is not None


def test_the_pipeline_parses_a_batch_with_nlp_pipe(tmp_path, monkeypatch):
    from smepo_data._domains import get_domain
    from smepo_data.pipeline import PipelineConfig, run

    masker = get_domain("search").masker
    calls = []
    pipe = masker.nlp.pipe
    monkeypatch.setattr(masker.nlp, "pipe", lambda texts, **kw: calls.append(len(texts)) or pipe(texts, **kw))
    called_directly = []
    monkeypatch.setattr(type(masker), "_doc", lambda self, t: called_directly.append(t) or self._docs[t])
    stats = run(
        PipelineConfig(
            inputs=[str(SAMPLES / FILES["hotpotqa"])],
            output=str(tmp_path / "o"),
            preset="hotpotqa",
            batch_size=8,
        )
    )
    assert stats.rows_out == 20 and calls == [8, 8, 4] and len(called_directly) >= 20


def test_a_span_never_swallows_a_quote_nor_merges_sentences():
    from smepo_data.search._damage import span_text_damage

    # HotpotQA 5adcdea8: '"Jerry" Orbach' was hidden in one span with its quotes ("[ENTITY] (")
    trace = (
        "<think> I need information about Jerry Orbach. </think>\n<search> Jerry Orbach </search>\n"
        '<information> Doc 1(Title: "Jerry Orbach") Jerome Bernard "Jerry" Orbach (October 20, 1935) was an '
        "American actor. He starred in Chinese Coffee. </information>\n<answer> Chinese Coffee </answer>"
    )
    ex = Example("q", "search", "What film did Ira Lewis write?", trace, answers_json(["Chinese Coffee"]))
    for level in ("answer", "critical", "entities"):
        spans = MASKER.find_spans(ex, level)
        assert not [trace[s.start : s.end] for s in spans if span_text_damage(trace, s.start, s.end)]
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    # the bridge's full given name goes with it (Jerome for Jerry), each piece on its side of the quotes
    assert 'Doc 1(Title: "[ENTITY]") [ENTITY] "[ENTITY]" [ENTITY] (' in masked
    # the audit's damage check names both kinds
    assert span_text_damage(trace, trace.index('"Jerry"'), trace.index(" (October")) == ["swallowed quote"]
    assert span_text_damage("an actor. He starred", 0, 20) == ["merged sentences"]
    assert span_text_damage("Muhammad Ali vs. Jimmy Ellis in St. Louis", 0, 41) == []


def test_a_span_never_takes_one_bracket_of_a_pair():
    from smepo_data.search._damage import span_text_damage

    # spaCy read "Straight No Chaser (" as the entity in a HotpotQA paragraph ("Straight No Chaser (SNC) is a
    # professional a cappella group"): the span took the "(" and left "[ENTITY]SNC)"
    trace = "Straight No Chaser (SNC) is a group. High Plains (United States) is a region. Oslo ( is. A"
    grown = _balanced(trace, Span(0, trace.index("SNC"), "entity", "why", "k"))
    assert trace[grown.start : grown.end] == "Straight No Chaser (SNC)"  # the bracket closes just after
    grown = _balanced(trace, Span(trace.index("High"), trace.index("States") + 6, "entity", "why", "k"))
    assert trace[grown.start : grown.end] == "High Plains (United States)"
    cut = _balanced(trace, Span(trace.index("Oslo"), trace.index(" is. A"), "entity", "why", "k"))
    assert trace[cut.start : cut.end] == "Oslo"  # no close in the sentence: the bracket stays in the text
    assert span_text_damage(trace, 0, trace.index("SNC")) == ["split brackets"]
    assert span_text_damage(trace, trace.index("SNC"), trace.index(" is")) == ["split brackets"]
    assert span_text_damage(trace, 0, trace.index(" is")) == []


def test_a_lower_case_article_stays_outside_the_placeholder():
    # the article of a title answer ("The Phantom Hour") went into the span where running text writes
    # "the" (as it did for spaCy's "the Ferrari 250 GTO", IRCoT 5ab2e6e5)
    trace = (
        "Q: Which film did Lee direct?\nA: Lee directed a film, the Phantom Hour. The Phantom Hour was "
        "released in 2016. So the answer is: The Phantom Hour."
    )
    ex = Example("f", "search", "Which film did Lee direct?", trace, answers_json(["The Phantom Hour"]))
    spans = MASKER.find_spans(ex, "critical")
    assert not [s for s in spans if trace[s.start : s.end].startswith(("the ", "a ", "an "))]
    assert "a film, the [ENTITY]. [ENTITY] was" in render(trace, spans)


def test_other_names_of_the_answer_are_hidden():
    # IRCoT 5ac52e1b: "Kampuchea" and the Khmer names stayed visible in the answer's own article
    trace = (
        "Wikipedia Title: Cambodia\nCambodia ( ; Khmer: \u1780\u1798\u17d2\u1796\u17bb\u1787\u17b6 , or "
        "Kampuchea ] ), officially known as the Kingdom of Cambodia, is a country. Kampuchea borders "
        "Thailand.\n\nQ: What is known as the Kingdom?\nA: Route 13 runs to Cambodia. "
        "So the answer is: Cambodia."
    )
    ex = Example("k", "search", "What is known as the Kingdom?", trace, answers_json(["Cambodia"]))
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert "Kampuchea" not in masked and "\u1780" not in masked
    assert SearchVerifier().attacks(ex, masked) == []
    # HotpotQA 5ac4db1d: the gold is the person's first names; the surname stayed beside the blank
    trace = (
        '<information> Doc 1(Title: "Lindemann") Frederick Alexander Lindemann, 1st Viscount Cherwell, '
        "was a British physicist. Frederick Lindemann advised Churchill. </information>\n"
        "<answer> Frederick Alexander </answer>"
    )
    ex = Example("f", "search", "Who was a British physicist?", trace, answers_json(["Frederick Alexander"]))
    masked = render(trace, MASKER.find_spans(ex, "answer"))
    assert "Lindemann," not in masked and "Frederick Lindemann" not in masked
    assert SearchVerifier().attacks(ex, masked) == []


def _critical(question: str, trace: str, *answers: str) -> str:
    ex = Example("c", "search", question, trace, answers_json(list(answers)))
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert SearchVerifier().attacks(ex, masked) == []
    return masked


def test_a_number_of_the_answer_is_hidden_wherever_it_stands():
    # the gold "after 685": its year left visible in a range of a neighbour's article, and the range's
    # other ends (next to a hidden 685 they tell it); a year that merely looks alike stays
    trace = (
        "Wikipedia Title: Offa of Kent\nOffa (died after 685) was King of Kent. He reigned from 676 to "
        "685 or 686, and his guard had 6850 men.\n\nWikipedia Title: Ealdred\nEaldred ruled until 685.\n\n"
        "Q: When did Offa die?\nA: Offa died after 685. So the answer is: after 685."
    )
    masked = _critical("When did Offa die?", trace, "after 685")
    assert "685" not in masked.replace("6850", "")
    assert "676" not in masked and "686" not in masked and "6850 men" in masked
    assert "ruled until [NUMBER]." in masked
    # a count in words or digits, thousands separators read either way
    trace = (
        '<information> Doc 1(Title: "Peak") The range rises from 1800 to 7,000 ft; the north ridge is '
        "seven thousand feet. </information>\n<answer> 1,800 to 7,000 ft </answer>"
    )
    masked = _critical("How high is the Peak range?", trace, "1,800 to 7,000 ft")
    assert "1800" not in masked and "7,000" not in masked
    # a number the question writes is no leak: it stays where it is not the answer
    trace = (
        '<information> Doc 1(Title: "Route 66") Route 66 opened in 1926. Interstate 66 is another road. '
        "</information>\n<answer> Route 66 </answer>"
    )
    masked = _critical("Which US highway numbered 66 opened in 1926?", trace, "Route 66")
    assert "Interstate 66" in masked and "Route 66" not in masked


def test_the_audit_reports_a_visible_number_of_the_answer():
    trace = (
        "Wikipedia Title: Offa\nOffa (died after 685) was king from 676 to 685.\n\nQ: When?\nA: after 685."
    )
    ex = Example("n", "search", "When did Offa die?", trace, answers_json(["after 685"]))
    masked = trace.replace("after 685", "[EXPR]")
    found = [f for f in SearchVerifier().attacks(ex, masked) if f.attack == "number"]
    assert [masked[f.start : f.end] for f in found] == ["676", "685"]
    assert not [f for f in SearchVerifier().attacks(ex, masked.replace("676 to 685", "[EXPR]"))]


def test_an_alias_after_pronunciation_junk_is_hidden():
    # HotpotQA 5ac3af89: the English name after what the corpus left of the Dutch pronunciation
    trace = (
        '<information> Doc 1(Title: "Stedelijk Museum Amsterdam") Stedelijk Museum Amsterdam '
        "(] ; Municipal Museum Amsterdam), colloquially known as the Stedelijk, is a museum in Amsterdam. "
        "</information>\n<answer> Stedelijk Museum Amsterdam </answer>"
    )
    masked = _critical("Which museum in Amsterdam?", trace, "Stedelijk Museum Amsterdam")
    assert "Municipal" not in masked and "Stedelijk" not in masked
    assert "(] ; [ENTITY])" in masked and "in Amsterdam." in masked
    for paren, alias in (
        ("/ˈfoʊ/, Foo City", "Foo City"),
        ("Dutch pronunciation: [ˈx]; English: City Museum", "City Museum"),
        ("listen ; Grand Hall", "Grand Hall"),
        ("BXM", "BXM"),
    ):
        trace = (
            f"Wikipedia Title: Bar Xeno Museum\nBar Xeno Museum ({paren}) is a museum. {alias} opened late."
            "\n\nQ: Which museum?\nA: So the answer is: Bar Xeno Museum."
        )
        masked = _critical("Which museum opened late?", trace, "Bar Xeno Museum")
        assert alias not in masked, paren
    # a disambiguation or a date in the parenthesis is no other name
    trace = (
        "Wikipedia Title: Daredevil (Marvel Comics)\nDaredevil (Marvel Comics; born 1964) is a hero of "
        "Marvel Comics.\n\nQ: Which hero?\nA: So the answer is: Daredevil."
    )
    assert "a hero of Marvel Comics" in _critical("Which hero?", trace, "Daredevil")


def test_facts_that_cannot_be_the_answer_stay_visible():
    # a century when the gold is a year; an idiom's "one" when the comparison is not by amount
    trace = (
        "Wikipedia Title: Edburga\nEdburga was a princess in the 8th century. Her father Centwine died in "
        "685.\n\nQ: What year did Edburga's father die?\nA: Her father is Centwine. Centwine died in 685. "
        "So the answer is: 685."
    )
    masked = _critical("What year did Edburga's father die?", trace, "685")
    assert "8th century" in masked and "685" not in masked
    trace = (
        '<information> Doc 1(Title: "Shape (magazine)") Shape became the number one women\'s fitness '
        'magazine. </information>\n<information> Doc 1(Title: "Velvetpark") Velvetpark is a lesbian '
        "culture website. </information>\n<answer> Velvetpark </answer>"
    )
    question = "Is Velvetpark or Shape magazine written more for a lesbian readership?"
    assert "number one" in _critical(question, trace, "Velvetpark")
    trace = (
        '<information> Doc 1(Title: "Alpha") Alpha has 12 members and one album. </information>\n'
        '<information> Doc 1(Title: "Beta") Beta has 5 members. </information>\n<answer> Alpha </answer>'
    )
    masked = _critical("Which band has more members, Alpha or Beta?", trace, "Alpha")
    assert "12" not in masked and "5 members" not in masked  # a comparison by amount hides its counts


def test_places_beside_the_asked_place_and_a_restated_nationality_stay_visible():
    # a yes / no question about where two companies are based: the places they are based in are hidden,
    # the country they work in is not
    trace = (
        '<information> Doc 1(Title: "Duke Energy") Duke Energy, headquartered in Charlotte, North Carolina, '
        "is a company in the United States, with assets also in Canada. </information>\n"
        '<information> Doc 1(Title: "AMG") AMG is a company headquartered in Massachusetts. </information>\n'
        "<answer> no </answer>"
    )
    masked = _critical("Are both Duke Energy and AMG based in Massachusetts?", trace, "no")
    assert "Charlotte" not in masked and "North Carolina" not in masked
    assert "United States" in masked and "Canada" in masked
    # a nationality that reasoning only restates is no bridge; when the question asks for a country it is
    trace = (
        "Thought 1: I need to search Powell (film).\nAction 1: Search[Powell (film)]\n"
        "Observation 1: Powell (film) is a 1989 American documentary film.\n"
        "Thought 2: Powell (film) is about an American politician, not Finnish rock. "
        "So the answer is Saimaa.\n"
        "Action 2: Finish[Saimaa]"
    )
    assert "1989 American documentary" in _critical(
        "Which documentary is about Finnish rock?", trace, "Saimaa"
    )
    trace = (
        "Wikipedia Title: Mack Rides\nMack Rides is a German company.\n\n"
        "Q: In what country was the ride made?\nA: The ride was made by Mack Rides. "
        "Mack Rides is a German company. So the answer is: Germany."
    )
    assert "German" not in _critical("In what country was the ride made?", trace, "Germany")


def test_a_title_the_question_names_with_accents_is_no_bridge():
    # HotpotQA 5adf9574: the supporting title "Sivarama Swami" is the question's "Śivarāma Swami"
    trace = (
        "<think> I need information about Sivarama Swami. </think>\n<search> Sivarama Swami </search>\n"
        '<information> Doc 1(Title: "Sivarama Swami") Śivarāma Swami teaches at Bhaktivedanta Manor. '
        "</information>\n<search> Bhaktivedanta Manor </search>\n"
        '<information> Doc 1(Title: "Bhaktivedanta Manor") Bhaktivedanta Manor is in Aldenham. '
        "</information>\n"
        "<answer> Aldenham </answer>"
    )
    ex = Example(
        "s",
        "search",
        "Where does Śivarāma Swami teach?",
        trace,
        answers_json(["Aldenham"]),
        {"bridge_titles": ["Sivarama Swami", "Bhaktivedanta Manor"]},
    )
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert "Sivarama Swami" in masked and "Śivarāma Swami" in masked
    assert "Bhaktivedanta" not in masked and "Aldenham" not in masked


def test_a_name_the_answer_is_built_from_is_hidden():
    # round 6's "Clayton Mark's ... community" gave Marktown: the name a place answer is made of (a
    # place ending put after it) is hidden where the trace writes it on its own; a shorter one is not
    trace = (
        '<information> Doc 1(Title: "Jonas Hale") Jonas Hale built Haleville, Hale\'s company town for the '
        "Hale Steel Works. </information>\n<search> Haleville </search>\n"
        '<information> Doc 1(Title: "Haleville") Haleville is a town near Oxbow. </information>\n'
        "<answer> Haleville </answer>"
    )
    masked = _critical("Which company town did the steel maker build?", trace, "Haleville")
    assert "Hale" not in masked.replace("Jonas Hale", "") and "Haleville" not in masked
    assert "[ENTITY]'s company town for the [ENTITY] Steel Works" in masked
    masked = _critical("Which town is on the river?", "Ox is a river. Oxford is on it.", "Oxford")
    assert "Ox is a river." in masked  # "Ox": under four letters, says nothing
    # a name nobody is called by in the trace: "the Prince of Wales" tells no "Princeton"
    trace = "<information> The Prince of Wales was at Princeton. </information>\n<answer> Princeton </answer>"
    assert "The Prince of Wales" in _critical("Where was he?", trace, "Princeton")


def test_initials_of_the_answer_are_hidden_in_capitals_only():
    trace = (
        '<information> Doc 1(Title: "Ann Reyes") Ann Reyes was the mayor of Santa Fe, N.M., and later of '
        "Taos, NM. She measured light at 500 nm. </information>\n<answer> New Mexico </answer>"
    )
    masked = _critical("In which state was Ann Reyes a mayor?", trace, "New Mexico")
    assert "N.M." not in masked and "NM." not in masked and "500 nm" in masked
    # the towns before the hidden state go too (place_chain): "Santa Fe, [ENTITY]" would tell New Mexico
    assert "mayor of [ENTITY], [ENTITY], and later of [ENTITY], [ENTITY]. She" in masked
    assert masked.count("[EXPR]") + masked.count("[ENTITY]") == 5


def test_an_answer_with_a_parenthesis_is_found_without_it():
    # Search-R1's gold "sinoatrial (SA) node": the trace writes "sinoatrial node" and "SA node"
    trace = (
        "<information> The atrioventricular node delays the signal; the AV node sits low in the atrium. "
        "</information>\n<answer> atrioventricular node </answer>"
    )
    masked = _critical("Which part of the heart delays the signal?", trace, "atrioventricular (AV) node")
    assert "atrioventricular" not in masked and "AV node" not in masked
    assert "sits low in the atrium" in masked


def test_the_stem_of_an_agent_noun_answer_is_hidden():
    # issue 11's pre-read of search rows (seeds 4711, 90210): "novelist" beside "the author of 20
    # novels", "singer" beside "singing"
    trace = (
        '<information> Doc 1(Title: "Ana Dorn") Ana Dorn is a Chilean painter and singer. </information>\n'
        '<information> Doc 1(Title: "Lee Moss") Lee Moss sang and paints; he took up painting and singing '
        "in 1990 and shows his paintings. He was a single father. </information>\n<answer> painter, singer "
        "</answer>"
    )
    masked = _critical("What occupations do Ana Dorn and Lee Moss share?", trace, "painter, singer")
    for word in ("painter", "paints", "painting", "singing", "paintings"):
        assert word not in masked, word
    assert "sang" in masked and "single father" in masked  # no stem of the answer: another word
    trace = "<information> Foster wrote more than 20 novels. </information>\n<answer> novelist </answer>"
    assert "20 [ENTITY]" in _critical("What is Foster's profession?", trace, "novelist")
    trace = "<information> Brie has butter, but not oil. </information>\n<answer> butter </answer>"
    assert ", but not oil" in _critical("What is Brie made with?", trace, "butter")  # no stem "but"


def test_date_and_number_words_without_a_value_stay_visible():
    # spaCy tags "annual", "This year", "monthly" DATE; for a "how many" question they tell no value
    trace = (
        "Wikipedia Title: Music Awards of 2012\nThe 40th Annual Music Awards is an annual ceremony. "
        "This year it had a new category. Ria won two of her five nominations.\n\n"
        "Q: How many awards did Ria win at the Music Awards of 2012?\nA: Ria won two awards. "
        "So the answer is: two."
    )
    masked = _critical("How many awards did Ria win at the Music Awards of 2012?", trace, "two")
    assert "Annual Music Awards is an annual ceremony. This year it had" in masked
    assert "two" not in masked.split("Q:")[0] and "five" not in masked


def test_a_word_of_a_title_disambiguation_is_no_bridge():
    # "The Visit (2015 American film)": "American" in the query's disambiguation is no hop
    trace = (
        '<information> Doc 1(Title: "Ed Ox") Ed Ox played Tyler in "The Visit". </information>\n'
        "<search> The Visit (2015 American film) </search>\n"
        '<information> Doc 1(Title: "The Visit (2015 American film)") The Visit is a 2015 American horror '
        "film directed by Night Shyamalan. </information>\n<answer> Night Shyamalan </answer>"
    )
    masked = _critical("Ed Ox plays Tyler in a film directed by whom?", trace, "Night Shyamalan")
    assert "a 2015 American horror film" in masked and "The Visit" not in masked


def test_a_bridge_title_escaped_as_html_and_a_bridge_with_a_middle_name_are_hidden():
    # HotpotQA writes titles escaped ("Of Mice &amp; Men (band)"); the text writes "Of Mice & Men"
    trace = (
        "<think> I need information about Glass Mist. </think>\n<search> Glass Mist </search>\n"
        '<information> Doc 1(Title: "Glass Mist") Glass Mist singer Jo Rand was in Of Mice & Men, and '
        "worked with Tricia Helfer. </information>\n"
        "<think> I need information about Of Mice &amp; Men (band). </think>\n"
        "<search> Of Mice &amp; Men (band) </search>\n"
        '<information> Doc 1(Title: "Of Mice &amp; Men (band)") Of Mice & Men is a band from Orange '
        "County, Ohio. Tricia Janine Helfer sang with them. </information>\n<answer> Ohio </answer>"
    )
    ex = Example(
        "h",
        "search",
        "In what state was the band of Jo Rand formed?",
        trace,
        answers_json(["Ohio"]),
        {"bridge_titles": ["Of Mice &amp; Men (band)", "Tricia Helfer"]},
    )
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert "Mice" not in masked and "Helfer" not in masked and "Tricia Janine" not in masked


def test_a_number_that_is_part_of_a_name_is_no_amount():
    # round 6: "Bataan 2" hidden as a count in a distractor of "which band has more members"
    trace = (
        "Wikipedia Title: Bataan 1 and Bataan 2\nBataan 1 and Bataan 2 were two aircraft that carried 8 men."
        "\n\nWikipedia Title: Alpha\nAlpha is a band of 4 members.\n\nWikipedia Title: Beta\nBeta is a band "
        "of 3 members. In 2009 it toured.\n\nQ: Which band has more members, Alpha or Beta?\nA: Alpha has 4 "
        "members. Beta has 3 members. So the answer is: Alpha."
    )
    masked = _critical("Which band has more members, Alpha or Beta?", trace, "Alpha")
    assert "Bataan 1 and Bataan 2 were" in masked
    assert "4 members" not in masked and "3 members" not in masked and "carried 8" not in masked


def test_a_case_whose_party_the_question_names_is_no_bridge():
    # round 6: a case-name title holding the question's entity hid it ("Rock Nominees Ltd v ISS UK Ltd")
    trace = (
        "<think> I need information about Rock Nominees Ltd v ISS UK Ltd </think>\n"
        "<search> Rock Nominees Ltd v ISS UK Ltd </search>\n"
        '<information> Doc 1(Title: "Rock Nominees Ltd v ISS UK Ltd") Rock Nominees Ltd held shares in '
        "Brent Walk plc, a cleaning firm. </information>\n<search> ISS A/S </search>\n"
        '<information> Doc 1(Title: "ISS A/S") ISS A/S offers cleaning services. </information>\n'
        "<answer> cleaning </answer>"
    )
    ex = Example(
        "v",
        "search",
        "Which service did Rock Nominees Ltd and ISS A/S have in common?",
        trace,
        answers_json(["cleaning"]),
        {"bridge_titles": ["Rock Nominees Ltd v ISS UK Ltd", "ISS A/S"]},
    )
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert masked.count("Rock Nominees Ltd v ISS UK Ltd") == 3 and "cleaning" not in masked


def test_calendar_dates_stay_visible_when_the_question_counts_things():
    # "How many episodes ...": "The Mayor (2017 film)" and "born 1 March 1990" tell no count; the count does
    trace = (
        "Wikipedia Title: The Mayor (2017 film)\nThe Mayor is a 2017 film. It was released on 26 April 2017."
        "\n\nWikipedia Title: Reply\nReply aired from 6 November 2015 to 16 January 2016 for 20 episodes."
        "\n\nQ: How many episodes were in Reply?\nA: Reply had 20 episodes. So the answer is: 20."
    )
    masked = _critical("How many episodes were in Reply?", trace, "20")
    assert "The Mayor (2017 film)\nThe Mayor is a 2017 film" in masked and "on 26 April 2017" in masked
    assert "20 episodes" not in masked
    # a count of time: the dates tell it, they stay hidden
    trace = (
        "Wikipedia Title: Reply\nReply aired from 2015 to 2016 and ran in 2016.\n\n"
        "Q: How many years did Reply air?\nA: Reply aired for 1 year. So the answer is: 1."
    )
    assert "2015" not in _critical("How many years did Reply air?", trace, "1")


def test_a_stray_quote_in_the_gold_leaves_one_placeholder_in_the_answer_slot():
    from smepo_data.search._damage import span_text_damage, stray_quotes
    from smepo_data.search.answers import parse_answers

    # HotpotQA 5adf2fa3: the source gold 'Jonny" Craig' has a stray quote; the slot was masked
    # '[ENTITY]" [ENTITY]', the shape of the document's 'Jonathan Monroe "[ENTITY]" [ENTITY]'
    trace = (
        "<think> I need information about Jonny Craig. </think>\n<search> Jonny Craig </search>\n"
        '<information> Doc 1(Title: "Jonny Craig") Jonathan Monroe "Jonny" Craig (born 1986) is a singer. '
        "</information>\n<think> I need information about Pete Doherty. </think>\n<search> Pete Doherty "
        '</search>\n<information> Doc 1(Title: "Pete Doherty") Peter Doherty (born 1979) is a musician. '
        '</information>\n<answer> Jonny" Craig </answer>'
    )
    question = "Which of Jonny Craig and Pete Doherty has been a member of more bands?"
    gold = answers_json(['Jonny" Craig'])
    assert parse_answers(gold) == ["Jonny Craig"]  # matched as its cleaned form
    assert parse_answers(answers_json(["sinoatrial (SA) node", '"Weird Al" Yankovic'])) == [
        "sinoatrial (SA) node",
        '"Weird Al" Yankovic',
    ]
    ex = Example("j", "search", question, trace, gold)
    for level in ("answer", "critical", "entities"):
        spans = MASKER.find_spans(ex, level)
        masked = render(trace, spans)
        assert masked.endswith("<answer> [ENTITY] </answer>"), masked
        assert '"[ENTITY]" [ENTITY] (born' in masked  # the real nickname's quotes stay
        assert not [trace[s.start : s.end] for s in spans if span_text_damage(trace, s.start, s.end)]
        assert SearchVerifier().attacks(ex, masked) == []
    slot = trace.rindex('Jonny" Craig')
    assert stray_quotes(trace) == {slot + 5}
    assert stray_quotes('He said "yes" and "no') == {18}
    assert stray_quotes("<search>\u201cFoo\u201d</search>") == set()


def test_other_names_given_by_otherwise_known_as_styled_and_titles_are_hidden():
    from smepo_data.search._aliases import find_aliases

    # IRCoT 5a86efe6: "otherwise known as Lord Clydesdale" after an appositive title, and the titles
    # themselves, stayed visible
    trace = (
        "Wikipedia Title: Wings Over Everest\nIt described the expedition, in which Douglas "
        "Douglas-Hamilton, "
        "14th Duke of Hamilton, otherwise known as Lord Clydesdale, piloted a biplane.\n\n"
        "Wikipedia Title: Douglas Douglas-Hamilton, 14th Duke of Hamilton\nAir Commodore Douglas "
        "Douglas-Hamilton, 14th Duke of Hamilton and 11th Duke of Brandon (3 February 1903 - 30 March 1973) "
        "was a Scottish nobleman. Lord Clydesdale flew over Everest.\n\n"
        "Q: What Scottish nobleman was the first man to fly over Mount Everest?\n"
        "A: The nobleman was Douglas Douglas-Hamilton. So the answer is: Douglas Douglas-Hamilton."
    )
    question = "What Scottish nobleman was the first man to fly over Mount Everest?"
    answers = ["Douglas Douglas-Hamilton"]
    assert find_aliases(trace, answers, question) == [
        "Lord Clydesdale",
        "Duke of Hamilton",
        "Duke of Brandon",
    ]
    masked = _critical(question, trace, *answers)
    for name in ("Clydesdale", "Hamilton", "Brandon"):
        assert name not in masked, name
    assert "Scottish nobleman" in masked and "Mount Everest" in masked
    # the other lead words, after the answer and (for "otherwise / better known as") before it
    for text, alias in (
        ("Reginald Dwight, better known as Elton John, is a singer.", "Elton John"),
        ("Prince Rogers Nelson, styled The Artist, was a singer.", "The Artist"),
        ("Reginald Dwight, a.k.a. Elton John, is a singer.", "Elton John"),
        ("Reginald Dwight, known as Elton John, is a singer.", "Elton John"),
        ("Elton John (otherwise known as Reginald Dwight) is a singer.", "Elton John"),
        ("Reginald Dwight, Lord Rocket, is a singer.", "Lord Rocket"),
    ):
        gold = "Prince Rogers Nelson" if text.startswith("Prince") else "Reginald Dwight"
        assert alias in find_aliases(text, [gold]), text
    # a title after the answer that is no appositive of it, a lower-case "known as", stay out
    assert find_aliases("Reginald Dwight met the Duke of York, known as a sailor.", ["Reginald Dwight"]) == []


def test_an_other_name_followed_by_more_words_is_the_name_it_starts_with():
    from smepo_data.search._aliases import find_aliases

    # hotpotqa 5ac54036 (blind round 25): "(abbreviated as Lough for post-nominals)" kept "Lough" beside
    # the hidden "Loughborough University"; 5a7613c1: "(..., abbreviated GmbH ] and also GesmbH in Austria)"
    # kept the acronym a question about the acronym asks to spell out
    uni = ["Loughborough University"]
    short = f"{uni[0]} (abbreviated as Lough for post-nominals) is a university."
    assert find_aliases(short, uni) == ["Lough"]
    assert find_aliases(f"{uni[0]}, also known as Lough for short, is a university.", uni) == ["Lough"]
    former = f"{uni[0]} (formerly the Loughborough College of Technology until 1966) is a university."
    assert find_aliases(former, uni) == ["Loughborough College of Technology"]
    gmbh = ["Gesellschaft mit beschr\u00e4nkter Haftung"]
    text = f"A {gmbh[0]} (] , abbreviated GmbH ] and also GesmbH in Austria) is a legal entity."
    assert "GmbH" in find_aliases(text, gmbh)
    masked = _critical(
        "What does the acronym stand for?", text + " VIVA Media GmbH is one; a gGmbH too.", *gmbh
    )
    assert "GmbH" not in masked and "VIVA Media" in masked
    assert "a [ENTITY] too" in masked  # a word holding the acronym (round 27 read "gGmbH")
    # the acronym's variants made of the starts of its words (round 28 read "GesmbH" and "mbH"); not "Lot"
    variants = text + " The GesmbH and the mbH are forms; a Lot of them."
    masked = _critical("What does the acronym stand for?", variants, *gmbh)
    assert "GesmbH" not in masked and "mbH" not in masked and "Lot of them" in masked
    from smepo_data.search._reader import find_prefix_abbreviations

    rings = "The Lord of the Rings, a Lot of LotR"
    assert [rings[a:b] for a, b in find_prefix_abbreviations(rings, "The Lord of the Rings")] == ["LotR"]
    assert find_prefix_abbreviations("at NYU today", "New York University") == [(3, 6)]
    # a review's cases: a name ends at a sentence's end; one capitalised word after "born" or "lit." is no
    # name ("British", "English"), nor "I", a title alone, a date word; no duplicates
    assert find_aliases(f"{uni[0]}, commonly known as Lough. It was founded in 1909.", uni) == ["Lough"]
    assert find_aliases("Jane Doe, also known as Lady Jane. She later left.", ["Jane Doe"]) == ["Lady Jane"]
    for text in (
        "Jane Doe, born British in 1950, became American.",
        "Jane Doe (lit. English translation unknown) is here.",
        "Jane Doe, also known as I recall the Lady, is here.",
        "Jane Doe, also called Mrs by staff, is here.",
        "Jane Doe (formerly Head of MI6 until 2010) is here.",
        "Jane Doe, born October 21, 1990, is here.",
        "Marie Curie (1867-1934; Nobel Prize in Physics 1903) was here.",
    ):
        assert find_aliases(text, [text.split(" (")[0].split(",")[0]]) == [], text
    assert find_aliases("Jane Doe (born John Smith in 1950) is here.", ["Jane Doe"]) == ["John Smith"]
    twice = f"{uni[0]} (abbreviated as Lough for short) and {uni[0]} (abbreviated as Lough in print) are one."
    assert find_aliases(twice, uni) == ["Lough"]
    # a birth date is no name, nor are lower-case words
    assert find_aliases("Ricky Rubio (born October 21, 1990) is a player.", ["Ricky Rubio"]) == []
    assert find_aliases("Ricky Rubio (born in Spain) is a player.", ["Ricky Rubio"]) == []
    assert find_aliases(f"{uni[0]} (nicknamed the uni by students) is a university.", uni) == []


def test_an_epithet_in_apposition_is_another_name():
    from smepo_data.search._aliases import find_aliases

    # hotpotqa 5ae1e22a (blind round 26): "for voicing [ENTITY], the Queen of Blades, in the trilogy"
    gold = ["Sarah Kerrigan"]
    text = 'She is known for voicing Sarah Kerrigan, the Queen of Blades, in the "Starcraft 2" trilogy.'
    assert find_aliases(text, gold) == ["Queen of Blades"]
    for aside in (" (the Queen of Blades)", " \u2013 the Queen of Blades \u2013"):
        assert find_aliases(text.replace(", the Queen of Blades,", aside), gold) == ["Queen of Blades"], aside
    assert find_aliases("Sarah Kerrigan (the French capital) is here.", gold) == []
    masked = _critical("Which role does she voice?", text, *gold)
    assert "Blades" not in masked and "Starcraft 2" in masked
    # an item of a list (the answer after a list comma, or the list going on), a lower-case description, a
    # sentence's end: no epithet
    assert find_aliases("Countries such as France, the UK, etc. were members.", ["France"]) == []
    assert find_aliases("He toured Paris, the Louvre, then Rome.", ["Paris"]) == []
    assert find_aliases("Teams: Germany, France, the Netherlands, in order.", ["France"]) == []
    assert find_aliases("Sarah Kerrigan, the United Kingdom, and France met.", gold) == []
    assert find_aliases("Sarah Kerrigan, the former Ghost, in the game.", gold) == []
    assert find_aliases("Sarah Kerrigan, the Queen of Blades. Then more.", gold) == []


def test_a_text_in_another_script_after_a_hidden_language_label_is_hidden():
    # ircot 5a78ee7a (blind round 26): "([ENTITY]: Леонид Генрихович Хачиян ; May 3, 1952)" names the hidden
    # "Russian" by its script, at every level
    trace = (
        "Wikipedia Title: Leonid Khachiyan\n"
        "Leonid Khachiyan (Armenian: \u053c\u0565\u0578\u0576\u056b\u0564 ; "
        "Russian: \u041b\u0435\u043e\u043d\u0438\u0434 \u0425\u0430\u0447\u0438\u044f\u043d ; May 3, 1952) "
        "was a mathematician.\n\nQ: What is the nationality of Leonid Khachiyan?\n"
        "A: His nationality is Russian. So the answer is: Russian."
    )
    for level in ("answer", "critical"):
        ex = Example(
            "r", "search", "What is the nationality of Leonid Khachiyan?", trace, answers_json(["Russian"])
        )
        masked = render(trace, MASKER.find_spans(ex, level))
        assert "[ENTITY]: [ENTITY] ; May 3, 1952" in masked, (level, masked)
        assert "\u053c\u0565\u0578\u0576\u056b\u0564" in masked  # the visible label's text stays
    # the labelled text ends where its script does, and other label forms: a dash, a full-width colon, quotes
    prose = trace.replace(
        "\u0425\u0430\u0447\u0438\u044f\u043d ;", "\u0425\u0430\u0447\u0438\u044f\u043d proved it;"
    )
    ex = Example(
        "q", "search", "What is the nationality of Leonid Khachiyan?", prose, answers_json(["Russian"])
    )
    assert "[ENTITY]: [ENTITY] proved it; May 3" in render(prose, MASKER.find_spans(ex, "answer"))
    for form in (" \u2013 \u00ab", "\uff1a"):
        other = trace.replace("Russian: ", "Russian" + form)
        ex = Example(
            "f", "search", "What is the nationality of Leonid Khachiyan?", other, answers_json(["Russian"])
        )
        assert "\u041b\u0435\u043e\u043d\u0438\u0434" not in render(other, MASKER.find_spans(ex, "answer")), (
            form
        )
    # a label that stays visible keeps its text
    plain = Example("p", "search", "What was he?", trace, answers_json(["mathematician"]))
    shown = render(trace, MASKER.find_spans(plain, "answer"))
    assert "Russian: \u041b\u0435\u043e\u043d\u0438\u0434" in shown, shown


def test_a_hidden_entity_hides_its_acronym_and_its_long_form():
    # round 7: "UNLV" hidden as a bridge while "University of Nevada, Las Vegas (UNLV)" stayed visible, and
    # "Savannah College of Art and Design" hidden while "(SCAD)" stayed: either form names the other
    trace = (
        "<think> I need information about Ann Roe. </think>\n<search> Ann Roe </search>\n"
        '<information> Doc 1(Title: "Ann Roe") Ann Roe coaches the Quill Rebels of QTU. </information>\n'
        "<think> I need information about QTU. </think>\n<search> QTU </search>\n"
        '<information> Doc 1(Title: "QTU") The team represents the Quill Technical University (QTU), which '
        "it calls home; the Art Research Exchange (ARE) is near. Games are at Orr Field. </information>\n"
        "<answer> Orr Field </answer>"
    )
    ex = Example(
        "a",
        "search",
        "Where does the team Ann Roe coaches play?",
        trace,
        answers_json(["Orr Field"]),
        {"bridge_titles": ["Ann Roe", "Art Research Exchange"]},
    )
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert "QTU" not in masked and "Quill Technical University" not in masked
    assert "Art Research" not in masked and "ARE" not in masked
    assert "Games are at" in masked  # an acronym is written in capitals: "ARE" hides no "are"
    assert "Ann Roe" in masked  # named by the question


def test_a_quoted_title_gold_with_its_year_is_one_placeholder():
    # round 7: the gold '"Now and Then" (1995)' was cut at its quotes into '"[ENTITY]" [EXPR]', the one film
    # of the list whose year was hidden; hidden whole it reads as any other hidden value
    from smepo_data.search._damage import span_text_damage

    trace = (
        "<think> I need information about Ann Lee. </think>\n<search> Ann Lee </search>\n"
        '<information> Doc 1(Title: "Ann Lee") Ann Lee appeared in "Red Sky" (1993), "Blue Moon" (1995) '
        'and "Green Day" (1996). </information>\n<answer> "Blue Moon" (1995) </answer>'
    )
    ex = Example(
        "t", "search", "What else did Ann Lee appear in?", trace, answers_json(['"Blue Moon" (1995)'])
    )
    for level in ("answer", "critical"):
        spans = MASKER.find_spans(ex, level)
        masked = render(trace, spans)
        assert '"Red Sky" (1993), [EXPR] and "Green Day" (1996)' in masked
        assert "<answer> [EXPR] </answer>" in masked
        assert not [trace[s.start : s.end] for s in spans if span_text_damage(trace, s.start, s.end)]


def test_a_title_of_the_answer_hides_no_other_holder_of_it():
    # round 7: the answer's title "Duke of Hamilton" was hidden at every holder's mention; when the trace
    # names another holder ("13th Duke of Hamilton"), only the answer's ordinal title is his other name
    from smepo_data.search._aliases import find_aliases

    trace = (
        "Wikipedia Title: Ian Gray, 14th Duke of Hamilton\nIan Gray, 14th Duke of Hamilton and 3rd Earl of "
        "Arran, was a Scottish nobleman and flew over Everest. His father, the 13th Duke of Hamilton, was an "
        "admiral.\n\nQ: Which Scottish nobleman flew over Everest?\nA: So the answer is: Ian Gray."
    )
    question = "Which Scottish nobleman flew over Everest?"
    assert find_aliases(trace, ["Ian Gray"], question) == ["14th Duke of Hamilton", "Earl of Arran"]
    masked = _critical(question, trace, "Ian Gray")
    assert "the 13th Duke of Hamilton, was an admiral" in masked
    assert "14th Duke" not in masked and "Arran" not in masked
    # with no other holder in the trace the bare title is his other name, wherever it stands
    alone = trace.replace("His father, the 13th Duke of Hamilton, was an admiral.", "The Duke of Hamilton.")
    assert find_aliases(alone, ["Ian Gray"], question) == ["Duke of Hamilton", "Earl of Arran"]


def test_a_question_entity_inside_a_bridge_name_stays_visible():
    # HotpotQA: the bridge "Ada, Oklahoma" hid the question's "Oklahoma" ("Pontotoc County, Oklahoma")
    # with it, "Mary Poppins Opens the Door" the question's "Mary Poppins"
    trace = (
        "<think> I need information about Pontotoc County, Oklahoma. </think>\n"
        "<search> Pontotoc County, Oklahoma </search>\n"
        '<information> Doc 1(Title: "Pontotoc County, Oklahoma") Its seat is Ada, Oklahoma. </information>\n'
        "<think> I need information about Ada, Oklahoma. </think>\n<search> Ada, Oklahoma </search>\n"
        '<information> Doc 1(Title: "Ada, Oklahoma") Ada, Oklahoma is served by KXII. </information>\n'
        "<answer> KXII </answer>"
    )
    question = "What station serves Pontotoc County, Oklahoma?"
    ex = Example("o", "search", question, trace, answers_json(["KXII"]), {"bridge_titles": ["Ada, Oklahoma"]})
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert "<search> [ENTITY], Oklahoma </search>" in masked and "Ada" not in masked
    assert "Pontotoc County, Oklahoma" in masked and "KXII" not in masked


def _without_question(masked: str, question: str) -> str:
    return masked.replace(question, "")


def test_a_yes_no_question_s_compared_kind_is_hidden_for_every_subject():
    # "same type of work": the conclusion alone was hidden, "X is a chemist" ... "Y is a chemist and
    # science writer" stayed side by side and answered it
    question = "Were Anna Berglund and Tomas Hale known for the same type of work?"
    trace = (
        "Thought 1: I need to search Anna Berglund and Tomas Hale, find their types of work.\n"
        "Action 1: Search[Anna Berglund]\n"
        "Observation 1: Anna Maria Berglund (1901 - 1977) was a Swedish chemist who is best known for "
        "her work on dyes.\n"
        "Thought 2: Anna Berglund is a chemist. I need to search Tomas Hale next.\n"
        "Action 2: Search[Tomas Hale]\n"
        "Observation 2: Tomas Hale is a Dutch-American chemist and science writer.\n"
        "Thought 3: Tomas Hale is a chemist and science writer. So Anna Berglund and Tomas Hale have the "
        "same type of work.\nAction 3: Finish[yes]"
    )
    masked = _critical(question, trace, "yes")
    assert "chemist" not in masked and "writer" not in masked
    assert masked.count("Anna Berglund") == trace.count("Anna Berglund")
    assert masked.count("Tomas Hale") == trace.count("Tomas Hale")
    assert "best known for her work on dyes" in masked  # only the predicate, not its relative clause
    # a kind the question names ("both painters?") is hidden alike; a predicate about someone else is not
    question = "Are Anna Berglund and Tomas Hale both painters?"
    trace = (
        "<information> Anna Berglund is a Swedish painter, sculptor, and printmaker. Her teacher Olof Lind "
        "was a famous baker. </information>\n<information> Tomas Hale is an architect. </information>\n"
        "<answer> no </answer>"
    )
    masked = _critical(question, trace, "no")
    assert "painter" not in _without_question(masked, question)
    assert "sculptor" not in masked and "architect" not in masked and "famous baker" in masked


GENUS_Q = "Are both Velloria and Quintara a genus of orchids?"
GENUS = (
    "<think> I need information about Velloria. </think>\n<search> Velloria </search>\n"
    '<information> Doc 1(Title: "Velloria") Velloria (creeping moss) is a genus of about 30 species of '
    "mosses, native to Chile. It is the sole genus in the family Velloriaceae. </information>\n"
    "<think> I need information about Quintara. </think>\n<search> Quintara </search>\n"
    '<information> Doc 1(Title: "Quintara") Quintara, sold as Quin in the trade, is a genus of orchids '
    "(family Orchidaceae). It holds many species. </information>\n<answer> no </answer>"
)


def test_the_words_that_tell_hidden_kinds_apart_are_hidden_where_they_are_said_again():
    # a genus question: "genus of ... mosses" and "genus of orchids" were hidden, "(creeping moss)" and
    # "(family Orchidaceae)" beside them still told "no"
    ex = Example("g", "search", GENUS_Q, GENUS, answers_json(["no"]))
    spans = MASKER.find_spans(ex, "critical")
    masked = render(GENUS, spans)
    body = _without_question(masked, GENUS_Q)
    assert "moss" not in body.lower() and "Orchidaceae" not in body and "orchids" not in body
    assert "(creeping [ENTITY])" in masked and "(family [ENTITY])" in masked
    # what all kinds share ("genus") and what no kind ends with ("species") stay
    assert "sole genus in the family Velloriaceae" in masked and "It holds many species" in masked
    # the other subject's family, in the slot hidden for the first, is the audit's (``elimination``), and
    # its repair hides it
    assert [f.attack for f in SearchVerifier().attacks(ex, masked)] == ["elimination"]
    result = mask_example(ex, "critical")
    assert result.leak is None and "sole genus in the family [ENTITY]" in result.text


def test_a_yes_no_question_s_named_value_is_hidden_for_every_subject():
    # "both American?": "an American screenwriter" beside "a [ENTITY] film director" told "no"; the
    # question's own value is the compared attribute here, not a subject
    question = "Are Darla Penn and Remy Lanois both American?"
    trace = (
        "<information> Darla Penn is an American screenwriter. </information>\n"
        "<information> Remy Lanois is a French film director. </information>\n<answer> no </answer>"
    )
    masked = _critical(question, trace, "no")
    assert "American" not in _without_question(masked, question) and "French" not in masked
    assert "screenwriter" in masked and "film director" in masked  # the kind is not what is asked
    assert "Darla Penn" in masked and "Remy Lanois" in masked
    question = "Are both Acme Power and Orbis Group based in Ohio?"
    trace = (
        "<information> Acme Power is a company headquartered in Dayton, Kentucky. </information>\n"
        "<information> Orbis Group is a company headquartered in Ohio. </information>\n<answer> no </answer>"
    )
    masked = _critical(question, trace, "no")
    assert "Ohio" not in _without_question(masked, question) and "Dayton" not in masked


def test_a_descriptive_gold_said_in_other_words_is_hidden():
    # the gold "monthly women interest magazine" hidden where it stood verbatim, "a monthly lifestyle and
    # women's magazine" kept it in other words
    question = "Alma and Zorza are what kind of magazines?"
    trace = (
        '<information> Doc 1(Title: "Alma") Alma is a monthly women interest magazine published in Spain. '
        "The magazine is owned by Prensa. </information>\n"
        '<information> Doc 1(Title: "Zorza") Zorza is a Czech language monthly lifestyle and women\'s '
        "magazine published in Prague. </information>\n<answer> monthly women interest magazine </answer>"
    )
    masked = _critical(question, trace, "monthly women interest magazine")
    assert "monthly" not in masked and "women" not in masked
    assert "The magazine is owned by Prensa" in masked and "Czech language" in masked
    # a name gold is no description: its words apart stay visible
    trace = (
        "<information> Red Star Line sailed to the red star of the east. </information>\n<answer> x </answer>"
    )
    assert "red star of the east" in _critical(
        "Which line?", trace.replace("x", "Red Star Line"), "Red Star Line"
    )


@pytest.mark.parametrize("level", ["answer", "critical"])
def test_a_list_answer_is_hidden_item_by_item(level):
    # constructed: the list "baker, painter, and poet" hidden as one placeholder lost its shape
    trace = (
        "Thought 1: Ann Vole was a baker, painter, and poet from Leeds.\n"
        "Thought 2: Bo Tern was a painter, poet and baker.\n"
        "Action 1: Finish[baker, painter, poet]"
    )
    question = "What jobs did Ann Vole and Bo Tern share?"
    ex = Example("l", "search", question, trace, answers_json(["baker, painter, poet"]))
    r = mask_example(ex, level, placeholder="typed_answer")
    assert "a [ANSWER], [ANSWER], and [ANSWER] from" in r.text, r.text
    assert r.text.endswith("Finish[[ANSWER]]"), r.text  # the answer slot is the answer: one placeholder
    assert not +spans_damage(trace, [{"start": s.start, "end": s.end} for s in r.spans])
    whole = trace.index("baker, painter, and poet")
    assert spans_damage(trace, [{"start": whole, "end": whole + 24}]) == {"merged list": 1}
    # HotpotQA "singer, songwriter": the <answer> slot was cut "[ANSWER], [ANSWER]" (split_answer)
    slot_trace = (
        "<think> I need Ann Vole's jobs. </think>\n<search> Ann Vole </search>\n"
        "<information> Ann Vole was a singer, songwriter from Leeds. </information>\n"
        "<answer> singer, songwriter </answer>"
    )
    ex = Example(
        "s", "search", "What were Ann Vole's jobs?", slot_trace, answers_json(["singer, songwriter"])
    )
    r = mask_example(ex, level, placeholder="typed_answer")
    assert "was a [ANSWER], [ANSWER] from" in r.text and r.text.endswith("<answer> [ANSWER] </answer>"), (
        r.text
    )
    # the final slot hidden whole is the answer, no merged list (the audit's and search_acceptance's damage)
    slot_trace = slot_trace.replace("singer, songwriter", "cleaning, catering and security")
    ex = Example(
        "s", "search", "What does Ann Vole do?", slot_trace, answers_json(["cleaning, catering and security"])
    )
    r = mask_example(ex, level, placeholder="typed_answer")
    assert r.text.endswith("<answer> [ANSWER] </answer>") and "[ANSWER], [ANSWER] and [ANSWER] from" in r.text
    assert not +spans_damage(slot_trace, [{"start": s.start, "end": s.end} for s in r.spans])


def test_a_range_of_years_goes_whole():
    # ReAct's "Arthur's Magazine (1844-1846)": with the start year hidden, a visible end year still dates it
    # (and an en dash mis-decoded into stray symbols, as the ReAct file has it, is still a range)
    answer = answers_json(["Arthur's Magazine"])
    for dash in ("-", "\u2013", "-\x80\x93", " to "):
        trace = (
            "Thought 1: I need to search Arthur's Magazine and First for Women, and find which was started "
            "first.\n"
            "Action 1: Search[Arthur's Magazine]\n"
            f"Observation 1: Arthur's Magazine (1844{dash}1846) was an American literary periodical.\n"
            "Thought 2: Arthur's Magazine was started in 1844. I need to search First for Women next.\n"
            "Action 2: Search[First for Women]\n"
            "Observation 2: First for Women is a woman's magazine. The magazine was started in 1989.\n"
            "Thought 3: 1844 < 1989, so Arthur's Magazine was started first.\n"
            "Action 3: Finish[Arthur's Magazine]"
        )
        q = "Which magazine was started first Arthur's Magazine or First for Women?"
        r = mask_example(Example("arthur", "search", q, trace, answer), "critical")
        assert r.leak is None
        assert "1844" not in r.text and "1846" not in r.text and "1989" not in r.text, r.text
        line = r.text.splitlines()[2]  # the range goes whole: one placeholder, or one for each year
        assert "([EXPR])" in line or f"([NUMBER]{dash}[NUMBER])" in line, line


def test_a_gloss_in_another_script_beside_a_hidden_name_goes():
    from smepo_data.search.masker import _glosses

    trace = (
        "flydubai (Arabic: فلاي دبي\u200e ), legally Dubai Aviation Corporation (Arabic: مؤسسة دبي للطيران), "
        "is an airline. Yumi Nakagawa (中川 由美, born 1964), known professionally as Yumi Toma (冬馬 由美)."
    )
    at = trace.index("Dubai Aviation")
    hidden = [Span(0, 8, "entity", "x", "flydubai"), Span(at, at + 5, "entity", "x", "dubai")]
    found = [trace[s.start : s.end] for s in _glosses(trace, hidden)]
    # the glosses of the hidden names go; a gloss of a visible name (after a comma: another phrase) stays
    assert found == ["فلاي دبي", "مؤسسة دبي للطيران"]
    assert _glosses(trace, []) == [] and _glosses("plain ASCII (x)", hidden) == []
    born = [Span(trace.index("1964"), trace.index("1964") + 4, "number", "x", "1964")]
    assert _glosses(trace, born) == []  # "born [NUMBER]), known ... (": no name of the hidden span


def test_a_range_of_years_at_a_sentence_end():
    from smepo_data.search.masker import _range_ends

    trace = "It ran 1844-1846. Then 1850 to 1852."
    at = trace.index("1852")
    hidden = [Span(7, 11, "number", "x", "1844"), Span(at, at + 4, "number", "x", "1852")]
    assert [trace[s.start : s.end] for s in _range_ends(trace, hidden)] == ["1846", "1850"]


def test_a_long_punctuation_run_reaches_spacy_as_blanks():
    from smepo_data.search.masker import _parseable

    # spaCy's tokenizer re-reads a long one-character run for each suffix it strips (85 s on 20,000 "`");
    # the run reaches it as blanks of the same length, so every offset stays and the masking is the same
    run = "`" * 300
    text = f"The Louvre is in Paris.{run}\n<answer>Paris{run}</answer>"
    parsed = _parseable(text)
    assert (
        len(parsed) == len(text)
        and "`" not in parsed
        and parsed.replace(" ", "") == text.replace(run, "").replace(" ", "")
    )
    assert _parseable("a `` b ** c") == "a `` b ** c"  # short runs and mixed text stay as written
    assert _parseable("x" + "_" * 100 + "y") == "x" + " " * 100 + "y"  # an underscore is punctuation here
    answer = answers_json(["Paris"])
    long_run = mask_example(Example("r", "search", "Where is the Louvre?", text, answer), "critical")
    assert long_run.leak is None and "Paris" not in long_run.text and run in long_run.text
