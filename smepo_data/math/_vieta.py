"""Vieta's formulas over a visible polynomial, a reading of the ``constraints`` attack.

``\\[2010x^8 - 4x^7 + \\dotsb = 0,\\]so by Vieta's formulas, the sum of the roots is [EXPR]``: the two
highest terms are visible, so a reader divides and has 4/2010. The trace names the sum (or the product) of
the roots, solutions or zeros; the polynomial is an equation ``P = 0`` in one letter written before that
name in its paragraph (a formula, or a line of an aligned display), its terms a coefficient (digits, or
none), the letter and a whole degree, or a constant, with ``\\dotsb`` for terms left out after the highest
ones. The sum needs the two highest degrees shown (a degree skipped with no dots is 0), the product the
constant and every degree (no dots). A polynomial the question writes is the question's: solving it is the
task. Blamed on the polynomial (the repair hides one coefficient, a copy of a question value first).
"""

from __future__ import annotations

import re

from .._leak import Finding
from ._answer import Gold
from ._rational import Fraction

_NAMED = re.compile(
    r"\b(sum|product)\s+of\s+(?:all\s+)?(?:the\s+)?(?:\w+\s+){0,2}?(?:roots|solutions|zero(?:e)?s)\b", re.I
)
#: a display or inline formula
_FORMULA = re.compile(
    r"\\\[(.{1,800}?)\\\]|\$\$(.{1,800}?)\$\$|(?<![\\$])\$([^$]{1,400})\$"
    r"|\\begin\{(?:align|aligned|gather|eqnarray)\*?\}(.{1,800}?)\\end\{(?:align|aligned|gather|eqnarray)\*?\}",
    re.S,
)
_DOTS = re.compile(r"\\(?:dotsb|cdots|dots|ldots)(?![A-Za-z])")
_TERM = re.compile(
    r"\s*([+-])?\s*(\d+(?:\.\d+)?)?\s*(?:\\cdot\s*)?(?:([a-z])(?:\s*\^\s*(?:\{\s*(\d+)\s*\}|(\d)))?)?\s*"
)
_SPACE = re.compile(r"\s+")
#: the lines of an aligned display, and its environment's markers
_ROW_BREAK = re.compile(r"\\\\")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[a-z*]+\}")
#: how far before the name a polynomial is looked for
_LOOK_BACK = 600


def vieta(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The sum or product of the roots of a visible polynomial equation, as the trace names it, is the
    gold (see the module)."""
    if gold.value is None or "=" not in masked:
        return []
    asked = _SPACE.sub("", question)
    for named in _NAMED.finditer(masked):
        of_sum = named.group(1).lower() == "sum"
        start = max(masked.rfind("\n\n", 0, named.start()), named.start() - _LOOK_BACK, 0)
        for formula in _FORMULA.finditer(masked, start, named.start()):
            body = next(g for g in formula.groups() if g is not None)
            for row in _ROW_BREAK.split(_ENVIRONMENT.sub(" ", body)):  # each line of an aligned display
                side = _zero_side(row.replace("&", " "))
                if side is None or _SPACE.sub("", side) in asked:
                    continue
                value = _of_roots(side, of_sum)
                if value is not None and gold.equals(value):
                    what = (
                        f"the {named.group(1).lower()} of the roots of {side.strip()[:40]!r} = 0 is the gold"
                    )
                    found = masked.find(side.strip(), formula.start(), formula.end())
                    at, stop = (found, found + len(side.strip())) if found >= 0 else formula.span()
                    return [Finding("constraints", what, at, stop)]
    return []


def _of_roots(side: str, of_sum: bool) -> Fraction | None:
    """The sum (or product) of the roots of ``side = 0``, from the terms it shows."""
    dots = _DOTS.search(side)
    if dots and side[dots.end() :].strip():
        return None  # "x^8 + \\dotsb + 4x": the degrees between are not shown
    coefficients = _coefficients(side[: dots.start()].rstrip(" +-") if dots else side)
    if coefficients is None:
        return None
    return _vieta(coefficients, of_sum, dots is not None)


def _zero_side(body: str) -> str | None:
    """``P`` of a formula ``P = 0`` (a comma or a full stop after it aside)."""
    parts = body.strip().rstrip(".,;").split("=")
    if len(parts) != 2 or parts[1].strip() != "0" or "[" in parts[0]:
        return None
    return parts[0]


def _coefficients(side: str) -> tuple[dict[int, Fraction], bool] | None:
    """The shown coefficient of each degree of ``side`` (one letter), or ``None`` when a piece of it is no
    term; the flag says the terms are written highest first."""
    text = side.replace("\\left", "").replace("\\right", "").strip()
    pos, letter, out, degrees = 0, "", {}, []
    while pos < len(text):
        m = _TERM.match(text, pos)
        if m is None or m.end() == pos or not (m.group(2) or m.group(3)):
            return None
        sign, number, var = m.group(1), m.group(2), m.group(3)
        if pos and not sign:
            return None  # two terms with no operator between them
        if var:
            if letter and var != letter:
                return None
            letter = var
        degree = int(m.group(4) or m.group(5) or 1) if var else 0
        if degree in out:
            return None
        value = Fraction(number) if number else Fraction(1)
        out[degree] = -value if sign == "-" else value
        degrees.append(degree)
        pos = m.end()
    if not letter or len(out) < 2:
        return None
    return out, degrees == sorted(degrees, reverse=True)


def _vieta(shown: tuple[dict[int, Fraction], bool], of_sum: bool, dots: bool) -> Fraction | None:
    coefficients, ordered = shown
    n = max(coefficients)
    if not ordered or n < 2 or coefficients[n] == 0:
        return None
    if of_sum:  # terms highest first and at least two shown: a degree skipped before the dots is 0
        return -coefficients.get(n - 1, Fraction(0)) / coefficients[n]
    if dots or 0 not in coefficients:
        return None
    return (-1) ** n * coefficients[0] / coefficients[n]
