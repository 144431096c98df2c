"""The question's asked expression of its letters, and the points the trace writes (for the ``point`` attack).

"Let $a,$ $b,$ $c,$ and $d$ be positive real numbers such that $a + b + c + d = 10.$ Find the maximum value
of $ab^2 c^3 d^4.$" beside the trace's "Equality occurs when $a = 1,$ $b = 2,$ $c = 3,$ and $d = [NUMBER]$":
a reader fills the blank from the question's own equation (d = 10 - 1 - 2 - 3) and evaluates the asked
expression at the point, 1 * 2^2 * 3^3 * 4^4, without the AM-GM the question asks for. "$abc=[NUMBER]\\cdot
5\\cdot-8$" beside "If $a+b=8$ ...": the asked expression written with values, the blank one subtraction away.
This module finds the pieces as text; the attack (:func:`.attacks._points`) gives blanks their values,
fills the rest from the question's equations and evaluates.

- the target: the question's last math segment that is no relation, made of two letters or more, numbers
  and operators (``ab^2 c^3 d^4``, ``abc``, ``a + b``);
- the question's equations: its math segments ``left = right`` (one ``=``), each side an expression;
- the trace's points, each one set of values for the target's letters: a run of assignments close together
  (``a = 1``, a chain ``x = y = 2`` sets both, ``x &= 1``, a blank counts; the letter starts its side and
  its value ends there, not ``a = 1 + b``), or the target itself written with a value in each letter's
  place (``2 \\cdot 3^2``, a product needing a ``\\cdot``, ``\\times`` or ``*`` between values, which side
  by side would read as one number). Values of two points (two cases, two products) are never combined.

A question whose equations alone fix every letter one at a time ("If $x = 2$ and $y = x + 1$, find
$xy$") has no point to leak: reading it is the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ._equations import Undefined, evaluate, read_expression, tree_unknowns
from ._rational import Fraction
from ._template import question_segments
from ._values import Value

#: a relation in a segment: such a segment is no target
_RELATION = re.compile(
    r"=|<|>|\\[lg]eq?(?![A-Za-z])|\\neq?(?![A-Za-z])|\\approx|\\equiv|\\in(?![A-Za-z])|\\sim"
)
_LETTER = re.compile(r"\\[A-Za-z]+|([A-Za-z])")
#: what a target may hold besides its letters
_TARGET_REST = re.compile(r"^(?:\s|\d|[-+*/()^.{}]|\\cdot|\\times)*$")
#: a value for a letter: a number, a plain fraction, or a blank, signed or not (possessive: no backtracking
#: over runs of spaces)
_VALUE = r"-?+\s*+(?:\d++(?:\.\d++)?+|\\[dt]?frac\{\d++\}\{\d++\}|\[[A-Z][A-Z]++(?:_\d++)?+\])"
#: ``a = 1``, ``x = y = [NUMBER]``, ``x &= 1``: letters, then a value that ends there (no operator, digit
#: or percent after it; a full stop ends a sentence)
_ASSIGNMENT = re.compile(
    r"(?<![\w\\{^_])((?:[A-Za-z]\s*+&?=\s*+)++)(" + _VALUE + r")"
    r"(?!\w|\.\d|\s*+[-+*/^(\[{_\d%]|\s*+\\(?:cdot|times|frac|sqrt|dfrac|tfrac|%))"
)
#: assignments this close together (and no blank line between) are one point: values far apart are other
#: cases or other steps
_POINT_GAP = 120
#: the most question equations read (a question with thousands is hostile)
_MOST_EQUATIONS = 40
_TIMES = r"(?:\\cdot|\\times|\*)"
#: an operator command just before a letter: ``2 \\cdot c = 5`` gives c no value
_ENVIRONMENT = re.compile(r"\\begin\{[A-Za-z*]+\}$")
_OPERATOR_BEFORE = re.compile(r"\\(?:cdot|times|div|pm|mp|frac|sqrt)\s*$")
_PLAIN_FRACTION = re.compile(r"\\[dt]?frac\{(\d+)\}\{(\d+)\}")
#: the longest target read (an asked expression is short)
_LONGEST_TARGET = 80
#: the most combinations of the trace's values tried
MAX_POINTS = 64


@dataclass(frozen=True, slots=True)
class Point:
    """The question's target as a tree in ``v:<letter>``, its letters, its text as a pattern over the
    trace (``None`` for a target that no product of values writes), and the question's equations."""

    target: tuple
    text: str
    letters: frozenset[str]
    written: re.Pattern[str] | None
    equations: tuple[tuple[tuple, tuple], ...]


@dataclass(frozen=True, slots=True)
class Assigned:
    """A value the trace gives a letter: its text (a number or a blank, signed or not) and where it stands."""

    letter: str
    text: str
    start: int
    end: int


@lru_cache(maxsize=256)
def question_point(question: str) -> Point | None:
    """The question's target and equations (see the module), or ``None`` when it asks for no expression of
    two letters or more, or when its equations alone fix every letter of it."""
    segments = question_segments(question)
    target = None
    for text, _ in reversed(segments):
        if len(text) > _LONGEST_TARGET or _RELATION.search(text):
            continue
        used = {m.group(1) for m in _LETTER.finditer(text) if m.group(1)}
        rest = _LETTER.sub(lambda m: "" if m.group(1) else m.group(), text)
        if len(used) >= 2 and _TARGET_REST.match(rest):
            tree = read_expression(text)
            if tree is not None and tree_unknowns(tree) == frozenset(f"v:{x}" for x in used):
                target = (tree, text, frozenset(used))
                break
    if target is None:
        return None
    tree, text, letters = target
    equations = []
    for seg, _ in segments:
        sides = seg.split("=")
        if len(sides) == 2 and not any(_RELATION.search(s) for s in sides):
            left, right = read_expression(sides[0]), read_expression(sides[1])
            if left is not None and right is not None:
                equations.append((left, right))
    point = Point(tree, text, letters, _written(text, letters), tuple(equations[:_MOST_EQUATIONS]))
    if {f"v:{x}" for x in letters} <= fill(point, {}).keys():
        return None  # the question's equations alone fix the letters: reading them is the task
    return point


def points(point: Point, masked: str) -> list[list[Assigned]]:
    """The points ``masked`` writes for the target's letters, in order: each run of assignments close
    together (:data:`_POINT_GAP` characters, no blank line between: "Equality occurs when $a = 1,$ $b = 2,$
    ..."), then each place the target is written with values. Values of different points are never
    combined: two cases, or two products, are two points."""
    out: list[list[Assigned]] = []
    last_end = -1
    for m in _ASSIGNMENT.finditer(masked):
        if not _starts_a_side(masked, m.start()):
            continue  # "a+[NUMBER]b+c=5": c is a term of the left side, not given 5
        mine = [
            Assigned(x, m.group(2), m.start(2), m.end(2))
            for x in re.findall(r"[A-Za-z]", m.group(1))
            if x in point.letters
        ]
        if not mine:
            continue
        near = out and m.start() - last_end <= _POINT_GAP and "\n\n" not in masked[last_end : m.start()]
        if near:
            out[-1].extend(mine)
        else:
            out.append(mine)
        last_end = m.end()
    if point.written is not None:
        for m in point.written.finditer(masked):
            here = []
            for letter in sorted(point.letters):
                g = _group(letter)
                inner = re.search(_VALUE, m.group(g))
                assert inner is not None  # the group is a value, maybe in brackets
                here.append(
                    Assigned(letter, inner.group(), m.start(g) + inner.start(), m.start(g) + inner.end())
                )
            out.append(here)
    return out


def _starts_a_side(text: str, at: int) -> bool:
    """Does the letter at ``at`` begin a side: after the start of math, a comma, a bracket or a word of
    prose, never after an operator, a value, a blank, a command (``\\sin b``) or a letter of math (``c b``,
    a product)?"""
    before = text[max(0, at - 40) : at].rstrip()
    if not before or before[-1] in "$,;({[:&\n" or before.endswith("\\\\") or _ENVIRONMENT.search(before):
        return not before.endswith(("^{", "_{"))
    if _OPERATOR_BEFORE.search(before):
        return False
    word = re.search(r"\\?[A-Za-z]+$", before)
    if word is None or word.group().startswith("\\") or len(word.group()) < 2:
        return False
    return at > 0 and text[at - 1].isspace()


def value_of(text: str) -> Value | None:
    """The value of a visible number an assignment or a written target gives (``-8``, ``\\frac{3}{4}``), or
    ``None`` where it has none (``\\frac{1}{0}``) or is too long to read (over 4,000 digits)."""
    text = text.replace(" ", "")
    negative = text.startswith("-")
    text = text.lstrip("-")
    try:
        m = _PLAIN_FRACTION.fullmatch(text)
        v = Fraction(int(m.group(1)), int(m.group(2))) if m else Fraction(text)
    except (ZeroDivisionError, ValueError):
        return None
    return -v if negative else v


def fill(point: Point, env: dict[str, Value]) -> dict[str, Value]:
    """``env`` with what the question's equations fix one at a time: an equation with one letter left,
    linear in it, gives that letter (``a + b + c + d = 10`` with three known)."""
    env = dict(env)
    for _ in range(len(point.equations)):
        moved = False
        for left, right in point.equations:
            free = (tree_unknowns(left) | tree_unknowns(right)) - env.keys()
            if len(free) == 1:
                name = next(iter(free))
                root = _linear_root(left, right, name, env)
                if root is not None:
                    env[name] = root
                    moved = True
        if not moved:
            break
    return env


def _linear_root(left: tuple, right: tuple, name: str, env: dict[str, Value]) -> Value | None:
    """The root of ``left = right`` in ``name`` when the difference is linear in it (checked at four points,
    then at the root), else ``None``."""
    try:
        ys = [
            evaluate(left, {**env, name: Fraction(t)}) - evaluate(right, {**env, name: Fraction(t)})
            for t in (0, 1, 2, 5)
        ]
        slope = ys[1] - ys[0]
        if slope == 0 or ys[2] - ys[1] != slope or ys[3] - ys[2] != 3 * slope:
            return None
        root = -ys[0] / slope
        at = {**env, name: root}
        return root if evaluate(left, at) == evaluate(right, at) else None
    except (Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError):
        return None


def _written(text: str, letters: frozenset[str]) -> re.Pattern[str] | None:
    """The target as a pattern with a value in each letter's place: a product needs its sign between two
    values (``ab`` as ``2 \\cdot 3``), a value may stand in brackets (``(-8)``), a letter used twice reads
    the same text both times."""
    parts: list[str] = []
    seen: list[str] = []
    previous = ""  # "value" after a letter, a digit or a closing bracket: a letter now needs a sign
    for m in re.finditer(r"\\[A-Za-z]+|\\.|\s+|.", text, re.S):
        t = m.group()
        if t.isspace() or t in ("\\left", "\\right"):
            continue
        if t in letters:
            if previous == "value":
                parts.append(_TIMES)
            if t in seen:
                parts.append(f"(?P={_group(t)})")
            else:
                seen.append(t)
                parts.append(rf"(?P<{_group(t)}>\(?+\s*+{_VALUE}\s*+\)?+)")
            previous = "value"
            continue
        if t in ("\\cdot", "\\times", "*"):
            parts.append(_TIMES)
            previous = ""
            continue
        previous = "value" if t.isdigit() or t in ")}" else ""
        parts.append(re.escape(t) + (r"(?![A-Za-z])" if t[-1].isalpha() else ""))
    if len(seen) < 2:
        return None
    return re.compile(r"(?<![\w.\\])" + r"\s*+".join(parts) + r"(?!\w|\.\d)")


def _group(letter: str) -> str:
    return f"L{ord(letter)}"
