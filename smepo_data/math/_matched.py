"""A side with letters and a side written alike with values (for the ``matched`` attack).

"$\\frac{255}{512}=\\frac{[NUMBER]^n-1}{[NUMBER]^{n+1}}$", then "$\\frac{255}{512}=\\frac{[NUMBER]^8-1}
{[NUMBER]^9}$, so $n=\\boxed{[NUMBER]}$": a reader lays the form over its instance and reads n = 8 off the
exponents (and n + 1 = 9 agrees), coefficient matching with no algebra and no value of the blanks.

Two sides of the trace's equations match when their trees are alike node for node: the same operators, the
same numbers, a blank against anything (it may hide any value), except where the form has a part in one
letter (``n``, ``n+1``, ``2k``) and the instance a number there. Each such part must be linear in its letter
and fix it to one value, and every part of one letter must give the same value. The shared skeleton must hold
:data:`MIN_OPERATORS` operators or more, so that ``n`` beside ``8`` or ``x^2`` beside ``3^2`` (the trace's
own check of a root, which other attacks read) is no match.

Not covered: a part of two letters or not linear in its letter (``n^2`` against ``64``), a negative number
against a part (``(-2)^3`` beside ``n^3``: a negation is no number node), terms in another order, a
coefficient 1 left out, and a form and an instance that stand in no equation. The masker's repair hides the
instance whole (its values stand in exponents, which a repair never hides alone).
"""

from __future__ import annotations

from ._equations import Side, Undefined, evaluate, tree_unknowns
from ._rational import Fraction
from ._values import Value

#: operators the form and its instance share, at least (``\\frac{2^n-1}{2^{n+1}}``: a quotient, a
#: difference, two powers)
MIN_OPERATORS = 2


def _letters(tree: tuple) -> frozenset[str]:
    return frozenset(u for u in tree_unknowns(tree) if u.startswith("v:"))


def _is_blank(tree: tuple) -> bool:
    return tree[0] == "u" and not tree[1].startswith("v:")


class _Match:
    def __init__(self) -> None:
        self.parts: list[tuple[tuple, Fraction]] = []
        self.operators = 0

    def alike(self, form: tuple, instance: tuple) -> bool:
        if _is_blank(form) or _is_blank(instance):
            return True
        if instance[0] == "n" and form[0] != "n" and _letters(form):
            if not isinstance(instance[1], Fraction) or tree_unknowns(form) != _letters(form):
                return False  # a part holding a blank says nothing of its letter
            self.parts.append((form, instance[1]))
            return True
        if form[0] != instance[0] or len(form) != len(instance):
            return False
        if form[0] in ("n", "c", "u"):
            return form == instance
        self.operators += 1
        for f, i in zip(form[1:], instance[1:], strict=True):
            if isinstance(f, tuple) and isinstance(i, tuple):
                if not self.alike(f, i):
                    return False
            elif f != i:
                return False
        return True


def _solved_part(part: tuple, value: Fraction) -> tuple[str, Fraction] | None:
    """The letter of ``part`` and the value that makes ``part`` equal ``value``, when it is linear in it."""
    letters = _letters(part)
    if len(letters) != 1:
        return None
    (letter,) = letters
    try:
        y0, y1, y2 = (evaluate(part, {letter: Fraction(k)}) for k in (0, 1, 2))
        if not (type(y0) is Fraction and type(y1) is Fraction and type(y2) is Fraction):
            return None
        if y1 == y0 or y2 - y1 != y1 - y0:
            return None  # not linear (n^2 against 64: n = 8 or -8)
        x = (value - y0) / (y1 - y0)
        if evaluate(part, {letter: x}) != value:
            return None
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None
    return letter, x


def letter_values(form: Side, instance: Side) -> dict[str, Value] | None:
    """The letters' values that make ``form`` read as ``instance`` (see the module), or ``None``."""
    if not _letters(form.tree) or _letters(instance.tree):
        return None
    match = _Match()
    if not match.alike(form.tree, instance.tree) or not match.parts or match.operators < MIN_OPERATORS:
        return None
    out: dict[str, Value] = {}
    for part, value in match.parts:
        solved = _solved_part(part, value)
        if solved is None:
            return None
        letter, x = solved
        if out.setdefault(letter, x) != x:
            return None  # n = 8 in one place, n = 9 in another: no instance
    return out
