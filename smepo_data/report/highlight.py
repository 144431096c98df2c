"""A sample row's traces as HTML: the original with each hidden span marked, the masked trace with each
placeholder linked to its span; kind and reason on hover, coloured by kind."""

from __future__ import annotations

import html
from typing import Any

from .._model import Span
from .._render import placeholders
from ..audit.measure import PLACEHOLDER
from .colours import kind_colour


def row_spans(row: dict[str, Any]) -> list[Span]:
    """The spans a written row carries."""
    return [Span.from_dict(s) for s in row.get("spans") or []]


def highlight_original(trace: str, spans: list[Span]) -> str:
    """The original trace as HTML, each hidden span a ``<mark class="hidden-span">`` with its kind and
    reason (shown on hover)."""
    out, pos = [], 0
    for i, s in enumerate(spans):
        out.append(html.escape(trace[pos : s.start]))
        tip = html.escape(f"{s.kind}: {s.reason}", quote=True)
        colour = kind_colour(s.kind)
        out.append(
            f'<mark class="hidden-span" data-i="{i}" data-kind="{html.escape(s.kind, quote=True)}" '
            f'data-tip="{tip}" title="{tip}" style="background:{colour}">'
            f"{html.escape(trace[s.start : s.end])}</mark>"
        )
        pos = s.end
    out.append(html.escape(trace[pos:]))
    return "".join(out)


def highlight_masked(row: dict[str, Any], spans: list[Span]) -> str:
    """The masked trace as HTML, each placeholder a ``<span class="ph">`` linked to its span. Built from
    the spans (as the renderer does); a masked text that does not match them is shown with every
    placeholder token marked instead."""
    trace, masked = row["trace"] or "", row["masked_trace"] or ""
    tags = placeholders(spans, row.get("placeholder") or "typed", trace)
    out, pos, rebuilt = [], 0, []
    for i, (s, tag) in enumerate(zip(spans, tags, strict=True)):
        out.append(html.escape(trace[pos : s.start]))
        rebuilt += [trace[pos : s.start], tag]
        tip = html.escape(f"{s.kind}: {s.reason}", quote=True)
        colour = kind_colour(s.kind)
        out.append(
            f'<span class="ph" data-i="{i}" data-tip="{tip}" title="{tip}" style="border-color:{colour};'
            f'background:{colour}55">{html.escape(tag)}</span>'
        )
        pos = s.end
    out.append(html.escape(trace[pos:]))
    rebuilt.append(trace[pos:])
    if "".join(rebuilt) == masked:
        return "".join(out)
    parts, last = [], 0
    for m in PLACEHOLDER.finditer(masked):
        parts += [html.escape(masked[last : m.start()]), f'<span class="ph">{html.escape(m.group())}</span>']
        last = m.end()
    return "".join(parts) + html.escape(masked[last:])
