"""Text damage a math span does, read off the original trace and the spans alone (no masker decision):
the audit counts it, the masker's tests assert there is none.

* ``hidden exponent``: a span that starts inside an exponent whose ``^`` stays visible (``2^2 \\sqrt{3}``
  -> ``2^[EXPR]``, ``x^{n+[NUMBER]}``): exponents are structure at every level;
* ``hidden variable``: a span that hides a bare name (``t``, ``x_1``, ``\\alpha``) where it is not the
  stated answer (``\\boxed{C}``): a variable is never a value, and ``[EXPR]=\\boxed{...}`` reads as nothing;
* ``hidden triangle name``: a span that hides a number of a triangle named by its angles ("30-60-90
  triangle" -> "[NUMBER]-60-[NUMBER] triangle"): the name of a standard object is a plan word (a name
  hidden whole states the answer, "a [N]-[N]-[N] triangle, so the angle is 30", and is no damage);
* ``split number``: a span that hides part of a number whose thousands prose groups by single spaces
  (``$80 000`` -> ``$[NUMBER] 000``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

#: a bare name: one letter or a command (``\\alpha``; ``\\pi`` and ``\\infty`` are values), an optional
#: index, primes
BARE_NAME = re.compile(r"(?:[A-Za-z]|\\(?!(?:pi|infty)(?![a-zA-Z]))[a-zA-Z]+)(?:_\{?\w+\}?)?'*")
#: right after ``^`` (an unbraced exponent's only token), or inside a ``^{...}`` still open
_IN_EXPONENT = re.compile(r"\^[ \t]*$|\^[ \t]*\{[^{}]*$")
#: where a hidden name is the stated answer, not a variable (``\boxed{C}``, "the answer is B", ``#### x``)
_ANSWER_BEFORE = re.compile(r"(?:\\boxed|\\fbox)\s*\{\s*$|answer\s*(?:is|:)\s*(?:\$\s*)?\(?$|####\s*$", re.I)
#: a number whose thousands prose groups by single spaces (a group before a hyphen or a letter is a
#: number of its own: "12 200-kilobyte")
SPACED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?:\.\d+)?(?![\w-]| \d)")

#: a triangle named by its angles ("30-60-90 triangle", "$45^\\circ$-$45^\\circ$-$90^\\circ$ triangle"): when
#: the three sum to 180 the name is a standard object of the plan, not values (unless it states the
#: answer or a value hidden elsewhere: then it goes whole)
_DEGREE = r"(?:\^\s*\{?\\circ\}?)?\$?"
ANGLE_TRIANGLE = re.compile(
    rf"(?<![\d.])(\d{{1,3}}){_DEGREE}\s*-\s*\$?(\d{{1,3}}){_DEGREE}\s*-\s*\$?(\d{{1,3}}){_DEGREE}"
    r"\s*(?:right\s+|isosceles\s+)?triangles?\b"
)


def triangle_names(text: str) -> list[re.Match[str]]:
    """The triangles ``text`` names by their angles (three that sum to 180): standard objects of the plan."""
    if "triangle" not in text:
        return []
    return [m for m in ANGLE_TRIANGLE.finditer(text) if sum(int(g) for g in m.groups()) == 180]


def spans_damage(trace: str, spans: Iterable[Any]) -> Counter[str]:
    """The damage kinds of a row's spans (dicts with ``start`` and ``end``, as written); see the module
    docstring."""
    bounds = sorted((int(s.get("start", 0)), int(s.get("end", 0))) for s in spans if isinstance(s, Mapping))
    out: Counter[str] = Counter()
    for start, end in bounds:
        text = trace[start:end]
        before = trace[max(0, start - 40) : start]
        if _IN_EXPONENT.search(before):
            out["hidden exponent"] += 1
        if BARE_NAME.fullmatch(text.strip()) and not _ANSWER_BEFORE.search(before):
            out["hidden variable"] += 1
    for m in triangle_names(trace) if bounds else ():
        hit = sum(any(s < m.end(i) and m.start(i) < e for s, e in bounds) for i in (1, 2, 3))
        if 0 < hit < 3:  # hidden whole: it states the answer
            out["hidden triangle name"] += hit
    if bounds and "\\" not in trace:
        for m in SPACED_NUMBER.finditer(trace):
            a, b = m.span()
            if any(s < b and a < e and not (s <= a and b <= e) for s, e in bounds):
                out["split number"] += 1
    return out
