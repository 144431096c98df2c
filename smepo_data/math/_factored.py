"""Identities a reader reads between two forms of one polynomial the trace writes apart.

A factored form beside the form it factors, with no ``=`` between them.

"This reduces to $a^2 - 2a - [N] \\ge 0,$ which factors as $(a + 1)(a - [N]) \\ge 0$", or "$x^2-5x+6>0$.
Factoring, we get $(x-[N])(x-2)>0$": a reader takes the product for the polynomial just before it, and
matching coefficients fixes the blanks of both (here 3, the answer). The two statements are consecutive
relations in one variable (``=`` too), one side a product of two or more factors that are sums (not ``3(x -
2)``) and the other not, and either the text between them says so ("factor") or both stand against the same
visible bound, whatever its spelling (``\\ge 0`` and ``\\geqslant 0``). Each pair is read as an equation
between the two sides, which the solver handles as it does a factorization written with ``=`` (an identity
in the variable: an unrelated pair is no identity and fixes nothing).

The ends of the interval a quadratic inequality solves to, written right after it: "$0 \\ge a^2 - a - [N]$.
This means that $-1 \\le a \\le [N]$" (or "$x < [N]$ or $x > 3$"): a reader takes the two ends for the
roots, so the quadratic is its leading coefficient times ``(a + 1)(a - [N])``, and matching coefficients
gives both blanks (2 and 2; Vieta's sum, -1 + u = 1, is the same reading). The inequality is in one
letter and quadratic in it (checked by evaluation); the bound is the next inequality statement, at most a
short stretch of text after the quadratic's chain, a chain ``l R x R u`` or two one-sided bounds joined by
"or"; the quadratic bounded on both sides (``-1 \\le P \\le 1``) reads nothing, nor does a pair with no
blank.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._bounds import RELATION, read_relations
from ._equations import Equation, Side, Undefined, evaluate, quadratic_coefficients, substitute, tree_unknowns
from ._rational import Fraction
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
    if "[" not in masked:
        return ()
    products = bool(_PRODUCT.search(masked))
    if not products and len(RELATION.findall(masked)) < 3:
        return ()  # no product, and too few inequalities for a quadratic one and a two-sided bound
    statements = _statements(masked)
    out = list(_root_identities(masked, statements))
    if not products:
        return tuple(out)
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
    if tree[0] == "vec":  # a tuple of components, every one renamed
        return ("vec", tuple(_renamed(t) for t in tree[1]))
    return (tree[0], *[_renamed(t) if isinstance(t, tuple) else t for t in tree[1:]])


#: the inequalities, by direction
_BELOW = frozenset({"<", "<="})
_ABOVE = frozenset({">", ">="})
#: what joins two one-sided bounds of one solution set ("$x < 2$ or $x > 5$", ``\cup``)
_OR = re.compile(r"(?:[$\s,}]|\\text\s*\{|\\q?quad\b)*(?:or|\\cup)\b(?:[$\s,}]|\\text\s*\{|\\q?quad\b)*\Z")
#: the blanks' stand-in values where a quadratic is evaluated
_STAND_IN = (Fraction(17, 7), Fraction(23, 5), Fraction(-31, 9), Fraction(41, 11))


def _root_identities(masked: str, statements: list[tuple[Side, str, Side]]) -> list[Equation]:
    """The ends of the interval a quadratic inequality solves to, read as its roots (module doc): one
    identity ``P(x') = lead * (x' - l)(x' - u)`` per quadratic inequality with a two-sided bound after it."""
    out = []
    for i, (a, rel, b) in enumerate(statements):
        if rel == "=" or _bounded_twice(statements, i):
            continue  # ``-1 \le P \le 1``: an interval it solves to is no pair of roots of one side
        letters = {u for u in a.unknowns | b.unknowns if u.startswith("v:")}
        if len(letters) != 1:
            continue
        (letter,) = letters
        poly = ("-", a.tree, b.tree)
        if not _quadratic(poly, letter):
            continue
        ends = _bound_after(masked, statements, i, letter)
        if ends is None:
            continue
        lo, hi = ends
        if not any(not u.startswith("v:") for u in a.unknowns | b.unknowns | lo.unknowns | hi.unknowns):
            continue  # nothing hidden: nothing to fix
        x = ("u", letter + "'")
        at = {k: substitute(poly, letter, ("n", Fraction(k))) for k in (-1, 0, 1)}
        lead = ("/", ("-", ("+", at[1], at[-1]), ("*", ("n", Fraction(2)), at[0])), ("n", Fraction(2)))
        product = ("*", lead, ("*", ("-", x, lo.tree), ("-", x, hi.tree)))
        left = _own_letter(Side(poly, a.unknowns | b.unknowns, a.start, b.end))
        out.append(Equation(left, Side(product, tree_unknowns(product), lo.start, hi.end)))
    return out


def _bounded_twice(statements: list[tuple[Side, str, Side]], i: int) -> bool:
    """Is a side of inequality ``i`` also a side of the inequality before or after it in one chain?"""
    a, _, b = statements[i]
    before = i > 0 and statements[i - 1][1] != "=" and statements[i - 1][2].start == a.start
    after = i + 1 < len(statements) and statements[i + 1][1] != "=" and statements[i + 1][0].start == b.start
    return before or after


def _quadratic(poly: tuple, letter: str) -> bool:
    """Is ``poly`` a polynomial of degree 2 in ``letter``, whatever its blanks (at stand-in values)?"""
    env = {u: _STAND_IN[k % len(_STAND_IN)] + k for k, u in enumerate(sorted(tree_unknowns(poly) - {letter}))}
    return quadratic_coefficients(poly, letter, env) is not None


def _bound_after(
    masked: str, statements: list[tuple[Side, str, Side]], i: int, letter: str
) -> tuple[Side, Side] | None:
    """The two ends of the bound on ``letter`` written next after statement ``i``: ``l R x R u`` (a chain,
    one direction) or ``x R l`` "or" ``x R' u`` (opposite directions); ``(l, u)``, or ``None``."""
    end, last = statements[i][2].end, statements[i][2].start
    x = ("u", letter)
    for j in range(i + 1, len(statements) - 1):
        (a, rel_a, b), (c, rel_c, d) = statements[j], statements[j + 1]
        if a.start == last:  # ``0 \ge P = (a - [N])(a + [N])``: the same chain goes on
            end, last = max(end, b.end), b.start
        if len(masked[end : a.start]) > _NEAR:
            return None
        if rel_a == "=":
            continue  # another step's equation between them
        ends: tuple[Side, Side] | None = None
        chain = b.tree == x and c.start == b.start and c.tree == x
        if chain and ({rel_a, rel_c} <= _BELOW or {rel_a, rel_c} <= _ABOVE):
            ends = (a, d)
        elif (
            a.tree == x == c.tree
            and (rel_a in _BELOW) != (rel_c in _BELOW)
            and _OR.match(masked[b.end : c.start])
        ):
            ends = (b, d)  # opposite directions, joined by "or"
        if ends is None or any(u.startswith("v:") for e in ends for u in e.unknowns):
            return None  # the next inequality is no bound of the letter by values: the reading stops
        return ends
    return None
