"""The gold answer: its value(s), its components, and a normalised text form to search for."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, starmap

from ._equations import Undefined, evaluate, read_equations
from ._lexer import match_brace
from ._rational import Fraction
from ._values import Value, expression_value, numeric_value, plain_number, value_key, values_equal

_WRAPPERS = ("text", "textbf", "textit", "mbox", "mathrm", "mathbf", "operatorname")
_DROP = re.compile(
    r"\s+|\\left(?![a-zA-Z])|\\right(?![a-zA-Z])|\\displaystyle|\\[,;:! ]|\$|\\q?quad(?![a-zA-Z])"
    r"|(?<=\\)[dt](?=frac)"  # \dfrac, \tfrac -> \frac
    r"|\\(?P<wrapper>" + "|".join(_WRAPPERS) + r")\s*(?=\{)"
)
_UNITS = re.compile(r"(?:\\text\s*\{[^{}]*\}|\^\s*\{?\\circ\}?|\\%|%|\\\$|\\(?:mbox|mathrm)\s*\{[^{}]*\})")


def normalize(text: str) -> tuple[str, list[int]]:
    """A canonical form for searching answers in text, with a map from each kept character back to
    its offset in ``text``: spacing, ``$``, ``\\left``/``\\right`` and ``\\text{}`` wrappers go,
    ``\\dfrac``/``\\tfrac`` become ``\\frac``."""
    ranges: list[tuple[int, int]] = []
    closes: list[int] = []
    pos = 0
    for m in _DROP.finditer(text):
        start, end = m.span()
        if start < pos:
            continue
        if start > pos:
            ranges.append((pos, start))
        pos = end
        if m.group("wrapper"):
            close = match_brace(text, end)
            if close > 0:  # drop "\text{" and its "}", keep what is inside
                closes.append(close)
                pos = end + 1
    ranges.append((pos, len(text)))
    if closes:
        split: list[tuple[int, int]] = []
        for a, b in ranges:
            for c in sorted(c for c in closes if a <= c < b):
                split.append((a, c))
                a = c + 1
            split.append((a, b))
        ranges = split
    ranges = [(a, b) for a, b in ranges if b > a]
    return "".join(text[a:b] for a, b in ranges), list(chain.from_iterable(starmap(range, ranges)))


def _split_top(text: str) -> list[str]:
    """Split at top-level commas (not inside braces or brackets)."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for c in text:
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _strip_wrappers(text: str) -> str:
    t = text.strip().strip("$").strip()
    for _ in range(3):
        m = re.fullmatch(r"\\(?:boxed|fbox)\s*\{(.*)\}", t, re.S)
        if not m:
            break
        t = m.group(1).strip()
    m = re.fullmatch(r"[a-zA-Z]\s*(?:=|\\in(?![a-zA-Z]))\s*(.+)", t, re.S)  # "x = 5" -> "5", "x \in [-2,7]"
    return m.group(1).strip() if m else t


@dataclass(frozen=True, slots=True)
class Gold:
    """The parsed gold answer.

    ``value``: the value when the answer is one expression; ``components``: the values of the parts
    of a tuple, interval or set answer; ``norm``: normalised text, searched for in traces;
    ``numeric``: the answer is one number (the standalone-number leak check applies); ``plain``: it
    is written as a plain number (``72``, ``1,000``; otherwise its text is searched for too).
    """

    raw: str
    norm: str
    value: Value | None
    components: tuple[Value, ...]
    numeric: bool
    plain: bool = False
    #: the value of a complex number written with the imaginary unit (``1 - 12i``): ``i`` is sqrt(-1),
    #: where ``value`` reads it as a variable (a fingerprint); see :func:`complex_value`
    as_complex: complex | None = None

    @property
    def key(self) -> str:
        return value_key(self.value) if self.value is not None else f"answer:{self.norm}"

    def equals(self, v: Value) -> bool:
        g = self.value
        if g is None:
            return False
        if type(g) is Fraction and type(v) is Fraction:
            return g == v
        return values_equal(g, v)

    def component_equals(self, v: Value) -> bool:
        return any(values_equal(c, v) for c in self.components)


@lru_cache(maxsize=16384)
def parse_gold(answer: str) -> Gold:
    """Parse a gold answer once (cached): ``72``, ``1,000``, ``\\frac{14}{3}``, ``(3, \\frac{\\pi}{2})``,
    ``[2,5)``, ``\\text{Monday}``, ``p - q``."""
    core = _strip_wrappers(answer)
    norm, _ = normalize(core)
    plain = plain_number(core)
    if plain is not None:
        return Gold(answer, norm, plain, (), True, True)
    bare = re.sub(r"\\left(?![a-zA-Z])|\\right(?![a-zA-Z])", "", _UNITS.sub("", core)).strip()
    value = numeric_value(bare)
    if value is None and "\\text" not in core and not re.fullmatch(r"\(?[A-Za-z]\)?", bare):
        value = expression_value(bare)  # an expression with variables: compared by sympy fingerprint
    components: tuple[Value, ...] = ()
    inner = bare
    if re.fullmatch(r"(?:\\\{|[(\[]).*(?:\\\}|[)\]])", inner, re.S):
        inner = re.sub(r"^(?:\\\{|[(\[])|(?:\\\}|[)\]])$", "", inner)
    matrix = re.fullmatch(r"\\begin\{[pbvB]?matrix\}(.*)\\end\{[pbvB]?matrix\}", inner, re.S)
    parts = re.split(r"\\\\|&", matrix.group(1)) if matrix else _split_top(inner)
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) > 1:
        components = tuple(v for p in parts if (v := expression_value(p)) is not None)
    numeric = value is not None and numeric_value(bare) is not None and len(parts) == 1
    return Gold(answer, norm, value, components, numeric, as_complex=complex_value(bare))


def interval_like(question: str, gold: Gold) -> bool:
    """Is the gold an interval or a union of them (an interval's endpoints are no tuple: seeing both says
    nothing of which ends are open)?"""
    raw = gold.raw.replace("\\left", "").replace("\\right", "").strip()
    mixed = raw[:1] in "([" and raw[-1:] in ")]" and (raw[0] == "[") != (raw[-1] == "]")
    return mixed or "infty" in raw or "interval" in question.lower() or "\\cup" in raw


#: one interval of an interval answer: its two ends
_INTERVAL = re.compile(r"[(\[]([^,()\[\]]+),([^,()\[\]]+)[)\]]")


def interval_endpoints(question: str, gold: Gold) -> tuple[Value, ...]:
    """The finite endpoints of an interval answer (``(0,9) \\cup (9,36)``: 0, 9, 9, 36); none for
    another answer."""
    if not interval_like(question, gold):
        return ()
    bare = gold.raw.replace("\\left", "").replace("\\right", "")
    ends = (e.strip() for m in _INTERVAL.finditer(bare) for e in m.groups())
    return tuple(v for e in ends if "infty" not in e and (v := expression_value(e)) is not None)


#: the imaginary unit: an ``i`` that is no part of a word, a command (``\pi``) or an index (``x_i``)
IMAGINARY = re.compile(r"(?<![A-Za-z\\_])i(?![A-Za-z])")


def complex_value(latex: str) -> complex | None:
    """The value of ``latex`` when it is a complex number written with the imaginary unit and no other
    letter (``1 - 12i``, ``\\frac{1}{2} + \\frac{\\sqrt{3}}{2}i``, ``-i``), else ``None``."""
    if "i" not in latex or not IMAGINARY.search(latex):
        return None
    if re.search(r"[A-Za-z]", re.sub(r"\\[a-zA-Z]+", "", IMAGINARY.sub("", latex))):
        return None  # another letter: a variable, not a complex number
    reading = read_equations(f"${latex} = 0$", link=False)
    if len(reading.equations) != 1 or reading.equations[0].left.unknowns != {"v:i"}:
        return None
    try:
        v = complex(evaluate(reading.equations[0].left.tree, {"v:i": 1j}))
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None
    return v if v.imag != 0 and all(map(math.isfinite, (v.real, v.imag))) else None


def find_text(text: str, needle: str) -> list[tuple[int, int]]:
    """Spans of ``text`` whose normalised form is ``needle`` (itself normalised), standing alone in the
    original text: not glued to a letter or digit where the needle starts/ends with one, not the tail of
    a command, not a digit run inside a longer number."""
    if not needle:
        return []
    norm, where = normalize(text)
    out = []
    i = norm.find(needle)
    while i >= 0:
        start, end = where[i], where[i + len(needle) - 1] + 1
        open_ = text.count("{", start, end) - text.count("}", start, end)
        while open_ > 0 and end < len(text) and text[end] == "}":  # "\text{ degrees" takes its "}" too
            end, open_ = end + 1, open_ - 1
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        ok = not (needle[0].isalnum() and before and (before.isalnum() or before in "\\."))
        ok = ok and not (needle[-1].isalnum() and after.isalnum())
        ok = ok and not (needle[-1].isdigit() and after in ".," and text[end + 1 : end + 2].isdigit())
        if ok:
            out.append((start, end))
        i = norm.find(needle, i + 1)
    return out
