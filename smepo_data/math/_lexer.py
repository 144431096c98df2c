"""Find the values in a math trace and what each one is: a value, an index, an exponent, a label.

The lexer knows nothing about the question or the answer; the masker decides what to hide.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ._damage import SPACED_NUMBER, triangle_names
from ._rational import Fraction
from ._values import Value, numeric_value

# --------------------------------------------------------------------------- regions


_BRACE = re.compile(r"\\.|[{}]", re.S)


def braces(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(offset, +1 or -1)`` for each brace of ``text[start:end]`` that is not escaped (``\\{``)."""
    for m in _BRACE.finditer(text, start, len(text) if end is None else end):
        c = m.group()
        if c == "{":
            yield m.start(), 1
        elif c == "}":
            yield m.start(), -1


def match_brace(text: str, open_at: int, limit: int = 20000) -> int:
    """Index of the ``}`` closing the ``{`` at ``open_at`` (``-1`` if unbalanced)."""
    depth = 0
    for i, step in braces(text, open_at, min(len(text), open_at + limit)):
        depth += step
        if depth == 0:
            return i
    return -1


class Ranges:
    """A set of half-open ranges with fast membership."""

    def __init__(self, ranges: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted(ranges):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def next_start(self, pos: int) -> int | float:
        """Where the first range that starts after ``pos`` starts (infinity when none does)."""
        i = bisect_right(self.starts, pos)
        return self.starts[i] if i < len(self.starts) else float("inf")

    def covers(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.ends[i]


def _brace_args(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Interiors of the ``{...}`` that each match of ``pattern`` (ending at a ``{``) opens."""
    out = []
    for m in pattern.finditer(text):
        close = match_brace(text, m.end() - 1)
        if close > 0:
            out.append((m.end(), close))
    return out


_INDEX_OPEN = re.compile(r"_\s*\{")
_EXP_OPEN = re.compile(r"\^\s*\{")
#: an exponent that is a fraction with no braces around it: ``8^\frac13``, ``x^\frac{1}{2}``
_EXP_FRACTION = re.compile(r"\^\s*(\\[dt]?frac\s*(?:\d\d|\{[^{}]{0,20}\}\s*\{[^{}]{0,20}\}))")
# arguments that hold layout, references or names, never values
_STRUCT_OPEN = re.compile(
    r"\\(?:begin\{(?:array|tabular)\}\s*\{|[hv]space\*?\s*\{|tag\*?\s*\{|label\s*\{|eqref\s*\{|ref\s*\{"
    r"|operatorname\s*\{|mathbf\s*\{|color\s*\{|textcolor\s*\{|cline\s*\{|multicolumn\s*\{)"
)
_ROOT_INDEX = re.compile(r"\\sqrt\s*\[[^\]]{0,20}\]|\\\\\s*\[[^\]]{0,20}\]")
_FIGURE = re.compile(r"\[asy\].*?(?:\[/asy\]|\Z)", re.S)
_MATH_SEGMENT = re.compile(
    r"\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\(.+?\\\)|\\\[.+?\\\]"
    r"|\\begin\{(equation|align|gather|multline|eqnarray)(\*?)\}.+?\\end\{\1\2\}",
    re.S,
)
_LATEX_HINT = re.compile(r"\\[a-zA-Z]{2,}|\\[(\[]")

# --------------------------------------------------------------------------- final-answer statements

_BOXED = re.compile(r"\\(?:boxed|fbox)\s*(\{)?")
# Both take the rest of the line greedily and the caller trims its end: a lazy group before ``\s*$`` re-reads
# a run of blanks from every position in it (quadratic on "#### 7" + 20,000 spaces + "x").
_HASHES = re.compile(r"^[ \t]*####[ \t]*([^\n]*)", re.M)
# a dash after "is" separates only when a blank follows it: "The answer is -7" keeps its sign in the answer
_ANSWER_IS = re.compile(
    r"(?:(?:final\s+)?answer\s*(?:is|:|=)|^[ \t]*A\s*:)\s*(?:(?::|-(?=\s))\s*)?(?P<ans>\S[^\n]*)", re.I | re.M
)
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Statement:
    start: int
    end: int
    reason: str


def _trim_answer(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink ``text[s:e]`` to the answer: no trailing period, bold markers or math delimiters."""
    while True:
        before = (s, e)
        while e > s and text[e - 1] in " .\t*":
            e -= 1
        while s < e and text[s] in " *\t":
            s += 1
        for open_, close in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
            if text.startswith(open_, s) and text[s:e].endswith(close) and e - s > len(open_) + len(close):
                s, e = s + len(open_), e - len(close)
                break
        if (s, e) == before:
            return s, e


def _last_line_starts(text: str, n: int) -> list[int]:
    """Start offsets of the last ``n`` non-blank lines."""
    out: list[int] = []
    end = len(text)
    while end > 0 and len(out) < n:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            out.append(start)
        end = start - 1
    return out


def answer_statements(text: str) -> list[Statement]:
    """Where the trace states its final answer: ``\\boxed{}``, ``#### x``, "The answer is x" endings."""
    out: list[Statement] = []
    for m in _BOXED.finditer(text) if "\\" in text else ():
        if m.group(1):
            close = match_brace(text, m.end() - 1)
            if close > m.end():
                out.append(Statement(m.end(), close, "final answer in \\boxed{}"))
        else:
            tok = _TOKEN.match(text, m.end())
            if tok:
                s, e = _trim_answer(text, m.end(), tok.end())
                if e > s:
                    out.append(Statement(s, e, "final answer in \\boxed"))
    for m in _HASHES.finditer(text) if "####" in text else ():
        end = len(m.group(1).rstrip())
        if end:
            out.append(Statement(m.start(1), m.start(1) + end, "final answer line (####)"))
    tail_lines = _last_line_starts(text, 2)
    lower = text.lower()
    for m in _ANSWER_IS.finditer(text) if "answer" in lower or "A:" in text else ():
        line_start = text.rfind("\n", 0, m.start()) + 1
        if line_start not in tail_lines or "\\boxed" in m.group("ans") or "####" in m.group("ans"):
            continue
        s, e = _trim_answer(text, m.start("ans"), m.start("ans") + len(m.group("ans").rstrip()))
        if e > s:
            out.append(Statement(s, e, "final answer statement"))
    return out


# --------------------------------------------------------------------------- atoms

_N = r"\d+(?:\.\d+)?"
_RAD = rf"\\sqrt\s*(?:\[\s*\d+\s*\])?\s*(?:\{{\s*{_N}\s*\}}|\d)"
_PI = r"\\pi(?![a-zA-Z])"
_ARG = rf"-?\s*(?:{_N}\s*(?:{_RAD}|{_PI})?|{_RAD}|{_PI})"
_FRACARG = rf"(?:\{{\s*{_ARG}\s*\}}|\d)"
_SCI = re.compile(rf"(?<!\d){_N}\s*(?:\\times|\\cdot)\s*10\s*\^\s*(?:\{{\s*-?\d+\s*\}}|\d)")
_COMPOUND = re.compile(
    r"(?=[\\\d])"  # fail fast: every compound starts with a digit or a command
    # never an exponent's or an index's first token: 2^2 \sqrt{3} is 4\sqrt{3}, its 2 \sqrt{3} no value
    r"(?<!\^)(?<!\^[ \t])(?<!_)"
    # a mixed number, 1\frac{4}{5} and 16\frac23
    rf"(?:(?<![\w.])\d+\s*\\[dt]?frac\s*(?:\{{\s*\d+\s*\}}\s*\{{\s*\d+\s*\}}|\d\s*\d)"
    rf"|\\[dt]?frac\s*{_FRACARG}\s*{_FRACARG}"
    rf"|{_SCI.pattern}"
    rf"|(?<![\w.])(?:{_N}\s*)?(?:{_RAD}|{_PI})(?:\s*{_RAD})?)"
)
#: a fraction whose digits TeX reads without braces (``\frac12``, ``\dfrac{1}4``): no part of it is a number
_SHORTHAND_FRACTION = re.compile(r"\\[dt]?frac\s*(?:\d|\{\s*(?:-\s*)?\d+\s*\}\s*\d)")
# Plain regexes that start with a digit or a dot, so the regex engine skips ahead fast; what may stand
# before a number is checked in Python (``_standalone``) instead of with slow lookbehinds.
_NUMBER = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\{,\}\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+(?!\w))?|\.\d+"
)
#: prose (no LaTeX) also groups thousands by single spaces ("$80 000", "5 650 000 cars"); a group before a
#: hyphen or a letter is a number of its own ("12 200-kilobyte videos")
_NUMBER_SPACED = re.compile(f"{SPACED_NUMBER.pattern}|{_NUMBER.pattern}")
#: a number glued to one of these is still a value (``\\cdot7``, ``\\log3``, ``\\qquad19x``): TeX ends a
#: command at its first non-letter; other commands glued to digits are labels (``\\angle1``), dimensions
#: (``\\kern2pt``) or read their arguments digit by digit (``\\frac12``, ``\\binom52``)
_GLUE_OK = frozenset(
    (
        "cdot", "times", "div", "pm", "mp", "le", "leq", "ge", "geq", "lt", "gt", "ne", "neq", "approx",
        "equiv", "quad", "qquad", "log", "ln", "lg", "sin", "cos", "tan", "cot", "sec", "csc", "exp", "over",
        "pmod", "bmod", "mod", "implies", "Rightarrow", "rightarrow", "to",
    )
)  # fmt: skip
#: the longest command name in :data:`_GLUE_OK`
_LONGEST_GLUE = max(map(len, _GLUE_OK))


def _standalone(text: str, s: int) -> bool:
    """Is the number at ``s`` not glued to a word (``y2``, ``x_1``, ``a.5``)? ``50x1000`` is a product; a
    number glued to an operator, relation or spacing command (:data:`_GLUE_OK`) is a value."""
    p = text[s - 1 : s]
    if not p or not (p.isalnum() or p in "_.\\"):
        return True
    if (
        p == "x"
        and s >= 2
        and (text[s - 2].isdigit() or text[s - 2] == ")" or text[s - 3 : s - 1] in _DIGIT_SPACE)
    ):
        return True
    if not p.isalpha():
        return False
    j = s - 1
    while j > max(0, s - 1 - _LONGEST_GLUE) and text[j - 1].isalpha():
        j -= 1
    return j > 0 and text[j - 1] == "\\" and text[j:s] in _GLUE_OK


_DIGIT_SPACE = frozenset(f"{d} " for d in "0123456789")
_NUMBER_NO_COMMA = re.compile(r"(?:\d{1,3}(?:\{,\}\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+(?![\w]))?|\.\d+")
# (?<!\s): never start inside a run of blanks, so no use of these can rescan a run at every position
_PERCENT = re.compile(r"(?<!\s)\s*(?:\\?%|\s?percent\b)")
_MAY_PERCENT = frozenset(("%", " ", "\\"))
# run on the lower-cased text (case-insensitive alternations are slow in ``re``); never across a line break
# ("... costs 5 actual steps\n66 steps distance": the 66 starts a line of its own, no "steps 66" label)
_LABEL = re.compile(
    r"\b(?:step|case|part|stage|phase|method|approach|solution|subcase|scenario|lemma|claim|option"
    r"|condition|equation|eq\.|figure|fig\.|problem|example|iteration|round|attempt)"
    r"s?[ \t]*(?:[#(~][ \t]*)?(?=\d)"
)
_LIST_MARKER = re.compile(r"(?m)^[ \t>*\-]*\(?\d+[.)](?=\s)")
_UNARY_BEFORE = set("([{=,:;<>$+*/×÷^&|\n")
_COMMAND_BEFORE = re.compile(r"\\[a-zA-Z]+\s*$")
#: commands after which a minus is a sign (``\\cdot -3``); after a value command (``\\pi -4``) it subtracts
_OPERATOR_COMMANDS = frozenset(
    {
        "cdot",
        "times",
        "div",
        "pm",
        "mp",
        "le",
        "leq",
        "ge",
        "geq",
        "lt",
        "gt",
        "ne",
        "neq",
        "approx",
        "equiv",
        "quad",
        "qquad",
        "implies",
        "Rightarrow",
        "to",
        "in",
        "left",
        "text",
        "frac",
        "dfrac",
        "tfrac",
        "sqrt",
        "boxed",
        "begin",
        "end",
        "sum",
        "prod",
        "int",
        "log",
        "ln",
        "sin",
        "cos",
        "tan",
        "exp",
        "max",
        "min",
        "cup",
        "cap",
        "colon",
        "mid",
        "Longrightarrow",
        "iff",
        "therefore",
        "sim",
        "cong",
        "displaystyle",
    }
)
_EQUALS = re.compile(r"(?<![<>!=\\])(?:=|\\approx|\\equiv)(?!=)")
_EQUALS_OR_NOTE = re.compile(r"=|>>|\\approx|\\equiv")
_OPERATOR = re.compile(
    r"\d\s*[-–+*/×÷^!]|[-–+*/×÷^!]\s*\d|\\(?:times|cdot|div|frac|dfrac|tfrac|sqrt|[dt]?binom|sum|prod|log|ln|sin|cos|tan)|\)|\d\s+x\s+\d"
)


@dataclass(slots=True)
class Atom:
    """A value in the trace: a number (``48``, ``1,000``, ``-3.5``) or a numeric LaTeX compound
    (``\\frac{14}{3}``, ``3\\sqrt{5}``, ``2\\pi``).

    ``role`` is ``value``, ``index`` (``x_1``), ``exponent`` (``x^2``), ``label`` ("Step 1", list
    markers) or ``constant`` (a bare ``\\pi``); ``values`` holds every reading (``20%`` -> 20 and 1/5);
    ``result`` marks the right-hand side of a computation.
    """

    start: int
    end: int
    values: tuple[Value, ...]
    role: str = "value"
    result: bool = False
    figure: bool = False
    parts: tuple[Atom, ...] = ()
    #: the span kind when hidden: ``number`` (also ``1.5 \\times 10^{8}``) or ``expression``
    kind: str = "number"
    #: part of the plan's form, not a value of this problem: the ``0`` a relation compares with, the
    #: ``1`` of ``n+1``, the ``4`` of ``4ac``
    structural: bool = False
    #: for a result, the span of the computation's left-hand side (its operands)
    operands: tuple[int, int] = (-1, -1)


@dataclass(slots=True)
class Scan:
    text: str
    atoms: list[Atom]
    statements: list[Statement]
    math: Ranges
    latex: bool


def _unary_minus(text: str, start: int, end: int | None = None) -> bool:
    """Is there a unary minus right before ``start`` (``= -3``, ``(-2``), as opposed to ``10-3``,
    ``16\\pi-4\\pi`` or ``(y -3)``? A minus before a power (``-3^2``) belongs to the power, not to the
    number."""
    if start == 0 or text[start - 1] != "-":
        return False
    if end is not None and text[end : end + 1] == "^":
        return False
    j = start - 2
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] in _UNARY_BEFORE:
        return True
    command = _COMMAND_BEFORE.search(text, max(0, j - 20), j + 1)
    if command:
        return command.group().strip()[1:] in _OPERATOR_COMMANDS
    # "is -5": a space before the sign and none after it, after a word of prose (not a variable, and not
    # the unit word of a value the minus takes from: "1 full tank -1/3 tank")
    return (
        j < start - 2
        and text[j].isalpha()
        and j >= 1
        and text[j - 1].isalpha()
        and _unit_start(text, j + 1, max(0, j - 60)) < 0
    )


_SKIP_AFTER_EQUALS = " \t$-{"
_NOT_EQUALS = frozenset(("<", ">", "!", "=", "\\"))


#: what a computation's left-hand side may hold (layout such as ``&`` and ``\hphantom{)}`` included)
_ARITH_COMMANDS = frozenset(
    {
        "frac",
        "dfrac",
        "tfrac",
        "sqrt",
        "cdot",
        "times",
        "div",
        "left",
        "right",
        "pi",
        "hphantom",
        "phantom",
        "quad",
        "qquad",
        "lfloor",
        "rfloor",
        "lceil",
        "rceil",
        "binom",
        "dbinom",
        "tbinom",
    }
)
_ARITH_CHARS = frozenset("0123456789 \t.,+-–*/×÷^()[]{}!%$&")


#: two-letter words of prose (any other pair of letters before an "=" is a product of variables, "ax")
_SHORT_WORDS = frozenset(
    ("is", "of", "so", "to", "in", "at", "be", "or", "an", "as", "by", "if", "it", "we", "on", "do", "no")
    + ("up", "he", "me", "my", "us", "am", "go")
)


#: words of prose, never a unit between a value and an operator ("5 apples and 3 + 2")
NOT_UNITS = frozenset({
    "and", "or", "is", "are", "was", "so", "then", "which", "that", "we", "to", "of", "the", "an", "if",
    "for", "by", "at", "in", "on", "from", "but", "with", "gives", "get", "plus", "minus", "times", "as",
    "more", "less", "than", "each", "every", "left", "now", "has", "have", "had",
})  # fmt: skip
#: the unit words after a value in a computation written in prose, up to the operator or ``=`` that goes on
#: with it: "12 floors/building x 2 buildings = 24", "16 ounces per pound / 2 ounces/cookie", "$5/hour x 4";
#: a unit may be a symbol of one letter after a space ("100 ml * 5 g/ml", "[N] g + 200 g"; "4L" is 4 times L)
_UNIT_GAP = re.compile(
    r"(?:/[ \t]*)?(?:[A-Za-z]{2,14}|(?<=[ \t])[gmlLsh](?![A-Za-z]))"
    r"(?:(?:[ \t]*/[ \t]*|[ \t]+)[A-Za-z]{2,14}){0,3}"
    r"(?=[ \t]*(?:[-–+*/×÷]|x[ \t]|=(?!=)))"
)
#: a value, its unit words, then an operator and the next value: the prose computation goes on
_UNIT_OPERATOR = re.compile(r"[A-Za-z][ \t]*(?:[-–+*/×÷]|x(?=[ \t]))[ \t]*\$?\d")


def unit_gap(text: str, start: int) -> int:
    """Where the unit words of a prose computation that start at ``start`` end (the value before them
    goes on with an operator or ``=`` after them: "12 floors/building x 2 buildings = 24"), or -1."""
    m = _UNIT_GAP.match(text, start)
    if m is None:
        return -1
    words = re.findall(r"[A-Za-z]+", m.group())
    # "pounds of oats/day": an "of" inside the unit, never first
    if any(w.lower() in NOT_UNITS and (w != "of" or k == 0) for k, w in enumerate(words)):
        return -1
    return m.end()


def _unit_start(text: str, end: int, lo: int) -> int:
    """Where the unit words that end at ``end`` start, when a value stands right before them (``24
    floors``, ``$5/hour``, ``20% tip``) and :func:`unit_gap` reads them up to ``end``; else -1."""
    j = end
    while j > lo and end - j < 45 and (text[j - 1].isalpha() or text[j - 1] in " \t/"):
        j -= 1
    for k in range(j, end):
        if text[k] in " \t" or (text[k - 1 : k].isalpha() and k > j):
            continue  # the unit words start at a word or a "/", after the value's spaces
        before = text[lo:k].rstrip(" \t")
        if before[-1:].isdigit() or before.endswith("%"):
            return k if unit_gap(text, k) == end else -1
    return -1


#: a unit written in text mode right after a value (``5\text{ cm}``, ``9\mbox{ inches}``), up to where it ends
_TEXT_UNIT = re.compile(
    r"(?<=[\d)}])\s*\\(?:text|mbox|textrm|mathrm)\s*\{\s*[A-Za-z]+(?:\s+[A-Za-z]+)?\s*\}$"
)


def _computes(text: str, eq: int) -> int:
    """Where the left-hand side of the ``=`` at ``eq`` starts if it is an arithmetic computation (``48/2``,
    ``\\sqrt{9+16}``, "12 floors/building x 2 buildings"), or ``-1`` for an equation in variables (``x + 5``,
    ``f(3)``) or prose."""
    i, lo = eq - 1, max(0, eq - 160)
    units = False
    while i >= lo:
        c = text[i]
        if c == "}" and (text_unit := _TEXT_UNIT.search(text, lo, i + 1)) is not None:
            i, units = text_unit.start() - 1, True  # "(5\text{ cm})(3\text{ cm}) =": units
            continue
        if c in _ARITH_CHARS:
            i -= 1
            continue
        if not c.isalpha():
            break
        j = i
        while j >= lo and text[j].isalpha():
            j -= 1
        word = text[j + 1 : i + 1]
        if j >= lo and text[j] == "\\":
            if word not in _ARITH_COMMANDS:
                break
            i = j - 1
            continue
        if word == "x" and text[j : j + 1] == " " and text[i + 1 : i + 2] == " ":
            i = j  # "0.2 x 50": GSM8K's multiplication sign
            continue
        if (unit := _unit_start(text, i + 1, lo)) >= 0:
            i, units = unit - 1, True  # "2 buildings =": the value's unit words, not prose
            continue
        if j >= lo and text[j] in "'\u2019" and word in ("s", "t", "d", "m", "ll", "re", "ve"):
            break  # "that's 40*.30 =", "it’s": a contraction of prose, no variable
        if len(word) == 1 or (len(word) == 2 and word not in _SHORT_WORDS):
            return -1  # variables (x, ax): an equation, not a computation
        break  # a word of prose: the computation starts after it
    lhs = i + 1
    return lhs if _OPERATOR.search(text, lhs, eq) or (units and _UNIT_OPERATOR.search(text, lhs, eq)) else -1


def _result_starts(text: str) -> dict[int, tuple[int, int]]:
    """Where a result may begin: right after ``>>`` (a GSM8K calculator note) or after an ``=`` whose
    left-hand side computes something (``48/2 = 24``, but not ``x + 5 = 24``); each with the span of
    that left-hand side (``(-1, -1)`` after a note, whose own ``=`` is the computation)."""
    out: dict[int, tuple[int, int]] = {}
    for m in _EQUALS_OR_NOTE.finditer(text):
        if m.group() == "=" and (
            text[m.start() - 1 : m.start()] in _NOT_EQUALS or text[m.end() : m.end() + 1] == "="
        ):
            continue  # <=, >=, !=, ==
        j = m.end()
        while j < len(text) and text[j] in _SKIP_AFTER_EQUALS:
            j += 1
        if m.group() == ">>":
            out.setdefault(j, (-1, -1))
        elif (lhs := _computes(text, m.start())) >= 0:
            if text.startswith("<<", j) and (close := text.find(">>", j, j + 300)) > 0:
                j = close + 2  # "48/2 = <<48/2=24>>24": the text's step has the value after the note
            out[j] = (lhs, m.start())
        elif text.startswith("\\begin{", j) and (lhs := _matrix_computes(text, m.start())) >= 0:
            for entry in _matrix_entries(text, j):
                out[entry] = (lhs, m.start())
    return out


#: a matrix or vector written out with numbers (a letter in it, ``(x, y, z)``, makes it no value)
_MATRIX = r"\\begin\{[pb]matrix\}(?:[-\d\s.,/{}&]|\\\\|\\[dt]?frac)*?\\end\{[pb]matrix\}"
_SCALAR = r"-?\s*(?:\d+(?:\.\d+)?|\\[dt]?frac\{-?\d+\}\{\d+\})\s*(?:\\cdot|\\times)?\s*"
_MATRIX_OPERATOR = r"\s*(?:[-+]|\\cdot|\\times)\s*"
#: a computation on matrices written out: a scalar times one, or several joined by + - \cdot \times
_MATRIX_COMPUTATION = re.compile(
    rf"(?:{_SCALAR}{_MATRIX}|{_MATRIX}(?:{_MATRIX_OPERATOR}(?:{_SCALAR})?{_MATRIX})+)\s*$"
)
_MATRIX_ENTRY = re.compile(r"\\begin\{[pb]matrix\}|\\\\|&")


def _matrix_computes(text: str, eq: int) -> int:
    """Where the left-hand side of the ``=`` at ``eq`` starts if it computes on matrices written out with
    numbers (two vectors subtracted, ``-\\frac{7}{4}`` times a vector) and nothing but a delimiter stands
    before it (``\\mathbf{A} \\begin{pmatrix}...`` is an equation in a letter), or -1."""
    if not text[max(0, eq - 40) : eq].rstrip().endswith(("\\end{pmatrix}", "\\end{bmatrix}")):
        return -1  # (a cheap test first: the search below reads its whole window at each start)
    m = _MATRIX_COMPUTATION.search(text, max(0, eq - 400), eq)
    if m is None:
        return -1
    before = text[max(0, m.start() - 40) : m.start()].rstrip(" \t")
    return m.start() if before == "" or before[-1] in "$[(=&\n" or before.endswith("\\\\") else -1


def _matrix_entries(text: str, start: int) -> list[int]:
    """Where each entry of the matrix written out from ``start`` begins (after its sign and spaces)."""
    end = text.find("\\end{", start)
    out = []
    for m in _MATRIX_ENTRY.finditer(text, start, end):
        j = m.end()
        while j < end and (text[j] in _SKIP_AFTER_EQUALS or text[j] == "\n"):
            j += 1
        out.append(j)
    return out


#: what goes on after a value that is not a result: an operator (not the "/" of a unit rate, "1/liter"),
#: a letter (a coefficient, "4N") or a bracket
_CONTINUES = re.compile(
    r"(?<!\s)\s*(?:[-+*×÷^(]|/(?![a-zA-Z]{2})|\\(?:cdot|times|div)(?![a-zA-Z]))|[a-zA-Z(]"
)


def _is_result(text: str, start: int, end: int, results: dict[int, tuple[int, int]]) -> bool:
    """A value right after a computation's ``=`` is its result unless an expression goes on after it
    (``= 200 - 16``) or it is a coefficient (``= 4N``)."""
    return start in results and not _CONTINUES.match(text, end)


@lru_cache(maxsize=32)
def scan_cached(text: str) -> Scan:
    """:func:`scan`, remembered for the few traces a worker is busy with (the masker and its repairs
    read the same trace several times). Callers must not change the result."""
    return scan(text)


def scan(text: str) -> Scan:
    """Find every value-bearing atom of a math trace and classify it."""
    latex = "\\" in text and bool(_LATEX_HINT.search(text))
    mathish = latex or "$" in text
    math = Ranges([m.span() for m in _MATH_SEGMENT.finditer(text)] if latex else [])
    index = Ranges(
        (_brace_args(text, _INDEX_OPEN) if "_" in text else [])
        + (_brace_args(text, _STRUCT_OPEN) + [m.span() for m in _ROOT_INDEX.finditer(text)] if latex else [])
    )
    exponents = []
    if "^" in text:
        exponents = _brace_args(text, _EXP_OPEN) + [m.span(1) for m in _EXP_FRACTION.finditer(text)]
    exponent = Ranges(exponents)
    figure = Ranges([m.span() for m in _FIGURE.finditer(text)] if "[asy]" in text else [])
    list_markers = {m.end() - 1 for m in _LIST_MARKER.finditer(text)}  # the "." or ")" after the number
    lower = text.lower()
    labels = {m.end() for m in _LABEL.finditer(lower)} if len(lower) == len(text) else set()
    results = _result_starts(text)
    statements = answer_statements(text)
    in_statement = Ranges([(s.start, s.end) for s in statements])

    # a triangle named by its angles ("30-60-90 triangle"): a standard object of the plan, not three values
    named = Ranges([m.span() for m in triangle_names(text)])
    has_index, has_exponent, has_figure = bool(index.starts), bool(exponent.starts), bool(figure.starts)
    has_statements = bool(statements)

    def number_at(m: re.Match[str]) -> Atom | None:
        s, e = m.span()
        raw = m.group()
        if mathish and ("e+" in raw or "e-" in raw or "E+" in raw or "E-" in raw):
            cut = max(raw.find("e"), raw.find("E"))  # 2e+9 in math: a variable e plus 9, not 2 x 10^9
            e = s + cut
            raw = raw[:cut]
        if latex and "," in raw and "{,}" not in raw and s in math:  # (1,000) in math mode is a pair
            m2 = _NUMBER_NO_COMMA.match(text, s)
            if m2 is None:
                return None
            e = m2.end()
            raw = text[s:e]
        before = text[s - 1 : s]
        if before == "_" or (has_index and s in index):
            role = "index"
        elif before == "^" or (has_exponent and s in exponent):
            role = "exponent"
        elif e in list_markers or s in labels:
            role = "label"
        else:
            role = "value"
            if before == "-" and _unary_minus(text, s, e):
                s -= 1
                raw = "-" + raw
        v = numeric_value(raw)
        if v is None:
            return None
        after = text[e : e + 1]
        values: tuple[Value, ...] = (
            (v, v / 100) if after in _MAY_PERCENT and _PERCENT.match(text, e) else (v,)
        )
        result = m.start() in results and not _CONTINUES.match(text, e)
        in_figure = has_figure and s in figure
        atom = Atom(s, e, values, role, result, in_figure)
        if result:
            atom.operands = results[m.start()]
        atom.structural = role == "value" and (
            _structural(text, s, e, v, math_or_latex=mathish) or (bool(named.starts) and s in named)
        )
        return atom

    atoms: list[Atom] = []
    taken = Ranges([])
    if latex:
        compounds = []
        for m in _COMPOUND.finditer(text):
            s, e = m.span()
            if s in in_statement:
                continue
            neg = _unary_minus(text, s, e)
            v = numeric_value(("-" if neg else "") + m.group())
            if v is None or s in index or s in exponent:
                continue
            s0 = s - 1 if neg else s
            parts = tuple(
                a
                for p in _NUMBER_NO_COMMA.finditer(text, s, e)
                if (a := _part(text, p, index, exponent)) is not None
            )
            # a fraction is a value even when TeX's shorthand glues its digits to the command (\frac12,
            # \tfrac34: the same 1/2 and 3/4 as \frac{1}{2}); only \pi, \sqrt2 ... are constants
            role = "value" if parts or _SHORTHAND_FRACTION.match(text, s) else "constant"
            kind = "number" if _SCI.fullmatch(m.group()) else "expression"
            atom = Atom(s0, e, (v,), role, _is_result(text, s, e, results), s0 in figure, parts, kind)
            if atom.result:
                atom.operands = results[s]
            elif role == "value" and isinstance(v, Fraction) and v.denominator > 1:  # \frac{1}{3}Bh
                atom.structural = _structural(text, s0, e, v, math_or_latex=True)
            compounds.append(atom)
        atoms.extend(compounds)
        taken = Ranges([(a.start, a.end) for a in compounds])
    has_taken = bool(taken.starts)
    for m in (_NUMBER if latex else _NUMBER_SPACED).finditer(text):
        start = m.start()
        if (
            (has_taken and start in taken)
            or (has_statements and start in in_statement)
            or not _standalone(text, start)
        ):
            continue
        a = number_at(m)
        if a is not None:
            atoms.append(a)
    atoms.sort(key=lambda a: a.start)
    return Scan(text, atoms, statements, math, latex)


_RELATION_BEFORE = re.compile(
    r"(?:[=<>]|\\(?:geq?|leq?|neq?|lt|gt|ne)(?![a-zA-Z]))[ \t$]*(?:\\[,;! ])?[ \t]*$"
)
_AFTER_ZERO = re.compile(
    r"\s*(?:$|[,.;:$)\]}\n&]|\\[\\)\]]|\\(?:quad|text|end|qquad|right|rangle|implies|Rightarrow|and)(?![a-zA-Z])|and\b|or\b|if\b|when\b|for\b|so\b)"
)
_ONE_OFF = re.compile(r"(?<![\w\\])[a-zA-Z]\s*[-+]\s*$")
_ONE_AFTER = re.compile(r"\s*[-+]\s*[a-zA-Z](?![a-zA-Z])")
_FORMULA_PRODUCT = re.compile(
    r"\s*(?:\\pi\s*)?[a-zA-Z](?:\s*\^\s*\{?\d\}?)?\s*[a-zA-Z](?![a-zA-Z])|\s*\\pi\s*[a-zA-Z](?![a-zA-Z])"
)


def bound_zero(text: str, s: int, e: int) -> bool:
    """Is ``text[s:e]`` (a ``0``) the bound of a relation, ``= 0``, ``\\ge 0``, ``\\neq\\, 0``: the
    statement's form, not a value?"""
    return bool(_RELATION_BEFORE.search(text, max(0, s - 16), s) and _AFTER_ZERO.match(text, e))


def _structural(text: str, s: int, e: int, v: Value, math_or_latex: bool) -> bool:
    """Is the number at ``text[s:e]`` part of the plan's form rather than a value: the ``0`` of ``= 0``,
    ``\\ge 0``, ``< 0``; the ``1`` of ``n+1`` / ``1-p``; a small constant of a formula product
    (``4ac``, ``2\\pi r``, ``\\frac{1}{3}Bh``)?"""
    if v == 0 and bound_zero(text, s, e):
        return True
    if not math_or_latex:
        return False
    if v == 1 and (_ONE_OFF.search(text, max(0, s - 6), s) or _ONE_AFTER.match(text, e)):
        return True
    return (
        v in _FORMULA_CONSTANTS
        and bool(_FORMULA_PRODUCT.match(text, e))
        and text[s - 1 : s] not in ("^", "{")
    )


#: the small constants of formula products: ``4ac``, ``2\pi r``, ``\frac{1}{3}Bh``, ``\frac12 bh``,
#: ``\frac{4}{3}\pi r^3``
_FORMULA_CONSTANTS = frozenset(
    (Fraction(2), Fraction(3), Fraction(4), Fraction(1, 2), Fraction(1, 3), Fraction(4, 3))
)


def _part(text: str, m: re.Match[str], index: Ranges, exponent: Ranges) -> Atom | None:
    """A number inside a compound, as an atom of its own; ``None`` for root indices, exponents and
    the base of a power of ten (``10`` in ``2 \\times 10^{-1}``)."""
    ps, pe = m.span()
    if ps in index or ps in exponent or text[ps - 1 : ps] in ("^", "[") or text[ps - 1 : ps].isalpha():
        return None
    if re.match(r"\s*\^", text[pe : pe + 4]):
        return None
    if _unary_minus(text, ps, pe):
        ps -= 1
    v = numeric_value(text[ps:pe])
    return Atom(ps, pe, (v,)) if v is not None else None


def values_in(text: str) -> list[Value]:
    """Every value written in ``text`` (numbers, numeric LaTeX, percentages as p and p/100), with no
    classification: what a question gives."""
    out: list[Value] = []
    if "\\" in text:
        out.extend(v for m in _COMPOUND.finditer(text) if (v := numeric_value(m.group())) is not None)
    for m in (_NUMBER if "\\" in text else _NUMBER_SPACED).finditer(text):
        v = numeric_value(m.group())
        if v is not None:
            out.append(v)
            if text[m.end() : m.end() + 1] in ("%", " ", "\\") and _PERCENT.match(text, m.end()):
                out.append(v / 100)
    return out
