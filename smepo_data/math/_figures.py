"""The ``figure`` attack: a figure or table of the trace, read together with the question's, gives the answer.

A solution's own picture often restates the problem with the values filled in. Two readings a calculator
does without any reasoning:

- ``cell``: the question's figure writes an expression in one unknown at a place (``label("$n+1$",
  (.5,2.5))``, a cell of a question's ``array``/``tabular``), the trace's figure or table writes a number
  at the very same place (``label("8", (.5,2.5))``, the same cell of a table of the same shape): solving
  the linear ``n+1 = 8`` gives the unknown; it leaks when that equals the gold. Blamed on the trace's
  label text (a repair hides the label's text, never figure code) or cell.
- ``measure``: the trace's figure draws labelled points at numeric coordinates (``P=(3,1.732)``,
  ``label("$P$", P)``), and the text names a quantity of them (the segment ``AB``, ``\\angle PQS``, the
  triangle ``PQS``, whose sides and angles count, the ratio ``\\frac{BC}{AB}`` of two segments): its length,
  its angle in degrees or its quotient, computed from the coordinates, equals the gold (to 1e-3 relative:
  figures round ``\\sqrt3`` to 1.732). A quantity the question's own figure gives the same way is the
  question's, not the trace's, and is not reported.
  Blamed on the figure (a repair hides the figure whole: a placeholder never lands in figure code).

- ``area``: the trace's figure fills a polygon of numeric corners (``fill((1,0)--(3,2)--(3,3)--(2,3)--(0,1)
  --cycle)``): its area, or its share (or the rest's) of a polygon the figure draws (``draw((0,0)--(3,0)--
  (3,3)--(0,3))``, read closed) equals the gold: a reader's shoelace formula gives a shaded area or a
  geometric probability. Not a fill the question's figure has. Blamed on the figure.

Not covered: coordinates built by code (``dir(30)``, ``rotate``, ``intersectionpoint``), quantities the text
does not name (every distance of every pair of points), curved regions, tables whose shape differs from the
question's, and words of a caption ("the blue and red edges are the other labelings").
"""

from __future__ import annotations

import itertools
import math
import re

from .._leak import Finding
from ._answer import Gold
from ._lexer import _FIGURE
from ._rational import Fraction

#: ``label("$n+1$", (.5,2.5))``, ``label(pic, "$A$", a, NW)``: the text and where it stands
_LABEL_AT = re.compile(r'\blabel\s*\(\s*(?:[A-Za-z_]\w*\s*,\s*)?"([^"\n]*)"\s*,\s*(\([^()]*\)|[A-Za-z_]\w*)')
_NUM = r"-?\s*(?:\d+(?:\.\d*)?|\.\d+)"
_PAIR = re.compile(rf"\(\s*({_NUM})\s*,\s*({_NUM})\s*\)")
#: ``P=(3,1.732)``, ``pair a=(0,1), b=(.75, 0)``
_ASSIGN = re.compile(rf"(?<![\w.])([A-Za-z_]\w*)\s*=\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*\)")
_TABLE = re.compile(r"\\begin\{(array|tabular)\}\s*(?:\{[^{}]*\})?(.*?)\\end\{\1\}", re.S)
_ROW_END = re.compile(r"\\\\")
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|([a-z])|([-+*/()]))")
#: a number as a label or a cell writes it: ``8``, ``$8$``, ``$-2.5$``
_PLAIN = re.compile(r"\s*(?:\$\s*)?((?:-\s*)?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:\$\s*)?")
_ANGLE = re.compile(r"\\angle\s*(?:\{\s*)?([A-Z])\s*([A-Z])\s*([A-Z])(?![A-Za-z])")
_TRIANGLE = re.compile(r"(?:\\triangle\s*(?:\{\s*)?|triangle\s*\$\s*)([A-Z])\s*([A-Z])\s*([A-Z])(?![A-Za-z])")
_SEGMENT = re.compile(r"(?:\\overline\s*\{\s*|(?<![A-Za-z\\]))([A-Z])([A-Z])(?![A-Za-z])")
#: a ratio of two segments: ``\\frac{BC}{AB}``, ``BC/AB``
_RATIO = re.compile(
    r"\\[dt]?frac\s*\{\s*([A-Z])\s*([A-Z])\s*\}\s*\{\s*([A-Z])\s*([A-Z])\s*\}"
    r"|(?<![A-Za-z\\])([A-Z])([A-Z])\s*/\s*([A-Z])([A-Z])(?![A-Za-z])"
)
#: relative tolerance of a measured quantity: figure coordinates are rounded
TOLERANCE = 1e-3

Linear = tuple[Fraction, Fraction]  # a*x + b


def figures(question: str, masked: str, gold: Gold) -> list[Finding]:
    """Every ``figure`` finding (see the module)."""
    if gold.value is None:
        return _points(question, masked, gold) if "[asy]" in masked else []
    found = _cells(question, masked, gold)
    if "[asy]" in masked:
        found.extend(_measures(question, masked, gold))
        found.extend(_areas(question, masked, gold))
    return found


# --------------------------------------------------------------------------- areas

#: a filled or drawn path of straight segments, the whole of its first argument: ``fill((1,0)--(3,2)--cycle,
#: gray)``, ``draw((0,0)--(3,0)--(3,3))`` (a curve, ``..``, is no polygon and is not read)
_PATH = re.compile(r"\b(fill|filldraw|draw)\s*\(\s*((?:\([^()]*\)\s*--\s*)+(?:\([^()]*\)|cycle))\s*(?=[,)])")
#: the most corners of a polygon read
_MOST_CORNERS = 40


def _areas(question: str, masked: str, gold: Gold) -> list[Finding]:
    """``area`` (see the module): blamed on the figure."""
    asked = {frozenset(c) for fig in _FIGURE.finditer(question) for _, c in _polygons(question, *fig.span())}
    out = []
    for fig in _FIGURE.finditer(masked):
        polygons = _polygons(masked, *fig.span())
        drawn = [(frozenset(c), _shoelace(c)) for kind, c in polygons if kind == "draw"]
        for kind, corners in polygons:
            if kind == "draw" or frozenset(corners) in asked:
                continue
            area = _shoelace(corners)
            # a frame is a polygon the figure draws around more than the fill (``fill(P); draw(P);`` is no
            # frame of P): its share is neither 0 nor 1
            frames = {f for c, f in drawn if c != frozenset(corners) and f > area}
            shares = [area] + [x for f in frames for x in (area / f, 1 - area / f)]
            if area and any(_near(v, gold.value) for v in shares if gold.value is not None):
                out.append(
                    Finding("figure", "the figure's shaded polygon gives the gold by its area", *fig.span())
                )
                break
    return out


def _polygons(text: str, start: int, end: int) -> list[tuple[str, tuple[tuple[Fraction, Fraction], ...]]]:
    """(``fill`` or ``draw``, the corners) of each path of numeric points (a fill or filldraw reads as a
    fill) between ``start`` and ``end``; a path with a corner no number gives is left out, and so is a drawn
    path of three corners left open (two axes are no triangle; four corners are a polygon short of a side)."""
    out = []
    for m in _PATH.finditer(text, start, end):
        corners = []
        for part in re.split(r"\s*--\s*", m.group(2).strip()):
            if part == "cycle":
                continue
            p = _POINT.fullmatch(part)
            values = _coordinates(p) if p is not None else None
            if values is None or len(values) != 2:
                break
            corners.append((values[0], values[1]))
        else:
            kind = "draw" if m.group(1) == "draw" else "fill"
            closed = m.group(2).rstrip().endswith("cycle") or corners[:1] == corners[-1:]
            if corners[1:] and corners[0] == corners[-1]:
                corners.pop()
            if 3 <= len(corners) <= _MOST_CORNERS and (kind == "fill" or closed or len(corners) >= 4):
                out.append((kind, tuple(corners)))
    return out


def _shoelace(corners: tuple[tuple[Fraction, Fraction], ...]) -> Fraction:
    """The area of the polygon through ``corners`` (closed)."""
    twice = Fraction(0)
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        twice += a[0] * b[1] - b[0] * a[1]
    return (twice if twice >= 0 else -twice) / 2


# --------------------------------------------------------------------------- points

#: a number of figure code: ``-18/5``, ``.75``, ``3``
_CODE_NUM = r"-?\s*(?:\d+(?:\.\d*)?|\.\d+)(?:\s*/\s*\d+)?"
#: a point of figure code, two or three coordinates: ``(1/5,-18/5)``
_POINT = re.compile(rf"\(\s*+({_CODE_NUM})\s*+,\s*+({_CODE_NUM})\s*+(?:,\s*+({_CODE_NUM})\s*+)?\)")
#: the longest coordinate read (a figure's coordinates are short; a 400-digit one is no point)
_LONGEST_COORDINATE = 24


def _points(question: str, masked: str, gold: Gold) -> list[Finding]:
    """``point``: the gold is a tuple or vector, and the trace's figure code draws a point with exactly its
    components (``S = (1/5,-18/5);`` for the vector (1/5, -18/5)): the answer read off the figure. Not a
    point the question's own figure writes. Blamed on the point (a repair hides the figure whole)."""
    if not 2 <= len(gold.components) <= 3:
        return []
    asked = {p for fig in _FIGURE.finditer(question) for p in _figure_points(question, *fig.span())}
    out = []
    for fig in _FIGURE.finditer(masked):
        for m in _POINT.finditer(masked, *fig.span()):
            values = _coordinates(m)
            if values is not None and (
                len(values) == len(gold.components)
                and values not in asked
                and all(_near(v, c) for v, c in zip(values, gold.components, strict=True))
            ):
                out.append(Finding("figure", f"the figure draws the point {m.group()}, the gold", *m.span()))
    return out


def _near(coordinate: Fraction, component: complex | Fraction) -> bool:
    """A figure's coordinate as the value it rounds (``1.732`` for ``\\sqrt3``)."""
    return abs(complex(component) - float(coordinate)) <= TOLERANCE * max(1.0, abs(complex(component)))


def _figure_points(text: str, start: int, end: int) -> set[tuple[Fraction, ...]]:
    return {v for m in _POINT.finditer(text, start, end) if (v := _coordinates(m)) is not None}


def _coordinates(m: re.Match[str]) -> tuple[Fraction, ...] | None:
    """A point's coordinates; ``None`` for one no reader takes for a number (``1.5/2``, a 400-digit run)."""
    parts = [g for g in m.groups() if g is not None]
    if any(len(g) > _LONGEST_COORDINATE for g in parts):
        return None
    try:
        return tuple(_number(g) for g in parts)
    except (ValueError, ZeroDivisionError):
        return None


# --------------------------------------------------------------------------- cells


def _cells(question: str, masked: str, gold: Gold) -> list[Finding]:
    out: list[Finding] = []
    if "[asy]" not in question and "\\begin{" not in question:
        return out
    asked: dict[tuple, list[str]] = {}
    for place, text, _, _ in _places(question):
        asked.setdefault(place, []).append(text)
    for place, expression, start, end in _places(masked) if asked else ():
        number = _plain(expression)
        for q_expression in asked.get(place, ()) if number is not None else ():
            form = _linear(q_expression)
            if number is None or form is None or form[1][0] == 0:
                continue
            x = (number - form[1][1]) / form[1][0]
            if gold.equals(x):
                what = f"{expression.strip()!r} where the question writes {q_expression.strip()!r}"
                out.append(Finding("figure", f"{what}: {form[0]} = {x}, the gold answer", start, end))
    return out


def _places(text: str) -> list[tuple[tuple, str, int, int]]:
    """``(place, text, start, end)`` of every figure label at a numeric position and every table cell:
    ``("label", (x, y))`` or ``("cell", rows, columns, row, column)``."""
    out: list[tuple[tuple, str, int, int]] = []
    for fig in _FIGURE.finditer(text) if "[asy]" in text else ():
        for m in _LABEL_AT.finditer(text, *fig.span()):
            at = _PAIR.fullmatch(m.group(2).strip())
            if at:
                place = ("label", _number(at.group(1)), _number(at.group(2)))
                out.append((place, m.group(1), m.start(1), m.end(1)))
    for t in _TABLE.finditer(text) if "\\begin{" in text else ():
        rows = _rows(text, *t.span(2))
        width = max((len(r) for r in rows), default=0)
        for i, row in enumerate(rows):
            for j, (s, e) in enumerate(row):
                out.append((("cell", len(rows), width, i, j), text[s:e], s, e))
    return out


def _rows(text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """The ``(start, end)`` of each ``&``-separated cell of each row of a table body (a line with one
    cell, a rule, is no row of values)."""
    rows = []
    cuts = [start, *(start + m.end() for m in _ROW_END.finditer(text[start:end])), end + 2]
    for a, b in itertools.pairwise(cuts):
        b = min(b - 2, end)
        cells, at = [], a
        for x in re.finditer("&", text[a:b]):
            cells.append((at, a + x.start()))
            at = a + x.end()
        cells.append((at, b))
        if len(cells) > 1:
            rows.append(cells)
    return rows


def _number(text: str) -> Fraction:
    return Fraction(re.sub(r"\s", "", text))


def _plain(text: str) -> Fraction | None:
    m = _PLAIN.fullmatch(text)
    return _number(m.group(1)) if m else None


def _linear(text: str) -> tuple[str, Linear] | None:
    """``(unknown, (a, b))`` when ``text`` (``$2n-9$``) is ``a*x + b`` in one lowercase letter."""
    body = text.strip().strip("$").replace("\\cdot", "*").replace("\\times", "*").strip()
    if not body or "\\" in body or len(body) > 40:
        return None
    tokens = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None or m.end() == pos:
            return None
        tokens.append((m.group(1), m.group(2), m.group(3)))
        pos = m.end()
    letters = {t[1] for t in tokens if t[1]}
    if len(letters) != 1:
        return None
    parser = _Parser(tokens)
    try:
        form = parser.expression()
    except (ValueError, ZeroDivisionError, IndexError):
        return None
    return (letters.pop(), form) if parser.at == len(tokens) else None


class _Parser:
    """A linear form of one unknown, read by recursive descent: ``+ - * /``, brackets, ``2n``."""

    def __init__(self, tokens: list[tuple[str | None, str | None, str | None]]):
        self.tokens = tokens
        self.at = 0

    def _peek(self) -> tuple[str | None, str | None, str | None] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def expression(self) -> Linear:
        a, b = self.term()
        while (t := self._peek()) and t[2] in ("+", "-"):
            self.at += 1
            c, d = self.term()
            a, b = (a + c, b + d) if t[2] == "+" else (a - c, b - d)
        return a, b

    def term(self) -> Linear:
        form = self.factor()
        while (t := self._peek()) and (t[2] in ("*", "/") or t[0] or t[1] or t[2] == "("):
            op = t[2] if t[2] in ("*", "/") else "*"
            if t[2] in ("*", "/"):
                self.at += 1
            other = self.factor()
            if op == "/":
                if other[0] or not other[1]:
                    raise ValueError("not linear")
                form = (form[0] / other[1], form[1] / other[1])
            elif form[0] and other[0]:
                raise ValueError("not linear")
            else:
                form = (form[0] * other[1] + other[0] * form[1], form[1] * other[1])
        return form

    def factor(self) -> Linear:
        t = self.tokens[self.at]
        self.at += 1
        if t[2] in ("-", "+"):
            a, b = self.factor()
            return (-a, -b) if t[2] == "-" else (a, b)
        if t[0]:
            return Fraction(0), Fraction(t[0])
        if t[1]:
            return Fraction(1), Fraction(0)
        if t[2] == "(":
            form = self.expression()
            if self._peek() != (None, None, ")"):
                raise ValueError("unclosed")
            self.at += 1
            return form
        raise ValueError("unexpected")


# --------------------------------------------------------------------------- measures


def _measures(question: str, masked: str, gold: Gold) -> list[Finding]:
    try:
        g = float(gold.value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return []
    points = _named_points(masked)
    if len(points) < 2:
        return []
    theirs = _named_points(question) if "[asy]" in question else {}
    outside = _FIGURE.sub(" ", masked) + "\n" + _FIGURE.sub(" ", question)
    out = []
    for name, key in _quantities(outside, points):
        if not any(_close(v, g) for v in _measure(key, points)):
            continue
        if all(n in theirs for n in key[1:]) and any(_close(v, g) for v in _measure(key, theirs)):
            continue  # the question's own figure gives it
        start, end = points[key[1]][1]
        out.append(Finding("figure", f"{name} measured on the figure's coordinates is {g:g}", start, end))
    return out


def _close(v: float, g: float) -> bool:
    return abs(v - g) <= TOLERANCE * max(1.0, abs(g))


def _named_points(text: str) -> dict[str, tuple[tuple[float, float], tuple[int, int]]]:
    """Each point a figure names with a one-letter label (``label("$A$", a)`` after ``a=(0,1)``, or a
    point variable named ``P``): its coordinates and where they are written."""
    out: dict[str, tuple[tuple[float, float], tuple[int, int]]] = {}
    for fig in _FIGURE.finditer(text):
        variables = {
            m.group(1): ((float(_number(m.group(2))), float(_number(m.group(3)))), m.span())
            for m in _ASSIGN.finditer(text, *fig.span())
        }
        for name, point in variables.items():
            if len(name) == 1 and name.isupper():
                out.setdefault(name, point)
        for m in _LABEL_AT.finditer(text, *fig.span()):
            letter = m.group(1).strip().strip("$").strip()
            if len(letter) != 1 or not letter.isupper():
                continue
            at = _PAIR.fullmatch(m.group(2).strip())
            if at:
                out[letter] = ((float(_number(at.group(1))), float(_number(at.group(2)))), m.span(2))
            elif m.group(2) in variables:
                out[letter] = variables[m.group(2)]
    return out


def _quantities(text: str, points: dict) -> list[tuple[str, tuple[str, ...]]]:
    """The segments, angles, triangles and ratios of two segments ``text`` names whose points the figure
    has."""
    out: dict[tuple[str, ...], str] = {}
    for rx, kind in ((_ANGLE, "angle"), (_TRIANGLE, "triangle"), (_SEGMENT, "segment")):
        for m in rx.finditer(text):
            names = m.groups()
            if len(set(names)) == len(names) and all(n in points for n in names):
                out.setdefault((kind, *names), f"{kind} {''.join(names)}")
    for m in _RATIO.finditer(text):
        names = tuple(n for n in m.groups() if n is not None)
        top, bottom = names[:2], names[2:]
        if (
            len(set(top)) == 2 == len(set(bottom))
            and set(top) != set(bottom)
            and all(n in points for n in names)
        ):
            out.setdefault(("ratio", *names), f"the ratio {''.join(top)}/{''.join(bottom)}")
    return [(name, key) for key, name in out.items()]


def _measure(key: tuple[str, ...], points: dict) -> list[float]:
    """A segment's length; an angle's degrees (at its middle point); a triangle's sides and angles; a
    ratio's quotient of lengths."""
    p = [points[n][0] for n in key[1:]]
    if key[0] == "segment":
        return [math.dist(*p)]
    if key[0] == "ratio":
        bottom = math.dist(p[2], p[3])
        return [math.dist(p[0], p[1]) / bottom] if bottom else []
    if key[0] == "angle":
        return [_angle(*p)]
    sides = [math.dist(a, b) for a, b in itertools.combinations(p, 2)]
    return [*sides, *(_angle(p[(k - 1) % 3], p[k], p[(k + 1) % 3]) for k in range(3))]


def _angle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    u, v = (a[0] - b[0], a[1] - b[1]), (c[0] - b[0], c[1] - b[1])
    n = math.hypot(*u) * math.hypot(*v)
    if n == 0:
        return math.nan
    return math.degrees(math.acos(max(-1.0, min(1.0, (u[0] * v[0] + u[1] * v[1]) / n))))
