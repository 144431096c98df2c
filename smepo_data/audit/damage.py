"""Structure damage: what the masking should have left alone but hid (step labels, variable indices, a
sign swallowed into a blank, placeholders inside figure code), found in the masked text and, where the
row carries them, in the original trace and its spans."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .measure import PLACEHOLDER

#: structure the masking should have left alone: step labels, variable indices, a minus sign swallowed
#: between two blanks, the reference release's broken label protection
DAMAGE = {
    "hidden label": re.compile(r"(?i:\b(?:step|case|part|stage|method)s?)\s*#?\[NUMBER\]"),
    "hidden index": re.compile(r"[A-Za-z]_\{?\[NUMBER\]"),
    # any two placeholders with nothing between (not a figure's area notation, "[ABC][DEF]")
    "glued blanks": re.compile(
        r"\[(?:NUMBER|EXPR|ANSWER|ENTITY|FIGURE|CODE|BLANK_\d+)\]\[(?:NUMBER|EXPR|ANSWER|ENTITY|FIGURE|CODE|BLANK_\d+)\]"
    ),
    "broken placeholder": re.compile(r"__STRUCTURAL_[A-Z_]*\[NUMBER\]"),
}
_FIGURE = re.compile(r"\[asy\].*?(?:\[/asy\]|\Z)", re.S)
_QUOTED = re.compile(r'"[^"\n]*"')
#: what may stand before a sign that is unary: a relation or operator command (\\equiv -5), a relation, an
#: opening bracket, the start, or a word of prose (from -3 to 7)
_UNARY_CONTEXT = re.compile(
    r"(?:\\(?:equiv|le|leq|ge|geq|ne|neq|lt|gt|cdot|times|div|pm|mp|Rightarrow|Longrightarrow|implies|to"
    r"|approx|quad|qquad|left|sim|cong|in|colon|mid|text\{[^{}]*\})|[=<>(\[{,:;^_*/&$]"
    r"|(?<![a-zA-Z\\])[a-zA-Z]{2,}[ \t]+|^)[ \t]*$"
)


def structure_damage(masked: str, trace: str | None, spans: Any) -> Counter[str]:
    """All the damage of one row: the :data:`DAMAGE` patterns in the masked text, then
    :func:`span_damage`."""
    out: Counter[str] = Counter()
    for name, pattern in DAMAGE.items():
        if hits := len(pattern.findall(masked)):
            out[name] += hits
    out.update(span_damage(trace, spans, masked))
    return out


def span_damage(trace: str | None, spans: Any, masked: str) -> Counter[str]:
    """Damage that only the original shows: a span that starts with a binary operator (``16\\pi-4\\pi``
    -> ``[EXPR][EXPR]``, ``(y -3)`` -> ``(y [NUMBER])``), a variable ``e`` read as scientific notation
    (``2e+9``), and placeholders inside figure code, outside its quoted labels."""
    out: Counter[str] = Counter()
    for fig in _FIGURE.finditer(masked) if "[asy]" in masked else ():
        code = _QUOTED.sub(lambda m: " " * len(m.group()), fig.group())
        if hits := len(PLACEHOLDER.findall(code)):
            out["placeholder in figure code"] += hits
    if not isinstance(trace, str) or not isinstance(spans, list):
        return out
    for s in spans:
        if not isinstance(s, Mapping):
            continue
        start, end = int(s.get("start", 0)), int(s.get("end", 0))
        text = trace[start:end]
        before = trace[max(0, start - 24) : start]
        if (
            text[:1] in "-+"
            and len(text) > 1
            and before.strip()
            and re.match(r"[\w)\]}]", before.rstrip(" \t")[-1])
            and not _UNARY_CONTEXT.search(before)
        ):
            out["swallowed operator"] += 1  # "16\\pi-4\\pi" -> "[EXPR][EXPR]": the minus went with a blank
        if re.search(r"\de[+-]\d", text):
            out["e as scientific notation"] += 1
    return out
