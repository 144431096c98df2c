"""A fraction of two blanks is one value to a reader.

``\\frac{-3}{10} \\begin{pmatrix} 3 \\\\ 1 \\end{pmatrix} = \\begin{pmatrix} -\\frac{[NUMBER]}{[NUMBER]} \\\\
\\dots \\end{pmatrix}``: the hidden numerator and denominator are two unknowns that no equation fixes
apart, yet a reader knows the fraction they write, 9/10, and carries it on to the next step. Where two
blanks occur only as that fraction, everywhere the reading has them, the solver takes the fraction as one
unknown (:func:`blank_ratios`): whatever fixes it is a value the reader has, and nothing is lost, since no
equation reads either blank alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ._equations import Equation, Reading, Side, tree_unknowns


def _blank(tree: object) -> str | None:
    """The name of a bare blank (``("u", name)``, not a variable ``v:x`` nor a calculator note)."""
    if isinstance(tree, tuple) and len(tree) == 2 and tree[0] == "u":
        name = tree[1]
        if not name.startswith(("v:", "note")):
            return name
    return None


def _numerator(tree: object) -> str | None:
    """The blank of a numerator written ``[N]``, ``-[N]`` or ``3[N]`` (a sign or a visible factor on it)."""
    if isinstance(tree, tuple) and tree[0] == "neg" and len(tree) == 2:
        return _blank(tree[1])
    if isinstance(tree, tuple) and tree[0] == "*" and len(tree) == 3 and tree[1][0] == "n":
        return _blank(tree[2])
    return _blank(tree)


def _pair(tree: tuple) -> tuple[str, str] | None:
    """``(numerator, denominator)`` where ``tree`` is a fraction of two different blanks, the numerator
    bare, signed or times a visible number (``\\frac{[N]}{[N]}``, ``-[N]/[N]``, ``\\frac{3[N]}{[N]}``)."""
    if tree[0] != "/" or len(tree) != 3:
        return None
    a, b = _numerator(tree[1]), _blank(tree[2])
    return (a, b) if a is not None and b is not None and a != b else None


def _with_ratio(numerator: tuple, name: str) -> tuple:
    """The numerator with its blank the fraction's unknown (the sign or factor kept)."""
    if numerator[0] == "neg":
        return ("neg", ("u", name))
    if numerator[0] == "*":
        return ("*", numerator[1], ("u", name))
    return ("u", name)


def _count(tree: tuple, leaves: Counter[str], pairs: Counter[tuple[str, str]]) -> None:
    stack = [tree]
    while stack:
        t = stack.pop()
        op = t[0]
        if op == "u":
            leaves[t[1]] += 1
            continue
        if op in ("n", "c"):
            continue
        pair = _pair(t)
        if pair is not None:
            pairs[pair] += 1
        stack.extend(k for k in (t[1] if op == "vec" else t[1:]) if isinstance(k, tuple))


def _renamed(tree: tuple, names: dict[tuple[str, str], str]) -> tuple:
    op = tree[0]
    if op in ("u", "n", "c"):
        return tree
    pair = _pair(tree)
    if pair is not None and pair in names:
        return _with_ratio(tree[1], names[pair])
    if op == "vec":
        return ("vec", tuple(_renamed(t, names) for t in tree[1]))
    return (op, *(_renamed(t, names) if isinstance(t, tuple) else t for t in tree[1:]))


def ratio_name(numerator: str, denominator: str) -> str:
    """The unknown that stands for the fraction of two blanks."""
    return f"{numerator}/{denominator}"


def is_ratio(unknown: str) -> bool:
    """Is ``unknown`` a fraction of two blanks read as one (:func:`ratio_name`)?"""
    return "/" in unknown and not unknown.startswith("v:")


def blank_ratios(reading: Reading) -> Reading:
    """``reading`` with each fraction of two blanks that occur nowhere else (in its equations, sides and
    vectors) read as one unknown (:func:`ratio_name`); ``reading`` itself when there is none. Its
    ``blanks`` still map each placeholder to its own unknown, which no equation holds now: what reads a
    placeholder's value (a template's slot, a point's coordinate) finds none, never the fraction's."""
    leaves: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    sides = [s for eq in reading.equations for s in (eq.left, eq.right)]
    for side in (*sides, *reading.sides, *reading.vectors):
        _count(side.tree, leaves, pairs)
    owners = Counter(u for pair in pairs for u in pair)
    names = {
        (a, b): ratio_name(a, b)
        for (a, b), n in pairs.items()
        if leaves[a] == n and leaves[b] == n and owners[a] == 1 and owners[b] == 1
    }
    if not names:
        return reading
    renamed: dict[int, Side] = {}

    def side_of(side: Side) -> Side:
        out = renamed.get(id(side))
        if out is None:
            tree = _renamed(side.tree, names)
            out = side if tree == side.tree else Side(tree, tree_unknowns(tree), side.start, side.end)
            renamed[id(side)] = out
        return out

    return replace(
        reading,
        equations=[Equation(side_of(eq.left), side_of(eq.right), part=eq.part) for eq in reading.equations],
        sides=[side_of(s) for s in reading.sides],
        vectors=[side_of(s) for s in reading.vectors],
    )
