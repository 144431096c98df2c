"""An operation applied to both sides of an equation, named in prose.

``$$\\frac{2}{x+1} = [EXPR].$$ Multiplying both sides by $5(x+1)$, we have $$[NUMBER] = x+1.$$``: the
reader multiplies the visible left side by the visible factor, has 10, and the hidden 10 is known; then
``x = 9``. Or ``Multiply both sides of $1200\\text{ lire}=\\$1.50$ by $1,\\!000,\\!000/1200$ to find that
... $\\frac32\\cdot[N],\\!000/[N]=\\boxed{[N]}$``: the visible right side times the visible factor is the
hidden result. The equations :func:`both_sides` gives say so: each side of the equation the operation
names, with the operation applied, equals the side written in the same place of the next equation
(left to left, right to right). The operand must be visible (a hidden one is already the cut), and the
equation it applies to is the one the sentence names (``of $A = B$``) or the last one written before it.
The new sides stand where the operand is written: the repair hides a value of the operand (a power's, on
the side it raises).

Nothing is read where the text leaves doubt which equations they are: an operation not done there ("after
dividing", "we cannot divide"), an equation named in words ("in the first equation", "equation (1)"),
"each side" that is no side of an equation ("each side by $2$" of a square), another statement between
the equation and the operation, or more steps before the result ("and rearranging"). At most
``_MAX_OPERATIONS`` operations are read in one text.
"""

from __future__ import annotations

import bisect
import re

from ._equations import Equation, Reading, Side, read_expression, tree_unknowns
from ._rational import Fraction

_OPEN = r"(?:\$\$?|\\\()"
_CLOSE = r"(?:\$\$?|\\\))"
#: a whole math segment (an escaped ``\$`` inside it is a dollar sign)
_WHOLE = rf"{_OPEN}(?:\\\$|[^$]){{1,400}}?{_CLOSE}"
#: the equation an operation names: "of $A = B$", "of the equation" (one named in words, "of the first
#: equation", reads nothing)
_OF = rf"(?:\s+of\s+(?:the\s+(?:equation|inequality)\b\s*)?(?P<of>{_WHOLE})?)?"
#: "both sides", or "each side" of an equation ("each side" alone is a figure's: "each side by $2$")
_SIDES = r"\s+(?:both\s+sides\b|each\s+side(?=\s+of\s+(?:the\s+(?:equation|inequality)\b|\$|\\\()))"
#: an equation named in words near the operation: "in the first equation", "equation (1)"
_IN_WORDS = re.compile(
    r"(?i)\b(?:first|second|third|fourth|last|other|former|latter|previous|top|bottom|given|original)\s+"
    r"(?:equations?|inequalit(?:y|ies)|relations?|lines?|ones?)\b|\bequation\s*\(?\d|\(\d+\)"
)
#: where a sentence ends
_SENTENCE = re.compile(r"[.!?](?=\s)|\n\s*\n")
#: "multiply both sides (of $A = B$) by $C$", "dividing each side by $C$", "this multiplies both sides by"
_SCALED = re.compile(
    rf"(?i)\b(?P<verb>multipl(?:y|ying|ied|ies)|divid(?:e|es|ing|ed)){_SIDES}{_OF}\s*,?\s*by\s+(?P<operand>{_OPEN})"
)
#: "add $C$ to both sides (of $A = B$)", "subtracting $C$ from each side"
_SHIFTED = re.compile(
    rf"(?i)\b(?P<verb>add(?:s|ing|ed)?|subtract(?:s|ing|ed)?)\s+(?P<operand>{_OPEN})[^$]{{1,60}}?{_CLOSE}"
    rf"\s*(?:to|from){_SIDES}{_OF}"
)
#: "squaring both sides (of $A = B$)"
_POWERED = re.compile(rf"(?i)\b(?P<verb>squar(?:e|es|ing|ed)|cub(?:e|es|ing|ed)){_SIDES}{_OF}")
#: what makes the words before the verb no operation done here: "after dividing", "we cannot divide"
_NOT_DONE = re.compile(
    r"(?i)\b(?:after|before|not|cannot|can't|never|instead\s+of|rather\s+than|without)\s+(?:\w+\s+)?\Z"
)
#: what between the operation and the next equation says that equation is not (only) its result
_MORE_DONE = re.compile(
    r"(?i)rearrang|simplif|expand|factor|collect|mov|subtract|\badd|divid|multipl|combin|cancel|squar|cub"
    r"|tak|isolat|solv|substitut|plug|[<>=]|\\(?:[lg]eq?|[lg]t|ne)\b"
)
#: a relation between the equation operated on and the operation: another statement stands between
_RELATION = re.compile(r"[<>=≤≥≠]|\\(?:[lg]eq?|[lg]eqslant|[lg]t|ne|neq)(?![a-zA-Z])")
#: a math segment's interior from its opening delimiter
_SEGMENT = re.compile(r"(\$\$|\$|\\\()(.{1,120}?)(?:\$\$|\$|\\\))", re.S)
#: a thousands separator between digits (``1,\\!000``, ``1{,}000``, ``1\\,000``)
_THOUSANDS = re.compile(r"(?<=\d)(?:,\\!|\{,\}|\\,)(?=\d{3})")
#: how far back the equation an operation applies to may end, and how far on its result may start
_BACK = 400
_ON = 300
#: the most operations read in one text
_MAX_OPERATIONS = 16


def has_operation(text: str, shifts: bool = False) -> bool:
    """Does ``text`` name a scaling or a power of both sides of an equation (with ``shifts``: an addition or
    a subtraction)?"""
    if "side" not in text:
        return False
    return bool(_SHIFTED.search(text)) if shifts else bool(_SCALED.search(text) or _POWERED.search(text))


def both_sides(masked: str, reading: Reading, shifts: bool = False) -> list[Equation]:
    """The equations a reader has from each operation ``masked`` applies to both sides of an equation
    (see the module): the named (or last) equation's sides, operated on, equal the next equation's sides.
    Scalings and powers; with ``shifts``, additions and subtractions too (read second: the solver does a
    shift by a visible number itself when it solves the next equation, and a shift read first would take
    the blame for a chain a scaling cut, its visible operand hidden for nothing).

    Read only where the text leaves no doubt which equations they are: the operation is done here (not
    "after dividing", "we cannot divide"), no other statement stands between the equation and the
    operation, and the next equation follows with no other step between ("and rearranging")."""
    written = sorted((eq for eq in reading.equations if not eq.part), key=lambda eq: eq.start)
    starts = [eq.start for eq in written]
    ends = sorted(written, key=lambda eq: eq.end)
    end_at = [eq.end for eq in ends]
    out: list[Equation] = []
    matches = [
        m
        for p in ((_SCALED, _POWERED, _SHIFTED) if shifts else (_SCALED, _POWERED))
        for m in p.finditer(masked)
    ]
    for m in sorted(matches, key=lambda m: m.start())[:_MAX_OPERATIONS]:
        if _NOT_DONE.search(masked, max(0, m.start() - 30), m.start()):
            continue
        opened = max(
            (s.end() for s in _SENTENCE.finditer(masked, max(0, m.start() - 200), m.start())), default=0
        )
        closed = _SENTENCE.search(masked, m.end())
        if _IN_WORDS.search(masked, opened, closed.start() if closed else len(masked)):
            continue  # "in the first equation": not the last one written
        op = _operation(masked, m)
        if op is None:
            continue
        kind, operand, start, end = op
        if m.group("of"):
            inside = [eq for eq in written if m.start("of") <= eq.start and eq.end <= m.end("of")]
            before = inside[-1] if inside else _named(masked, m.start("of"), m.end("of"))
        else:
            i = bisect.bisect_right(end_at, m.start()) - 1
            before = ends[i] if i >= 0 and ends[i].end >= m.start() - _BACK else None
            if before is not None and _RELATION.search(masked, before.end, m.start()):
                before = None  # an inequality, or an equation not read, stands between
        done = max(end, m.end())  # the operation's words and operand, and the equation it names
        j = bisect.bisect_left(starts, done)
        after = written[j] if j < len(written) and written[j].start <= done + _ON else None
        if before is None or after is None or after is before:
            continue
        if _MORE_DONE.search(masked, done, after.start):
            continue  # "and rearranging, ...": the next equation is not the operation's result alone
        for side, result in ((before.left, after.left), (before.right, after.right)):
            tree = (kind, side.tree, operand)
            unknowns = side.unknowns | tree_unknowns(operand)
            # blamed where the operand is written (a power has none: on the side it squares)
            at = (start, end) if kind != "^" else (side.start, side.end)
            out.append(Equation(result, Side(tree, frozenset(unknowns), *at)))
    return out


#: the segment a sentence names, from its opening delimiter (an escaped ``\\$`` inside it is a dollar sign)
_NAMED_SEGMENT = re.compile(r"(\$\$|\$|\\\()((?:\\\$|[^$]){1,400}?)(?:\$\$|\$|\\\))")
#: a unit or a word in ``\\text{...}`` (``300\\text{ Japanese yen}``), and an escaped dollar sign
_WORDS = re.compile(r"\\(?:text|mathrm)\s*\{[^{}]*\}|\\\$")


def _named(masked: str, start: int, end: int) -> Equation | None:
    """The equation of visible values a sentence names (``$300\\text{ Japanese yen}=\\$2.40$``) where the
    reading kept none there, its words and currency signs dropped: ``300 = 2.40``."""
    seg = _NAMED_SEGMENT.match(masked, start)
    if seg is None or seg.end() > end:
        return None
    inner = seg.group(2)
    if "[" in inner or inner.count("=") != 1:
        return None
    left, right = inner.split("=")
    trees = [read_expression(_THOUSANDS.sub("", _WORDS.sub(" ", t))) for t in (left, right)]
    if trees[0] is None or trees[1] is None or tree_unknowns(trees[0]) or tree_unknowns(trees[1]):
        return None
    at = seg.start(2)
    cut = at + len(left)
    return Equation(Side(trees[0], frozenset(), at, cut), Side(trees[1], frozenset(), cut + 1, seg.end(2)))


def _operation(masked: str, m: re.Match[str]) -> tuple[str, tuple, int, int] | None:
    """(kind, operand tree, where the operation's words end or its operand is written) of the operation
    ``m`` names; ``None`` where the operand is hidden or unreadable."""
    verb = m.group("verb").lower()
    if verb.startswith(("squar", "cub")):
        exponent = ("n", Fraction(2 if verb.startswith("squar") else 3))
        return ("^", exponent, m.end(), m.end())
    seg = _SEGMENT.match(masked, m.start("operand"))
    if seg is None:
        return None
    inner = seg.group(2)
    if "[" in inner or "=" in inner:
        return None  # a hidden operand cuts the step already; a relation is no operand
    tree = read_expression(_THOUSANDS.sub("", inner))
    if tree is None:
        return None
    kind = {"m": "*", "d": "/", "a": "+", "s": "-"}[verb[0]]
    return (kind, tree, seg.start(2), seg.end(2))
