"""A value a visible polynomial equation fixes without fixing its letter, a reading of the ``constraints``
attack.

``Since $z \\neq 1,$ $z^4 + z^3 + z^2 + z + 1 = 0.$ Then ... = \\frac{z^3 + z + z^4 + 1}{z^2} = [EXPR] =
\\boxed{[NUMBER]}``: the equation leaves ``z`` one of four roots, but the fraction takes one value, -1, at
all four. A reader with a calculator evaluates it at each root (or reduces it by the polynomial) and has
the blank: the visible equation determines it, though it determines no ``z``.

The polynomial is an equation the trace writes in one letter and nothing else (no blank), or a factor in one
letter of a product the trace sets to 0 (``(z - [NUMBER])(z^2 + z + 1) = 0``). It is read numerically: its
values at :data:`_POINTS` points on a circle give its coefficients, from the letter's power
``-``:data:`_LOWEST` up, checked at one more point; a reader multiplies ``z^2 - z + 1 - \\frac{1}{z} +
\\frac{1}{z^2} = 0`` by ``z^2``, and so does this reading. It counts from degree 2 to :data:`_MOST_DEGREE`
(after that multiplication). Roots that a visible ``z \\neq 1`` rules out (in the question or the trace) are
left out. An expression in that letter alone, with no blank, that is not the equation's own side and not
constant, whose value at every root left (where it is defined) is the gold, gives the gold away: a side the
trace writes, a side or a lone expression the question writes (``Compute $w^2 + w + 5$``). The question's
own polynomial is the question's, however the trace writes it (``z^5 - 1 = 0`` for the question's ``z^5 =
1``; "a root of $x^2 - 3x + 1$"): evaluating at its roots is the task. A polynomial with other roots (a
factor the trace split off) is the trace's. Blamed on the polynomial: the repair hides one of its values, a
copy of a question value first.
"""

from __future__ import annotations

import cmath
import re
from functools import lru_cache

from .._leak import Finding
from ._answer import Gold
from ._equations import (
    Equation,
    Reading,
    Undefined,
    evaluate,
    finite,
    product_factors,
    read_equations,
    read_expression,
    tree_unknowns,
)
from ._template import question_segments
from ._values import Value

_POINTS = 24
#: the most negative power of the letter read (``\\frac{1}{z^2}``)
_LOWEST = 4
_MOST_DEGREE = _POINTS - _LOWEST - 4
_RADIUS = 1.3
#: a point no coefficient fit was made at, to check that the equation is a polynomial
_CHECK = complex(0.37, 0.61)
_TOL = 1e-7
#: a coefficient smaller than this, relative to the largest, is the fit's noise
_NOISE = 1e-12
#: the most polynomials and expressions read per trace
_MOST_EQUATIONS = 8
_MOST_SIDES = 60
#: ``z \neq 1``, ``\omega \ne -1``: a value a letter is not (not ``2x \neq 1``, not ``a_n \neq 1``)
_NOT = re.compile(
    r"(?<![\w\\}\)^_])(\\[a-zA-Z]+|[a-zA-Z])\s*(?:\\neq?(?![a-zA-Z])|\\not\s*=|≠)\s*(-?\d+(?:\.\d+)?)(?!\.?\d)"
)


def root_values(question: str, masked: str, gold: Gold) -> list[Finding]:
    """Each polynomial equation of the trace at whose every root an expression the trace or the question
    writes takes the gold (see the module)."""
    if gold.value is None or "=" not in masked or "^" not in masked:
        return []
    reading = read_equations(masked)
    equations = [(eq, found) for eq in reading.equations if not eq.part and (found := _polynomials(eq))]
    if not equations:
        return []
    own = _question_roots(question)
    out: list[Finding] = []
    read = 0
    for eq, polynomials in equations:
        if read == _MOST_EQUATIONS:
            break
        for tree, letter in polynomials:
            roots = _roots(tree, letter)
            if not roots or any(_same_roots(roots, q) for q in own):
                continue  # no polynomial, or the question's own, written another way: solving it is the task
            read += 1
            written = _gold_at_roots(reading, eq, letter, roots, question, masked, gold)
            if written is not None:
                shown = written if len(written) <= 50 else written[:47] + "..."
                what = f"{shown!r} is the gold at every root of {masked[eq.start : eq.end].strip()[:50]!r}"
                out.append(Finding("constraints", what, eq.start, eq.end))
                break
    return out


def _gold_at_roots(
    reading: Reading,
    eq: Equation,
    letter: str,
    roots: tuple[complex, ...],
    question: str,
    masked: str,
    gold: Gold,
) -> str | None:
    """An expression (as written) whose value is the gold at every root of ``eq``'s polynomial left."""
    ruled_out = _ruled_out(question + "\n" + masked, letter[2:])
    left = [r for r in roots if not any(_near(r, x) for x in ruled_out)]
    if len(left) < 2:
        return None  # one root: the solver's (it fixes the letter)
    own = {(eq.left.start, eq.left.end), (eq.right.start, eq.right.end)}
    for expression, written, at in _expressions(reading, letter, masked, question):
        if at in own:
            continue  # the equation's own side is its other side's value at every root
        values = [v for v in (_at(expression, letter, r) for r in left) if v is not None]
        if (
            len(values) >= 2
            and all(gold.equals(_plain(v)) for v in values)
            and not _constant(expression, letter, values[0])
        ):
            return written
    return None


def _polynomials(eq: Equation) -> list[tuple[tuple, str]]:
    """What of ``eq`` may be a polynomial equation in one letter, with that letter: the equation (left
    minus right) when it names one letter and no blank; and for a product equal to 0, each factor that
    does (``(z - [N])(z^4 + z^3 + z^2 + z + 1) = 0``: a reader who knows ``z`` is not the first factor's
    root reads the second; so in ``(z - 1)(z^4 + z^3 + z^2 + z + 1) = 0``, a factor split off from the
    question's own ``z^5 = 1``)."""
    out: list[tuple[tuple, str]] = []
    if letter := _one_letter(eq.unknowns):
        out.append((("-", eq.left.tree, eq.right.tree), letter))
    for product, zero in ((eq.left, eq.right), (eq.right, eq.left)):
        if zero.tree == ("n", 0) and product.tree[0] == "*":
            for factor in product_factors(product.tree):
                if letter := _one_letter(tree_unknowns(factor)):
                    out.append((factor, letter))
    return out


def _one_letter(unknowns: frozenset[str]) -> str | None:
    """The one unknown of ``unknowns`` when it is a letter (``v:z``), no blank; else ``None``."""
    return next(iter(unknowns)) if len(unknowns) == 1 and next(iter(unknowns)).startswith("v:") else None


def _near(a: complex, b: complex) -> bool:
    """Whether two values are one, to the root fit's precision."""
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


@lru_cache(maxsize=256)
def _question_roots(question: str) -> list[tuple[complex, ...]]:
    """The root sets of the question's own polynomials: its equations in one letter, and an expression in
    one letter it writes alone ("a root of $x^2 - 3x + 1$")."""
    found = [p for eq in read_equations(question).equations for p in _polynomials(eq)]
    found += [(tree, letter) for tree, _, letter in _question_alone(question)]
    return [roots for tree, letter in found if (roots := _roots(tree, letter))]


def _same_roots(a: tuple[complex, ...], b: tuple[complex, ...]) -> bool:
    """Whether two root lists are one multiset (up to the fit's precision)."""
    if len(a) != len(b):
        return False
    rest = list(b)
    for r in a:
        match = next((x for x in rest if _near(r, x)), None)
        if match is None:
            return False
        rest.remove(match)
    return True


@lru_cache(maxsize=1024)
def _roots(tree: tuple, letter: str) -> tuple[complex, ...]:
    """The roots of ``tree`` = 0 when it is a polynomial in ``letter`` of degree 2 to :data:`_MOST_DEGREE`,
    or one times a power of the letter (``z^2 - z + 1 - \\frac{1}{z} + \\frac{1}{z^2}``: a reader multiplies
    by ``z^2``; 0 is then no root), else none."""
    w = [cmath.exp(2j * cmath.pi * k / _POINTS) for k in range(_POINTS)]
    at = [_at(tree, letter, _RADIUS * wk) for wk in w]
    values = [v for v in at if v is not None]
    if len(values) < _POINTS:
        return ()
    powers = range(-_LOWEST, _POINTS - _LOWEST)  # the circle gives one coefficient per power mod _POINTS
    coefficients = {
        j: sum((v * w[(-j * k) % _POINTS] for k, v in enumerate(values)), 0j) / _POINTS / _RADIUS**j
        for j in powers
    }
    check = _at(tree, letter, _CHECK)
    size = max(abs(c) for c in coefficients.values())
    if check is None or size == 0:
        return ()
    fitted = sum(c * _CHECK**j for j, c in coefficients.items())
    if abs(fitted - check) > _TOL * max(1.0, abs(check), size):
        return ()  # no polynomial in the letter and its inverse of that many terms
    present = [j for j, c in coefficients.items() if abs(c) > _NOISE * size]
    low, high = min(0, *present), max(present)  # times the letter to the power -low: a polynomial
    if not 2 <= high - low <= _MOST_DEGREE:
        return ()
    return _polyroots([coefficients[j] for j in range(high, low - 1, -1)])


#: Durand-Kerner's most iterations, and the step under which a root stands
_MOST_ITERATIONS = 500
_SETTLED = 1e-14


def _polyroots(coefficients: list[complex]) -> tuple[complex, ...]:
    """The roots of the polynomial with ``coefficients`` (highest power first), in floats: Durand-Kerner from
    points on a circle the roots lie within (mpmath's arbitrary precision costs a hundred times more, and a
    reader's value is compared to 1e-9); none when it does not settle (a multiple root settles slowly, to
    about 1e-8: near enough to rule out no value wrongly, not to match the gold)."""
    lead = coefficients[0]
    a = [c / lead for c in coefficients]
    n = len(a) - 1
    radius = 1 + max(abs(c) for c in a[1:])
    z = [radius * cmath.exp(2j * cmath.pi * (k + 0.25) / n) for k in range(n)]

    def p(x: complex) -> complex:
        v = 0j
        for c in a:
            v = v * x + c
        return v

    for _ in range(_MOST_ITERATIONS):
        step = 0.0
        for i in range(n):
            d = 1 + 0j
            for j in range(n):
                if j != i:
                    d *= z[i] - z[j]
            if d == 0:
                return ()
            delta = p(z[i]) / d
            z[i] -= delta
            step = max(step, abs(delta) / max(1.0, abs(z[i])))
        if step < _SETTLED:
            break
    else:
        if step > 1e-7:
            return ()
    return tuple(z)


def _at(tree: tuple, letter: str, point: complex) -> complex | None:
    """``tree``'s value with ``letter`` at ``point``; a whole power past the evaluator's bound is raised
    here (``\\omega^{1997}``: a root of unity to a high power is a reader's staple)."""
    env: dict[str, Value] = {letter: point}
    try:
        v = evaluate(_high_powers(tree, env), env)
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None
    return complex(v) if finite(v) else None


#: the highest power raised by :func:`_high_powers`
_MOST_POWER = 10**6


def _high_powers(tree: tuple, env: dict[str, Value]) -> tuple:
    """``tree`` with each power of a whole exponent above 64 (up to :data:`_MOST_POWER`) computed."""
    if tree[0] in ("n", "u", "c"):
        return tree
    if tree[0] == "^" and tree[2][0] == "n":
        k = tree[2][1]
        if k.denominator == 1 and 64 < abs(k) <= _MOST_POWER:
            base = complex(evaluate(_high_powers(tree[1], env), env))
            if abs(base) ** abs(k) > 1e200 if abs(base) != 0 else k < 0:
                raise Undefined("huge power")
            return ("c", base ** int(k))
    return (tree[0], *(_high_powers(c, env) if isinstance(c, tuple) else c for c in tree[1:]))


def _plain(v: complex) -> Value:
    return complex(v.real) if abs(v.imag) <= 1e-9 * max(1.0, abs(v)) else v


def _constant(tree: tuple, letter: str, value: complex) -> bool:
    """Whether ``tree`` is ``value`` away from the roots too (a constant: the replay's, not this one's)."""
    elsewhere = _at(tree, letter, _CHECK)
    return elsewhere is not None and _near(elsewhere, value)


def _ruled_out(text: str, name: str) -> list[complex]:
    return [complex(float(m.group(2))) for m in _NOT.finditer(text) if m.group(1) == name]


@lru_cache(maxsize=256)
def _question_alone(question: str) -> tuple[tuple[tuple, str, str], ...]:
    """The question's math segments that spell one expression in one letter (``$w^2 + w + 5$``,
    ``$\\omega^{1997} + \\omega^{1999}$``), as (tree, text, letter)."""
    out = []
    for inner, _ in question_segments(question):
        tree = read_expression(inner) if inner and len(inner) <= 200 else None
        if tree is not None and (letter := _one_letter(tree_unknowns(tree))):
            out.append((tree, inner, letter))
    return tuple(out)


def _expressions(
    reading: Reading, letter: str, masked: str, question: str
) -> list[tuple[tuple, str, tuple[int, int] | None]]:
    """The expressions in ``letter`` alone a reader evaluates, as (tree, text, where in the trace): the
    question's (sides of its relations, and expressions it writes alone: ``Compute $w^2 + w + 5$``), then
    the trace's sides."""
    asked = read_equations(question).sides if "=" in question else []
    out: list[tuple[tuple, str, tuple[int, int] | None]] = [
        (s.tree, question[s.start : s.end], None) for s in asked if s.unknowns == {letter}
    ]
    out += [(tree, text, None) for tree, text, one in _question_alone(question) if one == letter]
    out += [
        (s.tree, masked[s.start : s.end], (s.start, s.end)) for s in reading.sides if s.unknowns == {letter}
    ]
    return out[:_MOST_SIDES]
