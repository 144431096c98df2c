"""The ``replay`` attack on a question that asks for a sum of digits.

"What is the sum of the digits in the terminating decimal representation of $\\frac{4321}{5^7\\cdot2^8}$?"
beside a trace that keeps ``\\frac{4321\\cdot5}{[NUMBER]^8}`` and ends ``2+1+[NUMBER]+0+5 =
\\boxed{[NUMBER]}``: a reader multiplies 4321 by 5, has 21605, and adds its digits. No step of the trace
computes the answer from what is visible, for the last one adds digits a blank hides; the digits come from a
value the trace computes whole elsewhere, in no equation with the answer.

Where the question's closing sentence asks for the sum of a number's digits, every computation of visible
values the trace writes (a part of an equation's side without a blank, ``4321\\cdot5``; a math segment alone)
whose value has digits that sum to the gold leaks; so does a visible number of two digits or more that the
question does not write, by value (``0.0021605``, the decimal itself; ``1024`` is the question's ``1,024``).
Where the masked trace shows a step that adds digits one by one (``2+1+[NUMBER]+0+5``), the value's digits
must fit it (its visible digits in their places, zeros kept or skipped): a coincidence (180 beside a gold of
9) does not; where it shows none, a number counts only as a step's result (right after ``=``). A value of the
question's own expressions is the task's (the trace writes ``\\frac{4321}{5^7\\cdot2^8}\\cdot\\frac{5}{5}``:
evaluating that is the question's work; a part that is not, ``4321\\cdot5`` of ``\\frac{4321\\cdot5}{10^8}``,
is the trace's), and so is a side the question writes whole. Only terminating decimals have digits to add
(``\\frac{1}{3}`` has none); leading and trailing zeros add nothing. Blamed on the side or segment that holds
the computation (the repair hides one of its values, a copy of a question value first) or on the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._leak import Finding
from ._answer import Gold
from ._equations import (
    Undefined,
    evaluate,
    finite,
    lone_expressions,
    read_equations,
    read_expression,
    tree_unknowns,
)
from ._given import copied_from_question
from ._question import question_expressions, spaceless, written_value
from ._rational import Fraction
from ._values import Value

#: "the sum of the digits", "sum of its digits", "the sum of all the nonzero digits", in the closing sentence
_ASKS = re.compile(r"(?i)\bsum\s+of\s+(?:all\s+)?(?:the\s+|its\s+|their\s+)?(?:[a-z]+\s+)?digits\b")
#: a number written in the text: thousands separators (``21,605``, ``21{,}605``), a decimal; up to 30 digits a
#: part; not an exponent's or an index's (``10^8``, ``a_12``)
_NUMBER = re.compile(
    r"(?<![\w.,^_])(?<!\^\{)(?<!_\{)(?:\d{1,3}(?:(?:,|\{,\})\d{3}){1,9}|\d{1,30})(?:\.\d{1,30})?(?![\w]|[.,]\d)"
)
#: a step that adds digits one by one: ``2+1+[NUMBER]+0+5`` (three terms or more, each a digit or a blank)
_DIGIT_STEP = re.compile(r"(?<![\w.])(?:(?:\d|\[[A-Z]+\])[ \t]*\+[ \t]*){2,}(?:\d|\[[A-Z]+\])(?![\w.\[])")
#: a number written as a step's result: right after an ``=``
_RESULT_BEFORE = re.compile(r"=\s*-?\s*\Z")
#: the most equations read, the most digit steps compared, and the most decimal places a value may need
MAX_EQUATIONS = 400
MAX_STEPS = 20
MAX_PLACES = 40


def digit_sums(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The findings of computations (``replay``) and numbers (``equivalent_form``) whose digits sum to the
    gold, where the question's closing sentence asks for a sum of digits."""
    g = gold.value
    if not (type(g) is Fraction and g.denominator == 1 and g > 0):
        return []
    if not _ASKS.search(re.split(r"(?<=[.!?])\s+", question.strip())[-1]):
        return []
    own = _question_values(question)
    # the steps that add digits and show one at least (a sum of blanks alone fits any number), each once
    steps = list(dict.fromkeys(_step_digits(m.group()) for m in _DIGIT_STEP.finditer(masked)))
    steps = [step for step in steps if any(t is not None for t in step)][:MAX_STEPS]
    fitting: dict[Fraction, bool] = {}

    def fits(v: Value) -> bool:  # its digits add up to the gold, and fit a visible step that adds them
        if not (type(v) is Fraction and v != 0 and finite(v)):
            return False
        if v not in fitting:
            digits = _digits(v)
            fitting[v] = (
                digits is not None
                and sum(digits) == g
                and (not steps or any(_fits(digits, step) for step in steps))
            )
        return fitting[v]

    out: list[Finding] = []
    for tree, start, end in _computations(masked):
        if spaceless(masked[start:end]) in question_expressions(question):
            continue  # the question's own expression, written again
        for sub in _computed_parts(tree):
            try:
                v = evaluate(sub, {})
            except (Undefined, ArithmeticError, ValueError):
                continue
            if v not in own and fits(v):  # (the question's value written out is no computation left)
                what = f"the digits of {masked[start:end].strip()[:60]!r}'s value {v} add up to the gold"
                out.append(Finding("replay", what, start, end))
                break
    written = {_number_value(m.group()) for m in _NUMBER.finditer(question)}
    for m in _NUMBER.finditer(masked):
        v = _number_value(m.group())
        if (
            len(_digits(v) or ()) < 2  # one digit is its own sum: visible_value's
            or v in written
            or not fits(v)
            or copied_from_question(masked, m.start(), m.end(), question)
        ):
            continue
        if not steps and not _RESULT_BEFORE.search(masked, max(0, m.start() - 8), m.start()):
            continue  # with no step to fit, only a written result is the number whose digits are asked
        out.append(Finding("equivalent_form", f"the digits of {m.group()!r} add up to the gold", *m.span()))
    return out


def _number_value(text: str) -> Fraction:
    return Fraction(text.replace("{,}", "").replace(",", ""))


def _step_digits(step: str) -> tuple[int | None, ...]:
    """The terms of a step that adds digits: each digit, or ``None`` for a blank."""
    return tuple(int(t) if t.isdigit() else None for t in re.split(r"[ \t]*\+[ \t]*", step))


def _digits(v: Fraction) -> list[int] | None:
    """The digits of ``|v|`` as a terminating decimal, leading zeros (``0.000``) left out; ``None`` when it
    does not terminate within :data:`MAX_PLACES` places."""
    v = abs(v)
    for _ in range(MAX_PLACES + 1):
        if v.denominator == 1:
            return [int(c) for c in str(v.numerator)]
        v *= 10
    return None


def _fits(digits: list[int], step: tuple[int | None, ...]) -> bool:
    """Do ``digits`` fill ``step`` (a visible term equal to its digit, a blank any), with or without its
    zeros (a trace may skip them)?"""
    for ds in (digits, [d for d in digits if d]):
        if len(ds) == len(step) and all(t is None or t == d for t, d in zip(step, ds, strict=True)):
            return True
    return False


def digit_sum(v: Fraction) -> int | None:
    """The sum of the digits of ``|v|`` written as a decimal, or ``None`` when it does not terminate
    within :data:`MAX_PLACES` places."""
    digits = _digits(v)
    return None if digits is None else sum(digits)


def _computations(masked: str) -> Iterator[tuple[tuple, int, int]]:
    """Every equation side and lone math segment of ``masked``, as (tree, start, end)."""
    seen: set[tuple[int, int]] = set()
    for eq in read_equations(masked).equations[:MAX_EQUATIONS] if "=" in masked else ():
        for side in (eq.left, eq.right):
            if (side.start, side.end) not in seen:
                seen.add((side.start, side.end))
                yield side.tree, side.start, side.end
    for tree, start, end in lone_expressions(masked):
        if (start, end) not in seen:
            yield tree, start, end


def _computed_parts(tree: tuple) -> Iterator[tuple]:
    """The parts of ``tree`` that compute from written values alone (an operator over no blank, letter or
    placeholder), each one and the parts inside it, largest first: ``\\frac{4321\\cdot5}{10^8}`` is the
    question's value, ``4321\\cdot5`` the digits."""
    if tree[0] == "u" or written_value(tree):
        return
    if not tree_unknowns(tree):
        yield tree
    for part in tree[1:]:
        if isinstance(part, tuple):
            yield from _computed_parts(part)


def _question_values(question: str) -> set[Fraction]:
    """The values of the question's own expressions: computing them is the task."""
    out: set[Fraction] = set()
    for text in question_expressions(question):
        tree = read_expression(text)
        if tree is None or tree_unknowns(tree):
            continue
        try:
            v = evaluate(tree, {})
        except (Undefined, ArithmeticError, ValueError):
            continue
        if type(v) is Fraction:
            out.add(v)
    return out
