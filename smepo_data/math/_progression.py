"""A blank in a list of values that step evenly (for the ``progression`` attack).

"Trying $x=1$, $x=[NUMBER]$, and $x=3$, ... it equals 19 when $x=\\boxed{[NUMBER]}$": the visible trials step
by 1, so a reader fills the blank with 2 and never solves the equation; the placeholder singles out the
answer. The items of such a list are values (``1``, ``-2.5``, a blank, signed or not), each alone or given
to the same letter (``x=1``), one after another with only a comma, "and" or "or" (and math delimiters)
between them, none of them an operand (``2+1``, ``= 4``).

Three visible items or more that step evenly fix the list's one blank, wherever it stands; two fix only a
blank between them (``1, [NUMBER], 3``: any two values step evenly, so ``5, 12, [NUMBER]`` says nothing).
Not read: a list with several blanks (``2, 4, [NUMBER], [NUMBER]``, the multiples of 2: none is singled
out), a tuple or a set (``(1, [NUMBER], 3)``: coordinates, not trials), and a list the question itself
writes (the sequence it asks to continue).
"""

from __future__ import annotations

import re

from .._leak import Finding
from ._answer import Gold
from ._rational import Fraction

#: an item: a value, maybe given to a letter (``x = 1``), never a part of a longer expression around it
_ITEM = re.compile(
    r"(?<![\w.\\^_{}\]])(?:([A-Za-z])\s*+=\s*+)?(-?+(?:\d++(?:\.\d++)?+|\s*+\[[A-Z][A-Z]++(?:_\d++)?+\]))"
    r"(?![\w\[^_(]|\.\d|\s*+[-+*/=])"
)
#: what stands between two items of one list
_BETWEEN = re.compile(r"[\s$]*+(?:,[\s$]*+(?:(?:and|or)\b[\s$]*+)?|(?:and|or)\b[\s$]*+)")
#: an operator, a relation or an opening bracket right before an item: the item is an operand, or a tuple's
_BEFORE = re.compile(r"(?:[-+*/=<>^(\[]|\\\{|\\(?:cdot|times|div|le|ge|leq|geq|pm))[\s$]*$")
_AFTER_TUPLE = re.compile(r"^[\s$]*(?:[)\]]|\\\})")
#: the most digits a visible item may have to be read (a longer one is hostile, or no trial value)
_LONGEST = 30


def progressions(question: str, masked: str, gold: Gold) -> list[Finding]:
    """Each list (see the module) whose one blank the even step of its visible items fixes to the gold:
    blamed on the list whole (its visible values give the step)."""
    if gold.value is None or "[" not in masked:
        return []
    asked = re.sub(r"\s+", "", question)
    out = []
    for run in _runs(masked):
        letters = {m.group(1) for m in run}
        blanks = [i for i, m in enumerate(run) if "[" in m.group(2)]
        shown = [(i, m.group(2)) for i, m in enumerate(run) if "[" not in m.group(2)]
        if len(letters) != 1 or len(blanks) != 1 or len(shown) < 2:
            continue  # blanks among blanks ("2, 4, [NUMBER], [NUMBER]") single none of them out
        if any(len(t) > _LONGEST for _, t in shown) or ",".join(t for _, t in shown) in asked:
            continue  # a hostile number, or the question's own list
        at = blanks[0]
        if len(shown) == 2 and not shown[0][0] < at < shown[1][0]:
            continue  # two values always step evenly: only the blank between them is fixed
        values = [(i, Fraction(t)) for i, t in shown]
        (i0, v0), (i1, v1) = values[0], values[1]
        step = (v1 - v0) / (i1 - i0)
        if any(v != v0 + (i - i0) * step for i, v in values[2:]):
            continue  # no even step: 1, 2, 4
        value = v0 + (at - i0) * step
        if gold.equals(value):
            start, end = run[0].start(), run[-1].end()
            what = f"the list {masked[start:end]!r} steps evenly: its blank is the gold {value}"
            out.append(Finding("progression", what, start, end))
    return out


def _runs(text: str) -> list[list[re.Match[str]]]:
    """The lists of three items or more in ``text`` that are no tuple or set, each as its items' matches in
    order."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []

    def close() -> None:
        if len(current) >= 3 and not _AFTER_TUPLE.match(text, current[-1].end()):
            runs.append(current)

    for m in _ITEM.finditer(text):
        if current and not _BETWEEN.fullmatch(text, current[-1].end(), m.start()):
            close()
            current = []
        if not current and _BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # an operand ("2+1"), or a tuple's first entry: no list starts here
        current.append(m)
    close()
    return runs
