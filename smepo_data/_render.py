"""The one place where spans become masked text."""

from __future__ import annotations

from collections.abc import Sequence

from ._model import Span

#: typed placeholders by span kind; a kind not listed renders as ``[KIND]``
TYPED_TAGS: dict[str, str] = {
    "number": "[NUMBER]",
    "expression": "[EXPR]",
    "answer": "[ANSWER]",
    "code": "[CODE]",
    "entity": "[ENTITY]",
}

PLACEHOLDER_STYLES = ("typed", "indexed")


def check_spans(text: str, spans: Sequence[Span]) -> None:
    """Raise ``ValueError`` unless spans are sorted, inside ``text``, non-empty and non-overlapping."""
    prev_end = 0
    for s in spans:
        if not (prev_end <= s.start < s.end <= len(text)):
            raise ValueError(f"bad span {s} (previous end {prev_end}, text length {len(text)})")
        prev_end = s.end


#: which kind a fused span keeps when spans overlap: the strongest
KIND_STRENGTH = {"answer": 4, "entity": 3, "code": 3, "expression": 2, "number": 1}


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Sort spans and fuse the overlapping ones (empty ones are dropped); a fused span keeps the kind,
    reason and value of its strongest part (an answer wins over an entity, an expression over a number)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if s.end <= s.start:
            continue
        if out and s.start < out[-1].end:
            last = out[-1]
            best = last if KIND_STRENGTH.get(last.kind, 0) >= KIND_STRENGTH.get(s.kind, 0) else s
            out[-1] = Span(last.start, max(last.end, s.end), best.kind, best.reason, best.value)
        else:
            out.append(s)
    return out


def placeholders(spans: Sequence[Span], style: str = "typed") -> list[str]:
    """The placeholder each span renders as, in order."""
    if style == "typed":
        return [TYPED_TAGS.get(s.kind, f"[{s.kind.upper()}]") for s in spans]
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

    ``typed``: the tag of the span's kind (``[NUMBER]``, ``[EXPR]``, ``[ANSWER]``, ...).
    ``indexed``: ``[BLANK_n]``, where equal hidden values (same ``Span.value``) share ``n``.
    """
    check_spans(text, spans)
    parts: list[str] = []
    pos = 0
    for s, tag in zip(spans, placeholders(spans, style), strict=True):
        parts.append(text[pos : s.start])
        parts.append(tag)
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)
