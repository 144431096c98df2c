"""Blank bases of powers read as whole numbers (a ``constraints`` reading).

``\\frac{5^3}{[NUMBER]^2} \\cdot \\frac{3^7}{5^7} = \\frac{[NUMBER]^5}{5^4}``: the bases are hidden and the
exponents kept (exponents are the plan's). One equation in two unknowns fixes nothing over the rationals,
but a reader takes each blank for the whole number it stands for and looks for the pair that fits: ``a^2
b^5 = 3^7`` holds for 3 and 3 alone. The next side, ``\\frac{[NUMBER]^5}{5^4}``, is then ``\\frac{243}{625}``.

An equation whose open unknowns are two blanks, each standing only as the base of a power with a whole
exponent of 2 or more, is tried at every pair of whole numbers from 2 to :data:`MAX_BASE` (exactly, with
fractions); where exactly one pair satisfies it, the pair is what a reader writes in. One blank alone is the
solver's (``[N]^2 = 49`` has the candidates 7 and -7); letters are never read as whole numbers.
"""

from __future__ import annotations

import itertools
import re

from ._equations import Equation, Undefined, evaluate
from ._question import spaceless
from ._rational import Fraction
from ._values import Value

#: why a pair may have no value and still leave the others to try
_NO_VALUE = frozenset(("division by zero", "0 to a negative power"))
#: the largest base tried: hidden bases are small numbers (primes, 10)
MAX_BASE = 30
#: the most equations a trace may offer this reading (each costs up to 29^2 evaluations)
MAX_TRIED = 8
#: a placeholder, and the most an equation may hold to be looked for in the question
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
_MOST_BLANKS = 12
_ADJACENT_BLANKS = re.compile(r"(?:\[[A-Z][A-Z0-9_]*\]){2,}")
#: what the question may write where the trace has a blank: a number or a letter (``a``, ``x_1``,
#: ``\\alpha``), bounded so that a long run of letters is read once
_WILDCARD = r"\{?(?:\\[A-Za-z]{1,12}|[A-Za-z0-9.]{1,12})(?:_\{?[A-Za-z0-9]{1,4}\}?)?\}?"


def integer_bases(equations: list[Equation], env: dict[str, Value]) -> dict[str, tuple[Fraction, int]]:
    """Blanks fixed as whole-number bases: blank -> (value, the equation that fixes it). ``env`` holds what
    is known already; an equation is read only where its open unknowns are two such blanks."""
    fixed: dict[str, tuple[Fraction, int]] = {}
    tried = 0
    for i, eq in enumerate(equations):
        open_ = sorted(u for u in eq.unknowns if u not in env and u not in fixed)
        if len(open_) != 2 or any(u.startswith("v:") for u in open_):
            continue
        if not all(_only_bases(side.tree, set(open_)) for side in (eq.left, eq.right)):
            continue
        tried += 1
        if tried > MAX_TRIED:
            break
        found = _whole_solutions(eq, open_, env)
        if found is not None:
            for u, v in zip(open_, found, strict=True):
                fixed[u] = (v, i)
    return fixed


def _only_bases(tree: tuple, blanks: set[str]) -> bool:
    """Does every blank of ``blanks`` in ``tree`` stand as the base of a power with a whole exponent >= 2?"""
    op = tree[0]
    if op == "u":
        return tree[1] not in blanks
    if op == "^" and tree[1][0] == "u" and tree[1][1] in blanks:
        exp = tree[2]
        return exp[0] == "n" and type(exp[1]) is Fraction and exp[1].denominator == 1 and exp[1] >= 2
    return all(_only_bases(t, blanks) for t in tree[1:] if isinstance(t, tuple))


def _whole_solutions(eq: Equation, open_: list[str], env: dict[str, Value]) -> tuple[Fraction, ...] | None:
    """The one pair of whole numbers in 2..MAX_BASE that satisfies ``eq`` exactly, or ``None`` (none, two
    or more, or a side that is not exact or too large to compute: a root, a huge power). A pair where a
    side has no value (a division by zero) is no fit."""
    found: tuple[Fraction, ...] | None = None
    for pair in itertools.product(range(2, MAX_BASE + 1), repeat=len(open_)):
        values = tuple(Fraction(p) for p in pair)
        at = {**env, **dict(zip(open_, values, strict=True))}
        try:
            left, right = evaluate(eq.left.tree, at), evaluate(eq.right.tree, at)
        except Undefined as e:
            if str(e) in _NO_VALUE:
                continue  # no value at this pair: it fits nothing
            return None  # a huge power: which pairs fit is not known
        if not (type(left) is Fraction and type(right) is Fraction):
            return None
        if left == right:
            if found is not None:
                return None
            found = values
    return found


def question_writes(text: str, question: str) -> bool:
    """Does the question write ``text`` (spaces aside) with a letter or a number where it has a blank
    (``\\frac{5^3}{a^2} = \\frac{b^5}{5^4}`` for ``\\frac{5^3}{[NUMBER]^2} = \\frac{[NUMBER]^5}{5^4}``)?"""
    parts = _PLACEHOLDER.split(_ADJACENT_BLANKS.sub("[N]", spaceless(text)))
    if len(parts) > _MOST_BLANKS:
        return False
    return re.search(_WILDCARD.join(re.escape(p) for p in parts), spaceless(question)) is not None
