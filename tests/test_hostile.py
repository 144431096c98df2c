"""Hostile input: every domain's masker on arbitrary text never raises, returns sorted spans inside the
text that do not overlap, and renders deterministically (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smepo_data import Example, render
from smepo_data._domains import get_domain
from smepo_data._model import RowError, check_text
from smepo_data._render import check_spans

# text made of the pieces that make masking hard: numbers, LaTeX, fences, tags, braces, unicode
PIECES = st.sampled_from(
    [
        "1",
        "2.5",
        "-3",
        "1,000",
        "48/2",
        "=",
        " ",
        "\n",
        "$",
        "\\frac{",
        "}",
        "{",
        "\\boxed{",
        "\\sqrt",
        "x_1",
        "^2",
        "####",
        "<<",
        ">>",
        "Step 1:",
        "```",
        "```python\n",
        "~~~",
        "`",
        "def f(x):\n",
        "    return x\n",
        "<search>",
        "</search>",
        "<answer>",
        "</answer>",
        "Action 1: Search[",
        "]",
        "Paris",
        "the",
        "é",
        "\x00",
        "\ud800",
        "[NUMBER]",
        "So the answer is:",
        "(",
        ")",
        "\\[",
        "\\]",
        "%",
        "x",
        "A:",
        "#",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join)
ANSWERS = {
    "math": st.sampled_from(["72", "\\frac{1}{2}", "(1,2)", "\\text{Monday}", "x+1", "0"]),
    "code": st.just(json.dumps({"tests": "assert f(1) == 1", "entry_point": "f"})),
    "search": st.sampled_from([json.dumps({"answers": ["Paris", "City of Light"]}), "1998", "yes"]),
}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans_of(domain: str, question: str, trace: str, answer: str, level: str):
    ex = Example("x", domain, question, trace, answer)
    masker = get_domain(domain).masker
    try:
        for name in ("question", "trace", "answer"):
            check_text(name, getattr(ex, name))
        masker.validate(ex)
    except RowError:
        return None  # refused with a reason: that is a valid outcome
    return masker.find_spans(ex, level)


def test_mask_text_refuses_invalid_unicode_with_a_reason():
    from smepo_data import mask_text

    for domain, answer in (("math", "1"), ("search", "Paris")):
        with pytest.raises(RowError, match="invalid_text: 'trace' is not valid Unicode"):
            mask_text(domain, "a \ud800 b", question="q", answer=answer)


@pytest.mark.parametrize("domain", ["math", "code", "search"])
def test_maskers_never_raise_and_spans_are_well_formed(domain):
    levels = list(get_domain(domain).spec.levels)  # level -> description, least strict first

    @SETTINGS
    @given(question=TEXT, trace=TEXT, answer=ANSWERS[domain], level=st.sampled_from(levels))
    def check(question, trace, answer, level):
        spans = spans_of(domain, question, trace, answer, level)
        if spans is None:
            return
        check_spans(trace, spans)  # sorted, inside the text, non-empty, non-overlapping
        assert render(trace, spans) == render(trace, spans_of(domain, question, trace, answer, level))

    check()


# pieces of JSON lines that break readers: deep nesting, digit runs past Python's limit, bad UTF-8
LINE_PIECES = st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"', b":", b",", b"1", b"9" * 5_000, b"[" * 3_000, b"\xff", b"\\u", b" ",
     b'{"question": "', b'"answer": ', b"null", b"\r"]
)  # fmt: skip
LINE = st.lists(st.one_of(LINE_PIECES, st.binary(max_size=8)), max_size=12).map(b"".join)


def test_reading_any_bytes_never_raises_and_yields_every_line(tmp_path_factory):
    from smepo_data.io.readers import exact_count, read_rows

    folder = tmp_path_factory.mktemp("lines")

    @SETTINGS
    @given(
        lines=st.lists(LINE.map(lambda b: b.replace(b"\n", b" ")), max_size=6),
        bound=st.sampled_from([64, 10**6]),
    )
    def check(lines, bound):
        path = folder / "rows.jsonl"
        path.write_bytes(b"\n".join(lines))
        rows = list(read_rows(path, max_line_bytes=bound))
        # a UTF-8 byte order mark at the file's start is no content (the readers skip it)
        shown = [lines[0].removeprefix(b"\xef\xbb\xbf"), *lines[1:]] if lines else []
        expected = [line for line in shown if line.strip() or len(line) > bound]
        assert len(rows) == len(expected) == exact_count(path, bound)
        for row in rows:
            assert (row.data is None) == (row.error is not None)
            assert row.data is not None or row.reason in ("unreadable_row", "too_deep", "too_large")

    check()
