"""A value put into a function the trace defines (for the ``system`` attack).

"Therefore, $P(x) = 1 + k(x-1)^2$ for some constant $k$. Setting $x = 11$, we have $181 = 1 +[NUMBER]k$": the
equation after the setting is the definition at 11, written out, so each of its sides is ``P(11)``. A reader
puts 11 into the definition (``1 + 100k``), reads ``k = 9/5`` off ``181 = P(11)`` and evaluates ``P(16)``;
the blank of ``[NUMBER]k`` hid nothing. :func:`with_applications` writes the application into the equation
(``181 = P(11) = 1 +[NUMBER]k``), where the named reading (:func:`._equations.read_named`) applies the
definition; the positions of what the attack then blames are mapped back by :func:`original_span`.

A setting is "Setting / Set / Plugging (in) / Substituting / Letting / Putting / Taking / When $x = 11$" with
a visible number, then, within the sentence (words and short formulas: "into $f(x)$,"), "we have / we get / we
find / we obtain (that)" or "gives (us) / yields" and the equation. The function is the one function of that
variable the trace defines before it (``P(x) = ...``). The application is written in only where a side of the
equation *is* the definition at that value, for every value of the definition's other letters, its blanks
standing for any numbers (``1 + [NUMBER]k`` against ``1 + 100k``): a simplified equation (``180 = 100k``) or
one about another object ("setting $x = 2$ in the line's equation, we get $y = 7$") is read as written. An
equation that applies the function already (``q(1) = ...``) is read as written too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from ._equations import Undefined, evaluate, read_expression, substitute, tree_unknowns
from ._rational import Fraction
from ._values import Value

_SETTING = re.compile(
    r"(?i)\b(?:setting|set|plugging(?:\s+in)?|substituting|letting|putting|taking|when)\s+"
    r"\$\s*([a-z])\s*=\s*(-?\d+(?:\.\d+)?)\s*\$"
    r"(?:[^$.\n]|\$[^$.\n]{1,40}\$){0,60}?"  # words, short formulas ("into $f(x)$,")
    r"\b(?:we\s+(?:have|get|find|obtain)(?:\s+that)?|(?:this\s+)?(?:gives|yields)(?:\s+us)?)"
    r"\s*:?\s*(\$\$?|\\\[)"
)
#: where a math segment opened by ``$``, ``$$`` or ``\\[`` closes
_CLOSE = {"$": re.compile(r"(?<!\\)\$"), "$$": re.compile(r"\$\$"), "\\[": re.compile(r"\\\]")}
#: a relation other than ``=`` (``\\le``, ``<``, ``\\equiv``): no equation to write the application into
_OTHER_RELATION = re.compile(r"\\(?:[lg]eq?|neq|equiv|approx)(?![A-Za-z])|[<>]")
#: a definition ``P(x) = body``: the function's letter, its variable and the body, up to where the formula
#: ends (its segment, a row, a comma, another relation)
_DEFINITION = re.compile(
    r"(?<![A-Za-z\\])([A-Za-z])\(\s*([a-z])\s*\)\s*=(?!=)\s*"
    r"([^$=,;\n]{1,200}?)\s*(?=\$|\\\]|\\\\|,|;|=|\n|\\text|\\quad|\\end|\.\s|\.$|\bfor\b)"
)
_LONGEST = 400
#: the most blanks a side may hold for the identity check (each adds a sample point)
_MOST_BLANKS = 3


@dataclass(frozen=True, slots=True)
class Insert:
    """Text written into the trace at ``at`` (``length`` characters), and the setting's value it stands
    for (``start``, ``end``): what a finding that leans on the insert blames."""

    at: int
    length: int
    start: int
    end: int


def _definitions(text: str) -> list[tuple[int, str, str, tuple]]:
    """Every definition of a function the text writes: (where, the function's letter, its variable, the
    body's tree); a body that spells no single expression is none."""
    out = []
    for m in _DEFINITION.finditer(text):
        if m.group(1) == m.group(2):
            continue
        tree = read_expression(m.group(3))
        if tree is not None:
            out.append((m.start(), m.group(1), m.group(2), tree))
    return out


#: whether a linear system has a solution: rows of (coefficients by blank, right-hand side, origin); the
#: attack passes its own elimination (:func:`.attacks._eliminate`)
Solvable = Callable[[list[tuple[dict[str, Fraction], Value, frozenset[int]]]], bool]


def _is_instance(side: tuple, body_at: tuple, solvable: Solvable) -> bool:
    """Is ``side`` the tree ``body_at`` for every value of ``body_at``'s letters, for some numbers in its
    blanks? Checked at sample points of the letters, the blanks entering linearly (a product of blanks,
    ``\\tfrac{[NUMBER]}{[NUMBER]}``, is no instance). The side must use a letter of the body, and no other."""
    letters = sorted(u for u in tree_unknowns(body_at) if u.startswith("v:"))
    names = tree_unknowns(side)
    own = {u for u in names if u.startswith("v:")}
    blanks = sorted(names - own)
    if not own or not own <= set(letters) or len(blanks) > _MOST_BLANKS:
        return False
    rows: list[tuple[dict[str, Fraction], Value, frozenset[int]]] = []
    for k in range(len(blanks) + 2):
        point: dict[str, Value] = {u: Fraction(11 + 7 * k + 3 * j, 5) for j, u in enumerate(letters)}
        zero: dict[str, Value] = {**point, **{b: Fraction(0) for b in blanks}}
        try:
            target, base = evaluate(body_at, point), evaluate(side, zero)
            ones = [evaluate(side, {**zero, b: Fraction(1)}) for b in blanks]
            twos = [evaluate(side, {**zero, b: Fraction(2)}) for b in blanks]
            both = evaluate(side, {**zero, **{b: Fraction(1) for b in blanks}})
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            return False
        if not all(type(v) is Fraction for v in (target, base, *ones, *twos, both)):
            return False
        coefs = [cast(Fraction, one - base) for one in ones]
        linear = all(two - base == 2 * c for two, c in zip(twos, coefs, strict=True))
        if not linear or both - base != sum(coefs, Fraction(0)):  # a product of blanks
            return False
        rows.append((dict(zip(blanks, coefs, strict=True)), target - base, frozenset()))
    return solvable(rows)


def with_applications(text: str, solvable: Solvable) -> tuple[str, list[Insert]]:
    """``text`` with each setting's equation given its application (``181 = P(11) = 1 + [NUMBER]k``), and
    where each was written (in the order of the text); ``solvable`` decides the identity check's systems."""
    if "=" not in text or not _SETTING.search(text):
        return text, []
    definitions = _definitions(text)
    pieces: list[str] = []
    inserts: list[Insert] = []
    last, shift = 0, 0
    for m in _SETTING.finditer(text):
        var, value, opener = m.group(1), m.group(2), m.group(3)
        before = [(name, body) for at, name, v, body in definitions if v == var and at < m.start()]
        if len({name for name, _ in before}) != 1:
            continue
        name, body = before[-1]
        close = _CLOSE[opener].search(text, m.end(), m.end() + _LONGEST)
        if close is None:
            continue
        equation = text[m.end() : close.start()]
        if equation.count("=") != 1 or _OTHER_RELATION.search(equation):
            continue
        if re.search(rf"(?<![A-Za-z\\]){name}\(", equation):
            continue  # the equation applies the function already (q(1) = ...)
        body_at = substitute(body, f"v:{var}", ("n", Fraction(value)))
        sides = [read_expression(side) for side in equation.split("=")]
        if not any(side is not None and _is_instance(side, body_at, solvable) for side in sides):
            continue  # simplified, or about another object: read as written
        at = m.end() + equation.index("=") + 1
        written = f" {name}({value}) ="
        pieces.append(text[last:at] + written)
        inserts.append(Insert(at + shift, len(written), m.start(2), m.end(2)))
        shift += len(written)
        last = at
    if not inserts:
        return text, []
    pieces.append(text[last:])
    return "".join(pieces), inserts


def original_span(start: int, end: int, inserts: list[Insert]) -> tuple[int, int]:
    """Where ``(start, end)`` of the text :func:`with_applications` wrote lies in the original: a span that
    touches an insert is the setting's value (the application rests on it); any other is shifted back."""
    for ins in inserts:
        if start < ins.at + ins.length and ins.at < end:
            return ins.start, ins.end
    back = sum(ins.length for ins in inserts if ins.at + ins.length <= start)
    return start - back, end - back
