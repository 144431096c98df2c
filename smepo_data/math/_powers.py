"""Two powers of one base set equal: their exponents are equal (a ``matched`` read-off).

``[NUMBER]^{2x} = ([NUMBER]^4)`` or ``([NUMBER]^2)^x = [NUMBER]^3``: a trace that writes both sides as powers
of one number does so to compare the exponents, and a reader solves ``2x = 4`` without knowing the base.
Read pair by pair among the sides of each chain of ``=`` (``[N]^{2x} &= [N]^{\\frac12} \\\\ &=
([N]^8)^{\\frac12}``; each pair on its own: two different bases, ``2^{2x} = 256^{\\frac12}``, fix nothing
another pair needs), where both are powers (a power of a power multiplies the exponents) with a blank base on
each, one letter twice or the same visible base other than 0, 1 or -1, and the exponents hold one letter
between them, no blank, linearly. Not a chain the question writes. The letter's value there equal to the
gold leaks, blamed on the side whose exponent has no letter (the repair hides that power whole: exponents
are never hidden alone).
"""

from __future__ import annotations

import itertools
import re

from .._leak import Finding
from ._answer import Gold
from ._equations import Equation, Side, Undefined, evaluate, linear_root, read_equations, tree_unknowns
from ._question import spaceless
from ._values import values_equal

#: the most equations read
MAX_EQUATIONS = 400
#: a power before an ``=`` and another within 80 characters after it (the test before a trace is read)
_POWERS_AROUND = re.compile(r"\^[^=]{0,400}=[^=]{0,80}\^")


def equal_powers(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The ``matched`` findings of two powers of one base, sides of one chain of ``=``, whose exponents fix
    the gold (not a chain the question writes)."""
    if gold.value is None or "^" not in masked or "=" not in masked or not _POWERS_AROUND.search(masked):
        return []
    asked = spaceless(question)
    out: list[Finding] = []
    for sides in _chains(read_equations(masked).equations[:MAX_EQUATIONS]):
        powers = [(side, p) for side in sides if (p := _power(side.tree)) is not None]
        for (a, pa), (b, pb) in itertools.combinations(powers, 2):
            if not _same_base(pa[0], pb[0]) or spaceless(masked[a.start : b.end]) in asked:
                continue
            letters = tree_unknowns(pa[1]) | tree_unknowns(pb[1])
            if len(letters) != 1 or not next(iter(letters)).startswith("v:"):
                continue
            (u,) = letters
            root = linear_root(("-", pa[1], pb[1]), u)
            if root is not None and gold.equals(root):
                side = a if u not in tree_unknowns(pa[1]) else b
                what = f"the exponents of {masked[a.start : b.end].strip()!r} are equal: {u[2:]} = {root}"
                out.append(Finding("matched", what + ", the gold answer", side.start, side.end))
    return out


def _chains(equations: list[Equation]) -> list[list[Side]]:
    """The sides of each chain of ``=`` (``A &= B \\\\ &= C``: A, B and C), in order."""
    chains: list[list[Side]] = []
    for eq in equations:
        if eq.part:
            continue
        last = chains[-1][-1] if chains else None
        if last is not None and (last.start, last.end) == (eq.left.start, eq.left.end):
            chains[-1].append(eq.right)
        else:
            chains.append([eq.left, eq.right])
    return chains


def _power(tree: tuple) -> tuple[tuple, tuple] | None:
    """``(base, exponent)`` of a power (``(b^2)^x`` is ``b`` to ``2x``), or ``None``."""
    if tree[0] != "^":
        return None
    inner = _power(tree[1])
    if inner is None:
        return tree[1], tree[2]
    return inner[0], ("*", inner[1], tree[2])


def _same_base(a: tuple, b: tuple) -> bool:
    """Both bases blanks (a reader takes them for one number), one letter twice (``e^{x} = e^{3}``), or one
    visible number twice other than 0, 1 and -1 (whose powers are equal whatever the exponents)."""
    if a[0] == "u" and b[0] == "u":
        blanks = [not t[1].startswith("v:") for t in (a, b)]
        return all(blanks) or (not any(blanks) and a[1] == b[1])
    if tree_unknowns(a) or tree_unknowns(b):
        return False
    try:
        x, y = evaluate(a, {}), evaluate(b, {})
    except Undefined:
        return False
    return values_equal(x, y) and not any(values_equal(x, v) for v in (0, 1, -1))
