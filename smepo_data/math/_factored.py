"""A factored form beside the form it factors, with no ``=`` between them.

"This reduces to $a^2 - 2a - [N] \\ge 0,$ which factors as $(a + 1)(a - [N]) \\ge 0$", or "$x^2-5x+6>0$.
Factoring, we get $(x-[N])(x-2)>0$": a reader takes the product for the polynomial just before it, and
matching coefficients fixes the blanks of both (here 3, the answer). The two statements are consecutive
relations in one variable (``=`` too), one side a product of two or more factors that are sums (not ``3(x -
2)``) and the other not, and either the text between them says so ("factor") or both stand against the same
visible bound, whatever its spelling (``\\ge 0`` and ``\\geqslant 0``). Each pair is read as an equation
between the two sides, which the solver handles as it does a factorization written with ``=`` (an identity
in the variable: an unrelated pair is no identity and fixes nothing).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._bounds import read_relations
from ._equations import Equation, Side, Undefined, evaluate, tree_unknowns
from ._values import values_equal

#: the prose between two statements that says the second factors the first
_CUE = re.compile(r"factor", re.I)
#: the farthest apart (characters of text between them) two statements are paired
_NEAR = 160
#: what a product of factors shows somewhere: ``)(``, ``)^2``, ``2(``, ``[NUMBER](`` (a cheap test first)
_PRODUCT = re.compile(r"\)\s*(?:\\cdot\s*)?[(^]|[\d\]]\s*\(")
#: one spelling per relation (``\ge``, ``\geqslant`` and ``≥`` are one), ``=`` included
_RELATION_NAMES = {
    "=": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">=", "\\lt": "<", "\\gt": ">",
    "\\le": "<=", "\\leq": "<=", "\\leqslant": "<=", "\\ge": ">=", "\\geq": ">=", "\\geqslant": ">=",
}  # fmt: skip


@lru_cache(maxsize=16)
def factored_identities(masked: str) -> tuple[Equation, ...]:
    """The identities a reader reads from a factored form beside the form it factors (module doc)."""
    if "[" not in masked or not _PRODUCT.search(masked):
        return ()
    statements = _statements(masked)
    out = []
    for (a, rel_a, bound_a), (b, rel_b, bound_b) in zip(statements, statements[1:], strict=False):
        between = masked[bound_a.end : b.start]
        if len(between) > _NEAR or _factored(a.tree) == _factored(b.tree):
            continue  # a product of factors beside a form that is none
        letters = {u for u in a.unknowns if u.startswith("v:")}
        if len(letters) != 1 or {u for u in b.unknowns if u.startswith("v:")} != letters:
            continue
        if not any(not u.startswith("v:") for u in a.unknowns | b.unknowns):
            continue  # nothing hidden: nothing to fix
        if (rel_a == rel_b and _same_value(bound_a, bound_b)) or _CUE.search(between):
            # an identity in its letter: a letter of its own, which no other equation fixes to one value
            # first (``x = 1`` a line later would make the product 0 whatever its blank)
            out.append(Equation(_own_letter(a), _own_letter(b)))
    return tuple(out)


def _statements(masked: str) -> list[tuple[Side, str, Side]]:
    """Every ``left RELATION right`` the text shows, in order: one per left side, with its relation."""
    reading = read_relations(masked)
    seen: set[int] = set()
    out = []
    for eq in reading.equations:
        if eq.part or eq.left.start in seen or eq.right.start < eq.left.end:
            continue
        rel = _RELATION_NAMES.get(masked[eq.left.end : eq.right.start].strip())
        if rel is None:
            continue  # a chain's first side against a later one, a calculator note
        seen.add(eq.left.start)
        out.append((eq.left, rel, eq.right))
    out.sort(key=lambda s: s[0].start)
    return out


def _factored(tree: tuple) -> bool:
    """A product of two or more factors that are sums: ``(a + 1)(a - [N])``, ``2(x - 3)^2`` (not ``3(x -
    2)``, a line written with its constant factored out)."""
    if tree[0] == "neg":
        return _factored(tree[1])
    return tree[0] == "*" and sum(_sums(t) for t in _factors(tree)) >= 2


def _factors(tree: tuple) -> list[tuple]:
    if tree[0] == "*":
        return [t for part in tree[1:] for t in _factors(part)]
    return [tree]


def _sums(tree: tuple) -> int:
    """How many factors a sum is: ``(x - 3)`` one, ``(x - 3)^2`` two."""
    if tree[0] == "^":
        power = tree[2][1] if tree[2][0] == "n" else 1
        return int(power) if power == int(power) and 1 < power <= 8 and _sums(tree[1]) else 0
    return int(tree[0] in ("+", "-"))


def _same_value(a: Side, b: Side) -> bool:
    """Two visible bounds of one value (``0.5`` and ``\\frac12``)."""
    if a.unknowns or b.unknowns:
        return False
    try:
        return values_equal(evaluate(a.tree, {}), evaluate(b.tree, {}))
    except Undefined:
        return False


def _own_letter(side: Side) -> Side:
    tree = _renamed(side.tree)
    return Side(tree, tree_unknowns(tree), side.start, side.end)


def _renamed(tree: tuple) -> tuple:
    if tree[0] == "u":
        return ("u", tree[1] + "'") if tree[1].startswith("v:") else tree
    if tree[0] in ("n", "c"):
        return tree
    return (tree[0], *[_renamed(t) if isinstance(t, tuple) else t for t in tree[1:]])
