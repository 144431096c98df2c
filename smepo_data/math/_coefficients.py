"""Coefficient matching that is not linear in the blanks, for the identities the ``constraints`` solver reads.

``(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER]) = z^5 - 1`` holds for every ``z`` only with both blanks 1:
the coefficients of ``z^4`` and ``z`` give ``1 - a = 0`` and ``b - a = 0``, the constant ``ab = 1``. The
solver's linear elimination and its differences do not reach the product ``ab``; a reader who expands the
product does. Here the two sides are put over one denominator as polynomials in the equation's variables
(sympy), every coefficient of their difference is set to 0, and the system is solved for the blanks: one
solution, every blank a rational number and none 0 (``[N]x + [N] = 90`` holds for every ``x`` only with a
zero coefficient: that is an equation to solve, no identity), fixes them.

Read only where the other ways find nothing, for at most :data:`MOST_BLANKS` blanks, sides of arithmetic
(no function, no constant such as pi), whole powers up to :data:`MOST_DEGREE`, every other unknown known
exactly; a system of higher degree in the blanks than :data:`MOST_BLANK_DEGREE` is not solved.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

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
    env = dict(known)
    try:
        if _size(left) + _size(right) > 2 * _MOST_NODES:
            raise _NotRead
        difference = sympy.together(_sympy(left, symbols, env) - _sympy(right, symbols, env))
        numerator, _ = sympy.fraction(difference)
        poly = sympy.Poly(sympy.expand(numerator), *(symbols[v] for v in variables))
        if poly.total_degree() > MOST_DEGREE:
            raise _NotRead
        coefficients = list(dict.fromkeys(c for c in poly.coeffs() if c != 0))
        unknowns = [symbols[u] for u in blanks]
        if len(coefficients) < len(unknowns) or any(  # fewer equations than blanks: none fixes them all
            sympy.Poly(c, *unknowns).total_degree() > MOST_BLANK_DEGREE for c in coefficients
        ):
            raise _NotRead
        solutions = sympy.solve(coefficients, unknowns, dict=True)
    except (_NotRead, sympy.PolynomialError, sympy.SympifyError, NotImplementedError, ZeroDivisionError):
        return ()
    if len(solutions) != 1 or set(solutions[0]) != set(unknowns):
        return ()
    fixed = []
    for u in blanks:
        value = solutions[0][symbols[u]]
        if not value.is_Rational or value == 0:
            return ()
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
