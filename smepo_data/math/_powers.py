"""Two powers of one base set equal: their exponents are equal (a ``matched`` read-off).

``[NUMBER]^{2x} = ([NUMBER]^4)`` or ``([NUMBER]^2)^x = [NUMBER]^3``: a trace that writes both sides as powers
of one number does so to compare the exponents, and a reader solves ``2x = 4`` without knowing the base.
Read equation by equation (each on its own: a line that writes two different bases, ``2^{2x} =
256^{\\frac12}``, fixes nothing the next one needs), where both sides are powers (a power of a power
multiplies the exponents) with a blank base on each side or the same visible base, and the exponents hold one
letter between them, no blank, linearly. The letter's value there equal to the gold leaks, blamed on the side
whose exponent has no letter (the repair hides that power whole: exponents are never hidden alone).
"""

from __future__ import annotations

import re

from .._leak import Finding
from ._answer import Gold
from ._equations import Undefined, evaluate, polynomial_degree, read_equations, tree_unknowns
from ._rational import Fraction
from ._values import values_equal

#: the most equations read
MAX_EQUATIONS = 400
#: a power within 80 characters before an ``=`` and another after it (the test before a trace is read)
_POWERS_AROUND = re.compile(r"\^[^=]{0,80}=[^=]{0,80}\^")


def equal_powers(masked: str, gold: Gold) -> list[Finding]:
    """The ``matched`` findings of equations of two powers of one base whose exponents fix the gold."""
    if gold.value is None or "^" not in masked or "=" not in masked or not _POWERS_AROUND.search(masked):
        return []
    out: list[Finding] = []
    for eq in read_equations(masked).equations[:MAX_EQUATIONS]:
        if eq.part:
            continue
        left, right = _power(eq.left.tree), _power(eq.right.tree)
        if left is None or right is None or not _same_base(left[0], right[0]):
            continue
        letters = tree_unknowns(left[1]) | tree_unknowns(right[1])
        if len(letters) != 1 or not next(iter(letters)).startswith("v:"):
            continue
        (u,) = letters
        root = _linear_root(("-", left[1], right[1]), u)
        if root is not None and gold.equals(root):
            side = eq.left if u not in tree_unknowns(left[1]) else eq.right
            what = f"the exponents of {masked[eq.start : eq.end].strip()!r} are equal: {u[2:]} = {root}"
            out.append(Finding("matched", what + ", the gold answer", side.start, side.end))
    return out


def _power(tree: tuple) -> tuple[tuple, tuple] | None:
    """``(base, exponent)`` of a power (``(b^2)^x`` is ``b`` to ``2x``), or ``None``."""
    if tree[0] != "^":
        return None
    inner = _power(tree[1])
    if inner is None:
        return tree[1], tree[2]
    return inner[0], ("*", inner[1], tree[2])


def _same_base(a: tuple, b: tuple) -> bool:
    """Both bases blanks (a reader takes them for one number), or one visible number twice."""
    blanks = [t[0] == "u" and not t[1].startswith("v:") for t in (a, b)]
    if all(blanks):
        return True
    if any(blanks) or tree_unknowns(a) or tree_unknowns(b):
        return False
    try:
        return values_equal(evaluate(a, {}), evaluate(b, {}))
    except Undefined:
        return False


def _linear_root(tree: tuple, u: str) -> Fraction | None:
    """The root of ``tree`` in ``u`` where it is linear in it with rational values, else ``None``."""
    if polynomial_degree(tree, u) != 1:
        return None
    try:
        at0, at1 = evaluate(tree, {u: Fraction(0)}), evaluate(tree, {u: Fraction(1)})
    except (Undefined, ZeroDivisionError, OverflowError):
        return None
    if type(at0) is not Fraction or type(at1) is not Fraction or at0 == at1:
        return None
    return -at0 / (at1 - at0)
