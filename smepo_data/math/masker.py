"""The math masker: which spans of a worked solution to hide, at each level.

- ``answer``: the final answer, and every value equal to it (in any form the value engine agrees with).
- ``critical`` (default): the answer plus every value derived along the solution; values the question
  gives, step labels, list markers, variable indices and exponents stay visible.
- ``all``: every value (exponents included), still keeping labels and indices intact.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .._model import Example, RowError, Span
from .._render import merge_spans
from ._answer import Gold, find_text, parse_gold
from ._given import Given, given_values
from ._lexer import _EQUALS, Atom, Scan, braces, scan
from ._values import Budget, Value, expression_value, value_key

LEVELS = ("answer", "critical", "all")


def _fmt(v: Value) -> str:
    return value_key(v)


class MathMasker:
    """Find the spans to hide in a math trace. Stateless apart from caches; safe to share."""

    levels = LEVELS
    default_level = "critical"

    def __init__(self, sympy_budget_s: float = 0.02):
        self.sympy_budget_s = sympy_budget_s

    def validate(self, example: Example) -> None:
        """Raise :class:`RowError` for rows the masker cannot trust: broken LaTeX, an unreadable answer."""
        for name, text in (("trace", example.trace), ("answer", example.answer)):
            problem = latex_problem(text)
            if problem:
                raise RowError("broken_latex", f"the {name} has {problem}")
        gold = parse_gold(example.answer)
        if gold.value is None and not gold.components and not gold.norm:
            raise RowError("unparsable_answer", f"cannot read the answer {example.answer[:80]!r}")

    def find_spans(self, example: Example, level: str = "critical") -> list[Span]:
        if level not in LEVELS:
            raise ValueError(f"unknown math level {level!r}; choose one of {', '.join(LEVELS)}")
        gold = parse_gold(example.answer)
        sc = scan(example.trace)
        given = given_values(example.question)
        spans = [Span(s.start, s.end, "answer", s.reason, gold.key) for s in sc.statements]
        for atom in sc.atoms:
            spans.extend(_decide(atom, gold, given, level))
        spans.extend(_text_matches(example.trace, gold))
        if gold.value is not None and not gold.numeric:
            spans.extend(_sympy_matches(sc, gold, Budget(self.sympy_budget_s)))
        return merge_spans(spans)


def _answer_reason(atom: Atom, gold: Gold) -> str | None:
    if any(gold.equals(v) for v in atom.values):
        return f"equals the gold answer ({gold.raw.strip()})"
    return None


def _decide(atom: Atom, gold: Gold, given: Given, level: str) -> list[Span]:
    """The spans one atom contributes (none when it stays visible)."""
    if atom.role in ("index", "label"):
        return []
    kind = atom.kind
    why = _answer_reason(atom, gold)
    if why and atom.role != "exponent":
        return [Span(atom.start, atom.end, "answer", why, gold.key)]
    if atom.role == "constant":
        return []
    if atom.parts and any(gold.equals(v) for p in atom.parts for v in p.values):
        return [s for p in atom.parts for s in _decide(p, gold, given, level)]
    if level == "all":
        return [Span(atom.start, atom.end, kind, "level 'all' hides every value", _fmt(atom.values[0]))]
    if level == "answer" or atom.role == "exponent":
        return []
    # an integer-valued compound (\\frac{-8}{-4}) is a computation: its parts decide, not its value
    is_given = any(v in given for v in atom.values) and not (atom.parts and _is_integer(atom.values[0]))
    if gold.components and not is_given and any(gold.component_equals(v) for v in atom.values):
        key = gold.key + _fmt(atom.values[0])
        return [Span(atom.start, atom.end, "answer", "equals a component of the gold answer", key)]
    if atom.figure:
        return []
    if atom.result:
        return [
            Span(atom.start, atom.end, kind, "result of a computation in the trace", _fmt(atom.values[0]))
        ]
    if is_given:
        return []
    if atom.parts and any(v in given for p in atom.parts for v in p.values):
        return [s for p in atom.parts for s in _decide(p, gold, given, level)]
    reason = "derived in the trace; the question does not give it"
    return [Span(atom.start, atom.end, kind, reason, _fmt(atom.values[0]))]


def _is_integer(v: Value) -> bool:
    return isinstance(v, Fraction) and v.denominator == 1


def _text_matches(trace: str, gold: Gold) -> list[Span]:
    """Occurrences of the gold answer's text (``\\text{Monday}``, ``(B)``, ``p-q``) anywhere."""
    if gold.plain or len(gold.norm) < 2:
        return []  # plain numbers are found by value, in any notation
    return [Span(s, e, "answer", "the gold answer's text", gold.key) for s, e in find_text(trace, gold.norm)]


_DELIMITERS = re.compile(r"^\s*(?:\$\$?|\\[(\[])|(?:\$\$?|\\[)\]])\s*$|\\begin\{[a-z*]+\}|\\end\{[a-z*]+\}")


def _sympy_matches(sc: Scan, gold: Gold, budget: Budget) -> list[Span]:
    """Sides of the trace's equations that sympy evaluates to the gold (``-(q-p)`` for ``p - q``)."""
    letters = {c for c in gold.norm if c.isalpha()}
    out = []
    for seg_start, seg_end in zip(sc.math.starts, sc.math.ends, strict=True):
        pos = seg_start
        bounds = [m.span() for m in _EQUALS.finditer(sc.text, seg_start, seg_end)] + [(seg_end, seg_end)]
        for b_start, b_end in bounds:
            side_s, side_e = pos, b_start
            pos = b_end
            side = _DELIMITERS.sub("", sc.text[side_s:side_e]).strip(" \n\t&,.;")
            if not side or len(side) > 120 or "\\boxed" in side or not letters <= set(side) or budget.spent():
                continue
            v = expression_value(side, budget)
            if v is not None and gold.equals(v):
                off = sc.text.find(side, side_s, side_e)
                out.append(Span(off, off + len(side), "answer", "sympy: equal to the gold answer", gold.key))
    return out


_ENV = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")


def latex_problem(text: str) -> str | None:
    """What is broken in ``text``'s LaTeX (unbalanced braces, unclosed environments), or ``None``."""
    if "{" not in text and "}" not in text:
        return None
    depth = 0
    for i, step in braces(text):
        depth += step
        if depth < 0:
            return f"an unmatched '}}' at offset {i}"
    if depth:
        return f"{depth} unclosed '{{'"
    stack: list[str] = []
    for m in _ENV.finditer(text):
        if m.group(1) == "begin":
            stack.append(m.group(2))
        elif not stack or stack.pop() != m.group(2):
            return f"\\end{{{m.group(2)}}} without its \\begin at offset {m.start()}"
    return f"\\begin{{{stack[-1]}}} never ended" if stack else None
