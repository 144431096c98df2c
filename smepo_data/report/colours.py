"""The highlight colour of each span kind, from the domain registry (legend, charts and traces)."""

from __future__ import annotations

from .._domains import span_kinds

#: the highlight of a span kind with no colour of its own in the registry
OTHER_COLOUR = "#e2e4e9"


def kind_colours() -> dict[str, str]:
    """The highlight of each span kind that has one, from the domain registry (the legend's order)."""
    return {tag: kind.colour for tag, kind in span_kinds().items() if kind.colour}


def kind_colour(kind: str) -> str:
    return kind_colours().get(kind, OTHER_COLOUR)
