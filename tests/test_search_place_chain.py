"""The ``place_chain`` attack: for a question that asks for a place, the places the trace writes before the
hidden answer ("Waldkirch, Baden-Württemberg, [ENTITY]") tell a reader who knows the world the answer.
The audit finds them, the masker's repair hides them, and the acceptance script's own check agrees."""

from __future__ import annotations

from smepo_data import Example, mask_example, mask_text
from smepo_data._render import render, to_original
from smepo_data.search._reader import place_chains
from smepo_data.search.answers import answers_json
from smepo_data.search.verifier import SearchVerifier

from .test_search_attacks import _search_acceptance, row
from .test_search_masker import MASKER

V = SearchVerifier()


def found(question: str, trace: str, answer: str, masked: str) -> list[str]:
    ex = Example("p", "search", question, trace, answers_json([answer]))
    return [masked[f.start : f.end] for f in V.attacks(ex, masked) if f.attack == "place_chain"]


def test_a_real_row_hides_the_places_inside_the_answer_country():
    ex = row("ircot", "Lost Gravity")
    assert "Waldkirch, Baden-Württemberg, Germany" in ex.trace
    acc = _search_acceptance()
    golds = ["Germany"]
    for level in ("answer", "critical"):
        spans = MASKER.find_spans(ex, level)
        places = [s for s in spans if s.reason.startswith("a place inside the answer")]
        assert [ex.trace[s.start : s.end] for s in places] == ["Waldkirch", "Baden-Württemberg"]
        assert {s.kind for s in places} == {"entity"}  # another entity, never answer-typed
        assert "headquartered in [ENTITY], [ENTITY], [ENTITY]." in render(ex.trace, spans)
        assert (
            acc.contained_places_visible(ex.question, golds, ex.trace, [(s.start, s.end) for s in spans]) == 0
        )
        # without them (the masking before this rule), the audit and the acceptance script find both
        before = [s for s in spans if s not in places]
        masked = render(ex.trace, before)
        assert "Waldkirch, Baden-Württemberg, [ENTITY]" in masked
        blamed = [masked[f.start : f.end] for f in V.attacks(ex, masked) if f.attack == "place_chain"]
        assert blamed == ["Waldkirch", "Baden-Württemberg"]
        assert (
            acc.contained_places_visible(ex.question, golds, ex.trace, [(s.start, s.end) for s in before])
            == 2
        )
        # the repair hides what the audit blames, as another entity
        for f in (f for f in V.attacks(ex, masked) if f.attack == "place_chain"):
            start, end = to_original(ex.trace, before, "typed", f.start, f.end)
            (extra,) = MASKER.repair(ex, before, start, end, f)
            assert (ex.trace[extra.start : extra.end], extra.kind) == (masked[f.start : f.end], "entity")
    result = mask_example(ex, "critical")
    assert "Lost Gravity" in result.text  # the question's entities stay
    assert not [f for f in V.attacks(ex, result.text) if f.attack == "place_chain"]


def test_a_county_or_city_before_a_hidden_state_or_country_is_found_and_hidden():
    q = "In what state did this metalcore band form?"
    trace = "The band is from Orange County, California. So the answer is: California"
    masked = trace.replace("California", "[ENTITY]")
    assert found(q, trace, "California", masked) == ["Orange County"]
    r = mask_text("search", trace, question=q, answer="California")
    assert r.text == "The band is from [ENTITY], [ENTITY]. So the answer is: [ENTITY]"
    q = "Which country did he receive training in?"
    trace = "In Kandahar, Afghanistan, he trained with militias. So the answer is: Afghanistan"
    masked = trace.replace("Afghanistan", "[ENTITY]")
    assert found(q, trace, "Afghanistan", masked) == ["Kandahar"]  # "In" is the sentence's, no place's
    # a place already hidden stays a link of the chain: the one before it is still found
    masked = "The plant is in Waldkirch, [ENTITY], [ENTITY]. So the answer is: [ENTITY]"
    trace = "The plant is in Waldkirch, Baden-Württemberg, Germany. So the answer is: Germany"
    assert found("In what country is the plant?", trace, "Germany", masked) == ["Waldkirch"]
    # a title before its place is no place: "of" joins them, and only the place is read
    q = "What city does the District Attorney work in?"
    trace = "He was the District Attorney of Albany County, New York until 2004. So the answer is: New York"
    masked = trace.replace("New York", "[ENTITY]")
    assert found(q, trace, "New York", masked) == ["Albany County"]


def test_an_apposition_after_the_answer_that_names_a_place_inside_it_is_read_too():
    q = "In what state is the manufacturer of Bisquick headquartered?"
    trace = (
        "It is headquartered in Golden Valley, Minnesota, a suburb of Minneapolis. The company makes food."
    )
    masked = trace.replace("Minnesota", "[ENTITY]")
    assert found(q, trace, "Minnesota", masked) == ["Golden Valley", "Minneapolis"]  # not "Minneapolis. The"
    r = mask_text("search", trace + " So the answer is: Minnesota", question=q, answer="Minnesota")
    assert r.text.startswith("It is headquartered in [ENTITY], [ENTITY], a suburb of [ENTITY]. The company")
    acc = _search_acceptance()
    gold = [(trace.index("Minnesota"), trace.index("Minnesota") + 9)]
    city = (trace.index("Minneapolis"), trace.index("Minneapolis") + 11)
    town = (trace.index("Golden"), trace.index(", Minnesota"))
    assert acc.contained_places_visible(q, ["Minnesota"], trace, gold) == 2
    assert acc.contained_places_visible(q, ["Minnesota"], trace, [*gold, town]) == 1
    assert acc.contained_places_visible(q, ["Minnesota"], trace, [*gold, town, city]) == 0
    # abbreviations are one place ("St. Louis", "D.C."), and the apposition alone is read
    q = "Which state is the arch in?"
    trace = "The arch is in St. Louis, Missouri. So the answer is: Missouri"
    assert found(q, trace, "Missouri", trace.replace("Missouri", "[ENTITY]")) == ["St. Louis"]
    trace = "The office is in Washington D.C., United States. So the answer is: United States"
    masked = trace.replace("United States", "[ENTITY]")
    assert found("Which country is the office in?", trace, "United States", masked) == ["Washington D.C."]


def test_a_place_before_another_form_of_the_answer_is_hidden_by_the_masker_itself():
    # "N.Y." is a form of New York the masker hides as the answer; the county before it goes too
    q = "Which state does the District Attorney serve?"
    trace = "He is the Albany County, N.Y. District Attorney. So the answer is: New York"
    ex = Example("p", "search", q, trace, answers_json(["New York"]))
    for level in ("answer", "critical"):
        spans = MASKER.find_spans(ex, level)
        assert render(trace, spans).startswith("He is the [ENTITY], [ENTITY] District Attorney."), level
    # at ``answer`` nothing else hides the county (at ``critical`` it is a bridge entity as well)
    spans = MASKER.find_spans(ex, "answer")
    placed = [trace[s.start : s.end] for s in spans if s.reason.startswith("a place inside")]
    assert placed == ["Albany County"]


def test_places_the_question_names_people_and_other_questions_are_not_read():
    # the question names the Gold Coast and Australia: that knowledge is the question's own
    q = "In which state of Australia is the Dreamworld theme park on the Gold Coast?"
    trace = "Dreamworld is on the Gold Coast, Queensland, Australia. So the answer is: Queensland"
    assert found(q, trace, "Queensland", trace.replace("Queensland", "[ENTITY]")) == []
    acc = _search_acceptance()
    at = [(i, i + len("Queensland")) for i in (trace.index("Queensland"), trace.rindex("Queensland"))]
    assert acc.contained_places_visible(q, ["Queensland"], trace, at) == 0
    # a list of people before a hidden person: the question asks for no place
    q = "Who starred in The Right Stuff?"
    trace = "The film stars Ed Harris, Scott Glenn, Sam Shepard. So the answer is: Scott Glenn"
    assert found(q, trace, "Scott Glenn", trace.replace("Scott Glenn", "[ENTITY]")) == []
    at = [(i, i + len("Scott Glenn")) for i in (trace.index("Scott Glenn"), trace.rindex("Scott Glenn"))]
    assert acc.contained_places_visible(q, ["Scott Glenn"], trace, at) == 0
    # a question whose region is an airport's address asks for the airport, and a place before it in a
    # sentence ("across from Keeneland Race Course, Blue Grass Airport is") holds no airport
    q = "The trainer was killed at what Fayette County, Kentucky airport?"
    trace = (
        "Across from Keeneland Race Course, Blue Grass Airport is the airport. So the answer is: Blue Grass"
    )
    assert found(q, trace, "Blue Grass Airport", trace.replace("Blue Grass Airport", "[ENTITY]")) == []
    assert (
        acc.contained_places_visible(
            q, ["Blue Grass Airport"], trace, [(trace.index("Blue"), trace.index(" is"))]
        )
        == 0
    )
    # a place after the answer tells nothing of it ("Queensland, Australia" for Queensland)
    q = "In which state is Dreamworld?"
    assert found(q, trace := "Dreamworld is in Queensland, Australia.", "Queensland", trace) == []
    assert found(q, trace, "Queensland", trace.replace("Queensland", "[ENTITY]")) == []
    # the answer still visible is the mention attack's; the chain needs a placeholder after it
    trace = "The band is from Orange County, California. So the answer is: California"
    assert found("In what state did the band form?", trace, "California", trace) == []


def test_the_acceptance_script_counts_each_visible_place_of_the_chain():
    acc = _search_acceptance()
    q = "In what country is the plant?"
    trace = "The plant is in Waldkirch, Baden-Württemberg, Germany."
    gold = [(trace.index("Germany"), trace.index("Germany") + 7)]
    region = (trace.index("Baden"), trace.index(", Germany"))
    town = (trace.index("Waldkirch"), trace.index("Waldkirch") + 9)
    assert acc.contained_places_visible(q, ["Germany"], trace, gold) == 2
    assert acc.contained_places_visible(q, ["Germany"], trace, [*gold, region]) == 1
    assert acc.contained_places_visible(q, ["Germany"], trace, [*gold, region, town]) == 0
    assert acc.contained_places_visible(q, ["Germany"], trace, []) == 0  # the gold visible: not this check
    assert acc.contained_places_visible("Who owns the plant?", ["Germany"], trace, gold) == 0


def test_what_is_no_place_chain_is_left_visible():
    # review of the rule: sentence-start words, dates, people, events before the answer as a subject
    q = "In which country is the company based?"
    for trace, answer in (
        ("However, Germany signed it. So the answer is: Germany", "Germany"),
        ("It grew. Therefore, Germany is the answer. So the answer is: Germany", "Germany"),
        ("Yes, France is correct. So the answer is: France", "France"),
        ("In World War II, Germany invaded Poland. So the answer is: Germany", "Germany"),
        ("On 3 October, Germany reunified. So the answer is: Germany", "Germany"),
        ("According to Angela Merkel, Germany is strong. So the answer is: Germany", "Germany"),
        ("Chancellor Angela Merkel, Germany's leader, said so. So the answer is: Germany", "Germany"),
        ("The film starred Tom Hanks, Meg Ryan, Germany was the set. So the answer is: Germany", "Germany"),
    ):
        r = mask_text("search", trace, question=q, answer=answer)
        assert not [s for s in r.spans if s.reason.startswith("a place inside")], (trace, r.text)
    # an apposition names a place by a place noun only ("the home of Bob Dylan" names a person)
    q = "In what state did he grow up?"
    trace = "He grew up in Hibbing, Minnesota, the home of Bob Dylan. So the answer is: Minnesota"
    r = mask_text("search", trace, question=q, answer="Minnesota", level="answer")
    assert r.text.startswith("He grew up in [ENTITY], [ENTITY], the home of Bob Dylan.")
    # a question about a kind of singer asks for no place
    assert place_chains(
        "Which country recorded it?", "It was by Sevierville, Dolly Parton.", ["Dolly Parton"]
    )
    assert not place_chains(
        "Which country singer recorded it?", "It was by Sevierville, Dolly Parton.", ["Dolly Parton"]
    )
    q = "Which country singer recorded the song?"
    trace = "The song was recorded by Dolly Parton, a native of Sevierville. So the answer is: Dolly Parton"
    assert "Sevierville" in mask_text("search", trace, question=q, answer="Dolly Parton").text


def test_a_chain_never_runs_over_a_sentence_end_and_reads_names_whole():
    q = "In which country did he work?"
    trace = "He worked in Washington D.C. Later, Germany hired him. So the answer is: Germany"
    r = mask_text("search", trace, question=q, answer="Germany")
    assert "Washington D.C. Later, [ENTITY] hired him." in r.text  # no span over "D.C. Later"
    trace = "He worked in Washington D.C. Later, Germany. So the answer is: Germany"
    r = mask_text("search", trace, question=q, answer="Germany", level="answer")
    assert r.text.startswith("He worked in Washington D.C. Later, [ENTITY]."), r.text
    q = "In what state is the town?"
    trace = "It is in Golden Valley, Minnesota, a suburb of Minneapolis-St. Paul. So the answer is: Minnesota"
    r = mask_text("search", trace, question=q, answer="Minnesota")
    assert r.text.startswith("It is in [ENTITY], [ENTITY], a suburb of [ENTITY]. So the answer is")
    for trace, answer, place in (
        ("He lives in Amsterdam, the Netherlands. So the answer is: Netherlands", "Netherlands", "Amsterdam"),
        ("He lives in Örebro, Sweden. So the answer is: Sweden", "Sweden", "Örebro"),
        (
            "He lives in Castellón de la Plana, Spain. So the answer is: Spain",
            "Spain",
            "Castellón de la Plana",
        ),
        ("He lives in Waldkirch,Germany. So the answer is: Germany", "Germany", "Waldkirch"),
        (
            "He lives in Golden Valley, Minnesota, near Minneapolis. So the answer is: Minnesota",
            "Minnesota",
            "Minneapolis",
        ),
        (
            "He lives in Golden Valley, Minnesota (a suburb of Minneapolis). So the answer is: Minnesota",
            "Minnesota",
            "Minneapolis",
        ),
    ):
        for question in ("In which country does he live?", "What is the name of the country where he lives?"):
            r = mask_text(
                "search",
                trace,
                question=question.replace("country", "state") if answer == "Minnesota" else question,
                answer=answer,
            )
            hidden = [trace[s.start : s.end] for s in r.spans if s.reason.startswith("a place inside")]
            assert place in hidden, (trace, question, r.text)


def test_the_audit_reads_every_chain_of_a_long_trace():
    # 11,000 chains of distinct towns: the audit reads the masked text once, not once per chain
    trace = "".join(f"Town{i}, Germany. " for i in range(11000)) + "So the answer is: Germany"
    masked = trace.replace("Germany", "[ENTITY]")
    ex = Example("p", "search", "In what country is the plant?", trace, answers_json(["Germany"]))
    found_ = [f for f in V.attacks(ex, masked) if f.attack == "place_chain"]
    assert len(found_) == 11000  # (the time it takes is benchmarks' business; about a second here)
