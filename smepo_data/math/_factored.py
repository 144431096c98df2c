"""Identities a reader reads between two forms of one polynomial the trace writes apart.

A factored form beside the form it factors, with no ``=`` between them; or a form beside the one it
rewrites, where the prose says so ("reduces to", "simplifies", "expanding", "equivalently") and both stand
against one visible bound: "$(a - 1)^2 - [N] \\ge 0.$ This reduces to $a^2 - [N]a - [N] \\ge 0$" fixes
the ``2`` and gives the constant as ``1 - [N]``; or the discriminant of a visible quadratic factor beside
the statement the trace writes for it (:func:`_discriminant_identities`).

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
from ._equations import (
    Equation,
    Side,
    Undefined,
    evaluate,
    polynomial_degree,
    product_factors,
    quadratic_coefficients,
    read_expression,
    substitute,
    tree_unknowns,
)
from ._rational import Fraction
from ._values import values_equal

#: the prose between two statements that says the second factors the first
_CUE = re.compile(r"factor", re.I)
#: the prose right before the second of two statements that says it writes the first again ("This reduces
#: to", "which simplifies to", "Expanding, we get", "or equivalently"), at the end of the text between them
_REWRITE = re.compile(
    r"\b(?:reduc|simplif|expand|equivalent|rewrit)[a-z]*"
    r"(?:\s*,?\s*(?:to|as|we\s+(?:get|have|obtain|find)|gives|yields|becomes|this\s+becomes))?[\s,:$\\\[\]]*\Z",
    re.I,
)
#: a negation before the cue ("is not equivalent to", "without expanding")
_NEGATED = re.compile(r"\b(?:not|without|never|cannot)\b", re.I)
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
    rewrites = bool(_CUE_WORD.search(masked)) or "iscriminant" in masked
    if not products and not rewrites and len(RELATION.findall(masked)) < 3:
        return ()  # no product nor rewrite, and too few inequalities for a quadratic and a two-sided bound
    statements = _statements(masked)
    out = list(_root_identities(masked, statements))
    if "iscriminant" in masked:
        out.extend(_discriminant_identities(masked, statements))
    if not products and not rewrites:
        return tuple(out)
    for (a, rel_a, bound_a), (b, rel_b, bound_b) in zip(statements, statements[1:], strict=False):
        between = masked[bound_a.end : b.start]
        if len(between) > _NEAR:
            continue
        if _factored(a.tree) == _factored(b.tree) and not _rewritten(between):
            continue  # a product of factors beside a form that is none, or a form the prose says it rewrites
        letters = {u for u in a.unknowns if u.startswith("v:")}
        if len(letters) != 1 or {u for u in b.unknowns if u.startswith("v:")} != letters:
            continue
        if not any(not u.startswith("v:") for u in a.unknowns | b.unknowns):
            continue  # nothing hidden: nothing to fix
        same_bound = rel_a == rel_b and _same_value(bound_a, bound_b)
        if _factored(a.tree) == _factored(b.tree) and not (same_bound and _scaled_alike(a.tree, b.tree)):
            # two forms of one kind: only against one bound ("$4x+[N] > 2$ reduces to $x > 1$": no), and
            # with a term both show alike ("$[N]x^2 - [N]x - 6 \\ge 0$ reduces to $x^2 - 2x - [N]$" may
            # have halved it: no)
            continue
        if same_bound or _CUE.search(between):
            # an identity in its letter: a letter of its own, which no other equation fixes to one value
            # first (``x = 1`` a line later would make the product 0 whatever its blank)
            out.append(Equation(_own_letter(a), _own_letter(b)))
    return tuple(out)


#: the word that names a quadratic's discriminant
_DISCRIMINANT = re.compile(r"\bdiscriminant", re.I)
#: the stand-in values of a quadratic's other unknowns where its degree in a letter is read
_PROBE = (Fraction(13, 7), Fraction(-11, 5), Fraction(29, 9), Fraction(7, 3))


def _discriminant_identities(masked: str, statements: list[tuple[Side, str, Side]]) -> list[Equation]:
    """The discriminant a reader computes from a visible quadratic, beside the expression the trace writes
    for it: "$(x + 1)(x^2 + (a - 1)x + 1) = 0.$ The quadratic factor has real roots if and only if its
    discriminant is nonnegative: $(a - [N])^2 - [N] \\ge 0$" is ``(a - 1)^2 - 4``, an identity in ``a``
    that fixes both blanks. The quadratic is the one factor (or side) of the last statement before the word
    that is of degree two in one letter; the expression is the left side of the first statement after it.
    Each as an identity in its letters (:func:`_own_letter`), placed where the quadratic is written (the
    repair hides one of its values)."""
    out = []
    for word in _DISCRIMINANT.finditer(masked):
        before = [
            st for st in statements if st[2].end <= word.start() and word.start() - st[2].end <= 2 * _NEAR
        ]
        after = [st for st in statements if word.end() <= st[0].start <= word.end() + _NEAR]
        if not before or not after:
            continue
        found = _quadratic_factor(before[-1])
        written = after[0][0]
        if found is None or not any(not u.startswith("v:") for u in written.unknowns):
            continue
        tree, letter, side = found
        start, end = _written_at(masked, side, tree)
        at = {k: substitute(tree, letter, ("n", Fraction(k))) for k in (-1, 0, 1)}
        two, four = ("n", Fraction(2)), ("n", Fraction(4))
        a = ("/", ("+", ("-", at[1], ("*", two, at[0])), at[-1]), two)
        b = ("/", ("-", at[1], at[-1]), two)
        discriminant = _renamed(("-", ("^", b, two), ("*", four, ("*", a, at[0]))))
        out.append(
            Equation(_own_letter(written), Side(discriminant, tree_unknowns(discriminant), start, end))
        )
    return out


def _written_at(masked: str, side: Side, tree: tuple) -> tuple[int, int]:
    """Where ``side`` writes the factor ``tree`` (a bracket of its own: ``(x^2 + (a - 1)x + 1)``), else the
    whole side."""
    depth, opened = 0, -1
    for i in range(side.start, side.end):
        c = masked[i]
        if c == "(":
            depth += 1
            if depth == 1:
                opened = i
        elif c == ")" and depth:
            depth -= 1
            if depth == 0 and read_expression(masked[opened + 1 : i]) == tree:
                return opened + 1, i
    return side.start, side.end


def _quadratic_factor(statement: tuple[Side, str, Side]) -> tuple[tuple, str, Side] | None:
    """(tree, letter, side) of the one factor or side of ``statement`` with no blank that is of degree
    exactly two in one letter (its other letters at stand-in values), the side it stands in; ``None`` where
    none or several are."""
    found = []
    for side in (statement[0], statement[2]):
        for tree in {side.tree, *product_factors(side.tree)}:
            names = tree_unknowns(tree)
            if any(not u.startswith("v:") for u in names):
                continue  # a quadratic with a hidden value: its discriminant is no reader's computation
            for letter in (u for u in names if u.startswith("v:")):
                env = {u: _PROBE[i % len(_PROBE)] for i, u in enumerate(sorted(names - {letter}))}
                if quadratic_coefficients(tree, letter, env) is not None:
                    found.append((tree, letter, side))
    return found[0] if len(found) == 1 else None


#: a word of rewriting anywhere (a cheap test first)
_CUE_WORD = re.compile(r"reduc|simplif|expand|equivalent|rewrit", re.I)


def _rewritten(between: str) -> bool:
    """Does the text between two statements end with prose that says the second rewrites the first?"""
    cue = _REWRITE.search(between)
    return cue is not None and not _NEGATED.search(between, max(0, cue.start() - 20), cue.end())


def _scaled_alike(a: tuple, b: tuple) -> bool:
    """Do two polynomials in one letter show one coefficient alike, the same visible nonzero number in both
    (the ``a^2`` of ``(a-1)^2 - [N]`` and of ``a^2 - [N]a - [N]``)? Then the second is no multiple of the
    first. A coefficient is visible where it does not move with the blanks."""
    coefficients = [_visible_coefficients(t) for t in (a, b)]
    if coefficients[0] is None or coefficients[1] is None:
        return False
    return any(
        k in coefficients[1] and v != 0 and coefficients[1][k] == v for k, v in coefficients[0].items()
    )


def _visible_coefficients(tree: tuple) -> dict[int, Fraction] | None:
    """The coefficients of ``tree`` (a polynomial in its one letter) that stay the same whatever its blanks
    hold (tried at two sets of values), by power; ``None`` where it is no polynomial read so."""
    names = sorted(tree_unknowns(tree))
    letters = [u for u in names if u.startswith("v:")]
    if len(letters) != 1:
        return None
    letter = letters[0]
    degree = polynomial_degree(tree, letter)
    if degree is None or degree > 6:
        return None
    blanks = [u for u in names if u != letter]
    settings = [dict.fromkeys(blanks, Fraction(0)), {u: Fraction(2 * i + 3, 7) for i, u in enumerate(blanks)}]
    found = [coefficients(tree, letter, degree, env) for env in settings]
    if found[0] is None or found[1] is None:
        return None
    return {k: v for k, (v, w) in enumerate(zip(found[0], found[1], strict=True)) if v == w}


def coefficients(tree: tuple, letter: str, degree: int, env: dict) -> list[Fraction] | None:
    """``tree``'s coefficients in ``letter`` (power 0 first) at ``env``: its values at 0..degree, solved."""
    try:
        ys = [evaluate(tree, {**env, letter: Fraction(x)}) for x in range(degree + 1)]
    except (Undefined, ZeroDivisionError, OverflowError):
        return None
    row = [y for y in ys if isinstance(y, Fraction)]
    if len(row) != len(ys):
        return None
    # Newton's forward differences, then the Newton form expanded into powers of the letter
    diffs: list[Fraction] = []
    while row:
        diffs.append(row[0])
        row = [b - a for a, b in zip(row, row[1:], strict=False)]
    coefficients = [Fraction(0)] * (degree + 1)
    basis = [Fraction(1)]  # x (x - 1) ... (x - k + 1) / k!, as powers of x
    for k, d in enumerate(diffs):
        for p, c in enumerate(basis):
            coefficients[p] += d * c
        basis = [Fraction(0), *basis]  # times x
        for p in range(len(basis) - 1):
            basis[p] -= k * basis[p + 1]  # minus k times the previous
        basis = [c / (k + 1) for c in basis]
    return coefficients


def divides(numerator: tuple, divisor: tuple) -> bool:
    """Does ``divisor``, a polynomial of degree 1 or more in one letter with no blank, divide ``numerator``, a
    polynomial in the same letter and nothing else, with no remainder (``x + 1`` divides ``x^3 + 1``)? Long
    division over the coefficients, exact in fractions; both of degree 8 at most
    (:func:`polynomial_degree`)."""
    letters = tree_unknowns(numerator) | tree_unknowns(divisor)
    if len(letters) != 1 or not next(iter(letters)).startswith("v:"):
        return False
    letter = next(iter(letters))
    high, low = polynomial_degree(numerator, letter), polynomial_degree(divisor, letter)
    if high is None or not low or low > high:
        return False
    top, bottom = coefficients(numerator, letter, high, {}), coefficients(divisor, letter, low, {})
    if top is None or bottom is None:
        return False
    while bottom and bottom[-1] == 0:
        bottom.pop()
    if len(bottom) < 2:  # a number, once its vanishing powers are dropped
        return False
    for k in range(len(top) - 1, len(bottom) - 2, -1):  # each power from the top, the divisor times it out
        factor = top[k] / bottom[-1]
        for j, c in enumerate(bottom):
            top[k - len(bottom) + 1 + j] -= factor * c
    return not any(top[: len(bottom) - 1])


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
    return tree[0] == "*" and sum(_sums(t) for t in product_factors(tree)) >= 2


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
