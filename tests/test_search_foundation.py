"""The search domain's foundation on the bundled samples: trace parsing, answers, the verifier, presets."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smepo_data._domains import find_preset
from smepo_data._model import Example, RowError
from smepo_data.search._reader import find_answer_mentions
from smepo_data.search._sources import bridge_titles, hotpotqa_trace
from smepo_data.search._trace import FORMATS, KINDS, Step, detect_format, parse_trace
from smepo_data.search.answers import (
    answers_json,
    exact_match,
    find_mentions,
    normalize_answer,
    parse_answers,
    token_f1,
)
from smepo_data.search.verifier import SearchVerifier

from .conftest import SAMPLES, load_jsonl

RAW = {
    name: load_jsonl(SAMPLES / f"{name}_sample.jsonl") for name in ("searchr1", "react", "ircot", "hotpotqa")
}
EXAMPLES = {
    name: [find_preset(name).to_example(r, source=name, index=i) for i, r in enumerate(rows)]
    for name, rows in RAW.items()
}
ALL = [ex for exs in EXAMPLES.values() for ex in exs]
V = SearchVerifier()


def texts(trace: str, steps: list[Step], kind: str) -> list[str]:
    return [trace[s.start : s.end] for s in steps if s.kind == kind]


def kinds(trace: str) -> list[str]:
    return [s.kind for s in parse_trace(trace)[1]]


def hide_mentions(ex: Example, text: str | None = None) -> str:
    """``text`` (the trace) with every mention of the answer or an alias, in any form ("Jeremy Graham
    Horn" for "Jeremy Horn", "#1" for "No. 1"), as ``[ANSWER]``."""
    text = ex.trace if text is None else text
    merged: list[list[int]] = []
    for s, e in find_answer_mentions(text, parse_answers(ex.answer)):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out += [text[pos:s], "[ANSWER]"]
        pos = e
    return "".join(out) + text[pos:]


# --- samples and presets -------------------------------------------------------------------------


def test_samples_load_through_their_presets():
    assert {k: len(v) for k, v in EXAMPLES.items()} == {
        "searchr1": 2,
        "react": 6,
        "ircot": 29,
        "hotpotqa": 20,
    }
    assert all(ex.domain == "search" and json.loads(ex.answer)["answers"] for ex in ALL)
    assert EXAMPLES["react"][0].answer == '{"answers": ["1,800 to 7,000 ft"]}'
    assert EXAMPLES["ircot"][0].id == "5a8ed9f355429917b4a5bddd"
    assert EXAMPLES["searchr1"][1].question.startswith("the heart muscle is stimulated")


def test_existing_presets_keep_their_meta():
    row = {"question": "q", "answer": "It is 3.\n#### 3"}
    assert find_preset("gsm8k").to_example(row, source="s", index=4).meta == {"source": "s", "index": 4}


# --- parsing ---------------------------------------------------------------------------------------


def test_search_r1_steps():
    trace = RAW["searchr1"][0]["trace"]
    fmt, steps = parse_trace(trace)
    assert fmt == "search_r1"
    assert [s.kind for s in steps] == [
        "think", "query", "retrieved", "reasoning", "query", "retrieved", "reasoning", "answer",
    ]  # fmt: skip
    assert texts(trace, steps, "query") == [
        "Paul Walker's cars in Fast and Furious",
        "list of cars paul walker drove in Fast and Furious",
    ]
    assert texts(trace, steps, "think") == [
        "I need to search for Paul Walker's cars in Fast and Furious movies."
    ]
    assert texts(trace, steps, "retrieved")[0].startswith('Doc 1(Title: "Paul Walker") also had')
    assert texts(trace, steps, "answer") == ["Charger"]


def test_search_r1_stray_closing_tag_and_untagged_reasoning():
    trace = RAW["searchr1"][1]["trace"]
    steps = parse_trace(trace)[1]
    reasoning = texts(trace, steps, "reasoning")
    assert len(reasoning) == 1 and reasoning[0].endswith("the heart's natural pacemaker.")  # no "</think>"
    assert texts(trace, steps, "answer") == ["sinoatrial (SA) node"]


def test_search_r1_transcript_reads_only_the_assistant_turn():
    row = RAW["searchr1"][0]
    chat = (
        "<|im_start|>user\nCall a search engine by <search> query </search>; answer as <answer> Beijing "
        f"</answer>. Question: {row['question']}\n<|im_end|>\n<|im_start|>assistant\n{row['trace']}"
    )
    fmt, steps = parse_trace(chat)
    assert fmt == "search_r1"
    assert texts(chat, steps, "query")[0] == "Paul Walker's cars in Fast and Furious"
    assert texts(chat, steps, "answer") == ["Charger"]
    assert V.extract_answer(chat) == "Charger"


def test_react_steps():
    trace = RAW["react"][0]["trace"]
    fmt, steps = parse_trace(trace)
    assert fmt == "react"
    assert [s.kind for s in steps] == ["reasoning", "query", "retrieved"] * 4 + ["reasoning", "answer"]
    assert texts(trace, steps, "query") == [
        "Colorado orogeny", "eastern sector", "High Plains", "High Plains (United States)",
    ]  # fmt: skip
    assert texts(trace, steps, "answer") == ["1,800 to 7,000 ft"]
    assert texts(trace, steps, "retrieved")[2] == "High Plains refers to one of two distinct land regions:"


def test_react_multiline_observation():
    trace = RAW["react"][2]["trace"]
    steps = parse_trace(trace)[1]
    assert texts(trace, steps, "retrieved")[1].endswith("part of the PBS series The American Experience.")
    assert "\n" in texts(trace, steps, "retrieved")[1]
    assert texts(trace, steps, "answer") == ["The Saimaa Gesture"]


def test_ircot_steps():
    trace = RAW["ircot"][0]["trace"]
    fmt, steps = parse_trace(trace)
    assert fmt == "cot"
    assert [s.kind for s in steps] == ["retrieved"] * 4 + ["reasoning", "answer"]
    assert texts(trace, steps, "retrieved")[3].startswith("Walls and Bridges\nWalls and Bridges is the fifth")
    assert texts(trace, steps, "reasoning") == [
        "The album issued by Apple Records, and written, recorded, and released during John Lennon's 18 "
        "month separation from Yoko Ono is Walls and Bridges. Nobody Loves You was written by John Lennon "
        "on Walls and Bridges album."
    ]
    assert texts(trace, steps, "answer") == ["Walls and Bridges"]
    question = RAW["ircot"][0]["question"]
    assert all(question not in trace[s.start : s.end] for s in steps)  # the Q: line stays out


def test_ircot_answer_keeps_its_own_period():
    ex = next(ex for ex in EXAMPLES["ircot"] if "Hot Hot Heat" in ex.question)
    assert ex.trace.rstrip().endswith("So the answer is: The Operation M.D..")
    assert texts(ex.trace, parse_trace(ex.trace)[1], "answer") == ["The Operation M.D."]


@pytest.mark.parametrize("name", ["searchr1", "react", "ircot"])
def test_every_sample_has_one_answer_step_and_clean_steps(name):
    for row in RAW[name]:
        trace = row["trace"]
        steps = parse_trace(trace)[1]
        assert [s.kind for s in steps].count("answer") == 1
        assert [trace[s.start : s.end] for s in steps if s.kind == "answer"] == parse_answers(row["answer"])
        assert not any("<" + tag in trace[s.start : s.end] for s in steps for tag in ("search>", "answer>"))


def test_plain_cot_and_format_detection():
    text = "Paris is in France. So the answer is Paris."
    assert detect_format(text) == "cot"
    assert kinds(text) == ["reasoning", "answer"]
    assert texts(text, parse_trace(text)[1], "answer") == ["Paris"]
    assert detect_format("Question: q\nThought 1: t") == "react"
    assert detect_format("Question: q\nWe know x.") == "cot"
    assert detect_format("<answer> x") == "search_r1"


@pytest.mark.parametrize(
    "text",
    ["", "<think>", "<answer>", "</think></answer>", "<search> q", "Action 1: Finish[", "Action 2: Search[",
     "So the answer is:", "A:", "Wikipedia Title:", "<|im_start|>assistant", "Observation 1:", "]]["],
)  # fmt: skip
def test_odd_text_never_raises(text):
    fmt, steps = parse_trace(text)
    assert fmt in FORMATS
    assert all(0 <= s.start < s.end <= len(text) for s in steps)


def test_unterminated_tags_run_to_the_next_tag():
    text = "<think> plan <search> who wrote X <information> Doc 1 X was written by Y\n<answer> Y"
    steps = parse_trace(text)[1]
    assert [(s.kind, text[s.start : s.end]) for s in steps] == [
        ("think", "plan"),
        ("query", "who wrote X"),
        ("retrieved", "Doc 1 X was written by Y"),
        ("answer", "Y"),
    ]


@given(
    st.lists(
        st.sampled_from(
            [
                "<think>",
                "</think>",
                "<search>",
                "</search>",
                "<information>",
                "</information>",
                "<answer>",
                "</answer>",
                "Thought 1: ",
                "Action 1: Search[",
                "Finish[",
                "]",
                "Observation 1: ",
                "\n",
                "\n\n",
                "Q: ",
                "A: ",
                "Wikipedia Title: ",
                "So the answer is: ",
                "Paris",
                " ",
                ".",
                "<|im_start|>assistant\n",
                "<|im_end|>",
            ]
        ),  # fmt: skip
        max_size=30,
    )
)
def test_steps_are_sorted_disjoint_and_trimmed(pieces):
    text = "".join(pieces)
    steps = parse_trace(text)[1]
    prev = 0
    for s in steps:
        assert prev <= s.start < s.end <= len(text) and s.kind in KINDS
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        prev = s.end


# --- HotpotQA trajectories -----------------------------------------------------------------------


def test_hotpotqa_trajectory_over_the_supporting_paragraphs():
    row = RAW["hotpotqa"][0]
    ex = EXAMPLES["hotpotqa"][0]
    assert ex.meta["bridge_titles"] == ["VIVA Media", "Gesellschaft mit beschränkter Haftung"]
    assert ex.answer == '{"answers": ["Gesellschaft mit beschränkter Haftung"]}'
    lines = ex.trace.split("\n")
    assert lines[:2] == [
        "<think> I need information about VIVA Media. </think>",
        "<search> VIVA Media </search>",
    ]
    assert lines[2].startswith(
        '<information> Doc 1(Title: "VIVA Media") VIVA Media GmbH (until 2004 "VIVA Media AG")'
    )
    assert lines[2].endswith("launched in Poland and Switzerland in 2000. </information>")
    assert lines[4] == "<search> Gesellschaft mit beschränkter Haftung </search>"
    assert lines[-1] == "<answer> Gesellschaft mit beschränkter Haftung </answer>"
    assert len(lines) == 7
    steps = parse_trace(ex.trace)[1]
    assert texts(ex.trace, steps, "query") == ex.meta["bridge_titles"]
    assert texts(ex.trace, steps, "answer") == [row["answer"]]


def test_hotpotqa_titles_once_each_in_order():
    ex = EXAMPLES["hotpotqa"][2]  # supporting facts: 3 sentences of one title, then another title
    assert ex.meta["bridge_titles"] == ["Maine gubernatorial election, 1820", "William King (governor)"]
    assert ex.trace.count("<search>") == 2


def test_hotpotqa_original_json_layout_gives_the_same_trace():
    row = RAW["hotpotqa"][3]
    original = {
        "_id": row["id"],
        "question": row["question"],
        "answer": row["answer"],
        "supporting_facts": [list(f) for f in zip(*row["supporting_facts"].values(), strict=True)],
        "context": [list(c) for c in zip(*row["context"].values(), strict=True)],
    }
    ex = find_preset("hotpotqa").to_example(original, source="hotpot_dev.json", index=3)
    assert ex.trace == EXAMPLES["hotpotqa"][3].trace and ex.id == row["id"]
    assert ex.meta["bridge_titles"] == bridge_titles(row)


def test_hotpotqa_converted_rows_keep_trace_answer_and_titles():
    row = RAW["hotpotqa"][1]
    converted = {
        "id": row["id"],
        "question": row["question"],
        "trace": hotpotqa_trace(row),
        "answer": answers_json([row["answer"]]),
        "hotpotqa": row,
    }
    ex = find_preset("hotpotqa").to_example(converted, source="hotpotqa.jsonl", index=0)
    assert ex == Example(ex.id, "search", row["question"], EXAMPLES["hotpotqa"][1].trace, ex.answer, ex.meta)
    assert ex.meta["bridge_titles"] == ["Jonny Craig", "Pete Doherty"]
    # the source gold's stray quote is junk: the gold is read, and the trace's answer slot built, in its
    # cleaned form
    assert parse_answers(ex.answer) == ["Jonny Craig"]
    assert ex.trace.endswith("<answer> Jonny Craig </answer>")


def test_hotpotqa_bad_rows():
    row = dict(RAW["hotpotqa"][0])
    with pytest.raises(RowError, match="supporting_facts"):
        find_preset("hotpotqa").to_example({"question": "q", "answer": "a"}, source="s", index=0)
    bad = {**row, "supporting_facts": {"title": ["Nowhere"], "sent_id": [0]}}
    with pytest.raises(RowError, match="no paragraph"):
        find_preset("hotpotqa").to_example(bad, source="s", index=0)


def test_answer_column_aliases_and_trace_fallback():
    row = {
        "question": "q",
        "trace": "<answer> Paris </answer>",
        "answer": "Paris",
        "aliases": ["City of Paris"],
    }
    assert parse_answers(find_preset("searchr1").to_example(row, source="s", index=0).answer) == [
        "Paris",
        "City of Paris",
    ]
    row = {"question": "q", "trace": "<answer> Paris </answer>", "golden_answers": ["Paris", "paris"]}
    assert find_preset("searchr1").to_example(row, source="s", index=0).answer == '{"answers": ["Paris"]}'
    row = {"question": "q", "trajectory": "Thought 1: t\nAction 1: Finish[Lyon]"}
    assert find_preset("react").to_example(row, source="s", index=0).answer == '{"answers": ["Lyon"]}'
    with pytest.raises(RowError, match="no final answer"):
        find_preset("ircot").to_example({"question": "q", "chain": "A: no conclusion"}, source="s", index=0)


# --- answers -------------------------------------------------------------------------------------


def test_normalize_answer():
    assert normalize_answer("The  Eiffel Tower!") == "eiffel tower"
    assert normalize_answer("An apple, a PEAR") == "apple pear"
    assert normalize_answer("Theatre") == "theatre"  # articles only as whole words
    assert normalize_answer("1,800 ft.") == "1800 ft"


def test_exact_match_and_f1():
    assert exact_match("the Eiffel Tower.", "Eiffel tower")
    assert not exact_match("Eiffel", "Eiffel Tower")
    assert token_f1("Eiffel", "Eiffel Tower") == pytest.approx(2 / 3)
    assert token_f1("the tall Eiffel Tower", "Eiffel Tower") == pytest.approx(0.8)
    assert token_f1("Paris", "Lyon") == 0.0
    assert token_f1("no", "no idea") == 0.0  # yes/no only match exactly
    assert token_f1("yes", "Yes.") == 1.0


def test_parse_answers():
    assert parse_answers("  Paris ") == ["Paris"]
    assert parse_answers('{"answers": ["Paris", "City of Paris", "paris.", " "]}') == [
        "Paris",
        "City of Paris",
    ]
    assert answers_json(["Paris", "the paris"]) == '{"answers": ["Paris"]}'


@pytest.mark.parametrize(
    "bad", ["", "   ", "the", "?!", '{"answers": []}', '{"answers": [1]}', '{"answers": ["", "x"]}',
            '{"x": ["a"]}', '{"answers": "Paris"}', "{not json"],
)  # fmt: skip
def test_bad_answers_raise_row_errors(bad):
    with pytest.raises(RowError) as e:
        parse_answers(bad)
    assert e.value.reason == "unparsable_answer"
    with pytest.raises(RowError):
        V.validate(Example("x", "search", "q", "t", bad))


def test_non_text_answer_is_a_row_error():
    with pytest.raises(RowError):
        parse_answers(["Paris"])  # type: ignore[arg-type]


def test_find_mentions_case_articles_punctuation_and_partials():
    text = "We saw the Eiffel Tower's top; EIFFEL-tower! Then the eiffel towers."
    spans = find_mentions(text, ["The Eiffel Tower"])
    assert [text[s:e] for s, e in spans] == ["Eiffel Tower", "EIFFEL-tower", "eiffel towers"]  # a plural too
    text = "It rises from 1,800 to 7,000 ft; Rémi Lange met the Operation M.D. in Lee–Enfield."
    found = lambda a: [text[s:e] for s, e in find_mentions(text, [a])]  # noqa: E731
    assert found("1800") == ["1,800"]
    assert found("1,800 to 7,000 ft") == ["1,800 to 7,000 ft"]
    assert found("Remi Lange") == ["Rémi Lange"]
    assert found("The Operation M.D..") == ["Operation M.D"]
    assert found("Enfield") == ["Enfield"]
    assert found("Lange met") == ["Lange met"]
    assert found("Ange") == []  # whole words only


def test_find_mentions_aliases():
    text = "The City of Paris, or simply Paris, is the capital."
    spans = find_mentions(text, parse_answers('{"answers": ["Paris", "City of Paris"]}'))
    assert [text[s:e] for s, e in spans] == ["City of Paris", "Paris", "Paris"]


# --- verifier ------------------------------------------------------------------------------------


def test_extract_answer_per_format():
    assert V.extract_answer(RAW["searchr1"][1]["trace"]) == "sinoatrial (SA) node"
    assert V.extract_answer(RAW["react"][3]["trace"]) == "director, screenwriter, actor"
    assert V.extract_answer(RAW["ircot"][-1]["trace"]) == "Raoul Walsh"
    assert V.extract_answer("<answer> A </answer> then <answer> B </answer>") == "B"
    assert V.extract_answer("Finish[x]\nAction 2: Finish[High Plains (US) [2]]") == "High Plains (US) [2]"
    assert V.extract_answer("The final answer is: Lyon.") == "Lyon"
    assert V.extract_answer("<answer></answer> So the answer is Lyon") == "Lyon"
    assert V.extract_answer("no conclusion here") is None


def test_score_and_f1():
    gold = '{"answers": ["Paris", "City of Paris"]}'
    assert V.reward("<answer> the city of Paris </answer>", gold) == 1.0
    assert V.reward("So the answer is: paris.", gold) == 1.0
    assert V.reward("<answer> Lyon </answer>", gold) == 0.0
    assert V.reward("nothing", gold) == 0.0
    assert V.partial_reward("<answer> Paris France </answer>", gold) == pytest.approx(2 / 3)
    assert V.partial_reward("nothing", gold) == 0.0
    for ex in ALL:
        assert V.reward(ex.trace, ex.answer) == 1.0 and V.partial_reward(ex.trace, ex.answer) == 1.0


def test_every_unmasked_trace_leaks():
    for ex in ALL:
        assert V.leak(ex, ex.trace), ex.id


def literal(ex: Example, masked: str) -> list:
    """The findings of the two literal attacks (the final answer, a mention); the reading attacks
    (elimination, yes / no, titles) are tested in test_search_attacks.py."""
    return [f for f in V.attacks(ex, masked) if f.attack in ("final_answer", "mention")]


def test_no_literal_leak_once_every_mention_is_hidden():
    for ex in ALL:
        masked = hide_mentions(ex)
        assert "[ANSWER]" in masked
        assert literal(ex, masked) == [], (ex.id, literal(ex, masked))
        assert V.reward(masked, ex.answer) == 0.0


def test_leak_reasons_name_what_and_where():
    ex = EXAMPLES["react"][1]
    trace = ex.trace
    at = trace.index("Finish[") + len("Finish[")
    assert (
        V.leak(ex, trace)
        == f"final_answer: the final answer at {at} ('Richard Nixon') matches the gold answer 'Richard Nixon'"
    )
    first = V.attacks(ex, trace)[0]
    assert (first.attack, trace[first.start : first.end]) == ("final_answer", "Richard Nixon")
    no_finish = trace.replace("Finish[Richard Nixon]", "Finish[[ANSWER]]")
    at = no_finish.index("so the answer is Richard Nixon") + len("so the answer is ")
    assert V.leak(ex, no_finish).startswith(
        f"final_answer: the final answer at {at} ('Richard Nixon')"
    )  # the thought says it
    no_answer = no_finish.replace("answer is Richard Nixon", "answer is [ANSWER]")
    at = no_answer.index("Richard Nixon")
    assert V.leak(ex, no_answer).startswith(
        f"mention: the gold answer 'Richard Nixon' is still mentioned at {at}: "
    )


def test_mentions_in_a_copy_of_the_question_do_not_leak():
    ex = EXAMPLES["ircot"][-1]  # "Who was born first? Jan de Bont or Raoul Walsh?"
    q = ex.trace.index(ex.question)
    before, after = ex.trace[:q], ex.trace[q + len(ex.question) :]
    masked = hide_mentions(ex, before) + ex.question + hide_mentions(ex, after)
    assert masked.count("Raoul Walsh") == 1
    assert literal(ex, masked) == []
    assert literal(ex, masked.replace(ex.question, ex.question.replace("?", ".")))
    # the other option is visible outside the copy: a reader eliminates (elimination attack)
    assert {f.attack for f in V.attacks(ex, masked)} == {"elimination"}


def test_placeholders_and_tags_never_match():
    ex = Example("x", "search", "q", "", '{"answers": ["Entity", "Blank 1", "Information"]}')
    assert V.leak(ex, "<information> [ENTITY] </information> <answer> [BLANK_1] </answer>") is None
    assert V.leak(ex, "<answer> Entity </answer>")
    assert V.leak(ex, "<information> the information age </information>")


def test_yes_no_answers_leak_only_through_the_final_answer():
    ex = EXAMPLES["react"][5]  # Finish[yes]
    assert V.leak(ex, ex.trace)
    masked = ex.trace.replace("Finish[yes]", "Finish[[ANSWER]]")
    assert literal(ex, masked + "\nyes, no matter what") == []
    # the last thought still concludes "yes" (yes_no attack); prose outside the conclusion does not
    assert [f.attack for f in V.attacks(ex, masked)] == ["yes_no"]
    masked = masked.replace("have the same type of work", "[ENTITY]")
    assert V.attacks(ex, masked + "\nyes, no matter what") == []
