"""The roots of a visible product against a set answer (an ``equivalent_form`` read-off).

A trace that factors a polynomial shows its roots: ``(x+2)(x^2-2x-4)`` beside the gold
``\\{1\\pm\\sqrt{5},-2\\}``
gives every element, each factor set to 0 (a ``\\pm`` element of the gold counts as two). Read in every math
segment of the trace, piece by piece between relations and commas (``$x(x+1)(x-2)$`` after "factors as" has
no ``=``), for a product of two factors or more in one letter with no blank, each of degree one or two
(``(x-1)^2`` is the factor ``x - 1``), whose real roots are exactly the gold's elements. Not a product whose
roots are those of a product the question writes (its own factored form, in any order). Blamed on the
product (the repair hides its values).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import lru_cache

from .._leak import Finding
from ._answer import Gold, _split_top
from ._equations import (
    _math_ranges,
    exact_sqrt,
    linear_root,
    polynomial_degree,
    quadratic_coefficients,
    read_expression,
    tree_unknowns,
)
from ._rational import Fraction
from ._values import Value, expression_value, values_equal

#: the most factors of a product read
MAX_FACTORS = 6
#: where a math segment's pieces part: relations, commas, alignment marks, line breaks, spacing
_PIECE_BREAK = re.compile(
    r"=|<|>|,|&|\\\\|\\(?:le|ge|leq|geq|ne|neq|approx|equiv|quad|qquad|text\s*\{[^{}]*\})(?![a-zA-Z])"
)
#: a math segment's delimiters
_DELIMITERS = re.compile(r"^(?:\$\$|\$|\\\(|\\\[|\\begin\{[a-z*]+\})|(?:\$\$|\$|\\\)|\\\]|\\end\{[a-z*]+\})$")
#: the longest piece read
_LONGEST_PIECE = 200
#: a plus-minus sign
_PLUS_MINUS = re.compile(r"\\(?:pm|mp)(?![a-zA-Z])")


def product_roots(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The ``equivalent_form`` finding of a visible product whose roots are the set gold's elements."""
    if gold.value is not None or "(" not in masked:
        return []
    elements = set_elements(gold.raw)
    if len(elements) < 2:
        return []
    asked: list[list[Value]] | None = None  # the question's products' roots, read once a product matches
    for tree, start, end in math_pieces(masked):
        roots = product_zeros(tree)
        if not _same(roots, elements):
            continue
        if asked is None:
            asked = [r for piece, _, _ in math_pieces(question) for r in [product_zeros(piece)] if r]
        if not any(_same(roots, other) for other in asked):
            what = f"the roots of {masked[start:end].strip()!r} are the gold's elements"
            return [Finding("equivalent_form", what, start, end)]
    return []


def math_pieces(text: str) -> Iterator[tuple[tuple, int, int]]:
    """(tree, start, end) of each piece of each math segment of ``text`` that reads as an expression."""
    ranges = _math_ranges(text)
    for s, e in zip(ranges.starts, ranges.ends, strict=True):
        body = _DELIMITERS.sub("", text[s:e]) if e - s < 4000 else ""
        offset = s + text[s:e].find(body) if body else s
        last = 0
        for m in [*_PIECE_BREAK.finditer(body), None]:
            cut = m.start() if m is not None else len(body)
            piece = body[last:cut]
            if "(" in piece and len(piece) <= _LONGEST_PIECE:
                tree = read_expression(piece.strip().rstrip("."))
                if tree is not None:
                    lead = len(piece) - len(piece.lstrip())
                    yield tree, offset + last + lead, offset + last + len(piece.rstrip().rstrip("."))
            last = m.end() if m is not None else len(body)


def product_zeros(tree: tuple) -> list[Value]:
    """The distinct real roots of a product of two factors or more in one letter with no blank, each of
    degree one or two in it; ``[]`` for anything else."""
    letters = tree_unknowns(tree)
    if tree[0] != "*" or len(letters) != 1 or not next(iter(letters)).startswith("v:"):
        return []
    (u,) = letters
    factors = [f for f in _factors(tree) if u in tree_unknowns(f)]
    if not 2 <= len(factors) <= MAX_FACTORS:
        return []
    roots: list[Fraction | float] = []
    for f in factors:
        degree = polynomial_degree(f, u)
        if degree == 1:
            zero = linear_root(f, u)
            if zero is None:
                return []
            roots.append(zero)
            continue
        abc = quadratic_coefficients(f, u, {}) if degree == 2 else None
        if abc is None:
            return []
        a, b, c = abc
        disc = b * b - 4 * a * c
        if disc >= 0:
            exact = exact_sqrt(disc)
            root = math.sqrt(disc) if exact is None else exact
            roots.extend(((-b + root) / (2 * a), (-b - root) / (2 * a)) if disc else (-b / (2 * a),))
    out: list[Value] = []
    for r in roots:
        if not any(values_equal(r, o) for o in out):
            out.append(r)
    return out


@lru_cache(maxsize=4096)
def set_elements(raw: str) -> tuple[Value, ...]:
    """The elements of a set or list gold (``\\{1\\pm\\sqrt{5},-2\\}``: 1+sqrt 5, 1-sqrt 5, -2; ``1, -2``),
    an element written with one plus-minus outside braces as two; none where one of them has no value."""
    inner = re.sub(r"^\s*(?:\\left)?\\\{|(?:\\right)?\\\}\s*$", "", raw.strip())
    parts = _split_top(inner)
    out: list[Value] = []
    for part in parts:
        signs = [m for m in _PLUS_MINUS.finditer(part) if _depth(part, m.start()) == 0]
        if len(signs) > 1 or (signs and len(parts) > 1 and inner == raw.strip()):
            return ()  # two signs in one element, or a plus-minus in a list without braces: not read
        texts = [part] if not signs else _both_signs(part, signs[0])
        for t in texts:
            v = expression_value(t)
            if v is None:
                return ()
            if not any(values_equal(v, o) for o in out):
                out.append(v)
    return tuple(out)


def _both_signs(part: str, sign: re.Match[str]) -> list[str]:
    head, tail = part[: sign.start()].strip(), part[sign.end() :].strip()
    return [f"{head}+({tail})", f"{head}-({tail})"] if tail else [part]


def _depth(text: str, at: int) -> int:
    """How many brackets or braces are open at ``at``."""
    return sum(1 if c in "{([" else -1 if c in "})]" else 0 for c in text[:at])


def _factors(tree: tuple) -> list[tuple]:
    """The factors of a product tree: nested products flattened, a power by a whole number its base, a
    negation its operand."""
    if tree[0] == "*":
        return [f for t in tree[1:] for f in _factors(t)]
    if tree[0] == "neg":
        return _factors(tree[1])
    if tree[0] == "^" and tree[2][0] == "n" and tree[2][1].denominator == 1 and tree[2][1] >= 1:
        return _factors(tree[1])
    return [tree]


def _same(a: list[Value] | tuple[Value, ...], b: list[Value] | tuple[Value, ...]) -> bool:
    return len(a) == len(b) and all(any(values_equal(x, y) for y in b) for x in a)
