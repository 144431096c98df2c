"""What the audit measures of a masked text: the placeholder tokens it holds and the share of the original
trace that is hidden."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

#: a placeholder token: [NUMBER], [CODE], [ANSWER], [MASK], [BLANK_3], [ENTITY] ...
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z]+(?:_\d+)?\]")


def placeholder_name(token: str) -> str:
    """A placeholder token without its index: ``[BLANK_3]`` -> ``[BLANK_n]``."""
    return re.sub(r"_\d+\]$", "_n]", token)


def new_placeholders(masked: str, original: str) -> Counter[str]:
    """The placeholders of ``masked`` by name, less the bracketed tokens the ``original`` (the trace, else
    the question) already had ("the area [ABC]" holds no placeholder)."""
    found = Counter(placeholder_name(t) for t in PLACEHOLDER.findall(masked))
    if original:
        found -= Counter(placeholder_name(t) for t in PLACEHOLDER.findall(original))
    return found


def masked_fraction(masked: str, trace: str | None, spans: list[Any] | None) -> tuple[float, str]:
    """``(fraction, measure)``: the share of the original trace that is hidden.

    ``spans``: exact, from the masking record. ``aligned``: the original is known but not the spans, so
    the text between placeholders is found in the original, in order, and the rest counts as hidden.
    ``placeholder share``: no original, so the share of the masked text taken by placeholders."""
    if trace and spans is not None:
        try:
            hidden = sum(int(s["end"]) - int(s["start"]) for s in spans)
        except (KeyError, TypeError, ValueError):  # a foreign "spans" column of another shape
            hidden = None
        if hidden is not None:
            return min(1.0, hidden / len(trace)), "spans"
    if trace:
        kept, pos = 0, 0
        for segment in PLACEHOLDER.split(masked):
            at = trace.find(segment, pos) if segment else -1
            if at >= 0:
                kept += len(segment)
                pos = at + len(segment)
        return max(0.0, 1.0 - kept / len(trace)), "aligned"
    if not masked:
        return 0.0, "placeholder share"
    return sum(len(m) for m in PLACEHOLDER.findall(masked)) / len(masked), "placeholder share"
