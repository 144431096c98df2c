"""An instance of the trace's own formula (a ``constraints`` reading).

"The measure of each interior angle in a regular $n$-gon is $180(n-2)/n$ degrees. Therefore ... $180([NUMBER]
-2)/7=[EXPR]$": the trace writes a formula in one letter, then the formula again with a value in the letter's
places. Where one place shows the value (the 7) and another a blank, the blank is that value: a reader lays
the instance over the formula and reads it off. The blank then feeds the equations like any other value.

A formula is a math segment alone or an equation's side, in one letter written twice or more and no blank; an
instance is a later side with a blank and no letter whose tree is the formula's with a value or a blank in
each of the letter's places (every other number and operator the same). Exactly one value among the places,
and at least one blank: each blank is that value.
"""

from __future__ import annotations

from ._equations import Equation, Reading, Side, lone_expressions, tree_unknowns
from ._rational import Fraction

#: the most instance equations a trace gives (each is an equation the solver reads)
MAX_INSTANCES = 40


def formula_instances(reading: Reading, masked: str) -> list[Equation]:
    """``blank = value`` for each blank an instance of a formula of the trace puts in the letter's place."""
    sides = {(s.start, s.end): s for eq in reading.equations if not eq.part for s in (eq.left, eq.right)}
    formulas = [
        (tree, start) for tree, start, _ in lone_expressions(masked, letters=True) if _one_letter_twice(tree)
    ]
    formulas += [(s.tree, s.start) for s in sides.values() if _one_letter_twice(s.tree)]
    if not formulas:
        return []
    out: list[Equation] = []
    for inst in sorted(sides.values(), key=lambda s: s.start):
        if not inst.unknowns or any(u.startswith("v:") for u in inst.unknowns):
            continue
        for tree, start in formulas:
            if start >= inst.start:
                continue
            places: list[tuple] = []
            if not _laid_over(tree, inst.tree, places):
                continue
            values = {p[1] for p in places if p[0] == "n"}
            blanks = sorted({p[1] for p in places if p[0] == "u"})
            if len(values) == 1 and blanks and all(p[0] in ("n", "u") for p in places):
                (v,) = values
                out.extend(
                    Equation(
                        Side(("u", b), frozenset({b}), inst.start, inst.end),
                        Side(("n", v), frozenset(), inst.start, inst.end),
                    )
                    for b in blanks
                )
                break
        if len(out) >= MAX_INSTANCES:
            break
    return out[:MAX_INSTANCES]


def _one_letter_twice(tree: tuple) -> bool:
    """One letter, no blank, and the letter in two places or more."""
    letters = tree_unknowns(tree)
    if len(letters) != 1:
        return False
    (u,) = letters
    return u.startswith("v:") and _count(tree, u) >= 2


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
