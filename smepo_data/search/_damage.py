"""Text damage a search span does, read off the original trace and the span alone (no masker decision):
the audit counts it, the masker's tests assert there is none.

* ``swallowed quote``: a double quote inside a span, or one half of a quoted name hidden with the text
  around it (``"Jerry" Orbach`` -> ``[ENTITY]``); a placeholder must leave the quotes of the text visible,
  unless it hides a quoted title whole, with the bracket after it (``"Now and Then" (1995)``, a gold that
  holds its own quotes: cut at them it would read ``"[ENTITY]" [EXPR]``, a shape no other hidden value has).
  A stray quote (:func:`stray_quotes`, one with no partner on its line, junk of the source as in the
  gold ``Jonny" Craig``) is no half of anything: hiding it with its name is no damage, and cutting the
  name at it would draw the shape of a nickname (``[ENTITY]" [ENTITY]``);
* ``merged sentences``: a span that runs over a sentence end or a line break, so two sentences become
  one placeholder;
* ``merged list``: a span that holds a list of common nouns, its commas and its "and" ("director,
  screenwriter, and actor" -> ``[ENTITY]``): the list's shape is the plan's, its items are hidden one by
  one (a name that reads as a list is capitalised: "Crosby, Stills, Nash and Young"); the final answer
  slot is the answer and one placeholder, no merged list;
* ``split brackets``: a span that holds one bracket of a pair and leaves the other in the text
  (``Straight No Chaser (SNC)`` -> ``[ENTITY]SNC)``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ._trace import final_answer

#: double quotes, straight and curly
QUOTES = '"\u201c\u201d'
_ABBREVIATIONS = re.findall(
    r"\w+", "vs Bros Inc Ltd Corp Ave Blvd Gen Gov Sgt Capt Col Rev Prof Dept Univ Mt Ft No"
)
#: a sentence end: a point after a lower-case word of two letters or more ("Inc. The" counts, "St. Louis",
#: "Mr. Smith", "Ali vs. Ellis" do not), the blanks after it and a capital; or a line break
SENTENCE_END = re.compile(
    r"(?<=[a-z]{2})" + "".join(rf"(?<!\b{a})" for a in _ABBREVIATIONS) + r"[.!?]\s+(?=[A-Z\[])|\n"
)


#: three or more lower-case items joined by commas and a last "and" / "or"
_LIST = re.compile(
    r"[a-z][\w'-]*(?: [a-z][\w'-]*)*(?:, [a-z][\w'-]*(?: [a-z][\w'-]*)*)+,? (?:and|or) [a-z][\w' -]*"
)

#: a quoted title with the bracket after it, whole ('"Now and Then" (1995)', a gold with its own quotes):
#: hidden as one, it leaves no half of the pair behind
QUOTED_TITLE = re.compile(r'\s*["\u201c][^"\u201c\u201d\n]+["\u201d](?:\s*\([^()\n]*\))?\s*')

#: what a closing quote follows besides a letter or digit
_CLOSERS = ".,;:!?)]}'\u2019"


def stray_quotes(text: str, start: int = 0, end: int | None = None) -> set[int]:
    """Offsets of the double quotes in ``text`` whose lines (those touching ``[start, end)``) give them no
    partner: a quote after a word, a point or a closing bracket closes the last open one, any other
    opens; a close with none open and an open never closed are stray (``Jonny" Craig``)."""
    end = len(text) if end is None else end
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    stray: set[int] = set()
    opened: list[int] = []
    for i in range(a, b):
        c = text[i]
        if c == "\n":
            stray.update(opened)
            opened = []
        elif c in QUOTES:
            after_word = i > a and (text[i - 1].isalnum() or text[i - 1] in _CLOSERS)
            opens = c == "\u201c" or (c == '"' and not after_word)
            if opens:
                opened.append(i)
            elif opened:
                opened.pop()
            else:
                stray.add(i)
    stray.update(opened)
    return stray


def span_text_damage(trace: str, start: int, end: int) -> list[str]:
    """The damage kinds of hiding ``trace[start:end]`` (see the module docstring); ``[]`` when none."""
    text = trace[start:end]
    out = []
    quotes = [start + i for i, c in enumerate(text) if c in QUOTES]
    if quotes and not set(quotes) <= stray_quotes(trace, start, end) and not QUOTED_TITLE.fullmatch(text):
        out.append("swallowed quote")
    if SENTENCE_END.search(text):
        out.append("merged sentences")
    if _LIST.fullmatch(text.strip()) and not _in_final_slot(trace, start, end):
        out.append("merged list")
    if any(_unpaired(text, open_, close) for open_, close in ("()", "[]")):
        out.append("split brackets")
    return out


def _in_final_slot(trace: str, start: int, end: int) -> bool:
    slot = final_answer(trace)
    return slot is not None and slot[0] <= start and end <= slot[1]


def _unpaired(text: str, open_: str, close: str) -> bool:
    """Whether ``text`` holds a bracket whose partner is outside it (a close before its open, or an open
    never closed)."""
    depth = 0
    for c in text:
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def spans_damage(trace: str, spans: Iterable[Any]) -> Counter[str]:
    """:func:`span_text_damage` over a row's spans (dicts with ``start`` and ``end``, as written)."""
    out: Counter[str] = Counter()
    for s in spans:
        if isinstance(s, Mapping):
            out.update(span_text_damage(trace, int(s.get("start", 0)), int(s.get("end", 0))))
    return out
