"""The question's form with letters, and where the trace writes it with values (for the ``template`` attack).

"The expression $10x^2-x-24$ can be written as $(Ax-8)(Bx+3),$ where $A$ and $B$ are integers. What is $AB +
B$?" beside the trace's ``10x^2-x-24=([NUMBER]x-8)(2x+3)``: a reader lays the question's form over the
trace's expression, reads B = 2 off it and A from the blank the visible factorization fixes, and evaluates the
question's own expression of the letters (``2^{5/4}`` for "the area can be expressed in the form
$p^{a/b}$ ... Find $a + b + p$": every letter visible). This module finds the pieces as text; the attack
(:func:`.attacks._templates`) gives the blanks their values and evaluates.

- the letters: single letters the question declares after "where" ("where $A$ and $B$ are integers",
  "where $a,$ $b,$ $p$ are positive integers");
- the target: the question's last math segment made of declared letters, numbers and operators only
  (``AB + B``, ``a + b + p``);
- the form: the question's math segment before the target that holds the most declared letters, two or more;
- an instance: text of the masked trace that is the form with a number or a blank in each letter's place
  (spaces aside, ``\\left``/``\\right`` optional, a letter used twice reading the same text both times).

An instance the question itself writes (its own point ``(2,5)``) is none: the reader has those values.

Not covered: an instance with a coefficient 1 or a term 0 left out (``x`` for ``1x``), a sign folded into
the operator before it (``(x+b)^2`` written ``(x-3)^2``), terms in another order, a form over two segments,
and forms whose values stand side by side (``AB`` for a two-digit number, ``10a+b``): their digits run
together, so such a form is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ._equations import read_expression, tree_unknowns

_SEGMENT = re.compile(
    r"\$\$(.{1,400}?)\$\$|(?<!\\)\$([^$]{1,400}?)(?<!\\)\$|\\\[(.{1,400}?)\\\]|\\\((.{1,400}?)\\\)", re.S
)
#: "where $A$ and $B$ are", "where $a,$ $b,$ $c,$ and $d$ are": the declaration, up to its verb
_WHERE = re.compile(r"\bwhere\b(.{1,200}?)\b(?:are|is)\b", re.S)
#: a LaTeX command, or a letter of math (a symbol of its own: "Ax" is A times x)
_SYMBOL = re.compile(r"\\[A-Za-z]+|([A-Za-z])")
#: what a target may hold besides its letters: numbers, operators, brackets, products, spaces
_TARGET_REST = re.compile(r"^(?:\s|\d|[-+*/()^.]|\\cdot|\\times|\{|\})*$")
#: a value standing in a letter's place: a number or a placeholder, signed or not
_SLOT = r"((?:-\s*)?(?:\d++(?:\.\d++)?(?![\d.])|\[[A-Z][A-Z]+(?:_\d+)?\]))"
#: the longest form read (a form is one short expression)
_LONGEST_FORM = 120


@dataclass(frozen=True, slots=True)
class Slot:
    """A letter's place in an instance: the text there (a number or a placeholder) and where it stands."""

    letter: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Template:
    """The question's form as a pattern over the trace, and its target as a tree in ``v:<letter>``."""

    pattern: re.Pattern[str]
    letters: tuple[str, ...]  # the pattern's groups, in order
    target: tuple
    form: str


@lru_cache(maxsize=256)
def question_segments(question: str) -> tuple[tuple[str, int], ...]:
    """The question's math segments: each one's interior, trailing punctuation dropped, and where it starts
    (at most 400 characters each: an unclosed ``\\(`` costs no rescan of the rest)."""
    return tuple((_inner(m).strip().rstrip(".,;:?").strip(), m.start()) for m in _SEGMENT.finditer(question))


@lru_cache(maxsize=256)
def question_template(question: str) -> Template | None:
    """The question's form and target (see the module), or ``None`` when it declares none."""
    if "where" not in question:
        return None
    declared: set[str] = set()
    for m in _WHERE.finditer(question):
        for seg in _SEGMENT.finditer(m.group(1)):
            declared.update(_letters(_inner(seg)))
    if not declared:
        return None
    segments = question_segments(question)
    target = None
    for text, at in reversed(segments):
        used = set(_letters(text))
        rest = _SYMBOL.sub(lambda x: "" if x.group(1) else x.group(), text)
        if used and used <= declared and _TARGET_REST.match(rest) and len(text) > 1:
            tree = read_expression(text)
            if tree is not None and len(tree_unknowns(tree)) == len(used):
                target = (tree, at, text)
                break
    if target is None:
        return None
    tree, target_at, target_text = target
    forms = [
        (sum(1 for x in _letters(t) if x in declared), t)
        for t, at in segments
        if at < target_at and t != target_text and len(t) <= _LONGEST_FORM
    ]
    count, form = max(forms, default=(0, ""), key=lambda c: c[0])
    if count < 2 or form in declared:
        return None
    built = _pattern(form, declared)
    if built is None:
        return None
    pattern, letters = built
    return Template(pattern, letters, tree, form)


@lru_cache(maxsize=16)
def instances(template: Template, masked: str) -> tuple[tuple[tuple[int, int], tuple[Slot, ...]], ...]:
    """Every place ``masked`` writes the template's form with values: its span and its letters' slots.
    Remembered for the last few texts: the ``constraints`` attack reads them again on each branch."""
    return tuple(
        (
            m.span(),
            tuple(
                Slot(x, m.group(_group(x)), m.start(_group(x)), m.end(_group(x))) for x in template.letters
            ),
        )
        for m in template.pattern.finditer(masked)
    )


def _letters(text: str) -> list[str]:
    """The letters of math ``text``, one per occurrence, commands (``\\sqrt``, ``\\frac``) aside."""
    return [x.group(1) for x in _SYMBOL.finditer(text) if x.group(1)]


def _inner(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None)


def _pattern(form: str, declared: set[str]) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    """The form as a regex: each declared letter a group for a value (a letter used again, the same text),
    commands and other characters as written, spaces optional between tokens."""
    parts: list[str] = []
    letters: list[str] = []
    previous = ""  # what the last token was: "slot", "digit" or "" (anything else)
    i = 0
    while i < len(form):
        c = form[i]
        if c.isspace():
            i += 1
            continue
        if c == "\\":
            m = re.match(r"\\(?:[A-Za-z]+|.)", form[i:], re.S)
            if m is None:
                return None  # a lone backslash at the end: no form
            command = m.group()
            i += len(command)
            previous = ""
            if command in ("\\left", "\\right"):
                continue
            parts.append(re.escape(command) + (r"(?![A-Za-z])" if command[-1:].isalpha() else ""))
            continue
        if c in declared:  # a symbol of its own in math ("Ax" is A times x)
            if previous:
                return None  # "AB", "10a": values written side by side read as one number, no form
            if c in letters:
                parts.append(f"(?P={_group(c)})")
            else:
                letters.append(c)
                parts.append(f"(?P<{_group(c)}>{_SLOT[1:-1]})")
            previous = "slot"
            i += 1
            continue
        if c.isdigit() and previous == "slot":
            return None
        previous = "digit" if c.isdigit() else ""
        parts.append(r"(?:\\left)?\(" if c == "(" else r"(?:\\right)?\)" if c == ")" else re.escape(c))
        i += 1
    if len(letters) < 2:
        return None
    body = r"\s*".join(parts)
    return re.compile(rf"(?<![\w.\\]){body}(?!\w)"), tuple(letters)


def _group(letter: str) -> str:
    return f"L{ord(letter)}"
