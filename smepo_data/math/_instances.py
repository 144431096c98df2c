"""An instance of the trace's own formula (a ``constraints`` reading).

"The measure of each interior angle in a regular $n$-gon is $180(n-2)/n$ degrees. Therefore ... $180([NUMBER]
-2)/7=[EXPR]$": the trace writes a formula in one letter, then the formula again with a value in the letter's
places. Where one place shows the value (the 7) and another a blank, the blank is that value: a reader lays
the instance over the formula and reads it off. The blank then feeds the equations like any other value.

A formula is a math segment alone or an equation's side, in one letter written twice or more, a number and no
blank (``X + X`` fits any sum of two terms); an instance is a later side, in another math segment or line,
with a blank and no letter whose tree is the formula's with a value or a blank in each of the letter's places
(every other number and operator the same). Exactly one value among the places, and at least one blank: each
blank is that value.
"""

from __future__ import annotations

import re

from ._equations import Equation, Reading, Side, read_expression, tree_unknowns
from ._rational import Fraction
from ._template import question_segments
from ._values import Value

#: the most instance equations a trace gives (each is an equation the solver reads)
MAX_INSTANCES = 40
#: the most formulas of one shape an instance is laid over (the first written)
MAX_OF_A_SHAPE = 20
#: a relation or a list in a segment: no expression alone
_RELATION = re.compile(r"[=<>,;]|\\[lg]e|\\neq|\\approx")
#: what stands between a formula and its instance: the end of a math segment or a line
_APART = re.compile(r"\$|\\\]|\\\)|\n")


def formula_instances(reading: Reading, masked: str) -> list[Equation]:
    """``blank = value`` for each blank an instance of a formula of the trace puts in the letter's place:
    every formula of the instance's shape that fits it must give the same value."""
    sides = {(s.start, s.end): s for eq in reading.equations if not eq.part for s in (eq.left, eq.right)}
    by_shape: dict[tuple, list[tuple[tuple, int]]] = {}
    first: dict[tuple, int] = {}  # each formula at its first place
    for tree, end in [*_segment_formulas(masked), *((s.tree, s.end) for s in sides.values())]:
        if _formula(tree) and end < first.get(tree, end + 1):
            first[tree] = end
    for tree, end in sorted(first.items(), key=lambda te: te[1]):
        shape = by_shape.setdefault(_shape(tree), [])
        if len(shape) < MAX_OF_A_SHAPE:
            shape.append((tree, end))
    if not by_shape:
        return []
    out: list[Equation] = []
    for inst in sorted(sides.values(), key=lambda s: s.start):
        if not inst.unknowns or any(u.startswith("v:") for u in inst.unknowns):
            continue
        fits: dict[Value, set[str]] = {}
        for tree, end in by_shape.get(_shape(inst.tree), ()):
            if end > inst.start or not _APART.search(masked, end, inst.start):
                continue  # written later, or in the same statement (the other side of X + X = [N] + 2)
            places: list[tuple] = []
            if not _laid_over(tree, inst.tree, places):
                continue
            values = {p[1] for p in places if p[0] == "n"}
            blanks = {p[1] for p in places if p[0] == "u"}
            if len(values) == 1 and blanks and all(p[0] in ("n", "u") for p in places):
                fits.setdefault(next(iter(values)), set()).update(blanks)
        if len(fits) == 1:  # two formulas that fit with two values: no reading
            ((v, blanks),) = fits.items()
            out.extend(
                Equation(
                    Side(("u", b), frozenset({b}), inst.start, inst.end),
                    Side(("n", v), frozenset(), inst.start, inst.end),
                )
                for b in sorted(blanks)
            )
            if len(out) >= MAX_INSTANCES:
                break
    return out[:MAX_INSTANCES]


def _segment_formulas(masked: str) -> list[tuple[tuple, int]]:
    """Each math segment that reads as one expression (``180^\\circ(n-2)/n``, ``\\frac{n\\,(n+1)}{2},``): its
    tree and where it ends."""
    out = []
    for inner, start in question_segments(masked):
        if not inner or _RELATION.search(inner):
            continue
        tree = read_expression(inner)
        if tree is not None:
            at = masked.find(inner, start)
            out.append((tree, (at if at >= 0 else start) + len(inner)))
    return out


def _shape(tree: tuple) -> tuple:
    """``tree`` with every number, letter and blank erased: what a formula and its instance share."""
    if tree[0] in ("n", "u", "c"):
        return ("_",)
    return tuple(_shape(t) if isinstance(t, tuple) else t for t in tree)


def _formula(tree: tuple) -> bool:
    """One letter, no blank, the letter in two places or more, and a number (``X + X`` has the shape of any
    sum of two terms: laid over ``[N] + 2`` it says nothing)."""
    letters = tree_unknowns(tree)
    if len(letters) != 1:
        return False
    (u,) = letters
    return u.startswith("v:") and _count(tree, u) >= 2 and _has_number(tree)


def _has_number(tree: tuple) -> bool:
    return tree[0] == "n" or any(_has_number(t) for t in tree[1:] if isinstance(t, tuple))


def _count(tree: tuple, u: str) -> int:
    if tree[0] == "u":
        return int(tree[1] == u)
    return sum(_count(t, u) for t in tree[1:] if isinstance(t, tuple))


def _laid_over(formula: tuple, instance: tuple, places: list[tuple]) -> bool:
    """Is ``instance`` ``formula`` with something in each place of its letter (gathered in ``places``)?"""
    if formula[0] == "u" and formula[1].startswith("v:"):
        places.append(instance)
        return True
    if formula[0] != instance[0] or len(formula) != len(instance):
        return False
    for a, b in zip(formula[1:], instance[1:], strict=True):
        if isinstance(a, tuple) != isinstance(b, tuple):
            return False
        if isinstance(a, tuple):
            if not _laid_over(a, b, places):
                return False
        elif a != b or (type(a) is Fraction) != (type(b) is Fraction):
            return False
    return True
