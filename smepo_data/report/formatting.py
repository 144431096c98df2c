"""Numbers read from a run folder, as text for the page (a tampered file's value shown as it is)."""

from __future__ import annotations

import html
from typing import Any


def fmt(value: Any, spec: str = ",") -> str:
    """A number from a run folder formatted with ``spec``; anything else (a tampered file) as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, spec)
    return str(value)


def fmt_html(value: Any, spec: str = ",") -> str:
    """:func:`fmt`, escaped for HTML."""
    return html.escape(fmt(value, spec), quote=True)
