"""Coefficient matching that is not linear in the blanks, for the identities the ``constraints`` solver reads.

``(z - [NUMBER])(z^4 + z^3 + z^2 + z + [NUMBER]) = z^5 - 1`` holds for every ``z`` only with both blanks 1:
the coefficients of ``z^4`` and ``z`` give ``1 - a = 0`` and ``b - a = 0``, the constant ``ab = 1``. The
solver's linear elimination and its differences do not reach the product ``ab``; a reader who expands the
product does. Here the two sides are put over one denominator as polynomials in the equation's variables
(sympy), every coefficient of their difference is set to 0, and the system is solved for the blanks. A
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


def surplus(
    left: tuple, right: tuple, blanks: list[str], variables: list[str], env: dict[str, Value]
) -> int | None:
    """How many more coefficient equations that name a blank the identity ``left = right`` in ``variables``
    has than blanks (``None``: not read). At 2 or more, one more value of it hidden is fixed too:
    ``x^8 + x^7 + \\dots + x + [N]`` against ``\\frac{x^9 - 1}{x - 1}``, where ``-k + [N] - [N] + 3k`` against
    ``(-k + 4) + (-2 + 3k)`` (one equation, two blanks) is not fixed."""
    names: dict[str, str] = {}
    left, right = _renamed(left, names), _renamed(right, names)
    known = tuple(sorted((names[u], v) for u, v in env.items() if u in names and u not in blanks))
    if any(type(v) is not Fraction for _, v in known):
        return None
    return _surplus(left, right, tuple(names[u] for u in blanks), tuple(names[v] for v in variables), known)


@lru_cache(maxsize=128)
def _surplus(
    left: tuple,
    right: tuple,
    blanks: tuple[str, ...],
    variables: tuple[str, ...],
    known: tuple[tuple[str, Fraction], ...],
) -> int | None:
    import sympy

    try:
        coefficients, unknowns = _system(left, right, blanks, variables, known)
    except (_NotRead, sympy.PolynomialError, sympy.SympifyError, NotImplementedError, ZeroDivisionError):
        return None
    named = [c for c in coefficients if c.free_symbols & set(unknowns)]
    return len(named) - len(unknowns)


def _system(
    left: tuple,
    right: tuple,
    blanks: tuple[str, ...],
    variables: tuple[str, ...],
    known: tuple[tuple[str, Fraction], ...],
) -> tuple[list[Any], list[Any]]:
    """The distinct coefficients of ``left - right`` as a polynomial in the variables (each one an expression
    in the blanks that must be 0), and the blanks' symbols; raises :class:`_NotRead` outside the reading."""
    import sympy

    symbols = {u: sympy.Symbol(f"s{k}") for k, u in enumerate((*blanks, *variables))}
    env = dict(known)
    if not blanks or not variables or _size(left) + _size(right) > 2 * _MOST_NODES:
        raise _NotRead
    difference = sympy.together(_sympy(left, symbols, env) - _sympy(right, symbols, env))
    numerator, _ = sympy.fraction(difference)
    poly = sympy.Poly(sympy.expand(numerator), *(symbols[v] for v in variables))
    if poly.total_degree() > MOST_DEGREE:
        raise _NotRead
    coefficients = list(dict.fromkeys(c for c in poly.coeffs() if c != 0))
    unknowns = [symbols[u] for u in blanks]
    if not coefficients or any(
        sympy.Poly(c, *unknowns).total_degree() > MOST_BLANK_DEGREE for c in coefficients
    ):
        raise _NotRead
    return coefficients, unknowns


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

    try:
        coefficients, unknowns = _system(left, right, blanks, variables, known)
        solutions = sympy.solve(coefficients, unknowns, dict=True)
    except (_NotRead, sympy.PolynomialError, sympy.SympifyError, NotImplementedError, ZeroDivisionError):
        return ()
    symbols = dict(zip(blanks, unknowns, strict=True))
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
