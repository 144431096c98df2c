"""The math recoverability audit: named attacks that try to reach the gold answer from a masked trace.

Each attack works on ``(question, masked trace, gold answer)`` alone, never on a masker's spans, so it
judges our output and any other tool's the same way. A reader reaching the answer mechanically is a
leak; mapping a blank back to the question by reading is reasoning, and allowed.

- ``extract``: math-verify (the reward's own extraction) reads the gold answer off the masked trace.
- ``answer_text``: the gold answer's text (normalised LaTeX) is still visible.
- ``visible_value``: a standalone value equal to the gold is visible (not an exponent, index, label, or a
  passage the trace copies from the question).
- ``equivalent_form``: the gold in another form: number words and ordinals, ``1/n`` for ``n``, a slash
  fraction, an inequality for an interval, a tuple's components written out, ``a \\pm b`` for two roots;
  for a gold of 1, a countable noun in the singular after a blank (:mod:`._singular`).
- ``placeholder``: a placeholder that singles out the answer (``[ANSWER]``, or the indexed blank of the
  final-answer slot) stands where the question has a number in the same words.
- ``constraints``: every blank and variable is an unknown, the visible equations (math, plain text, GSM8K
  calculator notes, factorizations) are constraints; one that determines a value equal to the gold leaks.
- ``system``: the visible equations read with named quantities as unknowns (``DF``, ``\\sin D``, ``a``,
  ``b``; a function the trace defines, applied; column vectors and their dot products) and solved
  together: a quantity, or an expression the trace shows, that they fix to the gold leaks (blamed on the
  equation that fixed it).
- ``replay``: visible-only computations are evaluated step by step and their results fed, as a reader
  would, into the next step's blank operands; reaching the gold leaks. So does a computation a math
  segment holds alone (``$1+2+3-(4+5+6)$``, then "This simplifies to ..."), and an lcm, gcd, slope or
  area the trace names over operands or points it shows, an operation of one visible value it names in
  words ("the reciprocal of $\\frac{2}{3}$"), or the count of a visible number's divisors where the
  question asks how many ("$n$ is a divisor of 24") (:mod:`._named_operation`).
- ``congruence`` (:mod:`._congruence`): a ``\\equiv`` chain under a visible modulus read as relations
  mod m: a side of visible values, or sides written alike term by term, give the gold residue.
- ``listed`` (:mod:`._listed`): the sum or product of listed items (``$a - 5,$ $b - 5,$ and $c - 5$``) that
  a visible relation among their quantities (``a + b + c = 49``) fixes.
- ``counted`` (:mod:`._counted`): a "how many" question whose answer is the length of a list the trace
  writes out (``2, [NUMBER], [NUMBER], and 24``), whatever the list's blanks hide.
- ``option`` (:mod:`._choices`): a multiple-choice gold (``\\text{(C)}``) whose option's content the trace
  states ("the points lie on a plane" for ``(C) Plane``); ``elimination``: a name the question lists is
  the gold, and the masked trace shows every other such name the trace uses but hides the gold's; or a
  number among numbers the question offers to choose from ("either 6, 8, or 10 slices"), likewise.
- ``replay`` also (:mod:`._digits`): where the question asks for a sum of digits, a visible computation or
  number whose digits add up to the gold (``4321\\cdot5`` beside ``2+1+[NUMBER]+0+5``).
- ``restated`` (:mod:`._restated`): a value a placeholder hides stays visible elsewhere in the trace as the
  same quantity (the prose before ``[NUMBER]+30+30``, a figure label); it needs the original trace.
- ``constraints`` also (:mod:`._bounds`): a visible inequality's bound written into a visible expression
  (``x^4 + z^4 + 6 \\ge 4(x + z)`` beside ``\\frac{x + z}{x^4 + z^4 + 6}``), or the range of a visible
  function of one variable on a visible interval, when that gives the gold; and (:mod:`._factored`), read
  where nothing else is found, a factored form beside the form it factors with no ``=`` between them, and
  the ends of a two-sided bound right after a quadratic inequality taken for its roots
  (``0 \\ge a^2 - a - [N]``, then ``-1 \\le a \\le [N]``: Vieta's sum).
- ``figure`` (:mod:`._figures`): the trace's figure or table, read with the question's, gives the answer: a
  number where the question's figure writes an expression in the unknown, a named length or angle
  measured on the figure's coordinates.
- ``template`` (:mod:`._template`): the question names a form with letters and asks for an expression of
  them ("written as $(Ax-8)(Bx+3),$ where $A$ and $B$ are integers. What is $AB + B$?"); the trace writes
  the form with values (``([NUMBER]x-8)(2x+3)``, a blank read as the equations fix it): the asked
  expression at those values is the gold.
- ``point`` (:mod:`._point`): the question asks for an expression of its letters (``ab^2 c^3 d^4``) and the
  trace gives them values ("Equality occurs when $a = 1,$ $b = 2,$ ...", or ``abc=[NUMBER]\\cdot5\\cdot-8``);
  the question's own equations fill the letters left, one at a time: the expression there is the gold.
- ``progression`` (:mod:`._progression`): a list with one blank whose visible values step evenly ("Trying
  $x=1$, $x=[NUMBER]$, and $x=3$"): the blank at that step is the gold.
- ``matched`` (:mod:`._matched`): a side with a letter and a side written alike with values
  (``\\frac{[NUMBER]^n-1}{[NUMBER]^{n+1}}``, then ``\\frac{[NUMBER]^8-1}{[NUMBER]^9}``): the letter's value
  there (n = 8) is the gold.
- ``constraints`` also: an identity not linear in its blanks (``x^2 + 2.6x + 3.6 = (x+[NUMBER])^2 +
  [NUMBER]``) is read from its differences at two points, which cancel the constant and the square.
- ``constraints`` also: an interval answer written as an inequality whose blank bound takes a value the
  equations fix (``-2 \\le x \\le [NUMBER]`` beside ``x^2 - 5x - [NUMBER] = (x - [NUMBER])(x + 2)``).
- ``constraints`` also, read where nothing else is found: two blank bases of whole powers as the one pair of
  whole numbers that fits (:mod:`._bases`), and an instance of the trace's own formula (:mod:`._instances`:
  ``180(n-2)/n``, then ``180([NUMBER]-2)/7``).

A visible expression the question itself writes, as it writes it, is never blamed for evaluating to the
gold (evaluating the question's expression is the task); where the question's math writes one expression of
values only, a computation (:mod:`._question`), it is not blamed as a visible value or a restatement either.

The work each attack does is bounded by counts (equations, evaluations), never by time, so the verdict
is the same on a loaded machine.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar, cast

from .._leak import Finding
from ._answer import Gold, find_text, interval_like, parse_gold
from ._bases import integer_bases, question_writes
from ._both_sides import both_sides, has_operation
from ._bounds import _constant, bounds
from ._choices import elimination, option
from ._coefficients import MOST_BLANKS, fixed_whatever_hidden, identity_by_algebra
from ._congruence import congruences, least_solutions
from ._counted import ASKS_COUNT, counted
from ._digits import digit_sums
from ._equations import (
    PLACEHOLDER,
    Equation,
    Reading,
    Side,
    Undefined,
    _math_ranges,
    applies_no_function,
    compile_tree,
    evaluate,
    exact_sqrt,
    finite,
    lone_expressions,
    phrase_quantities,
    product_factors,
    prose_computations,
    quadratic_coefficients,
    read_equations,
    read_expression,
    read_named,
    substitute,
    sum_terms,
    tree_unknowns,
)
from ._factored import divides, factored_identities
from ._figures import figures
from ._given import _TENS, _UNITS, Given, copied_from_question
from ._instances import formula_instances
from ._lexer import _FIGURE, Ranges, answer_statements, scan_cached, values_in
from ._listed import listed
from ._matched import letter_values
from ._named_operation import divisor_counts, named_operation, point_operations, unary_operations
from ._point import MAX_POINTS, Assigned, Point, fill, points, question_point, value_of
from ._powers import equal_powers
from ._progression import progressions
from ._question import (
    question_computation,
    question_expressions,
    spaceless,
    written_in_question,
    written_value,
)
from ._rational import Fraction
from ._ratios import blank_ratios, is_ratio
from ._restated import restated
from ._root_values import root_values
from ._roots import product_roots
from ._singular import singular_nouns
from ._substituted import original_span, with_applications
from ._template import Slot, instances, question_template
from ._values import Value, _probe, numeric_value, value_key, values_equal
from ._vieta import vieta
from ._worded import worded
from ._words import PLAN_ADJECTIVE, SENTENCE_END, number_words

#: equations a row may have before the solver stops (a work budget, not a time budget)
MAX_EQUATIONS = 400
MAX_EVALUATIONS = 60_000
#: the ``system`` attack's budget for solving (evaluations)
SYSTEM_EVALUATIONS = 12_000
#: how many recently computed values a reader tries in a later step's blank operands, and how many
#: combinations per step
REPLAY_POOL = 6
REPLAY_COMBINATIONS = 64
#: how many of the values computed last the boxed final step tries in its blank operands (each once)
FINAL_POOL = 3

T = TypeVar("T")

_POINTS = (Fraction(2), Fraction(3), Fraction(5), Fraction(7), Fraction(11))


# --------------------------------------------------------------------------- solving


@dataclass(slots=True)
class _Known:
    value: Value
    #: indices of the equations this value was computed from (its provenance)
    origin: frozenset[int]
    step: int
    #: the equation that fixed it (-1: a linear system of several)
    eq: int = -1


class _Work:
    def __init__(self, limit: int):
        self.left = limit

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise Undefined("work budget")


def _residual(eq: Equation, env: dict[str, Value], work: _Work) -> Value:
    return _difference(eq.left.tree, eq.right.tree, env, work)


def _difference(left_tree: tuple, right_tree: tuple, env: dict[str, Value], work: _Work) -> Value:
    """``left - right`` at ``env`` (one unit of work): :func:`_residual` of two sides' trees."""
    work.spend()
    left, right = evaluate(left_tree, env), evaluate(right_tree, env)
    if not (finite(left) and finite(right)):
        raise Undefined("overflow")
    if type(left) is Fraction and type(right) is Fraction:
        return left - right
    return complex(left) - complex(right)


def _is_zero(v: Value, scale: float = 1.0) -> bool:
    if isinstance(v, Fraction):
        return v == 0
    return abs(v) <= 1e-9 * max(1.0, scale)


#: answers of the solver's pure steps (:func:`_solve_one`, :func:`_linear_row`) by everything they depend
#: on, with the work each took (see :func:`_remembered`)
_ANSWERS: dict[tuple, tuple[object, int]] = {}
#: entries :data:`_ANSWERS` holds before it starts again (memory only: an answer is the same either way)
_ANSWERS_MAX = 50_000


def _typed(v: Value) -> tuple:
    """``v`` as a key that tells ``Fraction(1)`` from ``1+0j`` and ``0.0`` from ``-0.0`` (equal, and hashed
    alike, but not alike to :func:`evaluate`)."""
    if isinstance(v, Fraction):
        return (v.numerator, v.denominator)
    if isinstance(v, complex):
        return (v.real.hex(), v.imag.hex())
    return (type(v).__name__, repr(v))


def _eq_key(eq: Equation, env: dict[str, Value], free: Iterable[str]) -> tuple:
    """What a step on ``eq`` reads: its sides' trees and unknowns, and the values ``env`` gives the unknowns
    it has besides ``free`` (the ones the step sets itself)."""
    skip = set(free)
    return (
        eq.left.tree,
        eq.right.tree,
        eq.left.unknowns,
        eq.right.unknowns,
        tuple(sorted((n, _typed(env[n])) for n in eq.unknowns if n not in skip and n in env)),
    )


def _remembered(key: tuple, work: _Work, compute: Callable[[], T]) -> T:
    """``compute()``, or its answer remembered under ``key`` (a step the solver asks again: each round of
    :func:`solve`, a re-read after a repair), with the work it spent spent again. Given again only when the
    budget left covers that work (so the first run never ran out either); what a run that ran out of work
    returned is never remembered. ``compute`` must be pure in what ``key`` holds; its answer is copied
    (lists and dicts one level down) both ways."""
    hit = _ANSWERS.get(key)
    if hit is not None and hit[1] <= work.left:
        work.left -= hit[1]
        return cast(T, _copied(hit[0]))
    before = work.left
    answer = compute()
    if work.left >= 0:
        if len(_ANSWERS) >= _ANSWERS_MAX:
            _ANSWERS.clear()
        _ANSWERS[key] = (_copied(answer), before - work.left)
    return answer


def _copied(answer: object) -> object:
    if isinstance(answer, list):
        return list(answer)
    if isinstance(answer, tuple):
        return tuple(dict(a) if isinstance(a, dict) else a for a in answer)
    return answer


#: trigonometric functions a reader inverts to the principal value (``\\sin\\theta = \\frac12`` is 30 degrees;
#: ``\\cot``'s in (0, pi), ``\\cot x = 0`` is 90 degrees)
_INVERSE_TRIG: dict[str, Callable[[float], float]] = {
    "sin": math.asin,
    "cos": math.acos,
    "tan": math.atan,
    "cot": lambda y: math.atan2(1.0, y),
}


def _solve_one(eq: Equation, u: str, env: dict[str, Value], work: _Work) -> list[Value] | None:
    """The values of ``u`` that satisfy ``eq`` given ``env``: ``None`` when ``eq`` does not pin ``u`` down
    (an identity in ``u``, or a form we cannot invert), else the roots (one, or two for a quadratic).
    Remembered (:func:`_remembered`)."""
    key = ("solve", u, *_eq_key(eq, env, (u,)))
    return _remembered(key, work, lambda: _solve_uncached(eq, u, env, work))


def _solve_uncached(eq: Equation, u: str, env: dict[str, Value], work: _Work) -> list[Value] | None:
    """:func:`_solve_one` without its memory."""
    for bare, other in ((eq.left, eq.right), (eq.right, eq.left)):
        if bare.tree == ("u", u) and u not in other.unknowns:  # x = <expression>: evaluate it
            work.spend()
            try:
                v = evaluate(other.tree, env)
            except Undefined:
                return None
            return [v] if finite(v) else None
        if bare.tree == ("fact", ("u", u)) and u not in other.unknowns:  # [N]! = 3628800: n is 10
            work.spend()
            try:
                v = evaluate(other.tree, env)
            except Undefined:
                return None
            if not isinstance(v, Fraction):
                return None  # no factorial is irrational
            n, f = 0, 1
            while f < v and n < 200:
                n, f = n + 1, f * (n + 1)
            return [Fraction(n)] if f == v else None
    # the samples and the roots' checks ask the sides at several values of u: what does not read u is the
    # same at each, and is evaluated once (_fixed_apart: the same operations as evaluate, value for value)
    left_tree = _fixed_apart(eq.left.tree, u, env, exact=True)
    right_tree = _fixed_apart(eq.right.tree, u, env, exact=True)
    if left_tree is None or right_tree is None:
        left_tree, right_tree, base = eq.left.tree, eq.right.tree, env
    else:
        base = {}

    def residual(x: Value) -> Value:
        return _difference(left_tree, right_tree, {**base, u: x}, work)

    samples: list[tuple[Fraction, Value]] = []
    for p in _POINTS:
        try:
            samples.append((p, residual(p)))
        except Undefined:
            continue
    if len(samples) < 4:
        return None
    if all(_is_zero(r) for _, r in samples):
        return None  # an identity: it says nothing about u
    for power in (0, 1, 2):  # g(u), u*g(u), u^2*g(u): polynomials of degree <= 2 (12/u = 0.2)
        pts = [(p, _scale(r, p**power)) for p, r in samples]
        roots = _poly_roots(pts)
        if roots is None:
            continue
        good = []
        for root in roots:
            try:
                r = residual(root)
            except Undefined:
                continue
            if _is_zero(r, abs(complex(root))):
                good.append(root)
        if good:
            return _dedupe(good)
    return _real_root(eq, u, env, work)  # rational functions, exponents, roots: one real root on a grid


#: where the last resort looks for a real root (``2^8 = 2^{2x}``, ``14/(x+4) = 2``): a grid, then bisection;
#: then, when the grid shows no sign change, a sparse grid out to 2^40 (``\sqrt[10]{x/[N]} = 1``: 27648)
_GRID = [k / 2 for k in range(-128, 129)]
_FAR = sorted(x for j in range(14, 81) for x in (-(2 ** (j / 2)), 2 ** (j / 2)))


def _real_root(eq: Equation, u: str, env: dict[str, Value], work: _Work) -> list[Value] | None:
    """The single real root of a non-polynomial equation in ``u`` (exponents, roots), found on a grid
    over [-100, 100] and refined by bisection; ``None`` unless there is exactly one sign change."""

    # the grid asks hundreds of points: what does not read u is the same at each, and is evaluated once
    bound = _fixed_apart(eq.left.tree, u, env), _fixed_apart(eq.right.tree, u, env)
    left_tree, right_tree = bound if bound[0] is not None and bound[1] is not None else (None, None)
    # and each side is compiled once (compile_tree: the same operations as evaluate, without its dispatch)
    if left_tree is None or right_tree is None:
        left, right = compile_tree(eq.left.tree), compile_tree(eq.right.tree)
    else:
        left, right = compile_tree(left_tree), compile_tree(right_tree)
    whole = left_tree is None or right_tree is None

    def g(x: float) -> float | None:
        try:  # _difference of the two sides at x, as compiled
            work.spend()
            at: dict[str, Value] = {**env, u: x} if whole else {u: x}  # a float x, as _residual's
            a, b = left(at), right(at)
            if not (finite(a) and finite(b)):
                raise Undefined("overflow")
            r = complex(a - b if type(a) is Fraction and type(b) is Fraction else complex(a) - complex(b))
        except (Undefined, OverflowError, ZeroDivisionError, ValueError):
            return None
        return r.real if abs(r.imag) < 1e-9 * max(1.0, abs(r)) else None

    changes = _sign_changes(g, _GRID)
    if changes is not None and not changes:
        changes = _sign_changes(g, _FAR)
    if not changes:
        return None
    lo, hi = changes[0]
    ylo = g(lo)
    for _ in range(60):
        if hi - lo < 1e-12 or ylo is None:
            break
        mid = (lo + hi) / 2
        ym = g(mid)
        if ym is None:
            return None
        if (ym < 0) == (ylo < 0):
            lo, ylo = mid, ym
        else:
            hi = mid
    root = (lo + hi) / 2
    nearest = Fraction(root).limit_denominator(1000)
    if abs(float(nearest) - root) < 1e-9:
        return [nearest]
    return [complex(root)]


#: the operators :func:`_fixed_apart` rebuilds: each one's operands (the tuples after the operator) are trees
_BINDABLE = frozenset(("neg", "fact", "log", "fn", "binom", "+", "-", "*", "/", "^"))
#: the operators that take ``complex()`` of both operands once one is not a Fraction (:func:`evaluate`)
_ARITHMETIC = frozenset(("+", "-", "*", "/", "^"))


def _fixed_apart(
    tree: tuple, u: str, env: dict[str, Value], inexact: bool = False, exact: bool = False
) -> tuple | None:
    """``tree`` with every part that does not read ``u`` replaced by its value at ``env`` (``("n", value)``,
    which :func:`evaluate` returns as it is), so that evaluating it with ``{u: x}`` for a float ``x`` gives
    what ``tree`` gives with ``{**env, u: x}``, operation for operation; ``None`` when a part cannot be
    evaluated on its own (it raises: then the tree is evaluated as written) or the tree holds an operator
    not rebuilt here. A part that reads ``u`` is never a Fraction at a float ``x``, so the arithmetic it
    meets takes ``complex()`` of its other operand: with ``inexact``, that operand is stored so. With
    ``exact``, every value is stored as evaluated: the tree then gives what ``tree`` gives at any value of
    ``u``, a Fraction too."""
    if u not in tree_unknowns(tree):
        try:
            value = evaluate(tree, env)
            return ("n", complex(value) if inexact and not exact else value)
        except Exception:  # noqa: BLE001 - the caller evaluates the tree as written, and meets it there
            return None
    op = tree[0]
    if op == "u":
        return tree
    if op not in _BINDABLE:
        return None
    out: list = [op]
    for t in tree[1:]:
        if isinstance(t, tuple):
            b = _fixed_apart(t, u, env, op in _ARITHMETIC, exact)
            if b is None:
                return None
            out.append(b)
        else:
            out.append(t)
    return tuple(out)


def _sign_changes(g: Callable[[float], float | None], grid: list[float]) -> list[tuple[float, float]] | None:
    """Where ``g`` changes sign (or is 0) along ``grid``; ``None`` once there are two."""
    changes: list[tuple[float, float]] = []
    prev: tuple[float, float] | None = None
    for x in grid:
        y = g(x)
        if y is None:
            prev = None
            continue
        if y == 0:
            changes.append((x, x))
        elif prev is not None and prev[1] != 0 and (prev[1] < 0) != (y < 0):
            changes.append((prev[0], x))
        prev = (x, y)
        if len(changes) > 1:
            return None
    return changes


def _scale(v: Value, k: Fraction) -> Value:
    return v * k if isinstance(v, Fraction) else complex(v) * float(k)


def _poly_roots(pts: list[tuple[Fraction, Value]]) -> list[Value] | None:
    """Roots of the polynomial of degree <= 2 through the first three points, if the rest lie on it."""
    (x0, y0), (x1, y1), (x2, y2) = pts[:3]
    exact = all(isinstance(y, Fraction) for _, y in pts)
    if not exact:
        y0, y1, y2 = complex(y0), complex(y1), complex(y2)
    d1 = (y1 - y0) / (x1 - x0) if exact else (y1 - y0) / float(x1 - x0)
    d2 = (y2 - y1) / (x2 - x1) if exact else (y2 - y1) / float(x2 - x1)
    a = (d2 - d1) / (x2 - x0) if exact else (d2 - d1) / float(x2 - x0)
    b = d1 - a * (x0 + x1) if exact else d1 - a * float(x0 + x1)
    c = y0 - a * x0 * x0 - b * x0 if exact else y0 - a * float(x0 * x0) - b * float(x0)
    for x, y in pts[3:]:
        pred = a * x * x + b * x + c if exact else a * float(x * x) + b * float(x) + c
        if not _is_zero(pred - y if exact else complex(pred) - complex(y), abs(complex(y))):
            return None
    if _is_zero(a):
        if _is_zero(b):
            return None
        return [-c / b]
    disc = b * b - 4 * a * c
    if exact and isinstance(disc, Fraction) and disc >= 0:
        root = exact_sqrt(disc)
        if root is not None:
            return [(-b + root) / (2 * a), (-b - root) / (2 * a)]
    sq = complex(disc) ** 0.5
    ca, cb = complex(a), complex(b)
    return [(-cb + sq) / (2 * ca), (-cb - sq) / (2 * ca)]


def _dedupe(values: list[Value]) -> list[Value]:
    out: list[Value] = []
    for v in values:
        if not any(values_equal(v, w) for w in out):
            out.append(v)
    return out


@dataclass(slots=True)
class Solution:
    known: dict[str, _Known]
    #: unknown -> two candidate roots (a quadratic) and their provenance
    candidates: list[tuple[str, list[Value], frozenset[int]]]


def solve(
    reading: Reading,
    peel: bool = True,
    limit: int = MAX_EVALUATIONS,
    constants: dict[str, Value] | None = None,
) -> Solution:
    """Propagate: an equation with one unknown left (after substituting what is known) fixes it; one
    blank among variables that the equation must satisfy for every value of the variables (a
    factorization, coefficient matching) fixes the blank. Without ``peel``, the linear system keeps an
    equation whose unknown no other has (``P(x) = 10 + 4p + d`` beside ``5 = 4p + d`` fixes it).
    ``constants`` are names with a value no equation gave (the imaginary unit ``v:i``): known from the
    start, with no origin, and not in the solution's ``known``."""
    eqs = reading.equations[:MAX_EQUATIONS]
    known: dict[str, _Known] = {u: _Known(v, frozenset(), 0, -1) for u, v in (constants or {}).items()}
    env: dict[str, Value] = dict(constants or {})  # the values of ``known``, in its order
    candidates: list[tuple[str, list[Value], frozenset[int]]] = []
    work = _Work(limit)
    step = 0

    def fix(u: str, value: Value, origin: frozenset[int], eq: int = -1) -> None:
        nonlocal step
        step += 1
        known[u] = _Known(value, origin, step, eq)
        env[u] = value

    def origin_of(i: int, eq: Equation) -> frozenset[int]:
        return frozenset({i}).union(*(known[u].origin for u in eq.unknowns if u in known))

    done: set[int] = set()  # equations with every unknown known: ``known`` only grows, they stay so
    try:
        changed = True
        while changed:
            changed = False
            for i, eq in enumerate(eqs):
                if i in done:
                    continue
                open_ = sorted(u for u in eq.unknowns if u not in known)
                if not open_:
                    done.add(i)
                    continue
                if len(open_) == 1:
                    roots = _solve_one(eq, open_[0], env, work)
                    if roots and len(roots) == 1:
                        fix(open_[0], roots[0], origin_of(i, eq), i)
                        changed = True
                    elif roots:
                        candidates.append((open_[0], roots, origin_of(i, eq)))
                    continue
                blanks = [u for u in open_ if not u.startswith("v:")]
                variables = [u for u in open_ if u.startswith("v:")]
                if len(blanks) == 1 and len(open_) <= 5:
                    value = _identity_value(eq, blanks[0], variables, env, work, reading.unsigned)
                    if value is not None:
                        fix(blanks[0], value, origin_of(i, eq), i)
                        changed = True
                elif 2 <= len(blanks) <= MOST_BLANKS and variables and len(variables) <= 3:
                    fixed = _identity_system(eq, blanks, variables, env, work, reading.unsigned)
                    origin = origin_of(i, eq) if fixed else frozenset()
                    for u, value in fixed:
                        fix(u, value, origin, i)
                        changed = True
            if not changed:  # what no single equation fixes, a linear system of them may
                for u, value, origin in _linear_system(eqs, known, work, peel):
                    fix(u, value, origin)
                    changed = True
    except Undefined:
        pass  # out of work: what was found so far stands
    for u in constants or ():
        del known[u]
    return Solution(known, candidates)


#: unknowns one equation may have to join the linear system
_MAX_LINEAR_UNKNOWNS = 6


def _linear_system(
    eqs: list[Equation], known: dict[str, _Known], work: _Work, peel: bool = True
) -> list[tuple[str, Value, frozenset[int]]]:
    """Unknowns fixed by the visible equations taken together (``(a+b+c)/3 = 6``, ``c - 4 = a``,
    ``b + 4 = ...``): every equation exactly linear in its open unknowns (checked by evaluation, with
    exact fractions) joins one system, solved by Gauss-Jordan elimination."""
    env = {u: k.value for u, k in known.items()}
    candidates = {
        i: open_
        for i, eq in enumerate(eqs)
        if 2 <= len(open_ := sorted(u for u in eq.unknowns if u not in known)) <= _MAX_LINEAR_UNKNOWNS
    }
    # an equation with an unknown no other equation has constrains nothing else: peel it off, repeatedly
    while peel:
        count: dict[str, int] = {}
        for open_ in candidates.values():
            for u in open_:
                count[u] = count.get(u, 0) + 1
        private = [i for i, open_ in candidates.items() if any(count[u] == 1 for u in open_)]
        if not private:
            break
        for i in private:
            del candidates[i]
    rows: list[tuple[dict[str, Fraction], Value, frozenset[int]]] = []
    for i, open_ in candidates.items():
        eq = eqs[i]
        row = _linear_row(eq, open_, env, work) or _linear_row(_cleared(eq), open_, env, work)
        if row is not None:
            origin = frozenset({i}).union(*(known[u].origin for u in eq.unknowns if u in known))
            rows.append((*row, origin))
    if len(rows) < 2:
        return []
    return _eliminate(rows, work) or []


def _cleared(eq: Equation) -> Equation:
    """``a/b = c/d`` as ``a d = c b`` (and ``a/b = c`` as ``a = c b``): ``\\frac{x+5}{y-3} = \\frac73`` is
    linear once its denominators are cleared."""
    left, right = eq.left.tree, eq.right.tree
    if left[0] != "/" and right[0] == "/":
        left, right = right, left
    if left[0] != "/":
        return eq
    a, b = left[1], left[2]
    c, d = (right[1], right[2]) if right[0] == "/" else (right, ("n", Fraction(1)))
    return Equation(
        Side(("*", a, d), eq.left.unknowns | eq.right.unknowns, eq.left.start, eq.left.end),
        Side(("*", c, b), eq.left.unknowns | eq.right.unknowns, eq.right.start, eq.right.end),
    )


def _linear_row(
    eq: Equation, open_: list[str], env: dict[str, Value], work: _Work, min_terms: int = 2
) -> tuple[dict[str, Fraction], Value] | None:
    """``eq`` as ``sum(a_u * u) = c`` if it is exactly linear in ``open_``, else ``None``. Remembered
    (:func:`_remembered`)."""
    key = ("linear", tuple(open_), min_terms, *_eq_key(eq, env, open_))
    return _remembered(key, work, lambda: _linear_uncached(eq, open_, env, work, min_terms))


def _linear_uncached(
    eq: Equation, open_: list[str], env: dict[str, Value], work: _Work, min_terms: int
) -> tuple[dict[str, Fraction], Value] | None:
    """:func:`_linear_row` without its memory."""
    base = {u: Fraction(2 + 3 * k, 1) for k, u in enumerate(open_)}
    try:
        r0 = _residual(eq, {**env, **base}, work)
        coef: dict[str, Fraction] = {}
        for u in open_:
            r = _residual(eq, {**env, **base, u: base[u] + 1}, work)
            step = _exact(r - r0) if type(r) is not Fraction or type(r0) is not Fraction else r - r0
            if step is None:
                return None  # a coefficient that is no plain number: not linear as a reader solves it
            if step != 0:
                coef[u] = step
        if len(coef) < min_terms:
            return None
        probe = {u: Fraction(7 + 5 * k, 3) for k, u in enumerate(open_)}
        r1 = _residual(eq, {**env, **probe}, work)
    except Undefined:
        return None
    const = r0 - sum(coef[u] * base[u] for u in coef)
    expected = const + sum(coef[u] * probe[u] for u in coef)
    if type(r1) is Fraction and type(expected) is Fraction:
        if r1 != expected:
            return None
    elif not values_equal(r1, expected):
        return None
    # an irrational constant (``BD + DC = 8\\sqrt{2}``) stays as its value: the coefficients are exact
    return coef, -const


def _exact(v: Value) -> Fraction | None:
    """A real difference that is a plain fraction (an irrational constant cancelled), else ``None``."""
    c = complex(v)
    if abs(c.imag) > 1e-9 or not math.isfinite(c.real):
        return None
    f = Fraction(c.real).limit_denominator(1000)
    return f if abs(float(f) - c.real) <= 1e-9 * max(1.0, abs(c.real)) else None


def _eliminate(
    rows: list[tuple[dict[str, Fraction], Value, frozenset[int]]], work: _Work, strict: bool = False
) -> list[tuple[str, Value, frozenset[int]]] | None:
    """Gauss-Jordan elimination; the unknowns the rows fix. A row that contradicts the others (``0 = c``)
    is dropped, or, when ``strict``, voids the whole system (an identity that does not hold: ``None``)."""
    pivots: list[tuple[str, dict[str, Fraction], Value, frozenset[int]]] = []
    for coef, const, origin in rows:
        coef = dict(coef)
        for u, pc, pk, po in pivots:  # reduce by earlier pivots
            a = coef.pop(u, None)
            if a:
                work.spend()
                for v, c in pc.items():
                    coef[v] = coef.get(v, Fraction(0)) - a * c
                const -= a * pk
                origin = origin | po
        coef = {v: c for v, c in coef.items() if c != 0}
        if not coef:
            if strict and const != 0:
                return None
            continue
        u = min(coef)
        a = coef.pop(u)
        coef = {v: c / a for v, c in coef.items()}
        const /= a
        for k, (pu, pc, pk, po) in enumerate(pivots):  # keep earlier pivots reduced (Gauss-Jordan)
            b = pc.pop(u, None)
            if b:
                for v, c in coef.items():
                    pc[v] = pc.get(v, Fraction(0)) - b * c
                pivots[k] = (pu, {v: c for v, c in pc.items() if c != 0}, pk - b * const, po | origin)
        pivots.append((u, coef, const, origin))
    return [(u, const, origin) for u, coef, const, origin in pivots if not coef]


#: the work one identity read as polynomials costs (a sympy expansion and solve)
_ALGEBRA_WORK = 20


def _identity_system(
    eq: Equation,
    blanks: list[str],
    variables: list[str],
    env: dict[str, Value],
    work: _Work,
    unsigned: frozenset[str] = frozenset(),
) -> list[tuple[str, Value]]:
    """Blanks fixed by an identity in the variables (``a^2 - a - [N] = (a - [N])(a + 1)``: coefficient
    matching): linear in the blanks (:func:`_linear_identity`), else by differences
    (:func:`_identity_by_differences`), else as polynomials (:mod:`._coefficients`: ``(z - [N])(z^4 + z^3
    + z^2 + z + [N]) = z^5 - 1``); an equation that is no identity gives nothing."""
    fixed = _linear_identity(eq, blanks, variables, env, work)
    if fixed is None:
        fixed = _identity_by_differences(eq, blanks, variables, env, work)
        if not fixed:
            work.spend(_ALGEBRA_WORK)
            fixed = list(identity_by_algebra(eq.left.tree, eq.right.tree, blanks, variables, env))
    # a blank right after a binary + or - hides a numeral as written, never a negative number: "10x + [N]x +
    # 10 = [N]" holds for every x only with -10 there, so it is an equation in x, no identity
    return [] if any(u in unsigned and _negative(v) for u, v in fixed) else fixed


def _negative(v: Value) -> bool:
    return isinstance(v, Fraction) and v < 0


def _linear_identity(
    eq: Equation, blanks: list[str], variables: list[str], env: dict[str, Value], work: _Work
) -> list[tuple[str, Value]] | None:
    """The blanks an identity linear in them fixes, from the equation at a few values of the variables
    (an inconsistent system: nothing); ``None`` when the equation is not linear in the blanks."""
    rows = _identity_rows(eq, blanks, variables, env, work)
    if rows is None:
        return None
    fixed = [(u, v) for u, v, _ in _eliminate(rows, work, strict=True) or []]
    # "[N]x + [N] = 90" holds for every x only with a zero coefficient: an equation to solve, no identity
    return [] if any(v == 0 for _, v in fixed) else fixed


def _identity_rows(
    eq: Equation, blanks: list[str], variables: list[str], env: dict[str, Value], work: _Work
) -> list[tuple[dict[str, Fraction], Value, frozenset[int]]] | None:
    """The linear rows in ``blanks`` of ``eq`` at a few values of the variables (``None``: not linear)."""
    rows = []
    for k in range(len(blanks) + 2):
        point = {v: Fraction(11 + 7 * k + 3 * j, 5) for j, v in enumerate(variables)}
        row = _linear_row(eq, blanks, {**env, **point}, work, min_terms=1)
        if row is None:
            return None
        rows.append((*row, frozenset[int]()))
    return rows


def _identity_by_differences(
    eq: Equation, blanks: list[str], variables: list[str], env: dict[str, Value], work: _Work
) -> list[tuple[str, Value]]:
    """An identity not linear in its blanks (``x^2 + 2.6x + 3.6 = (x + [N])^2 + [N]``): the equation at one
    point of the variables minus the same at another cancels the blanks that add a constant and the
    squares of the others (``[N]^2``), leaving ``2[N]`` against ``2.6``; what that fixes, the equation
    then fixes the rest linearly (the ``[N]`` added), checked at further points. What the differences fix
    stands when the rest is consistent but not fixed (``2x = (x + [N])[N]`` beside ``2x = x + [N]``: the
    factor is 1, the two added blanks only equal)."""
    base = {v: Fraction(3, 7) for v in variables}
    rows = []
    for k in range(len(blanks) + 1):
        point = {v: Fraction(11 + 7 * k + 3 * j, 5) for j, v in enumerate(variables)}
        sides = []
        for side in (eq.left, eq.right):
            here, there = side.tree, side.tree
            for v in variables:
                here, there = substitute(here, v, ("n", point[v])), substitute(there, v, ("n", base[v]))
            sides.append(Side(("-", here, there), side.unknowns - set(variables), side.start, side.end))
        row = _linear_row(Equation(sides[0], sides[1]), blanks, env, work, min_terms=1)
        if row is None:
            return []
        rows.append((*row, frozenset[int]()))
    first = [(u, v) for u, v, _ in _eliminate(rows, work, strict=True) or []]
    rest = [u for u in blanks if u not in dict(first)]
    if not first or any(v == 0 for _, v in first):
        return []  # a blank 0 (``(x+[N])^2 = x^2+[N]``): an equation to solve, as on the linear path
    if not rest:
        return first
    rows_then = _identity_rows(eq, rest, variables, {**env, **dict(first)}, work)
    solved = _eliminate(rows_then, work, strict=True) if rows_then is not None else None
    if solved is None:
        return []  # not linear in the rest, or no identity at all
    then = [(u, v) for u, v, _ in solved]
    return [] if any(v == 0 for _, v in then) else first + then


def _identity_points(variables: list[str]) -> list[dict[str, Fraction]]:
    """Points where an identity in ``variables`` must hold: one for a single variable is not enough, and
    two whose coordinates differ alike (x = y - 1 at both) would take ``y = x - [N]`` for an identity."""
    primes = (Fraction(13, 7), Fraction(17, 5), Fraction(23, 9))
    if len(variables) <= 1:
        return [{v: p for v in variables} for p in primes[:2]]
    return [{v: p * (k + 1) + k * k for k, v in enumerate(variables)} for p in primes] + [
        {v: primes[0] + 3 * k * k - k for k, v in enumerate(variables)}
    ]


def _identity_value(
    eq: Equation,
    blank: str,
    variables: list[str],
    env: dict[str, Value],
    work: _Work,
    unsigned: frozenset[str] = frozenset(),
) -> Value | None:
    """The blank's value if ``eq`` holds for every value of ``variables`` only then (``([A]x - 1)([A]x + 1)
    = 100x^2 - 1`` fixes ``A`` up to sign: both roots are returned through the caller's check)."""
    answers: list[list[Value]] = []
    for point in _identity_points(variables):
        roots = _solve_one(eq, blank, {**env, **point}, work)
        if not roots:
            return None
        answers.append(roots)
    common = [r for r in answers[0] if all(any(values_equal(r, s) for s in other) for other in answers[1:])]
    if len(common) == 1:
        return None if blank in unsigned and _negative(common[0]) else common[0]
    if len(common) == 2 and values_equal(common[0], -common[1]):
        return common[0] if (complex(common[0]).real >= 0) else common[1]  # up to sign: the positive one
    return None


# --------------------------------------------------------------------------- attacks


def attacks(question: str, masked: str, answer: str, trace: str = "") -> list[Finding]:
    """Every finding of every math attack on ``masked`` (empty when the answer cannot be reached);
    ``trace``, the original, lets ``restated`` see what the placeholders hide."""
    gold = parse_gold(answer)
    found: list[Finding] = []
    found.extend(_answer_text(masked, gold))
    found.extend(_visible_value(question, masked, gold))
    found.extend(_equivalent_forms(question, masked, gold))
    found.extend(_placeholder(question, masked, gold))
    found.extend(_alone(question, masked, gold))
    found.extend(product_roots(question, masked, gold))
    found.extend(equal_powers(question, masked, gold))
    solved = _solved(question, masked, gold)
    found.extend(solved or _system(masked, gold, question))
    if not solved:
        found.extend(_in_prose(question, masked, gold))
    found.extend(restated(trace, masked, question))
    found.extend(figures(question, masked, gold))
    found.extend(congruences(question, masked, gold))
    found.extend(least_solutions(question, masked, gold))
    found.extend(listed(masked, gold))
    found.extend(progressions(question, masked, gold))
    found.extend(named_operation(question, masked, gold))
    found.extend(worded(question, masked, gold))
    found.extend(digit_sums(question, masked, gold))
    found.extend(point_operations(question, masked, gold))
    found.extend(unary_operations(question, masked, gold))
    found.extend(divisor_counts(question, masked, gold))
    found.extend(vieta(question, masked, gold))
    found.extend(root_values(question, masked, gold))
    found.extend(counted(question, masked, gold))
    found.extend(option(question, masked, answer))
    found.extend(elimination(question, masked, answer, trace))
    if not found:  # the boundary of a visible inequality: read only where nothing else leaks
        found.extend(_boundaries(masked, gold, question))
    if not found:  # a visible inequality's bound, or a function's range on a visible interval
        found.extend(bounds(question, masked, gold))
    return list(dict.fromkeys(found))  # one finding per attack, place and detail


def _answer_text(masked: str, gold: Gold) -> list[Finding]:
    if gold.plain or len(gold.norm) < 2:
        return []
    return [
        Finding("answer_text", f"the gold answer's text {gold.raw.strip()[:40]!r} is visible", s, e)
        for s, e in find_text(masked, gold.norm)
    ]


_SCI = re.compile(r"\d[eE][-+]?\d")


def may_show(text: str, value: Value) -> bool:
    """False only when no value in ``text`` can equal ``value``: for an integer, in plain text (no LaTeX,
    no scientific notation), when none of the ways to write it (``1000``, ``1,000``, ``100000%``) occurs.
    Saves the lexer's pass over most masked traces."""
    if not (isinstance(value, Fraction) and value.denominator == 1) or "\\" in text or _SCI.search(text):
        return True
    n = abs(value.numerator)
    return any(form in text for k in (n, 100 * n) for form in (str(k), f"{k:,}"))


def _visible_value(question: str, masked: str, gold: Gold) -> list[Finding]:
    out: list[Finding] = []
    if gold.value is None or not may_show(masked, gold.value):
        return out
    for atom in scan_cached(masked).atoms:
        if atom.role not in ("value", "constant"):
            continue
        hit = gold.value is not None and any(gold.equals(v) for v in atom.values)
        if not hit:
            continue
        if copied_from_question(masked, atom.start, atom.end, question):
            continue
        text = masked[atom.start : atom.end]
        if question_computation(text, question):
            continue
        out.append(Finding("visible_value", f"{text!r} equals the gold answer", atom.start, atom.end))
    return out


_ORDINALS = {
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
    20: "twentieth",
}


def _number_words(n: int) -> list[str]:
    """Cardinal and ordinal words for ``n`` (1..99)."""
    words: list[str] = []
    if 1 <= n < 20:
        words.append(_UNITS[n])
    elif 20 <= n < 100:
        tens, unit = divmod(n, 10)
        words.append(_TENS[tens - 2] + (f"-{_UNITS[unit]}" if unit else ""))
    if n in _ORDINALS:
        words.append(_ORDINALS[n])
        words.append(_ORDINALS[n] + "s")
    elif 13 <= n < 20:
        words.append(_UNITS[n] + "th")
    words += {2: ["pair"], 12: ["dozen"], 20: ["score"], 144: ["gross"]}.get(n, [])
    return words


#: number words that are also units: after a count they name the unit, not their own value
_UNIT_WORDS = frozenset(("pair", "dozen", "score", "gross"))
_COUNTED = re.compile(
    r"(?:\d|\[[A-Z][A-Z0-9_]*\]|\b(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
    r"|thirty|forty|fifty|several|few|many|some|of))\s*$"
)


#: what an ordinal names as a label, not a value: "the third equation", "in the fourth given case"
_ORDINAL_LABEL = re.compile(
    rf"\s+{PLAN_ADJECTIVE}?(?:case|step|part|stage|method|approach|equation|condition|subcase|scenario|attempt"
    r"|time|place|try|option|possibility|row|column|line|digit|term)\b"
)
#: what a cardinal counts as the plan's, not a value: "the three given equations"
_EQUATIONS = re.compile(rf"\s+{PLAN_ADJECTIVE}?(?:equations|inequalities)\b")


def _names_a_label(word: str, text: str, end: int) -> bool:
    """Is the number word ending at ``end`` a label of the plan, not the value it names: an ordinal that
    enumerates equations, steps or cases ("substitute into the third equation", "the third given
    equation"), or a cardinal that counts the system's equations ("the three given equations")?"""
    if word in _UNITS or word in _TENS:
        return bool(_EQUATIONS.match(text, end))
    return word.rstrip("s") not in _UNIT_WORDS and bool(_ORDINAL_LABEL.match(text, end))


def _unit_fraction_words(n: int) -> list[str]:
    """Words for ``1/n``: "half" for 1/2, "third", "quarter", "sixth" ..."""
    if n == 2:
        return ["half", "halves"]
    if n == 4:
        return ["quarter", "quarters", "fourth", "fourths"]
    words = [w for w in _number_words(n) if not w.endswith("s") and w not in _UNITS and "-" not in w]
    return words + [w + "s" for w in words]


_SLASH = re.compile(r"(?<![\d.\w])(-?\d+)\s*/\s*(\d+)(?!\d|\.\d)")
_RECIPROCAL = (
    r"(?:\\[dt]?frac\s*\{\s*1\s*\}\s*\{\s*%(n)s\s*\}|\\[dt]?frac\s*1\s*%(n1)s(?!\d)"
    r"|(?<![\d.])1\s*/\s*%(n)s(?![\d.]))"
)
_VAL = r"-?\s*(?:\\[dt]?frac\s*\{[^{}]{1,20}\}\s*\{[^{}]{1,20}\}|\d*\\sqrt\s*\{?\d+\}?|\d+(?:\.\d+)?)"
_REL = r"(<|>|\\leq?(?![a-z])|\\geq?(?![a-z])|\\lt(?![a-z])|\\gt(?![a-z])|≤|≥)"


@dataclass(frozen=True, slots=True)
class _Inequalities:
    """``x < v``, ``v < x`` and ``v < x < w`` with ``v``, ``w`` read by ``value`` (a regex)."""

    one: re.Pattern[str]
    one_rev: re.Pattern[str]
    two: re.Pattern[str]

    @classmethod
    def of(cls, value: str) -> _Inequalities:
        return cls(
            re.compile(rf"(?<![\w\\])[a-zA-Z]\s*{_REL}\s*({value})"),
            re.compile(rf"({value})\s*{_REL}\s*[a-zA-Z](?![\w])"),
            re.compile(rf"({value})\s*{_REL}\s*[a-zA-Z]\s*{_REL}\s*({value})"),
        )


_INEQUALITIES = _Inequalities.of(_VAL)
#: the same, where a bound may be a blank (``-2 \\le x \\le [NUMBER]``)
_WITH_BLANKS = _Inequalities.of(rf"{_VAL}|-?\s*{PLACEHOLDER.pattern}")
_INTERVAL = re.compile(r"^\s*([(\[])\s*(-\\infty|[^,]+?)\s*,\s*(\\infty|\+\\infty|[^,]+?)\s*([)\]])\s*$")
_PM = re.compile(rf"({_VAL})\s*\\pm\s*({_VAL})")


#: a right angle said in words, or a dot product of column vectors written equal to 0: the angle is 90 degrees
_PERPENDICULAR = re.compile(r"(?i)(?<![a-z])(?:perpendicular|orthogonal)(?![a-z])|\\perp(?![a-zA-Z])")
_ZERO_DOT = re.compile(r"\\cdot\s*\\begin\{[pb]matrix\}[^{}]{0,200}?\\end\{[pb]matrix\}\s*=\s*(0)(?!\.?\d)")
_ASKS_ANGLE = re.compile(r"(?i)\bangle\b")


def _right_angle(question: str, masked: str, gold: Gold) -> list[Finding]:
    """An angle question whose gold is 90 degrees, beside a dot product of column vectors written ``= 0``
    or the word "perpendicular" / "orthogonal" (not the question's own): a reader reads the right angle off.
    Blamed on the 0 or the word."""
    if gold.value != 90 or not _ASKS_ANGLE.search(question):
        return []
    what = "a dot product of 0: the vectors are perpendicular, 90 degrees"
    out = [Finding("equivalent_form", what, *m.span(1)) for m in _ZERO_DOT.finditer(masked)]
    asked = _PERPENDICULAR.search(question) is not None
    out += [
        Finding("equivalent_form", f"{m.group()!r} says the angle is 90 degrees", *m.span())
        for m in _PERPENDICULAR.finditer(masked)
        if not asked and not copied_from_question(masked, m.start(), m.end(), question)
    ]
    return out


def _lowered(text: str) -> str:
    """``text`` in lower case, each character in its place ("İ" lowers to two characters: it stays)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def _in_figure_code(text: str, at: int) -> bool:
    """Is ``at`` in a figure's code, outside the quoted text of its labels (``pair A, B;``, not
    ``label("a pair", A)``)?"""
    if "[asy]" not in text:
        return False
    for fig in _FIGURE.finditer(text):
        if fig.start() <= at < fig.end():
            return not any(q.start() < at < q.end() for q in _QUOTED.finditer(text, fig.start(), fig.end()))
    return False


_QUOTED = re.compile(r'"[^"\n]*"')


def _equivalent_forms(question: str, masked: str, gold: Gold) -> list[Finding]:
    out: list[Finding] = []
    g = gold.value
    if isinstance(g, Fraction) and g.denominator == 1 and 1 <= g < 100:
        n = int(g)
        lower = _lowered(masked)
        for word in _number_words(n):
            if word not in lower:
                continue  # no match without the word (a look-behind first makes re try every position)
            # "one" names 1 only before a noun: not in "one of", "one another", "no one", "the one"
            tail = (
                r"(?![a-z-])(?! (?:of|another|or|by|at|can|must|may|way|side)\b)" if n == 1 else r"(?![a-z-])"
            )
            head = r"(?<![a-z-])(?<!no )(?<!the )(?<!each )(?<!any )" if n == 1 else r"(?<![a-z-])"
            for m in re.finditer(head + re.escape(word) + tail, lower):
                if word in _UNIT_WORDS and _COUNTED.search(masked, max(0, m.start() - 16), m.start()):
                    continue  # "5 dozen", "[NUMBER] dozen": a unit the count multiplies, not the value 12
                if _names_a_label(word, lower, m.end()):
                    continue  # "into the third (given) equation", "the three given equations": the plan
                if _in_figure_code(masked, m.start()):
                    continue  # asy's ``pair A, B;`` declares points: code, no word of the text
                if not copied_from_question(masked, m.start(), m.end(), question):
                    out.append(Finding("equivalent_form", f"the word {word!r} names the gold {n}", *m.span()))
        if n >= 3:
            pat = re.compile(_RECIPROCAL % {"n": n, "n1": n if n < 10 else "(?!)"})
            for m in pat.finditer(masked):
                if not copied_from_question(masked, m.start(), m.end(), question):
                    out.append(Finding("equivalent_form", f"{m.group()!r} is 1/{n}", *m.span()))
    if isinstance(g, Fraction) and g.numerator == 1 and 2 <= g.denominator < 20:
        lower = _lowered(masked)
        for word in _unit_fraction_words(g.denominator):
            if word not in lower:
                continue
            for m in re.finditer(rf"(?<![a-z-]){word}(?![a-z-])", lower):
                if _in_figure_code(masked, m.start()):
                    continue
                if not copied_from_question(masked, m.start(), m.end(), question):
                    out.append(Finding("equivalent_form", f"the word {word!r} names the gold {g}", *m.span()))
    if g is not None:
        out.extend(_slash_forms(question, masked, gold))
        out.extend(_rounded_forms(question, masked, gold))
    out.extend(_factor_roots(question, masked, gold))
    out.extend(_interval_forms(question, masked, gold))
    out.extend(_interval_words(question, masked, gold))
    out.extend(_interval_ends_in_words(question, masked, gold))
    out.extend(_ruled_out_bounds(question, masked, gold))
    out.extend(_right_angle(question, masked, gold))
    out.extend(_component_forms(question, masked, gold))
    out.extend(singular_nouns(question, masked, gold))
    return out


def _slash_forms(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A slash fraction equal to the gold: ``3/4`` for 0.75 (a form of it), ``6/6`` for 1 or ``12/4`` for 3
    in prose (a division a reader does at sight: ``replay``, cut by one operand; a division with ``=``
    after it, or in a calculator note, is the solver's step)."""
    out = []
    notes: Ranges | None = None  # the calculator notes, found on the first need
    for m in _SLASH.finditer(masked):
        v = Fraction(int(m.group(1)), int(m.group(2))) if int(m.group(2)) > 1 else None
        if v is None or not gold.equals(v) or copied_from_question(masked, *m.span(), question):
            continue
        if v.denominator > 1:
            out.append(Finding("equivalent_form", f"{m.group()!r} equals the gold answer", *m.span()))
            continue
        if _EQUALS_AFTER.match(masked, m.end()):
            continue
        if notes is None:
            notes = Ranges([n.span() for n in _ANY_NOTE.finditer(masked)])
        if m.start() not in notes:
            out.append(Finding("replay", f"{m.group()!r} is the gold {v}, divided at sight", *m.span()))
    return out


#: a sentence that rounds: "we round 22.18 to", "rounds down to", "to the nearest whole number", a floor
_ROUNDS = re.compile(
    r"(?i)\bround(?:s|ed|ing)\b|\bround\s+(?:up|down|off|to|it|this|that|the|[-\d$\\])|\bnearest\b"
    r"|\\l(?:floor|ceil)"
)
#: a decimal, its sign and thousands separators with it (``-2.7``, ``1,234.6``), not a number's piece
_DECIMAL = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+(?!\d|\.\d)")
_GOLD_DECIMALS = re.compile(r"^-?\d+(?:\.(\d+))?$")
#: which way a sentence rounds: down (a floor) or up (a ceiling)
_ROUND_WAY = re.compile(
    r"(?i)(?P<down>\bround(?:s|ed|ing)?\s+down\b|\\lfloor)|\bround(?:s|ed|ing)?\s+up\b|\\lceil"
)


def _rounded_forms(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A visible decimal that rounds to the gold, in a sentence that rounds ("we round 22.18 to the final
    answer of [NUMBER]", "3.2 tens, which rounds up to [NUMBER]"): to the gold's decimal places, half up or
    the way the sentence says; not the gold itself (``visible_value``), nor a number the question writes
    (reading it is reading the question)."""
    g = _GOLD_DECIMALS.match(gold.raw.strip().replace(",", ""))
    if g is None or gold.value is None or not _ROUNDS.search(masked):
        return []
    scale = Fraction(10) ** len(g.group(1) or "")
    ends = [e.end() for e in SENTENCE_END.finditer(masked)]  # a sentence runs from one end to the next
    ways: dict[int, tuple[bool, re.Match[str] | None]] = {}  # per sentence: does it round, and which way
    out = []
    for m in _DECIMAL.finditer(masked):
        if len(m.group()) > 40 or re.search(rf"(?<![\d.]){re.escape(m.group())}(?!\d)", question):
            continue
        k = bisect.bisect_right(ends, m.start())
        if k not in ways:
            lo, hi = ends[k - 1] if k else 0, ends[k] if k < len(ends) else len(masked)
            ways[k] = (_ROUNDS.search(masked, lo, hi) is not None, _ROUND_WAY.search(masked, lo, hi))
        rounds, way = ways[k]
        if not rounds:
            continue
        v = Fraction(m.group().replace(",", "")) * scale
        ns = {math.floor(v + Fraction(1, 2))}  # half up, and the way the sentence says ("rounds down to")
        if way is not None:
            ns.add(math.floor(v) if way.group("down") else math.ceil(v))
        if any(n != v and gold.equals(Fraction(n) / scale) for n in ns):
            out.append(Finding("equivalent_form", f"{m.group()!r} rounds to the gold answer", *m.span()))
    return out


#: a calculator note, with an ``=`` in it or not (``<<48/2>>``)
_ANY_NOTE = re.compile(r"<<[^<>]*>>")
_EQUALS_AFTER = re.compile(r"(?<![ \t])[ \t]*=")


#: the intervals words name: (lower bound, closed, upper bound, closed); ``None`` an infinite end
_INTERVAL_WORDS = {
    "nonpositive": (None, False, Fraction(0), True),
    "nonnegative": (Fraction(0), True, None, False),
    "negative": (None, False, Fraction(0), False),
    "positive": (Fraction(0), False, None, False),
    "real": (None, False, None, False),
}
_INTERVAL_WORD = re.compile(
    r"(?i)\b(?:all|every|any)\s+(?:the\s+)?(non-?\s?positive|non-?\s?negative|negative|positive|real)"
    r"(?:\s+real)?\s+(?:numbers?|reals|values?)\b"
)


def _interval_words(question: str, masked: str, gold: Gold) -> list[Finding]:
    """An interval said in words: ``(-\\infty, 0]`` as "all non-positive numbers", ``(-\\infty, \\infty)`` as
    "all real numbers"."""
    core = re.sub(r"\\left|\\right|\$", "", gold.raw).strip()
    m = _INTERVAL.match(core)
    if not m or "\\cup" in core:
        return []
    lo, hi = _bound(m.group(2)), _bound(m.group(3))
    want = (lo, lo is not None and m.group(1) == "[", hi, hi is not None and m.group(4) == "]")
    out = []
    for w in _INTERVAL_WORD.finditer(masked):
        if _INTERVAL_WORDS[re.sub(r"[\s-]", "", w.group(1).lower())] != want:
            continue
        if not copied_from_question(masked, *w.span(), question):
            out.append(Finding("equivalent_form", f"{w.group()!r} names the gold interval", *w.span()))
    return out


def _interval_ends_in_words(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The ends of a one-piece interval gold, each a number in prose after words that bound or approach it
    ("greater than 2", "at most 5", "arbitrarily close to 2", "approaches $2$"): every finite end so
    written, the interval is told (its infinite side, its closedness the plan's words). The number is the
    whole value (not the 2 of ``2x``, ``2^k``, ``2/3``, ``2,000`` or ``2 - x``); not a copy of the question's
    text; not a gold with two finite ends in round brackets, which reads as a point as well (``(15,-29)``)."""
    pieces = _interval_pieces(gold)
    if len(pieces) != 1:
        return []
    (piece,) = pieces
    bounds = (_bound(piece.group(2)), _bound(piece.group(3)))
    if None not in bounds and (piece.group(1), piece.group(4)) == ("(", ")"):
        return []
    ends = [v for v in bounds if v is not None]
    if not ends:
        return []
    found: list[list[tuple[int, int]]] = [[] for _ in ends]
    for m in _BOUND_WORDS.finditer(masked):
        value = numeric_value(m.group("value").replace("$", ""))
        s, e = m.span("value")
        if value is None or copied_from_question(masked, m.start(), e, question):
            continue
        for k, end in enumerate(ends):
            if values_equal(value, end):
                found[k].append((s, e))
    if not all(found):
        return []
    return [
        Finding(
            "equivalent_form",
            f"{masked[s:e]!r} after {masked[max(0, s - 30) : s]!r} is an end of the gold interval",
            s,
            e,
        )
        for spans in found
        for s, e in spans
    ]


#: words that bound a quantity or have it approach a value, then the value (in ``$`` or not)
_BOUND_WORDS = re.compile(
    r"(?i)\b(?:(?:greater|more|larger|bigger|higher|less|smaller|fewer|lower)\s+than|at\s+(?:least|most)"
    r"|exceed(?:s|ing)?|(?:arbitrarily\s+|as\s+)?close\s+to|approach(?:es|ing)?|tends?\s+to)"
    r"[ \t]+(?:or[ \t]+equal[ \t]+to[ \t]+)?(?P<value>(?:\$[ \t]*)?-?\d+(?:\.\d+)?(?:[ \t]*\$)?)"
    r"(?![\d.,]?\d|[A-Za-z^/\\_(]|[ \t]*[-+*/^=<>])"  # the whole value: not 2x, 2^k, 2/3, 2,000, 2 - x
    r"(?![ \t]+(?!(?:as|and|or|but|for|so|when|if|then|since|because|while|which|is|are|was|were|we|the|from"
    r"|with|this|that)\b)[a-z]{3,})"  # nor a count of things ("more than 2 cases")
)


def _ruled_out_bounds(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A question that asks for the greatest (least) number of something, and the trace's prose bounding
    that quantity from the other side one past the gold: "If Zach has three or more pencils left over, then
    he can add another pencil to each bag. Therefore, Zach can have at most [NUMBER] pencils" (three or
    more ruled out: at most 2), "at least 5 teams" for a greatest 4, "3 or fewer coins" or "at most 3
    coins" for a least 4. Read only where the asked sentence names one extreme and the thing it counts
    ("the greatest number of pencils"), the bound counts that thing (its noun one of the two words after
    it, before an "of"), the number stands alone (``$3$``, not ``$k+3$``, ``-3``, ``1/3``, ``3 \\cdot
    4``), and the question does not state the bound itself ("each team needs at least 5 players")."""
    g = gold.value
    if not (isinstance(g, Fraction) and g.denominator == 1 and 0 <= g < 1000):
        return []
    asked = _asked_sentence(question)
    sides = [
        (p, k)
        for ask, p, k in ((_ASKS_GREATEST, _FROM_BELOW, 1), (_ASKS_LEAST, _FROM_ABOVE, -1))
        if ask.search(asked)
    ]
    counted = _COUNTED_THING.search(asked)
    if len(sides) != 1 or counted is None:
        return []  # no extreme, or both ("the difference between the greatest and the least")
    ((patterns, shift),) = sides
    things = {_stem(w) for w in counted.group(1, 2) if w}
    n = int(g) + shift
    out: list[Finding] = []
    for m in (m for pattern in patterns for m in pattern.finditer(masked)):
        s, e = m.span("value")
        if _bound_value(m.group("value")) != n or not _stands_alone(masked, s, e):
            continue
        after = _WORD.findall(masked, m.end(), m.end() + 40)[:2]
        after = after[: after.index("of")] if "of" in after else after
        if not things & {_stem(w) for w in after}:
            continue  # a bound on something else ("at most one edge" for a least number of colors)
        if any(_bound_value(q.group("value")) == n for p in patterns for q in p.finditer(question)):
            continue  # the question's own condition, restated
        side = "less" if shift > 0 else "more"
        what = f"{masked[m.start() : m.end()]!r} rules out {n}: the gold {int(g)} is one {side}"
        out.append(Finding("equivalent_form", what, s, e))
    return out


def _asked_sentence(question: str) -> str:
    """The question's last sentence, where it says what it asks ("What is the greatest number of ...?")."""
    parts = [p for p in re.split(r"(?<=[.?!])\s+", question.strip()) if p.strip()]
    return parts[-1] if parts else ""


def _bound_value(word: str) -> int | None:
    return int(word) if word.isdigit() else _UNIT_VALUES.get(word.lower())


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Is the number ``text[start:end]`` a value of its own: alone in its ``$...$``, or in prose with a
    space or an opening bracket before it and no operator, digit or letter after it (not ``$k+3$``, ``-3``,
    ``1/3``, ``10^3``, ``3 \\cdot 4``, ``$3k$``, ``3-digit``, ``3%``)?"""
    before = text[max(0, start - 20) : start].rstrip(" \t")
    after = text[end : end + 20].lstrip(" \t")
    if before.endswith("$") or after.startswith("$"):
        return before.endswith("$") and after.startswith("$") and not before.endswith("\\$")
    prev = text[start - 1 : start]
    return (
        (prev == "" or prev.isspace() or prev == "(")
        and not re.match(r"[-\w^/_%(]|[.,]\d", text[end : end + 2])  # 3x, 3-digit, 3^2, 3/4, 3%, 3.5
        and not re.match(r"[-+*/^=\\]", after)  # 3 + k, 3 \cdot 4
    )


#: a question that asks for a greatest or a least number (not a greatest common divisor, a least common
#: multiple, a highest common factor, a lowest common denominator)
_NOT_COMMON = r"(?!\s+(?:positive\s+)?common)"
_ASKS_GREATEST = re.compile(
    rf"(?i)\b(?:maxim(?:um|al|ize)|largest|greatest|biggest|highest|most)\b{_NOT_COMMON}"
)
_ASKS_LEAST = re.compile(rf"(?i)\b(?:minim(?:um|al|ize)|smallest|least|fewest|lowest)\b{_NOT_COMMON}")
#: what the asked extreme counts: "the greatest number of pencils", "the least possible number of coins"
_COUNTED_THING = re.compile(r"(?i)\bnumber\s+of\s+([a-z]{3,})\b(?:\s+([a-z]{3,})\b)?")
_WORD = re.compile(r"[A-Za-z]+")
#: a whole number, digits (in ``$`` or not) or a word; whether it stands alone is :func:`_stands_alone`'s
_WHOLE = (
    r"(?:\$[ \t]*)?(?P<value>\d+"
    r"|(?i:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty)(?![a-z-]))(?:[ \t]*\$)?"
)
#: bounds from below ("three or more", "at least 5", "no fewer than 5") and from above ("3 or fewer",
#: "at most 3", "no more than 3")
_FROM_BELOW = (
    re.compile(rf"{_WHOLE}[ \t]+or[ \t]+(?:more|greater|larger|higher|above)\b"),
    re.compile(
        rf"(?i:\b(?:at[ \t]+least|no[ \t]+(?:fewer|less)[ \t]+than|not[ \t]+less[ \t]+than))[ \t]+{_WHOLE}"
    ),
)
_FROM_ABOVE = (
    re.compile(rf"{_WHOLE}[ \t]+or[ \t]+(?:fewer|less|smaller|lower|below)\b"),
    re.compile(rf"(?i:\b(?:at[ \t]+most|no[ \t]+more[ \t]+than|not[ \t]+more[ \t]+than))[ \t]+{_WHOLE}"),
)
_UNIT_VALUES = {**{w: k for k, w in enumerate(_UNITS)}, "twenty": 20}


def _stem(word: str) -> str:
    """A noun without its plural ending: "pencils", "pencil" -> "pencil"; "boxes" -> "box"."""
    word = word.lower()
    for end, keep in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ses", "s"), ("s", "")):
        if word.endswith(end) and len(word) > len(end) + 2:
            return word[: -len(end)] + keep
    return word


_FACTOR = re.compile(
    r"(?<=[(\[])\s*([a-zA-Z])\s*([-+])\s*(\d+(?:\.\d+)?|\\[dt]?frac\{\d+\}\{\d+\})\s*(?=[)\]])"
)


def _factor_roots(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A visible linear factor ``(x + 4)`` of a product or an equation whose root is the gold: the root is
    read off it (``(x+4)(x-1)`` for -4)."""
    out: list[Finding] = []
    if gold.value is None or not gold.numeric or "(" not in masked:
        return out
    for m in _FACTOR.finditer(masked):
        c = numeric_value(m.group(3))
        if c is None:
            continue
        root = -c if m.group(2) == "+" else c
        before, after = masked[max(0, m.start() - 2) : m.start() - 1], masked[m.end() + 1 : m.end() + 2]
        in_product = (
            before in (")", "]")
            or after in ("(", "[")
            or masked[m.end() + 1 : m.end() + 3].strip().startswith("^")
        )
        if (
            in_product
            and gold.equals(root)
            and not copied_from_question(masked, m.start(), m.end(), question)
        ):
            s, e = m.span(3)
            out.append(
                Finding(
                    "equivalent_form",
                    f"the factor {masked[m.start() : m.end()].strip()!r} has the gold as its root",
                    s,
                    e,
                )
            )
    return out


def _bound(text: str) -> Value | None:
    t = text.strip()
    if t in ("\\infty", "+\\infty", "-\\infty"):
        return None
    return numeric_value(t)


def _interval_forms(question: str, masked: str, gold: Gold) -> list[Finding]:
    """``(-\\infty, -3)`` written as ``x < -3``; ``[2, 5)`` as ``2 \\le x < 5``; a union that only
    leaves out points (``(0,9) \\cup (9,36)``) as the inequality of its hull (``0 < x < 36``), the
    points being what a reader finds where the trace's expression vanishes."""
    hit = _interval_written(question, masked, gold, [])
    if hit is not None:
        (s, e), _ = hit
        what = f"the interval is written as an inequality: {masked[s:e]!r}"
        return [Finding("equivalent_form", what, s, e)]
    hull = _hull(gold)
    found = _find_inequality(masked, *hull, question) if hull else None
    if found is None:
        return []
    s, e = found
    what = f"the answer's intervals less their points between are written as one inequality: {masked[s:e]!r}"
    return [Finding("equivalent_form", what, s, e)]


def _hull(gold: Gold) -> tuple[Value | None, Value | None, bool, bool] | None:
    """The interval a union of intervals fills but for single points between its pieces (``(0,9) \\cup
    (9,36)``: ``(0,36)``), as (lo, hi, lo closed, hi closed); None for any other answer."""
    ms = _interval_pieces(gold)
    if len(ms) < 2:
        return None
    for a, b in zip(ms, ms[1:], strict=False):
        end, start = _bound(a.group(3)), _bound(b.group(2))
        if end is None or start is None or not values_equal(end, start):
            return None
        if a.group(4) != ")" or b.group(1) != "(":  # a point left out: open on both sides
            return None
    lo_text, hi_text = ms[0].group(2).strip(), ms[-1].group(3).strip()
    lo, hi = _bound(lo_text), _bound(hi_text)
    if (lo is None and lo_text != "-\\infty") or (hi is None and hi_text not in ("\\infty", "+\\infty")):
        return None  # an end no number reads (``k``, ``\\log_2 3``): no hull, not an infinite one
    if lo is None and hi is None:
        return None
    return lo, hi, ms[0].group(1) == "[", ms[-1].group(4) == "]"


def _interval_written(
    question: str, masked: str, gold: Gold, fills: list[tuple[Value, frozenset[int]]]
) -> tuple[tuple[int, int], list[frozenset[int]]] | None:
    """Where the masked text writes the gold interval as an inequality (the first piece's span), with the
    origins of the values read into its blanks: with ``fills`` (values the equations fixed, each with the
    equations that fixed it), a blank bound reads as any of them (``-2 \\le x \\le [NUMBER]`` beside
    ``(x - [NUMBER])(x + 2)`` once coefficient matching fixes 7, for ``[-2,7]``: a reader writes the root
    into the bound), and only a match that reads a blank counts."""
    pieces = _interval_pieces(gold)
    if not pieces or len(pieces) > 3:
        return None
    spans: list[tuple[int, int]] = []
    used: list[frozenset[int]] = []
    for m in pieces:
        lo, hi = _bound(m.group(2)), _bound(m.group(3))
        if lo is None and hi is None:
            return None
        closed = m.group(1) == "[", m.group(4) == "]"
        hit = _find_inequality(masked, lo, hi, *closed, question)
        if hit is None and fills:  # a piece written with a blank bound ("or $x \\ge [NUMBER]$")
            hit = _find_inequality(masked, lo, hi, *closed, question, fills, used)
        if hit is None:
            return None
        spans.append(hit)
    if fills and not used:
        return None  # every piece written plainly: the plain attack's (_interval_forms)
    return spans[0], used


def _interval_pieces(gold: Gold) -> list[re.Match[str]]:
    """The intervals a gold joins with ``\\cup`` (``x \\in`` before it allowed), each matched by
    :data:`_INTERVAL`; empty when a piece is no interval."""
    core = re.sub(r"\\left|\\right|\$", "", _interval_core(gold.raw)).strip()
    pieces = [_INTERVAL.match(p) for p in re.split(r"\\cup", core) if p.strip()]
    return [] if any(m is None for m in pieces) else [m for m in pieces if m is not None]


def _interval_core(raw: str) -> str:
    """The interval of an answer written ``x \\in [-2,7]``."""
    m = re.fullmatch(r"\s*\$?\s*[a-zA-Z]\s*\\in(?![a-zA-Z])\s*(.+)", raw, re.S)
    return m.group(1) if m else raw


def _strict(rel: str) -> bool:
    return rel in ("<", ">", "\\lt", "\\gt")


def _less(rel: str) -> bool:
    return rel in ("<", "\\lt", "\\le", "\\leq", "≤")


def _find_inequality(
    masked: str,
    lo: Value | None,
    hi: Value | None,
    lo_closed: bool,
    hi_closed: bool,
    question: str,
    fills: list[tuple[Value, frozenset[int]]] | None = None,
    used: list[frozenset[int]] | None = None,
) -> tuple[int, int] | None:
    """The span of an inequality that writes the interval. With ``fills``, a blank bound reads as any of
    its values, the origins of those read are added to ``used``, and only a match reading a blank counts
    (one without is the plain attack's, :func:`_interval_forms`)."""
    pattern = _WITH_BLANKS if fills else _INEQUALITIES

    def eq(a: Value | None, m: re.Match[str], group: int, read: list[frozenset[int]]) -> bool:
        if a is None:
            return False
        text = m.group(group)
        if PLACEHOLDER.search(text) is None:
            v = numeric_value(text.replace(" ", ""))
            return v is not None and values_equal(a, v)
        sign = -1 if text.lstrip().startswith("-") else 1
        for value, origin in fills or ():
            if values_equal(a, sign * value):
                read.append(origin)
                return True
        return False

    def found(m: re.Match[str], read: list[frozenset[int]]) -> tuple[int, int] | None:
        if (fills and not read) or copied_from_question(masked, *m.span(), question):
            return None
        if used is not None:
            used.extend(read)
        return m.span()

    for m in pattern.two.finditer(masked) if lo is not None and hi is not None else ():
        r1, r2 = m.group(2), m.group(3)
        read: list[frozenset[int]] = []
        if (
            _less(r1)
            and _less(r2)
            and eq(lo, m, 1, read)
            and eq(hi, m, 4, read)
            and _strict(r1) != lo_closed
            and _strict(r2) != hi_closed
        ) and (span := found(m, read)):
            return span

    def one_sided(
        bound: Value | None, closed: bool, want_less: bool, whole: bool = False
    ) -> Iterator[tuple[str, tuple[int, int]]]:
        """(the letter, the span) of each inequality ``x < v`` or ``v > x`` that writes this one end; with
        ``whole``, only a relation written whole (``-p \\le \\frac83``, ``p \\le \\frac83 - 1``, ``10 +
        \\frac35 < p`` or ``\\frac35 < p^2`` is no end of ``p``)."""
        for m in pattern.one.finditer(masked):
            rel, read = m.group(1), list[frozenset[int]]()
            ok = _less(rel) == want_less and _strict(rel) != closed and eq(bound, m, 2, read)
            if ok and (not whole or _written_whole(masked, *m.span())) and (span := found(m, read)):
                yield masked[m.start()], span
        for m in pattern.one_rev.finditer(masked):
            rel, read = m.group(2), list[frozenset[int]]()
            ok = _less(rel) != want_less and _strict(rel) != closed and eq(bound, m, 1, read)
            if ok and (not whole or _written_whole(masked, *m.span())) and (span := found(m, read)):
                yield masked[m.end() - 1], span

    if lo is None or hi is None:
        bound, closed, want_less = (hi, hi_closed, True) if lo is None else (lo, lo_closed, False)
        return next((span for _, span in one_sided(bound, closed, want_less)), None)
    if fills:
        return None
    # the two ends written apart, each as an inequality of the same letter (``p \le \frac83``, then
    # ``p > \frac35``): a reader intersects them. The later one is blamed: without it the other says nothing
    lows = dict(reversed(list(one_sided(lo, lo_closed, False, whole=True))))
    for letter, span in one_sided(hi, hi_closed, True, whole=True):
        if letter in lows:
            return max(span, lows[letter])
    return None


#: what continues an expression past a relation's side: an operator, an exponent or index, a bracket, a value
_GOES_ON_AFTER = re.compile(r"\s*(?:[-+*/^_(\w]|\\(?:cdot|times|div|frac|sqrt)(?![a-zA-Z]))")
_GOES_ON_BEFORE = re.compile(r"(?:[-+*/^_)}\w]|\\(?:cdot|times|div)(?![a-zA-Z]))\s*$")


def _written_whole(masked: str, start: int, end: int) -> bool:
    """Is ``masked[start:end]`` a relation written whole: no operator, value or bracket of a longer
    expression right before or after it?"""
    return not _GOES_ON_BEFORE.search(masked, max(0, start - 8), start) and not _GOES_ON_AFTER.match(
        masked, end
    )


def _component_forms(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A tuple or set answer whose components are all visible together (``a \\pm b`` for two roots)."""
    comps = gold.components
    if len(comps) != 2:
        return []
    out = []
    for m in _PM.finditer(masked):
        a, b = numeric_value(m.group(1).replace(" ", "")), numeric_value(m.group(2).replace(" ", ""))
        if a is None or b is None:
            continue
        plus = a + b if isinstance(a, Fraction) and isinstance(b, Fraction) else complex(a) + complex(b)
        minus = a - b if isinstance(a, Fraction) and isinstance(b, Fraction) else complex(a) - complex(b)
        both = all(any(values_equal(c, v) for v in (plus, minus)) for c in comps)
        if both and not copied_from_question(masked, *m.span(), question):
            out.append(Finding("equivalent_form", f"{m.group()!r} gives both roots", *m.span()))
    return out


# ------------------------------------------------------------------ placeholders that single out the answer

_WORD = re.compile(r"[A-Za-z]+|\d[\d,.]*")


def answer_blanks(masked: str) -> set[str]:
    """Placeholder tokens that say "this is the answer": ``[ANSWER]``, and any indexed blank that fills
    a final-answer slot (``\\boxed{[BLANK_3]}``, ``#### [BLANK_3]``)."""
    out = {"[ANSWER]"} if "[ANSWER]" in masked else set()
    for st in answer_statements(masked):
        slot = masked[st.start : st.end].strip()
        if PLACEHOLDER.fullmatch(slot) and "_" in slot:
            out.add(slot)
    return out


def _placeholder(question: str, masked: str, gold: Gold) -> list[Finding]:
    """An answer-singling blank where the question has a number in the same words: read it off."""
    if gold.value is None:
        return []
    tokens = answer_blanks(masked)
    if not tokens:
        return []
    out = []
    q_words = [(m.group(), m.start()) for m in _WORD.finditer(question)]
    q_lower = [w.lower() for w, _ in q_words]
    for m in PLACEHOLDER.finditer(masked):
        if m.group() not in tokens:
            continue
        before = [w.lower() for w in _WORD.findall(masked[max(0, m.start() - 60) : m.start()])][-2:]
        after = [w.lower() for w in _WORD.findall(masked[m.end() : m.end() + 60])][:2]
        if not before and not after:
            continue
        for i in range(len(q_lower)):
            v = numeric_value(q_words[i][0].rstrip(".,").replace(",", ""))
            if v is None or not gold.equals(v):
                continue
            if (
                q_lower[max(0, i - len(before)) : i] == before
                and q_lower[i + 1 : i + 1 + len(after)] == after
            ):
                out.append(
                    Finding(
                        "placeholder",
                        f"{m.group()} stands where the question says {q_words[i][0]}",
                        *m.span(),
                    )
                )
                break
    return out


# --------------------------------------------------------------------------- constraints and replay


def _templates(question: str, masked: str, gold: Gold, reading: Reading, sol: Solution) -> list[Finding]:
    """``template``: the question names a form with letters and asks for an expression of them ("written as
    $(Ax-8)(Bx+3)$ ... What is $AB + B$?"); where the trace writes the form with values
    (``([NUMBER]x-8)(2x+3)``, :mod:`._template`), a blank reading as the value the equations fix for it, the
    question's expression at those values is the gold. Blamed on one visible value of the instance outside
    an exponent, and on the steps that fixed its blanks; an instance whose visible values all stand in
    exponents and whose blanks nothing fixed goes whole (a repair never hides an exponent alone)."""
    if gold.value is None:
        return []
    template = question_template(question)
    if template is None:
        return []
    out: list[Finding] = []
    for (start, end), slots in instances(template, masked):
        if spaceless(masked[start:end]) in question_expressions(question) or copied_from_question(
            masked, start, end, question
        ):
            continue  # the question's own values, written again: the reader has them anyway
        env: dict[str, Value] = {}
        origin: frozenset[int] = frozenset()
        visible: list[Slot] = []
        for slot in slots:
            blank = PLACEHOLDER.search(slot.text)
            if blank is None:
                v = numeric_value(slot.text.replace(" ", ""))
                visible.append(slot)
            else:
                name = reading.blanks.get(slot.start + blank.start())
                if name is None or name not in sol.known:
                    break
                v = sol.known[name].value
                v = -v if slot.text.startswith("-") else v
                origin |= sol.known[name].origin
            if v is None:
                break
            env[f"v:{slot.letter}"] = v
        else:
            try:
                value = evaluate(template.target, env)
            except (Undefined, ZeroDivisionError, OverflowError, ValueError):
                continue
            if not gold.equals(value):
                continue
            what = (
                f"the question's form {_clip(template.form)} written as {_clip(masked[start:end])} gives "
                f"the gold {_show(value)}"
            )
            outside = [s for s in visible if not _in_exponent(masked, s.start)]
            if outside:  # its digits (a minus before them is an operator of the form, kept)
                at = outside[0].start + len(outside[0].text) - len(outside[0].text.lstrip("- "))
                out.append(Finding("template", what, at, outside[0].end))
            elif not origin:  # every value in an exponent: the instance goes whole, its exponents with it
                out.append(Finding("template", what, start, end))
            if origin:
                out.extend(_blame_roots("constraints", what, origin, reading.equations))
    return out


def _matched(question: str, masked: str, gold: Gold, reading: Reading) -> list[Finding]:
    """``matched``: a side with a letter and a side written alike with values (:mod:`._matched`:
    ``\\frac{[N]^n-1}{[N]^{n+1}}`` beside ``\\frac{[N]^8-1}{[N]^9}``) give the letter a value; the gold
    there leaks. Blamed on the instance; one the question writes is the question's own. At most
    :data:`MAX_MATCHED_PAIRS` pairs of sides are compared (work, not time: a trace of thousands of sides)."""
    if gold.value is None or not reading.sides:
        return []
    forms: dict[str, list[Side]] = {}  # by the operator at the top: the instance must have the same
    asked = _question_sides(question)
    for side in [*reading.sides, *asked]:  # the question's own form too (2^3 3^x = 72)
        if side.tree[0] not in ("n", "u", "c") and _has_letter(side):
            forms.setdefault(side.tree[0], []).append(side)
    out: list[Finding] = []
    left = MAX_MATCHED_PAIRS
    for instance in reading.sides:
        alike = forms.get(instance.tree[0], ())
        if not alike or _has_letter(instance):
            continue
        for form in alike:
            left -= 1
            if left < 0:
                return out
            values = letter_values(form, instance) or {}
            letter = next((u for u, v in values.items() if gold.equals(v)), None)
            if letter is None or _questions_own(masked, instance, question):
                continue
            text = masked[instance.start : instance.end]
            source = question if form in asked else masked
            what = (
                f"{_clip(source[form.start : form.end])} written with values as {_clip(text)}: "
                f"{_name(letter)} = {_show(values[letter])}, the gold"
            )
            out.append(Finding("matched", what, instance.start, instance.end))
            break
    return out


@lru_cache(maxsize=64)
def _question_sides(question: str) -> tuple[Side, ...]:
    """The sides of the question's equations ("For what value of $x$ is $2^3\\cdot3^x=72$?": ``2^3\\cdot3^x``
    and 72): a trace that writes one of them with a value in a letter's place (``2^3\\cdot 3^2``) gives the
    letter that value."""
    return tuple(read_equations(question, link=False).sides) if "=" in question else ()


#: pairs of sides :func:`_matched` compares in one trace, at most
MAX_MATCHED_PAIRS = 4000


def _has_letter(side: Side) -> bool:
    return any(u.startswith("v:") for u in side.unknowns)


def _questions_own(masked: str, side: Side, question: str) -> bool:
    """Is ``side`` the question's own text (its expression written whole, or a quote of it)?"""
    text = masked[side.start : side.end]
    return written_in_question(text, question) or copied_from_question(masked, side.start, side.end, question)


def _points(question: str, masked: str, gold: Gold, reading: Reading, sol: Solution) -> list[Finding]:
    """``point``: the question asks for an expression of its letters (``ab^2 c^3 d^4``) and the trace gives
    the letters values at one point (``a = 1,`` ``b = 2,`` close together, or the expression written with
    them, ``[NUMBER]\\cdot 5``; :mod:`._point`), a blank reading as the equations fix it, a letter also as a
    visible identity fixes it by its coefficients; the question's own equations fill what is left, one
    letter at a time. The expression there is the gold: blamed on every visible value used, on the steps
    that fixed its blanks, and on the identity."""
    if gold.value is None:
        return []
    point = question_point(question)
    if point is None:
        return []
    matched = _letters_matched(point.target, question, masked, reading, sol)
    for group in [*points(point, masked), []]:  # the last: the identity's letters alone
        options: dict[str, list[tuple[Value, Assigned | None, frozenset[int]]]] = {
            letter: [(value, None, origin)] for letter, (value, origin) in matched.items()
        }
        for a in group:
            blank = PLACEHOLDER.search(a.text)
            if blank is None:
                value, origin, shown = value_of(a.text), frozenset[int](), a
            else:
                name = reading.blanks.get(a.start + blank.start())
                if name is None or name not in sol.known:
                    continue
                value, origin, shown = sol.known[name].value, sol.known[name].origin, None
                value = -value if a.text.startswith("-") else value
            if value is None:
                continue
            held = options.setdefault(f"v:{a.letter}", [])
            same = next((i for i, (v, _, _) in enumerate(held) if values_equal(value, v)), None)
            if same is None:
                held.append((value, shown, origin))
            elif shown is not None:  # a value the equations fix, also written: the visible copy gives it away
                held[same] = (value, shown, origin)
        found = _point_value(point, gold, options, matched, reading)
        if found:
            return found
    return []


def _point_value(
    point: Point,
    gold: Gold,
    options: dict[str, list[tuple[Value, Assigned | None, frozenset[int]]]],
    matched: dict[str, tuple[Value, frozenset[int]]],
    reading: Reading,
) -> list[Finding]:
    """The findings of one point (:func:`_points`): each letter one of its values or left to the question's
    equations, at most :data:`.MAX_POINTS` combinations."""
    free: tuple[Value | None, Assigned | None, frozenset[int]] = (None, None, frozenset())
    tried = itertools.product(*([*held, free] for held in options.values()))  # free: for the equations
    for combo in itertools.islice(tried, MAX_POINTS):
        used = [a for _, a, _ in combo if a is not None]
        by_identity = [
            n for n, (v, _, _) in zip(options, combo, strict=True) if n in matched and v is not None
        ]
        if not used and not by_identity:
            continue  # blanks alone: the equations' own finding
        env = fill(point, {name: v for name, (v, _, _) in zip(options, combo, strict=True) if v is not None})
        if not tree_unknowns(point.target) <= env.keys():
            continue
        try:
            value = evaluate(point.target, env)
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        if not gold.equals(value):
            continue
        what = f"the question's {_clip(point.text)} at the trace's values gives the gold {_show(value)}"
        out = [Finding("point", what, a.end - len(a.text.lstrip("- ")), a.end) for a in used]  # digits
        fixed = frozenset[int]().union(*(o for _, _, o in combo))
        if fixed:
            out.extend(_blame_roots("constraints", what, fixed, reading.equations))
        for name in by_identity:  # the identity itself: one of its visible values goes (a question's first)
            eq = reading.equations[min(matched[name][1])]
            out.append(Finding("point", what, eq.start, eq.end))
        return out
    return []


def _letters_matched(
    target: tuple, question: str, masked: str, reading: Reading, sol: Solution
) -> dict[str, tuple[Value, frozenset[int]]]:
    """The asked expression's letters that a visible identity in other variables fixes by matching
    coefficients (``C(x + 8) + D(x - 3) = 4x - 23`` for every x: C = -1, D = 5), its blanks read as the
    equations fix them; the question's own equation, copied as written, aside (solving it is the task)."""
    letters = tree_unknowns(target)
    asked = spaceless(question)
    out: dict[str, tuple[Value, frozenset[int]]] = {}
    work = _Work(SYSTEM_EVALUATIONS)
    for i, eq in enumerate(reading.equations[:MAX_EQUATIONS]):
        mine = sorted(u for u in eq.unknowns if u in letters and u not in out)
        others = sorted(u for u in eq.unknowns if u.startswith("v:") and u not in letters)
        blanks = [u for u in eq.unknowns if not u.startswith("v:")]
        if (
            not mine
            or not others
            or len(mine) > 3
            or len(others) > 3
            or any(u not in sol.known for u in blanks)
        ):
            continue
        if spaceless(masked[eq.start : eq.end]) in asked:
            continue
        env = {u: sol.known[u].value for u in blanks}
        origin = frozenset({i}).union(*(sol.known[u].origin for u in blanks))
        try:
            if len(mine) == 1:
                one = _identity_value(eq, mine[0], others, env, work)
                found = [(mine[0], one)] if one is not None else []
            else:
                found = _identity_system(eq, mine, others, env, work)
        except Undefined:
            break  # out of work
        out.update({u: (v, origin) for u, v in found})
    return out


def _in_exponent(text: str, at: int) -> bool:
    """Does ``text[at]`` stand in an exponent (``2^5``, ``2^{5/4}``)?"""
    before = text[:at].rstrip()
    if before.endswith("^"):
        return True
    depth = 0
    for i in range(len(before) - 1, max(-1, len(before) - 80), -1):
        c = before[i]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0 and before[:i].rstrip().endswith("^"):
                return True  # an enclosing group is an exponent (``2^{\\frac{3}{4}}``)
            depth = max(0, depth - 1)
    return False


def _visible_components(question: str, masked: str, gold: Gold) -> dict[int, tuple[int, int]]:
    """Components of a tuple / set / interval answer that stand visible (not as a copy of the question)."""
    out: dict[int, tuple[int, int]] = {}
    if not gold.components or interval_like(question, gold):
        return out
    for atom in scan_cached(masked).atoms:
        if atom.role not in ("value", "constant"):
            continue
        for ci, c in enumerate(gold.components):
            hit = ci not in out and any(values_equal(c, v) for v in atom.values)
            if hit and not copied_from_question(masked, atom.start, atom.end, question):
                out[ci] = (atom.start, atom.end)
    return out


def _solved(
    question: str,
    masked: str,
    gold: Gold,
    latest: bool = False,
    identities: bool = False,
    apart: bool = False,
    ratios: bool = False,
    operations: int = 0,
    instances: bool = False,
) -> list[Finding]:
    if gold.value is None and not gold.components and "infty" not in gold.raw:
        return []  # (an interval's union, ``(-\\infty,-2] \\cup [7,\\infty)``, has no components but is read)
    visible = _visible_components(question, masked, gold)
    if "(" in masked and "=" in masked and not _math_ranges(masked).starts:
        masked = phrase_quantities(masked)  # "2(number of trucks)": the phrase is a letter (offsets kept)
    link = "latest" if latest else not apart
    reading = read_equations(masked, link=link) if "=" in masked else Reading()
    fractions = blank_ratios(reading)  # (before the identities join its equations)
    reading, fractions_read = (fractions, True) if ratios else (reading, fractions is reading)
    _with_readings(reading, masked, identities, operations, instances)
    unit = _imaginary_unit(question, gold, reading)
    if unit and gold.as_complex is not None:
        gold = replace(gold, value=gold.as_complex)  # compared as sqrt(-1) makes it, not as a fingerprint
    sol = solve(reading, constants=unit)
    relinks = reading.relinks  # kept through the switch below: a contradiction is where it matters most
    if not latest and not _consistent(reading, sol):
        # "x-[N]" twice for two values (x-5, x-10): the link was wrong. Read as the latest results, a line
        # that writes the previous one's total again simplified ("[N]x-[N]=239" after the sum) is linked to
        # the result written alike before it; the solver keeps the value found first and the reading stands
        reading = read_equations(masked, link=False)
        if ratios:
            reading = blank_ratios(reading)
        _with_readings(reading, masked, identities, operations, instances)
        sol = solve(reading, constants=unit)
    out: list[Finding] = []
    eqs = reading.equations

    written = _question_keys(question)

    def blame(attack: str, what: str, origin: frozenset[int]) -> None:
        out.extend(_blame_roots(attack, what, origin, eqs, written))

    rewritten = _rewritten(reading, sol, masked)
    if rewritten:  # what the rewrites fix is known to every later step, and what it fixes comes from them
        before = sol.known
        sol = solve(reading, constants={**unit, **{u: v for u, (v, _) in rewritten.items()}})
        moved = frozenset().union(*(origin for _, origin in rewritten.values()))
        for u, k in sol.known.items():
            k.origin = before[u].origin if u in before else k.origin | moved
        for u, (v, origin) in rewritten.items():
            if gold.value is not None and gold.equals(v):
                blame("constraints", f"{_name(u)} = {_show(v)}, the gold answer, rewrites a line", origin)

    if gold.value is not None:
        out.extend(_visible_sides(reading, sol, gold, masked, question))
        if not out and not gold.numeric:
            out.extend(_visible_parts(reading, gold, masked, question))
    found_components: set[int] = set()
    degrees = _in_degrees(question, gold)
    minutes = _in_minutes(question, masked)
    for u, k in sorted(sol.known.items(), key=lambda kv: kv[1].step):
        if (
            gold.value is not None
            and (
                gold.equals(k.value)
                or (degrees and _equals_in_degrees(gold, u, k.value))
                or (minutes and isinstance(k.value, Fraction) and gold.equals(k.value * 60))
            )
            and not _question_copy(u, k.value, reading, masked, question)
            and not _from_question_computation(k.origin, eqs, masked, question)
        ):
            attack = (
                "replay"
                if all(not x.startswith("v:") for e in k.origin for x in eqs[e].unknowns)
                else "constraints"
            )
            what = f"{_name(u)} = {_show(k.value)}, the gold answer, is computed"
            # fixed by coefficient matching whatever one more value is hidden: the sides whose shape fixes it
            shapes = _shape_sides(u, sol, eqs)
            if shapes:
                what += " by matching coefficients"
                out.extend(Finding(attack, what, s.start, s.end, True) for s in shapes)
            else:
                blame(attack, what, k.origin)
        for ci, c in enumerate(gold.components):
            if values_equal(c, k.value):
                found_components.add(ci)
    rooted: set[frozenset[int]] = set()
    if (
        gold.components
        and not gold.raw.lstrip().startswith(("(", "[", "\\left"))
        and len(found_components | set(visible)) < len(gold.components)
    ):
        # "(n - 1)(n + [N]) = 0" once coefficient matching fixed the blank: its roots are computed too
        for u, roots, origin in sol.candidates:
            hits = {ci for ci, c in enumerate(gold.components) if any(values_equal(c, r) for r in roots)}
            if hits - found_components and not _question_equation(u, origin, eqs, masked, question):
                found_components |= hits
                rooted.add(origin)
    if gold.components and len(found_components | set(visible)) == len(gold.components):
        what = "every component of the gold answer is visible or computed"
        origin = (
            frozenset().union(*(k.origin for k in sol.known.values()), *rooted)
            if found_components - set(visible)
            else frozenset()
        )
        blame("constraints", what, origin)
        out.extend(Finding("equivalent_form", what, s, e) for s, e in visible.values())
    if gold.value is None and sol.known and ("," in gold.raw or "infty" in gold.raw):  # an interval, maybe
        fills = [(k.value, k.origin) for k in sorted(sol.known.values(), key=lambda k: k.step)]
        hit = _interval_written(question, masked, gold, fills)
        if hit is not None:
            (s, e), read = hit
            what = (
                f"the interval is written as an inequality, its bound fixed by the equations: {masked[s:e]!r}"
            )
            blame("constraints", what, frozenset().union(*read))
    out.extend(_templates(question, masked, gold, reading, sol))
    out.extend(_points(question, masked, gold, reading, sol))
    out.extend(_matched(question, masked, gold, reading))
    for u, roots, origin in sol.candidates:
        if _question_equation(u, origin, eqs, masked, question):
            continue  # x^2 + 9x + 20 = 0 as the question writes it: solving it is the task
        if gold.value is not None and any(gold.equals(r) for r in roots):
            blame(
                "constraints",
                f"{_name(u)} is one of {', '.join(map(_show, roots))}, the gold among them",
                origin,
            )
    if not out and gold.value is not None:
        out.extend(_sum_divided(reading, masked, gold))
    if not out and gold.value is not None:
        for text, origin in _letters_put_in(masked, sol, gold, unit) or _roots_put_in(
            reading, sol, gold, masked, question, unit
        ):
            blame("constraints", f"{_clip(text)} with the letters the equations fix is the gold", origin)
    if not out and gold.value is not None:
        out.extend(_principal_angles(reading, gold, masked, question))
    if not out and gold.value is not None:
        out.extend(_branches(reading, gold, masked, question, unit))
    if not out and gold.value is not None:
        out.extend(_root_sums(reading, gold, masked, question, unit))
    if not out and gold.value is not None:
        for u, value, origin in _whole_bases(reading, sol, gold, masked, question, unit):
            blame(
                "constraints",
                f"{_name(u)} = {_show(value)}, the gold, with blank bases read as whole numbers",
                origin,
            )
    if not out:
        out.extend(_replay_guesses(reading, sol, gold, masked, question))
    if not out and reading.linked:  # "[N]/2" on two lines, halving twice: two values written alike
        unlinked = read_equations(masked, link=False)
        unlinked = blank_ratios(unlinked) if ratios else unlinked
        out.extend(_replay_guesses(unlinked, solve(unlinked, constants=unit), gold, masked, question))
    if operations or instances:
        return out  # the re-reads below were tried without these equations; with them, only this one
    if not out and relinks and not latest:
        # "2*x*2=[N]*x", "x+2*x+[N]*x=[N]*x", "[N]*x=35": a reader links each to the latest result written
        # alike (the 7x, not the first line's 4x), terms of a sum included
        out = _solved(question, masked, gold, latest=True, identities=identities, ratios=ratios)
    if not out and rewritten and reading.linked and not latest:
        # "s = [N]f" (3f) and "[N]f = 60" (4f), linked as one blank: a rewrite fixes it for one of them,
        # and the rest of the reading is then wrong; a reader takes them for two values
        out = _solved(question, masked, gold, identities=identities, apart=True, ratios=ratios)
    if not out and not latest and not identities and not apart and _identities_fix(masked):
        # a factored form beside the form it factors, an interval's ends as a quadratic's roots
        # (:mod:`._factored`), read only where nothing else is
        # found: a new equation changes which value the greedy solver fixes first
        out = _solved(question, masked, gold, identities=True, ratios=ratios)
    if (
        not out
        and not fractions_read
        and not (latest or identities or apart)
        and _fixes_a_fraction(fractions, sol)
    ):
        # a fraction of two blanks is one value to a reader (:mod:`._ratios`): read so only where the
        # blanks read apart find nothing, for a reader also writes the values they computed into each
        out = _solved(question, masked, gold, ratios=True)
    for level in (1, 2):
        if not (out or latest or identities or apart or ratios) and has_operation(masked, shifts=level > 1):
            # "Multiplying both sides by $5(x+1)$" (:mod:`._both_sides`): read only where nothing else
            # is found, for the equations it adds change which value the greedy solver fixes first;
            # scalings and powers first, then shifts too
            out = _solved(question, masked, gold, operations=level)
    if not (out or latest or identities or apart or ratios) and formula_instances(reading, masked):
        # "$180(n-2)/n$", then "$180([N]-2)/7$": the blank is the 7 (:mod:`._instances`), read only where
        # nothing else is found, for the equations it adds change which value the solver fixes first
        out = _solved(question, masked, gold, instances=True)
    return out


def _with_readings(reading: Reading, masked: str, identities: bool, operations: int, instances: bool) -> None:
    """Add to ``reading`` the equations of the readings :func:`_solved` makes only where nothing else is
    found: the factored identities (:mod:`._factored`), the operations on both sides
    (:mod:`._both_sides`; shifts at ``operations`` 2) and a formula's instances (:mod:`._instances`)."""
    if identities:
        reading.equations.extend(factored_identities(masked))
    if operations:
        reading.equations.extend(both_sides(masked, reading, shifts=operations > 1))
    if instances:
        reading.equations.extend(formula_instances(reading, masked))


def _fixes_a_fraction(fractions: Reading, sol: Solution) -> bool:
    """Whether an equation of ``fractions`` (a reading with fractions of blanks as one unknown,
    :func:`smepo_data.math._ratios.blank_ratios`) has such a fraction as its one unknown the solution
    ``sol`` of the blanks read apart leaves open (``\\frac{42}{60} = \\frac{[N]}{[N]}``): where none has,
    reading the fraction as one value fixes nothing a re-read would find."""
    return any(
        len(open_) == 1 and is_ratio(next(iter(open_)))
        for eq in fractions.equations
        if (open_ := eq.unknowns - sol.known.keys())
    )


#: the most values one variable may take on branches of its own (``x = 2`` or ``x = 8``)
_MAX_BRANCHES = 4


_DEGREES = re.compile(r"\^\s*\{?\s*\\circ|\bdegrees\b", re.I)


def _in_degrees(question: str, gold: Gold) -> bool:
    """The answer is an angle in degrees (``30^\\circ``, "in degrees"): a letter the equations fix in
    radians (``\\sin\\theta = \\frac12``) is compared in degrees too."""
    return bool(_DEGREES.search(gold.raw) or _DEGREES.search(question))


#: the question asks for minutes
_ASKS_MINUTES = re.compile(r"(?i)\b(?:in|how\s+many|many)\s+minutes\b|\bminutes\s+does\b")
_HOURS = re.compile(r"(?i)\bhours?\b")


def _in_minutes(question: str, masked: str) -> bool:
    """The question asks for minutes and the trace works in hours ("x + 2x = [N]x = 1 hour" for "how much time
    in minutes"): a value the equations fix is the gold 60 times over, one unit conversion away."""
    return bool(_ASKS_MINUTES.search(question) and _HOURS.search(masked))


def _principal_angles(reading: Reading, gold: Gold, masked: str, question: str) -> list[Finding]:
    """``\\sin\\theta = \\frac{1}{2}`` with its value visible: a reader takes the principal angle
    (arcsin), in degrees where the answer is. Read after the solver, never fixed in it: the angle is the one a
    reader names, not a value every later step must take (``x = 150`` for an obtuse ``x`` stands). Not the
    question's own equation (solving it is the task)."""
    degrees = _in_degrees(question, gold)
    eqs = reading.equations
    for i, eq in enumerate(eqs):
        for bare, other in ((eq.left, eq.right), (eq.right, eq.left)):
            tree = bare.tree
            if tree[0] != "fn" or tree[1] not in _INVERSE_TRIG or tree[2][0] != "u":
                continue
            if not tree[2][1].startswith("v:") or other.unknowns:
                continue  # a value the trace writes (a letter the solver fixes names another angle)
            try:
                real = _real(evaluate(other.tree, {}))
                angle = _INVERSE_TRIG[tree[1]](float(real)) if real is not None else None
            except (Undefined, ValueError, OverflowError, ZeroDivisionError):
                continue
            if angle is None or not (gold.equals(angle) or (degrees and gold.equals(angle * 180 / math.pi))):
                continue
            if _question_whole(eq, masked, question):
                continue
            origin = frozenset({i})
            what = f"{_clip(masked[eq.start : eq.end])} gives the principal angle, the gold answer"
            return _blame_roots("constraints", what, origin, eqs)
    return []


def _equals_in_degrees(gold: Gold, u: str, value: Value) -> bool:
    """A letter's value in radians is the gold in degrees."""
    real = _real(value) if u.startswith("v:") else None
    return real is not None and not isinstance(real, Fraction) and gold.equals(float(real) * 180 / math.pi)


def _identities_fix(masked: str) -> bool:
    """Do the identities of :mod:`._factored` (a factored form, an interval's ends as roots) fix a blank by
    themselves? Only then is the whole reading solved again with them."""
    pairs = factored_identities(masked)
    return bool(pairs) and any(not u.startswith("v:") for u in solve(Reading(equations=list(pairs))).known)


def _branches(
    reading: Reading, gold: Gold, masked: str, question: str, unit: dict[str, Value]
) -> list[Finding]:
    """The ``constraints`` attack over a variable that the trace's visible equations (no blank in them)
    solve to more than one value ("5-a=3 OR 5-a=-3"; "2=a OR [N]=a", then "$2+[N]=\\boxed{[N]}$"). One
    solve keeps the first value and drops what disagrees with it; a reader follows each value as a branch
    (with ``a = 8`` the blank of "[N]=a" is 8) and, where the question asks for their sum or product, adds
    or multiplies them. A branch or a sum that gives the gold leaks, blamed on the equations the values
    came from. Equations with a blank are left out: read with written-alike blanks linked they can give a
    variable a value the trace never states (``[N]^{2x} = [N]^{1/2}`` read with one base for both). The
    settings the reading leaves out of its system ("If $b=2$ ...", "If $b=3$ ...": :attr:`Reading.settings`)
    give branches too, after the equations (so the indices the solver blames are the same)."""
    eqs = [*reading.equations, *reading.settings][:MAX_EQUATIONS]
    work = _Work(MAX_EVALUATIONS)
    values: dict[str, list[tuple[Value, frozenset[int]]]] = {}
    try:
        for i, eq in enumerate(eqs):
            (u,) = eq.unknowns if len(eq.unknowns) == 1 else ("",)
            if not u.startswith("v:") or u in unit or "[" in masked[eq.start : eq.end]:
                continue
            if _question_whole(eq, masked, question):
                continue  # the question's own equation: solving it, and going on from its roots, is the task
            for root in _solve_one(eq, u, dict(unit), work) or ():
                if not any(values_equal(root, v) for v, _ in values.get(u, [])):
                    values.setdefault(u, []).append((root, frozenset({i})))
    except Undefined:
        return []
    written = _question_keys(question)
    out: list[Finding] = []
    asks = question.lower()
    for u, branches in values.items():
        if not 2 <= len(branches) <= _MAX_BRANCHES:
            continue
        every = frozenset().union(*(origin for _, origin in branches))
        for word, combine in (("sum", lambda a, b: a + b), ("product", lambda a, b: a * b)):
            if word in asks and gold.equals(functools.reduce(combine, (v for v, _ in branches))):
                what = f"the {word} of the values the trace solves {_name(u)} to is the gold answer"
                out.extend(_blame_roots("constraints", what, every, eqs, written))
        for value, origin in branches:
            if gold.equals(value):
                what = f"{_name(u)} = {_show(value)}, the gold answer, is a value the trace solves it to"
                out.extend(_blame_roots("constraints", what, origin, eqs, written))
            branch = solve(reading, constants={**unit, u: value})
            for w, k in branch.known.items():
                if gold.equals(k.value) and not _question_copy(w, k.value, reading, masked, question):
                    what = f"{_name(w)} = {_show(k.value)}, the gold answer, is computed"
                    what += f" where {_name(u)} = {_show(value)}"
                    out.extend(_blame_roots("constraints", what, k.origin | origin, eqs, written))
            # the question's form ("$m/n$ ... find $m+n$") written with the values the branch fixes: blamed
            # on the equations the branch's value came from (a reader solves them too), the form's instance
            # only where they have nothing to hide; not where those equations state the question's condition
            filled = _templates(question, masked, gold, reading, branch)
            if filled and not _states_the_question(origin, eqs, written, masked, question):
                what = f"the question's form is filled where {_name(u)} = {_show(value)}"
                out.extend(_blame_roots("constraints", what, origin, eqs, written) or filled)
        if out:
            return out
    return out


#: the question asks for the sum or the product of the values a letter takes
_ASKS_SUM = re.compile(
    r"\b(sum|product)\s+of\s+(?:all\s+)?(?:the\s+)?(?:[\w$]+\s+){0,3}?(?:values|solutions|roots|zeros)\b",
    re.I,
)
#: the blanks' stand-in values, two sets: a sum that is the same at both does not depend on them
_STAND_INS = ((Fraction(13, 7), Fraction(5, 3)), (Fraction(-29, 11), Fraction(41, 6)))


def _root_sums(
    reading: Reading, gold: Gold, masked: str, question: str, unit: dict[str, Value]
) -> list[Finding]:
    """Where the question asks for the sum (or the product) of the values of a letter: an equation of the
    trace, quadratic in that letter, whose roots' sum (product), by Vieta, is the same whatever its blanks
    hide. "$(5-a)^2=[N]$" gives a sum of 10 for every value of the blank; a reader needs neither the blank
    nor the roots. Not the question's own equation; an equation with no blank is :func:`_branches`'s.
    Blamed on the side that holds the letter (the repair hides one of its values)."""
    asked = {m.group(1).lower() for m in _ASKS_SUM.finditer(question)}
    if not asked:
        return []
    for eq in reading.equations[:MAX_EQUATIONS]:
        letters = [u for u in eq.unknowns if u.startswith("v:") and u not in unit]
        if len(letters) != 1 or len(eq.unknowns - unit.keys()) < 2:
            continue
        (u,) = letters
        found = {word: _vieta_values(eq, u, word, unit) for word in asked}
        for word, value in found.items():
            if value is not None and gold.equals(value) and not _question_whole(eq, masked, question):
                what = f"the {word} of the roots of {_clip(masked[eq.start : eq.end])} is the gold answer"
                sides = [sd for sd in (eq.left, eq.right) if u in sd.unknowns]
                return [_letter_group("constraints", what, masked, sd, u) for sd in sides]
    return []


_INNER_GROUP = re.compile(r"\(([^()]*)\)")


def _whole_bases(
    reading: Reading, sol: Solution, gold: Gold, masked: str, question: str, unit: dict[str, Value]
) -> list[tuple[str, Value, frozenset[int]]]:
    """A value equal to the gold that the equations fix once blank bases of powers are read as the whole
    numbers that alone fit (:mod:`._bases`): (unknown, value, origin). Not bases the question's own
    equation fixes."""
    eqs = reading.equations[:MAX_EQUATIONS]
    known = {**unit, **{u: k.value for u, k in sol.known.items()}}
    bases = {
        u: (v, i)
        for u, (v, i) in integer_bases(eqs, known).items()
        if not (
            _question_whole(eqs[i], masked, question)
            or question_writes(masked[eqs[i].start : eqs[i].end], question)
        )
    }
    if not bases:
        return []
    moved = frozenset(i for _, i in bases.values())
    again = solve(reading, constants={**unit, **{u: v for u, (v, _) in bases.items()}})
    for u, k in sorted(again.known.items(), key=lambda kv: kv[1].step):
        origin = k.origin | moved
        if (
            u not in sol.known
            and gold.equals(k.value)
            and not _question_copy(u, k.value, reading, masked, question)
            and not _from_question_computation(origin, eqs, masked, question)
        ):
            return [(u, k.value, origin)]
    return []


def _letter_group(attack: str, what: str, masked: str, side: Side, u: str) -> Finding:
    """A finding on the innermost bracket of ``side`` that holds the letter ``u`` beside a digit (the ``5-a``
    of ``4(5-a)^2``: the 4 scales every coefficient alike, the 5 makes the roots' sum), else on the side."""
    letter = re.compile(rf"(?<![A-Za-z\\]){re.escape(u[2:])}(?![A-Za-z])")
    for m in _INNER_GROUP.finditer(masked, side.start, side.end):
        if letter.search(m.group(1)) and any(c.isdigit() for c in m.group(1)):
            return Finding(attack, what, m.start(1), m.end(1))
    return Finding(attack, what, side.start, side.end)


def _vieta_values(eq: Equation, u: str, word: str, unit: dict[str, Value]) -> Fraction | None:
    """The sum (``word``) or product of the roots of ``eq``, quadratic in ``u``, when it is one plain value
    at every stand-in value of the blanks; else ``None``."""
    blanks = sorted(eq.unknowns - {u} - unit.keys())
    out: list[Fraction] = []
    for stand_in in _STAND_INS:
        env: dict[str, Value] = {**unit, **{b: stand_in[k % 2] + k for k, b in enumerate(blanks)}}
        abc = quadratic_coefficients(("-", eq.left.tree, eq.right.tree), u, env)
        if abc is None:
            return None
        a, b, c = abc
        out.append(-b / a if word == "sum" else c / a)
    return out[0] if out[0] == out[1] else None


def _question_whole(eq: Equation, masked: str, question: str) -> bool:
    """Is a side of ``eq`` with a variable a whole formula the question writes (spaces aside): between
    ``$``, ``=``, ``\\[`` / ``\\]`` or the text's ends, not a piece of one (the ``5-a`` of ``4(5-a)^2``)? A
    bare variable is no formula: every question that names ``$a$`` writes it."""
    q = re.sub(r"\s+", "", question)
    for side in (eq.left, eq.right):
        if (
            side.unknowns
            and side.tree[0] != "u"
            and (text := re.sub(r"\s+", "", masked[side.start : side.end]))
        ):
            pattern = rf"(?:^|(?<=[$=])|(?<=\\\[)){re.escape(text)}(?=$|[$=.,?]|\\\])"
            if re.search(pattern, q):
                return True
    return False


#: where a statement ends: a line, or a sentence (a full stop before a space, ``$x^2 + x - [N] = 0$. This
#: can be factored as $(x + [N])(x - 1) = 0$.``)
_STATEMENT_END = re.compile(r"\.?[ \t]*\n|\.(?=\s)")


def _rewritten(reading: Reading, sol: Solution, masked: str) -> dict[str, tuple[Value, frozenset[int]]]:
    """Blanks fixed because a line (or a sentence) rewrites the equation of the one before it in the same
    variables ("d + 7d - 3 = [N]", then "Combining like terms, we get [N]d - 3 = 45"; "$x^2 + x - [N] = 0$.
    This can be factored as $(x + [N])(x - 1) = 0$."): a reader takes the two for
    one equation moved around (both sides' difference is the same polynomial), matches coefficients, and
    reads both blanks (8 and 45). Only as an identity in the variables: a line that is another equation
    ("d + s = 45", then "s = 7d - 3") fixes nothing; a line divided through is not taken."""
    eqs = reading.equations[:MAX_EQUATIONS]
    if not reading.blanks or not any(u.startswith("v:") for eq in eqs for u in eq.unknowns):
        return {}
    ends = [m.end() for m in _STATEMENT_END.finditer(masked)]
    starts = [0, *ends]
    said = [k for k, a in enumerate(starts) if masked[a : ends[k] if k < len(ends) else None].strip()]
    rank = {k: n for n, k in enumerate(said)}  # statements with words: an empty line is none
    text_lines: dict[int, list[int]] = {}  # statement (a line, or a sentence of one) -> its equations
    for i, eq in enumerate(eqs):
        if eq.part or eq.left.tree[0] == "u" and eq.left.tree[1].startswith("note"):
            continue  # a pair of aligned terms, a calculator note's own chain: no line's equation
        if masked.rfind("<<", 0, eq.start + 1) > masked.rfind(">>", 0, eq.start + 1):
            continue  # inside a calculator note (``<<100=100>>``): its line's equation is the one around it
        k = bisect.bisect(ends, eq.start)
        text_lines.setdefault(rank.get(k, -1 - k), []).append(i)
    order = sorted(text_lines)
    env = {u: k.value for u, k in sol.known.items()}
    fixed: dict[str, tuple[Value, frozenset[int]]] = {}
    work = _Work(MAX_EVALUATIONS)
    try:
        for (ia, idef), ib in _substitutions(eqs, text_lines, order, said, starts, masked):
            # the definition put into each side gives that side as the later line writes it (a line that
            # moved the terms around is not read: its signs are a guess)
            b, sides = eqs[ib], _substituted(eqs[ia], eqs[idef])
            if sides is None or _solves_for_a_letter(b):
                continue
            origin = frozenset({ia, idef, ib})
            for pairs in (
                ((sides[0], b.left), (sides[1], b.right)),
                ((sides[0], b.right), (sides[1], b.left)),
            ):
                # side by side as written, else the two sides swapped ("[N] = 3f + f")
                lettered = [(x, y) for x, y in pairs if _has_letter(x) or _has_letter(y)]
                found = [_one_expression(x, y, env, work) for x, y in lettered]
                if not lettered or None in found:
                    continue  # a side in letters is not the earlier one's
                for fixes in found:
                    _record(fixes or [], origin, env, fixed)
                for x, y in pairs:  # a side without letters carried over whole (the 60 of `s + f = 60`)
                    if (x, y) not in lettered:
                        _record(_one_expression(x, y, env, work, letters=False) or [], origin, env, fixed)
                break
        for line, next_line in zip(order, order[1:], strict=False):
            if next_line != line + 1 or len(text_lines[line]) != 1:
                continue
            (ia,) = text_lines[line]
            a = eqs[ia]
            k = said[next_line]
            for ib in text_lines[next_line]:  # the division may follow "n = [N] because" on its line
                for one, other in _divided_out(
                    a, eqs[ib], masked[starts[k] : ends[k] if k < len(ends) else None]
                ):
                    for lone, tree in ((one, other), (other, one)):
                        if lone[0] != "u" or lone[1].startswith("v:") or lone[1] in env:
                            continue
                        work.spend()
                        try:
                            v = evaluate(tree, env)
                        except Undefined:
                            continue  # the other side is a blank nothing fixed: no value to carry over
                        if finite(v):
                            env[lone[1]] = v
                            fixed[lone[1]] = (v, frozenset({ia, ib}))
                            break
            if len(text_lines[next_line]) != 1:
                continue  # the rewrites below compare one line's equation with the next one's
            (ib,) = text_lines[next_line]
            left = Side(("-", a.left.tree, a.right.tree), a.unknowns, a.start, a.end)
            _match_rewrite(left, eqs[ib], frozenset({ia, ib}), env, fixed, work)
    except Undefined:
        pass
    return fixed


def _match_rewrite(
    left: Side,
    b: Equation,
    origin: frozenset[int],
    env: dict[str, Value],
    fixed: dict[str, tuple[Value, frozenset[int]]],
    work: _Work,
) -> None:
    """The blanks ``b`` and ``left`` (an equation's left minus right side) fix as one equation moved around
    (an identity in their letters), written into ``env`` and ``fixed`` with ``origin``."""
    if _solves_for_a_letter(b):
        return  # "[N]x = [N]", then "x = 98": solving divides through as often as it moves terms
    _record(_one_expression(left, _moved(b.left, b.right), env, work) or [], origin, env, fixed)


def _moved(left: Side, right: Side) -> Side:
    """An equation's two sides as one: left minus right."""
    return Side(("-", left.tree, right.tree), left.unknowns | right.unknowns, left.start, right.end)


def _one_expression(
    left: Side, right: Side, env: dict[str, Value], work: _Work, letters: bool = True
) -> list[tuple[str, Value]] | None:
    """The blanks ``left`` and ``right`` fix where they are one expression written twice, for every value
    of the same letters (``letters=False`` lets both have none): ``[]`` where they are one and no blank is
    left, ``None`` where they are not (or it cannot be told: more than three blanks or letters)."""
    variables = sorted(u for u in left.unknowns if u.startswith("v:"))
    if (letters and not variables) or variables != sorted(u for u in right.unknowns if u.startswith("v:")):
        return None
    blanks = sorted(u for u in left.unknowns | right.unknowns if not u.startswith("v:") and u not in env)
    if len(blanks) > 3 or len(variables) > 3:
        return None
    moved = Equation(left, right)
    if not blanks:
        return [] if _holds_everywhere(moved, variables, env, work) else None
    if len(blanks) == 1:
        value = _identity_value(moved, blanks[0], variables, env, work)
        return [(blanks[0], value)] if value is not None else None
    return _identity_system(moved, blanks, variables, env, work) or None


def _holds_everywhere(eq: Equation, variables: list[str], env: dict[str, Value], work: _Work) -> bool:
    """Whether ``eq`` (no blank left) holds at every identity point of ``variables``."""
    for point in _identity_points(variables):
        work.spend()
        try:
            left, right = evaluate(eq.left.tree, {**env, **point}), evaluate(eq.right.tree, {**env, **point})
        except Undefined:
            return False
        if not values_equal(left, right):
            return False
    return True


def _record(
    found: list[tuple[str, Value]],
    origin: frozenset[int],
    env: dict[str, Value],
    fixed: dict[str, tuple[Value, frozenset[int]]],
) -> None:
    """Write what a rewrite fixed into ``env`` and ``fixed`` with ``origin``."""
    for u, value in found:
        env[u] = value
        fixed[u] = (value, origin)


#: a statement that puts one equation into another ("Substituting the first equation into the second
#: produces", "Replacing c gives", "Plugging this in, we get")
_SUBSTITUTING = re.compile(r"(?i)\b(?:substitut|replac|plug)\w*")
#: the equations before the word a substitution is read from (the nearest), and the ones after it it gives
_SUBSTITUTION_SOURCES = 6
_SUBSTITUTION_TARGETS = 3


def _substitutions(
    eqs: list[Equation],
    text_lines: dict[int, list[int]],
    order: list[int],
    said: list[int],
    starts: list[int],
    masked: str,
) -> Iterator[tuple[tuple[int, int], int]]:
    """((an equation, a definition), the equation written after putting the definition in) for each
    statement that says it substitutes: its equations after the word, each against the ordered pairs of
    the equations before it, in it and in the statement before (``s = [N]f and s + f = 60.``, then
    "Substituting the first equation into the second equation produces $3f + f = [N]$")."""
    for n, line in enumerate(order):
        at = starts[said[line]] if line >= 0 else None
        if at is None:
            continue
        words = _SUBSTITUTING.search(masked, at, eqs[text_lines[line][-1]].start)
        if words is None:
            continue
        before = text_lines[order[n - 1]] if n and order[n - 1] == line - 1 else []
        sources = [*before, *(i for i in text_lines[line] if eqs[i].end <= words.start())]
        sources = sources[-_SUBSTITUTION_SOURCES:]  # the equations nearest the word
        after = [i for i in text_lines[line] if eqs[i].start >= words.end()][:_SUBSTITUTION_TARGETS]
        for ib in after:
            yield from ((pair, ib) for pair in itertools.permutations(sources, 2))


def _substituted(a: Equation, d: Equation) -> tuple[Side, Side] | None:
    """``a``'s two sides with the letter ``d`` defines (a lone letter on one side of it, not on the other:
    ``s = [N]f``) written as its definition; ``None`` where ``d`` defines no letter of ``a``."""
    for lone, other in ((d.left, d.right), (d.right, d.left)):
        u = lone.tree[1] if lone.tree[0] == "u" else ""
        if u.startswith("v:") and u in a.unknowns and u not in other.unknowns:
            return (_put_in(a.left, u, other), _put_in(a.right, u, other))
    return None


def _put_in(side: Side, u: str, definition: Side) -> Side:
    """``side`` with the letter ``u`` written as ``definition``."""
    if u not in side.unknowns:
        return side
    tree = substitute(side.tree, u, definition.tree)
    return Side(tree, (side.unknowns - {u}) | definition.unknowns, side.start, side.end)


#: a piece of text that may write an expression in letters: numbers, one-letter words, operators
_LETTER_TOKEN = r"(?:\d++(?:\.\d++)?|(?<![A-Za-z'])[A-Za-z](?![A-Za-z'])|[-+*/^()])"
#: the longest plain-text expression read for :func:`_letters_put_in` (a reader's "D+5", "2(4x-7)")
_LONGEST_PUT_IN = 200
_LETTER_RUN = re.compile(rf"{_LETTER_TOKEN}(?:[ \t]*+{_LETTER_TOKEN})*+")  # possessive: linear on any run


def _letters_put_in(
    masked: str, sol: Solution, gold: Gold, unit: dict[str, Value]
) -> list[tuple[str, frozenset[int]]]:
    """Expressions a plain-text trace writes outside any equation ("The entree costs D+5 dollars", "Carla
    won 2*x") in letters the equations fix, whose value is the gold: a reader puts the values in. Each as
    (its text, the equations that fixed its letters)."""
    letters = {u[2:]: k for u, k in sol.known.items() if u.startswith("v:") and len(u) == 3}
    if not letters or _math_ranges(masked).starts:
        return []  # in LaTeX, what math mode writes is read as sides of the equations already
    out = []
    for m in _LETTER_RUN.finditer(masked):
        if m.end() < len(masked) and (masked[m.end()].isalnum() or masked[m.end()] in "_\\"):
            continue  # cut short by a word ("2rs"): no expression of its own
        text = m.group().strip(" ")
        if len(text) > _LONGEST_PUT_IN:
            continue
        text = text.strip("(") if text.count("(") > text.count(")") else text
        text = text.rstrip(")") if text.count(")") > text.count("(") else text
        words = re.findall(r"[A-Za-z]", text)
        if not words or not set(words) <= letters.keys() or not re.search(r"[-+*/^(]|\d[A-Za-z]", text):
            continue
        tree = read_expression(text)
        if tree is None:
            continue
        try:
            value = evaluate(tree, {**unit, **{f"v:{w}": letters[w].value for w in words}})
        except Undefined:
            continue
        if gold.equals(value):
            origin = frozenset().union(*(letters[w].origin for w in words))
            out.append((text, origin))
    return out


def _roots_put_in(
    reading: Reading, sol: Solution, gold: Gold, masked: str, question: str, unit: dict[str, Value]
) -> list[tuple[str, frozenset[int]]]:
    """:func:`_letters_put_in` for LaTeX, with the roots a reader tries: an expression in letters the
    equations fix or give two roots, a side of an equation or a math segment alone, written in the trace,
    whose value is the gold for one reading of the roots. "Call the integers $n-1$, $n$, and $n+1$" beside
    ``(n-1)(n+1)=24``: ``n`` is 5 or -5, and ``n+1`` is 6, the gold, at 5; "Equality occurs when $x =
    -\\frac{7}{8}$" beside ``x^2 + y^2 = 1`` and the expression ``|1 + x + yi| + \\dots``: at ``x`` and
    either ``y``. Each reading is consistent: letters the solver left open at each of their roots (every
    combination, up to :data:`_MAX_COMBINATIONS`), and a letter it fixed at another root of its own, the
    equations solved again from there (the greedy solver may have fixed it from a line a reader passes by).
    Not a lone letter or value (the solver's and visible_value's), no side with a blank, no side set equal
    to a visible value (``W^2 = 25``: the reader reads the 25), nor roots of an equation the question writes
    (solving it is the task). Each as (its text, the equations that gave the letters their values)."""
    eqs = reading.equations
    roots: dict[str, tuple[list[Value], frozenset[int]]] = {}
    for u, found, origin in sol.candidates:
        if u.startswith("v:") and not _question_equation(u, origin, eqs, masked, question):
            known, was = roots.get(u, ([], frozenset()))
            known.extend(r for r in found if not any(values_equal(r, v) for v in known))
            roots[u] = (known, was | origin)
    if not roots:
        return []  # fixed letters alone: the sides are _visible_sides', the plain text _letters_put_in's
    readings = _root_readings(reading, sol, roots, unit)
    read_off = {
        (side.start, side.end)
        for eq in eqs
        for side, other in ((eq.left, eq.right), (eq.right, eq.left))
        if not other.unknowns
    }
    items = [(side.tree, side.start, side.end) for side in reading.sides]
    items += lone_expressions(masked, letters=True)
    out = []
    seen: set[tuple[int, int]] = set()
    for tree, start, end in items:
        if (start, end) in seen or (start, end) in read_off or tree[0] in ("n", "u", "c"):
            continue
        seen.add((start, end))
        letters = [u for u in tree_unknowns(tree) if u not in unit]
        if not letters or not any(u in roots for u in letters):
            continue
        for env, provenance in readings:
            if not all(u in env for u in letters):
                continue
            try:
                value = evaluate(tree, {**unit, **env})
            except Undefined:
                continue
            if gold.equals(value):
                out.append((masked[start:end], frozenset().union(*(provenance[u] for u in letters))))
                break
    return out


def _reading_holds(eqs: list[Equation], env: dict[str, Value]) -> bool:
    """Whether every visible equation in letters alone (no blank) that ``env`` assigns holds there
    (``x^2 = 9``, ``y^2 = 9`` and ``xy = -9``: x = y = 3 is no reading)."""
    for eq in eqs:
        if eq.unknowns and eq.unknowns <= env.keys() and all(u.startswith("v:") for u in eq.unknowns):
            try:
                if not values_equal(evaluate(eq.left.tree, env), evaluate(eq.right.tree, env)):
                    return False
            except Undefined:
                continue
    return True


#: the most readings of the roots :func:`_roots_put_in` tries
_MAX_COMBINATIONS = 8


def _root_readings(
    reading: Reading,
    sol: Solution,
    roots: dict[str, tuple[list[Value], frozenset[int]]],
    unit: dict[str, Value],
) -> list[tuple[dict[str, Value], dict[str, frozenset[int]]]]:
    """The consistent readings :func:`_roots_put_in` tries: (each letter's value, its provenance)."""
    known = {u: k.value for u, k in sol.known.items()}
    origin = {u: k.origin for u, k in sol.known.items()}
    open_ = sorted(u for u in roots if u not in known)
    out = []
    for combo in itertools.islice(itertools.product(*(roots[u][0] for u in open_)), _MAX_COMBINATIONS):
        env = {**known, **dict(zip(open_, combo, strict=True))}
        if len(open_) > 1 and not _reading_holds(reading.equations, {**unit, **env}):
            continue  # the open letters' roots taken together must satisfy the visible equations
        out.append((env, {**origin, **{u: roots[u][1] for u in open_}}))
    for u in sorted(u for u in roots if u in known):
        for r in roots[u][0]:
            if len(out) >= _MAX_COMBINATIONS:
                return out
            if values_equal(r, known[u]):
                continue
            again = solve(reading, constants={**unit, u: r})
            moved = roots[u][1]
            out.append(
                (
                    {**{w: k.value for w, k in again.known.items()}, u: r},
                    {**{w: k.origin | moved for w, k in again.known.items()}, u: moved},
                )
            )
    return out


def _divided_out(a: Equation, b: Equation, said: str) -> list[tuple[tuple, tuple]]:
    """ "[N]n = [N]", then "the value of n ... is 120/[N]": a reader takes the division for the one that
    solves the line before (n = C / A) and reads its operands as that line's sides, so the pairs (numerator,
    C) and (denominator, A) are one value each. Only where the later statement names the letter (not the
    article "a" or "I") and the division has no letter."""
    for bare, other in ((a.left, a.right), (a.right, a.left)):
        t = bare.tree
        if t[0] != "*" or any(u.startswith("v:") for u in other.unknowns):
            continue
        letters = [x for x in t[1:] if x[0] == "u" and x[1].startswith("v:")]
        if len(letters) != 1 or letters[0][1][2:] in ("a", "A", "I"):
            continue
        coef = t[2] if t[1] == letters[0] else t[1]
        if any(u.startswith("v:") for u in tree_unknowns(coef)):
            continue
        if not re.search(rf"(?<![A-Za-z]){re.escape(letters[0][1][2:])}(?![A-Za-z])", said):
            return []
        for side in (b.left, b.right):
            if side.tree[0] == "/" and not any(u.startswith("v:") for u in side.unknowns):
                return [(side.tree[1], other.tree), (side.tree[2], coef)]
        return []
    return []


def _sum_divided(reading: Reading, masked: str, gold: Gold) -> list[Finding]:
    """A line sums one letter with visible coefficients ("x + 2x = [NUMBER]x = 1 hour"); a later line writes
    the letter's coefficient as a blank against a visible number ("Thus [NUMBER]x = 60 minutes"), or divides
    a visible number by a blank on a line that names the letter ("Thus x = 60/[NUMBER]"): a reader takes the
    blank for the sum's coefficient (3), whatever the lines between say in other units, and the visible
    number over it is the letter. Where that is the gold, blamed on the visible number's side."""
    eqs = reading.equations
    for i, eq in enumerate(eqs):
        for side in (eq.left, eq.right):
            letters = [u for u in side.unknowns if u.startswith("v:")]
            if len(letters) != 1 or side.unknowns != {letters[0]} or side.tree[0] != "+":
                continue
            letter = letters[0]
            try:  # a sum of the letter with visible coefficients: linear, through 0
                one = evaluate(side.tree, {letter: Fraction(1)})
                two = evaluate(side.tree, {letter: Fraction(2)})
            except Undefined:
                continue
            if not (isinstance(one, Fraction) and two == 2 * one and one != 0):
                continue
            line_end = masked.find("\n", eq.end)
            for later in eqs[i + 1 :] if line_end >= 0 else ():
                if later.start <= line_end:
                    continue
                hit = _over_coefficient(later, letter, masked)
                if hit is not None and gold.equals(hit[0] / one):
                    what = f"{_clip(masked[later.start : later.end])} with the sum's coefficient {_show(one)}"
                    return [Finding("constraints", what, hit[1].start, hit[1].end)]
    return []


def _over_coefficient(eq: Equation, letter: str, masked: str) -> tuple[Fraction, Side] | None:
    """``[N]x = 60`` or ``60 = [N]x``: (60, its side); ``x = 60/[N]`` or ``60/[N]`` on a line that names
    the letter: (60, the division's side); else ``None``."""
    for one, other in ((eq.left, eq.right), (eq.right, eq.left)):
        t = one.tree
        if (
            t[0] == "*"
            and {t[1], t[2]} & {("u", letter)}
            and any(x[0] == "u" and not x[1].startswith("v:") for x in (t[1], t[2]))
            and other.tree[0] == "n"
            and isinstance(other.tree[1], Fraction)
        ):
            return other.tree[1], other
        if t[0] == "/" and t[1][0] == "n" and t[2][0] == "u" and not t[2][1].startswith("v:"):
            line = masked[masked.rfind("\n", 0, one.start) + 1 : one.start]
            if re.search(rf"(?<![A-Za-z]){re.escape(letter[2:])}(?![A-Za-z])", line):
                return t[1][1], one
    return None


def _solves_for_a_letter(eq: Equation) -> bool:
    """``x = 98``, ``x = <<[N]=[N]>>``: a letter alone against a side with no letter."""
    return any(
        one.tree[0] == "u"
        and one.tree[1].startswith("v:")
        and not any(u.startswith("v:") for u in other.unknowns)
        for one, other in ((eq.left, eq.right), (eq.right, eq.left))
    )


#: a question about complex numbers: its ``i`` is the imaginary unit
_COMPLEX_QUESTION = re.compile(r"\bcomplex\b|\bimaginary\b", re.I)


def _imaginary_unit(question: str, gold: Gold, reading: Reading) -> dict[str, Value]:
    """``{"v:i": 1j}`` when the row is about complex numbers (its gold is one, ``1 - 12i``, or its question
    says "complex" or "imaginary") and an equation uses ``i``: there ``i`` is sqrt(-1), no unknown, so
    ``z - (-4 - 5i) = (-i)(3 - (-4 - 5i))`` fixes ``z``; else nothing (``i`` an index or a variable)."""
    if gold.as_complex is None and not _COMPLEX_QUESTION.search(question):
        return {}
    if not any("v:i" in eq.unknowns for eq in reading.equations):
        return {}
    return {"v:i": 1j}


def _question_equation(
    u: str, origin: frozenset[int], eqs: list[Equation], masked: str, question: str
) -> bool:
    """Did ``u``'s roots come from an equation the question writes: every side with ``u`` in an equation of
    ``origin`` is the question's own text (spaces aside), every other side visible."""
    q = re.sub(r"\s+", "", question)
    sides = [sd for j in origin for sd in (eqs[j].left, eqs[j].right) if u in eqs[j].unknowns]
    return bool(sides) and all(
        (re.sub(r"\s+", "", masked[sd.start : sd.end]) in q) if u in sd.unknowns else not sd.unknowns
        for sd in sides
    )


#: what a trace must show for :func:`_system` to read it again with named unknowns: LaTeX, a segment's name,
#: a function applied to a variable (plain GSM8K prose with calculator notes never pays for it)
_NAMED_HINT = re.compile(r"\\|\$[^$]*?(?<![A-Za-z])[A-Z]{2,3}(?![A-Za-z])|(?<![A-Za-z])[A-Za-z]\([a-z]\)")


def _system(masked: str, gold: Gold, question: str = "") -> list[Finding]:
    """:func:`_system_on` the trace with each setting's application written in ("Setting $x = 11$, we have
    $181 = P(11) = 1 + [NUMBER]k$", :mod:`._substituted`), its findings placed back on the trace; the trace
    as written when that reading finds nothing."""
    text, inserts = with_applications(masked, _solvable)
    found = [
        replace(f, start=s, end=e)
        for f in (_system_on(text, gold, question) if inserts else [])
        for s, e in [original_span(f.start, f.end, inserts)]
    ]
    return found or _system_on(masked, gold, question)  # what the reading as written finds stays found


def _solvable(rows: list[tuple[dict[str, Fraction], Value, frozenset[int]]]) -> bool:
    """Whether the rows (linear in their unknowns) have a solution, by :func:`_eliminate` (strict)."""
    try:
        return _eliminate(rows, _Work(MAX_EVALUATIONS), strict=True) is not None
    except Undefined:
        return False


def _system_on(masked: str, gold: Gold, question: str = "") -> list[Finding]:
    """The ``system`` attack: the visible equations with named quantities as unknowns
    (:func:`smepo_data.math._equations.read_named`), solved together. A named quantity they fix to the gold
    leaks (``-2y - [N] = 5`` beside the dot product that fixes the blank), and so does an expression the
    trace shows whose value they fix to the gold (``\\sqrt{DF^2 - EF^2}`` once ``0.7 = \\frac{7}{DF}``
    and ``\\sin D = \\frac{EF}{DF}``; ``r(x) = ax+b`` once ``a`` and ``b`` are; ``p(0) + p(4)`` by the
    trace's own ``p(x)``), or an expression the question asks for (``What is $a+b$?``,
    :func:`_question_asks`). Blamed on the equation that fixed the last quantity it needs (or the
    definition it applies), where the repair hides one value."""
    vector = gold.value is None and len(gold.components) >= 2
    if (gold.value is None and not vector) or "=" not in masked or not _NAMED_HINT.search(masked):
        return []
    if vector and "matrix}" not in masked:
        return []
    reading = read_named(masked)
    if not reading.equations:
        return []
    fractions = blank_ratios(reading)
    # a fraction of two blanks is one value to a reader (:mod:`._ratios`): read so only where the blanks
    # read apart find nothing
    found = _system_solved(reading, masked, gold, question, vector)
    if not found and fractions is not reading:
        found = _system_solved(fractions, masked, gold, question, vector)
    return found


def _system_solved(reading: Reading, masked: str, gold: Gold, question: str, vector: bool) -> list[Finding]:
    """:func:`_system_on` on one reading of the trace."""
    written = reading.equations
    reading.equations = _single_valued(written)
    # a reader does not check every equation first (z^5 = -1: z is -1); a smaller work budget than the plain
    # reading's: the named one runs on every row with LaTeX that the plain one finds nothing in
    sol = solve(reading, peel=False, limit=SYSTEM_EVALUATIONS)
    if not _consistent(reading, sol):  # x = 1 against 0 = x^2 + 9x + 20: "x = [N] or x = 1" were cases
        reading.equations = _single_valued(written, blanks=True)
        sol = solve(reading, peel=False, limit=SYSTEM_EVALUATIONS)
    eqs = reading.equations
    if vector:
        return _gold_vector(reading, sol, gold, masked, eqs)
    for u, k in sorted(sol.known.items(), key=lambda kv: kv[1].step):
        if u.startswith("v:") and gold.equals(k.value):
            return _determining(
                f"{u[2:]} = {_show(k.value)}, the gold answer, is fixed by the equations", k, eqs
            )
    for u, roots, origin in sol.candidates:  # x = [N] or x = 1 (cases) and x^2 + [N]x - 4 = (x + [N])(x - 1)
        hit = u.startswith("v:") and any(gold.equals(r) for r in roots)
        if hit and not _question_equation(u, origin, eqs, masked, question):
            what = f"{u[2:]} is one of {', '.join(map(_show, roots))}, the gold among them"
            return _blame_roots("system", what, origin, eqs)
    env = {u: k.value for u, k in sol.known.items()}
    work = _Work(MAX_EVALUATIONS)
    try:
        for side, value, used, definition in _gold_sides(
            reading.sides, reading.expanded, sol, env, gold, work
        ):
            what = f"{_clip(masked[side.start : side.end])} is {_show(value)}, the gold, by the equations"
            if used:
                return _determining(what, max(used, key=lambda k: k.step), eqs)
            assert definition is not None
            return [Finding("system", what + " (the trace's own definition)", *definition)]
        return (
            _question_asks(question, masked, sol, env, gold, eqs, work)
            or _at_equality(reading, masked, gold, question)
            or _question_function(question, masked, gold, sol, work)
        )
    except Undefined:
        return []


def _gold_vector(
    reading: Reading, sol: Solution, gold: Gold, masked: str, eqs: list[Equation]
) -> list[Finding]:
    """A column vector the trace works out whose components the equations fix to the gold's, in order:
    ``2 \\begin{pmatrix} -[EXPR] \\\\ -\\frac{3}{[NUMBER]} \\end{pmatrix} - \\begin{pmatrix} -2 \\\\ 3
    \\end{pmatrix}`` once ``\\frac{-3}{[NUMBER]} \\begin{pmatrix} 3 \\\\ 1 \\end{pmatrix}`` beside the visible
    projection fixes the blanks (the vector gold has no ``value``: its components are compared). Blamed on the
    equation that fixed the last blank it needs; a vector of visible values only, on itself."""
    env = {u: k.value for u, k in sol.known.items()}
    work = _Work(MAX_EVALUATIONS)
    try:
        for side in reading.vectors:
            comps = side.tree[1]
            if len(comps) != len(gold.components) or not side.unknowns <= env.keys():
                continue
            values = [_constant_value(c, [], env, work) for c in comps]
            pairs = zip(values, gold.components, strict=True)
            if not all(v is not None and values_equal(v, g) for v, g in pairs):
                continue
            what = f"{_clip(masked[side.start : side.end])} is the gold vector, by the equations"
            used = [sol.known[u] for u in side.unknowns]
            if used:
                return _determining(what, max(used, key=lambda k: k.step), eqs)
            return [Finding("system", what, side.start, side.end)]
    except Undefined:
        pass
    return []


#: a function the question defines: ``f(x) = 3x^4 + 5x^2 - 9x - 2``
_DEFINES = re.compile(r"(?<![A-Za-z\\])([A-Za-z])\(\s*[a-z]\s*\)\s*=")


def _question_function(question: str, masked: str, gold: Gold, sol: Solution, work: _Work) -> list[Finding]:
    """A function the question defines, applied in the trace at an argument the trace gives, is the gold:
    "$g(1)=f(1-1)=f(0)$" under the question's ``f(x)=3x^4+5x^2-9x-2`` is -2, the constant term. Not an
    application the question writes (``f(2)`` for "Find $f(2)$"), nor one whose every argument is a value
    the question gives (``f(3)`` for "If $x = 3$"): evaluating the question's own expression is the task.
    An argument the trace computes is the trace's, even from question values alone (``1-1``). Read with the
    question's definitions after the trace (:func:`smepo_data.math._equations.read_named`); blamed on the
    application, where the repair hides a value of its argument."""
    letters = {m.group(1) for m in _DEFINES.finditer(question)}
    if not letters or not any(re.search(rf"(?<![A-Za-z\\]){f}\(", masked) for f in letters):
        return []  # the trace applies none of the question's functions
    base = len(masked) + 2
    reading = read_named(masked + "\n\n" + question)
    plain = _SPACE.sub("", question)
    # the values the question gives (an exponent, ``x^{3}``, is none: ``f(3)`` at a 3 the trace found is not
    # the question's)
    given = frozenset(
        value_key(v) for a in scan_cached(question).atoms if a.role == "value" for v in a.values
    )
    sides = [s for s in reading.sides if s.end <= len(masked) and s.start in reading.expanded]
    for side, value, _, definition in _gold_sides(
        sides, reading.expanded, sol, {u: k.value for u, k in sol.known.items()}, gold, work, applied=True
    ):
        text = masked[side.start : side.end]
        if definition is None or definition[0] < base or _SPACE.sub("", text) in plain:
            continue  # the trace's own definition is the system attack's; the question's application
        args = list(_arguments(text, letters))
        if args and all(not _BARE.fullmatch(a.strip()) and _SPACE.sub("", a) in plain for a in args):
            continue  # every argument a computation the question writes so (``x = 2^3``, ``x = \frac{1}{2}``)
        if all(value_key(v) in given for v in values_in(text)) and not _computes_argument(
            text, letters, question, given
        ):
            continue  # the question's function at the question's values: the task
        what = f"{_clip(text)} is {_show(value)}, the gold, by the question's definition"
        return [Finding("system", what, side.start, side.end)]
    return []


def _computes_argument(text: str, letters: set[str], question: str, given: frozenset[str]) -> bool:
    """Whether an argument at which ``text`` applies one of the functions ``letters`` is a computation of the
    trace's: an operation on two values or more (``f(1-1)``, ``g(2 \\cdot 3)``) that the question does not
    write (``x = 1/2``), whose value it does not give (``x = 3`` beside ``f(1+2)``) and that is not its own
    definition at an argument it asks for (``f(-3+3)`` for "If $h(x)=f(x+3)$, what is $h(-3)$?")."""
    asked = spaceless(question)
    for arg in _arguments(text, letters):
        if len(values_in(arg)) < 2 or not _OPERATION.search(arg.lstrip(" -")) or spaceless(arg) in asked:
            continue
        tree = read_expression(arg)
        try:
            value = evaluate(tree, {}) if tree is not None and not tree_unknowns(tree) else None
        except Undefined:
            value = None
        if value is not None and (
            value_key(value) in given or value_key(value) in _question_arguments(question)
        ):
            continue
        return True
    return False


def _arguments(text: str, letters: Iterable[str]) -> Iterator[str]:
    """The arguments ``text`` applies the functions ``letters`` at, each as written."""
    for m in re.finditer(r"(?<![A-Za-z\\])([A-Za-z])\(", text):
        if m.group(1) not in letters:
            continue
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        yield text[m.end() : j - 1]


#: a definition the question writes: ``h(x)=f(x+3)`` (the function, its variable, its body)
_DEFINITION = re.compile(r"(?<![A-Za-z\\])([A-Za-z])\(\s*([a-z])\s*\)\s*=\s*([^$=,;]{1,120})")
#: an application at a number the question writes: ``h(-3)``
_APPLIED_AT = re.compile(r"(?<![A-Za-z\\])([A-Za-z])\(\s*(-?\d{1,30}(?:\.\d{1,30})?)\s*\)")


@lru_cache(maxsize=256)
def _question_arguments(question: str) -> frozenset[str]:
    """The values (as keys) of the arguments the question's own definitions apply a function at, for an
    argument the question asks about: "If $h(x)=f(x+3)$, what is $h(-3)$?" applies ``f`` at 0."""
    at: dict[str, list[Fraction]] = {}
    for m in _APPLIED_AT.finditer(question):
        at.setdefault(m.group(1), []).append(Fraction(m.group(2)))
    out: set[str] = set()
    for d in _DEFINITION.finditer(question):
        name, var, body = d.groups()
        for a in at.get(name, ()):
            for inner in _arguments(body, {c for c in body if c.isalpha()}):
                tree = read_expression(inner)
                try:
                    if tree is not None and tree_unknowns(tree) <= {f"v:{var}"}:
                        out.add(value_key(evaluate(tree, {f"v:{var}": a})))
                except Undefined:
                    continue
    return frozenset(out)


#: an argument that is one numeral (read by the question's values, not by its text)
_BARE = re.compile(r"-?\d+(?:\.\d+)?")
#: an operation between values of an argument (``1-1``, ``2\cdot 3``)
_OPERATION = re.compile(r"[-+*/^]|\\(?:cdot|times|div)(?![A-Za-z])")


#: the most groups of letters set equal that :func:`_at_equality` reads
_MAX_GROUPS = 6


def _try_value(k: int, j: int) -> Fraction:
    """The value the ``k``-th try gives the ``j``-th group of equal letters: unlike across groups, tries."""
    return Fraction(7 + 4 * j + 3 * k * (j + 1), 3 + 2 * k)


def _equated(eq: Equation) -> tuple[str, str] | None:
    """The two letters ``eq`` sets equal: ``a = b``, or ``a - b = 0``."""
    a, b = eq.left.tree, eq.right.tree
    if b == ("n", Fraction(0)) and a[0] == "-":
        a, b = a[1], a[2]
    elif a == ("n", Fraction(0)) and b[0] == "-":
        a, b = b[1], b[2]
    if a[0] == b[0] == "u" and a[1] != b[1] and a[1][:2] == b[1][:2] == "v:":
        return a[1], b[1]
    return None


def _at_equality(reading: Reading, masked: str, gold: Gold, question: str) -> list[Finding]:
    """The ``equality`` attack: an expression the trace shows that is one value wherever the letters the
    trace sets equal are equal. "Equality occurs when $a = b = c = d$" beside ``(a + b + c + d)(\\frac{1}{a}
    + \\dots + \\frac{1}{d})`` gives 16, whatever ``a`` is: a reader puts one letter for all and the
    expression simplifies to a number. Only letters the trace itself equates (``a = b`` or ``a - b = 0``,
    not written so in the question), up to :data:`_MAX_GROUPS` groups, each tried at three unlike values.
    Blamed on each equation that sets letters of the expression equal (the repair hides each whole)."""
    group: dict[str, str] = {}  # a letter -> a letter set equal to it (union-find)
    spans: list[tuple[str, int, int]] = []  # each equating equation: a letter of it, where it is
    asked = _SPACE.sub("", question)  # "Let $x = y = z$": the question's own case is the task's

    def root(u: str) -> str:
        while group[u] != u:
            u = group[u]
        return u

    for eq in reading.equations:
        pair = _equated(eq)
        if pair and _SPACE.sub("", masked[eq.start : eq.end]) not in asked:
            for u in pair:
                group.setdefault(u, u)
            group[root(pair[0])] = root(pair[1])
            spans.append((pair[0], eq.start, eq.end))
    if not group:
        return []
    for side in reading.sides:
        letters = sorted(side.unknowns)
        roots = sorted({root(u) for u in letters}) if set(letters) <= group.keys() else []
        if len(letters) < 2 or not 1 <= len(roots) <= _MAX_GROUPS:
            continue  # a blank, a letter no equation equates, or a lone letter: no value to read
        values: list[Value] = []
        try:
            for k in range(3):
                at = {r: _try_value(k, j) for j, r in enumerate(roots)}
                values.append(evaluate(side.tree, {u: at[root(u)] for u in letters}))
        except (Undefined, ArithmeticError):
            continue
        if all(values_equal(values[0], v) for v in values[1:]) and gold.equals(values[0]):
            what = f"{_clip(masked[side.start : side.end])} is {_show(values[0])}, the gold, where "
            where = sorted({(s, e) for u, s, e in spans if root(u) in roots})
            return [Finding("equality", what + masked[s:e], s, e) for s, e in where]
    return []


#: a math segment of the question (``$a+b$``, ``\\[\\frac{(x + 5)(x + 2)}{x + 1}\\]``); one with no relation
#: in it is an expression it may ask for
_QUESTION_MATH = re.compile(
    r"\$\$(.+?)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]",
    re.S,
)
_RELATION = re.compile(r"[=<>]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|equiv|approx)(?![a-zA-Z])")


def _question_asks(
    question: str,
    masked: str,
    sol: Solution,
    env: dict[str, Value],
    gold: Gold,
    eqs: list[Equation],
    work: _Work,
) -> list[Finding]:
    """An expression the question writes (``What is $a+b$?``, ``find $p(1)$``) whose value the trace's
    equations fix to the gold: the last step is the question's, its operands the trace's (``a = -3``,
    ``b = 2``). Read as the trace's reader reads it (the trace's definitions apply), after the trace; it
    must rest on a value the trace itself fixes (not the question's own ``x = 2`` copied) or on a function
    the trace defines. Blamed like the trace's own expressions: on the equation that fixed an operand."""
    segments = (next(g for g in m.groups() if g is not None) for m in _QUESTION_MATH.finditer(question))
    asked = [a for a in segments if a.strip() and not _RELATION.search(a)]
    if not asked or masked.count("$") % 2:
        return []
    text = masked + "\n\n" + " ".join(f"${a}$" for a in asked)
    if not any(u.startswith("v:") for u in sol.known) and applies_no_function(text):
        # no side can rest on a named quantity the trace fixed, nor on a definition it applies (none is
        # read): _gold_sides yields nothing, whatever the reading below, which is then not made
        return []
    # what the question's own equations fix ("If $x = 2$, ..."): evaluating over those is the task itself
    given = _question_fixes(question) if "=" in question else {}
    plain = _SPACE.sub("", question)
    base = len(masked) + 2
    reading = read_named(text)
    sides = [side for side in reading.sides if side.start >= base]
    for side, value, used, definition in _gold_sides(
        sides, reading.expanded, sol, env, gold, work, applied=True
    ):
        own = [
            sol.known[u]
            for u in side.unknowns
            if u.startswith("v:")
            and u in sol.known
            and not (u in given and values_equal(given[u].value, sol.known[u].value))
            and any(
                not copied_from_question(masked, eqs[j].start, eqs[j].end, question)
                for j in sol.known[u].origin
            )
        ]
        if own:
            what = f"the question's {_clip(text[side.start : side.end])} is {_show(value)}, the gold"
            return _determining(what + ", by the trace's equations", max(own, key=lambda k: k.step), eqs)
        if (
            not used
            and definition is not None
            and definition[1] <= len(masked)
            and _SPACE.sub("", masked[definition[0] : definition[1]]) not in plain
        ):
            what = f"the question's expression is {_show(value)}, the gold, by the trace's own definition"
            return [Finding("system", what, *definition)]
    return []


@lru_cache(maxsize=64)
def _question_fixes(question: str) -> dict[str, _Known]:
    """What the question's own equations fix (read once per question: a row's repairs ask again; the
    caller only reads it)."""
    return solve(read_named(question), peel=False, limit=SYSTEM_EVALUATIONS).known


#: whitespace, and LaTeX's spacing commands
_SPACE = re.compile(r"\s+|\\[,;!]")


def _gold_sides(
    sides: list[Side],
    expanded: dict[int, tuple[int, int]],
    sol: Solution,
    env: dict[str, Value],
    gold: Gold,
    work: _Work,
    applied: bool = False,
) -> Iterator[tuple[Side, Value, list[_Known], tuple[int, int] | None]]:
    """The sides whose value the solution fixes to the gold, resting on a named quantity it fixed or a
    definition it applies: each with its value, the quantities it used and the definition (with
    ``applied``, a definition applied to a number, ``p(1)``, read as the constant it expands to, too)."""
    for side in sides:
        if (side.tree[0] in ("n", "c") and not (applied and side.start in expanded)) or (
            side.tree[0] == "u" and not side.tree[1].startswith("v:")
        ):
            continue
        named = [sol.known[u] for u in side.unknowns if u in sol.known and u.startswith("v:")]
        definition = expanded.get(side.start)
        open_ = [u for u in side.unknowns if u not in env]
        if not (named or definition) or len(open_) > 3 or any(not u.startswith("v:") for u in open_):
            continue
        # what the value rests on: the quantities (a definition's blanks included) the equations fixed
        used = [sol.known[u] for u in side.unknowns if u in sol.known]
        value = _constant_value(side.tree, open_, env, work)
        if value is None and open_ and not isinstance(gold.value, Fraction):
            value = _fingerprint(side.tree, open_, env, work)  # a symbolic gold: -13x + 3
        if value is not None and gold.equals(value):
            yield side, value, used, definition


def _single_valued(eqs: list[Equation], blanks: bool = False) -> list[Equation]:
    """Without the equations that give one name several values (``x=-1`` and ``x=1``: two cases, not a
    system): that name stays free. With ``blanks``, a bare blank is one more value (``x=[N]`` and ``x=1``)."""
    values: dict[str, set[str]] = {}
    for eq in eqs:
        for bare, other in ((eq.left, eq.right), (eq.right, eq.left)):
            value = not other.unknowns or (
                blanks and other.tree[0] == "u" and not other.tree[1].startswith("v:")
            )
            if bare.tree[0] == "u" and bare.tree[1].startswith("v:") and value:
                values.setdefault(bare.tree[1], set()).add(repr(other.tree))
    several = {u for u, v in values.items() if len(v) > 1}
    if not several:
        return eqs
    return [
        eq
        for eq in eqs
        if not any(
            bare.tree[0] == "u" and bare.tree[1] in several and not other.unknowns
            for bare, other in ((eq.left, eq.right), (eq.right, eq.left))
        )
    ]


def _determining(what: str, k: _Known, eqs: list[Equation]) -> list[Finding]:
    """Where to cut a quantity the equations fix: the equation that fixed it, when it shows a side with no
    unknown (one of its values is hidden), else every step it came from."""
    if k.eq >= 0 and (not eqs[k.eq].left.unknowns or not eqs[k.eq].right.unknowns):
        return _blame_roots("system", what, frozenset({k.eq}), eqs)
    return _blame_roots("system", what, k.origin, eqs)


def _consistent(reading: Reading, sol: Solution) -> bool:
    """Does every equation whose unknowns the solution fixed hold? (Linking sides written alike can make
    a reading contradict itself, and then what it solved is not what the trace says.)"""
    env = {u: k.value for u, k in sol.known.items()}
    work = _Work(MAX_EVALUATIONS)
    for eq in reading.equations[:MAX_EQUATIONS]:
        if eq.unknowns <= env.keys():
            work.spend()
            try:
                left, right = evaluate(eq.left.tree, env), evaluate(eq.right.tree, env)
            except Undefined:
                continue
            if finite(left) and finite(right) and not values_equal(left, right):
                return False
    return True


def _question_copy(u: str, value: Value, reading: Reading, masked: str, question: str) -> bool:
    """Is every blank of ``u``, filled with ``value``, a quote of the question (``x^3 - [N]x + 1`` where the
    question asks for ``x^3 - 2x + 1``)? Solving for it gives back a value the question states, not the
    answer, even where the two are equal."""
    places = [start for start, name in reading.blanks.items() if name == u]
    if not places:
        return False
    shown = _show(value)
    for start in places:
        end = PLACEHOLDER.match(masked, start).end()  # type: ignore[union-attr] # a blank starts there
        filled = masked[:start] + shown + masked[end:]
        if not copied_from_question(filled, start, start + len(shown), question):
            return False
    return True


def _visible_sides(reading: Reading, sol: Solution, gold: Gold, masked: str, question: str) -> list[Finding]:
    """A side of an equation a reader evaluates from what is visible (and what the equations fixed) whose
    value is the gold (``99(99+1)+1``, ``\\binom52 (10x^3)^2(-\\frac{1}{2x^2})^3``: its variables cancel).
    Not the question's own expression written again as it stands there (``\\frac{\\sec x}{\\sin x} -
    \\frac{\\sin x}{\\cos x} = ...`` for "Simplify" it): evaluating that is the task (:func:`_alone`)."""
    asked = question_expressions(question)
    out: list[Finding] = []
    env = {u: k.value for u, k in sol.known.items()}
    work = _Work(MAX_EVALUATIONS)
    seen: set[tuple[int, int]] = set()
    symbolic = not gold.numeric
    try:
        for side in reading.sides:
            if (side.start, side.end) in seen or side.tree[0] in ("n", "u", "c"):
                continue  # a bare value is visible_value's (with its question-copy exemption)
            seen.add((side.start, side.end))
            open_ = [u for u in side.unknowns if u not in env]
            # blanks: what the equations fix is the solver's (blamed on its roots); a symbolic gold is no
            # blank's value, so there a side counts once the equations fix its blanks (a reader expands it),
            # unless it or they apply a function (\sin x: simplifying through its identities is the task)
            through = _through_functions(side, sol, reading.equations)
            read = open_ if symbolic and not through else side.unknowns
            value, whole_read, names = None, False, side.unknowns
            if len(open_) <= 3 and all(u.startswith("v:") for u in read):
                value = _constant_value(side.tree, open_, env, work)
                if value is None and open_ and symbolic:
                    value = _fingerprint(side.tree, open_, env, work)  # a symbolic gold: x^3+3x-6
            found = value is not None and gold.equals(value)
            whole = _whole_part(side.tree, env) if symbolic and not found else None
            if whole is not None:
                # x^5 - ... - 1 - \frac{2}{x + 1}: the quotient, read whatever its remainder's blanks hide
                names = frozenset(_leaves(whole, "u"))
                whole_open = [u for u in names if u not in env]
                if len(whole_open) <= 3 and all(
                    u.startswith("v:") for u in (names if through else whole_open)
                ):
                    value, whole_read = _fingerprint(whole, whole_open, env, work), True
            if value is not None and gold.equals(value):
                shown = _clip(masked[side.start : side.end])
                what = (
                    f"the whole part of {shown} (no remainder over the divisor) is the gold {_show(value)}"
                    if whole_read
                    else f"{shown} evaluates to the gold {_show(value)}"
                )
                fixed = [u for u in names if u in env]
                if not fixed and spaceless(masked[side.start : side.end]) in asked:
                    continue  # the question's expression, as the question writes it
                if fixed and not _leaves(side.tree, "n"):
                    # letters alone (\tan A, once \cos A = \frac{15}{17} fixed A): the plan's words; the
                    # values that fixed the letters are blamed
                    origin = frozenset().union(*(sol.known[u].origin for u in fixed))
                    out.extend(_blame_roots("replay", what, origin, reading.equations))
                else:
                    shape = any(_fixed_by_shape(u, sol, reading.equations) for u in fixed)
                    out.append(Finding("replay", what, side.start, side.end, shape))
    except Undefined:
        return out
    return out


def _shape_sides(blank: str, sol: Solution, eqs: list[Equation]) -> list[Side]:
    """Where ``blank`` was fixed by its shape (:func:`_fixed_by_shape`), the identity's sides that hold a
    blank and a free variable (``x^8 + x^7 + \\dots + x + [N]`` of ``\\frac{x^9 - [N]}{x - [N]} = ...``);
    else none."""
    if not _fixed_by_shape(blank, sol, eqs):
        return []
    eq = eqs[sol.known[blank].eq]
    return [
        side
        for side in (eq.left, eq.right)
        if any(u.startswith("v:") and u not in sol.known for u in side.unknowns)
        and any(not u.startswith("v:") for u in side.unknowns)
    ]


def _fixed_by_shape(blank: str, sol: Solution, eqs: list[Equation]) -> bool:
    """Was ``blank`` fixed by an identity (:func:`_by_identity`) that still fixes it with any one more of its
    numbers hidden (:func:`._coefficients.fixed_whatever_hidden`)? Then hiding values one by one cuts
    nothing: the shape goes whole."""
    if not _by_identity(blank, sol, eqs):
        return False
    at = sol.known[blank].eq
    eq = eqs[at]
    own = sorted(
        u for u in eq.unknowns if not u.startswith("v:") and (u not in sol.known or sol.known[u].eq == at)
    )
    variables = sorted(u for u in eq.unknowns if u.startswith("v:") and u not in sol.known)
    env = {u: sol.known[u].value for u in eq.unknowns if u in sol.known and u not in own}
    return fixed_whatever_hidden(eq.left.tree, eq.right.tree, blank, own, variables, env)


def _by_identity(blank: str, sol: Solution, eqs: list[Equation]) -> bool:
    """Was ``blank`` fixed by an identity (an equation that holds for every value of a variable the
    equations leave free, read by its coefficients)?"""
    eq = sol.known[blank].eq
    return (
        not blank.startswith("v:")
        and eq >= 0
        and any(u.startswith("v:") and u not in sol.known for u in eqs[eq].unknowns)
    )


#: what separates the expressions of a question's math segment: relations, commas, semicolons
def _alone(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A computation of visible numbers that a math segment holds alone, in no equation, whose value is
    the gold: ``$1+2+3-(4+5+6)$``, then "This simplifies to ... = [NUMBER]". A written value (``-9``,
    ``\\frac{16}{27}``, ``2\\sqrt{5}``) is visible_value's; the question's own expression is the task."""
    if gold.value is None or not ("$" in masked or "\\(" in masked or "\\[" in masked):
        return []
    found = [(tree, s, e) for tree, s, e in lone_expressions(masked) if not written_value(tree)]
    return _evaluates_to_gold(question, masked, gold, found)


def _in_prose(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A computation of visible numbers the prose writes, whose value is the gold: ``4*2 to find [NUMBER]
    legs``, ``49.5 pounds total loss – 37.5 pounds loss in the first four months = [NUMBER]`` (read where
    no equation reading reaches the gold)."""
    if gold.value is None:
        return []
    return _evaluates_to_gold(question, masked, gold, prose_computations(masked))


def _evaluates_to_gold(
    question: str, masked: str, gold: Gold, found: list[tuple[tuple, int, int]]
) -> list[Finding]:
    """The computations of ``found`` (tree, start, end) whose value is the gold, the question's own
    expressions aside (evaluating them is the task)."""
    out: list[Finding] = []
    for tree, start, end in found:
        text = masked[start:end]
        if written_in_question(text, question):
            continue
        try:
            value = evaluate(tree, {})
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        if gold.equals(value):
            out.append(
                Finding("replay", f"{_clip(text)}, alone, evaluates to the gold {_show(value)}", start, end)
            )
    return out


def _from_question_computation(
    origin: frozenset[int], eqs: list[Equation], masked: str, question: str
) -> bool:
    """Is every side with a visible number among the equations ``origin`` names a computation the
    question writes whole (``\\frac{3}{\\sqrt{27}} = [EXPR] = [EXPR]`` for "Simplify" it)? The blanks it
    fixes are then the question's own expression evaluated: the task, not a replay of the trace."""
    found = False
    for e in origin:
        for side in (eqs[e].left, eqs[e].right):
            if not _has_number(side.tree):
                continue
            if side.unknowns or not question_computation(masked[side.start : side.end], question):
                return False
            found = True
    return found


def _has_number(tree: tuple) -> bool:
    if tree[0] == "n":
        return True
    return any(isinstance(t, tuple) and _has_number(t) for t in tree[1:])


def _visible_parts(reading: Reading, gold: Gold, masked: str, question: str) -> list[Finding]:
    """A symbolic gold that a visible part of a side expands to: ``(x^3 - 1)(x^2 - x + 1) - \\frac{[N]}{x+1}``
    shows the quotient ``x^5 - x^4 + x^3 - x^2 + x - 1`` as a product (sympy's ``expand`` is a calculator
    step), ``\\frac{x^9 - 1}{x - 1}`` the quotient ``x^8 + \\dots + x + 1`` as a quotient that divides
    exactly (not where the question writes an expression equal to the gold: simplifying it is the task).
    Every product, power and quotient inside a side whose leaves are visible (variables, numbers) and that
    applies no function is tried at the gold's fingerprint points (``\\frac{\\sin x}{\\cos x}`` for
    ``\\tan x`` is no expansion); a side copied from the question is the question's own (no leak)."""
    work = _Work(MAX_EVALUATIONS)
    q = re.sub(r"\s+", "", question)
    seen: set[tuple[int, int]] = set()
    try:
        # a polynomial quotient that divides exactly (\frac{x^9 - 1}{x - 1}) is the gold in another form,
        # unless the question writes such an expression itself (simplifying it is the task)
        quotients = gold.value is not None and not any(
            (value := _fingerprint(tree, sorted(_leaves(tree, "u")), {}, work)) is not None
            and gold.equals(value)
            for tree, _, _ in lone_expressions(question, letters=True)
        )
        for side in reading.sides:
            if (side.start, side.end) in seen or side.tree[0] in ("n", "u", "c"):
                continue
            seen.add((side.start, side.end))
            text = masked[side.start : side.end]
            if re.sub(r"\s+", "", text) in q:
                continue
            for part, split in _operation_parts(side.tree, quotients):
                if _has_function(part) or not (part[0] in ("*", "^") or (part[0] == "/" and quotients)):
                    continue  # a product or a power multiplied out; an identity is no expansion
                names = _leaves(part, "u")
                if not names or any(not u.startswith("v:") for u in names):
                    continue
                value = _fingerprint(part, sorted(names), {}, work)
                if value is not None and gold.equals(value):
                    # a term split off a fraction leaves the rest of its numerator: the side's shape
                    # (\frac{(x^9 - 1) + [N]}{x - 1}) tells the gold, a remainder over the divisor beside it
                    what = f"a part of {_clip(text)} {'divides' if split else 'expands'} to the gold"
                    return [Finding("replay", what, side.start, side.end, split)]
    except Undefined:
        return []
    return []


def _operation_parts(tree: tuple, split: bool = False) -> list[tuple[tuple, bool]]:
    """The operation nodes of ``tree`` (itself first), outermost first, each with whether it was split off a
    fraction: with ``split``, after a quotient whose numerator is a sum with blanks, the sum of its visible
    terms over the same denominator (``\\frac{(x^9 - 1) + [N]}{x - 1}`` is ``\\frac{x^9 - 1}{x - 1} +
    \\frac{[N]}{x - 1}``, as a reader splits it)."""
    out: list[tuple[tuple, bool]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] in ("n", "u", "c"):
            continue
        out.append((node, False))
        if split and node[0] == "/" and node[1][0] in ("+", "-"):
            terms = sum_terms(node[1])
            shown = [(op, t) for op, t in terms if all(u.startswith("v:") for u in _leaves(t, "u"))]
            if shown and len(shown) < len(terms):
                out.append((("/", _sum(shown), node[2]), True))
        stack.extend(reversed([c for c in node[1:] if isinstance(c, tuple)]))
    return out


def _has_function(tree: tuple) -> bool:
    return tree[0] in ("fn", "log", "app", "floor", "ceil") or any(
        _has_function(c) for c in tree[1:] if isinstance(c, tuple)
    )


def _leaves(tree: tuple, kind: str) -> set:
    """What ``tree``'s leaves of ``kind`` hold: the numbers (``"n"``) it writes, the unknowns (``"u"``,
    blanks and variables) it names."""
    if tree[0] == kind:
        return {tree[1]}
    return set().union(*(_leaves(c, kind) for c in tree[1:] if isinstance(c, tuple)))


def _through_functions(side: Side, sol: Solution, eqs: list[Equation]) -> bool:
    """Whether ``side``, or an equation that fixed one of its blanks, applies a function (``\\sin x``):
    simplifying through a function's identities is the task, not a reading of what the trace shows."""
    if _has_function(side.tree):
        return True
    origin = frozenset().union(*(sol.known[u].origin for u in side.unknowns if u in sol.known))
    return any(_has_function(eqs[i].left.tree) or _has_function(eqs[i].right.tree) for i in origin)


def _whole_part(tree: tuple, env: dict[str, Value]) -> tuple | None:
    """A sum's terms that divide by no letter (``x^5 - x^4 + x - 1`` of ``x^5 - x^4 + x - 1 -
    \\frac{2}{x + 1}``: a quotient beside its remainder over the divisor), a denominator written as a
    factor of its numerator cancelled first (:func:`_cancelled`), a quotient its divisor divides exactly
    kept as a term (``\\frac{x^6 - 1}{x + 1}``: :func:`_remainder`); ``None`` when that is the whole side,
    or nothing."""
    terms = sum_terms(tree)
    cancelled = [(op, _cancelled(t, env)) for op, t in terms]
    kept = [(op, t) for op, t in cancelled if not _remainder(t, env)]
    if not kept or kept == terms:
        return None
    return _sum(kept)


def _sum(terms: list[tuple[str, tuple]]) -> tuple:
    """The sum of ``terms`` as :func:`sum_terms` gives them (each with the operation before it)."""
    op, first = terms[0]
    out = first if op == "+" else ("neg", first)
    for op, t in terms[1:]:
        out = (op, out, t)
    return out


def _remainder(term: tuple, env: dict[str, Value]) -> bool:
    """Is ``term`` a remainder over a divisor: a quotient whose denominator holds a letter and does not
    divide its numerator exactly (``\\frac{2}{x + 1}``; ``\\frac{x^6 - 1}{x + 1}`` is a polynomial)?"""
    if term[0] != "/" or not any(u[:2] == "v:" for u in _leaves(term[2], "u")):
        return False
    return not divides(_filled(term[1], env), _filled(term[2], env))


def _cancelled(term: tuple, env: dict[str, Value]) -> tuple:
    """``term`` with a denominator that is written as a factor of its numerator cancelled, as a reader
    cancels it (``\\frac{(x^3 - 1)(x + 1)(x^2 - x + 1)}{x + 1}`` is ``(x^3 - 1)(x^2 - x + 1)``); else
    ``term``. A factor counts as the denominator once the equations fix its blanks alike (``(x + [N])`` over
    ``x + 1`` where the blank is 1). A numerator the denominator divides exactly, written as a product or
    not, is no remainder either (:func:`_remainder`)."""
    if term[0] != "/":
        return term
    factors = product_factors(term[1])
    divisor = _filled(term[2], env)
    k = next((i for i, f in enumerate(factors) if f == term[2] or _filled(f, env) == divisor), None)
    if k is None:
        return term
    del factors[k]
    product = factors[0] if factors else ("n", Fraction(1))
    for f in factors[1:]:
        product = ("*", product, f)
    return product


def _filled(tree: tuple, env: dict[str, Value]) -> tuple:
    """``tree`` with each blank the equations fixed to a fraction written as that number."""
    if tree[0] == "u":
        value = env.get(tree[1])
        return ("n", value) if type(value) is Fraction and not tree[1].startswith("v:") else tree
    return (tree[0], *(_filled(c, env) if isinstance(c, tuple) else c for c in tree[1:]))


def _fingerprint(tree: tuple, variables: list[str], env: dict[str, Value], work: _Work) -> Value | None:
    """``tree`` at the points the gold's own fingerprint uses (:func:`smepo_data.math._values._probe`), so an
    expression equal to a symbolic gold takes its value."""
    work.spend()
    try:
        v = evaluate(tree, {**env, **{u: complex(_probe(u[2:])) for u in variables}})
    except Undefined:
        return None
    return complex(v) if finite(v) else None


def _constant_value(tree: tuple, variables: list[str], env: dict[str, Value], work: _Work) -> Value | None:
    """The value of ``tree`` when it does not depend on ``variables`` (checked at two points)."""
    values = []
    for shift in (Fraction(13, 7), Fraction(17, 5)) if variables else (Fraction(0),):
        work.spend()
        try:
            v = evaluate(tree, {**env, **{u: shift + k for k, u in enumerate(variables)}})
        except Undefined:
            return None
        if not finite(v):
            return None
        values.append(v)
    return values[0] if all(values_equal(values[0], v) for v in values[1:]) else None


def _replay_guesses(reading: Reading, sol: Solution, gold: Gold, masked: str, question: str) -> list[Finding]:
    """A reader who computed a value in one step writes it into a later step's blank operand.

    Walk the equations in reading order. A step left with one unknown is solved; a step whose result is a
    bare blank and whose operands have blanks is tried with the most recently computed values in those
    blanks (every combination, up to :data:`REPLAY_COMBINATIONS`): a result equal to the gold leaks;
    otherwise the reader's natural reading (the latest values) is carried on to the next steps."""
    if gold.value is None or not sol.known:
        return []
    eqs = reading.equations
    order = sorted(range(len(eqs)), key=lambda i: (eqs[i].start, i))
    env: dict[str, tuple[Value, frozenset[int]]] = {u: (k.value, k.origin) for u, k in sol.known.items()}
    where = _positions(reading)
    # (position in the text, value, origin, a result): what a reader has computed, in the order it appears; a
    # term that sides written alike fix (``\\pi 6^2 - \\pi 4^2 = [E] - [E]``: 36pi) is an operand of the step,
    # not a result a later step takes
    computed = sorted(
        (
            (
                where.get(u, eqs[min(k.origin)].start),
                k.value,
                k.origin,
                not (k.eq >= 0 and eqs[k.eq].part),
                k.eq >= 0 and _hidden_result(eqs[k.eq], u),
            )
            for u, k in sol.known.items()
        ),
        key=lambda c: c[0],  # stable: ties keep the order the solver found them in
    )
    recent: list[tuple[Value, frozenset[int]]] = []
    # the hidden results among ``recent``, latest last: what a reader writes into the next blank operand
    # (a value a step shows needs no blank; an operand solved back from a step is no new result)
    results: list[tuple[Value, frozenset[int]]] = []
    work = _Work(MAX_EVALUATIONS)

    given = _question_numbers(question)

    def slipped(
        eq: Equation, u: str, pinned: Value, values: dict[str, Value], origin: frozenset[int]
    ) -> list[Finding]:
        """The gold where ``eq``'s written result slipped (:func:`_slip`): the latest hidden result in its
        blank ``u`` (pinned by the step to ``pinned``) works out to it; not where the step holds with a
        value the reader has (a numeral or number word of the question, a value computed before)."""
        if u.startswith("v:") or not results or values_equal(results[-1][0], pinned):
            return []
        if pinned in given or any(values_equal(pinned, r[0]) for r in recent):
            return []
        carried, carried_from = results[-1]
        value = _slip(eq, u, carried, values, work)
        if value is None or not gold.equals(value):
            return []
        return found(value, origin | carried_from, eq)

    exact: list[tuple[Value, frozenset[int]]] = []  # the values a step fixed (no guess among them)
    guessed: set[str] = set()  # the unknowns a natural reading filled in

    def remember(value: Value, origin: frozenset[int], fixed: bool = True, result: bool = False) -> None:
        recent[:] = [r for r in recent if not values_equal(r[0], value)] + [(value, origin)]
        if result:
            results[:] = [r for r in results if not values_equal(r[0], value)] + [(value, origin)]
        if fixed and not any(u.startswith("v:") for j in origin for u in eqs[j].unknowns):
            # computed from values alone (a coefficient matched in an identity is no value a step shows)
            exact[:] = [r for r in exact if not values_equal(r[0], value)] + [(value, origin)]

    def found(value: Value, origin: frozenset[int], eq: Equation) -> list[Finding]:
        what = f"computed values written into {_clip(masked[eq.start : eq.end])} give the gold {_show(value)}"
        return _blame_roots("replay", what, origin, eqs)

    try:
        for _ in range(2):
            recent.clear()
            results.clear()
            exact.clear()
            seen = 0
            for i in order:
                eq = eqs[i]
                while seen < len(computed) and computed[seen][0] < eq.start:
                    remember(*computed[seen][1:])
                    seen += 1
                final = _boxed(masked, eq)
                # the boxed final step: its operands are what steps fixed, never a guess carried on to it
                here = {u: e for u, e in env.items() if u not in guessed} if final else env
                values = {u: v for u, (v, _) in here.items()}
                open_ = sorted((u for u in eq.unknowns if u not in here), key=lambda u: (where.get(u, 0), u))
                if not open_:
                    if not eq.unknowns and (shown := _shown_result(eq)) is not None:
                        remember(shown, frozenset({i}))  # "$12 \\times 2 = 24$": a result the step shows
                    elif len(eq.unknowns) == 1:
                        (u,) = eq.unknowns
                        if leak := slipped(eq, u, here[u][0], values, frozenset({i}) | here[u][1]):
                            return leak
                    continue
                base = frozenset({i}).union(*(here[u][1] for u in eq.unknowns if u in here))
                blanks = [u for u in open_ if not u.startswith("v:")]
                variables = [u for u in open_ if u.startswith("v:")]
                if len(open_) == 1 or (len(blanks) == 1 and variables):
                    value = _pin(eq, open_, blanks, variables, values, work)
                    if value is not None:
                        pinned = open_[0] if len(open_) == 1 else blanks[0]
                        env[pinned] = (value, base)
                        if gold.equals(value):
                            return found(value, base, eq)
                        if leak := slipped(eq, pinned, value, values, base):
                            return leak
                        remember(value, base, result=_hidden_result(eq, pinned))
                        continue
                if not blanks or (eq.left.tree[0] == "u" and eq.right.tree[0] == "u"):
                    continue  # a link (a note and the value after it) copies a value, it computes none
                if len(variables) == 1:  # "x+3+2x+[N]+2x = 90": the reader writes 7 in and solves for x
                    result, fill, variables = variables[0], blanks, []
                else:  # the result is the bare blank of one side, else the last blank: the rest are operands
                    result = next(
                        (
                            sd.tree[1]
                            for sd in (eq.right, eq.left)
                            if sd.tree[0] == "u" and sd.tree[1] in blanks
                        ),
                        blanks[-1],
                    )
                    fill = [u for u in blanks if u != result]
                # a value the step writes itself ("[N]+3" after "6/2=3") is no value a reader carries into it
                written = _leaves(eq.left.tree, "n") | _leaves(eq.right.tree, "n")
                pool = [r for r in recent if not any(values_equal(r[0], v) for v in written)][-REPLAY_POOL:]
                if not pool or len(fill) > 3:
                    continue
                natural = None
                for n, combo in enumerate(_fills(pool, exact, len(fill), final)):
                    if n >= REPLAY_COMBINATIONS:
                        break
                    trial = {**values, **{u: c[0] for u, c in zip(fill, combo, strict=True)}}
                    value = _pin(
                        eq,
                        [result, *variables],
                        [result] if result[:2] != "v:" else [],
                        variables,
                        trial,
                        work,
                    )
                    if value is None:
                        continue
                    origin = base.union(*(c[1] for c in combo))
                    if gold.equals(value):
                        return found(value, origin, eq)
                    natural = (combo, value, origin)  # the last combination: the latest values
                latest = [r for r in results if any(values_equal(r[0], p[0]) for p in pool)][-len(fill) :]
                if len(latest) == len(fill):  # the reader's reading: the latest hidden results, in order
                    trial = {**values, **{u: c[0] for u, c in zip(fill, latest, strict=True)}}
                    blank = [result] if result[:2] != "v:" else []
                    value = _pin(eq, [result, *variables], blank, variables, trial, work)
                    if value is not None:
                        natural = (tuple(latest), value, base.union(*(c[1] for c in latest)))
                if natural is not None:
                    combo, value, origin = natural
                    for u, c in zip(fill, combo, strict=True):
                        env[u] = (c[0], c[1])
                    env[result] = (value, origin)
                    guessed.update((*fill, result))
                    remember(value, origin, fixed=False, result=True)
    except Undefined:
        return []
    return []


@lru_cache(maxsize=256)
def _question_numbers(question: str) -> Given:
    """The values a reader has for a blank from the question: its numerals and number words ("five",
    "twice"), not the values its unit words imply (the 7 of "weeks": ``[N]*20=140`` after ``7*2=[N]``
    slips)."""
    return Given([*values_in(question), *(v for w in number_words(question) for v in w.values)])


def _slip(eq: Equation, u: str, carried: Value, values: dict[str, Value], work: _Work) -> Value | None:
    """What a reader computes where a step's result is written wrong: ``u`` is a blank operand of one side
    and the other side shows the result; the reader writes ``carried``, the latest hidden result, in the
    blank and works the side out himself (``[N]*20=140`` after ``7*2=[N]``: 280, where the trace slipped).
    None where ``u`` is no such operand or the side has no value."""
    for side, other in ((eq.left, eq.right), (eq.right, eq.left)):
        if u in side.unknowns and not other.unknowns and side.tree[0] != "u":
            try:
                work.spend()
                value = evaluate(side.tree, {**values, u: carried})
            except (Undefined, ZeroDivisionError, OverflowError, ValueError):
                return None
            return value if finite(value) else None
    return None


def _hidden_result(eq: Equation, u: str) -> bool:
    """Is ``u`` a result ``eq`` computes and the text hides, not an operand solved back: a whole side
    whose other side shows no number (``<<[N]+160=240>>240``: 240 is in plain view), or the only unknown
    of the right-hand side (``(1/2)*(1/2) = 1/[N]``)?"""
    sides = (eq.left.tree, eq.right.tree)
    if ("u", u) in sides:
        return not any(t[0] == "n" for t in sides)
    return eq.right.unknowns == {u} and u not in eq.left.unknowns


def _shown_result(eq: Equation) -> Value | None:
    """The number a visible step shows as its result (``12 \\times 2 = 24``: 24), else ``None``."""
    left, right = eq.left.tree, eq.right.tree
    if right[0] == "n" and left[0] not in ("n", "c"):
        return right[1]
    if left[0] == "n" and right[0] not in ("n", "c"):
        return left[1]
    return None


def _boxed(masked: str, eq: Equation) -> bool:
    """Is ``eq``'s result the boxed final answer (``\\sqrt{[N] - 8^2} = \\boxed{[EXPR]}``)?"""
    return any(
        side.tree[0] == "u"
        and _BOXED_BEFORE.search(masked[max(0, side.start - 12) : side.start + 1]) is not None
        for side in (eq.left, eq.right)
    )


#: the text up to a result's first character (its group's ``{``, its placeholder's ``[``) that boxes it
_BOXED_BEFORE = re.compile(r"\\(?:boxed|fbox)\s*\{\s*\[?$")


def _fills(
    pool: list[tuple[Value, frozenset[int]]], exact: list[tuple[Value, frozenset[int]]], k: int, final: bool
) -> Iterator[tuple]:
    """The values a reader writes into ``k`` blank operands: any recent value in each; in the boxed final
    step, the values steps computed from values alone just before (the last :data:`FINAL_POOL`: a step
    between may be no operand; no guess carried on, no coefficient an identity fixed), each once and in
    the order they were computed (``[N] + [N] = \\boxed{[EXPR]}`` after 100, 150 and 37.5), not every
    repetition of small values that may hit the gold by chance."""
    if final:
        return itertools.combinations(exact[-max(FINAL_POOL, k + 1) :], k)
    return itertools.product(pool, repeat=k)


def _pin(
    eq: Equation,
    open_: list[str],
    blanks: list[str],
    variables: list[str],
    values: dict[str, Value],
    work: _Work,
) -> Value | None:
    """The one value ``eq`` fixes: its only unknown, or its only blank where it must hold for every value
    of its variables (``S + 2S + [N]S = 7S``)."""
    if len(open_) == 1:
        roots = _solve_one(eq, open_[0], values, work)
        return roots[0] if roots and len(roots) == 1 else None
    return _identity_value(eq, blanks[0], variables, values, work)


def _positions(reading: Reading) -> dict[str, int]:
    """Where each unknown first shows in the text (its placeholder, its calculator note)."""
    out: dict[str, int] = {}
    for start, name in sorted(reading.blanks.items()):
        out.setdefault(name, start)
    for eq in reading.equations:
        for side in (eq.left, eq.right):
            if side.tree[0] == "u" and side.tree[1].startswith("note"):
                out.setdefault(side.tree[1], side.start)
    return out


def _blame_roots(
    attack: str,
    what: str,
    origin: frozenset[int],
    eqs: list[Equation],
    question_values: frozenset[str] | None = None,
) -> list[Finding]:
    """One finding per step of ``origin`` that a reader computes from visible values alone, located on
    that visible side (hiding one of its values cuts the chain there). A lone value the question does not
    write (``question_values``, when known) and no visible step computes, against an equation in a variable
    that holds a copy of a question value (``124+x+x=180``), is blamed with the whole equation: the repair
    may then cut the 124, which the policy reads back, where the 180 is the plan's (a computed value, the
    72 of ``32+40=72`` then ``x - 0.25x = 72``, is where the chain is cut)."""
    out = []
    for j in sorted(origin):
        for side, other in ((eqs[j].left, eqs[j].right), (eqs[j].right, eqs[j].left)):
            if side.unknowns:
                continue
            lone = (
                question_values is not None
                and side.tree[0] == "n"
                and any(u.startswith("v:") for u in other.unknowns)  # a variable, not only blanks
                and value_key(side.tree[1]) not in question_values
                and _holds_one_of(other.tree, question_values)
                and not _computed(side.tree[1], eqs)
            )
            if side.tree != ("n", 0) and not lone:
                out.append(Finding(attack, what, side.start, side.end))
            else:  # "(x-5)(x-1) = 0": the 0 is the form; cut the factors instead
                out.append(Finding(attack, what, eqs[j].start, eqs[j].end))
    if not out:  # no step is all visible (a factorization, a system): blame the equations themselves
        out = [Finding(attack, what, eqs[j].start, eqs[j].end) for j in sorted(origin)]
    return out


def _states_the_question(
    origin: frozenset[int], eqs: list[Equation], written: frozenset[str], masked: str, question: str
) -> bool:
    """Is every value the equations ``origin`` set against their letters one the question writes, by
    value or as written (``2p(1-p)=3/8`` for "the probability of one head and one tail is $3/8$")?
    Solving them is the task."""
    sides = [
        side
        for j in origin
        for side, other in ((eqs[j].left, eqs[j].right), (eqs[j].right, eqs[j].left))
        if not side.unknowns and other.unknowns
    ]
    asked = spaceless(question)

    def written_so(text: str) -> bool:  # "3/8" in "...is$3/8$.", not the "4" of "47"
        return re.search(rf"(?<![\w./^]){re.escape(text)}(?![\w./^])", asked) is not None

    return bool(sides) and all(
        written_so(spaceless(masked[side.start : side.end]))
        or ((v := _constant(side.tree)) is not None and value_key(v) in written)
        for side in sides
    )


@lru_cache(maxsize=64)
def _question_keys(question: str) -> frozenset[str]:
    """The values the question writes, as keys."""
    return frozenset(value_key(v) for v in values_in(question))


def _computed(value: Value, eqs: list[Equation]) -> bool:
    """Does a visible step compute ``value``: an equation with the value alone on one side and an
    expression with no unknown on the other (``32+40=72``)?"""
    for eq in eqs:
        for side, other in ((eq.left, eq.right), (eq.right, eq.left)):
            if side.tree[0] == "n" and other.tree[0] != "n" and not other.unknowns and side.tree[1] == value:
                return True
    return False


def _holds_one_of(tree: tuple, values: frozenset[str]) -> bool:
    """Does ``tree`` hold a written number of ``values`` (the 124 of ``124 + x + x``)?"""
    if tree[0] == "n":
        return value_key(tree[1]) in values
    return any(isinstance(t, tuple) and _holds_one_of(t, values) for t in tree[1:])


def _clip(text: str, n: int = 60) -> str:
    return repr(text if len(text) <= n else text[: n - 3] + "...")


def _name(u: str) -> str:
    return u[2:] if u.startswith("v:") else "a blank" if u.startswith(("u", "b")) else u


def _show(v: Value) -> str:
    if isinstance(v, Fraction):
        return str(v)
    if abs(v.imag) < 1e-12:
        return f"{v.real:.6g}"
    return f"{v:.6g}".strip("()").replace("j", "i")  # 1-12i, as the gold writes it


# --------------------------------------------------------------------------- inequality boundaries

#: an inequality's relation in LaTeX or plain text (``<<`` / ``>>`` are calculator notes, never relations)
_INEQUALITY = re.compile(
    r"\\(?:geq?|leq?|gt|lt|geqslant|leqslant)(?![a-zA-Z])|(?<![<>])[<>](?![<>=])|[≤≥]|<=|>="
)


def _boundaries(masked: str, gold: Gold, question: str = "") -> list[Finding]:
    """The ``boundary`` attack: an inequality in one variable with no blank (``20000(1+r)^2 + 20000(1+r) +
    20000 \\ge 66200``) is solved at its boundary, as a reader solves it; a boundary equal to the gold (or,
    where the trace speaks of a percent, a hundredth of it: ``r = 0.1`` for 10%) leaks, blamed on the whole
    inequality, where the repair hides one value (a copy of a question value first). Where the question
    asks how many integers, a chain of two such inequalities around one middle side (``2 < \\sqrt{t} <
    \\frac{7}{2}``) bounds its variable on both sides, and the integers between its boundaries (5 to 12:
    8) are counted."""
    if "\\" not in masked or (gold.value is None and len(_interval_pieces(gold)) != 1):
        return []
    spans = [(m.start(), m.end()) for m in _INEQUALITY.finditer(masked)]
    if not spans:
        return []
    # each relation becomes an ``=`` padded to its own width: the offsets of the masked text stay
    chars = list(masked)
    for s, e in spans:
        chars[s:e] = ["="] + [" "] * (e - s - 1)
    reading = read_equations("".join(chars))
    relations = [s for s, _ in spans]
    percent = "%" in masked or "percent" in masked
    count = _COUNT_INTEGERS.search(question) is not None and gold.numeric
    work = _Work(MAX_EVALUATIONS)
    if gold.value is None:
        return _interval_ends(reading, relations, masked, gold, question, work)
    # where each blank-free inequality in one variable starts -> its variable, boundary, relation, equation
    bounded: dict[int, tuple[str, Fraction | float, str, Equation]] = {}
    # every inequality, by where it starts -> the relation written and the equation
    written_at: dict[int, tuple[str, Equation]] = {}
    for eq in reading.equations:
        # only an equation made by a replaced relation: its ``=`` stands between its two sides
        at = [s for s in relations if eq.left.end <= s < eq.right.start or eq.right.end <= s < eq.left.start]
        if not at:
            continue
        relation = _INEQUALITY.match(masked, at[0])
        written_at[eq.left.start] = (relation.group() if relation else "", eq)
        if len(eq.unknowns) != 1 or not next(iter(eq.unknowns)).startswith("v:"):
            continue
        (u,) = eq.unknowns
        try:
            roots = _solve_one(eq, u, {}, work)
        except Undefined:
            return []
        for r in roots or ():
            if gold.equals(r) or (percent and gold.equals(_scale(r, Fraction(100)))):
                what = f"{_clip(masked[eq.start : eq.end])} has its boundary at {_name(u)} = {_show(r)}"
                return [Finding("constraints", what + ", the gold answer", eq.start, eq.end)]
        real = _real(roots[0]) if count and roots and len(roots) == 1 else None
        if real is not None:
            written = _INEQUALITY.match(masked, at[0])
            bounded[eq.left.start] = (u, real, written.group() if written else "", eq)
    for u, lo, rel, first in bounded.values():
        # a chain ``a < f(t) < b``: the next inequality starts at this one's right side, the same way round
        nxt = bounded.get(first.right.start)
        if nxt is None or nxt[0] != u or _direction(rel) != _direction(nxt[2]) or first.left.unknowns:
            continue
        _, hi, hi_rel, last = nxt
        if last.right.unknowns or lo == hi:
            continue
        n, lo, hi = _integers_between(lo, hi, rel, hi_rel)
        if (
            0 < n <= _MAX_COUNTED
            and gold.equals(Fraction(n))
            and _counted_between(first, last, u, rel, hi_rel, lo, hi)
        ):
            chain = _clip(masked[first.start : last.end])
            what = f"{chain} bounds {_name(u)} between {_show(lo)} and {_show(hi)}: {n} integers"
            return [Finding("constraints", what + ", the gold answer", first.start, last.end)]
    return _integer_part(masked, gold, written_at) or _integer_values(masked, gold, written_at, question)


def _interval_ends(
    reading: Reading, relations: list[int], masked: str, gold: Gold, question: str, work: _Work
) -> list[Finding]:
    """An interval gold (one piece) whose two ends blank-free inequalities of one letter give, each solved
    at its boundary and read the way it points (``144\\ge 54p``: ``p \\le \\frac83``; ``20p > 12``: ``p >
    \\frac35``, for ``(\\frac35, \\frac83]``): a reader intersects them. Not an inequality the question
    writes. Blamed on the later of the two, where the repair hides one value."""
    (piece,) = _interval_pieces(gold)
    lo, hi = _bound(piece.group(2)), _bound(piece.group(3))
    if lo is None or hi is None:
        return []  # a half-line is one inequality: _interval_forms reads it as written
    closed = {">": piece.group(1) == "[", "<": piece.group(4) == "]"}
    ends = {">": lo, "<": hi}
    found: dict[str, dict[str, Equation]] = {}  # letter -> the way it is bounded -> the inequality
    for eq in reading.equations:
        at = [s for s in relations if eq.left.end <= s < eq.right.start]
        if not at or len(eq.unknowns) != 1 or not next(iter(eq.unknowns)).startswith("v:"):
            continue
        if written_in_question(masked[eq.start : eq.end], question):
            continue  # the question's own inequality: solving it is the task
        written = _INEQUALITY.match(masked, at[0])
        (u,) = eq.unknowns
        try:
            roots = _solve_one(eq, u, {}, work)
            root = _real(roots[0]) if roots and len(roots) == 1 else None
            if root is None:
                continue
            below, above, further = (
                _real(_difference(eq.left.tree, eq.right.tree, {u: root + k}, work)) for k in (-1, 1, 2)
            )
        except Undefined:
            continue  # undefined at a probe (a pole): no half-line read here
        if written is None or below is None or above is None or further is None or (below < 0) == (above < 0):
            continue  # no sign change at the boundary: not a half-line
        if not (values_equal(below, -above) and values_equal(further, 2 * above)):
            continue  # not affine in the letter (``\\frac{5p-3}{p+1} > 0`` is two half-lines): not read
        # left - right grows through the boundary: the letter is bounded the way the relation points
        way = _direction(written.group())
        if below > above:
            way = "<" if way == ">" else ">"
        if values_equal(root, ends[way]) and _strict(written.group()) != closed[way]:
            found.setdefault(u, {}).setdefault(way, eq)
    for u, ways in found.items():
        if len(ways) == 2:
            last = max(ways.values(), key=lambda e: e.start)
            low, high = (_clip(masked[e.start : e.end]) for e in (ways[">"], ways["<"]))
            what = f"{low} and {high} bound {_name(u)} on both sides: the gold interval"
            return [Finding("constraints", what, last.start, last.end)]
    return []


#: the trace says a quantity takes whole values: "must be an integer", "is an integer", "integer values"
_INTEGER_VALUED = re.compile(
    r"(?i)\b(?:must\s+be|has\s+to\s+be|is|are|be)\s+(?:an?\s+|all\s+)?integers?\b|\binteger[- ]valued\b"
)
#: how far after a chain the sentence saying its middle is an integer is looked for
_INTEGER_SAID_WITHIN = 160


def _integer_values(
    masked: str, gold: Gold, written_at: dict[int, tuple[str, Equation]], question: str
) -> list[Finding]:
    """A chain ``lo \\le E \\le hi`` (numbers outside, an expression in letters in the middle, no blank,
    relations one way round) that the trace then says is an integer ("Since $f(x)$ must be an integer"),
    where the question asks how many: the integers from ``lo`` to ``hi`` are the values ``E`` takes, and
    their count (``-1 \\le f(x) \\le 1``: 3) is the answer a reader counts."""
    if not gold.numeric or not ASKS_COUNT.search(question) or not _INTEGER_VALUED.search(masked):
        return []
    for rel, first in written_at.values():
        nxt = written_at.get(first.right.start)
        if nxt is None or _direction(rel) != _direction(nxt[0]):
            continue
        hi_rel, last = nxt
        middle = first.right
        if first.left.unknowns or last.right.unknowns or not middle.unknowns:
            continue
        if not all(u.startswith("v:") for u in middle.unknowns):
            continue  # a blank in the middle: what it bounds is not shown
        said = _INTEGER_VALUED.search(masked, last.end, last.end + _INTEGER_SAID_WITHIN)
        if said is None or not _names(
            masked[max(last.end, said.start() - 40) : said.start()], middle, masked
        ):
            continue  # "where $k$ is an integer" says nothing of the chain's x
        if spaceless(masked[first.start : last.end]) in spaceless(question):
            continue  # the question's own range ("with $0 \\le x \\le \\pi$")
        try:
            lo, hi = _real(evaluate(first.left.tree, {})), _real(evaluate(last.right.tree, {}))
        except Undefined:
            continue
        if lo is None or hi is None or lo == hi:
            continue
        n, lo, hi = _integers_between(lo, hi, rel, hi_rel)
        if 0 < n <= _MAX_COUNTED and gold.equals(Fraction(n)):
            chain = _clip(masked[first.start : last.end])
            what = f"{chain}, an integer, takes the {n} integers from {_show(lo)} to {_show(hi)}"
            what += ": the gold count"
            return [Finding("constraints", what, first.start, last.end)]
    return []


def _integers_between(
    lo: Fraction | float, hi: Fraction | float, rel: str, hi_rel: str
) -> tuple[int, Fraction | float, Fraction | float]:
    """How many integers a chain ``lo rel E hi_rel hi`` allows (a strict relation leaves out a bound that is
    an integer), with its bounds in order."""
    strict, hi_strict = not _NON_STRICT.fullmatch(rel), not _NON_STRICT.fullmatch(hi_rel)
    lo, hi, strict, hi_strict = (lo, hi, strict, hi_strict) if lo < hi else (hi, lo, hi_strict, strict)
    n = math.floor(hi) - math.ceil(lo) + 1
    return n - (strict and _is_integer(lo)) - (hi_strict and _is_integer(hi)), lo, hi


def _names(before: str, side: Side, masked: str) -> bool:
    """Whether ``before`` (the words before "is an integer") ends with ``side`` as written, the subject."""
    subject = spaceless(before).replace("$", "")
    return subject.endswith(spaceless(masked[side.start : side.end]).replace("$", ""))


def _integer_part(masked: str, gold: Gold, written_at: dict[int, tuple[str, Equation]]) -> list[Finding]:
    """A chain ``b < E < b + 1`` (``E`` blank-free, ``b`` one variable on both outer sides, relations one way
    round) pins ``b`` to the one integer it allows: a calculator reads ``\\lfloor E \\rfloor``
    (``b < \\frac{1}{\\sqrt[3]{2} - 1} < b + 1``: 3). Checked integer by integer near ``E``."""
    for rel, first in written_at.values():
        nxt = written_at.get(first.right.start)
        if nxt is None or first.right.unknowns or _direction(rel) != _direction(nxt[0]):
            continue
        hi_rel, last = nxt
        if len(first.left.unknowns) != 1 or first.left.unknowns != last.right.unknowns:
            continue
        (u,) = first.left.unknowns
        try:
            middle = _real(evaluate(first.right.tree, {}))
        except Undefined:
            continue
        if middle is None or not -(10**9) < middle < 10**9:
            continue
        allowed = []
        for k in range(math.floor(middle) - _NEAR, math.floor(middle) + _NEAR + 1):
            try:
                left = _real(evaluate(first.left.tree, {u: Fraction(k)}))
                right = _real(evaluate(last.right.tree, {u: Fraction(k)}))
            except Undefined:
                continue
            if (
                left is not None
                and right is not None
                and _holds(rel, left, middle)
                and _holds(hi_rel, middle, right)
            ):
                allowed.append(k)
        if len(allowed) == 1 and gold.equals(Fraction(allowed[0])):
            chain = _clip(masked[first.start : last.end])
            what = f"{chain} allows one integer {_name(u)} = {allowed[0]}, the gold answer"
            return [Finding("constraints", what, first.start, last.end)]
    return []


#: how far from the middle of ``b < E < b + 1`` the integers are tried
_NEAR = 20


#: a question that counts integers ("How many integer values of $t$ ...", "how many integers")
_COUNT_INTEGERS = re.compile(r"\bhow many\b[^.?]*\bintegers?\b|\bnumber of integers?\b", re.I)
_NON_STRICT = re.compile(r"\\(?:geq?|leq?|geqslant|leqslant)(?![a-zA-Z])|[≤≥]|<=|>=")


def _real(v: Value) -> Fraction | float | None:
    """``v`` as a real number (an irrational boundary, ``\\sqrt{120}``, as a float), ``None`` if it is not."""
    if isinstance(v, Fraction):
        return v
    if abs(v.imag) > 1e-12 * max(1.0, abs(v.real)) or not math.isfinite(v.real):
        return None
    near = round(v.real)
    return Fraction(near) if abs(v.real - near) <= 1e-9 * max(1.0, abs(v.real)) else v.real


def _is_integer(v: Fraction | float) -> bool:
    return isinstance(v, Fraction) and v.denominator == 1  # a float boundary is an irrational one


#: the most integers the count checks one by one
_MAX_COUNTED = 2000


def _counted_between(
    first: Equation, last: Equation, u: str, rel: str, hi_rel: str, lo: Fraction | float, hi: Fraction | float
) -> bool:
    """Does the chain ``a REL f(u) REL b`` hold at every integer between its boundaries ``lo`` and ``hi``
    and at neither integer just outside them? (A middle that is no monotone function of ``u``, ``-2 <
    \\frac{1}{t} < 2``, holds outside its roots: no count then.)"""
    try:
        a, b = _real(evaluate(first.left.tree, {})), _real(evaluate(last.right.tree, {}))
    except Undefined:
        return False
    if a is None or b is None:
        return False
    for k in range(math.ceil(lo) - 1, math.floor(hi) + 2):
        try:
            f = _real(evaluate(first.right.tree, {u: Fraction(k)}))
        except Undefined:
            f = None
        holds = f is not None and _holds(rel, a, f) and _holds(hi_rel, f, b)
        inside = lo <= k <= hi
        if holds != inside and not (inside and k in (lo, hi)):
            return False
    return True


def _holds(relation: str, x: Fraction | float, y: Fraction | float) -> bool:
    """``x relation y`` for an inequality as written."""
    strict = not _NON_STRICT.fullmatch(relation)
    if _direction(relation) == "<":
        return x < y or (not strict and x == y)
    return x > y or (not strict and x == y)


def _direction(relation: str) -> str:
    """``<`` for a relation that reads "less than" (``<``, ``\\le``, ``\\lt``, ``≤``), else ``>``."""
    return "<" if relation in "<≤" or relation.startswith(("\\l", "<")) else ">"
