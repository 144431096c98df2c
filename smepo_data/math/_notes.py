"""A GSM8K step is written twice, in words and in its calculator note (``20% * $200 = $<<20*.01*200=40>>40``):
which operand of the words is which operand of the note.

The two copies are aligned as an order-preserving match by value (the longest common subsequence, the
latest operands of the words first): the note may add constants the words leave out (the ``.01`` or
``/100`` of a percent, the ``12`` of a dozen, the ``60`` of an hour) and the words may name values the note
does not use. The masker hides an operand in both copies alike; the ``restated`` attack finds one hidden
in a copy and visible in the other.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from ._lexer import Atom, scan_cached
from ._rational import Fraction
from ._values import values_equal

NOTE = re.compile(r"<<([^<>\n]{1,300}?)=[^<>\n]*?>>")
#: operands one side of a step may have before the alignment gives up (a work budget)
MAX_OPERANDS = 40


def _same(a: Atom, b: Atom) -> bool:
    return any(values_equal(v, w) for v in a.values for w in b.values)


def _exact(a: Atom) -> frozenset[tuple[int, int]] | None:
    """``a``'s values as (numerator, denominator) pairs when all are exact (``Fraction``), else ``None``:
    two exact atoms are :func:`_same` exactly when these share a pair (fractions are kept in lowest terms)."""
    exact = [v for v in a.values if isinstance(v, Fraction)]
    if len(exact) < len(a.values):
        return None
    return frozenset((v.numerator, v.denominator) for v in exact)


def _same_matrix(words: list[Atom], note: list[Atom]) -> list[list[bool]]:
    """``_same(words[i], note[j])`` for every pair, with no value comparison where both atoms are exact."""
    exact_note = [_exact(b) for b in note]
    out = []
    for a in words:
        x = _exact(a)
        out.append(
            [
                (not x.isdisjoint(y)) if x is not None and y is not None else _same(a, b)
                for b, y in zip(note, exact_note, strict=True)
            ]
        )
    return out


def _align(words: list[Atom], note: list[Atom]) -> list[tuple[Atom, Atom]]:
    """The longest order-preserving match of ``words`` and ``note`` by value; among equally long ones, the
    one that takes the latest operands of the words (those right before the note)."""
    n, m = len(words), len(note)
    same = _same_matrix(words, note)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n):
        row, above, same_i = best[i + 1], best[i], same[i]
        for j in range(m):
            row[j + 1] = above[j] + 1 if same_i[j] else max(above[j + 1], row[j])
    pairs = []
    i, j = n, m
    while i and j:
        if same[i - 1][j - 1] and best[i][j] == best[i - 1][j - 1] + 1:
            pairs.append((words[i - 1], note[j - 1]))
            i, j = i - 1, j - 1
        elif best[i - 1][j] >= best[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


@lru_cache(maxsize=32)
def note_twins(text: str) -> tuple[tuple[Atom, Atom], ...]:
    """``(operand in the words, the same operand in the note)`` for every step of ``text`` written twice.
    The words of a step are those of its sentence before the note (from the last line break, ``". "`` or
    ``": "``), outside any other note. Callers must not change the result."""
    if "<<" not in text:
        return ()
    sc = scan_cached(text)
    notes = [m.span() for m in NOTE.finditer(text)]
    values = [a for a in sc.atoms if a.role == "value" and not a.figure]  # sorted by start, as the atoms
    at = [a.start for a in values]
    # the values outside every note (the words' operands), found once: a bisect over the note spans
    note_starts = [s for s, _ in notes]
    outside = [
        a
        for a in values
        if not ((k := bisect_right(note_starts, a.start) - 1) >= 0 and a.start < notes[k][1])
    ]
    outside_at = [a.start for a in outside]
    atom_at = [a.start for a in sc.atoms]
    out: list[tuple[Atom, Atom]] = []
    previous = -1
    for m in NOTE.finditer(text):
        body_start, body_end = m.span(1)
        note = [
            a for a in values[bisect_left(at, body_start) : bisect_right(at, body_end)] if a.end <= body_end
        ]
        head = text.rfind("\n", 0, m.start()), text.rfind(". ", 0, m.start()), text.rfind(": ", 0, m.start())
        start = max(*head, previous)
        previous = m.end() - 1
        words = [
            a
            for a in outside[bisect_right(outside_at, start) : bisect_right(outside_at, m.start())]
            if a.end <= m.start()
        ]
        if note and words:
            words, note = words[-MAX_OPERANDS:], note[:MAX_OPERANDS]
            # two readings of which copy is which, both kept: the words' own computation first (it may
            # rewrite the step, ``6 + 3 * 2 = 6 + 6 = <<6+3*2=12>>``), and the whole sentence in order
            first = bisect_left(atom_at, m.end())
            after = sc.atoms[first : first + 1]  # the first atom after the note
            pairs = _pairs(words, note, _computation(after, m.end())) + _align(words, note)
            seen: set[tuple[int, int]] = set()
            for a, b in pairs:
                if (a.start, b.start) not in seen:
                    seen.add((a.start, b.start))
                    out.append((a, b))
    return tuple(out)


def _computation(atoms: list[Atom], after: int) -> tuple[int, int]:
    """The span of the words' own computation (``30%*120`` of ``I received 30%*120=$<<120*30*.01=36>>36``):
    the operands of the result right after the note, or ``(-1, -1)``."""
    for a in atoms:
        if a.start >= after:
            return a.operands if a.result and a.start <= after + 2 else (-1, -1)
    return (-1, -1)


def _pairs(words: list[Atom], note: list[Atom], computation: tuple[int, int]) -> list[tuple[Atom, Atom]]:
    """The words' computation is aligned with the note first (in order, then a value the two have once each
    pairs even when the note commutes: ``30%*120`` and ``120*30*.01``); what is left of the note is aligned
    with the words before the computation ("17 stamps * 2" names the 17 before it computes)."""
    lhs, eq = computation
    own = [a for a in words if lhs <= a.start < eq]
    if not own:
        return _align(words, note)
    pairs = _align(own, note)
    for b in note:
        if any(b is y for _, y in pairs):
            continue
        free = [a for a in own if not any(a is x for x, _ in pairs) and _same(a, b)]
        if len(free) == 1 and sum(_same(free[0], c) for c in note) == 1:
            pairs.append((free[0], b))
    left = [b for b in note if not any(b is y for _, y in pairs)]
    before = [a for a in words if a.start < lhs]
    if left and before:
        pairs.extend(_align(before, left))
    return sorted(pairs, key=lambda p: p[1].start)


#: a calculator note's result: the number after its ``=`` (``<<60/4=15>>``: 15)
_NOTE_RESULT = re.compile(r"=\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*>>")


@lru_cache(maxsize=32)
def note_results(text: str) -> tuple[Fraction | None, ...]:
    """Each calculator note's result, in order (``None`` when it is no plain number)."""
    out: list[Fraction | None] = []
    for m in NOTE.finditer(text):
        r = _NOTE_RESULT.search(m.group(0))
        out.append(Fraction(r.group(1)) if r else None)
    return tuple(out)


@lru_cache(maxsize=32)
def note_operands(text: str) -> dict[int, int]:
    """The start of each value on the left side of a calculator note (``<<2*30=60>>``: the 2 and the 30) ->
    which note (0, 1, ...) of ``text`` holds it: the operands of the trace's arithmetic steps, one step a
    note. Callers must not change the result."""
    if "<<" not in text:
        return {}
    values = [a for a in scan_cached(text).atoms if a.role == "value" and not a.figure]
    at = [a.start for a in values]
    out: dict[int, int] = {}
    for k, m in enumerate(NOTE.finditer(text)):
        body_start, body_end = m.span(1)
        for a in values[bisect_left(at, body_start) : bisect_right(at, body_end)]:
            if a.end <= body_end:
                out[a.start] = k
    return out
