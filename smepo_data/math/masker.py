"""The math masker: which spans of a worked solution to hide, at each level.

What to hide is decided by where a value comes from (provenance), never by its equality with the answer,
except at ``answer``, whose whole point is the answer in every form:

- ``answer``: the final answer, and every value equal to it (in any form the value engine agrees with).
- ``critical`` (default): the final answer plus every value derived along the solution (a computation's
  result, a value the question does not give); values the question gives, step labels, list markers,
  variable indices, exponents, a ``0`` a relation compares with and the constants of formulas (the ``1``
  of ``n+1``, the ``4`` of ``4ac``) stay visible.
- ``all``: every value (exponents included), still keeping labels and indices intact.

At every level the recoverability audit then attacks the result and :meth:`MathMasker.repair` hides
what it blames: an operand of each step a reader could replay into the answer (a copy of a question
value first, which the policy must then read back from the question), or the value that gives it away.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from .._leak import Finding
from .._model import Example, RowError, Span, repair_reason, repaired_by
from .._render import merge_spans, unpaired_ends
from ._answer import Gold, find_text, interval_endpoints, interval_like, parse_gold
from ._counted import uncounted
from ._damage import BARE_NAME, triangle_names
from ._given import Given, _word_values, given_values
from ._lexer import _EQUALS, _FIGURE, _SHORTHAND_FRACTION, Atom, Scan, bound_zero, braces, scan_cached
from ._notes import NOTE, note_operands, note_twins
from ._question import question_computation, spaceless
from ._rational import Fraction
from ._singular import counted_noun
from ._values import Budget, Value, expression_value, numeric_value, value_key, values_equal
from ._words import ordinal_the_question_names, standard_constants, stated_in_words, with_ordinal_suffixes

#: sides of equations the sympy path may evaluate per row (a work budget: the masking never depends on time)
SYMPY_SIDES = 40

LEVELS = ("answer", "critical", "all")


def _fmt(v: Value) -> str:
    return value_key(v)


#: the narrowest repair :meth:`MathMasker.may_show_again` tries visible again (a number is narrower)
SHOWN_AGAIN_WIDTH = 6
#: the attacks whose repairs cut a chain of steps (any one operand would have done)
_CUTS = frozenset({"replay", "constraints", "restated", "system", "congruence", "listed"})


class MathMasker:
    """Find the spans to hide in a math trace. Stateless apart from caches; safe to share."""

    levels = LEVELS
    default_level = "critical"

    def __init__(self, sympy_sides: int = SYMPY_SIDES):
        self.sympy_sides = sympy_sides

    def validate(self, example: Example) -> None:
        """Raise :class:`RowError` for rows the masker cannot trust: broken LaTeX, an unreadable answer."""
        for name, text in (("trace", example.trace), ("answer", example.answer)):
            problem = latex_problem(text)
            if problem:
                raise RowError("broken_latex", f"the {name} has {problem}")
        gold = parse_gold(example.answer)
        if gold.value is None and not gold.components and not gold.norm:
            raise RowError("unparsable_answer", f"cannot read the answer {example.answer[:80]!r}")

    def may_show_again(self, span: Span) -> bool:
        """Whether a repair's span is tried visible again once the row is clean: one that cut a chain
        (a later cut can make it useless) and is wide (a whole expression, a figure: the plan it hides is
        worth an attack pass). A value hidden because it states the answer stays hidden."""
        return span.end - span.start >= SHOWN_AGAIN_WIDTH and repaired_by(span.reason) in _CUTS

    def find_spans(self, example: Example, level: str = "critical") -> list[Span]:
        if level not in LEVELS:
            raise ValueError(f"unknown math level {level!r}; choose one of {', '.join(LEVELS)}")
        gold = parse_gold(example.answer)
        sc = scan_cached(example.trace)
        given = given_values(example.question)
        spans = [
            Span(a, b, "answer", s.reason, gold.key if whole else _part_key(sc.text[a:b], a))
            for s in sc.statements
            for a, b, whole in _answer_parts(
                sc.text, *_value_part(sc.text, s.start, s.end), gold, example.question, level
            )
        ]
        constants = standard_constants(example.trace) if level == "critical" else frozenset()
        ends = interval_endpoints(example.question, gold) if level == "answer" else ()
        results: set[str] = set()  # the values earlier steps computed
        latest: tuple[str, str | None, bool] | None = None  # the step before's value, unit word, currency
        for atom in sc.atoms:
            if atom.start in constants and not atom.result:
                continue  # 12 a dozen, 0.25 a quarter, the .01 of a percent: no value of the problem
            if level == "critical" and ordinal_the_question_names(sc.text, atom, example.question):
                continue  # "the 2nd stop" after the question's "second stop": its label, no derived value
            if level == "critical" and _restates_a_result(sc.text, atom, results, example.question, latest):
                spans.extend(_hide(sc.text, atom, _RESULT_AGAIN, given))
            else:
                spans.extend(_decide(atom, gold, given, level, sc.text, ends))
            if atom.result and atom.values:
                latest = value_key(atom.values[0]), _unit_word(sc.text, atom.end), _money(sc.text, atom.start)
                results.add(latest[0])
        if level == "critical":
            spans.extend(_witnesses(sc, given))
        if level == "answer":
            spans.extend(_text_matches(example.trace, gold))
            if gold.value is not None and not gold.numeric:
                spans.extend(_sympy_matches(sc, gold, Budget(self.sympy_sides)))
            spans.extend(
                _last_step(
                    sc, [(s.start, s.end) for s in merge_spans(spans)], given, example.question, chain=True
                )
            )
        else:
            spans.extend(_cuts(sc, merge_spans(spans), given, example.question))
        if "[asy]" in example.trace:  # never a placeholder inside figure code (text matches included)
            figures = [m.span() for m in _FIGURE.finditer(example.trace)]
            spans = [s for s in spans if not any(a <= s.start < b for a, b in figures)]
        spans = merge_spans([*spans, *_whole_names(sc.text, spans)])  # "30-[NUMBER]-90": the name goes whole
        if level != "answer":
            spans = merge_spans([*spans, *_both_bounds(sc.text, spans)])
        return _unglued(sc, with_ordinal_suffixes(sc.text, merge_spans([*spans, *_twins(sc, spans)])))

    def tidy(self, example: Example, spans: list[Span]) -> list[Span]:
        """``spans`` with two hidden values side by side made one placeholder (:func:`_unglued`): repairs
        of one round may hide both."""
        return _unglued(scan_cached(example.trace), spans)

    def repair(
        self, example: Example, spans: list[Span], start: int, end: int, finding: Finding
    ) -> list[Span]:
        """Hide what ``finding`` blamed in ``trace[start:end]``.

        For a step a reader can compute (``replay``, ``constraints``), one visible operand is enough to
        cut it: a copy of a question value first (the policy must read it back from the question), else
        the first value. For a value that shows the answer, every visible value in the region; a region
        with no value (a number word, an inequality's bound) is hidden whole, and so is a multiple-choice
        option's content (``option``); of a list whose length is the answer (``counted``), the inner items.
        """
        trace = example.trace
        hidden = [(s.start, s.end) for s in spans]

        def visible(a: Atom) -> bool:
            return not any(s < a.end and a.start < e for s, e in hidden)

        figure = next(
            (m.span() for m in _FIGURE.finditer(trace) if m.start() < end and start < m.end()), None
        )
        if figure is not None:
            inside = _in_figure_text(trace, figure, start, end, visible, finding)
            if inside is not None:  # a label's text ("$7$"): its value goes, the figure's code stays
                return inside
            # never a placeholder inside figure code: a figure that gives the answer away goes whole
            return [
                Span(
                    *figure,
                    "figure",
                    repair_reason(finding.attack, f"the figure shows {finding.detail}"),
                    "",
                )
            ]
        why = repair_reason(finding.attack, finding.detail)
        if finding.attack in ("equality", "matched"):
            # "a = b = c = d": the equality case goes whole, letters and all; so does a form's instance
            # (\frac{[N]^8-1}{[N]^9}): its values stand in exponents, which a repair never hides alone
            sized = _SIZED.search(trace, max(0, start - 16), start)
            start = sized.start() if sized is not None else start  # "\left(...\right)" goes with its \left
            return [Span(start, end, "expression", why, f"@{start}")]
        if finding.attack == "template":  # a value of the question's form, or the form's instance, whole
            text = trace[start:end]
            if numeric_value(text) is not None:
                return [Span(start, end, "number", why, text)]
            return [Span(start, end, "expression", why, f"@{start}")]
        if finding.attack == "counted":  # a list as long as the answer: its inner items go, as one span
            start, end = uncounted(trace, start, end)
            return [Span(start, end, "expression", why, f"@{start}")]
        if finding.attack == "option":  # a multiple-choice option's content goes whole
            kind = "entity" if trace[start:end].replace(" ", "").isalpha() else "expression"
            return [Span(start, end, kind, why, f"@{start}")]
        atoms = _visible_values(trace, start, end, visible)
        has_blank = any(start <= s and e <= end for s, e in hidden)
        if (
            finding.attack in ("replay", "constraints")
            and _one_expression(trace, start, end)
            and (finding.shape or (has_blank and not atoms))
        ):
            # x^8 + x^7 + ... + x + [NUMBER] beside x^9 - 1: the shape fixes the blanks (coefficient
            # matching), so a further value hidden in it is fixed too; the expression goes whole
            return [Span(start, end, "expression", why, f"@{start}")]
        one_operand = ("replay", "constraints", "system", "congruence", "listed", "point")
        if finding.attack in one_operand and atoms:  # else: the region, if short
            given = given_values(example.question)
            values = [a for a in atoms if not a.structural] or atoms
            pick = _preferred(values, given, scan_cached(trace), _hidden_values(scan_cached(trace), hidden))
            return _with_companions(
                trace, spans, [Span(pick.start, pick.end, pick.kind, why, _fmt(pick.values[0]))]
            )
        if atoms:
            return _with_companions(
                trace, spans, [Span(a.start, a.end, a.kind, why, _fmt(a.values[0])) for a in atoms]
            )
        if finding.attack == "system":
            return []  # an equation of names alone (\angle DAC = \angle ACD): the plan; the cut is elsewhere
        if end - start > 80:  # a long equation with no value left to hide: its shortest side goes whole
            sides = [
                (a, b) for a, b in _sides(trace, start, end) if not any(s < b and a < e for s, e in hidden)
            ]
            start, end = min(sides, key=lambda se: (se[1] - se[0], se[0]), default=(start, end))
        if end - start > 80 or any(s < end and start < e for s, e in hidden):
            return []
        if counted_noun(trace, start, end):  # "[NUMBER] more egg" tells 1: the noun goes, the count stays
            count = next((s for s, e in hidden if e <= start and not trace[e:start].strip()), None)
            if count is not None and start - count <= 40 and "####" not in trace and "<<" not in trace:
                # right after its hidden count in a text of math ("only [NUMBER] number between"): one
                # blank with it, never "[NUMBER] [ENTITY]" (a reader cannot tell two blanks so glued apart)
                return [Span(count, end, "number", why, f"@{count}")]
            return [Span(start, end, "entity", why, f"@{start}")]
        words = trace[start:end].replace("-", "").replace(" ", "")
        if words.isalpha():  # "goes into 32 six times": a blank beside a blank is one, never "[N] [N]"
            for s, e in hidden:
                if e <= start and start - e <= 2 and not trace[e:start].strip():
                    start = s
                elif end <= s and s - end <= 2 and not trace[end:s].strip():
                    end = e
        # "sixth", "five dozen": a number; "all non-positive numbers" (an interval in words): an expression
        said = re.findall(r"[a-z]+", trace[start:end].lower())
        phrase = len(said) > 1 and not all(_word_values(w) for w in said)
        # a root's degree (``\\sqrt[4]``), a bare integer, is a number too; a word of prose where the answer
        # is a word ("Evelyn" for "Which student ...?", "even") is an entity, never a [NUMBER] that tells it
        # apart from the numbers around it
        kind = "number" if (words.isalpha() and not phrase) or words.isdigit() else "expression"
        if (
            kind == "number"
            and words.isalpha()
            and parse_gold(example.answer).value is None
            and start not in scan_cached(trace).math
            and not all(_word_values(w) for w in said)
        ):
            kind = "entity"
        return [Span(start, end, kind, why, f"@{start}")]


#: the longest expression a repair hides whole because its shape gives the answer away
_MOST_SHAPE = 200
#: what one expression never holds: a relation, a line break, a math delimiter (prose between segments)
_RELATION = re.compile(
    r"=|<|>|\n|\$|\\[\\()\[\]]"
    r"|\\(?:[lg]eq?(?:slant)?|neq?|[lg]t|approx|equiv|implies|iff|[Rr]ightarrow|[Ll]eftrightarrow|to|sim|cong)(?![a-zA-Z])"
)


def _one_expression(trace: str, start: int, end: int) -> bool:
    """Is ``trace[start:end]`` one expression (no relation, line break or math delimiter), short enough to
    hide whole?"""
    return end - start <= _MOST_SHAPE and _RELATION.search(trace, start, end) is None


def _with_companions(trace: str, spans: list[Span], new: list[Span]) -> list[Span]:
    """``new`` (a repair's spans) with what must go with them: a triangle name whole, the other bound of a
    range, the ordinal suffix of a hidden number, the value's twins in calculator notes."""
    new = new + _whole_names(trace, new) + _both_bounds(trace, new)
    return with_ordinal_suffixes(trace, new + _twins(scan_cached(trace), merge_spans([*spans, *new])))


#: a sizing command right before a bracket a span starts with: hidden with it, never left dangling
_SIZED = re.compile(r"\\(?:left|bigl|Bigl|biggl|Biggl)\s*$")
_NAME_REASON = "a number of a triangle named by its angles, one of which is hidden: the name goes whole"


def _whole_names(trace: str, spans: list[Span]) -> list[Span]:
    """Where ``spans`` hide a number of a triangle named by its angles ("30-60-90 triangle"), the name's
    numbers: a name is the plan's whole or hidden whole, never "[NUMBER]-[NUMBER]-90"."""
    out: list[Span] = []
    for m in triangle_names(trace):
        numbers = [m.span(g) for g in (1, 2, 3)]
        if any(s < x.end and x.start < e for s, e in numbers for x in spans):
            out.extend(Span(s, e, "number", _NAME_REASON, trace[s:e]) for s, e in numbers)
    return out


#: "between $1$ and $2$": the two bounds of a range in words, each a lone number (in ``$...$`` or not)
_BETWEEN = re.compile(
    r"\bbetween[ \t]+\$?[ \t]*(-?\d+(?:\.\d+)?)[ \t]*\$?[ \t]+and[ \t]+\$?[ \t]*(-?\d+(?:\.\d+)?)(?![\d.])"
)
_BOUND_REASON = "the other bound of a range whose one bound is hidden: it bounds the hidden value"


def _both_bounds(trace: str, spans: list[Span]) -> list[Span]:
    """The visible bound of each "between $a$ and $b$" whose other bound a span hides: "between $1$ and
    [NUMBER]" beside "between [NUMBER] and $3$" leaves one integer between them, the answer."""
    if "between" not in trace or not spans:
        return []
    return [Span(a, b, "number", _BOUND_REASON, trace[a:b]) for a, b in unpaired_ends(_BETWEEN, trace, spans)]


#: a unit or a currency sign around a stated answer's value (``\\boxed{55^\\circ}``, ``\\boxed{\\$18.90}``,
#: ``\\boxed{36\\text{ cm}^2}``): the plan's, kept visible
_UNIT_BEFORE = re.compile(r"(?:\\\$|\\[ ,;!]|\s)+")
_UNIT_AFTER = re.compile(
    r"(?<!\s)(?:\s|\\[ ,;!]|\^\s*(?:\{\s*)?\\circ\s*\}?|\\%|%"
    r"|\\(?:text|mbox|textnormal|mathrm)\s*\{\s*[A-Za-z][A-Za-z. ]*\}(?:\^\s*\{?\d\}?)?)+\Z"
)
#: the longest unit read after a value (``\text{ square centimeters}^2``); the search looks no further
#: back, so a long run of blanks is not rescanned from each of its starts
_LONGEST_UNIT = 60


def _value_part(text: str, start: int, end: int) -> tuple[int, int]:
    """A stated answer's span less the unit or currency sign written around its value (a number must
    remain: ``\\text{Evelyn}`` or ``\\text{(C)}`` is the answer itself)."""
    head = _UNIT_BEFORE.match(text, start, end)
    s = head.end() if head else start
    tail = _UNIT_AFTER.search(text, max(s, end - _LONGEST_UNIT), end)
    e = tail.start() if tail else end
    if e <= s or not any(c.isdigit() for c in text[s:e]):
        return start, end
    return s, e


#: a stated tuple, ``\\left( \\frac{3}{2}, -13 \\right)``, and a column vector or matrix, each whole
_TUPLE = re.compile(r"\s*(?:\\left\s*)?\((.*?)(?:\\right\s*)?\)\s*", re.S)
_MATRIX = re.compile(r"\s*\\begin\{([pbv]?matrix)\}(.*?)\\end\{\1\}\s*", re.S)
#: a question whose answer is a tuple, not an interval it may look like ("(0,1)" for "the range of f"): it
#: asks for an ordered pair, a point, coordinates or a vector, or names the tuple's letters, "$(a,b)$"
_ASKS_TUPLE = re.compile(
    r"(?i:ordered|point|coordinates|pair|triple|tuple|vector)|\(\s*[a-zA-Z]\s*,\s*[a-zA-Z](?:\s*,\s*[a-zA-Z])*\s*\)"
)
#: what separates a tuple's entries, and a matrix's
_COMMA = re.compile(",")
_MATRIX_SEPARATOR = re.compile(r"\\\\|&")


def _answer_parts(
    text: str, start: int, end: int, gold: Gold, question: str, level: str
) -> list[tuple[int, int, bool]]:
    """A stated answer that is a tuple or a vector, as its entries: ``\\boxed{\\left( [EXPR], [NUMBER]
    \\right)}`` keeps the brackets, commas and matrix rows, the shape the question asks for, not the
    answer. Each entry ``(start, end, False)``; any other answer ``[(start, end, True)]``: an interval (the
    kind of its brackets is the answer's), a tuple with as many entries as the gold has no components,
    and at ``answer``, whose text matches hide the answer's every form whole."""
    whole = [(start, end, True)]
    body = text[start:end]
    if level == "answer" or len(gold.components) < 2 or interval_like(question, gold):
        return whole
    if (m := _MATRIX.fullmatch(body)) is not None:
        (a, b), separator = m.span(2), _MATRIX_SEPARATOR
    elif (m := _TUPLE.fullmatch(body)) is not None and _ASKS_TUPLE.search(question):
        (a, b), separator = m.span(1), _COMMA
    else:
        return whole
    a, b = start + a, start + b
    cuts = {c.start(): c.end() for c in separator.finditer(text, a, b)}
    parts, depth, at = [], 0, a
    for i in range(a, b):
        depth += (text[i] in "{([") - (text[i] in "})]")
        if depth < 0:
            return whole  # "(1,2)+(3,4)": no one tuple
        if depth == 0 and i in cuts:
            parts.append((at, i))
            at = cuts[i]
    parts.append((at, b))
    entries = [
        (x + len(text[x:y]) - len(text[x:y].lstrip()), y - len(text[x:y]) + len(text[x:y].rstrip()))
        for x, y in parts
    ]
    if depth != 0 or len(entries) != len(gold.components) or any(y <= x for x, y in entries):
        return whole
    return [(x, y, False) for x, y in entries]


def _part_key(text: str, start: int) -> str:
    """The value key of an entry of a stated tuple (its own blank in ``indexed``), else its place."""
    value = expression_value(text)
    return value_key(value) if value is not None else f"@{start}"


_QUOTED = re.compile(r'"[^"\n]*"')
_LABEL_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _visible_values(trace: str, start: int, end: int, visible: Callable[[Atom], bool]) -> list[Atom]:
    """The values (and constants) of ``trace[start:end]`` that no span hides yet: what a repair may hide."""
    return [
        a
        for a in scan_cached(trace).atoms
        if start <= a.start and a.end <= end and a.role in ("value", "constant") and visible(a)
    ]


def _in_figure_text(
    trace: str,
    figure: tuple[int, int],
    start: int,
    end: int,
    visible: Callable[[Atom], bool],
    finding: Finding,
) -> list[Span] | None:
    """The spans that hide a finding that lies in the text of a figure (a quoted label, ``label("$7$",
    ...)``): its values (or the short text itself when it shows no value, ``"$\\sqrt{51}$"``), a
    placeholder in the label's text, never in code. ``None`` when the finding is not in a quoted text."""
    quoted = next(
        (
            (m.start() + 1, m.end() - 1)
            for m in _QUOTED.finditer(trace, figure[0], figure[1])
            if m.start() < start and end < m.end()
        ),
        None,
    )
    if quoted is None:
        return None
    start, end = max(start, quoted[0]), min(end, quoted[1])
    why = repair_reason(finding.attack, f"a figure label shows {finding.detail}")
    atoms = _visible_values(trace, start, end, visible)
    if atoms:
        # another label of the figure writing the same number (the 2 of "$\\frac{9}{2}$" beside a hidden
        # "-2") would give it back: then the figure goes whole
        hidden = {value_key(v) for a in atoms for v in a.values} | {
            value_key(-v) for a in atoms for v in a.values
        }
        for m in _QUOTED.finditer(trace, figure[0], figure[1]):
            for n in _LABEL_NUMBER.finditer(trace, m.start(), m.end()):
                inside = any(a.start <= n.start() < a.end for a in atoms)
                if not inside and value_key(Fraction(n.group())) in hidden:
                    return None
        return [Span(a.start, a.end, a.kind, why, _fmt(a.values[0])) for a in atoms]
    text = trace[start:end].strip("$ ")
    if not text or end - start > 40:
        return None
    return [Span(start, end, "expression", why, f"@{start}")]


def _sides(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sides of the equations in ``text[start:end]``: what lies between ``=`` signs, trimmed of spaces,
    align marks and line breaks."""
    out = []
    cuts = [start - 1, *(start + m.start() for m in re.finditer("=", text[start:end])), end]
    for a, b in itertools.pairwise(cuts):
        first = _LEAD.match(text, a + 1, b).end()  # type: ignore[union-attr] # matches the empty string
        last = _TRAIL.search(text, first, b).start()  # type: ignore[union-attr]
        if last > first:
            out.append((first, last))
    return out


_LEAD = re.compile(r"(?:\s|&|\\\\|\$)*")
_TRAIL = re.compile(r"(?:\s|&|\\\\|\$)*$")


def _answer_reason(atom: Atom, gold: Gold) -> str | None:
    if any(gold.equals(v) for v in atom.values):
        return f"equals the gold answer ({gold.raw.strip()})"
    return None


#: a fraction word that sizes what follows it ("four half squares")
_FRACTION_WORD = re.compile(
    r"(?i)(?:half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|eighths?|tenths?)"
)
_GLUE_GAP = re.compile(r"[ \t]{0,2}")


def _unglued(sc: Scan, spans: list[Span]) -> list[Span]:
    """Two hidden values with nothing but a space between them read as one blank too many: a product
    written by juxtaposition in math (``\\frac{11}{2} \\sqrt{5}`` as ``[EXPR] [EXPR]``) or a number and the
    fraction word it counts ("four half squares"). They go as one placeholder. In prose a count and a
    label stay two ("[NUMBER] [NUMBER]-point baskets"); the answer's blank stays its own (with ``indexed``
    placeholders its index would tell the product is the answer)."""
    out: list[Span] = []
    for s in spans:
        last = out[-1] if out else None
        if (
            last is not None
            and "answer" not in (last.kind, s.kind)
            and _GLUE_GAP.fullmatch(sc.text, last.end, s.start)
            and (
                (last.start in sc.math and s.start in sc.math)
                or _FRACTION_WORD.fullmatch(sc.text, s.start, s.end)
            )
        ):
            out[-1] = Span(last.start, s.end, "expression", _GLUED_REASON, f"@{last.start}")
        else:
            out.append(s)
    return out


_GLUED_REASON = "values side by side (a product, or a count of a fraction): one placeholder for them"


def _endpoint_reason(atom: Atom, ends: tuple[Value, ...], given: Given) -> str | None:
    """An endpoint of an interval answer the trace derives (the 9 of ``x = \\pm 9`` for ``(0,9) \\cup
    (9,36)``): beside the visible bounds it writes the answer out. The 0 a relation compares with, and a
    value the question gives, are the plan's."""
    if atom.structural or any(v in given for v in atom.values):
        return None
    if any(values_equal(e, v) for e in ends for v in atom.values):
        return "an endpoint of the interval answer, derived in the trace"
    return None


def _hide(text: str, atom: Atom, reason: str, given: Given) -> list[Span]:
    """The spans that hide ``atom``: a numeric compound by its numbers (``\\frac{[N]}{[N]}``,
    ``[N]\\sqrt{[N]}``, ``[N]\\pi``), its form kept as plan like any operator. Whole: a plain number, a
    compound with a shorthand fraction or root (``16\\frac23``, ``5\\sqrt2``: digits no part holds), and
    one with a number the question gives (a copy written alike elsewhere may show that part,
    ``\\frac{1}{[N]}``, and then tell what this one's blank hides)."""
    if (
        atom.kind == "expression"
        and atom.parts
        and not _SHORTHAND_FRACTION.search(text, atom.start, atom.end)
        and not any(v in given for p in atom.parts for v in p.values)
        and _digits(text, atom.start, atom.end) == sum(_digits(text, p.start, p.end) for p in atom.parts)
    ):
        return [Span(p.start, p.end, "number", reason, _fmt(p.values[0])) for p in atom.parts]
    return [Span(atom.start, atom.end, atom.kind, reason, _fmt(atom.values[0]))]


def _digits(text: str, start: int, end: int) -> int:
    return sum(c.isdigit() for c in text[start:end])


def _decide(
    atom: Atom, gold: Gold, given: Given, level: str, text: str, ends: tuple[Value, ...] = ()
) -> list[Span]:
    """The spans one atom contributes (none when it stays visible); ``ends``, at ``answer``, the endpoints of
    an interval answer."""
    if atom.role in ("index", "label"):
        return []
    kind = atom.kind
    if atom.figure:
        return []  # never a placeholder inside a figure; one that gives the answer away is hidden whole
    if level == "answer":
        why = _answer_reason(atom, gold)
        if why and atom.role != "exponent":
            return [Span(atom.start, atom.end, "answer", why, gold.key)]
        why = _endpoint_reason(atom, ends, given)  # a number of its own: no answer's key
        if why and atom.role != "exponent":
            return [Span(atom.start, atom.end, atom.kind, why, _fmt(atom.values[0]))]
        if atom.parts and not any(v in given for v in atom.values):
            # a part of a derived compound (the 2 of a computed 3/2); the question's own 1/2 is its value
            return [s for p in atom.parts for s in _decide(p, gold, given, level, text, ends)]
        return []
    if atom.role in ("constant", "exponent"):
        return []  # exponents are structure at every level; one that gives the answer away is repaired
    if level == "all":
        return [Span(atom.start, atom.end, kind, "level 'all' hides every value", _fmt(atom.values[0]))]
    # an integer-valued compound (\\frac{-8}{-4}) is a computation: its parts decide, not its value
    is_given = any(v in given for v in atom.values) and not (atom.parts and _is_integer(atom.values[0]))
    if atom.structural and not atom.result:
        return []  # the 0 a relation compares with, the constant of a formula: the plan, not a value
    if atom.result:
        return _hide(text, atom, "result of a computation in the trace", given)
    if is_given:
        return []
    if atom.parts and any(v in given for p in atom.parts for v in p.values):
        return [s for p in atom.parts for s in _decide(p, gold, given, level, text, ends)]
    return _hide(text, atom, "derived in the trace; the question does not give it", given)


#: where an extremum occurs: "Equality occurs when $a = b = 2$", "maximized when $x = \\sqrt{2}$"
_WITNESS = re.compile(
    r"(?i)\b(?:equality\s+(?:occurs|holds|is\s+(?:attained|achieved))"
    r"|(?:minimi[sz]ed|maximi[sz]ed)\s+(?:when|at|for|if)"
    r"|(?:minimum|maximum)(?:\s+value)?\s+(?:occurs|is\s+(?:attained|achieved)))\b"
)
#: where the witness's clause ends: a sentence's end (``.`` or ``.$`` before a blank; not "i.e." or "e.g."),
#: a line break, the end of a display or an environment, or the statement of the extremum itself (", so the
#: minimum value is", "thus"); each alternative starts at one place only, so a run of blanks is read once
_WITNESS_END = re.compile(
    r"(?<!\bi\.e)(?<!\be\.g)[.?!]\$?(?=\s)|\n|\\\]|\\end\{"
    r"|(?<![\s,]),?\s+(?:so\s+the|(?:and\s+)?(?:thus|hence|therefore))\b"
)
#: a next sentence that solves the witness's conditions: "Using the condition $xyz = 2,$ we can solve to get
#: $x = y = \\sqrt{2}$", "For example, we can take $x = 1,$"
_WITNESS_SOLVED = re.compile(
    r"(?i)\$?\s+(?:[a-z][^.\n]{0,60}?)?\b(?:we\s+can\s+(?:solve\s+to\s+get|take)|solving[^.\n]{0,40}?we\s+get)\b"
)
#: the longest witness clause read
_WITNESS_CLAUSE = 300
_WITNESS_REASON = "where the extremum occurs: derived (the question asks for the extremum, not where it is)"


def _witnesses(sc: Scan, given: Given) -> list[Span]:
    """The values of an extremum's witness ("Equality occurs when $a = b = 2$", "maximized when $x =
    \\sqrt{2}$"), from the trigger to the clause's end: derived, though they may equal numbers the question
    writes; a reader puts them into the question's expression and has the extremum. Not exponents, indices, a
    0 or a formula's constant."""
    if "imi" not in sc.text and "quality" not in sc.text and "imum" not in sc.text:
        return []
    starts = [a.start for a in sc.atoms]
    out: list[Span] = []
    for m in _WITNESS.finditer(sc.text):
        limit = min(len(sc.text), m.end() + _WITNESS_CLAUSE)
        # the clause reaches its first "=" at least ("equality occurs for\n\\[\\bold{v} = ..."), then its end,
        # or the end of a next sentence that solves its conditions for the values
        first = sc.text.find("=", m.end(), limit)
        end = _WITNESS_END.search(sc.text, first if first >= 0 else m.end(), limit)
        if end is not None and end.group()[:1] in ".?!" and _WITNESS_SOLVED.match(sc.text, end.end()):
            end = _WITNESS_END.search(sc.text, end.end(), limit)
        stop = end.start() if end is not None else limit
        for atom in sc.atoms[bisect_left(starts, m.end()) : bisect_left(starts, stop)]:
            if atom.structural or atom.values[:1] == (0,):
                continue  # "minimized when the square equals $0$": the plan's 0
            # a value, or a compound constant with a number in it (``x = \\sqrt{2}``; not a bare ``\\pi``)
            if atom.role == "value" or (atom.role == "constant" and _digits(sc.text, atom.start, atom.end)):
                out.extend(_hide(sc.text, atom, _WITNESS_REASON, given))
    return out


_RESULT_AGAIN = 'the result of an earlier step, written again ("Out of the 5" after 20 - 15 = 5)'


def _restates_a_result(
    text: str,
    atom: Atom,
    results: set[str],
    question: str,
    latest: tuple[str, str | None, bool] | None = None,
) -> bool:
    """Whether ``atom`` writes again a value an earlier step computed ("20 - 15 = 5 ... Out of the 5, 5 x
    3/5" for "3/4 ... 3/5 of the remaining"): by provenance it is derived, and it is hidden like the result,
    unless the question writes that number on its own (then it may be the question's value) and the step just
    before did not compute it ("need to win 20 games because 30 x (2/3) = 20", then "20 - 12": the 20 carried
    on, though the question's "played 20 games" writes it too; not with another unit word after each, "= 20
    days" then "20 acres / 4"); never 0, nor a 1 but as a factor right after the step that computed it ("1
    hour a day", then "1*7=7": the day's hour carried on; a 1 added or written alone any step may write) or
    as money right after the step that computed that money ("= $1 discount", then "$10 - $1"), a part of a
    fraction (the 5 of 3/5), or structure."""
    if (
        atom.role != "value"
        or atom.result
        or atom.structural
        or atom.figure
        or not atom.values
        or not isinstance(atom.values[0], Fraction)
        or atom.values[0] == 0
        or value_key(atom.values[0]) not in results
    ):
        return False
    before = text[max(0, atom.start - 6) : atom.start].rstrip()
    after = text[atom.end : atom.end + 2].lstrip()
    unit = _unit_word(text, atom.end)
    # the step just before computed it, and no other unit word follows this copy
    just_computed = (
        latest is not None
        and latest[0] == value_key(atom.values[0])
        and (unit is None or latest[1] is None or unit == latest[1])
    )
    if atom.values[0] == 1 and not (
        just_computed
        and (
            _FACTOR_AFTER.match(text, atom.end)
            or _FACTOR_BEFORE.search(text, max(0, atom.start - 12), atom.start)
            or (latest is not None and latest[2] and _money(text, atom.start))
        )
        and not _MIXED_REST.match(text, atom.end)
    ):
        return False
    if before.endswith(("/", "\\frac{", "}{")) or after.startswith("/"):
        return False
    return just_computed or abs(atom.values[0]) not in _numbers_alone(question)


def _money(text: str, start: int) -> bool:
    """Is the value at ``start`` written as money (``$1``, ``\\$1``)?"""
    return text.endswith("$", 0, start)


def _unit_word(text: str, end: int) -> str | None:
    """The word right after a value, singular ("20 acres": "acre"), or ``None``."""
    m = _WORD_AFTER.match(text, end)
    return m.group(1).lower().rstrip("s") if m else None


#: a multiplication right after or right before a value: ``1*7``, ``1 x 7``, ``7 \\times 1``
_FACTOR_AFTER = re.compile(r"[ \t]*(?:\*|x(?![A-Za-z])|×|\\times|\\cdot)")
_FACTOR_BEFORE = re.compile(r"(?:\*|(?<![A-Za-z])x|×|\\times|\\cdot)[ \t]*\Z")
_WORD_AFTER = re.compile(r"[ \t]*([A-Za-z]{2,})")
#: the fraction of a mixed number after its whole part (the " 1/2" of "1 1/2"): the 1 is no value alone
_MIXED_REST = re.compile(r"[ \t]+\d+[ \t]*/[ \t]*\d+")
_FRACTION = re.compile(r"\\[dt]?frac\s*\{[^{}]*\}\s*\{[^{}]*\}|\d+\s*/\s*\d+")
_NUMBER_ALONE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])\d*\.?\d+(?![\w])")


@lru_cache(maxsize=4096)
def _numbers_alone(question: str) -> frozenset[Fraction]:
    """The numbers ``question`` writes on their own, not in a fraction (``3/5``, ``\\frac{3}{5}``)."""
    plain = _FRACTION.sub(" ", question)
    return frozenset(abs(Fraction(m.group().replace(",", ""))) for m in _NUMBER_ALONE.finditer(plain))


def _overlaps(hidden: list[tuple[int, int]], a: Atom) -> bool:
    """Does ``a`` overlap one of the sorted, non-overlapping ``hidden`` ranges?"""
    i = bisect_right(hidden, (a.start, 1 << 60)) - 1
    return (i >= 0 and hidden[i][1] > a.start) or (i + 1 < len(hidden) and hidden[i + 1][0] < a.end)


@lru_cache(maxsize=32)
def _formula_fractions(text: str) -> frozenset[str]:
    """The fractions ``text`` writes as the constant of a formula (``\\frac{1}{3}Bh``): another copy of one
    (``\\frac{1}{3}(30)(6.5)``) is that constant too, and a cut takes another operand first."""
    return frozenset(
        value_key(v)
        for a in scan_cached(text).atoms
        if a.structural and a.values and isinstance(v := a.values[0], Fraction) and v.denominator > 1
    )


def _hidden_values(sc: Scan, hidden: list[tuple[int, int]]) -> frozenset[str]:
    """The values the ``hidden`` ranges hide on their own (``h = [NUMBER]``), not inside an expression."""
    ranges = sorted(hidden)
    return frozenset(
        value_key(a.values[0])
        for a in sc.atoms
        if a.role == "value" and a.values and _overlaps(ranges, a) and _alone_in(sc.text, ranges, a)
    )


def _alone_in(text: str, ranges: list[tuple[int, int]], a: Atom) -> bool:
    i = bisect_right(ranges, (a.start, 1 << 60)) - 1
    return i >= 0 and re.sub(r"[\s$]", "", text[ranges[i][0] : ranges[i][1]]) == text[a.start : a.end]


def _preferred(
    atoms: list[Atom],
    given: Given,
    sc: Scan,
    hidden: frozenset[str] = frozenset(),
    copies: Callable[[Atom], int] | None = None,
) -> Atom:
    """The operand to hide: not a standard constant (the 12 of a dozen, the .01 of a percent: hiding it
    hides no value of the problem), no copy of a formula's constant (the 1/3 of ``\\frac{1}{3}Bh``), a copy
    of a value already hidden on its own elsewhere (``h = [NUMBER]``
    then ``(1/3)(30)(6.5)``: hiding the 6.5 again tells nothing new, where hiding the formula's 1/3 hides a
    new value and, through the restated attack, every copy of it), one the trace does not restate elsewhere,
    in numerals or in words ("It takes 15 minutes to bake ... [NUMBER] + 30 + 30", "Freyja is ten ...
    [NUMBER]+9": a reader fills that blank from the sentence before), a copy of a question value the policy
    can read back first, never a trivial 0 or 1 (the 1 of ``24*(1/4)`` after "a quarter" cuts nothing)
    unless nothing else is there, and then a 0 after a relation last. ``copies`` counts what hiding an
    operand takes besides it (its visible copies in other steps, :func:`_step_copies`): of two operands
    otherwise alike, the one with fewer, then the shorter."""
    nontrivial = (
        [a for a in atoms if not any(v in (0, 1) for v in a.values)]
        or [a for a in atoms if not _bound_of_zero(sc.text, a)]
        or atoms
    )
    counts = _value_counts(sc.text)
    constants = standard_constants(sc.text)
    in_words = stated_in_words(sc.text)
    formula = _formula_fractions(sc.text)
    return min(
        nontrivial,
        key=lambda a: (
            a.start in constants,
            value_key(a.values[0]) in formula,
            value_key(a.values[0]) not in hidden,
            a.start in in_words,
            copies(a) if copies is not None else 0,
            counts[value_key(a.values[0])] > 1,
            not any(v in given for v in a.values),
            a.end - a.start,  # of two operands otherwise alike, the shorter hides less of the step
        ),
    )


def _bound_of_zero(text: str, a: Atom) -> bool:
    """A ``0`` the lexer reads as a relation's bound (``\\ge 0``): the statement's form, never a repair's
    pick while another operand (a trivial ``1``) is there."""
    return a.values[0] == 0 and bound_zero(text, a.start, a.end)


@lru_cache(maxsize=32)
def _value_counts(text: str) -> Counter[str]:
    """How often each value is written in ``text``: values (not exponents, indices or labels) outside
    calculator notes, which repeat their step's text. Callers must not change the result."""
    sc = scan_cached(text)
    notes = [m.span() for m in NOTE.finditer(sc.text)] if "<<" in sc.text else []
    return Counter(
        value_key(a.values[0])
        for a in sc.atoms
        if a.role == "value" and a.values and not any(s <= a.start < e for s, e in notes)
    )


def _cuts(sc: Scan, spans: list[Span], given: Given, question: str) -> list[Span]:
    """Cut each step whose result is hidden but whose operands are all visible (``48/2 = [NUMBER]``): hide
    one operand, a copy of a question value first (the policy reads it back from the question), so no
    calculator replays the step from what stays visible. A step that evaluates a computation the question
    writes whole (:func:`._question.question_computation`) stays: evaluating it is the task."""
    hidden = [(s.start, s.end) for s in spans]

    def is_hidden(a: Atom) -> bool:
        return _overlaps(hidden, a)

    by_start = [a.start for a in sc.atoms]
    twins: dict[int, list[Atom]] = {}
    for x, y in note_twins(sc.text):
        twins.setdefault(x.start, []).append(y)
        twins.setdefault(y.start, []).append(x)
    out: list[Span] = []
    for atom in sc.atoms:
        lhs, eq = atom.operands
        if not atom.result or lhs < 0 or not is_hidden(atom):
            continue
        operands = [
            a
            for a in sc.atoms[bisect_left(by_start, lhs) : bisect_left(by_start, eq)]
            if a.role == "value" and not a.figure
        ]
        if not operands or any(is_hidden(a) for a in operands):
            continue
        if question_computation(sc.text[lhs:eq].strip().strip("$").strip(), question):
            continue  # the question's own expression (\dbinom{31}{28} = [NUMBER]): evaluating it is the task
        if all(a.start in twins for a in operands) and _note_cut(sc, eq, atom, is_hidden):
            continue
        pick = _preferred(operands, given, sc, copies=lambda a: len(_step_copies(sc, a, twins, is_hidden)))
        for a in [pick, *twins.get(pick.start, ())]:  # the step's other copy is cut at the same operand
            out.append(Span(a.start, a.end, a.kind, _CUT_REASON, _fmt(a.values[0])))
            hidden = sorted([*hidden, (a.start, a.end)])
        # the same quantity as an operand of another step ("2*[NUMBER]" then "60+30"): hidden alike, else a
        # reader matching the steps' roles reads the cut value back (their words' copies follow as twins)
        for a in _step_copies(sc, pick, twins, is_hidden):
            out.append(Span(a.start, a.end, a.kind, _COPY_REASON, _fmt(a.values[0])))
            hidden = sorted([*hidden, (a.start, a.end)])
    out.extend(_last_step(sc, hidden, given, question))
    return out


_COPY_REASON = (
    "the same operand as a cut of another step (calculator notes): hidden alike, else it gives the cut back"
)


def _step_copies(
    sc: Scan, pick: Atom, twins: dict[int, list[Atom]], is_hidden: Callable[[Atom], bool]
) -> list[Atom]:
    """The visible operands of the other steps' calculator notes that have ``pick``'s value, up to sign
    (``<<60+30=90>>`` for the 30 of ``2*30 = <<2*30=60>>``): a step is its note, and ``pick`` belongs to the
    note that holds it or its twin. 0 and 1 (any step writes them) are no copies."""
    operands = note_operands(sc.text)
    if not operands or not pick.values or pick.values[0] in (0, 1):
        return []
    steps = {operands[a.start] for a in (pick, *twins.get(pick.start, ())) if a.start in operands}
    key = (
        value_key(abs(pick.values[0])) if isinstance(pick.values[0], Fraction) else value_key(pick.values[0])
    )
    out = []
    for a in sc.atoms:
        step = operands.get(a.start)
        if step is None or step in steps or a is pick or not a.values or is_hidden(a):
            continue
        v = a.values[0]
        if (value_key(abs(v)) if isinstance(v, Fraction) else value_key(v)) == key:
            out.append(a)
    return out


def _note_cut(sc: Scan, eq: int, atom: Atom, is_hidden: Callable[[Atom], bool]) -> bool:
    """Is the step's calculator note, between its ``=`` and its result (``17 stamps * 2 = <<17*2=34>>34``),
    already cut? When every operand of the words has its twin in the note, the words are a copy of the note
    (which may hold operands the words name before the computation starts: the 17 here), and the note's cut
    is theirs; words that compute otherwise (``1/2 * 28 = 28/2``) are cut on their own."""
    note = NOTE.search(sc.text, eq, atom.start)
    return note is not None and any(
        is_hidden(a) for a in sc.atoms if note.start(1) <= a.start < note.end(1) and a.role == "value"
    )


_TWIN_REASON = "the same operand as in the step's other copy (text and calculator note hide alike)"


def _twins(sc: Scan, spans: list[Span]) -> list[Span]:
    """A GSM8K step is written twice, in words and in its calculator note (``20% * $200 =
    <<20*.01*200=40>>40``). The copies are aligned by value, in order (the note may add constants: the
    ``.01`` of a percent, the ``12`` of a dozen), and an operand hidden in one copy is hidden in the other:
    otherwise the visible twin gives the hidden value back."""
    if "<<" not in sc.text:
        return []
    hidden = [(s.start, s.end) for s in spans]  # sorted, non-overlapping (merged spans)
    out: list[Span] = []
    for a, b in note_twins(sc.text):
        if _overlaps(hidden, a) != _overlaps(hidden, b):
            twin = b if _overlaps(hidden, a) else a
            out.append(Span(twin.start, twin.end, twin.kind, _TWIN_REASON, _fmt(twin.values[0])))
    return out


_BEFORE_ANSWER = re.compile(r"(?:=|\\approx)\s*(?:\$\s*)?\\boxed\s*\{?$")
_LAST_STEP_REASON = "the last step before the answer: hidden so it cannot be evaluated from what is visible"


_END_ENV = re.compile(r"\\end\s*\{([a-zA-Z*]+)\}$")
_STOP = frozenset("=<>$&\n,;")


#: an ellipsis, where a side read back to it starts
_ELLIPSES = ("\\dots", "\\ldots", "\\cdots", "\\dotsb", "\\dotsc", "\\dotsm", "\\dotsi", "\\dotso", "...")


def _side_start(text: str, end: int, window: int = 400) -> int:
    """Where the expression ending at ``end`` starts: back to the previous relation, ``$``, ``&``, line or
    ``\\\\`` at its own bracket depth (``\\sum_{n = 1}`` and matrices do not end it), an ellipsis, or a
    word of prose."""
    lo = max(0, end - window)
    i, depth = end, 0
    while i > lo:
        c = text[i - 1]
        if c == "}" and depth == 0 and (m := _END_ENV.search(text, lo, i)):
            begin = text.rfind("\\begin{" + m.group(1) + "}", lo, m.start())
            if begin < 0:
                break
            i = begin
            continue
        if c in ")}]":
            depth += 1
        elif c in "({[":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            if c in _STOP or text.endswith("\\\\", 0, i) or text.endswith("\\[", 0, i):
                break
            if text.endswith(_ELLIPSES, lo, i):  # ``(1-2) + \\dots + (99-100)``: the run after it is read
                j = i
                while j < end and text[j] in " \t+-":
                    j += 1  # the operator after the ellipsis joins it to the run, and is no part of a side
                return j
            if c.isalpha() and i >= 2 and text[i - 2].isalpha():
                j = i - 1
                while j > lo and text[j - 1].isalpha():
                    j -= 1
                if text[j - 1 : j] != "\\" and i - j >= 3:
                    break  # a word of prose (two letters are a product of variables: ax, AB)
                i = j
        i -= 1
    while i < end and text[i] in " \t":
        i += 1
    return i


def _last_step(
    sc: Scan, hidden: list[tuple[int, int]], given: Given, question: str, chain: bool = False
) -> list[Span]:
    """The sides of the chain that ends in ``= \\boxed{...}`` (``\\binom{5}{4}\\cdot\\binom{10}{8} =
    \\boxed{}``; ``(1-2)+\\dots+(99-100) = 50(-1) = \\boxed{}``): each equals the answer, so one that holds
    nothing hidden is evaluated into it by a reader. One of its values is hidden (a symbolic side with none,
    when short, is hidden whole); the question's own expression, written again, stays (evaluating it is the
    task). Only the side right before the answer unless ``chain`` (at ``answer``, where no other cut is made:
    at ``critical``, each step whose result is hidden is cut already)."""
    out: list[Span] = []
    text = sc.text
    asked = spaceless(question)
    for st in sc.statements:
        head = text[max(0, st.start - 24) : st.start]
        m = _BEFORE_ANSWER.search(head)
        if not m:
            continue
        side_end = st.start - len(head) + m.start()
        for k in range(_CHAIN_SIDES if chain else 1):
            while True:  # across align's "\\\\ &=": the side before is the previous line's
                while side_end > 0 and text[side_end - 1] in " \t\n&":
                    side_end -= 1
                if text.endswith("\\\\", 0, side_end):
                    side_end -= 2
                    continue
                break
            side_start = _side_start(text, side_end)
            if side_end <= side_start:
                break
            if not any(s < side_end and side_start < e for s, e in hidden):
                out.extend(_cut_side(sc, side_start, side_end, given, asked, whole=k == 0))
            before = side_start
            while before > 0 and text[before - 1] in " \t\n&":
                before -= 1
            if before == 0 or text[before - 1] != "=" or text[before - 2 : before - 1] in ("<", ">", "!"):
                break
            side_end = before - 1  # the side before the ``=`` equals the answer too
    return out


#: how many sides back from the answer :func:`_last_step` looks along one chain
_CHAIN_SIDES = 6


def _cut_side(sc: Scan, start: int, end: int, given: Given, asked: str, whole: bool) -> list[Span]:
    """The span that stops a reader evaluating ``text[start:end]`` (none for the question's own
    expression, or a bare name); ``whole``: a short symbolic side with no value is hidden whole (the last
    step, ``p - q``; further back such a side names the quantity, ``\\tan A``, and stays)."""
    text = sc.text
    if len(spaceless(text[start:end])) >= 3 and spaceless(text[start:end]) in asked:
        return []
    values = [
        a for a in sc.atoms if start <= a.start and a.end <= end and a.role == "value" and not a.structural
    ]
    if values:  # one operand is enough to stop the evaluation
        pick = _preferred(values, given, sc)
        return [Span(pick.start, pick.end, pick.kind, _LAST_STEP_REASON, _fmt(pick.values[0]))]
    if whole and end - start <= 80 and not BARE_NAME.fullmatch(text, start, end):
        # a symbolic last step (p - q): hidden whole; a bare name (t = \boxed{17}) computes nothing
        return [Span(start, end, "expression", _LAST_STEP_REASON, f"@{start}")]
    return []


_CUT_REASON = "an operand of a step whose result is hidden: the step cannot be replayed from what is visible"


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
