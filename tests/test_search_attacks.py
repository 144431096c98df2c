"""The search verifier's recoverability audit (named attacks), the masker's repairs and ``wrong_trace``,
on real rows of the bundled samples and on edits of them."""

from __future__ import annotations

import json
import re

import pytest

from smepo_data import Example, mask_example, mask_text
from smepo_data._domains import get_domain
from smepo_data._render import merge_spans, render, to_original
from smepo_data.search._reader import (
    answer_forms,
    answer_words,
    comparison,
    conclusions,
    find_answer_mentions,
    find_answer_words,
    find_conversions,
    find_glued,
    find_name_variants,
)
from smepo_data.search.answers import answers_json, find_mentions, parse_answers
from smepo_data.search.masker import SearchMasker
from smepo_data.search.verifier import SearchVerifier

from .test_search_masker import FILES, MASKER, examples

V = SearchVerifier()
ALL = {name: examples(name) for name in FILES}


def row(name: str, question_part: str) -> Example:
    (ex,) = [e for e in ALL[name] if question_part in e.question]
    return ex


def with_answer(ex: Example, *answers: str, trace: str | None = None) -> Example:
    return Example(
        ex.id, ex.domain, ex.question, ex.trace if trace is None else trace, answers_json(answers), ex.meta
    )


def hide(text: str, needles: list[str], tag: str = "[ENTITY]", forms: bool = True) -> str:
    """``text`` with every mention of ``needles`` (in any form, else only as written) as ``tag``."""
    spans = merge_spans_plain((find_answer_mentions if forms else find_mentions)(text, needles))
    out, pos = [], 0
    for s, e in spans:
        out += [text[pos:s], tag]
        pos = e
    return "".join(out) + text[pos:]


def merge_spans_plain(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def attacks(ex: Example, masked: str) -> dict[str, list[str]]:
    """attack name -> the masked texts the findings point at."""
    out: dict[str, list[str]] = {}
    for f in V.attacks(ex, masked):
        out.setdefault(f.attack, []).append(masked[f.start : f.end] if f.located else "")
    return out


def repair_loop(ex: Example, spans, rounds: int = 6):
    """What the pipeline does (smepo_data._api): render, attack, map each finding back, repair."""
    for _ in range(rounds):
        text = render(ex.trace, spans)
        found = V.attacks(ex, text)
        if not found:
            return spans, []
        extra = []
        for f in found:
            if f.located:
                start, end = to_original(ex.trace, spans, "typed", f.start, f.end)
                extra += MASKER.repair(ex, spans, start, end, f)
        merged = merge_spans([*spans, *extra])
        if merged == spans:
            break
        spans = merged
    return spans, V.attacks(ex, render(ex.trace, spans))


# --- the masker's output passes every attack --------------------------------------------------------


@pytest.mark.parametrize("name", list(FILES))
@pytest.mark.parametrize("level", ["answer", "critical", "entities"])
def test_masked_samples_have_no_finding_without_repairs(name, level):
    MASKER.prepare(ALL[name])  # parse once (nlp.pipe), for both maskers
    get_domain("search").masker.prepare(ALL[name])
    for ex in ALL[name]:
        spans = MASKER.find_spans(ex, level)
        assert V.attacks(ex, render(ex.trace, spans)) == [], ex.id
        r = mask_text("search", ex.trace, question=ex.question, answer=ex.answer, level=level, meta=ex.meta)
        assert r.leak is None and r.level == level, (ex.id, r.leak)


def test_the_default_placeholders_do_not_single_out_the_answer():
    ex = row("react", "Arthur's Magazine")
    text = mask_example(ex).text
    assert "[ANSWER]" not in text
    # both options searched, both hidden alike
    assert re.findall(r"Action \d: Search\[(.*)\]", text) == ["[ENTITY]", "[ENTITY]"]


# --- final_answer and mention -------------------------------------------------------------------------


def test_final_answer_fires_on_the_answer_slot_only_when_it_is_the_gold():
    ex = row("react", "Milhouse")
    masked = hide(ex.trace, ["Richard Nixon"])
    assert attacks(ex, masked) == {}
    leaky = masked.replace("Finish[[ENTITY]]", "Finish[Richard Nixon]")
    assert attacks(ex, leaky) == {"final_answer": ["Richard Nixon"], "mention": ["Richard Nixon"]}
    assert attacks(ex, masked.replace("Finish[[ENTITY]]", "Finish[Matt Groening]")) == {}


def test_mention_reads_other_forms_of_the_answer():
    horn = row("ircot", "Jeremy Horn")  # the paragraph writes "Jeremy Graham Horn"
    masked = hide(horn.trace, ["Jeremy Horn"])
    assert "Jeremy Graham Horn" not in masked
    leaky = hide(horn.trace.replace("Jeremy Graham Horn", "JGH"), ["Jeremy Horn"]).replace(
        "JGH", "Jeremy Graham Horn"
    )
    assert attacks(horn, leaky)["mention"] == ["Jeremy Graham Horn"]
    hurricane = row("ircot", "Hurricane No. 1")  # the paragraph writes "Hurricane #1"
    assert "Hurricane #1" in hurricane.trace
    found = attacks(hurricane, hurricane.trace.replace("Hurricane No. 1", "[ENTITY]"))
    assert "Hurricane #1" in found["mention"]
    ray = row("react", "Nicholas Ray")  # gold "director, screenwriter, actor"; the thought adds "and"
    found = attacks(ray, ray.trace.replace("Finish[director, screenwriter, actor]", "Finish[[ENTITY]]"))
    assert found["mention"].count("director, screenwriter, and actor") == 3
    assert answer_forms("20") == ("20", "twenty") and answer_forms("one") == ("one", "1")


def test_acronym_spelled_out_is_a_mention():
    ex = row("ircot", "acronymn")  # gold SMLE; "Short Magazine Lee-Enfield" spells it out
    masked = hide(ex.trace, ["SMLE"], forms=False)
    assert attacks(ex, masked) == {"mention": ["Short Magazine Lee-Enfield"]}
    assert "Short Magazine" not in render(ex.trace, MASKER.find_spans(ex, "answer"))


def test_equivalent_form_reads_other_units():
    ex = row("react", "elevation range")  # gold "1,800 to 7,000 ft"; the observation adds "(550 to 2,130 m)"
    masked = hide(ex.trace, ["1,800 to 7,000 ft"])
    assert attacks(ex, masked) == {"equivalent_form": ["550 to 2,130 m"]}
    assert find_conversions("6,288 feet or 1917 m, 12 km", ["6288 ft"]) == [(0, 10), (14, 20)]
    assert mask_example(ex, "answer").text.count("550 to 2,130 m") == 0


# --- elimination --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "gold", "options"),
    [
        ("Which magazine was started first Arthur's Magazine or First for Women?", "Arthur's Magazine",
         ("Arthur's Magazine", "First for Women")),
        ("who is older Jeremy Horn or Renato Sobral ?", "Jeremy Horn", ("Jeremy Horn", "Renato Sobral")),
        ("Does The Border Surrender or Unsane have more members?", "The Border Surrender",
         ("The Border Surrender", "Unsane")),
        ("Who was born first? Jan de Bont or Raoul Walsh?", "Raoul Walsh", ("Jan de Bont", "Raoul Walsh")),
        ("Which band formed first, Sponge Cola or Hurricane No. 1?", "Hurricane No. 1",
         ("Sponge Cola", "Hurricane No. 1")),
        ('Which of the following had a debut album entitled "We Have an Emergency": Hot Hot Heat or The '
         "Operation M.D.?", "The Operation M.D.", ("Hot Hot Heat", "The Operation M.D.")),
        ("Which of Jonny Craig and Pete Doherty has been a member of more bands ?", 'Jonny" Craig',
         ("Jonny Craig", "Pete Doherty")),
        ('Which movie was filmed first "The Guest" or "You\'re Next"?', "You're Next",
         ("The Guest", "You're Next")),
        ("Which episode aired first, The Clash of Triton or To SquarePants or Not to SquarePants?",
         "To SquarePants or Not to SquarePants",
         ("The Clash of Triton", "To SquarePants or Not to SquarePants")),
    ],
)  # fmt: skip
def test_comparison_options_are_read_from_the_question(question, gold, options):
    comp = comparison(question, parse_answers(answers_json([gold])))
    assert comp is not None and comp.options == options
    assert options[comp.gold] in (gold, gold.replace('"', ""))


@pytest.mark.parametrize(
    "question",
    [
        "Were Pavel Urysohn and Leonid Levin known for the same type of work?",  # yes / no
        "What profession does Nicholas Ray and Elia Kazan have in common?",  # the gold is not an option
        "Are both Lygodium or Maxillaria a genus of orchids?",
    ],
)
def test_no_options_without_a_choice_the_gold_is_part_of(question):
    assert comparison(question, ["yes"]) is None and comparison(question, ["director"]) is None


def test_elimination_fires_when_only_the_answer_is_hidden():
    ex = row("react", "Arthur's Magazine")
    only_gold = hide(ex.trace, ["Arthur's Magazine"])
    found = attacks(ex, only_gold)
    assert set(found) == {"elimination"} and set(found["elimination"]) == {"First for Women"}
    assert attacks(ex, hide(only_gold, ["First for Women"])) == {}
    # an option's own word is enough: "Horn" alone is Jeremy Horn, "Sobral" alone Renato Sobral
    horn = row("ircot", "Jeremy Horn")
    both = hide(horn.trace, ["Jeremy Horn", "Renato Sobral"])
    assert "Horn is perhaps best known" in both
    found = attacks(horn, both)
    assert set(found) == {"elimination"} and {"Horn", "Sobral"} <= set(found["elimination"])
    assert attacks(horn, render(horn.trace, MASKER.find_spans(horn, "answer"))) == {}


def test_elimination_by_a_leftover_article():
    ex = row("react", "Finnish rock groups")  # only "The Saimaa Gesture" starts with "The"
    masked = hide(ex.trace, ["Adam Clayton Powell", "The Saimaa Gesture"])
    assert "must instead be The [ENTITY]" in masked
    assert "The" in attacks(ex, masked)["elimination"]
    text = mask_example(ex, "answer").text
    assert "be [ENTITY]." in text and "The [ENTITY]" not in text and "Finish[[ENTITY]]" in text


def test_the_repair_loop_hides_what_elimination_blames():
    ex = row("react", "Arthur's Magazine")
    gold_only = [s for s in MASKER.find_spans(ex, "answer") if ex.trace[s.start : s.end].startswith("Arthur")]
    assert gold_only and V.attacks(ex, render(ex.trace, gold_only))
    spans, left = repair_loop(ex, gold_only)
    assert left == []
    added = [s for s in spans if s not in gold_only]
    assert added and all(s.reason.startswith("audit (elimination): ") and s.kind == "entity" for s in added)
    assert "First for Women" not in render(ex.trace, spans)
    assert "Thought 2: [ENTITY] was started in 1844. I need to search [ENTITY] next." in render(
        ex.trace, spans
    )


# --- yes / no -----------------------------------------------------------------------------------------


def test_yes_no_reads_the_conclusion():
    ex = row("react", "Pavel Urysohn")  # gold yes
    masked = ex.trace.replace("Finish[yes]", "Finish[[ENTITY]]")
    assert attacks(ex, masked) == {"yes_no": ["have the same type of work"]}
    assert attacks(
        ex, masked.replace("have the same type of work.", "have the same type of work. So the answer is yes.")
    ) == {
        "final_answer": ["yes"],
        "yes_no": ["have the same type of work", "yes"],
    }
    for leaky, blamed in [
        ("Yes, both are mathematicians.", "Yes, both"),
    ]:
        edited = masked.replace("So Pavel Urysohn and Leonid Levin have the same type of work.", leaky)
        assert attacks(ex, edited) == {"yes_no": [blamed]}, leaky
    # read as "no": no leak for a "yes" answer, a leak for a "no" answer
    negated = masked.replace("have the same type of work", "do not have the same type of work")
    assert attacks(ex, negated) == {}
    assert attacks(with_answer(ex, "no"), negated) == {"yes_no": ["do not have the same type of work"]}


SLOT_Q = "Are both Velloria and Quintara a genus of orchids?"
SLOT_T = (
    "<think> I need information about Velloria. </think>\n<search> Velloria </search>\n"
    '<information> Doc 1(Title: "Velloria") Velloria (creeping moss) is a genus of mosses, native to Chile. '
    "It is the sole genus in the family Velloriaceae, though included in the family Bryaceae by some. "
    "</information>\n<think> I need information about Quintara. </think>\n<search> Quintara </search>\n"
    '<information> Doc 1(Title: "Quintara") Quintara, sold as Quin in the trade, is a genus of orchids '
    "(family Orchidaceae). </information>\n<answer> no </answer>"
)


def test_a_slot_hidden_for_one_subject_and_visible_for_the_other():
    # "(family [ENTITY])" for one subject, "the family Velloriaceae" for the other: a reader compares them
    ex = Example("slot", "search", SLOT_Q, SLOT_T, answers_json(["no"]))
    masked = (
        SLOT_T.replace("(creeping moss) is a genus of mosses", "(creeping [ENTITY]) is a [ENTITY]")
        .replace("is a genus of orchids", "is a [ENTITY]")
        .replace("(family Orchidaceae)", "(family [ENTITY])")
        .replace("<answer> no", "<answer> [ENTITY]")
    )
    assert attacks(ex, masked) == {"elimination": ["Velloriaceae", "Bryaceae"]}
    # the other subject's family hidden too: nothing is compared
    hidden = re.sub(r"family (?=Velloriaceae|Bryaceae)\w+", "family [ENTITY]", masked)
    assert attacks(ex, hidden) == {}
    # a word that names no slot ("from [ENTITY]", "from Chile") is not read; nor a question that is no
    # yes / no
    unslotted = hidden.replace("native to Chile", "from Chile").replace("the trade", "from [ENTITY]")
    assert attacks(ex, unslotted) == {}
    # nor a verb's "-ing" form ("releasing [ENTITY]"), nor a name not written in lower case after its
    # capital ("EPs")
    verbs = unslotted.replace("from Chile", "the releasing [ENTITY] and the releasing Chilean")
    assert attacks(ex, verbs) == {}
    assert attacks(ex, unslotted.replace("family [ENTITY], though", "family [ENTITY], the family EPs")) == {}
    # nor an ordinal or a like adjective, said of any noun ("the first [ENTITY] record")
    firsts = unslotted.replace("from Chile", "the first [ENTITY] record, by the first Chilean survey")
    assert attacks(ex, firsts) == {}
    other = Example("slot", "search", "Which genus is Quintara?", SLOT_T, answers_json(["Orchidaceae"]))
    assert "elimination" not in attacks(other, masked.replace("[ENTITY]).", "Orchid family)."))
    # the word right before the placeholder is no cue for the name after that same placeholder, and a word
    # with no bracket, article or possessive before it names no slot ("worked closely [ENTITY] Pavel ...")
    near = hidden.replace(
        "native to Chile", "worked closely [ENTITY] Tove Ek, in the family [ENTITY] Olof Lind"
    )
    assert attacks(ex, near) == {}
    # "born" stands before a birth name or a date alike; a name the question writes is the question's
    born = hidden.replace("native to Chile", "(born [ENTITY]) and (born Olof Lind)")
    assert attacks(ex, born) == {}
    asked = hidden.replace("native to Chile", "in the family Quintara")
    assert attacks(ex, asked) == {}
    # masked for real, the family goes for both subjects, and the audit finds nothing
    result = mask_example(ex, "critical")
    assert result.leak is None and "Velloriaceae" not in result.text and "Bryaceae" not in result.text
    assert "the sole genus in the family [ENTITY]" in result.text
    # the acceptance script's own twin
    acc = _search_acceptance()
    assert acc.slots_visible(SLOT_Q, masked) == 2 and acc.slots_visible(SLOT_Q, hidden) == 0
    for text in (near, born, asked, verbs, firsts):
        assert acc.slots_visible(SLOT_Q, text) == 0, text
    assert acc.slots_visible(SLOT_Q, "the family [ENTITY_1] and the family Bryaceae") == 1
    assert acc.slots_visible(SLOT_Q, "the family [ENTITY] and the family\nBryaceae") == 0
    assert acc.slots_visible(SLOT_Q, "including [ENTITY] and, including Chile") == 0


def test_yes_no_is_precise_about_prose():
    ex = row("react", "Pavel Urysohn")
    clean = render(ex.trace, MASKER.find_spans(ex, "critical"))
    assert attacks(ex, clean) == {}
    assert "So Pavel Urysohn and Leonid Levin [ENTITY]." in clean  # the names and the plan stay
    # a "no" / "yes" in retrieved prose or earlier thoughts is not a conclusion
    prose = clean.replace("Soviet mathematician", "Soviet mathematician, no doubt; yes, really")
    prose = prose.replace(
        "Thought 2: Pavel Urysohn is a mathematician.", "Thought 2: Yes, he is a mathematician."
    )
    assert attacks(ex, prose) == {}
    lonny = row("ircot", "Lonny and Allure")  # gold no: "only Allure was founded in 1990s"
    assert attacks(lonny, lonny.trace.replace("answer is: no", "answer is: [ENTITY]")) == {
        "yes_no": ["only Allure was founded in 1990s"]
    }
    darren = row("hotpotqa", "Darren Benjamin Shepherd")  # gold no; the built trace has no conclusion
    masked = render(darren.trace, MASKER.find_spans(darren, "critical"))
    assert attacks(darren, masked) == {}
    both = masked.replace("<answer>", "<think> Both are American. </think>\n<answer>")
    assert attacks(darren, both) == {}  # reads "yes": wrong, not a leak
    one = masked.replace("<answer>", "<think> Rémi Lange is not American. </think>\n<answer>")
    assert attacks(darren, one) == {"yes_no": ["is not American"]}
    (c,) = conclusions(one, darren.question)
    assert c.reading == "no"


def test_yes_no_answers_in_prose_are_not_hidden():
    ex = row("searchr1", "paul walkers")
    yes_no = with_answer(ex, "no")
    text = render(ex.trace, MASKER.find_spans(yes_no, "critical"))
    assert "The ruling had no bearing" in text  # hiding it would tell a reader that "no" was the answer


# --- title --------------------------------------------------------------------------------------------


def test_title_finds_glued_spellings():
    ex = with_answer(row("ircot", "Sponge Cola"), "Sponge Cola")  # "(sometimes spelled Spongecola)"
    masked = hide(ex.trace, ["Sponge Cola"])
    assert "Spongecola" in masked
    found = attacks(ex, masked)
    assert found["title"] == ["Spongecola"]
    text = render(ex.trace, MASKER.find_spans(ex, "answer"))
    assert "Spongecola" not in text and "sometimes spelled [ENTITY])" in text
    assert find_glued(
        "the WallsAndBridges tour; ParisHilton; UKIP", ["Walls and Bridges", "Paris", "UK"]
    ) == [
        (4, 19),
        (26, 31),
    ]
    # a glued form inside a plain mention of a longer answer is that mention's ("New York" holds "York");
    # thousands of plain mentions are each set aside once (the containment is a sorted search)
    text = "New York; NewYork; York-based; TheYork; " + "Paris " * 5_000 + "ParisHilton"
    assert find_glued(text, ["New York", "York", "Paris"]) == [(10, 17), (13, 17), (34, 38), (30040, 30045)]


def test_title_for_yes_no_answers_and_short_answers_in_titles():
    darren = row("hotpotqa", "Darren Benjamin Shepherd")  # gold no
    masked = render(darren.trace, MASKER.find_spans(darren, "critical"))
    assert attacks(darren, masked.replace("<search> Rémi Lange </search>", "<search> No </search>")) == {
        "title": ["No"]
    }
    # "No. 1" does not say "no": not flagged
    assert attacks(darren, masked.replace("<search> Rémi Lange </search>", "<search> No. 1 </search>")) == {}
    # a two-letter answer inside a retrieved title is a plain mention (matched on whole words)
    uk = Example(
        "x",
        "search",
        "Which country?",
        '<information> Doc 1(Title: "UK Singles Chart") x </information>',
        "UK",
    )
    assert attacks(uk, uk.trace) == {"mention": ["UK"]}
    assert find_mentions(uk.trace, ["UK"]) and 'Doc 1(Title: "[' in mask_example(uk, "answer").text


# --- repairs ------------------------------------------------------------------------------------------


def test_repair_hides_what_each_attack_blames_and_keeps_structure():
    ex = row("react", "Milhouse")
    trace = ex.trace
    for attack, needle in [("mention", "Richard Nixon"), ("final_answer", "Richard Nixon")]:
        start = trace.index(needle)
        (span,) = MASKER.repair(ex, [], start, start + len(needle), _finding(attack))
        assert trace[span.start : span.end] == needle and span.kind == "answer"
        assert span.reason.startswith(f"audit ({attack}): ")
    # possessives stay, sentences are never merged, tags and blanks are not hidden
    obama = "<think> I read Obama's book. Then Obama's dog slept. </think>"
    ex2 = Example("x", "search", "Who?", obama, "Obama")
    start = obama.index("Obama's")
    (span,) = MASKER.repair(ex2, [], start, start + len("Obama's"), _finding("mention"))
    assert obama[span.start : span.end] == "Obama"  # rendered "[ENTITY]'s"
    spans = MASKER.repair(ex2, [], start, obama.index(" dog"), _finding("mention"))
    assert [obama[s.start : s.end] for s in spans] == ["Obama's book", "Then Obama"]  # two sentences
    assert MASKER.repair(ex2, [], 0, 7, _finding("mention")) == []  # only a tag there
    assert MASKER.repair(ex2, [span], span.start, span.end, _finding("mention")) == []  # already hidden
    yes = row("react", "Pavel Urysohn")
    start = yes.trace.index("have the same type of work")
    (span,) = MASKER.repair(yes, [], start, start + len("have the same type of work"), _finding("yes_no"))
    assert yes.trace[span.start : span.end] == "have the same type of work"


def _finding(attack: str):
    from smepo_data._leak import Finding

    return Finding(attack, "test", 0, 1)


# --- wrong_trace --------------------------------------------------------------------------------------


_FINAL = re.compile(
    r"(Finish\[)([^\]\n]*)(\])|(<answer>)([^<]*)(</answer>)|(So the answer is:? )([^\n]*?)(\.?$)", re.M
)


def _swap_final(trace: str, new: str) -> str:
    """``trace`` with its last final answer replaced by ``new``."""
    last = list(_FINAL.finditer(trace))[-1]
    g = next(i for i in (2, 5, 8) if last.group(i) is not None)
    return trace[: last.start(g)] + new + trace[last.end(g) :]


@pytest.mark.parametrize("name", list(FILES))
def test_wrong_trace_on_every_sample(name):
    for ex in ALL[name]:
        assert V.wrong_trace(ex) is None, ex.id
        gold = parse_answers(ex.answer)[0]
        other = "Matt Groening" if gold.lower() != "matt groening" else "Richard Nixon"
        if gold.lower() in ("yes", "no"):
            other = "no" if gold.lower() == "yes" else "yes"
        wrong = Example(ex.id, ex.domain, ex.question, _swap_final(ex.trace, other), ex.answer, ex.meta)
        assert V.extract_answer(wrong.trace) == other, ex.id
        reason = V.wrong_trace(wrong)
        assert reason is not None and repr(other) in reason, ex.id


def test_wrong_trace_forgives_formatting():
    ex = row("react", "Milhouse")
    for pred in ["president Richard Nixon", "Richard M. Nixon", "richard nixon."]:
        assert V.wrong_trace(Example("x", "search", ex.question, f"Finish[{pred}]", ex.answer)) is None, pred
    assert V.wrong_trace(Example("x", "search", ex.question, "no final answer here", ex.answer)) is None
    assert V.wrong_trace(Example("x", "search", ex.question, "Finish[Nixon Library]", ex.answer))


# --- spaCy: deterministic and batch-independent -------------------------------------------------------


def test_spans_do_not_depend_on_the_batch_size():
    exs = [ex for name in FILES for ex in ALL[name]][::2]
    traces = [ex.trace for ex in exs]
    fresh = SearchMasker()
    fresh.nlp = MASKER.nlp  # the same loaded pipeline
    results = []
    for batch_size in (1, 32):
        fresh._docs = dict(zip(traces, fresh.nlp.pipe(traces, batch_size=batch_size), strict=True))
        results.append([fresh.find_spans(ex, "critical") for ex in exs])
    fresh._docs = {}
    alone = [fresh.find_spans(ex, "critical") for ex in exs[:10]]  # parsed one by one
    assert results[0] == results[1] and alone == results[0][:10]


def test_phrase_matcher_matches_tokens_ignoring_case():
    doc = MASKER.nlp.make_doc("Walker's cars: PAUL WALKER drove a Charger; paul walker's Supra.")
    hits = MASKER._phrases(doc, ["Paul Walker", "charger", "nothing here"])
    text = doc.text
    assert [text[s:e] for s, e in hits[0]] == ["PAUL WALKER", "paul walker"]
    assert [text[s:e] for s, e in hits[1]] == ["Charger"] and 2 not in hits


def test_answer_json_is_what_mask_text_reads():
    ex = row("react", "Milhouse")
    r = mask_text(
        "search", ex.trace, question=ex.question, answer=json.dumps({"answers": ["Richard Nixon", "Nixon"]})
    )
    assert "Nixon" not in r.text and r.leak is None


def test_alias_finds_other_names_the_trace_gives_the_answer():
    trace = (
        "Wikipedia Title: Cambodia\nCambodia ( ; Khmer: \u1780\u1798\u17d2\u1796\u17bb\u1787\u17b6 , or "
        "Kampuchea ] ), officially known as the Kingdom of Cambodia, is a country. Kampuchea borders "
        "Thailand.\n\nA: So the answer is: Cambodia."
    )
    ex = Example("k", "search", "What is known as the Kingdom?", trace, answers_json(["Cambodia"]))
    masked = hide(trace, ["Cambodia"])
    assert attacks(ex, masked) == {
        "alias": ["\u1780\u1798\u17d2\u1796\u17bb\u1787\u17b6", "Kampuchea", "Kampuchea"]
    }
    # "X, also known as Y" and "Y (born X)" read either way; a bare "or" outside brackets is no alias
    trace = "Harry Morgan (born Harry Bratsberg) was an actor. Harry Bratsberg starred in M*A*S*H, or Korea."
    ex = Example("h", "search", "Who starred in M*A*S*H?", trace, answers_json(["Harry Morgan"]))
    assert attacks(ex, hide(trace, ["Harry Morgan"])) == {"alias": ["Harry Bratsberg", "Harry Bratsberg"]}
    trace = "Lake Tai, also known as Taihu, is a lake. Taihu is large. Paris or Rome?"
    ex = Example("t", "search", "Which lake is large?", trace, answers_json(["Lake Tai"]))
    assert attacks(ex, hide(trace, ["Lake Tai"])) == {"alias": ["Taihu", "Taihu"]}


def test_alias_finds_a_fuller_name_of_a_person_answer():
    trace = (
        "Frederick Alexander Lindemann, 1st Viscount Cherwell, was a physicist. Frederick Lindemann advised "
        "Churchill. The New York Prosecutors Institute met."
    )
    ex = Example("f", "search", "Who was a physicist?", trace, answers_json(["Frederick Alexander"]))
    masked = hide(trace, ["Frederick Alexander"])
    found = V.attacks(ex, masked)
    assert [(f.attack, masked[f.start : f.end]) for f in found] == [
        ("alias", "Frederick Lindemann"),
        ("alias", "Lindemann"),
    ]
    assert "after a placeholder" in found[1].detail
    # a place followed by more capitalised words is another thing, not a fuller name
    ex = Example("n", "search", "Where?", trace, answers_json(["New York"]))
    assert attacks(ex, hide(trace, ["New York"])) == {}


def test_mention_reads_plural_case_and_possessive_variants():
    trace = 'It revolves around killers called "loopers". LOOPER\'s plot is known. So the answer is: Looper.'
    ex = Example("l", "search", "Which film?", trace, answers_json(["Looper"]))
    masked = trace.replace("So the answer is: Looper", "So the answer is: [ENTITY]")
    assert attacks(ex, masked) == {"mention": ["loopers", "LOOPER"]}
    trace = "Which flowers? The daisies of Kent. So the answer is: Kent Daisy."
    ex = Example("d", "search", "Which flowers?", trace, answers_json(["Daisy"]))
    assert attacks(ex, trace.replace("Kent Daisy", "[ENTITY]")) == {"mention": ["daisies"]}


def _search_acceptance():
    import importlib.util

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "search_acceptance", ROOT / "benchmarks" / "search_acceptance.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_acceptance_script_finds_visible_numbers_and_junk_led_aliases_by_itself():
    acc = _search_acceptance()
    trace = (
        "Wikipedia Title: Offa\nOffa (died after 685) was king from c. 676 to 685 or 686. He had 1,685 men."
        "\n\nQ: When did Offa die?\nA: So the answer is: after 685."
    )
    ex = Example("n", "search", "When did Offa die?", trace, answers_json(["after 685"]))
    assert acc.gold_numbers_visible(ex, trace.replace("after 685", "[EXPR]")) == 3  # 676, 685, 686
    assert (
        acc.gold_numbers_visible(ex, trace.replace("after 685", "[EXPR]").replace("676 to 685 or 686", "[X]"))
        == 0
    )
    yes_no = Example("y", "search", "Did Offa die in 685?", trace, answers_json(["no"]))
    assert acc.gold_numbers_visible(yes_no, trace) == 0
    assert acc.paren_aliases("] ; Municipal Museum Amsterdam") == ["Municipal Museum Amsterdam"]
    assert acc.paren_aliases("/ˈfoʊ/, Foo City") == ["Foo City"]
    assert acc.paren_aliases("Marvel Comics") == []  # a disambiguation, no other name
    trace = (
        '<information> Doc 1(Title: "Stedelijk Museum Amsterdam") Stedelijk Museum Amsterdam (] ; Municipal '
        "Museum Amsterdam) is a museum. </information>\n<answer> [ENTITY] </answer>"
    )
    ex = Example("s", "search", "Which museum?", trace, answers_json(["Stedelijk Museum Amsterdam"]))
    masked = trace.replace("Stedelijk Museum Amsterdam", "[ENTITY]")
    assert acc.independent(ex, masked, [])["alias"] == 1


def test_the_acceptance_script_finds_a_long_or_short_form_left_beside_the_hidden_other():
    acc = _search_acceptance()
    trace = (
        "The Rebels represent the University of Nevada, Las Vegas (UNLV). Games are at Sam Boyd Stadium. "
        "The Times Higher Education (THE) ranks it.\n<answer> Sam Boyd Stadium </answer>"
    )
    assert acc.short_long_pairs(trace) == [
        ("University of Nevada, Las Vegas", "UNLV"),
        ("Times Higher Education", "THE"),
    ]
    ex = Example("u", "search", "Where do the Rebels play?", trace, answers_json(["Sam Boyd Stadium"]))
    gold = [(m.start(), m.end()) for m in re.finditer("Sam Boyd Stadium", trace)]
    unlv = (trace.index("UNLV"), trace.index("UNLV") + 4)
    full = (trace.index("University"), trace.index(" (UNLV"))
    assert acc.independent(ex, "", [*gold, unlv])["short_long"] == 1  # "UNLV" hidden, its long form not
    assert acc.independent(ex, "", [*gold, full])["short_long"] == 1  # and the other way round
    assert acc.independent(ex, "", [*gold, unlv, full])["short_long"] == 0
    assert acc.independent(ex, "", gold)["short_long"] == 0  # both visible: nothing hidden is named


def test_the_acceptance_script_counts_a_quoted_title_gold_cut_at_its_quotes_as_a_split():
    acc = _search_acceptance()
    trace = 'Films: "Red Sky" (1993), "Blue Moon" (1995).\n<answer> "Blue Moon" (1995) </answer>'
    golds = ['"Blue Moon" (1995)']
    cut = 'Films: "Red Sky" (1993), "[ENTITY]" [EXPR].\n<answer> "[ENTITY]" [EXPR] </answer>'
    assert acc.split_answer(trace, cut, golds) == 1
    whole = 'Films: "Red Sky" (1993), [EXPR].\n<answer> [EXPR] </answer>'
    assert acc.split_answer(trace, whole, golds) == 0
    ex = Example("q", "search", "Which film?", trace, answers_json(golds))
    spans = [(trace.index('"Blue'), trace.index(".\n")), (trace.rindex('"Blue'), trace.rindex(" </"))]
    assert acc.independent(ex, whole, spans)["damage"] == 0  # a quoted title hidden whole is no damage
    half = [(trace.index("Blue"), trace.index(".\n"))]  # 'Blue Moon" (1995)': one quote of the pair
    assert acc.independent(ex, whole, half)["damage"] == 1


def test_the_acceptance_script_reads_a_list_gold_whole_in_its_final_slot_as_no_damage():
    acc = _search_acceptance()
    gold = "cleaning, catering and security"
    trace = f"ISS does {gold} in 77 countries.\n<answer> {gold} </answer>"
    ex = Example("q", "search", "What does ISS do?", trace, answers_json([gold]))
    masked = "ISS does [ENTITY], [ENTITY] and [ENTITY] in 77 countries.\n<answer> [ENTITY] </answer>"
    items = [(trace.index(w), trace.index(w) + len(w)) for w in ("cleaning", "catering", "security")]
    slot = (trace.rindex(gold), trace.rindex(gold) + len(gold))
    assert acc.independent(ex, masked, [*items, slot])["damage"] == 0
    assert acc.split_answer(trace, masked, [gold]) == 0
    prose = (trace.index(gold), trace.index(gold) + len(gold))  # the list hidden whole in the prose
    assert acc.independent(ex, masked, [prose, slot])["damage"] == 1


def test_the_acceptance_script_finds_a_compared_attribute_and_a_paraphrase_by_itself():
    acc = _search_acceptance()
    question = "Were Anna Berglund and Tomas Hale known for the same type of work?"
    plain = "Anna Berglund is a chemist. Tomas Hale (born 1950) is a Dutch chemist and science writer."
    assert acc.attributes_visible(question, plain) == 2
    assert (
        acc.attributes_visible(question, "Anna Berglund is a [ENTITY]. Tomas Hale is a Dutch [ENTITY].") == 0
    )
    assert acc.attributes_visible(question, "Anna Berglund is a [ENTITY] and science writer.") == 1
    nation = "Are Darla Penn and Remy Lanois both American?"
    assert acc.yes_no_property(nation) == ["American"]
    assert acc.attributes_visible(nation, "Darla Penn is an American screenwriter.") == 1
    assert acc.attributes_visible(nation, "Darla Penn is an [ENTITY] screenwriter.") == 0
    place = "Are both Acme Power and Orbis Group based in Ohio?"
    assert acc.attributes_visible(place, "Orbis Group is a company headquartered in Ohio.") == 1
    assert acc.attributes_visible(place, "Orbis Group is a company headquartered in [ENTITY].") == 0
    ex = Example("y", "search", question, plain + "\nFinish[yes]", answers_json(["yes"]))
    assert acc.independent(ex, plain, [], "critical")["attribute"] == 2
    assert acc.independent(ex, plain, [], "answer")["attribute"] == 0  # a fact of critical's
    gold, q = "monthly women interest magazine", "Alma and Zorza are what kind of magazines?"
    assert acc.paraphrases_visible(gold, q, "Zorza is a Czech monthly lifestyle and women's magazine.") == 1
    assert (
        acc.paraphrases_visible(gold, q, "Zorza is a Czech [ENTITY] magazine. The magazine is monthly.") == 0
    )
    assert acc.paraphrases_visible("Red Star Line", "Which line?", "the red star of the east") == 0


def test_the_acceptance_script_finds_a_kind_said_again_in_other_words():
    acc = _search_acceptance()
    question = "Are both Velloria and Quintara a genus of orchids?"
    trace = (
        "Velloria (creeping moss) is a genus of about 30 species of mosses, native to Chile. "
        "Quintara, sold as Quin in the trade, is a genus of orchids (family Orchidaceae)."
    )
    plain = (
        "Velloria (creeping moss) is a [ENTITY], native to Chile. "
        "Quintara, sold as Quin in the trade, is a [ENTITY] (family Orchidaceae)."
    )
    assert acc.kind_words_visible(question, trace, plain) == 2  # "moss", "Orchidaceae"
    hidden = plain.replace("creeping moss", "creeping [ENTITY]").replace(
        "family Orchidaceae", "family [ENTITY]"
    )
    assert acc.kind_words_visible(question, trace, hidden) == 0
    # one subject's predicate alone tells nothing apart
    assert acc.kind_words_visible(question, trace.split(". ")[0] + ".", plain) == 0


# --- answer_word ----------------------------------------------------------------------------------------

TEAM = (
    "<think> I need information about Jim Hart. </think>\n<search> Jim Hart </search>\n"
    '<information> Doc 1(Title: "Jim Hart") Jim Hart was a basketball player for the Oklahoma Sooners. He '
    "grew up in Norman, Oklahoma. </information>\n"
    '<information> Doc 1(Title: "Oklahoma Sooners men\'s basketball") The team represents the University '
    "of Oklahoma in Norman. The Sooners play in the Big 12. </information>\n"
    "<answer> Oklahoma Sooners </answer>"
)


def test_a_word_only_the_answer_has_is_found_alone_and_hidden():
    ex = Example(
        "t",
        "search",
        'Which team did the player nicknamed "Scat" lead in 1939?',
        TEAM,
        answers_json(["Oklahoma Sooners"]),
    )
    masked = hide(TEAM, ["Oklahoma Sooners", "Jim Hart"], forms=False)
    got = attacks(ex, masked)
    assert sorted(got["answer_word"]) == [
        "Oklahoma",
        "Oklahoma",
        "Sooners",
    ]  # the kind word "University" stays
    r = mask_example(ex)
    assert r.leak is None and "Sooners" not in r.text and "Oklahoma" not in r.text
    assert "University of [ENTITY]" in r.text
    # a word the question uses names nothing hidden: "Oklahoma" asked about stays
    asked = Example(
        "t", "search", "Which Oklahoma team did Jim Hart play for?", TEAM, answers_json(["Oklahoma Sooners"])
    )
    assert sorted(attacks(asked, masked)["answer_word"]) == ["Sooners"]


def test_month_and_kind_words_are_no_word_only_the_answer_has():
    # "March" of "2 March 1972" is in every date of March; "University" names a kind of thing
    assert answer_words("When was he born?", ["2 March 1972"]) == []
    assert answer_words("Where did he study?", ["University of Oklahoma"]) == ["Oklahoma"]
    assert answer_words("Which team?", ["Oklahoma Sooners"]) == ["Oklahoma", "Sooners"]


def test_the_answer_word_inside_a_nickname_the_trace_gives_is_hidden():
    # "Super Mario" given as a nickname names Mario Lemieux; the same words elsewhere are another name
    text = (
        'He played. Dubbed "The Magnificent One" (as well as "Super Mario"), he is one of the best.'
        ' The "Super Mario" game and Super Mario Bros. sold well.'
    )
    found = find_answer_words(text, "Which player endorses MLX Skates?", ["Mario Lemieux"])
    assert [(text[a:b], a) for a, b in found] == [("Mario", text.index("Mario"))]
    acc = _search_acceptance()  # the independent count sees the nickname too, and only it
    assert acc.lone_words_visible("Mario Lemieux", "Which player?", text) == 1
    assert acc.lone_words_visible("Mario Lemieux", "Which player?", text.replace('"Super Mario")', "")) == 0
    # the cue stands right before the quote: "a.k.a." too, never a quote later in a sentence that "called"
    aka = 'Lemieux, a.k.a. "Super Mario", was drafted first.'
    assert [aka[a:b] for a, b in find_answer_words(aka, "Which player?", ["Mario Lemieux"])] == [
        "Lemieux",
        "Mario",
    ]
    rival = 'Koch called the rival "Miller Brewing Company" a giant.'
    assert find_answer_words(rival, "Which brewery?", ["Stone Brewing"]) == []
    assert acc.lone_words_visible("Stone Brewing", "Which brewery?", rival) == 0


def test_a_longer_word_built_on_the_answer_word_is_hidden_too():
    # "Gesellschafter" (the owners) says "Gesellschaft"; "Oklahoman" says "Oklahoma"; "San Francisco" is
    # another name, and a short word ("Love") takes no ending ("Lovely")
    text = 'The owners ("Gesellschafter") of a GmbH. An Oklahoman. San Francisco. Lovely.'
    gold = ["Gesellschaft mit beschränkter Haftung", "Oklahoma Sooners", "Francis Ford", "Courtney Love"]
    found = [text[a:b] for a, b in find_answer_words(text, "What does GmbH stand for?", gold)]
    assert found == ["Gesellschafter", "Oklahoman"]
    acc = _search_acceptance()
    question = "What does GmbH stand for?"
    assert acc.lone_words_visible(gold[0], question, text) == 1
    assert acc.lone_words_visible(gold[0], question, text.replace("Gesellschafter", "[ENTITY]")) == 0


def test_a_given_name_written_in_full_goes_with_the_answer():
    # 'Matthew Abraham "Matt" Groening' for Matt Groening: the full given name tells the short one (round 37
    # of the blind reading read it off); a relative's other given name ("Homer Groening") stays
    trace = (
        'Doc 1: Matthew Abraham "Matt" Groening (born February 15, 1954) is an American cartoonist. '
        "His father was Homer Groening. Matthew Perry is an actor.\nSo the answer is: Matt Groening"
    )
    gold = answers_json(["Matt Groening"])
    r = mask_text("search", trace, question="Who created The Simpsons?", answer=gold)
    assert "Matthew Abraham" not in r.text and "Homer Groening" in r.text and "Matthew Perry" in r.text
    spans = [(s.start, s.end) for s in r.spans]
    acc = _search_acceptance()  # the independent check, its own pattern
    assert acc.given_names_visible("Matt Groening", trace, spans) == 0
    assert acc.given_names_visible("Matt Groening", trace, []) == 1  # and sees it on the text left as it was
    # a full given name the answer's is short for goes too ("Timothy Michael Kaine" for Tim Kaine)
    kaine = "Doc 1: Timothy Michael Kaine (born 1958) is a senator.\nSo the answer is: Tim Kaine"
    r = mask_text("search", kaine, question="Which senator?", answer=answers_json(["Tim Kaine"]))
    assert "Timothy" not in r.text and "Michael" not in r.text
    assert acc.given_names_visible("Tim Kaine", kaine, []) == 1
    assert acc.given_names_visible("Tim Kaine", kaine, [(s.start, s.end) for s in r.spans]) == 0
    # a longer name neither a known full form nor a quoted nickname ties to the answer is another person's
    # ("Willow" for Will Smith)
    other = "Will Smith acts. His daughter Willow Camille Reign Smith sings.\nSo the answer is: Will Smith"
    r = mask_text("search", other, question="Who acts?", answer=answers_json(["Will Smith"]))
    assert "His daughter Willow Camille Reign " in r.text  # (her surname alone goes as the answer's word)
    assert acc.given_names_visible("Will Smith", other, []) == 0
    curly = "William \u201cWill\u201d Smith acts.\nSo the answer is: Will Smith"
    r = mask_text("search", curly, question="Who acts?", answer=answers_json(["Will Smith"]))
    assert "William" not in r.text and acc.given_names_visible("Will Smith", curly, []) == 1
    # the full given names the question writes are the question's ('Jerome Bernard "Jerry" Orbach' where it
    # asks about Jerome Bernard): the variant is not the answer's then
    text = 'Jerome Bernard "Jerry" Orbach (born 1935) was an actor.'
    asked = "What film do both Jerome Bernard and Ira Lewis have in common?"
    assert find_name_variants(text, "Jerry Orbach") == [(0, 29)]
    assert find_name_variants(text, "Jerry Orbach", asked) == []
    # a quoted nickname as a middle name, straight or curly: the name with it is the answer's mention
    text = 'Jeremy "The Beast" Horn and Jeremy \u201cThe Beast\u201d Horn fought.'
    assert [text[a:b] for a, b in find_name_variants(text, "Jeremy Horn")] == [
        'Jeremy "The Beast" Horn',
        "Jeremy \u201cThe Beast\u201d Horn",
    ]
