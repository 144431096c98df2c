"""Coefficient matching that is not linear in the blanks, for the identities the ``constraints`` solver reads.

``(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER]) = z^5 - 1`` holds for every ``z`` only with both blanks 1:
the coefficients of ``z^4`` and ``z`` give ``1 - a = 0`` and ``b - a = 0``, the constant ``ab = 1``. The
solver's linear elimination and its differences do not reach the product ``ab``; a reader who expands the
product does. Here the two sides are put over one denominator as polynomials in the equation's variables
(sympy), every coefficient of their difference is set to 0, and the system is solved for the blanks where
the distinct equations (alike up to a factor: one) are at least as many as the blanks (fewer, and an equation
to solve in ``x`` such as ``\\frac{x + [N]}{[N]} = \\frac{x}{2} + [N]`` would pass for an identity). A
blank that takes one rational value in every solution is fixed, though others stay free: in
``\\frac{x^9 - [N]}{x - [N]} + \\frac{[N]}{x - 1} = x^8 + \\dots + x + 1 + \\frac{2}{x - 1}`` the divisor's
blank is 1 whatever the added ones are (only their difference is fixed). A fixed blank 0 voids the reading
(``[N]x + [N] = 90`` holds for every ``x`` only with a zero coefficient: that is an equation to solve, no
identity).

Read only where the other ways find nothing, for at most :data:`MOST_BLANKS` blanks, sides of arithmetic
(no function, no constant such as pi), whole powers up to :data:`MOST_DEGREE`, every other unknown known
exactly; a system of higher degree in the blanks than :data:`MOST_BLANK_DEGREE` is not solved.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ._equations import tree_unknowns
from ._rational import Fraction
from ._values import Value

MOST_BLANKS = 3
MOST_DEGREE = 12
MOST_BLANK_DEGREE = 3
#: the most nodes a side may have
_MOST_NODES = 200


class _NotRead(Exception):
    """The equation is outside what this reading reads."""


def identity_by_algebra(
    left: tuple, right: tuple, blanks: list[str], variables: list[str], env: dict[str, Value]
) -> list[tuple[str, Fraction]]:
    """The blanks that ``left = right`` fixes when it must hold for every value of ``variables`` (see the
    module); none when it fixes none, or is not read."""
    names: dict[str, str] = {}  # every unknown renamed by where it first stands: a re-read after a repair
    left, right = _renamed(left, names), _renamed(right, names)  # (blanks named by offset) is the same read
    known = tuple(sorted((names[u], v) for u, v in env.items() if u in names))
    if any(type(v) is not Fraction for _, v in known):
        return []
    back = {n: u for u, n in names.items()}
    solved = _solved(left, right, tuple(names[u] for u in blanks), tuple(names[v] for v in variables), known)
    return [(back[n], v) for n, v in solved]


def _renamed(tree: tuple, names: dict[str, str]) -> tuple:
    if tree[0] == "u":
        return ("u", names.setdefault(tree[1], f"k{len(names)}"))
    return (tree[0], *(_renamed(c, names) if isinstance(c, tuple) else c for c in tree[1:]))


def fixed_whatever_hidden(
    left: tuple, right: tuple, blank: str, blanks: list[str], variables: list[str], env: dict[str, Value]
) -> bool:
    """Does the identity ``left = right`` in ``variables`` still fix ``blank`` (by its coefficients) when
    any one more number of a side with blanks is hidden, an exponent aside? Then its shape, not a value,
    gives the blank away: ``(x^3 - [N])(x + 1)(x^2 - x + 1)`` against ``(x^3 - 1)(x^3 + 1)`` fixes the
    blank with the ``1`` of ``x + 1`` hidden too, where ``-k + 4 - [N] + 3k`` against ``(-k + 4) + (-2 +
    3k)`` fixes it only while the 4 shows. False where no number is left to hide, or the identity is not
    read."""
    names = set(blanks)
    sides = [(tree, key) for tree, key in ((left, "l"), (right, "r")) if tree_unknowns(tree) & names]
    spots = [spot for tree, key in sides for spot in _numbers(tree, (key,))][:_MOST_TRIES]
    if not spots:
        return False
    for spot in spots:
        trees = {"l": left, "r": right}
        trees[spot[0]] = _replaced(trees[spot[0]], spot[1:], ("u", _EXTRA))
        fixed = dict(identity_by_algebra(trees["l"], trees["r"], [*blanks, _EXTRA], variables, env))
        if blank not in fixed:
            return False
    return True


#: the most numbers :func:`fixed_whatever_hidden` hides one at a time
_MOST_TRIES = 8
#: the unknown a hidden number becomes there
_EXTRA = "u:extra"


def _numbers(tree: tuple, path: tuple) -> list[tuple]:
    """The paths to ``tree``'s number leaves, none in an exponent."""
    if tree[0] == "n":
        return [path]
    out: list[tuple] = []
    for k, child in enumerate(tree[1:], 1):
        if isinstance(child, tuple) and not (tree[0] == "^" and k == 2):
            out.extend(_numbers(child, (*path, k)))
    return out


def _replaced(tree: tuple, path: tuple, new: tuple) -> tuple:
    if not path:
        return new
    k = path[0]
    return (*tree[:k], _replaced(tree[k], path[1:], new), *tree[k + 1 :])


@lru_cache(maxsize=512)
def _solved(
    left: tuple,
    right: tuple,
    blanks: tuple[str, ...],
    variables: tuple[str, ...],
    known: tuple[tuple[str, Fraction], ...],
) -> tuple[tuple[str, Fraction], ...]:
    if not 2 <= len(blanks) <= MOST_BLANKS or not variables:
        return ()
    import sympy

    symbols = {u: sympy.Symbol(f"s{k}") for k, u in enumerate((*blanks, *variables))}
    unknowns = [symbols[u] for u in blanks]
    try:
        if _size(left) + _size(right) > 2 * _MOST_NODES:
            raise _NotRead
        difference = sympy.together(_sympy(left, symbols, dict(known)) - _sympy(right, symbols, dict(known)))
        numerator, _ = sympy.fraction(difference)
        poly = sympy.Poly(sympy.expand(numerator), *(symbols[v] for v in variables))
        if poly.total_degree() > MOST_DEGREE:
            raise _NotRead
        distinct: dict[Any, Any] = {}  # ``a - 1`` and ``2 - 2a`` are one equation: keyed by the monic form
        for c in poly.coeffs():
            if c == 0:
                continue
            p = sympy.Poly(c, *unknowns)
            if p.total_degree() > MOST_BLANK_DEGREE:
                raise _NotRead
            distinct.setdefault(p.monic().as_expr() if p.total_degree() > 0 else c, c)
        if len(distinct) < len(unknowns):
            # fewer equations than blanks: an equation to solve in x (\frac{x + [N]}{[N]} = \frac{x}{2} +
            # [N]) would be taken for an identity whose one coefficient fixes a blank
            raise _NotRead
        solutions = sympy.solve(list(distinct.values()), unknowns, dict=True)
    except (_NotRead, sympy.PolynomialError, sympy.SympifyError, NotImplementedError, ZeroDivisionError):
        return ()
    fixed = []
    for u in blanks:
        values = {solution.get(symbols[u]) for solution in solutions}
        value = values.pop() if len(values) == 1 else None
        if value is None or not value.is_Rational:
            continue  # free, or a value that depends on a free blank, or one of several
        if value == 0:
            return ()  # "[N]x + [N] = 90" holds for every x only with a zero coefficient: no identity
        fixed.append((u, Fraction(int(value.p), int(value.q))))
    return tuple(fixed)


def _size(tree: tuple) -> int:
    return 1 + sum(_size(c) for c in tree[1:] if isinstance(c, tuple))


def _sympy(tree: tuple, symbols: dict[str, Any], env: dict[str, Fraction]) -> Any:
    """``tree`` as a sympy expression: blanks and variables as symbols, other unknowns at their values."""
    import sympy

    op = tree[0]
    if op == "n":
        return sympy.Rational(tree[1].numerator, tree[1].denominator)
    if op == "u":
        if tree[1] in symbols:
            return symbols[tree[1]]
        if tree[1] in env:
            v = env[tree[1]]
            return sympy.Rational(v.numerator, v.denominator)
        raise _NotRead
    if op == "neg":
        return -_sympy(tree[1], symbols, env)
    if op in ("+", "-", "*", "/"):
        a, b = _sympy(tree[1], symbols, env), _sympy(tree[2], symbols, env)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        return a * b if op == "*" else a / b
    if op == "^" and tree[2][0] == "n":
        k = tree[2][1]
        if k.denominator == 1 and abs(k) <= MOST_DEGREE:
            return _sympy(tree[1], symbols, env) ** int(k)
    raise _NotRead
