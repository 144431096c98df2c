"""The bound attacks: the key step of an inequality or optimisation proof left visible, the rest routine.

- A visible inequality ``A \\ge B`` (no blank) whose side ``A`` stands inside a visible expression ``E`` (no
  blank): a reader writes ``B`` for ``A`` in ``E``; when that leaves a number (``x^4 + z^4 + 6 \\ge 4(x + z)``
  beside ``\\frac{x + z}{x^4 + z^4 + 6}`` gives ``\\frac{x+z}{4(x+z)} = \\frac14``), the number is the bound
  the proof reaches. Equal to the gold, it leaks, blamed on the bound ``B`` (the repair hides a value of it,
  a coefficient, never an operator or exponent).
- A visible function of one variable (no blank) and a visible interval of that variable
  (``-\\frac{\\pi}{2} \\le \\beta \\le \\frac{\\pi}{2}``), where the question asks for a range, a maximum or a
  minimum: the function's least and greatest values on the interval (found by sampling and refining, as a
  calculator would) give the answer. Equal to the gold (both ends of an interval gold, or one value), it
  leaks, blamed on the function (a value of it; the interval when the function shows none).

Both read only ``(question, masked trace, gold)``; the work is bounded by counts (sides, sample points).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from .._leak import Finding
from ._answer import Gold
from ._equations import (
    Reading,
    Side,
    Undefined,
    compile_tree,
    evaluate,
    finite,
    read_equations,
    tree_unknowns,
)
from ._lexer import scan_cached
from ._rational import Fraction
from ._values import Value, numeric_value, values_equal

#: an inequality's relation in LaTeX or plain text (``<<`` / ``>>`` are calculator notes, never relations)
RELATION = re.compile(
    r"\\(?:geq?|leq?|gt|lt|geqslant|leqslant)(?![a-zA-Z])|(?<![<>])[<>](?![<>=])|[≤≥]|<=|>="
)
_LESS = re.compile(r"\\(?:leq?|lt|leqslant)(?![a-zA-Z])|<=?|≤")
_MORE = re.compile(r"\\(?:geq?|gt|geqslant)(?![a-zA-Z])|>=?|≥")
#: an interval's end: a number, a fraction, a multiple of a root or of pi (each digit read one way only: an
#: ambiguous ``\d*\.?\d+`` backtracks over every split of a long run of digits)
_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"
_END = (
    r"(?:-\s*)?(?:\\[dt]?frac\s*\{[^{}$]{1,20}\}\s*\{[^{}$]{1,20}\}|(?:\d+\s*)?\\sqrt\s*(?:\{\d+\}|\d)"
    rf"|{_NUMBER}\s*\\pi|{_NUMBER}|\\pi)"
)
_REL = r"\\(?:leq?|geq?|lt|gt|leqslant|geqslant)(?![a-zA-Z])|<=?|>=?|≤|≥"
#: ``lo \le x \le hi``: a two-sided interval of one variable (a letter or a Greek letter)
_INTERVAL = re.compile(
    rf"(?<![\w}}^_])({_END})\s*({_REL})\s*([a-zA-Z]|\\(?:alpha|beta|gamma|theta|phi|varphi|lambda|mu|omega|psi))"
    rf"(?![a-zA-Z])\s*({_REL})\s*({_END})(?![\w{{^_])"
)
_SPACES = re.compile(r"\s+|\\[,;!]|\\left|\\right")
_ASKS = re.compile(r"\b(?:range|maximum|minimum|largest|smallest|greatest|least|max|min)\b", re.I)
#: sides and relations read per row (a work budget)
_MAX_SIDES = 200
_MAX_RELATIONS = 40
#: sample points of a function on its interval, and golden-section steps refining each extremum
_GRID = 512
_REFINE = 80
#: where a substituted expression is evaluated to check it no longer depends on its variables
_POINTS = (Fraction(13, 7), Fraction(17, 5), Fraction(-23, 9))


def bounds(question: str, masked: str, gold: Gold) -> list[Finding]:
    """Every finding of the two bound attacks on ``masked``."""
    if "\\" not in masked and "<" not in masked and ">" not in masked:
        return []
    relations = [m.span() for m in RELATION.finditer(masked)]
    if not relations:
        return []
    reading = read_relations(masked, relations)
    found = _substituted_bound(masked, gold, reading)
    if not found:
        found = _function_range(question, masked, gold, reading, masked)
    if not found and "|" in masked:  # absolute values, which the reader does not read, written as roots
        text, where = _absolute_as_roots(masked)
        relations = [m.span() for m in RELATION.finditer(text)]
        found = _function_range(question, text, gold, read_relations(text, relations), masked, where)
    return found


#: ``|1 - 2x|`` (or ``\left| ... \right|``): an absolute value of a short expression in one formula
_ABSOLUTE = re.compile(r"(?:\\left)?\|([^|$\n]{1,80}?)(?:\\right)?\|")


def _absolute_as_roots(masked: str) -> tuple[str, list[int]]:
    """``masked`` with each ``|a|`` written ``\\sqrt{(a)^2}``, and, for each offset of the new text, the
    offset of the masked text it comes from (the bar's, inside a rewritten absolute value)."""
    parts: list[str] = []
    where: list[int] = []
    last = 0
    for m in _ABSOLUTE.finditer(masked):
        parts.append(masked[last : m.start()])
        where.extend(range(last, m.start()))
        new = "\\sqrt{(" + m.group(1) + ")^2}"
        parts.append(new)
        where.extend([m.start()] * 7 + list(range(m.start(1), m.end(1))) + [m.end() - 1] * 4)
        last = m.end()
    parts.append(masked[last:])
    where.extend(range(last, len(masked) + 1))
    return "".join(parts), where


def read_relations(masked: str, relations: list[tuple[int, int]] | None = None) -> Reading:
    """The masked text read with each relation (``relations``, else every inequality :data:`RELATION`
    finds) an ``=`` padded to its own width (offsets kept)."""
    if relations is None:
        relations = [m.span() for m in RELATION.finditer(masked)]
    chars = list(masked)
    for s, e in relations:
        chars[s:e] = ["="] + [" "] * (e - s - 1)
    return read_equations("".join(chars))


def _blank_free(side: Side) -> bool:
    return all(u.startswith("v:") for u in side.unknowns)


def _visible(side: Side) -> bool:
    """A side in named quantities with no blank."""
    return bool(side.unknowns) and _blank_free(side)


def _operands(tree: tuple, op: str) -> list[tuple]:
    """The operands of a chain of ``op`` (``+`` or ``*``): ``2 w r`` -> ``[2, w, r]``."""
    if tree[0] != op:
        return [tree]
    return [t for part in tree[1:] for t in _operands(part, op)]


def _replaced(tree: tuple, old: tuple, new: tuple) -> tuple:
    """``tree`` with ``old`` written ``new``: as a subtree, or, for a sum or product, as some of the
    operands of a sum or product (``w r`` inside ``2 w r``), as a reader reads them."""
    if tree == old:
        return new
    if tree[0] in ("n", "c", "u"):
        return tree
    op = tree[0]
    if op in ("+", "*") and old[0] == op:
        mine, theirs = _operands(tree, op), _operands(old, op)
        rest = list(mine)
        for t in theirs:
            if t not in rest:
                break
            rest.remove(t)
        else:
            if rest:
                out = new
                for t in rest:
                    out = (op, out, t)
                return out
    return tuple(_replaced(t, old, new) if isinstance(t, tuple) else t for t in tree)


def _constant(tree: tuple) -> Value | None:
    """The value of ``tree`` when it no longer depends on its variables (checked at three points)."""
    names = sorted(tree_unknowns(tree))
    values: list[Value] = []
    for k, base in enumerate(_POINTS if names else _POINTS[:1]):
        env: dict[str, Value] = {u: base + j + k for j, u in enumerate(names)}
        try:
            v = evaluate(tree, env)
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            return None
        if not finite(v):
            return None
        values.append(v)
    return values[0] if all(values_equal(values[0], v) for v in values[1:]) else None


def _substituted_bound(masked: str, gold: Gold, reading: Reading) -> list[Finding]:
    if gold.value is None:
        return []
    sides = [s for s in reading.sides[:_MAX_SIDES] if _visible(s) and s.tree[0] not in ("u", "n", "c")]
    for left, right in _bounded_pairs(masked, reading)[:_MAX_RELATIONS]:
        if not (left.unknowns | right.unknowns) or not (_blank_free(left) and _blank_free(right)):
            continue
        start, end = min(left.start, right.start), max(left.end, right.end)
        for src, dst in ((left, right), (right, left)):
            if src.tree[0] in ("u", "n", "c") or not src.unknowns:
                continue
            for side in sides:
                if side.start < end and start < side.end or side.tree == src.tree:
                    continue
                new = _replaced(side.tree, src.tree, dst.tree)
                if new == side.tree:
                    continue
                v = _constant(new)
                if v is not None and gold.equals(v):
                    what = (
                        f"{_clip(masked[side.start : side.end])} with {_clip(masked[src.start : src.end])} "
                        f"replaced by its bound {_clip(masked[dst.start : dst.end])} is the gold answer"
                    )
                    return [Finding("constraints", what, dst.start, dst.end)]
    return []


def _bounded_pairs(masked: str, reading: Reading) -> list[tuple[Side, Side]]:
    """The pairs of sides a chain of relations bounds one by the other: ``A \\ge B`` and, through a chain
    of ``=`` and relations of one direction, ``A \\ge [NUMBER] \\sqrt{...} = 4`` gives ``(A, 4)``."""
    links: dict[int, list[tuple[Side, int]]] = {}
    for eq in reading.equations:
        if eq.left.end > eq.right.start:
            continue
        between = masked[eq.left.end : eq.right.start]
        if len(between) > 16:
            continue
        way = 1 if _MORE.search(between) else -1 if _LESS.search(between) else 0
        if way == 0 and "=" not in between:
            continue
        links.setdefault(eq.left.start, []).append((eq.right, way))
    pairs: list[tuple[Side, Side]] = []
    firsts = {eq.left.start: eq.left for eq in reading.equations}
    for start in sorted(links):
        stack = [(firsts[start], 0)]
        first = firsts[start]
        for _ in range(8):  # a chain is walked at most 8 links on
            following = []
            for side, way in stack:
                for nxt, w in links.get(side.start, ()):
                    if w and way and w != way:
                        continue
                    following.append((nxt, way or w))
                    if way or w:
                        pairs.append((first, nxt))
            stack = following
            if not stack:
                break
    return list(dict.fromkeys(pairs))


def _function_range(
    question: str, masked: str, gold: Gold, reading: Reading, original: str, where: list[int] | None = None
) -> list[Finding]:
    """The range attack on ``masked`` (the masked text, or it with absolute values rewritten: ``where`` maps
    its offsets back to ``original``'s)."""
    pair = len(gold.components) == 2
    if not (pair or gold.value is not None) or not (_ASKS.search(question) or "[" in gold.raw):
        return []
    asked = _SPACES.sub("", question)
    for m in _INTERVAL.finditer(masked):
        r1, r2 = m.group(2), m.group(4)
        if bool(_LESS.fullmatch(r1)) != bool(_LESS.fullmatch(r2)):
            continue
        a, b = numeric_value(m.group(1).replace(" ", "")), numeric_value(m.group(5).replace(" ", ""))
        if a is None or b is None:
            continue
        lo, hi = sorted((complex(a).real, complex(b).real))
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo < 1e-9:
            continue
        name = f"v:{m.group(3)}"
        for side in reading.sides[:_MAX_SIDES]:
            if side.unknowns != {name} or side.tree[0] == "u" or m.start() <= side.start < m.end():
                continue
            if _SPACES.sub("", masked[side.start : side.end]) in asked:
                continue  # the question's own function: computing its range is the task
            extremes = _extremes(side.tree, name, lo, hi)
            if extremes is None:
                continue
            least, most = extremes
            if pair:
                hit = values_equal(gold.components[0], least) and values_equal(gold.components[1], most)
            else:
                hit = gold.equals(least) or gold.equals(most)
            if hit:
                what = (
                    f"{_clip(masked[side.start : side.end])} on {_clip(m.group())} ranges over "
                    f"[{least:.6g}, {most:.6g}], the gold answer"
                )
                start, end = side.start, side.end
                if where is not None:
                    start, end = where[start], where[end - 1] + 1
                if not _has_value(original, start, end):
                    start, end = (where[m.start()], where[m.end() - 1] + 1) if where else m.span()
                return [Finding("constraints", what, start, end)]
    return []


def _has_value(masked: str, start: int, end: int) -> bool:
    return any(
        start <= a.start and a.end <= end and a.role == "value" and not a.structural
        for a in scan_cached(masked).atoms
    )


def _extremes(tree: tuple, name: str, lo: float, hi: float) -> tuple[float, float] | None:
    """The least and greatest values of ``tree`` (one variable, ``name``) on ``[lo, hi]``: sampled on a grid,
    each extremum refined by golden-section search; None when the function is undefined or not real on a
    sample point."""
    f = compile_tree(tree)

    def at(x: float) -> float | None:
        try:
            v = complex(f({name: x}))
        except (Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError):
            return None
        if not finite(v) or abs(v.imag) > 1e-9 * max(1.0, abs(v.real)):
            return None
        return v.real

    xs = [lo + (hi - lo) * k / _GRID for k in range(_GRID + 1)]
    ys = [at(x) for x in xs]
    if any(y is None for y in ys):
        return None
    vals = [y for y in ys if y is not None]
    least, most = min(vals), max(vals)
    if most - least < 1e-12 * max(1.0, abs(most)):
        return None  # a constant: no range to read
    for k in range(1, _GRID):
        for sign in (1.0, -1.0):
            if sign * vals[k] <= sign * vals[k - 1] and sign * vals[k] <= sign * vals[k + 1]:
                y = _golden(at, xs[k - 1], xs[k + 1], sign)
                if y is not None:
                    least, most = min(least, y), max(most, y)
    return least, most


def _golden(at: Callable[[float], float | None], a: float, b: float, sign: float) -> float | None:
    """The least value of ``sign * at`` on ``[a, b]`` (times ``sign``), by golden-section search."""
    g = (math.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = at(c), at(d)
    for _ in range(_REFINE):
        if fc is None or fd is None:
            return None
        if sign * fc < sign * fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = at(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = at(d)
    return fc if fc is not None else None


def _clip(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."
