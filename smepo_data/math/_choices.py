"""Answers picked among choices the question lists.

``option``: a multiple-choice answer whose option the trace states by its content.

The question lists ``(A) Line (B) Circle (C) Plane ...`` (or ``\\textbf{(A)}\\ 3(1 + r)^x = 7\\qquad ...``)
and the gold is a letter, ``\\text{(C)}``. A trace that says "all the points lie on a plane", or writes
option B's equation after the box, gives the letter away as surely as the letter itself: a reader looks
the content up in the question. Found wherever the gold option's content stands outside a quote of the
question (words whole, case aside, a plural ``s`` allowed; math with spaces ignored).

``elimination``: the answer is one of the names the question lists ("Which student has the greatest
average speed?", Evelyn, Briana, Carla, Debra, Angela) and the masked trace shows every other name the
trace uses but hides the answer's: the one name missing is the answer, whatever the reasoning says. The
same for a number among numbers the question offers to choose from ("she can divide each pizza into
either 6, 8, or 10 slices ... how many slices should she choose?"): a trace that checks each option and
shows 6 and 10 but never 8 names the answer by leaving it out.
"""

from __future__ import annotations

import re

from .._leak import Finding
from ._given import copied_from_question
from ._rational import Fraction

#: an option's letter as the question writes it: ``(A)``, ``\textbf{(A)}``, ``(A)\ ``
_MARKER = re.compile(r"(?:\\textbf\{\s*)?\(([A-J])\)(?:\s*\})?(?:\\[ ,;]|\s)*")
#: the gold as a letter: ``\text{(C)}``, ``(C)``, ``C``, ``\textbf{(C)}``
_LETTER = re.compile(r"\s*(?:\$\s*)?(?:\\text(?:bf)?\{\s*)?\(?([A-J])\)?(?:\s*\})?\s*(?:\$\s*)?")
_LAYOUT = re.compile(r"\\q?quad(?![a-zA-Z])|\$|\\[ ,;]")


def option_content(question: str, letter: str) -> str | None:
    """What the question's option ``letter`` says, layout and delimiters out; ``None`` when the question
    lists no such options (at least two, lettered from A in order)."""
    markers = list(_MARKER.finditer(question))
    letters = [m.group(1) for m in markers]
    if len(markers) < 2 or letters != [chr(ord("A") + k) for k in range(len(letters))]:
        return None
    for k, m in enumerate(markers):
        if m.group(1) != letter:
            continue
        end = markers[k + 1].start() if k + 1 < len(markers) else len(question)
        text = question[m.end() : end].split("\n\n")[0]
        content = _LAYOUT.sub(" ", text).strip().rstrip(".,;").strip()
        return content or None
    return None


def option(question: str, masked: str, answer: str) -> list[Finding]:
    """Every place the masked trace states the gold option's content."""
    m = _LETTER.fullmatch(answer)
    if m is None or "(" not in question:
        return []
    content = option_content(question, m.group(1))
    if content is None:
        return []
    compact = re.sub(r"\s+", "", content)
    words = _WORDS.fullmatch(content) is not None
    if not (_SHORTEST_WORDS if words else 2) <= len(compact) <= _LONGEST:
        return []
    out = []
    for hit in re.finditer(_stated(compact, words), masked, re.IGNORECASE if words else 0):
        if not copied_from_question(masked, hit.start(), hit.end(), question):
            detail = f"{hit.group()!r} is option ({m.group(1)})'s content, the gold"
            out.append(Finding("option", detail, hit.start(), hit.end()))
    return out


#: an option in words (``Plane``, ``a hyperbola``): found case aside, a plural allowed, three letters at
#: least (a "no" of ``(B) No`` is any "no" of the prose)
_WORDS = re.compile(r"[A-Za-z]+(?:\s+[A-Za-z]+)*")
_SHORTEST_WORDS = 3
#: an option longer than this is a passage, not a content a trace states again
_LONGEST = 200


def _stated(compact: str, words: bool) -> str:
    """The pattern of an option's content (spaces out) as the trace may write it: spaces anywhere, and a
    boundary at each end (``-1`` is not in ``-12``, ``12`` not in ``1/12`` or ``12,000``, ``\\pi`` not in
    ``\\pitchfork`` or ``2\\pi``, ``pi`` not in ``\\pi``); a leading sign not after an operand (``3-1`` and
    ``x - 1`` hold no ``-1``)."""
    body = r"\s*".join(re.escape(c) for c in compact)
    if compact[0].isdigit():
        before = r"(?<![\w.\\/\-−])"  # not 12 in 1/12 or -12
    elif compact[0].isalpha():
        before = r"(?<![\w.\\])"  # "plane" in "the $xy$-plane" too
    elif compact[0] in "+-−":
        before = r"(?<![\w.)}\]])(?<![\w.)}\]] )"  # not after an operand (3-1, x - 1)
    else:
        before = r"(?<![\w.])"  # \pi, not inside 2\pi
    after = r"(?!\w)(?![.,]\d)" if compact[-1].isalnum() else ""
    return before + body + (r"(?:e?s)?" if words else "") + after


#: a capitalized word: a name, when it does not open a sentence
_CAPITALIZED = re.compile(r"(?<![\w\\])[A-Z][a-z]{2,}(?![\w])")
_OPENS = re.compile(r"(?:^|[.!?:]\s+|\n\s*)\Z")
_OPENS_LOOKBACK = 40  # how far back a sentence's start is looked for
_WORD = re.compile(r"\w+")
#: more names than a question lists as choices: not a choice among them
_MOST_NAMES = 20


def elimination(question: str, masked: str, answer: str, trace: str) -> list[Finding]:
    """Where the masked trace shows every other name of the question that the trace uses and hides the
    gold's: one finding per mention of the other name mentioned fewest times (hiding it leaves two names
    unaccounted for). A number the question offers as a choice, likewise (:func:`_numbers_eliminated`)."""
    gold = re.sub(r"\\text\{([^{}]*)\}", r"\1", answer).strip(" $")
    if _GOLD_NUMBER.fullmatch(gold.replace(",", "")):
        return _numbers_eliminated(question, masked, gold.replace(",", ""), trace)
    if not gold.isalpha() or not trace or gold not in trace or gold not in question:
        return []
    used = set(_WORD.findall(trace))
    names = {
        m.group()
        for m in _CAPITALIZED.finditer(question)
        if m.group() in used and not _OPENS.search(question, max(0, m.start() - _OPENS_LOOKBACK), m.start())
    }
    others = names - {gold}
    if not 2 <= len(others) <= _MOST_NAMES or re.search(rf"\b{gold}\b", masked):
        return []
    shown = {n: [m.span() for m in re.finditer(rf"\b{n}\b", masked)] for n in sorted(others)}
    if not all(shown.values()):
        return []
    name = min(shown, key=lambda n: (len(shown[n]), shown[n][0]))
    detail = (
        f"every name but the gold's is visible ({', '.join(sorted(others))}): {name!r} hidden leaves a choice"
    )
    return [Finding("elimination", detail, s, e) for s, e in shown[name]]


#: a numeric gold
_GOLD_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: a number as a question offers it among choices, up to 30 digits: ``6``, ``2.5``, ``$25``, ``\$25``, ``$6$``
_OPTION = r"(?:\\?\$)?(\d{1,30}(?:\.\d{1,30})?)\$?"
#: the last option, after "or": "6, 8, or 10", "3 or 4", "$6$, $8$, or $10$"
_LAST_OPTION = re.compile(rf"\bor\s+{_OPTION}(?![\w]|[.,]\d)")
#: an option before it, read back from the end of the text before it ("8, ", "3 "); not part of 1,000 or 2.5
_EARLIER_OPTION = re.compile(rf"(?<![\w.,$\\]){_OPTION}\s*,?\s*\Z")
#: how far before its "or" a list of options is read, and the most options read
_OPTIONS_SPAN = 200
MAX_OPTIONS = 10
#: a number standing alone in a text (not in 18, 8.5, 8x, 1,800, nor a numeral of more than 30 digits)
_ALONE = re.compile(r"(?<![\w.,])\d{1,30}(?:\.\d{1,30})?(?![\w]|[.,]\d)")
#: the closing sentence asks to choose: "how many slices should she choose", "which of the three"
_CHOOSE = re.compile(r"(?i)\b(?:choose|chose|pick|select|decide)\b")
_WHICH = re.compile(r"(?i)\bwhich\b")
#: "in which", "for which": a relative clause, no choice
RELATIVE_BEFORE = frozenset(
    ("in", "for", "on", "at", "by", "to", "with", "from", "of", "into", "during", "under", "over", "through")
)
#: a number right after a verb of choosing: its object, a quantity ("pick 30 apples")
_COUNT_AFTER = re.compile(r"\s+\$?\d")


def _asks_a_choice(question: str) -> bool:
    """Does the question's closing sentence ask to choose ("should she choose", "Which size ...")? Not a
    verb with a number after it ("to pick 30 apples": the task's own verb), nor a relative "which" (", which
    has", "in which", "(for which")."""
    closing = re.split(r"(?<=[.!?])\s+", question.strip())[-1]
    if any(not _COUNT_AFTER.match(closing, m.end()) for m in _CHOOSE.finditer(closing)):
        return True
    for m in _WHICH.finditer(closing):
        before = closing[max(0, m.start() - 24) : m.start()]
        words = re.findall(r"[A-Za-z]+", before)
        if before.rstrip().endswith(",") or (words and words[-1].lower() in RELATIVE_BEFORE):
            continue
        return True
    return False


def _offered(question: str) -> list[list[str]]:
    """The lists of numbers the question offers, each ending in "or N" (two to :data:`MAX_OPTIONS`)."""
    out = []
    for last in _LAST_OPTION.finditer(question):
        options = [last.group(1)]
        head = question[max(0, last.start() - _OPTIONS_SPAN) : last.start()]
        while len(options) < MAX_OPTIONS:
            earlier = _EARLIER_OPTION.search(head)
            if earlier is None:
                break
            options.insert(0, earlier.group(1))
            head = head[: earlier.start()].rstrip()
            if not head.endswith(","):
                break
            head = head[:-1]
        if len(options) >= 2:
            out.append(options)
    return out


def _alone(text: str) -> dict[Fraction, list[tuple[int, int]]]:
    """Where each value stands alone in ``text`` as a number."""
    out: dict[Fraction, list[tuple[int, int]]] = {}
    for m in _ALONE.finditer(text):
        out.setdefault(Fraction(m.group()), []).append(m.span())
    return out


def _numbers_eliminated(question: str, masked: str, gold: str, trace: str) -> list[Finding]:
    """The gold is one of the numbers the question offers to choose from, and its closing sentence asks to
    choose; the original trace mentions every option, the masked trace every one but the gold: one finding
    per mention of the other option mentioned fewest times."""
    if len(gold) > 61 or not _asks_a_choice(question):
        return []
    lists = _offered(question)
    if not lists:
        return []
    g = Fraction(gold)
    in_trace, in_masked = _alone(trace), _alone(masked)
    for options in lists:
        values = [Fraction(o) for o in options]
        if len(set(values)) != len(values) or g not in values or g in in_masked:
            continue
        if not all(v in in_trace for v in values) or not all(v in in_masked for v in values if v != g):
            continue
        fewest = min((v for v in values if v != g), key=lambda v: (len(in_masked[v]), in_masked[v][0]))
        shown = ", ".join(o for o, v in zip(options, values, strict=True) if v != g)
        detail = f"every option but the gold is visible ({shown} of {', '.join(options)})"
        return [Finding("elimination", detail, s, e) for s, e in in_masked[fewest]]
    return []
