"""The one place where spans become masked text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._domains import span_kinds
from ._model import Span
from .domain_spec import ANSWER, ENTITY, EXPRESSION, NUMBER

#: ``typed``: a tag per kind, the answer disguised as the kind of value it is (a placeholder never tells the
#: answer apart from the other hidden values); ``typed_answer``: the answer as ``[ANSWER]`` (on request:
#: it tells a reader which blank is the answer); ``indexed``: ``[BLANK_n]``, equal hidden values share ``n``
PLACEHOLDER_STYLES = ("typed", "indexed", "typed_answer")

_PLAIN_NUMBER = re.compile(r"\$?-?(?:\d[\d,]*)?\.?\d+\s*(?:\\?%)?")
_WORDS = re.compile(r"[^\\\d$^_{}=+*/<>]+")
#: two letters in a row, or an abbreviation's letters with a dot between ("N.Y.", "U.S.")
_WORD_RUN = re.compile(r"[^\W\d_]\.?[^\W\d_]")
_OPERATOR = re.compile(r"\s[-+]\s|^[-+]")
#: a number written as a TeX exponent or subscript without braces (``2^8``, ``a_1``)
_BARE_POWER = re.compile(r"[\^_]-?\d")


def disguise(value_text: str) -> str:
    """The tag an answer span takes in the ``typed`` style: that of the kind of value it is, as any other
    hidden value of that kind (``72`` -> ``[NUMBER]``, ``\\frac{14}{3}`` -> ``[EXPR]``, ``Paris`` ->
    ``[ENTITY]``)."""
    t = value_text.strip()
    if _PLAIN_NUMBER.fullmatch(t):
        return NUMBER.placeholder
    if _WORDS.fullmatch(t) and _WORD_RUN.search(t) and not _OPERATOR.search(t):
        return ENTITY.placeholder
    return EXPRESSION.placeholder


def check_spans(text: str, spans: Sequence[Span]) -> None:
    """Raise ``ValueError`` unless spans are sorted, inside ``text``, non-empty and non-overlapping."""
    prev_end = 0
    for s in spans:
        if not (prev_end <= s.start < s.end <= len(text)):
            raise ValueError(f"bad span {s} (previous end {prev_end}, text length {len(text)})")
        prev_end = s.end


def _strength(kind: str) -> int:
    known = span_kinds().get(kind)
    return known.strength if known else 0


def _placeholder(kind: str) -> str:
    """The ``typed`` placeholder of a span kind: the registered one, else ``[KIND]``."""
    known = span_kinds().get(kind)
    return known.placeholder if known else f"[{kind.upper()}]"


def unpaired_ends(pattern: re.Pattern[str], trace: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
    """For each match of ``pattern`` (a range: its groups 1 and 2 are its two ends) whose one end a span
    hides and whose other does not, where the visible end stands: it bounds the hidden one ("[NUMBER]-1846",
    "between $1$ and [NUMBER]"), so a masker hides it too."""
    out = []
    for m in pattern.finditer(trace):
        ends = [m.span(1), m.span(2)]
        hidden = [any(x.start <= a and b <= x.end for x in spans) for a, b in ends]
        if hidden.count(True) == 1:
            out.append(ends[hidden.index(False)])
    return out


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Sort spans and fuse the overlapping ones (empty ones are dropped); a fused span keeps the kind,
    reason and value of its strongest part (an answer wins over an entity, an expression over a number)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if s.end <= s.start:
            continue
        if out and s.start < out[-1].end:
            last = out[-1]
            best = last if _strength(last.kind) >= _strength(s.kind) else s
            out[-1] = Span(last.start, max(last.end, s.end), best.kind, best.reason, best.value)
        else:
            out.append(s)
    return out


def placeholders(spans: Sequence[Span], style: str = "typed", text: str = "") -> list[str]:
    """The placeholder each span of ``text`` renders as, in order; braced where it is a bare TeX exponent
    or subscript (``2^8`` -> ``2^{[NUMBER]}``: ``^[NUMBER]`` would raise only the ``[``)."""
    tags = _tags(spans, style, text)
    return [
        "{" + tag + "}" if 0 < s.start < len(text) and _BARE_POWER.match(text, s.start - 1) else tag
        for s, tag in zip(spans, tags, strict=True)
    ]


def _tags(spans: Sequence[Span], style: str, text: str) -> list[str]:
    if style == "typed_answer":
        return [_placeholder(s.kind) for s in spans]
    if style == "typed":
        return [
            disguise(text[s.start : s.end]) if s.kind == ANSWER.tag else _placeholder(s.kind) for s in spans
        ]
    if style == "indexed":
        index: dict[str, int] = {}
        out = []
        for s in spans:
            key = s.value or f"@{s.start}"  # a span without a value key is its own blank
            n = index.setdefault(key, len(index) + 1)
            out.append(f"[BLANK_{n}]")
        return out
    raise ValueError(f"unknown placeholder style {style!r}; choose one of {', '.join(PLACEHOLDER_STYLES)}")


def render(text: str, spans: Sequence[Span], style: str = "typed") -> str:
    """Replace each span of ``text`` by its placeholder.

    ``typed``: the tag of the span's kind (``[NUMBER]``, ``[EXPR]``, ``[CODE]``, ``[ENTITY]``); the answer
    takes the tag of the kind of value it is. ``typed_answer``: the answer as ``[ANSWER]``. ``indexed``:
    ``[BLANK_n]``, where equal hidden values (same ``Span.value``) share ``n``.
    """
    check_spans(text, spans)
    parts: list[str] = []
    pos = 0
    for s, tag in zip(spans, placeholders(spans, style, text), strict=True):
        parts.append(text[pos : s.start])
        parts.append(tag)
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def to_original(text: str, spans: Sequence[Span], style: str, start: int, end: int) -> tuple[int, int]:
    """Map ``[start, end)`` of ``render(text, spans, style)`` back to offsets into ``text``: a region that
    touches a placeholder grows to cover that span's whole original text."""
    shift = 0  # masked offset - original offset, before the current span
    o_start = o_end = None
    for s, tag in zip(spans, placeholders(spans, style, text), strict=True):
        m_start, m_end = s.start + shift, s.start + shift + len(tag)
        if o_start is None and start < m_end:
            o_start = s.start if start >= m_start else start - shift
        if o_end is None and end <= m_end:
            o_end = s.end if end > m_start else end - shift
        shift += len(tag) - (s.end - s.start)
    if o_start is None:
        o_start = start - shift
    if o_end is None:
        o_end = end - shift
    return max(0, min(o_start, len(text))), max(0, min(o_end, len(text)))
