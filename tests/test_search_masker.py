"""The search masker with the real spaCy pipeline (en_core_web_sm) on the bundled traces."""

from __future__ import annotations

import pytest

from smepo_data import Example, mask_example, render
from smepo_data._domains import find_preset
from smepo_data.io.readers import read_rows
from smepo_data.search.answers import answers_json
from smepo_data.search.masker import SearchMasker
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


def test_a_span_holding_one_half_of_a_quote_takes_the_other():
    from smepo_data._model import Span
    from smepo_data.search.masker import _balanced

    # HotpotQA 5adcdea8: the person's span started inside '"Jerry" Orbach' and swallowed the closing quote
    trace = 'Jerome Bernard "Jerry" Orbach (October 20, 1935)'
    s = trace.index("Jerry")
    span = _balanced(trace, Span(s, trace.index(" (October"), "entity", "an entity", "x"))
    assert trace[span.start : span.end] == '"Jerry" Orbach'
    whole = Span(0, len("Jerome Bernard"), "entity", "an entity", "x")
    assert _balanced(trace, whole) is whole
