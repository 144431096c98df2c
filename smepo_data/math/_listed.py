"""The ``listed`` attack: a list of expressions in named quantities beside a visible relation among them.

``The roots of g are $a - 5,$ $b - 5,$ and $c - 5$`` with ``$a + b + c = 49$`` visible: the sum of the list is
the relation's side plus a number, so a reader adds the items up and gets ``34``. Generically: the sum (or
the product) S of the listed items and a visible relation ``f = 0`` over the same quantities; when
``S = alpha * f + beta`` for numbers alpha, beta (checked at sample points, no algebra), S is ``beta``. That
equal to the gold leaks. Each item names one quantity; the bare quantities themselves (``$a,$ $b,$ $c$``)
are the relation, no list to add.
"""

from __future__ import annotations

import re

from .._leak import Finding
from ._answer import Gold
from ._equations import PLACEHOLDER, Undefined, evaluate, read_equations, read_expression, tree_unknowns
from ._rational import Fraction
from ._values import Value

_INLINE = re.compile(r"(?<![$\\])\$([^$]+)\$(?!\$)")
# ``\s*(?:,\s*)?``, not ``\s*,?\s*``: two blank runs side by side split a long run every way (quadratic)
_BETWEEN = re.compile(r"\s*(?:,\s*)?(?:(?:and|or)\s+)?")
_NOT_EQUALITY = re.compile(r"\\(?:le|ge|neq?|lt|gt|equiv|approx)(?![a-zA-Z])|[<>]")
#: sample points of the quantities (distinct, away from 0 and 1)
_SAMPLES = (
    (Fraction(3), Fraction(7), Fraction(-2), Fraction(11), Fraction(5, 2), Fraction(13)),
    (Fraction(-5), Fraction(2), Fraction(9), Fraction(-3, 2), Fraction(17), Fraction(4)),
    (Fraction(6), Fraction(-7), Fraction(5), Fraction(19), Fraction(-11), Fraction(7, 3)),
)
_MAX_ITEMS = 6
#: two formulas, one with a letter, with only a comma or "and" between them: a list may be there
_MAYBE = re.compile(r"[A-Za-z][^$]{0,40}\$\s*(?:,\s*)?(?:(?:and|or)\s+)?\$[^$]{0,40}?[A-Za-z]")


def _relations(masked: str) -> list[tuple[tuple, frozenset[str], int, int]]:
    """Visible equations among named quantities, no blank in them: (left - right, quantities, start, end)."""
    out = []
    for m in _INLINE.finditer(masked):
        t = m.group(1)
        if t.count("=") != 1 or PLACEHOLDER.search(t) or _NOT_EQUALITY.search(t):
            continue
        eqs = read_equations(f"${t.strip(' ,.')}$", link=False).equations
        if len(eqs) != 1:
            continue
        tree = ("-", eqs[0].left.tree, eqs[0].right.tree)
        names = tree_unknowns(tree)
        if names and all(n.startswith("v:") for n in names):
            out.append((tree, names, m.start(1), m.end(1)))
    return out


def _lists(masked: str) -> list[list[tuple[tuple, int, int]]]:
    """Lists of items, each naming one quantity: formulas with only commas and "and" between them."""
    found: list[list[tuple[tuple, int, int]]] = []
    run: list[tuple[tuple, int, int]] = []
    prev_end = -1
    for m in _INLINE.finditer(masked):
        item = m.group(1).strip().rstrip(",.").strip()
        adjacent = prev_end >= 0 and _BETWEEN.fullmatch(masked[prev_end + 1 : m.start()]) is not None
        prev_end = m.end() - 1
        if not adjacent:
            if len(run) >= 2:
                found.append(run)
            run = []
        tree = None if PLACEHOLDER.search(item) or "=" in item else read_expression(item)
        names = tree_unknowns(tree) if tree is not None else frozenset()
        if tree is None or len(names) != 1 or not next(iter(names)).startswith("v:"):
            if len(run) >= 2:
                found.append(run)
            run = []
            continue
        run.append((tree, m.start(1), m.end(1)))
    if len(run) >= 2:
        found.append(run)
    return [r[:_MAX_ITEMS] for r in found if any(t[0] != "u" for t, _, _ in r)]


def _at(tree: tuple, names: list[str], k: int) -> Value | None:
    try:
        return evaluate(tree, dict(zip(names, _SAMPLES[k], strict=False)))
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None


def _fixed_by(combined: tuple, relation: tuple, names: list[str]) -> Value | None:
    """beta when ``combined = alpha * relation + beta`` at every sample point; else None."""
    pts: list[tuple[Fraction, Fraction]] = []
    for k in range(len(_SAMPLES)):
        a, b = _at(combined, names, k), _at(relation, names, k)
        if not isinstance(a, Fraction) or not isinstance(b, Fraction):
            return None
        pts.append((a, b))
    (s0, f0), (s1, f1), (s2, f2) = pts
    if f0 == f1:
        return None
    alpha = (s1 - s0) / (f1 - f0)
    beta = s0 - alpha * f0
    return beta if s2 == alpha * f2 + beta else None


def listed(masked: str, gold: Gold) -> list[Finding]:
    if gold.value is None or "=" not in masked or "$" not in masked or not PLACEHOLDER.search(masked):
        return []
    if not _MAYBE.search(masked):
        return []
    lists = _lists(masked)
    relations = _relations(masked) if lists else []
    for items in lists if relations else []:
        trees = [t for t, _, _ in items]
        quantities = frozenset().union(*(tree_unknowns(t) for t in trees))
        total, product = trees[0], trees[0]
        for t in trees[1:]:
            total, product = ("+", total, t), ("*", product, t)
        for tree, names, s, e in relations:
            if not quantities <= names or len(names) > len(_SAMPLES[0]):
                continue
            order = sorted(names)
            for combined in (total, product):
                value = _fixed_by(combined, tree, order)
                if value is not None and gold.equals(value):
                    a, b = min(items[0][1], s), max(items[-1][2], e)
                    detail = f"the listed items with {masked[s:e].strip()[:40]!r} give {value}, the gold"
                    return [Finding("listed", detail, a, b)]
    return []
