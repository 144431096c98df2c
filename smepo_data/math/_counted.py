"""The ``counted`` attack: a "how many" question whose answer is the length of a list the trace writes out.

``The factors of 24 which are greater than 1 are 2, [NUMBER], [NUMBER], [NUMBER], [NUMBER], [NUMBER], and
24, so we have [NUMBER] possible values``: whatever the blanks hide, a reader counts seven items. A list is
three or more items joined by commas, "and"/"or" or ``\\quad``: in prose, numbers, blanks and short math
segments (``$1$, $[NUMBER]$, and $[NUMBER]$``); inside one math segment, short expressions with a number
(``$1, 2^1, 2^2, 3, 2^1\\cdot 3,\\text{ or }2^2\\cdot 3$``; not the letters of ``$t, s, g$``); math
segments in a row whose commas are inside them (``$x^2 - 4,$ $x^2 + 2x + 1,$ and $x^2 - 1.$``). A tuple's
components (``(1, 2, 3)``) and a list that goes on (``1, 2, 3, \\dots``) count nothing. The rows of a
display (``align``, ``gather``, ``array``, ...) are a list too when they are cases of one shape (``2 \\cdot
3 \\cdot (4 + 1) &= [NUMBER], \\\\`` four times, then "In total there are [NUMBER] possible values"; see
:func:`_case_shape`): a derivation, a system of equations or a chain going on with ``&=`` lists no cases.
The cut (:func:`uncounted`) hides the inner items as one span (whole segments, so every ``$`` keeps its pair;
whole rows, so the display keeps its first and last), so the list shows three items, whatever its length.
"""

from __future__ import annotations

import itertools
import math
import re

from .._leak import Finding
from ._answer import Gold
from ._rational import Fraction

#: the question asks for a count
ASKS_COUNT = re.compile(r"(?i)\b(?:how\s+many|number\s+of|count)\b")
_ITEM = r"(?:\[[A-Z][A-Z0-9_]*\]|-?\d+(?:\.\d+)?|\$[^$\n]{1,40}\$)"
_JOIN = r"(?:[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+|[ \t]*\\quad[ \t]*)"
_LIST = re.compile(rf"(?<![\w(\[{{,.\\^_]){_ITEM}(?:{_JOIN}{_ITEM}){{2,}}")
#: what a list that goes on, or a tuple's components, has right after it
_GOES_ON = re.compile(r"[ \t]*(?:,[ \t]*)?(?:\\[lcd]?dots|\.\.\.|…)|[\w)\]}]")
_WENT_ON = re.compile(r"(?:\\[lcd]?dots|\.\.\.|…)[ \t]*(?:,[ \t]*)?\Z")
#: a math segment's interior (``$$...$$``, ``$...$`` or ``\\[...\\]``, paired from the left)
_SEGMENT = re.compile(r"\$\$(.{1,400}?)\$\$|(?<!\\)\$([^$]{1,400}?)(?<!\\)\$|\\\[(.{1,400}?)\\\]", re.S)
#: what joins two items: a comma (with "and"/"or"), "and"/"or", ``\quad``, ``\text{ or }``; it starts
#: where the item before it ends (not inside a run of blanks: each start would rescan the run), and no two
#: runs of blanks meet (``[ \t]*,?[ \t]*`` backtracks over every split of one run)
_SEPARATOR = re.compile(
    r"(?<![ \t])(?:[ \t]*(?:,[ \t]*)?\\text\{[ \t]*(?:,[ \t]*)?(?:and|or)[ \t]*\}[ \t]*"
    r"|[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+|[ \t]*\\q?quad(?![a-zA-Z])[ \t]*)"
)
#: what no item of a list holds: a relation, a list that goes on, prose
_NOT_ITEM = re.compile(r"[=<>]|\\(?:[lg]eq?|neq|[lcd]?dots)(?![a-zA-Z])|[A-Za-z]{4,}(?<!\\[a-z]{4})|\.\.\.|…")
_BLANK = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
_MOST = 60
_LONGEST_ITEM = 30


def items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of the list ``text[start:end]``: the stretches between separators outside brackets."""
    depth = [0] * (end - start + 1)
    d = 0
    for k, c in enumerate(text[start:end]):
        if c in "([{":
            d += 1
        elif c in ")]}":
            d -= 1
        depth[k + 1] = d
    out, pos = [], start
    for m in _SEPARATOR.finditer(text, start, end):
        if depth[m.start() - start] != 0 or depth[m.end() - start] != 0:
            continue
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:end].strip():
        out.append((pos, end))
    return out


def uncounted(text: str, start: int, end: int) -> tuple[int, int]:
    """What to hide of the list ``text[start:end]`` so that its length is no longer seen: its inner items
    as one span (``2, [EXPR], and 24``: a reader counting finds three, not seven), the list whole when
    it has only three items, both values of two (``\\pm [EXPR]``). A sign choice before a value is never
    left at a span's edge: the span then starts after the sign of the item before it (``\\pm [EXPR], \\pm
    6`` for ``\\pm 1, \\pm 2, \\pm 3, \\pm 6``)."""
    segments = [m.span() for m in _SEGMENT.finditer(text, start, end)]
    rows = _display_rows(text, start, end)
    if len(rows) >= 3:
        found = rows  # a display's rows: whole rows, each ``\\\\`` between two kept rows stays
    elif len(segments) >= 3 and all(text[e - 2] == "," for _, e in segments[:-1]):
        found = segments  # ``$2,$ $3,$ $5,$ and $7.$``: whole segments, so every ``$`` keeps its pair
    else:
        found = items(text, start, end)
    if len(found) == 2:  # "\\pm [EXPR]": both values, which may be any number of values
        first, last = 0, 1
    elif len(found) < 4:
        return start, end
    else:
        first, last = 1, len(found) - 2
    a, b = _trimmed(text, found[first][0], found[last][1])
    if _SIGN.match(text, a):  # "\\pm 2": a sign stays with a value it belongs to, never alone at an edge
        a = _trimmed(text, *found[first - 1])[0] if first else a
        sign = _SIGN.match(text, a)
        a = sign.end() if sign else a
    return a, b


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """An item's stretch without the spacing commands before it (``\\ ``, ``\\,``) and the sentence's
    punctuation after it."""
    m = _LEAD.match(text, start, end)
    start = m.end() if m else start
    while end > start and text[end - 1] in ".,;: \t":
        end -= 1
    return start, end


#: a sign (choice) that opens a list's item
_SIGN = re.compile(r"(?:\\pm|\\mp|[-+])(?![a-zA-Z])\s*")
#: spacing before a list's item: ``\\ ``, ``\\,``, ``\\;``, ``\\quad``
_LEAD = re.compile(r"(?:\s|\\[ ,;:!](?![a-zA-Z])|\\q?quad(?![a-zA-Z]))+")


def _lists(masked: str) -> list[tuple[int, int, int]]:
    """Every list of ``masked``: (items, start, end)."""
    out = []
    for m in _LIST.finditer(masked):
        if not (
            _GOES_ON.match(masked, m.end()) or _WENT_ON.search(masked, max(0, m.start() - 10), m.start())
        ):
            out.append((_values(masked, items(masked, m.start(), m.end())), m.start(), m.end()))
    run: list[tuple[int, int]] = []  # math segments in a row, each an item, a comma inside closing it
    for m in _SEGMENT.finditer(masked):
        group = next(k for k in (1, 2, 3) if m.group(k) is not None)
        found = items(masked, m.start(group), m.end(group))
        n = _values(masked, found)
        if (len(found) >= 3 or (len(found) == 2 and n >= 3)) and all(
            _an_item(_BLANK.sub("0", masked[s:e])) for s, e in found
        ):
            out.append((n, found[0][0], found[-1][1]))
        inner = masked[m.start(group) : m.end(group)].rstrip(",. \t")
        joined = (
            bool(run)
            and masked[run[-1][1] - 2] == ","
            and _SEGMENT_JOIN.fullmatch(masked, run[-1][1], m.start())
        )
        if not joined and len(run) >= 3:
            out.append((_values(masked, run), run[0][0], run[-1][1]))
        if not _an_item(_BLANK.sub("0", inner)):
            run = []
            continue
        if joined:
            run.append(m.span())
        else:
            run = [m.span()]
    if len(run) >= 3:
        out.append((_values(masked, run), run[0][0], run[-1][1]))
    out = [x for x in out if not _segments_go_on(masked, x[1], x[2])]
    for body_start, body_end in _displays(masked):  # a display whose rows are cases of their own
        rows = _display_rows(masked, body_start, body_end)
        shapes = {_case_shape(masked[s:e]) for s, e in rows}
        if len(rows) >= 3 and len(shapes) == 1 and None not in shapes:
            out.append((len(rows), rows[0][0], rows[-1][1]))
    return out


#: the displays whose rows may list cases (``array``'s column spec, ``{ccc}``, is no row)
_DISPLAY_BEGIN = re.compile(
    r"\\begin\{(align|aligned|alignat|eqnarray|gather|gathered|array)(\*?)\}(?:\{[^{}]*\})?"
)
#: what ends a row: ``\\\\`` or ``\\\\*``, with its optional spacing (``\\\\[2pt]``, ``\\\\[\\jot]``; not a
#: placeholder a masked row starts with, ``\\\\[NUMBER]``)
_ROW_END = re.compile(r"\\\\\*?(?:\[(?![A-Z][A-Z0-9_]*\])[^\]\n]{0,40}\])?")
#: what a row may hold besides its content: rules
_ROW_RULE = re.compile(r"\\(?:hline|midrule|toprule|bottomrule|noalign\{[^{}]*\})")
#: the commands of a case row's left side that name no quantity: products, fractions, roots, sizes, spacing
#: (``2 \\cdot (4 \\cdot 6 + 1)``, ``\\frac{[NUMBER]}{2}``)
_CASE_COMMAND = re.compile(
    r"\\(?:cdot|times|div|[dt]?frac|sqrt|left|right|[,;:! ]|q?quad|hphantom\{[^{}]*\})"
)
#: where a row with no ``&`` has its left side end: its first relation
_RELATION = re.compile(r"=|<|>|\\(?:[lg]eq?|neq|approx)(?![A-Za-z])")


def _displays(text: str) -> list[tuple[int, int]]:
    """The bodies of ``text``'s row displays (``\\begin{align*}`` to its ``\\end{align*}``), each found with
    one scan for its end (an environment never closed is looked for once)."""
    out: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    for m in _DISPLAY_BEGIN.finditer(text):
        close = f"\\end{{{m.group(1)}{m.group(2)}}}"
        if close in unclosed:
            continue
        stop = text.find(close, m.end())
        if stop < 0:
            unclosed.add(close)
            continue
        if not out or m.start() >= out[-1][1]:  # a display inside another is read with it
            out.append((m.end(), stop))
    return out


def _display_rows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The rows of the display body ``text[start:end]`` (none when it has one row, or a display inside):
    each row's stretch, its rules and surrounding space left out. A ``\\\\`` inside braces
    (``\\substack{i \\\\ j}``) ends no row."""
    body = text[start:end]
    if "\\\\" not in body or "\\begin{" in body:
        return []
    depth, d = [], 0
    for c in body:
        depth.append(d)
        d += (c == "{") - (c == "}")
    rows, pos = [], start
    ends = [m for m in _ROW_END.finditer(text, start, end) if depth[m.start() - start] == 0]
    for m in [*ends, None]:
        stop = m.start() if m is not None else end
        piece = _ROW_RULE.sub(lambda r: " " * len(r.group()), text[pos:stop])
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            rows.append((pos + lead, pos + len(piece.rstrip())))
        if m is not None:
            pos = m.end()
    return rows


def _case_shape(row: str) -> str | None:
    """A display row's left side (before its first ``&``, else before its first relation) as a case of a
    list: its letters in order (``ab`` for ``(a, b) = (1, 2)``, none for ``2 \\cdot (4 \\cdot 6 + 1)``), or
    ``None`` when it holds no value (a number or a blank): ``&= 6`` and ``{} &= 6`` go on from the row before,
    ``a + b &= 7`` states an equation. Rows of a list of cases share one shape; a derivation's rows (``x^3``,
    ``x^3 - 4x``, ``x(x-2)(x+2)``) or a system's differ."""
    end = row.find("&")
    if end < 0:
        m = _RELATION.search(row)
        end = m.start() if m is not None else len(row)
    left = _BLANK.sub("0", _CASE_COMMAND.sub(" ", row[:end]))
    if not any(c.isdigit() for c in left):
        return None
    return "".join(c for c in left if c.isalpha())


#: what stands between two math segments of a list whose commas are inside them (``$2,$ $3,$ and $5.$``)
_SEGMENT_JOIN = re.compile(r"\s+(?:(?:and|or)\s+)?")
#: a list of segments that goes on: an ellipsis in the segment before it or after it (``$\dots,$ $4,$``)
_DOTS_BEFORE = re.compile(r"(?:\\[lcd]?dots|\.\.\.|…)[ \t]*,?[ \t]*\$\s*(?:(?:and|or)\s+)?\Z")
_DOTS_AFTER = re.compile(r"\s*(?:(?:and|or)\s+)?\$\s*(?:\\[lcd]?dots|\.\.\.|…)")


def _segments_go_on(text: str, start: int, end: int) -> bool:
    """Whether the list ``text[start:end]`` goes on: an ellipsis right before or right after it."""
    return bool(_DOTS_BEFORE.search(text, max(0, start - 16), start) or _DOTS_AFTER.match(text, end))


def _values(text: str, found: list[tuple[int, int]]) -> int:
    """How many values the items ``found`` of a list stand for: two for an item with a sign choice
    (``\\pm 1, \\ \\pm \\frac{1}{2}`` lists four possible roots), one for any other."""
    return sum(2 if _SIGN_CHOICE.search(text, s, e) else 1 for s, e in found)


#: a sign choice in an item: ``\\pm``, ``\\mp``
_SIGN_CHOICE = re.compile(r"\\(?:pm|mp)(?![a-zA-Z])")


def _an_item(text: str) -> bool:
    """Is ``text`` (blanks read as 0) an item of a list of values: short, a number in it, no relation, no
    prose (``$t, s, g$``, letters alone, name quantities of the plan, no values to count)?"""
    return len(text) <= _LONGEST_ITEM and any(c.isdigit() for c in text) and not _NOT_ITEM.search(text)


#: a product of blanks only, in LaTeX (``[NUMBER]\times [NUMBER]``): the multiplication principle with its
#: factors hidden (a calculator note's ``[NUMBER]*[NUMBER]`` multiplies quantities, no choices)
_BLANK_PRODUCT = re.compile(
    r"\[[A-Z][A-Z0-9_]*\](?:[ \t]*\\(?:times|cdot)(?![a-zA-Z])[ \t]*\[[A-Z][A-Z0-9_]*\])+"
)
#: the lists a product of list lengths is read from (the first ones of the trace), and the largest count
_MOST_LISTS = 12
_MOST_PRODUCT = 1000


def counted(question: str, masked: str, gold: Gold) -> list[Finding]:
    """Every list of the masked trace whose length is the gold count, when the question asks one; and the
    lists whose lengths multiply to it where the trace multiplies as many blanks ("choose either 0, 1, or 2
    as the exponent of 2 ... Similarly, 0, 1, or 2 as the exponent of [NUMBER] ... [NUMBER]\times
    [NUMBER]": 3 x 3 = 9 choices, the multiplication principle replayed on the lists' lengths)."""
    g = gold.value
    if not (isinstance(g, Fraction) and g.denominator == 1 and 3 <= g <= _MOST_PRODUCT):
        return []
    if not ASKS_COUNT.search(question):
        return []
    lists = _lists(masked)
    found = [
        Finding("counted", f"a list of {n} items: their count is the gold", start, end)
        for n, start, end in lists
        if n == g <= _MOST
    ]
    if found:
        return found
    for product in _BLANK_PRODUCT.finditer(masked):
        k = len(_BLANK.findall(product.group()))
        for chosen in itertools.combinations(lists[:_MOST_LISTS], k) if k <= 3 else ():
            if math.prod(n for n, _, _ in chosen) == g:
                what = f"lists of {' x '.join(str(n) for n, _, _ in chosen)} items multiplied: the gold"
                return [Finding("counted", what, start, end) for _, start, end in chosen]
    return []
