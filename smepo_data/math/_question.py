"""What the question writes whole: its own expressions, which the trace may write again.

Evaluating the question's own expression is the task, not a replay of the trace: "Simplify
$\\frac{3}{\\sqrt{27}}$" beside a trace that starts ``\\frac{3}{\\sqrt{27}} = ...`` gives the reader
nothing the question does not. The masker does not cut such a step, and the attacks do not blame it (a blank
it fixes, a visible value it equals, a value it restates). A value written plainly (``\\frac{1}{5}``,
``2\\sqrt{3}``) is no computation: a question may list it among others, and the trace's choice among them
is the answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._equations import read_expression, tree_unknowns
from ._rational import Fraction
from ._template import question_segments

_SPLIT = re.compile(r"\\[lg]eq?(?![a-zA-Z])|\\neq?(?![a-zA-Z])|[=<>,;]")


@lru_cache(maxsize=256)
def question_expressions(question: str) -> frozenset[str]:
    """The question's own expressions, spaces dropped: each math segment whole, and each side of its
    relations and lists (``\\frac{\\sec x}{\\sin x} - \\frac{\\sin x}{\\cos x}`` of "Simplify $...$."); not a
    part of one (``3 \\cdot 4`` of ``3 \\cdot 4 \\cdot 2``)."""
    out: set[str] = set()
    for inner, _ in question_segments(question):
        out.add(spaceless(inner))
        out.update(spaceless(p).strip(".") for p in _SPLIT.split(inner))
    out.discard("")
    return frozenset(out)


@lru_cache(maxsize=256)
def _spaceless_question(question: str) -> str:
    return spaceless(question)


def spaceless(text: str) -> str:
    return re.sub(r"\s+", "", text)


#: what may not stand right beside an expression the question writes whole: an operator, a digit, a bracket
_PART_OF_MORE = frozenset("+-*/^=<>.,()[]{}\\_0123456789")


def written_in_question(text: str, question: str) -> bool:
    """Does the question write ``text`` whole (spaces aside): as one of its math segments' expressions
    (:func:`question_expressions`), or in its prose with no operator, digit or bracket right beside it
    ("What is 2+3?")? A part of a longer expression (``3 \\cdot 4`` of ``3 \\cdot 4 \\cdot 2``) is not."""
    t = spaceless(text)
    if not t or t not in _spaceless_question(question):
        return False  # (a cheap test first: most texts asked about are nowhere in the question)
    if t in question_expressions(question):
        return True
    written = r"\s*".join(map(re.escape, t))
    for m in re.finditer(written, question):
        before = question[: m.start()].rstrip()[-1:]
        after = question[m.end() :].lstrip()[:2]
        if m.start() and not question[m.start() - 1].isspace() and before.isalnum():
            continue  # "3y" of "2 + 3y": a letter or digit right against it
        if m.end() < len(question) and not question[m.end()].isspace() and after[:1].isalnum():
            continue
        if before in _PART_OF_MORE or (after[:1] in _PART_OF_MORE and not _ends_a_sentence(after)):
            continue
        return True
    return False


def _ends_a_sentence(after: str) -> bool:
    """Is ``after`` (the text right after an expression) a full stop or comma of prose, not a decimal?"""
    return after[:1] in ".," and not after[1:2].isdigit()


_NUMBER = re.compile(r"\s*-?\s*\d[\d,]*(?:\.\d+)?\s*")


def question_computation(text: str, question: str) -> bool:
    """Is ``text`` a computation the question writes whole (``\\frac{3}{\\sqrt{27}}`` of "Simplify
    $\\frac{3}{\\sqrt{27}}$"): the task's own expression, not a value written? Evaluating it is the task."""
    if _NUMBER.fullmatch(text) or not written_in_question(text, question):
        return False  # (a number as written is no computation: no need to parse it)
    tree = read_expression(text)
    return tree is not None and not tree_unknowns(tree) and not written_value(tree)


def written_value(tree: tuple) -> bool:
    """Is ``tree`` a value as written rather than a computation: a number, a fraction of two numbers, a
    root of a number, a number times a root, negated or not?"""
    op = tree[0]
    if op in ("n", "c"):
        return True
    if op == "neg":
        return written_value(tree[1])
    if op == "/":
        return tree[1][0] == "n" and tree[2][0] == "n"
    if op == "^":  # \sqrt{5}: the number to a unit fraction
        return tree[1][0] == "n" and tree[2][0] == "/" and tree[2][1] == ("n", Fraction(1))
    if op == "*":
        return tree[1][0] == "n" and tree[2][0] == "^" and written_value(tree[2])
    return False
