"""What the question writes whole: its own expressions, which the trace may write again.

Evaluating the question's own expression is the task, not a replay of the trace: "Simplify
$\\frac{3}{\\sqrt{27}}$" beside a trace that starts ``\\frac{3}{\\sqrt{27}} = ...`` gives the reader
nothing the question does not. Where the question's math writes exactly one expression of values, and it is
a computation (:func:`question_computation`), the masker does not cut the step that evaluates it, and the
attacks do not blame it (a blank it fixes, a visible value it equals, a value it restates). Where the
question writes two or more ("Which is larger, $2^{10}$ or $3^6$?", options, a value and a modulus), the
trace's choice among them may be the answer, and nothing is spared; nor is a value written plainly
(``\\frac{1}{5}``, ``2\\sqrt{3}``), nor a question in prose (GSM8K).
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


def question_computation(text: str, question: str) -> bool:
    """Is ``text`` the question's one expression of values, a computation (:func:`the_question_s_expression`:
    ``\\frac{3}{\\sqrt{27}}`` of "Simplify $\\frac{3}{\\sqrt{27}}$")? Evaluating it is the task."""
    expression = the_question_s_expression(question)
    return expression is not None and spaceless(text) == expression


#: a part of the question's math that holds a value: a digit in it
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=256)
def the_question_s_expression(question: str) -> str | None:
    """The one expression of values the question's math segments write (a segment, or a side of one of its
    relations or lists; spaces dropped), when it is a computation and no value written plainly:
    ``\\dbinom{31}{28}`` of "Compute $\\dbinom{31}{28}$", ``6^3-5^3`` of "What is $6^3 - 5^3$?". ``None``
    where the segments write two or more (``2^{10}`` and ``3^6`` to choose from; ``17^{-1}`` and its modulus),
    none, or a part with a digit that does not read as an expression."""
    found: set[str] = set()
    for inner, _ in question_segments(question):
        for part in _SPLIT.split(inner):
            text = spaceless(part).strip(".")
            if not _DIGIT.search(text):
                continue  # letters only (x, f(x)): no value
            tree = read_expression(text)
            if tree is None:
                return None  # unread: it may be a value to choose among
            if not tree_unknowns(tree):
                found.add(text)
    if len(found) != 1:
        return None
    (only,) = found
    tree = read_expression(only)
    return only if tree is not None and not written_value(tree) else None


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
    if op == "*":  # 2\\sqrt{5}, -2\\sqrt{5}
        return (
            written_value(tree[1])
            and tree[1][0] in ("n", "neg")
            and tree[2][0] == "^"
            and written_value(tree[2])
        )
    return False
