"""The ``restated`` attack: a value hidden in one place of a trace is visible in another as the same quantity.

A blind reader fills ``[NUMBER]+30+30`` with the 15 of "It takes 15 minutes to bake" a few words before, a
blank of ``([NUMBER],0)`` with the ``2`` of ``(2,0)`` a sentence later, a hidden cell with the figure's
``label("8", ...)``: the masking is inconsistent. Knowing what a blank hid needs the original trace: the
masked text is aligned with it (the text between placeholders is found in order), so this attack says nothing
when the original is not known (an audit of a file without it) or does not align. The masker's repair hides
each restatement found (a figure label: the figure whole), never the row; a restatement, once hidden, is a
hidden value too, so its own restatements are found in the same call.

A visible value restates a hidden one when their values are equal up to sign (a minus is often an operator),
neither is 0 or 1, both are values of the problem (not an exponent, index, step label, list marker or bare
constant; a formula's constant counts: the reader reads it as any other number), the hidden one lies outside
figure code (a figure hidden whole hides its code, not a value of the plan), the visible one lies outside
figure code, in a figure label's text or in a point of figure code (not on a line of figure code the
question's own figure writes too: reading it is reading the question), and one of these holds:

- ``label``: the visible value stands in the text of a figure label (``label("$7$", ...)``, the ``6`` of
  ``label("$(6,0)$", ...)``): a figure's labels name the problem's quantities;
- ``point``: the visible value is a coordinate in figure code of the very point the text writes with the
  hidden value (``dot((6,0))`` for the ``6`` of ``$(6,0)$``): all-numeric points, the same components as
  written, the value at the same place; any other coordinate is no restatement;
- ``distinctive``: the value has a distinctive form: an integer of 13 or more that is not a common constant
  (24, 60, 90, 100, 180, 360, 1000, ...; see :data:`COMMON`), or a non-integer other than a simple fraction;
- ``sentence``: both stand in the same sentence (no line break or sentence end between them), with a word
  between them, so not as two operands of one expression (``2+2``), or the later one right after the
  result of a GSM8K step that holds the other (``60/[NUMBER]=<<60/[NUMBER]=12>>12 5-minute intervals``);
- ``unit``: the word right after each is the same unit word (``60 minutes`` and ``[NUMBER] minutes``; the
  unit of an expression's result, ``[NUMBER]*2 = 120 minutes``, is not its operand's);
- ``neighbours``: the character before and the two after are the same, with no space, and show a letter, a
  digit or a comma (``(2,0)`` beside ``([NUMBER],0)``, both members of ``(5,-5)`` written twice), and cut no
  number (the ``=1`` of ``<<24/2=12>>`` and ``<<22/2=11>>`` begins two different results);
- ``note``: the two are the same operand of a GSM8K step written twice, in words and in its calculator note
  (``[NUMBER]% * $200 = $<<20*[NUMBER]*200=...``; the copies aligned by value, :mod:`._notes`);
- ``step``: the two are operands of two different steps' calculator notes (``<<2*[NUMBER]=60>>`` and
  ``<<60+30=90>>``): the value a cut hid stays in the chain, and a reader matching the steps' roles reads it
  back; by value alone (a coincidental ``/2`` of two halvings counts too: the masker hides every copy);
- ``expression``: the same expression stands around both: on the same line as each, the two characters
  before and the three after, spaces dropped, are the same, each side holds an operator and a letter or
  digit and no LaTeX command (``3(1 + [NUMBER] + 3 + 0)`` beside ``1 + 2 + 3 + 0``): a blank singled out
  among copies the question exemption or a repair left visible;
- ``term``: each stands in the same expression, read up to its own brackets or a relation, separator,
  math delimiter or line end, spaces dropped (``z - (-4 - [NUMBER]i)`` beside ``(-i)(3 - (-4 - 5i))``,
  ``\\frac{x + z}{x^4 + z^4 + [NUMBER]}`` beside ``x^4 + z^4 + 6 \\ge``): at most 40 characters, holding an
  operator (a degree sign is none) and a letter or two numbers besides the value, so a lone
  ``{[NUMBER]}`` of a fraction, ``[NUMBER]^\\circ`` or ``[NUMBER]^{3}`` says nothing. An expression the
  question writes, on another line than the blank, is no restatement (the policy reads it there anyway);
- ``coordinate``: both are the same coordinate of one named point, a slot of the tuple written right after
  the point's letter ("$B$ has coordinates (4,3)", "B = (4,3)") or the number a sentence names as it ("the
  least possible $x$-coordinate for $B$ is 4"), however far apart;
- ``factorial``: both are the base of a factorial (``[NUMBER]!\\cdot5!`` beside "there are $5!$ ways").
- ``noun``: a noun of four letters or more (no stop word) and "of" stand right before both ("a multiple of
  3" beside "a multiple of [NUMBER]", "the divisors of 24"): the words say which quantity the value is.

Figure code drawn with two hidden dimensions of one phrase restates both: an all-number tuple of figure code
(outside a label's text) holding, side by side and in order, two hidden values that stand at most 16
characters apart with a "by", ``\\times`` or "x" between and no number, line break or sentence end
(``grid(10,8)`` for "[NUMBER] units by [NUMBER] units", the corner ``(9,7)`` of a "[NUMBER]-by-[NUMBER]
array").

A visible number word (:mod:`._words`: "ten", "twenty-five", "a dozen", the "four" of "four dozen", "twice",
"half", "the third set") restates a hidden value of its own when a cardinal (not "two") or a multiplier stands
in the same sentence with a word between, or when it and the hidden value have the same unit word after them
(singular or plural: "third set" and "3 sets"), or, for a cardinal of 3 or more that counts no part of the
plan ("the three given equations"), in any sentence when a placeholder hides the value on its own ("9
rectangles" hidden, "nine blue lines" a sentence later) and the question writes neither the word nor the
value; step labels, compound adjectives ("two-digit") and "a double root" are no quantities.
A root's degree restates the hidden coefficient right before the root when the two are equal
(``[NUMBER] \\sqrt[4]{abcd}``: AM-GM over 4 terms, the coefficient is the count the degree states).
Words that state a factor 2 with no number word ("a round trip", "pairs": :func:`._words.implied_words`)
restate a hidden 2 of their sentence that is a factor of a step (``280 x [NUMBER]``, ``<<280*[NUMBER]=``).

Not covered: a small or common value restated in another sentence with no shared unit or neighbourhood (a
coincidental ``2``), figure coordinates of a point the text does not write and other figure code (one
hidden value alone, a side ``(3,0)--(3,3)`` of a square of side 3), a number word in another sentence with
another unit word ("sixty minutes" for a hidden 60 of ``60*2``; a multiplier of the trace's own, "twice",
only in the sentence right before one that starts "Therefore", "Thus" or "Hence", for a factor), a restated
expression (only numbers and numeric LaTeX values are compared), and a restatement the question makes (the
question is read by the policy anyway).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .._leak import Finding
from ._equations import PLACEHOLDER
from ._lexer import _FIGURE, Atom, scan_cached
from ._notes import note_operands, note_results, note_twins
from ._question import question_computation, spaceless
from ._rational import Fraction
from ._values import Value, value_key
from ._words import SENTENCE_END, Word, counts_anywhere, implied_words, number_words, two_counts

#: integers too common to count as a distinctive form: small counts, time and angle units, percent, scales
COMMON = frozenset(
    {*range(13), 15, 20, 24, 25, 30, 45, 50, 52, 60, 75, 90, 100, 120, 180, 270, 360, 365, 1000}
)
#: hidden values a trace may have before the attack stops comparing (a work budget, not a time budget)
MAX_HIDDEN = 200
#: rounds of "a restatement of a restatement" one call follows
MAX_PASSES = 4

_WORD = re.compile(r"[A-Za-z]{2,}")
_COMMAND = re.compile(r"\\[A-Za-z]+")
#: the unit word right after a value (``60 minutes``, ``$15 dollars``, ``40\\% discount``)
_UNIT = re.compile(r"(?:[ \t$%]|\\%){0,3}([a-z]{3,})\b")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "and are but can each for from has have her his its not per she so than that the then they this was "
        "were which will with who whose also more less into total",
    )
)
#: a figure's label: its text between the quotes, trimmed of blanks and one ``$`` at each end in code (a
#: lazy group between blank runs in the pattern re-read a long run from each of its positions)
_LABEL = re.compile(r'label\s*\(\s*"([^"]*)"')
#: a point written with numbers only: ``(6,0)``, ``(-2.5, 3, 1)``
_NUM = r"\s*(?:-\s*)?(?:\d+(?:\.\d*)?|\.\d+)\s*"
_POINT = re.compile(rf"\((?:{_NUM},){{1,2}}{_NUM}\)")
_SPACE = re.compile(r"\s+")
_DIGITS = "0123456789"
_OPERATORS = frozenset("+-*/=<>")
_COMPONENT = re.compile(r"-?\s*(?:\d+(?:\.\d*)?|\.\d+)")
#: a GSM8K step closed between two values (``60/[NUMBER]=<<60/5=12>>12 5-minute intervals``): the later
#: value stands after the step's result, so it is no operand of the step's expression, words or none between
_AFTER_A_STEP = re.compile(r">>[^<>\s]*[ \t]+$")


@dataclass(slots=True)
class Alignment:
    """The masked text's literal pieces in the original: ``(masked start, original start, length)``, and
    the original ranges the placeholders hide."""

    pieces: list[tuple[int, int, int]]
    hidden: list[tuple[int, int]]
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [p[1] for p in self.pieces]

    def to_masked(self, start: int, end: int) -> tuple[int, int] | None:
        """Where the visible original ``[start, end)`` is in the masked text (``None`` if not all visible)."""
        i = bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        m, o, n = self.pieces[i]
        if end > o + n:
            return None
        return m + start - o, m + end - o


def align(trace: str, masked: str) -> Alignment | None:
    """Find the masked text's pieces between placeholders in ``trace``, in order; a placeholder hides at
    least one character and never ends inside a number. ``None`` when the two do not align."""
    pieces: list[tuple[int, int, int]] = []
    hidden: list[tuple[int, int]] = []
    pos, mpos = 0, 0
    marks = list(PLACEHOLDER.finditer(masked))
    texts = [masked[a.end() : b.start()] for a, b in zip(marks, marks[1:], strict=False)]
    head = masked[: marks[0].start()] if marks else masked
    if not trace.startswith(head):
        return None
    if not marks:
        return Alignment([(0, 0, len(head))], []) if head == trace else None
    pieces.append((0, 0, len(head)))
    pos = len(head)
    for k, mark in enumerate(marks):
        piece = texts[k] if k < len(texts) else masked[mark.end() :]
        mpos = mark.end()
        last = k == len(marks) - 1
        if last:
            at = len(trace) - len(piece)
            if at <= pos or not trace.endswith(piece) or (piece and _splits_number(trace, at)):
                return None
        else:
            at = trace.find(piece, pos + 1) if piece else -1
            while at > 0 and _splits_number(trace, at):
                at = trace.find(piece, at + 1)
            if at < 0:
                return None
        hidden.append((pos, at))
        pieces.append((mpos, at, len(piece)))
        pos = at + len(piece)
    return Alignment(pieces, hidden)


def _splits_number(text: str, at: int) -> bool:
    """Would a piece starting at ``at`` cut a number in two (``3.5`` read as a hidden ``3`` then ``.5``)?"""
    if not text[at - 1].isdigit():
        return False
    return bool(_NUMBER_GOES_ON.match(text, at))


#: what continues a number: a digit, a decimal part, a thousands group (``1,000``; ``(2,0)`` is a pair)
_NUMBER_GOES_ON = re.compile(r"\d|\.\d|,\d{3}(?!\d)")


def restated(trace: str, masked: str, question: str = "") -> list[Finding]:
    """Every visible value of ``masked`` that restates a value a placeholder hides (see the module)."""
    if not trace or trace == masked or not PLACEHOLDER.search(masked):
        return []
    al = align(trace, masked)
    if al is None or not al.hidden:
        return []
    facts = _facts(trace)
    starts = [h[0] for h in al.hidden]

    def hidden_range(a: Atom) -> int:
        i = bisect_right(starts, a.start) - 1
        return i if i >= 0 and a.end <= al.hidden[i][1] else -1

    candidates = facts.candidates
    ranges = [hidden_range(a) for a in candidates]
    # a figure hidden whole hides its code, not a value of the plan: its numbers are no hidden values
    hidden = [k for k, a in enumerate(candidates) if not a.figure and ranges[k] >= 0][:MAX_HIDDEN]
    if not hidden:
        return []
    by_value: dict[str, list[int]] = {}
    for k in hidden:
        for key in facts.keys[k]:
            by_value.setdefault(key, []).append(k)
    visible = []
    for k, a in enumerate(candidates):
        where = al.to_masked(a.start, a.end) if ranges[k] < 0 else None
        if where is None or not (facts.is_label[k] or not a.figure or a.start in facts.points):
            continue
        if not (a.figure and question and _question_figure_line(trace, a.start, question)):
            visible.append((k, where))  # (a line the question's figure writes too is the question's)
    # a restatement, once hidden, is a hidden value too: its own restatements are found in the same call,
    # so one repair round hides the lot
    out: list[Finding] = _words_restating(trace, al, by_value, candidates, question)
    out.extend(_ratios_restating(trace, al, by_value, candidates))
    out.extend(_pairs_in_figure_code(trace, al, [candidates[k] for k in hidden]))
    out.extend(_root_degrees(trace, al))
    flagged: set[int] = set()

    for _ in range(MAX_PASSES):
        new = []
        for n, (k, where) in enumerate(visible):
            if n in flagged:
                continue
            same = dict.fromkeys(j for key in facts.keys[k] for j in by_value.get(key, ()))
            a = candidates[k]
            if same and not a.figure and question_computation(trace[a.start : a.end], question):
                continue  # the question's own computation, written again (:mod:`._question`)
            for j in sorted(same, key=lambda j: candidates[j].start):
                why = facts.same_quantity(j, k)
                if why in (TERM_REASON, POWER_REASON) and _question_copy_apart(
                    trace, candidates[j], candidates[k], question
                ):
                    continue
                if why:
                    a = candidates[k]
                    detail = f"{trace[a.start : a.end]!r} restates a hidden value ({why})"
                    out.append(Finding("restated", detail, *where))
                    new.append(n)
                    break
        if not new:
            break
        for n in new:
            flagged.add(n)
            k = visible[n][0]
            for key in facts.keys[k]:
                by_value.setdefault(key, []).append(k)
    return sorted(out, key=lambda f: f.start)


class _Facts:
    """What ``restated`` reads off the original trace alone, once per trace (the repair loop attacks the
    same trace's masked text several times): the candidate values, their keys, which stand in a figure
    label, the points, and each comparison made so far (a pure function of the trace and the two atoms)."""

    def __init__(self, trace: str):
        self.trace = trace
        self.candidates = [a for a in scan_cached(trace).atoms if a.role == "value" and not _trivial(a)]
        self.keys = [list(dict.fromkeys(_key(v) for v in a.values)) for a in self.candidates]
        labels = _label_ranges(trace) if "[asy]" in trace else []
        self.points = _points(trace) if labels or "[asy]" in trace else {}
        self.is_label = [
            a.figure and any(s <= a.start and a.end <= e for s, e in labels) for a in self.candidates
        ]
        self.twins: dict[int, set[int]] = {}
        for x, y in note_twins(trace):
            self.twins.setdefault(x.start, set()).add(y.start)
            self.twins.setdefault(y.start, set()).add(x.start)
        self.steps = note_operands(trace)
        self._same: dict[tuple[int, int], str | None] = {}

    def same_quantity(self, hidden: int, visible: int) -> str | None:
        key = (hidden, visible)
        if key not in self._same:
            a = self.candidates[visible]
            self._same[key] = _same_quantity(
                self.trace,
                self.candidates[hidden],
                a,
                self.is_label[visible],
                self.points,
                self.twins,
                self.steps,
            )
        return self._same[key]


@lru_cache(maxsize=8)
def _facts(trace: str) -> _Facts:
    return _Facts(trace)


def _key(v: Value) -> str:
    """Equal up to sign: a minus is often the operator before the value (``7 - 18t`` and ``-18``)."""
    if isinstance(v, Fraction):
        return str(v).lstrip("-")  # value_key(abs(v)), without making a Fraction
    return value_key(v)


def _at(a: Atom) -> int:
    return a.start


def _trivial(a: Atom) -> bool:
    """0 or 1 as written (``100%`` also reads as 1, and is no trivial value)."""
    v = a.values[0]
    return isinstance(v, Fraction) and v.denominator == 1 and v.numerator in (0, 1)


def _question_figure_line(trace: str, at: int, question: str) -> bool:
    """The line of figure code at ``at`` (``label("5 cm",(21,4.5),NE);``) is written in the question too."""
    line = trace[trace.rfind("\n", 0, at) + 1 : (trace.find("\n", at) + 1 or len(trace) + 1) - 1]
    return bool(line.strip()) and _spaceless(line) in _spaceless(question)


#: :func:`._question.spaceless`, remembered: the question is read again for every figure line
_spaceless = lru_cache(maxsize=64)(spaceless)


def _label_ranges(trace: str) -> list[tuple[int, int]]:
    """The text of each label, less its blanks and one ``$`` at each end (a label with another ``$`` is
    none)."""
    out = []
    m = _LABEL.search(trace)
    while m:
        s, e = m.span(1)
        s = _past_blanks(trace, s, e)
        if trace.startswith("$", s):
            s = _past_blanks(trace, s + 1, e)
        e = _before_blanks(trace, s, e)
        if e > s and trace[e - 1] == "$":
            e = _before_blanks(trace, s, e - 1)
        if "$" in trace[s:e]:  # no label: look again from the next character, as the pattern did
            m = _LABEL.search(trace, m.start() + 1)
            continue
        out.append((s, e))
        m = _LABEL.search(trace, m.end())
    return out


def _past_blanks(text: str, s: int, e: int) -> int:
    while s < e and text[s].isspace():
        s += 1
    return s


def _before_blanks(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _points(trace: str) -> dict[int, tuple[tuple[str, ...], int, bool]]:
    """Each number written as a component of a point ``(6,0)``, by its start: the point's components (as
    written, spaces dropped), its own place among them, and whether the point is in figure code."""
    figures = [m.span() for m in _FIGURE.finditer(trace)]
    out: dict[int, tuple[tuple[str, ...], int, bool]] = {}
    for m in _POINT.finditer(trace):
        parts = [(c.start(), c.group()) for c in _COMPONENT.finditer(trace, m.start() + 1, m.end() - 1)]
        comps = tuple(_SPACE.sub("", t) for _, t in parts)
        in_figure = any(a <= m.start() < b for a, b in figures)
        for k, (start, text) in enumerate(parts):
            out[start] = out[start + len(text) - len(text.lstrip("- \t"))] = (comps, k, in_figure)
    return out


def _same_quantity(
    trace: str,
    p: Atom,
    a: Atom,
    is_label: bool,
    points: dict[int, tuple[tuple[str, ...], int, bool]],
    twins: dict[int, set[int]],
    steps: dict[int, int] | None = None,
) -> str | None:
    """Why visible ``a`` is the same quantity as hidden ``p`` (both equal in value), or ``None``."""
    if is_label:
        return "a figure label"
    if a.start in twins.get(p.start, ()):
        return "the same operand in the step's other copy (text and calculator note)"
    if (
        steps
        and (step := steps.get(a.start)) is not None
        and steps.get(p.start, step) != step
        and not _carried(trace, p, steps[p.start])
    ):
        return "an operand of another step (calculator notes), the value a cut hid"
    if a.figure:  # a figure's coordinates: only the very point the text names with the hidden value
        here, there = points.get(a.start), points.get(p.start)
        if here and there and not there[2] and here[0] == there[0] and here[1] == there[1]:
            return "the same point in the figure"
        return None
    if _distinctive(p.values[0]):
        return "a distinctive value"
    coordinate = _coordinate(trace, p.start, p.end)
    if coordinate is not None and coordinate == _coordinate(trace, a.start, a.end):
        return "the same coordinate of a named point"
    lo, hi = (p, a) if p.start < a.start else (a, p)
    between = trace[lo.end : hi.start]
    if not SENTENCE_END.search(between) and (
        _WORD.search(_COMMAND.sub(" ", between)) or _AFTER_A_STEP.search(between)
    ):
        return "the same sentence"
    unit = _unit(trace, p.end)
    if unit is not None and unit == _unit(trace, a.end):
        return f"the same unit word {unit!r}"
    near_p = trace[max(0, p.start - 1) : p.start], trace[p.end : p.end + 2]
    near_a = trace[max(0, a.start - 1) : a.start], trace[a.end : a.end + 2]
    near = "".join(near_p)
    plain = not any(c.isspace() or c == "\\" for c in near)  # no space, no LaTeX command (\\cdot)
    if near_p == near_a and plain and any(c.isalnum() or c == "," for c in near) and _whole(trace, p, a):
        return "the same neighbours"
    around = _expression_around(trace, p)
    if around is not None and around == _expression_around(trace, a):
        return "the same expression around both"
    after = _expression_opened(trace, p)
    if after is not None and after == _expression_opened(trace, a):
        return "the same expression after both"
    if _factorial(trace, p) and _factorial(trace, a):
        return "the same factorial"
    command = _command_around(trace, p)
    if command is not None and command == _command_around(trace, a):
        return "the same binomial or fraction"
    monomial = _monomial_after(trace, p)
    if monomial is not None and monomial == _monomial_after(trace, a):
        return POWER_REASON
    term = _term_around(trace, p)
    if term is not None and term == _term_around(trace, a):
        return TERM_REASON
    phrase = _phrase_before(trace, p.start)
    if phrase is not None and phrase == _phrase_before(trace, a.start):
        return f"the same noun and 'of' before both ({phrase!r})"
    return None


#: a noun and "of" right before a value (``a multiple of 3``, ``the divisors of $24``)
_OF_BEFORE = re.compile(r"(?<![\\A-Za-z])([A-Za-z]{4,})[ \t]+of[ \t]*(?:\$[ \t]*)?$")


def _phrase_before(trace: str, start: int) -> str | None:
    """The noun and "of" right before the value at ``start`` ("multiple of", "divisor of"), lower case, or
    ``None`` (a stop word is no noun: "more of")."""
    m = _OF_BEFORE.search(trace, max(0, start - 40), start)
    if m is None or m.group(1).lower() in _STOP:
        return None
    return m.group(1).lower() + " of"


#: a coordinate named in words right before its value: "the $x$-coordinate of $B$ is 4", "the least possible
#: y-coordinate for B is" (the point's name, the axis)
_AXIS_NAMED = re.compile(
    r"\$?([xyz])\$?-coordinate\s+(?:of|for)\s+(?:(?:the\s+)?point\s+)?\$?([A-Z](?:'|_\d)?)\$?"
    r"(?:\s+(?:is|was|equals|must\s+be|would\s+be|will\s+be)\s+|\s*=\s*)(?:\$\s*)?(?:-\s*)?$"
)
#: the components before a value inside a tuple a point's name declares, right before it: "$B$ has
#: coordinates (4,", "A = (", "$C$ is at \left(", "the point $P(" (the name, the components before); a bare
#: "F(" is as likely a function's arguments
_NAMED_TUPLE = re.compile(
    r"(?:(?<![A-Za-z\\])\$?([A-Z](?:'|_\d)?)\$?\s*(?:=\s*|(?:has|with)\s+coordinates\s+|is\s+(?:located\s+)?at\s+)"
    r"|\bpoints?\s+\$?([A-Z](?:'|_\d)?)\$?\s*)"
    r"(?:\$\s*)?(?:\\left\s*)?\(\s*((?:[^,()$\n]{1,16},\s*){0,2})(?:-\s*)?$"
)
#: the components after a value inside a tuple, up to its closing bracket
_TUPLE_REST = re.compile(r"\s*((?:,[^,()$\n]{1,16}){0,2})\s*(?:\\right\s*)?\)")


@lru_cache(maxsize=4096)
def _coordinate(trace: str, start: int, end: int) -> tuple[str, int] | None:
    """``(point name, axis)`` when ``trace[start:end]`` is a coordinate of a named point: a component of the
    point's tuple (``$B$ has coordinates (4,3)``: ``("B", 0)`` for the 4) or the value a sentence names as
    the point's coordinate ("the least possible $x$-coordinate for $B$ is 4"); else ``None``. Two values
    with the same name and axis are one quantity, however far apart. Remembered: each value meets many."""
    line = trace.rfind("\n", 0, start) + 1
    before = trace[max(line, start - 80) : start]
    if "coordinate" in before and (m := _AXIS_NAMED.search(before)):
        return m.group(2), "xyz".index(m.group(1))
    if "(" not in before or (m := _NAMED_TUPLE.search(before)) is None:
        return None
    rest = _TUPLE_REST.match(trace, end)
    slot = m.group(3).count(",")
    if rest is None or not 2 <= slot + 1 + rest.group(1).count(",") <= 3:
        return None
    return m.group(1) or m.group(2), slot


def _carried(trace: str, p: Atom, step: int) -> bool:
    """Is the hidden operand ``p`` of note ``step`` a value an earlier note computed (``<<12/6=2>>`` then
    ``<<6+4+2+3=15>>``)? Then it is a result carried on, hidden as a result, no cut of a given value: an equal
    operand of another step ("12/2") is no copy of it."""
    results = note_results(trace)[:step]
    return any(
        r is not None and any(abs(r) == abs(v) for v in p.values if isinstance(v, Fraction)) for r in results
    )


def _whole(trace: str, *atoms: Atom) -> bool:
    """Are the neighbours of each atom (one character before, two after) whole, cutting no number? The
    ``=1`` after the ``2`` of ``<<24/2=12>>`` and of ``<<22/2=11>>`` is the first digit of two different
    results, a coincidence of two steps that divide by 2, not the same place written twice."""
    for a in atoms:
        before = trace[max(0, a.start - 2) : a.start]
        after = trace[a.end : a.end + 3]
        if len(before) == 2 and before[1].isdigit() and (before[0].isdigit() or before[0] == "."):
            return False
        if len(after) == 3 and after[1].isdigit() and (after[2].isdigit() or after[2] == "."):
            return False
    return True


def _words_restating(
    trace: str, al: Alignment, by_value: dict[str, list[int]], candidates: list[Atom], question: str = ""
) -> list[Finding]:
    """Visible number words that state a hidden value ("Freyja is ten years old, Eli is [NUMBER]+9"): a
    cardinal or a multiplier ("twice", "half") in the same sentence as the hidden value with a word between,
    or followed by the same unit word (singular or plural); an ordinal ("the third set" for the 3 of "3
    sets") and the cardinal "two" only by that unit word."""
    out = []
    for w in (*number_words(trace), *implied_words(trace)):
        where = al.to_masked(w.start, w.end)
        if where is None:
            continue
        same = dict.fromkeys(j for v in w.values for j in by_value.get(_key(v), ()))
        for j in sorted(same, key=lambda j: candidates[j].start):
            own = not _in_question(trace[w.start : w.end], w, question)
            anywhere = own and _alone(trace, al, candidates[j])
            own = own and not any(_written_value(v, question) for v in w.values)  # "half": 2 and 1/2
            why = _word_same_quantity(trace, candidates[j], w, anywhere, own)
            if why:
                detail = f"{trace[w.start : w.end]!r} restates a hidden value in words ({why})"
                out.append(Finding("restated", detail, *where))
                break
    return out


#: a ratio written with a colon: "4:3", "$7:3$" (not a time of day, 3:30, nor a ratio of three terms)
_RATIO = re.compile(r"(?<![\d.:])(\d+)\s*:\s*(\d+)(?![\d.:])(?!\s*(?:[ap]\.?m\b|AM|PM))")


def _ratios_restating(
    trace: str, al: Alignment, by_value: dict[str, list[int]], candidates: list[Atom]
) -> list[Finding]:
    """Visible ratios ``a:b`` that state a hidden fraction ``a/b`` of the same sentence ("the ratio is 4:3, so
    $\\dfrac{x}{y}=[EXPR]$"): the ratio is the relation x/y = 4/3 the blank hides."""
    if ":" not in trace:
        return []
    out = []
    for m in _RATIO.finditer(trace):
        where = al.to_masked(m.start(), m.end())
        if where is None or not int(m.group(2)):
            continue
        value = Fraction(int(m.group(1)), int(m.group(2)))
        for j in by_value.get(_key(value), ()):
            p = candidates[j]
            lo, hi = (p.end, m.start()) if p.start < m.start() else (m.end(), p.start)
            if hi - lo < 300 and not SENTENCE_END.search(trace, lo, hi):
                detail = f"{m.group()!r} restates a hidden value (the ratio of {trace[p.start : p.end]!r})"
                out.append(Finding("restated", detail, *where))
                break
    return out


#: a tuple of numbers only (a point, a call's arguments): ``(9,7)``, ``grid(10,8)``
_CODE_TUPLE = re.compile(rf"\((?:{_NUM},)+{_NUM}\)")
#: two values of one phrase of dimensions: "10 units by 8 units", "9-by-7", "3 \times 4"
_PHRASE_GAP = 16
_BY = re.compile(r"\bby\b|\\times|×|\bx\b")
#: a number, a line break or a sentence end between two values: two phrases
_GAP_STOP = re.compile(rf"[\d\n]|{SENTENCE_END.pattern}")


def _pairs_in_figure_code(trace: str, al: Alignment, hidden: list[Atom]) -> list[Finding]:
    """Figure code writing, side by side and in order, two hidden dimensions of one phrase (``grid(10,8)``
    for "[NUMBER] units by [NUMBER] units", the corner ``(9,7)`` of a "[NUMBER]-by-[NUMBER] array"): the
    figure is drawn with the hidden values. Blamed on the tuple (a repair hides the figure whole)."""
    if "[asy]" not in trace or len(hidden) < 2:
        return []
    pairs = set()
    for p, q in itertools.pairwise(sorted(hidden, key=_at)):
        between = trace[p.end : q.start]
        if len(between) <= _PHRASE_GAP and _BY.search(between) and not _GAP_STOP.search(between):
            pairs.add((_key(p.values[0]), _key(q.values[0])))
    if not pairs:
        return []
    labels = _label_ranges(trace)
    out = []
    for fig in _FIGURE.finditer(trace):
        for m in _CODE_TUPLE.finditer(trace, *fig.span()):
            if any(s <= m.start() < e for s, e in labels):
                continue  # a label's text is checked as a label
            keys = [_key(Fraction(_SPACE.sub("", c))) for c in m.group()[1:-1].split(",")]
            where = al.to_masked(m.start(), m.end())
            if where is not None and any(k in pairs for k in itertools.pairwise(keys)):
                detail = f"{m.group()!r} in figure code writes two hidden values of one phrase together"
                out.append(Finding("restated", detail, *where))
    return out


#: a coefficient before a root with a degree: ``4 \\sqrt[4]{abcd}`` (AM-GM over 4 terms)
_ROOT_WITH_DEGREE = re.compile(r"(?<![\d.])(\d+)\s*\\sqrt\s*\[\s*(\d+)\s*\]")


def _root_degrees(trace: str, al: Alignment) -> list[Finding]:
    """A root's degree that equals the hidden coefficient right before the root (``[NUMBER] \\sqrt[4]{abcd}``
    of AM-GM over 4 terms, where the coefficient is the count the degree states) gives the blank back: the
    degree, visible, restates it."""
    if "sqrt" not in trace:
        return []
    out = []
    for m in _ROOT_WITH_DEGREE.finditer(trace):
        if m.group(1) != m.group(2) or int(m.group(1)) < 2:
            continue
        coefficient_hidden = any(a <= m.start(1) and m.end(1) <= b for a, b in al.hidden)
        where = al.to_masked(m.start(2), m.end(2))
        if coefficient_hidden and where is not None:
            detail = f"root degree {m.group(2)!r} restates the hidden coefficient before its root"
            out.append(Finding("restated", detail, *where))
    return out


def _in_question(word: str, w: Word, question: str) -> bool:
    """Does the question write ``word`` ("the sum of three consecutive integers", "in base six") or its value
    in numerals ("in base 7" for "base seven")? Then the trace's word restates the question, which the
    policy reads anyway, not a value only the trace holds."""
    if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", question, re.I):
        return True
    return re.search(rf"(?<![\d.,]){w.values[0]}(?!\d|[.,]\d)", question) is not None


def _written_value(v: Fraction, question: str) -> bool:
    """Whether the question writes the value ``v`` in numerals (``2``, ``1/2``)."""
    text = f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
    return re.search(rf"(?<![\d.,]){re.escape(text)}(?!\d|[.,]\d)", question) is not None


def _alone(trace: str, al: Alignment, a: Atom) -> bool:
    """Does a placeholder hide ``a`` on its own (``$[NUMBER]$``), not as a part of a hidden expression?"""
    i = bisect_right(al.starts, a.start) - 1  # the visible piece before the hidden range that holds ``a``
    if i < 0 or i >= len(al.hidden):
        return False
    start, end = al.hidden[i]
    return (
        start <= a.start
        and a.end <= end
        and _SPACE_OR_DOLLAR.sub("", trace[start:end]) == trace[a.start : a.end]
    )


_SPACE_OR_DOLLAR = re.compile(r"[\s$]")


def _word_same_quantity(trace: str, p: Atom, w: Word, alone: bool = False, own: bool = False) -> str | None:
    """Why the word ``w`` restates the hidden value ``p`` (see the module), or ``None``; ``alone``: ``p`` is
    hidden on its own; ``own``: the question writes neither the word nor its value (the trace's word)."""
    if w.kind == "implied":  # "a round trip is 280 x [NUMBER]": only a factor of the sentence's step
        lo, hi = (p.end, w.start) if p.start < w.start else (w.end, p.start)
        factor = _FACTOR_BEFORE.search(trace, max(0, p.start - 8), p.start) or _FACTOR_AFTER.match(
            trace, p.end
        )
        return (
            "a factor its sentence's words state"
            if factor and not SENTENCE_END.search(trace, lo, hi)
            else None
        )
    # an ordinal, and "two" (the two equations, two cases: the plan's words far more often than a hidden
    # 2's), restate a value only by the same unit word
    if w.kind in ("multiplier", "fraction") or (
        w.kind == "cardinal" and (w.values[0] != 2 or two_counts(trace, w))
    ):
        lo, hi = (p.end, w.start) if p.start < w.start else (w.end, p.start)
        between = trace[lo:hi]
        if not SENTENCE_END.search(between) and _WORD.search(_COMMAND.sub(" ", between)):
            return "the same sentence"
    if (
        w.kind == "multiplier"
        and w.end <= p.start < w.end + _DRAWN_ON_SPAN
        and own
        and _factor(trace, p)
        and _drawn_on(trace, w.end, p.start)
    ):
        return "the sentence before, which its 'Therefore' draws on"
    unit = _unit(trace, p.end)
    if unit is not None and _singular(unit) == _singular(_unit(trace, w.end) or ""):
        return f"the same unit word {unit!r}"
    if alone and counts_anywhere(trace, w):
        return "a cardinal states a value hidden on its own, in any sentence"
    return None


#: a sentence that draws on the one before: its first word ("So" starts most lines of a word problem's steps)
_CONSEQUENCE = re.compile(r"\s*(?:Therefore|Thus|Hence)\b")


def _drawn_on(trace: str, lo: int, hi: int) -> bool:
    """Whether ``trace[lo:hi]`` crosses one sentence end, into a sentence that starts with "Therefore",
    "Thus" or "Hence": "... is twice as large as the perimeter of a triangle. Therefore, the perimeter of the
    hexagon is $[NUMBER](21\\text{ inches})$" (the factor the first states, the second uses)."""
    end = _SENTENCE_END_MATH.search(trace, lo, hi)
    return (
        end is not None
        and _CONSEQUENCE.match(trace, end.end()) is not None
        and _SENTENCE_END_MATH.search(trace, end.end(), hi) is None
    )


#: a sentence end, one inside a math segment's closing ``$`` too (``$a = 2b.$ Also``); the checker's
#: twin reads the same
_SENTENCE_END_MATH = re.compile(r"(?<!\\\[)\n(?!\\\])|[.?!]\$?(?=\s+[A-Z$\\])")
#: how far after a multiplier word the value of the next sentence may stand (two sentences' length)
_DRAWN_ON_SPAN = 600


def _factor(trace: str, p: Atom) -> bool:
    """Whether the value ``p`` is a factor of a product: an operator right before or after it, the
    parenthesis of ``[NUMBER](21\\text{ inches})`` or the one letter of ``2b`` right after it."""
    return bool(
        _FACTOR_BEFORE.search(trace, max(0, p.start - 8), p.start)
        or _FACTOR_AFTER.match(trace, p.end)
        or _GLUED_FACTOR.match(trace, p.end)
    )


_GLUED_FACTOR = re.compile(r"\s*\$?\s*\(|[A-Za-z](?![A-Za-z])")


#: a factor's operator right before or after a value: ``x 2``, ``*2``, ``\\times 2``, ``2 /``
_FACTOR_BEFORE = re.compile(r"(?:[*/×]|\\times|\\cdot|(?<![A-Za-z])x)\s*(?:\$\s*)?$")
_FACTOR_AFTER = re.compile(r"\s*(?:\$\s*)?(?:[*/×]|\\times|\\cdot|x(?![A-Za-z]))")


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _expression_around(text: str, a: Atom) -> tuple[str, str] | None:
    """The two characters before ``a`` and the three after, spaces dropped, when both sides hold an
    operator and a digit or letter (``1 + 2 + 3`` gives ``('1+', '+3+')``); ``None`` when a side crosses a
    line, a LaTeX command or a number's middle."""
    line = text.rfind("\n", 0, a.start) + 1, text.find("\n", a.end)
    before = _SPACE.sub("", text[line[0] : a.start])[-3:]
    after = _SPACE.sub("", text[a.end : line[1] if line[1] >= 0 else len(text)])[:4]
    if len(before) < 2 or len(after) < 3:
        return None
    if before[-2] in _DIGITS and len(before) > 2 and before[-3] in _DIGITS + ".":
        return None
    if after[2] in _DIGITS and len(after) > 3 and after[3] in _DIGITS + ".":
        return None
    lo, hi = before[-2:], after[:3]
    if "\\" in lo + hi or not all(_OPERATORS & set(w) and any(c.isalnum() for c in w) for w in (lo, hi)):
        return None
    return lo, hi


TERM_REASON = "the same expression around both, up to its brackets or relations"
POWER_REASON = "the coefficient of the same power"
#: the longest expression :func:`_term_around` compares, and how far it looks for its ends
_TERM_MAX = 40
_OPENS, _CLOSES = "([{", ")]}"
#: what ends an expression besides a bracket of its own: a relation, a separator, a math delimiter, a line
_TERM_END = frozenset("=<>$,;&:\n")
#: what ends an expression too: a LaTeX relation, line break, space or text, or a word of prose
_TERM_CUT = re.compile(
    r"\\(?:begin|end)\s*\{[^{}]*\}|"  # an environment's own markup: ``\begin{pmatrix} 5b + 2c``
    r"\\\\|\\(?:le|ge|leq|geq|lt|gt|ne|neq|approx|equiv|sim|cong|pmod|bmod|quad|qquad|text|mbox|"
    r"implies|Rightarrow|Longrightarrow|iff|to|in|cdots|ldots|dots)(?![A-Za-z])|"
    r"(?<![\\A-Za-z])(?:[A-Za-z]{3,}|[A-Za-z]{2}(?=\s))"  # "is 2", "of 5": a two-letter word then a blank
)
#: a degree sign, a unit and no operator (``[NUMBER]^\\circ`` beside ``360^\\circ``)
_DEGREES = re.compile(r"\^\s*(?:\\circ|\{\s*\\circ\s*\})")
#: an operator of the expression (spaces dropped)
_TERM_OPERATOR = re.compile(r"[-+*/^]|\\(?:cdot|times|div)(?![A-Za-z])")


def _term_around(text: str, a: Atom) -> str | None:
    """The expression ``a`` stands in, up to its brackets or a relation, separator, math delimiter, line end
    or word of prose, spaces dropped and ``a`` written ``#``, when the rest holds an operator and a letter
    or two numbers: ``(-4 - [NUMBER]i)`` beside ``(-4 - 5i)`` both read ``-4-#i``, ``\\frac{x + z}{x^4 + z^4
    + [NUMBER]}`` beside ``x^4 + z^4 + 6 \\ge`` both ``x^4+z^4+#``; the ``{[NUMBER]}`` of a fraction's
    numerator says nothing. ``None`` beyond :data:`_TERM_MAX` characters."""
    lo = max(0, a.start - _TERM_MAX)
    hi = min(len(text), a.end + _TERM_MAX)
    lo_closed, hi_closed = lo == 0, hi == len(text)
    cuts = list(_TERM_CUT.finditer(text, lo, a.start))
    if cuts:
        lo, lo_closed = cuts[-1].end(), True
    cut = _TERM_CUT.search(text, a.end, hi)
    if cut:
        hi, hi_closed = cut.start(), True
    start = _term_end(text, range(a.start - 1, lo - 1, -1), _CLOSES, _OPENS)
    end = _term_end(text, range(a.end, hi), _OPENS, _CLOSES)
    if (start is None and not lo_closed) or (end is None and not hi_closed):
        return None
    start = lo if start is None else start + 1
    end = hi if end is None else end
    rest = _SPACE.sub("", text[start : a.start]) + "#" + _SPACE.sub("", text[a.end : end])
    if len(rest) > _TERM_MAX or not _TERM_OPERATOR.search(_DEGREES.sub("", rest)):
        return None
    plain = _COMMAND.sub(" ", rest)  # a letter of the expression, not of a command's name
    if not (re.search(r"[A-Za-z]", plain) or len(re.findall(r"\d+", plain)) >= 2):
        return None
    return rest


def _term_end(text: str, steps: range, nest: str, unnest: str) -> int | None:
    """The first position of ``steps`` (walking away from a value) that ends its expression: a bracket that
    closes the one it stands in, or a separator at its own depth; ``None`` when none does."""
    depth = 0
    for i in steps:
        c = text[i]
        if c in nest:
            depth += 1
        elif c in unnest:
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and c in _TERM_END:
            return i
    return None


def _question_copy_apart(trace: str, p: Atom, a: Atom, question: str) -> bool:
    """Is visible ``a``'s expression one the question writes, on another line than hidden ``p``? The policy
    reads it in the question anyway, so hiding the trace's copy tells nothing new; on the blank's own line
    (``z - (-4 - [NUMBER]i) = (-i)(3 - (-4 - 5i))``) the copy still fills the blank at a glance."""
    term = _term_around(trace, a)
    if term is None or not _term_in_question(trace, a, term, question):
        return False
    lo, hi = (p, a) if p.start < a.start else (a, p)
    return "\n" in trace[lo.end : hi.start]


#: a binomial or a fraction with a whole argument of digits: ``\binom{5}{4}``, ``\dfrac{3}{8}``
_TWO_ARGUMENTS = re.compile(r"\\[dt]?(?:binom|frac)\s*\{\s*([^{}]{1,12}?)\s*\}\s*\{\s*([^{}]{1,12}?)\s*\}")


def _command_around(trace: str, a: Atom) -> str | None:
    """The binomial or fraction whose argument ``a`` is, whole (``\\binom{#}{4}`` for the 5 of
    ``\\binom{5}{4}``): written alike elsewhere, it is the same quantity; ``None`` elsewhere."""
    lo = trace.rfind("\\", max(0, a.start - 24), a.start)
    m = _TWO_ARGUMENTS.match(trace, lo) if lo >= 0 else None
    if m is None or not any(m.span(k) == (a.start, a.end) for k in (1, 2)):
        return None
    k = 1 if m.span(1) == (a.start, a.end) else 2
    name = m.group()[: m.group().index("{")].strip()
    args = [m.group(1), m.group(2)]
    args[k - 1] = "#"
    return f"{name}{{{args[0]}}}{{{args[1]}}}"


#: a power of a letter right after a coefficient: ``x^7``, ``x^{8}`` (``[NUMBER]x^7`` beside ``4x^7``)
_POWER_AFTER = re.compile(r"\s*([a-z])\s*\^\s*(?:\{\s*(\d+)\s*\}|(\d))(?![\d.])")


def _monomial_after(trace: str, a: Atom) -> tuple[str, str] | None:
    """The letter and degree (2 or more) of the power ``a`` is the coefficient of, else ``None``."""
    m = _POWER_AFTER.match(trace, a.end)
    if m is None or trace[a.start - 1 : a.start] in ("^", "{", "_"):
        return None
    degree = m.group(2) or m.group(3)
    return (m.group(1), degree) if int(degree) >= 2 else None


def _factorial(trace: str, a: Atom) -> bool:
    """Is ``a`` the base of a factorial (``5!``, not a double factorial ``5!!``)?"""
    return trace.startswith("!", a.end) and not trace.startswith("!!", a.end)


def _term_in_question(trace: str, a: Atom, term: str, question: str) -> bool:
    """Does the question write the expression ``a`` stands in (``term`` with ``a``'s text), spaces dropped?"""
    if not question:
        return False
    written = re.escape(term.replace("#", trace[a.start : a.end]))
    # an expression of its own there, not a part of a longer one ("x-2" is no part of "(x-21)")
    return re.search(rf"(?<![\w.]){written}(?![\w.])", _SPACE.sub("", question)) is not None


#: the arithmetic that goes on after a value, up to a relation, a word or the line's end
_ARITHMETIC_AFTER = re.compile(r"[ \t]*(?:[-+*/^()]|\d+(?:\.\d+)?)(?:[ \t]*(?:[-+*/^()]|\d+(?:\.\d+)?))*")


def _expression_opened(text: str, a: Atom) -> str | None:
    """The arithmetic after ``a``, spaces dropped, when ``a`` opens it (nothing of it before: prose, a
    relation or a bracket) and it is an expression of its own: two operators or more and a digit, at least
    five characters (``[NUMBER]/12 + 3/12`` beside ``= 4/12 + 3/12``: ``/12+3/12``); else ``None``."""
    before = text[max(0, a.start - 3) : a.start].rstrip(" \t$")
    if before[-1:] in _DIGITS or before[-1:] in "+-*/^.)}\\]" or before.endswith("\\"):
        return None
    m = _ARITHMETIC_AFTER.match(text, a.end)
    after = _SPACE.sub("", m.group()) if m else ""
    if len(after) < 5 or sum(c in "+-*/^" for c in after) < 2 or not any(c in _DIGITS for c in after):
        return None
    return after


def _distinctive(v: Value) -> bool:
    if not isinstance(v, Fraction):
        return True  # an irrational value: 2\sqrt{3}
    if v.denominator == 1:
        return abs(v) >= 13 and abs(v) not in COMMON
    return v.denominator > 4 or abs(v) >= 1  # 1.25, 7/8 are; 1/2, 3/4, 2/3 are not


def _unit(text: str, end: int) -> str | None:
    """The unit word right after the value ending at ``end``."""
    m = _UNIT.match(text, end)
    if m is None or m.group(1) in _STOP:
        return None
    return m.group(1)
