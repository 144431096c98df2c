import pytest

from smepo_data import Span, render
from smepo_data._render import check_spans, disguise, placeholders

TEXT = "48/2 = 24, so 48+24 = 72"


def spans():
    return [
        Span(7, 9, "number", "derived", "24"),
        Span(17, 19, "number", "derived", "24"),
        Span(22, 24, "answer", "gold", "72"),
    ]


def test_typed_placeholders_by_kind():
    # the answer looks like any other hidden value unless asked for (typed_answer)
    assert render(TEXT, spans()) == "48/2 = [NUMBER], so 48+[NUMBER] = [NUMBER]"
    assert render(TEXT, spans(), "typed_answer") == "48/2 = [NUMBER], so 48+[NUMBER] = [ANSWER]"
    assert placeholders(
        [Span(0, 1, "expression", ""), Span(2, 3, "entity", ""), Span(4, 5, "odd_kind", "")]
    ) == ["[EXPR]", "[ENTITY]", "[ODD_KIND]"]


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("New York", "[ENTITY]"),
        ("N.Y.", "[ENTITY]"),
        ("U.S.", "[ENTITY]"),
        ("72", "[NUMBER]"),
        ("26 September 1974", "[EXPR]"),
        ("x", "[EXPR]"),
        ("\\frac{1}{2}", "[EXPR]"),
    ],
)
def test_disguise_reads_abbreviations_as_names(value, tag):
    # an abbreviation of a hidden name takes the tag its spelt-out form takes, so the tag tells nothing
    assert disguise(value) == tag


def test_indexed_placeholders_share_a_blank_for_equal_values():
    assert render(TEXT, spans(), "indexed") == "48/2 = [BLANK_1], so 48+[BLANK_1] = [BLANK_2]"


def test_indexed_span_without_value_is_its_own_blank():
    s = [Span(0, 2, "number", "x"), Span(3, 4, "number", "y")]
    assert render("48/2", s, "indexed") == "[BLANK_1]/[BLANK_2]"


def test_no_spans_is_identity():
    assert render(TEXT, []) == TEXT


@pytest.mark.parametrize(
    "bad",
    [
        [Span(5, 3, "number", "")],  # reversed
        [Span(0, 3, "number", ""), Span(2, 4, "number", "")],  # overlapping
        [Span(20, 99, "number", "")],  # past the end
        [Span(4, 5, "number", ""), Span(0, 1, "number", "")],  # unsorted
    ],
)
def test_bad_spans_are_refused(bad):
    with pytest.raises(ValueError, match="bad span"):
        check_spans(TEXT, bad)


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="unknown placeholder style 'fancy'"):
        render(TEXT, spans(), "fancy")


def test_span_dict_round_trip():
    s = Span(1, 4, "answer", "gold", "72")
    assert Span.from_dict(s.to_dict()) == s


def test_merge_spans_fuses_overlaps_and_keeps_the_strongest_kind():
    from smepo_data._render import merge_spans

    spans = [
        Span(5, 9, "number", "n", "1"),
        Span(0, 6, "answer", "a", "A"),
        Span(12, 12, "number", "empty"),
        Span(20, 25, "entity", "e"),
        Span(22, 24, "answer", "b"),
    ]
    assert merge_spans(spans) == [Span(0, 9, "answer", "a", "A"), Span(20, 25, "answer", "b")]
