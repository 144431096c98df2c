"""Read the equations a (masked) math trace shows, with its blanks and variables as unknowns.

This is what a reader with a calculator sees: every ``lhs = rhs`` chain in math mode, in plain text
("48/2 = 24") and in GSM8K calculator notes (``<<48/2=24>>24``), each side parsed into a small
expression tree whose leaves are numbers, unknowns (a placeholder such as ``[NUMBER]`` or
``[BLANK_3]``, or a variable letter) and constants. The recoverability audit
(:mod:`smepo_data.math.attacks`) solves them; nothing here knows which spans a masker hid.

Typed placeholders are one unknown per occurrence (``[NUMBER]`` says nothing about which value it
hides); indexed ones share an unknown per index; the blank right after a calculator note is the note's
result.
"""

from __future__ import annotations

import cmath
import itertools
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache, reduce

from ._lexer import _ARITH_COMMANDS, NOT_UNITS, Ranges, match_brace, unit_gap
from ._rational import Fraction
from ._values import Value, value_key, values_equal

#: a placeholder as maskers write them: [NUMBER], [EXPR], [ANSWER], [BLANK_3], [MASK], [NUMBER_2]
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z]+(?:_\d+)?\]")
_INDEXED = re.compile(r"\[[A-Z]+_(\d+)\]")

_MATH_SEGMENT = re.compile(
    r"\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\(.+?\\\)|\\\[.+?\\\]"
    r"|\\begin\{(equation|align|gather|multline|eqnarray|array|split|cases)(\*?)\}.+?\\end\{\1\2\}",
    re.S,
)
_NOTE = re.compile(r"<<([^<>\n]{1,300}?)>>")
_TOKEN = re.compile(
    r"(?P<note><<[^<>\n]{1,300}?>>)"
    r"|(?P<blank>\[[A-Z][A-Z]+(?:_\d+)?\])"
    r"|(?P<num>(?:\d{1,3}(?:(?:,|\{,\})\d{3})+(?![\d])|\d+)(?:\.\d+)?|\.\d+)"
    r"|(?P<rel>\\(?:le|ge|leq|geq|lt|gt|ne|neq|approx|equiv|sim|cong|implies|Rightarrow|Longrightarrow"
    r"|iff|therefore|to|rightarrow|in|subset|pm|mp)(?![a-zA-Z])|<=|>=|[<>≤≥≠])"
    r"|(?P<eq>=)"
    r"|(?P<delim>\\[\[\]()])"
    r"|(?P<cmd>\\[a-zA-Z]+|\\[,;:! ]|\\\\|\\%|\\\$|\\\{|\\\})"
    r"|(?P<word>[A-Za-z]{2,})"
    r"|(?P<letter>[A-Za-z](?:_(?:\{[^{}]{1,20}\}|[A-Za-z0-9]))?)"
    r"|(?P<op>[-+*/×÷^!·−–])"
    r"|(?P<open>[({\[])|(?P<close>[)}\]])"
    r"|(?P<pct>%)"
    r"|(?P<nl>\n)"
    r"|(?P<sep>[,;:?&|])"
    r"|(?P<dot>\.)"
    r"|(?P<space>[ \t\r\xa0]+)"
    r"|(?P<other>.)",
    re.S,
)
#: a token after any spaces (the spaces themselves a token only where nothing follows them)
_SPACED_TOKEN = re.compile(r"[ \t\r\xa0]*(?:" + _TOKEN.pattern + ")", re.S)
#: Greek letters a reader takes for quantities (``\\theta``, ``\\varphi``)
_GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "rho", "varrho", "sigma", "tau", "upsilon", "phi", "varphi", "chi",
    "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
})  # fmt: skip
#: LaTeX commands that are part of an expression (the rest end one)
_EXPR_COMMANDS = (_ARITH_COMMANDS - {"quad", "qquad"}) | _GREEK | {
    "binom", "dbinom", "tbinom", "displaystyle", "big", "Big", "bigg", "Bigg", "circ", "ast", "cdotp", "!",
    ",", ";", ":", " ", "%",
    "$", "lfloor", "rfloor", "lceil", "rceil", "text", "mathrm", "mbox", "textbf", "log", "ln",
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
}  # fmt: skip
#: a value struck through stays the value of its expression (``\frac{1}{\cancel{5}}``)
_CANCELS = frozenset({"\\cancel", "\\bcancel", "\\xcancel", "\\cancelto"})
#: trigonometric functions a reader evaluates (``\sin^2 x`` is ``(\sin x)^2``)
_TRIG: dict[str, Callable[[complex], complex]] = {
    "sin": cmath.sin,
    "cos": cmath.cos,
    "tan": cmath.tan,
    "cot": lambda z: 1 / cmath.tan(z),
    "sec": lambda z: 1 / cmath.cos(z),
    "csc": lambda z: 1 / cmath.sin(z),
    "arcsin": cmath.asin,
    "arccos": cmath.acos,
    "arctan": cmath.atan,
}
#: words a reader never takes for a product of variables, even inside math
_NOT_PRODUCTS = frozenset({
    "and", "or", "if", "is", "for", "the", "of", "to", "in", "as", "on", "so", "at", "by",
    "cm", "mm", "km", "kg", "ft", "mi", "hr", "min", "mod", "gcd", "lcm", "max", "deg",
})  # fmt: skip
_SPACING = frozenset(
    {"!", ",", ";", ":", " ", "displaystyle", "big", "Big", "bigg", "Bigg", "left", "right", "$"}
)
_MAX_TOKENS = 400
#: a rounding bracket's opening command -> its closing command and the operation
_ROUNDING = {"\\lfloor": ("\\rfloor", "floor"), "\\lceil": ("\\rceil", "ceil")}


@dataclass(frozen=True, slots=True)
class Side:
    """One side of an equation: its tree, its unknowns, and where it stands in the masked text."""

    tree: tuple
    unknowns: frozenset[str]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Equation:
    left: Side
    right: Side
    #: a pair of terms of two sides written alike (:func:`_aligned`), not an equation the text writes
    part: bool = field(default=False, compare=False)
    #: both sides' unknowns (read often by the solver: computed once)
    unknowns: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unknowns", self.left.unknowns | self.right.unknowns)

    @property
    def start(self) -> int:
        return min(self.left.start, self.right.start)

    @property
    def end(self) -> int:
        return max(self.left.end, self.right.end)


@dataclass(slots=True)
class Reading:
    """What a trace shows: equations, and which unknown each placeholder occurrence is."""

    equations: list[Equation] = field(default_factory=list)
    #: placeholder occurrence (start offset) -> its unknown
    blanks: dict[int, str] = field(default_factory=dict)
    #: every expression read, in or out of an equation (``2\\cdot 5!\\cdot 5!`` before a broken right side)
    sides: list[Side] = field(default_factory=list)
    #: (:func:`read_named`) a side that applies a function the trace defines -> where the definition's body is
    expanded: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: two sides written alike were read as one expression (:func:`_linked`): their blanks share unknowns
    linked: bool = False
    #: (read with ``link=True``) :func:`_linked_latest` would link the blanks otherwise
    relinks: bool = False
    #: blanks written right after a binary ``+`` or ``-`` (``10x + [N]x``): each hides a numeral as written,
    #: never a negative number (the masker never takes an operator into a blank)
    unsigned: frozenset[str] = frozenset()
    #: (:func:`read_named`) the column vectors the trace works out, as ``("vec", components)`` sides
    #: (``2\\begin{pmatrix} -[EXPR] \\\\ 3 \\end{pmatrix} - \\begin{pmatrix} -2 \\\\ 3 \\end{pmatrix}``)
    vectors: list[Side] = field(default_factory=list)
    #: settings left out of ``equations`` (:func:`_without_local_settings`): a letter set to different things
    #: in different sentences, each value a branch to follow (:func:`smepo_data.math.attacks._branches`)
    settings: list[Equation] = field(default_factory=list)


def blank_unknown(start: int, token: str) -> str:
    """The unknown a placeholder stands for: indexed blanks share one per index, typed ones are their own."""
    return _indexed_unknown(token) or f"u{start}"


@lru_cache(maxsize=1024)
def _indexed_unknown(token: str) -> str | None:
    m = _INDEXED.fullmatch(token)
    return f"b{m.group(1)}" if m else None


# --------------------------------------------------------------------------- parsing


class _Fail(Exception):
    pass


class _Parser:
    """Recursive descent over expression tokens (kind, text, start) into trees:
    ``("n", Fraction)``, ``("u", name)``, ``("c", float)``, ``(op, a, b)``, ``("neg", a)``, ``("fact", a)``,
    ``("binom", a, b)``."""

    def __init__(self, toks: list[tuple[str, str, int]], unknown_of, named: _Named | None = None):
        self.toks, self.i, self.unknown_of = toks, 0, unknown_of
        self.unknowns: set[str] = set()
        self.named = named

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str, int]:
        t = self.peek()
        if t is None:
            raise _Fail("end")
        self.i += 1
        return t

    def expect(self, text: str) -> None:
        t = self.take()
        if t[1] != text:
            raise _Fail(f"expected {text}")

    def parse(self) -> tuple:
        v = self.expr()
        if self.peek() is not None:
            raise _Fail("trailing")
        return v

    def expr(self) -> tuple:
        v = self.term()
        while (t := self.peek()) is not None and t[1] in ("+", "-", "−", "–"):
            self.take()
            w = self.term()
            v = ("+", v, w) if t[1] == "+" else ("-", v, w)
        return v

    def term(self) -> tuple:
        v = self.unary()
        while (t := self.peek()) is not None:
            if t[0] != "letter" and t[1] in ("*", "×", "·", "\\cdot", "\\times", "x", "\\ast", "\\cdotp"):
                self.take()
                v = ("*", v, self.unary())
            elif t[1] in ("/", "÷", "\\div"):
                self.take()
                v = ("/", v, self.unary())
            elif (
                t[0] in ("num", "blank", "letter", "open", "note", "vec")
                or t[1]
                in (
                    "\\frac",
                    "\\dfrac",
                    "\\tfrac",
                    "\\sqrt",
                    "\\pi",
                    "\\binom",
                    "\\dbinom",
                    "\\tbinom",
                    "\\log",
                    "\\ln",
                )
                or t[1][1:] in _TRIG
                or t[1][1:] in _GREEK
            ):
                v = ("*", v, self.power())  # implicit product: 2x, 3\sqrt{2}, [NUMBER](x+1)
            else:
                return v
        return v

    def unary(self) -> tuple:
        t = self.peek()
        if t is not None and t[1] in ("-", "−", "–"):
            self.take()
            return ("neg", self.unary())
        if t is not None and t[1] == "+":
            self.take()
        return self.power()

    def power(self) -> tuple:
        base = self.postfix(self.atom())
        if (t := self.peek()) is not None and t[1] == "^":
            self.take()
            nxt = self.peek()
            if nxt is not None and nxt[1] == "\\circ":
                self.take()
                return base  # degrees
            if nxt is not None and nxt[1] == "{":
                exp = self.group()
            elif nxt is not None and nxt[1] in ("-", "−", "–"):
                self.take()
                exp = ("neg", self.atom())
            else:
                exp = self.atom()
            return self.postfix(("^", base, exp))
        return base

    def postfix(self, v: tuple) -> tuple:
        while (t := self.peek()) is not None and t[1] in ("!", "%", "\\%"):
            self.take()
            v = ("fact", v) if t[1] == "!" else ("/", v, ("n", Fraction(100)))
        return v

    def group(self) -> tuple:
        t = self.take()
        close = {"{": "}", "(": ")", "[": "]"}.get(t[1])
        if close is None:
            raise _Fail("group")
        v = self.expr()
        self.expect(close)
        return v

    def atom(self) -> tuple:
        kind, text, start = self.take()
        if kind == "num":
            return ("n", Fraction(text.replace("{,}", "").replace(",", "")))
        if kind == "vec" and self.named is not None:
            return ("vec", self.named.vectors[start])
        if (
            kind == "letter"
            and self.named is not None
            and text in self.named.functions
            and (t := self.peek()) is not None
            and t[1] == "("
            and t[2] == start + len(text)
        ):
            return (
                "app",
                text,
                self.group(),
            )  # f(1), p(x): an application, expanded once definitions are known
        if kind in ("blank", "letter", "note") or text[1:] in _GREEK:
            name = self.unknown_of(kind, text, start)
            self.unknowns.add(name)
            return ("u", name)
        if kind == "open":
            self.i -= 1
            return self.group()
        if kind == "bar":  # |1 + x + yi|, \lvert x \rvert: an absolute value
            inner = self.expr()
            if self.take()[0] != "bar":
                raise _Fail("expected a closing bar")
            return ("abs", inner)
        if text == "\\pi":
            return ("c", math.pi)
        if text in ("\\frac", "\\dfrac", "\\tfrac"):
            return ("/", self._arg(), self._arg())
        if text == "\\log" and (t := self.peek()) is not None and t[1] == "_":
            self.take()  # \log_2 64: a logarithm to a base
            t = self.peek()
            if t is not None and t[0] == "num" and t[1].isdigit() and len(t[1]) > 1:
                self.toks[self.i] = ("num", t[1][0], t[2])  # \log_264: TeX's subscript is one digit
                self.toks.insert(self.i + 1, ("num", t[1][1:], t[2] + 1))
            base = self.group() if (self.peek() or ("", ""))[1] == "{" else self.atom()
            return ("/", ("log", self.power()), ("log", base))
        if text in ("\\log", "\\ln"):
            return ("log", self.power())  # \log 8, \ln(x+1)
        if text in _ROUNDING:  # \lfloor \sqrt{45} \rfloor, \left\lceil \frac{\pi}{3} \right\rceil
            inner = self.expr()
            self.expect(_ROUNDING[text][0])
            return (_ROUNDING[text][1], inner)
        if text[1:] in _TRIG:
            return self._function(text[1:])
        if text in ("\\binom", "\\dbinom", "\\tbinom"):
            return ("binom", self._arg(), self._arg())
        if text == "\\sqrt":
            degree: tuple = ("n", Fraction(2))
            if (t := self.peek()) is not None and t[1] == "[":
                self.take()
                degree = self.expr()
                self.expect("]")
            return ("^", self._arg(), ("/", ("n", Fraction(1)), degree))
        raise _Fail(f"atom {text!r}")

    def _function(self, name: str) -> tuple:
        """``\\sin x``, ``\\sin 2x``, ``\\cos^2(x+1)``, ``\\tan 30^\\circ`` (degrees made radians)."""
        exponent = None
        if (t := self.peek()) is not None and t[1] == "^":
            self.take()
            exponent = self.group() if (self.peek() or ("", ""))[1] == "{" else self.atom()
        first = self.i
        if (t := self.peek()) is not None and t[1] in ("(", "{"):
            arg = self.group()
        else:
            arg = self.power()
            while (t := self.peek()) is not None and (t[0] == "letter" or t[1][1:] in _GREEK):
                arg = ("*", arg, self.power())  # \sin 2x is sin(2x)
        if any(tok[1] == "\\circ" for tok in self.toks[first : self.i]):
            arg = ("*", arg, ("c", math.pi / 180))
        value: tuple = ("fn", name, arg)
        if self.named is not None and arg[0] == "u" and arg[1].startswith("v:"):
            value = ("u", f"v:\\{name} {arg[1][2:]}")  # \sin D: a quantity of its own to a reader
        return ("^", value, exponent) if exponent is not None else value

    def _arg(self) -> tuple:
        t = self.peek()
        if t is not None and t[0] == "num" and t[1].isdigit() and t[1] != "{":
            self.take()  # \frac12: one digit each
            digits = t[1]
            if len(digits) == 1:
                return ("n", Fraction(digits))
            if len(digits) == 2:  # both arguments in one token: split it
                self.toks[self.i - 1] = ("num", digits[0], t[2])
                self.toks.insert(self.i, ("num", digits[1], t[2] + 1))
                return ("n", Fraction(digits[0]))
            raise _Fail("frac digits")
        if t is not None and t[0] in ("blank", "letter"):
            return self.atom()
        return self.group()


# --------------------------------------------------------------------------- reading a trace


def read_equations(text: str, math_ranges: Ranges | None = None, link: bool | str = True) -> Reading:
    """Every equation ``text`` shows, with placeholders and variable letters as unknowns; with ``link``,
    sides written alike share their blanks (:func:`_linked`); with ``link="latest"``, a side or a term of a
    sum shares the blanks of the latest result written alike (:func:`_linked_latest`).

    Remembered for the last few texts (the attacks read one masked trace several times); each caller gets
    its own copy of the reading's lists and maps, so what one adds (factored identities) no other sees."""
    if math_ranges is not None:
        return _read_equations(text, math_ranges, link)
    key = (text, link)
    reading = _READINGS.get(key)
    if reading is None:
        if len(_READINGS) >= _READINGS_MAX:
            _READINGS.clear()
        reading = _READINGS[key] = _read_equations(text, None, link)
    return replace(
        reading,
        equations=list(reading.equations),
        blanks=dict(reading.blanks),
        sides=list(reading.sides),
        expanded=dict(reading.expanded),
        vectors=list(reading.vectors),
        settings=list(reading.settings),
    )


#: the readings :func:`read_equations` remembers, by text and link (a run reads one trace at a time)
_READINGS: dict[tuple[str, bool | str], Reading] = {}
_READINGS_MAX = 32


def _read_equations(text: str, math_ranges: Ranges | None, link: bool | str) -> Reading:
    """:func:`read_equations` without its memory."""
    reading = Reading()
    if "=" not in text:
        return reading
    if math_ranges is None:
        math_ranges = _math_ranges(text)
    if "(" in text and not math_ranges.starts:  # plain text (GSM8K-like): phrases that name quantities
        text = phrase_quantities(text)
    notes: dict[int, str] = {}  # note start -> the unknown its value is

    unsigned: set[str] = set()

    def unknown_of(kind: str, tok: str, start: int) -> str:
        if kind == "blank":
            name = blank_unknown(start, tok)
            reading.blanks[start] = name
            if _AFTER_BINARY_SIGN.search(text, max(0, start - 24), start):
                unsigned.add(name)
            return name
        if kind == "note":
            return notes[start]
        return f"v:{tok}"

    follows: set[int] = set()
    if "<<" in text:
        for m in _NOTE.finditer(text):
            start, tok = m.start(), m.group()
            notes[start] = name = f"note{start}"
            note_side = Side(("u", name), frozenset({name}), start, m.end())
            inner = _note_sides(text, start, tok, unknown_of, reading)
            if inner is not None:
                reading.equations.append(Equation(note_side, inner))
            after = _TOKEN.match(text, m.end())  # <<48/2=24>>24: what follows the note is its result
            if after is not None and after.lastgroup in ("num", "blank"):
                follows.add(after.start())
                follow = _side([(after.lastgroup, after.group(), after.start())], unknown_of, text)
                if follow is not None:
                    reading.equations.append(Equation(note_side, follow))
    seen: dict[str, list[str]] = {}
    latest: dict[tuple, list[str]] = {}
    results: dict[str, Side] = {}  # a left side as written -> the last side of its latest chain
    previous: list[Side | None] = []  # the sides of the latest equation read
    applied = _function_letters(text, math_ranges) if "(" in text else frozenset()
    for run in _runs(text, math_ranges, follows, in_order=bool(link)):
        if len(run) == 1 and not any(kind == "blank" for kind, _, _ in run[0]):
            previous = []  # (an expression between two equations: they are no rewriting of each other)
            continue  # an expression alone with no blank links nothing
        if applied:
            run = [_applications(piece, text, applied) for piece in run]
        sides = [_side(piece, unknown_of, text) for piece in run]
        if len(sides) == 1:  # an expression alone ("1/[N] in the morning"): written like it, a later part
            _linked_latest(sides, latest)  # stands for it ("1/[N]+1/[N]"); it is no equation
            previous = []
            continue
        if link:
            read, relinked = sides, _linked_latest(sides, latest)
            sides = relinked if link == "latest" else [_linked(s, text, seen) for s in sides]
            reading.linked = reading.linked or any(a is not b for a, b in zip(read, sides, strict=True))
            reading.relinks = reading.relinks or any(
                a is not b and (a is None or b is None or a.tree != b.tree)
                for a, b in zip(relinked, sides, strict=True)
            )
        reading.sides.extend(s for s in sides if s is not None)
        reading.equations.extend(_rewritten_as(text, previous, sides))
        previous = sides
        for a, b in zip(sides, sides[1:], strict=False):
            if a is not None and b is not None:
                reading.equations.append(Equation(a, b))
                reading.equations.extend(_aligned(a, b))
        reading.equations.extend(_chain_reach(sides))
        first, last = sides[0] if sides else None, sides[-1] if sides else None
        if len(sides) > 1 and first is not None and last is not None and first.unknowns:
            # "[EXPR] = \frac{[N]^n-1}{[N]^{n+1}}", later "[EXPR] = \frac{[N]^8-1}{[N]^9}": two results of
            # one left side written alike are one value, read term by term where a letter's expression
            # stands beside a visible number (n is 8); blanks beside blanks tell nothing there ("$[N] =
            # [N]W + [N]A" and "$[N] = [N]A + [N]A" are two amounts)
            key = re.sub(r"\s+", "", text[first.start : first.end])
            if key in results:
                reading.equations.extend(
                    eq
                    for eq in _aligned(results[key], last)
                    if not (eq.left.unknowns and eq.right.unknowns)
                    and all(u.startswith("v:") for u in eq.unknowns)
                )
            results[key] = last
    reading.unsigned = frozenset(unsigned)
    reading.equations, reading.settings = _without_local_settings(text, reading.equations)
    return reading


def _without_local_settings(text: str, equations: list[Equation]) -> tuple[list[Equation], list[Equation]]:
    """``equations`` less the settings of a letter the trace sets to different things: "Setting $y = 1,$
    we get ..." and later "Setting $x = -n$ and $y = n,$" each put a value in for a while, and read as one
    system they would make ``n`` 1. A setting is an equation the text writes (no part) with a letter alone
    on one side, in a sentence that opens with "Setting", "Set", "Putting", "Plugging in", "Substituting",
    "Taking", "Letting", "Let", "With", "When" or "If" (after "Now", "Next", "Then" ..., "we" or "If we"
    allowed) and no word but "and" before it ("Substituting this back into $r = 6c$" sets nothing); after
    "Let", only to a number or a letter ("Let $s = a + b$" defines ``s`` for the whole trace). The letter
    is set to different things when its settings' other sides differ, in value where they are numbers
    (``\\frac12`` and ``1/2`` are one), as written otherwise; a chain ``a = b = 2`` sets both letters to 2.
    A letter set once, or always alike, keeps its settings. A setting left out still holds in the rest of
    its own sentence ("If $b = 4$, then $a = 3b + 1$": there ``a`` is 13): the letter is replaced by the set
    value in the equations after it, up to the sentence's end or the letter's next setting. Returns the
    equations kept and the settings left out (each still a branch a reader follows, "If $b=2$ ...", "If
    $b=3$ ...")."""
    settings: dict[str, list[int]] = {}
    said: dict[str, set[object]] = {}
    # "a = b = 2": b = 2 goes on from a = b, and a is set to 2 too
    chained = {eq.left.start: eq for eq in equations if not eq.part}
    for i, eq in enumerate(equations):
        if eq.part:
            continue
        opener = _SETTING.match(text, _sentence_start(text, eq.start), eq.start)
        if opener is None or _WORD3.search(_SETTINGS_BETWEEN.sub(" ", text[opener.end() : eq.start])):
            continue
        if opener.group("let") and not any(
            _is_letter(a.tree) and (not b.unknowns or _is_letter(b.tree))
            for a, b in ((eq.left, eq.right), (eq.right, eq.left))
        ):
            continue  # "Let $s = a + b$": a definition, for the whole trace
        link = chained.get(eq.right.start) if _is_letter(eq.left.tree) and _is_letter(eq.right.tree) else None
        for a, b in ((eq.left, eq.right), (eq.right, eq.left)):
            if _is_letter(a.tree):
                settings.setdefault(a.tree[1], []).append(i)
                if link is None:
                    said.setdefault(a.tree[1], set()).add(_said(text, b))
                elif a is eq.left:
                    said.setdefault(a.tree[1], set()).add(_said(text, link.right))
    conflicted = {letter for letter, values in said.items() if len(values) > 1}
    if not conflicted:
        return equations, []
    dropped = {i for letter in conflicted for i in settings[letter]}
    out = list(equations)
    for i in sorted(dropped):
        eq = equations[i]
        for a, b in ((eq.left, eq.right), (eq.right, eq.left)):
            letter = a.tree[1] if _is_letter(a.tree) else None
            if letter not in conflicted or _is_letter(b.tree) or letter in b.unknowns:
                continue
            end = _sentence_end(text, eq.end)
            for j, other in enumerate(out):
                if not (eq.end <= other.start < end) or j in dropped or letter not in other.unknowns:
                    continue
                if ("u", letter) in (other.left.tree, other.right.tree):
                    break  # the letter set again ("... and setting $x = 1$ gives ..."): the setting ends
                out[j] = Equation(
                    _set_in(other.left, letter, b.tree), _set_in(other.right, letter, b.tree), other.part
                )
    return [eq for i, eq in enumerate(out) if i not in dropped], [equations[i] for i in sorted(dropped)]


def _is_letter(tree: tuple) -> bool:
    return tree[0] == "u" and tree[1].startswith("v:")


def _said(text: str, side: Side) -> object:
    """What a setting sets its letter to: a number's value, else the side as written (spaces dropped)."""
    if not side.unknowns:
        try:
            return ("value", value_key(evaluate(side.tree, {})))
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            pass
    return re.sub(r"\s+", "", text[side.start : side.end])


def _set_in(side: Side, letter: str, value: tuple) -> Side:
    if letter not in side.unknowns:
        return side
    tree = substitute(side.tree, letter, value)
    return Side(tree, tree_unknowns(tree), side.start, side.end)


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``at`` starts: after the last line break, sentence end or display math
    before it."""
    marks = ("\n", ". ", "? ", "! ", ".$ ", "\\]", "$$")
    return max(text.rfind(mark, 0, at) for mark in marks) + 1


def _sentence_end(text: str, at: int) -> int:
    """Where the sentence holding ``at`` ends: at the next line break or sentence end after it."""
    ends = [text.find(mark, at) for mark in ("\n", ". ", "? ", "! ", ".$")]
    return min((e for e in ends if e >= 0), default=len(text))


#: what opens a sentence that puts a value in for a letter for a while
_SETTING = re.compile(
    r"[\s$\]]*(?:(?:Now|Next|Then|First|Second|Third|Finally|Similarly|Also|And|So),?\s+)?"
    r"(?:(?:If|When)\s+we\s+|[Ww]e\s+)?"
    r"(?:[Ss]etting|[Ss]et|[Pp]utting|[Pp]ut|[Pp]lugging(?:\s+in)?|[Pp]lug(?:\s+in)?|[Ss]ubstitut(?:ing|e)"
    r"|[Tt]aking|[Tt]ake|(?P<let>[Ll]etting|[Ll]et)|[Ww]ith|[Ww]hen|[Ii]f)\b"
)
#: what may stand between that opening and a setting: other settings' math, "and", commas
_SETTINGS_BETWEEN = re.compile(r"\$[^$]*\$|\\\(.*?\\\)|\band\b")
_WORD3 = re.compile(r"[A-Za-z]{3,}")


#: a binary + or - right before a blank: a value, a letter or a closing bracket, then the sign (``10x + ``)
_AFTER_BINARY_SIGN = re.compile(r"[\w)\]}][ \t]*[-+][ \t]*\Z")


#: a phrase in brackets right after a coefficient, a blank or a bracket: "2(number of trucks)",
#: "[NUMBER](Pencil Price)", ".15(Number of Minutes)"
_PHRASE_FACTOR = re.compile(r"(?:\d|\]|\))[ \t]*\(([A-Za-z]+(?: [A-Za-z]+){0,4})\)")
_ARTICLE = re.compile(r"(?i)^(?:the|a|an) ")


def phrase_quantities(text: str) -> str:
    """A plain-text trace that names a quantity by a phrase used as a factor ("The number of trucks +
    2(number of trucks) = 60", then "3(number of trucks) = 60", "Number of trucks = 20 because 60 / 3"),
    with every copy of the phrase (any case, after an article or not) written as one letter padded with
    spaces to the same length, so that the equation reader takes it for a variable: offsets unchanged. A
    phrase counts when it stands as a factor at least once and is written at least twice (a one-off
    "(Jose)" or "$950 (current)" is a label, not a quantity); the letter is one the text does not use
    alone."""
    counts: dict[str, int] = {}
    for m in _PHRASE_FACTOR.finditer(text):
        key = _ARTICLE.sub("", m.group(1).lower())
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return text
    used = {m.group().lower() for m in re.finditer(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", text)}
    free = [c for c in "nmkqwzpr" if c not in used]
    out = text
    for key in sorted(counts, key=lambda k: (-len(k), k)):
        words = re.escape(key).replace(" ", " +")
        phrase = re.compile(rf"(?i)(?<![A-Za-z])(?:(?:the|a|an) )?{words}(?![A-Za-z])")
        found = list(phrase.finditer(out))
        if len(found) < 2 or not free:
            continue
        letter = free.pop(0)
        for m in reversed(found):
            out = out[: m.start()] + letter + " " * (m.end() - m.start() - 1) + out[m.end() :]
    return out


def read_expression(text: str) -> tuple | None:
    """The one expression ``text`` spells, as a tree with named quantities ``v:x``; ``None`` when it spells
    no single expression (a relation, a list, prose)."""
    eqs = read_equations(f"${text} = 0$", link=False).equations
    if len(eqs) != 1 or eqs[0].right.tree != ("n", Fraction(0)):
        return None
    return eqs[0].left.tree


#: the delimiters of a math segment, either side of its interior
_DELIMITED = re.compile(r"(\$\$|\$|\\\(|\\\[)(.*?)(\$\$|\$|\\\)|\\\])\Z", re.S)
#: the LaTeX commands an expression alone may hold, dropped before the test below
_EXPRESSION_COMMANDS = re.compile(r"\\(?:[dt]?frac|cdot|times|div|left|right|sqrt|pi)(?![a-zA-Z])")
#: what makes a segment more than one expression of visible numbers: a relation, a list, a letter or
#: word, a blank, another command
_NOT_ALONE = re.compile(r"[=<>,;:&|!\\a-zA-Z]")
#: the same where single letters may stand (``$n+1$``): a word of two letters still makes more
_NOT_ALONE_LETTERS = re.compile(r"[=<>,;:&|!\\\[]|[a-zA-Z]{2}")


def lone_expressions(text: str, letters: bool = False) -> list[tuple[tuple, int, int]]:
    """The math segments of ``text`` that hold one expression of visible numbers and nothing else (no
    relation, letter, list or blank): ``$1+2+3-(4+5+6)$`` before "This simplifies to ...", a product a
    sentence states. Each as (tree, start, end) of the expression inside its delimiters. With ``letters``,
    single letters may stand in it too (``$n+1$``; the tree names them ``v:n``), but no blank."""
    out = []
    ranges = _math_ranges(text)
    not_alone = _NOT_ALONE_LETTERS if letters else _NOT_ALONE
    for s, e in zip(ranges.starts, ranges.ends, strict=True):
        m = _DELIMITED.match(text, s, e)
        if m is None or m.end(2) - m.start(2) > 200:
            continue
        inner = m.group(2).strip().rstrip(".").rstrip()
        if not inner or not_alone.search(_EXPRESSION_COMMANDS.sub(" ", inner)):
            continue
        tree = read_expression(inner)
        if tree is not None and (letters or not tree_unknowns(tree)):
            start = text.index(inner, m.start(2))
            out.append((tree, start, start + len(inner)))
    return out


#: a computation in prose: amounts (a currency sign, thousands commas, up to three words after each allowed)
#: joined by arithmetic; a minus, a slash or an ``x`` with blanks around it (``3-4 days`` is a range,
#: ``24/7`` a phrase)
_AMOUNT = r"\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|\$?\d+(?:\.\d+)?(?!\d|[.,]\d)"
_PROSE_OP = r"[ \t]*[*×+][ \t]*\$?|[ \t]+[-–−/x][ \t]+\$?"
_PROSE_WORDS = r"(?:[ \t]+[a-z]{2,12}){0,3}+"
#: a chain of amounts, as long as it goes (each character read once): a computation when an operator joins
#: two amounts, and nothing before or after makes it part of a longer step
_PROSE_CHAIN = re.compile(
    rf"(?<![\w.,$])(?:{_AMOUNT}){_PROSE_WORDS}(?P<ops>(?:(?:{_PROSE_OP})(?P<last>{_AMOUNT}){_PROSE_WORDS})*+)"
)
#: what makes a chain part of a longer step: an operator, a relation, a bracket, a LaTeX command or a time's
#: colon before it; an operator, an inequality, a closing bracket, a percent or a power after it (a few
#: words of units between; ``4-5 years`` a range); an ``=`` after it states its value
_OPERAND_OF = re.compile(r"(?:[=<>*×+/^\-–−\](:]|\\[A-Za-z]+|(?<![A-Za-z])x)[ \t]*\$?\Z")
_OPERATOR_AFTER = re.compile(
    r"(?<![ \t])[ \t]*(?:(?<![A-Za-z])[A-Za-z]+[ \t]+){0,6}"
    r"(?:[<>*×+/^)%²³π]|\\(?:cdot|times|div|%)|[-–−x][ \t]|[-–−]\d)"
)
_PROSE_SYMBOLS = {"×": "*", "x": "*", "–": "-", "−": "-"}
_PROSE_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[*×+\-–−/]|(?<=[ \t])x(?=[ \t])")


def prose_computations(text: str) -> list[tuple[tuple, int, int]]:
    """The computations of visible numbers ``text`` writes in prose, outside math segments and calculator
    notes, whole (no operator or relation before it, no operator after it): ``4*2 to find``, ``40 eggs /
    10 eggs each week``, ``2*$15 + 8*$20``. Each as (tree, start, end), the words after the last amount
    out."""
    out = []
    ranges: Ranges | None = None
    for m in _PROSE_CHAIN.finditer(text):
        if not m.group("ops") or m.end() - m.start() > 200 or _OPERATOR_AFTER.match(text, m.end()):
            continue
        if ranges is None:
            maths = _math_ranges(text)
            notes = [n.span() for n in _NOTE.finditer(text)]
            ranges = Ranges([*zip(maths.starts, maths.ends, strict=True), *notes])
        if m.start() in ranges or _OPERAND_OF.search(text, max(0, m.start() - 8), m.start()):
            continue
        plain = " ".join(_PROSE_SYMBOLS.get(t, t).replace(",", "") for t in _PROSE_TOKEN.findall(m.group()))
        tree = read_expression(plain)
        if tree is not None and not tree_unknowns(tree):
            out.append((tree, m.start(), m.end("last")))
    return out


#: what only a sentence between two currency signs holds: two words in a row, a line break, a note
_CURRENCY_GAP = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}+[ \t]++[A-Za-z]{2}|\n|<<")
#: a price right after a "closing" ``$``: the sign opens an amount, it closes no formula
_PRICE = re.compile(r"<<|\[[A-Z]|\.?\d")


def _math_ranges(text: str) -> Ranges:
    """The math segments of ``text`` (``$...$``, ``\\(...\\)``, environments). In a text without a
    backslash, ``$`` is a currency sign as soon as one ``$...$`` pair holds prose, a line break or a
    calculator note, or its closing ``$`` is followed by an amount (``$1000 * 15% = $<<...>>150``,
    ``$1000 - $150 discount + $100 shipping = $[N]``): no segment at all then, so unit words after a price
    are read as prose units, not as letters of a formula."""
    if "\\" not in text and "$" not in text:
        return Ranges([])
    spans = [m.span() for m in _MATH_SEGMENT.finditer(text)]
    if "\\" not in text and any(
        text[s] == "$" and (_CURRENCY_GAP.search(text, s + 1, e - 1) or _PRICE.match(text, e))
        for s, e in spans
    ):
        return Ranges([])
    return Ranges(spans)


#: a letter applied to an argument in parentheses (``f(\\sqrt{45})``, ``f\\left(\\frac{\\pi}{3}\\right)``)
_APPLIED = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?:\\left)?\(")
_LONE_LETTER = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?![A-Za-z])")


def _function_letters(text: str, math_ranges: Ranges) -> frozenset[str]:
    """The letters the trace's math writes only as functions, applied to at least two arguments
    (``f(\\sqrt{45})``, ``f(8^{2/3})`` and nowhere a bare ``f``): ``f(...)`` is a value of its own to a
    reader, never ``f`` times the argument (``x(x+1)`` beside ``2x`` stays a product)."""
    if not math_ranges.starts:
        return frozenset()  # no math segment (GSM8K prose): no letter is read, skip the scan of every letter
    args: dict[str, set[str]] = {}
    bare: set[str] = set()
    for m in _LONE_LETTER.finditer(text):
        if m.start() not in math_ranges:
            continue
        applied = _APPLIED.match(text, m.start())
        if applied is None:
            bare.add(m.group(1))
        else:
            args.setdefault(m.group(1), set()).add(text[applied.end() : applied.end() + 16])
    return frozenset(c for c, a in args.items() if len(a) >= 2 and c not in bare)


def _applications(
    piece: list[tuple[str, str, int]], text: str, functions: frozenset[str]
) -> list[tuple[str, str, int]]:
    """``piece`` with each application of a function letter (the letter, ``\\left`` and the parenthesised
    argument) one ``letter`` token whose text is the application as written, spaces out: the same
    application is the same unknown."""
    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(piece):
        kind, tok, start = piece[i]
        j = i + 1
        if kind == "letter" and tok in functions:
            if j < len(piece) and piece[j][1] == "\\left":
                j += 1
            if j < len(piece) and piece[j][1] == "(":
                depth = 0
                for k in range(j, len(piece)):
                    depth += {"(": 1, ")": -1}.get(piece[k][1], 0)
                    if depth == 0:
                        end = piece[k][2] + 1
                        out.append(("letter", re.sub(r"\s+|\\left|\\right", "", text[start:end]), start))
                        i = k + 1
                        break
                else:
                    out.append(piece[i])
                    i += 1
                continue
        out.append(piece[i])
        i += 1
    return out


#: the words between two equations that say the second writes the first's expression another way
_REWRITTEN_AS = re.compile(
    r"(?:factor(?:s|ed)?|expand(?:s|ed)?)(?:\s+(?:it|this|that))?\s+(?:as|into|to)\b"
    r"|(?:factoring|expanding)(?:\s+(?:it|this|that))?,?\s+(?:gives|yields|we\s+get)\b",
    re.I,
)


def _rewritten_as(text: str, before: list[Side | None], sides: list[Side | None]) -> list[Equation]:
    """``z^5 - 1 = 0,`` which factors as ``(z - [N])(z^4 + z^3 + z^2 + z + [N]) = 0``: the two left sides are
    one expression written two ways (an identity a reader matches coefficients in). Read for two equations
    of two sides each, the words right between them, and left sides that name a variable."""
    if len(before) != 2 or len(sides) != 2 or None in before or None in sides:
        return []
    (a, r), (b, q) = before, sides
    assert a is not None and r is not None and b is not None and q is not None
    gap = text[r.end : b.start]
    if len(gap) > 60 or "=" in gap or _REWRITTEN_AS.search(gap) is None:
        return []
    if not any(u.startswith("v:") for u in a.unknowns) or not any(u.startswith("v:") for u in b.unknowns):
        return []
    if not any(not u.startswith("v:") for u in a.unknowns | b.unknowns):
        return []  # no blank: a true identity fixes nothing (and would take a letter for a value)
    # the right sides one value: equal as written, or one a blank beside the other's 0 ("= [N], which
    # expands as z^5 + [N] = 0"); "(x - 1)^2 = 2x. Expanding gives x^2 - 4x + 1 = 0" moved terms across
    zero = ("n", Fraction(0))
    ends = (r.tree, q.tree)
    if r.tree != q.tree and not all(t == zero or _is_blank(t) for t in ends):
        return []
    return [Equation(a, b)]


def _is_blank(tree: tuple) -> bool:
    return tree[0] == "u" and not tree[1].startswith("v:")


def _chain_reach(sides: list[Side | None], named: bool = False) -> list[Equation]:
    """A chain ``a = b = c`` whose side ``a`` a reader computes from what it shows is ``a`` equal to every
    later side, not only to the next one: ``3^2 + 11^2 = [N]^2 + 9^2 = [N]`` gives the last blank 130 even
    though the middle side's blank (a square root) is two values. Read with ``named`` quantities, a side
    that is a value is equal to every other side too, earlier ones included: ``x = \\frac{xyz}{yz} = 4``
    gives ``x`` 4 though the middle side needs ``x`` itself. A chain of named quantities (a letter on every
    side) is its first side equal to every later one: ``a = b = \\frac{c}{[N]} = \\frac{d}{4}`` gives ``a =
    \\frac{d}{4}``, linear where the link through the blank is not."""
    for i, a in enumerate(sides):
        if a is not None and not a.unknowns and (named or a.tree[0] not in ("n", "c")):
            later = [(j, b) for j, b in enumerate(sides) if j > i + 1 or (named and j < i - 1)]
            return [Equation(a, b) for _, b in later if b is not None and b.unknowns]
    first = sides[0] if sides else None
    if first is None or any(s is None or not any(u.startswith("v:") for u in s.unknowns) for s in sides):
        return []
    return [Equation(first, b) for b in sides[2:] if b is not None]


def _aligned(a: Side, b: Side) -> list[Equation]:
    """Two sides written alike term by term are read term by term: ``\\sqrt{([N] - (-4))^2 + ((-6) - 3)^2}
    = \\sqrt{6^2 + ([N])^2}`` says ``[N] - (-4)`` is 6 and ``(-6) - 3`` the second blank, and ``\\sqrt{6^2 +
    ([N])^2} = \\sqrt{[N] + [N]}`` that the blanks are the squares. Below the same operation with the same
    number of operands the operands pair up; a pair of two different operations (or a blank) is an equation
    a reader takes when it has a blank (a bare blank beside a bare number, a log's base, tells nothing the
    text does not show). None when a pair without a blank differs (the sides are not written alike: ``2 + 3
    = 1 + 4``, ``\\frac{c}{[N]} = \\frac{d}{4}``). Each equation stands where its sides' equation stands."""
    pairs: list[tuple[tuple, tuple]] = []

    def walk(x: tuple, y: tuple) -> bool:
        same = x[0] == y[0] and len(x) == len(y) and x[0] not in ("n", "c", "u", "vec")
        if same and all(isinstance(p, tuple) == isinstance(q, tuple) for p, q in zip(x, y, strict=True)):
            if any(p != q for p, q in zip(x[1:], y[1:], strict=True) if not isinstance(p, tuple)):
                return False  # a different function (sin, cos), a different root
            return all(walk(p, q) for p, q in zip(x[1:], y[1:], strict=True) if isinstance(p, tuple))
        if x == y:
            return True
        ux, uy = tree_unknowns(x), tree_unknowns(y)
        if not ux and not uy:
            try:
                return values_equal(evaluate(x, {}), evaluate(y, {}))
            except Undefined:
                return False
        if all(u.startswith("v:") for u in ux | uy) and (
            ux
            and uy
            or not _put_in(*((x, y) if ux else (y, x)))
            # a value put in a letter's place leaves no copy of the letter on its side: in ``2*x*2 =
            # [N]*x``, the second 2 is no x
            or (ux or uy) & tree_unknowns(b.tree if ux else a.tree)
        ):
            # ``\\frac{c}{[N]} = \\frac{d}{4}``: c is no d; ``(16+4x)(12-x) = (16+x)(12)``: 12 - x is no
            # 12, the sides are not written alike. A letter's power or multiple (plus a number) beside a
            # number is a value put in its place: ``(z^5)^{17}`` beside ``(-1)^{17}``, ``2^{n+1}`` beside
            # ``2^9``
            return False
        if {x[0], y[0]} != {"u", "n"}:  # a blank beside a visible number (a log's base): nothing new
            pairs.append((x, y))
        return True

    def alike(x: tuple, y: tuple) -> bool:
        return x[0] == y[0] and x[0] not in ("n", "c", "u") and walk(x, y)

    if not alike(a.tree, b.tree):  # as written; else with the minus signs out of every quotient, once
        pairs.clear()
        x, y = _signs_out(a.tree), _signs_out(b.tree)
        if (x, y) == (a.tree, b.tree) or not alike(x, y):
            return []
    return [
        Equation(Side(x, tree_unknowns(x), a.start, a.end), Side(y, tree_unknowns(y), b.start, b.end), True)
        for x, y in pairs
        if (x, y) != (a.tree, b.tree)
    ]


def _signs_out(t: tuple) -> tuple:
    """``t`` with :func:`_sign_out` applied to every quotient in it, innermost first."""
    if t[0] in ("n", "c", "u") or not any(isinstance(p, tuple) for p in t[1:]):
        return t
    return _sign_out(tuple(_signs_out(p) if isinstance(p, tuple) else p for p in t))


def _sign_out(t: tuple) -> tuple:
    """A quotient with a negated numerator or denominator as the negated quotient: ``\\frac{[N]}{-3}`` and
    ``\\frac{-[N]}{3}`` are ``-\\frac{[N]}{3}``, so that a sign moved across the bar (``\\frac{[N]}{-3}``,
    then ``\\frac{[N]}{3}``) still reads term by term; both negated, neither is."""
    if t[0] != "/" or len(t) != 3:
        return t
    (top_minus, top), (bottom_minus, bottom) = _minus(t[1]), _minus(t[2])
    quotient = ("/", top, bottom)
    return ("neg", quotient) if top_minus != bottom_minus else quotient


def _minus(t: tuple) -> tuple[bool, tuple]:
    """Is ``t`` negated (``-x``, a negative number), and what is negated."""
    if t[0] == "neg":
        return True, t[1]
    if t[0] == "n" and isinstance(t[1], Fraction) and t[1] < 0:
        return True, ("n", -t[1])
    return False, t


def _put_in(letters: tuple, number: tuple) -> bool:
    """Whether a reader takes ``number`` for the value of ``letters`` written in its place: a monomial
    (``z^5``, ``2x``), or one plus a number other than ``number`` (``n + 1`` beside 9, never ``12 - x``
    beside 12)."""
    if _monomial(letters):
        return True
    if letters[0] not in ("+", "-"):
        return False
    a, b = letters[1], letters[2]
    term = b if b[0] == "n" else a if a[0] == "n" else None
    other = a if term is b else b
    return term is not None and _monomial(other) and number != term


def _monomial(tree: tuple) -> bool:
    """A letter, or a product or power of letters and numbers (``z^5``, ``2x``): no sum."""
    if tree[0] in ("u", "n", "c"):
        return True
    return tree[0] in ("*", "^", "neg") and all(_monomial(t) for t in tree[1:] if isinstance(t, tuple))


def _linked(side: Side | None, text: str, seen: dict[str, list[str]]) -> Side | None:
    """A reader takes two sides written alike (``b-[NUMBER]`` twice) for the same expression: their typed
    blanks become the same unknowns, in order."""
    if side is None:
        return None
    typed = sorted((u for u in side.unknowns if u.startswith("u")), key=lambda u: int(u[1:]))
    if not typed or side.tree[0] == "u":
        return side  # a bare blank is any hidden value: nothing links it to another
    key = "".join(text[side.start : side.end].split())
    first = seen.setdefault(key, typed)
    if first is typed or len(first) != len(typed):
        return side
    return _renamed(side, dict(zip(typed, first, strict=True)))


def _renamed(side: Side, names: dict[str, str]) -> Side:
    return Side(
        _rename(side.tree, names), frozenset(names.get(u, u) for u in side.unknowns), side.start, side.end
    )


def _linked_latest(sides: list[Side | None], latest: dict[tuple, list[str]]) -> list[Side | None]:
    """The sides of one chain as a reader who follows a worked solution links them: the chain's result (its
    last side) is a value of its own and the latest of its shape (``x+2*x+[N]*x=[N]*x`` makes ``[N]*x``
    the 7x it computes); every other side, or a part of one (a term of a sum, a numerator), written like a
    latest result stands for it (``[N]*x=35`` is that 7x; the ``[N]*x`` inside the sum is the 4x of
    ``2*x*2=[N]*x``). Shapes are trees with typed blanks as one mark, so a bare blank links to nothing."""
    out: list[Side | None] = []
    for i, side in enumerate(sides):
        if side is None or side.tree[0] == "u" or not (typed := _typed_blanks(side.tree)):
            out.append(side)
            continue
        key = _shape(side.tree)
        if i == len(sides) - 1 and i > 0:
            latest[key] = typed
            out.append(side)
            continue
        names: dict[str, str] = {}
        if latest:
            _link_parts(side.tree, latest, names)
        if not names:
            latest.setdefault(key, typed)
        out.append(_renamed(side, names) if names else side)
    return out


def _typed_blanks(tree: tuple) -> list[str]:
    """The typed blanks of ``tree`` (``u<start>``), left to right."""
    if tree[0] == "u":
        return [tree[1]] if tree[1].startswith("u") else []
    return [u for t in tree[1:] if isinstance(t, tuple) for u in _typed_blanks(t)]


def _shape(tree: tuple) -> tuple:
    """``tree`` with each typed blank written as one mark: how it reads, whichever values it hides."""
    if tree[0] == "u":
        return ("u", "?") if tree[1].startswith("u") else tree
    return tuple(_shape(t) if isinstance(t, tuple) else t for t in tree)


def _link_parts(tree: tuple, latest: dict[tuple, list[str]], names: dict[str, str]) -> None:
    """Into ``names``, the typed blanks of each largest part of ``tree`` written like a latest result (the
    whole side, a term of a sum, a fraction's numerator), renamed as that result's."""
    typed = _typed_blanks(tree)
    if tree[0] == "u" or not typed or any(u in names for u in typed):
        return
    theirs = latest.get(_shape(tree))
    if theirs is not None:
        names.update(zip(typed, theirs, strict=True))
        return
    if tree[0] in ("+", "-"):
        # a run of a sum's terms written like a result: ``x+3x+20+[N]x`` after ``20+[N]x``,
        # ``x+4x-7+[N]x-[N]`` after ``[N]x-[N]`` (a run that starts with a subtraction is no result's); a
        # longer sum only term by term (its runs are quadratic in it), and never down its left spine
        terms = sum_terms(tree)
        width = len(terms) if len(terms) <= _MAX_RUN_TERMS else 0
        runs = sorted(((i, j) for i in range(width) for j in range(i + 2, width + 1)), key=_wider)
        for i, j in runs:
            if i and terms[i][0] == "-":
                continue
            run = reduce(lambda a, b: (b[0], a, b[1]), terms[i + 1 : j], terms[i][1])
            typed = _typed_blanks(run)
            if typed and not any(u in names for u in typed) and (theirs := latest.get(_shape(run))):
                names.update(zip(typed, theirs, strict=True))
        tree = ("+", *(t for _, t in terms))
    for t in tree[1:]:
        if isinstance(t, tuple):
            _link_parts(t, latest, names)


#: the most terms a sum may have for its runs of terms to be read against results (quadratic in it)
_MAX_RUN_TERMS = 12


def sum_terms(tree: tuple) -> list[tuple[str, tuple]]:
    """The terms of a sum, left to right, each with the operation before it (``x+4x-7``: ``+ x``, ``+
    4x``, ``- 7``)."""
    if tree[0] in ("+", "-"):
        return [*sum_terms(tree[1]), (tree[0], tree[2])]
    return [("+", tree)]


def product_factors(tree: tuple) -> list[tuple]:
    """The factors of a product, nested products flattened (``(x - 1)(x + 1)(x^2 + 1)``: three)."""
    if tree[0] == "*":
        return [t for part in tree[1:] for t in product_factors(part)]
    return [tree]


def _wider(ij: tuple[int, int]) -> tuple[int, int]:
    return (ij[0] - ij[1], ij[0])


def _rename(tree: tuple, names: dict[str, str]) -> tuple:
    if tree[0] == "u":
        return ("u", names.get(tree[1], tree[1]))
    return (tree[0], *(_rename(t, names) if isinstance(t, tuple) else t for t in tree[1:]))


def _note_sides(text: str, start: int, tok: str, unknown_of, reading: Reading) -> Side | None:
    """The chain inside a calculator note; returns the side its value is (the last one)."""
    inner_start = start + 2
    parts = [_side_at(key, [inner_start + k for k in at], unknown_of) for key, at in _note_chunks(tok)]
    for a, b in zip(parts, parts[1:], strict=False):
        if a is not None and b is not None:
            reading.equations.append(Equation(a, b))
    return parts[-1] if parts else None


@lru_cache(maxsize=4096)
def _note_chunks(tok: str) -> tuple[tuple[tuple[tuple[str, str], ...], tuple[int, ...]], ...]:
    """The tokens of each ``=``-separated chunk of a calculator note: their kinds and texts, and where each
    stands from the note's body (the same note reads the same wherever it stands)."""
    body = tok[2:-2]
    out = []
    pos = 0
    for chunk in body.split("="):
        toks = _plain_times(
            [
                (m.lastgroup or "", m.group(), pos + m.start())
                for m in _TOKEN.finditer(chunk)
                if m.lastgroup not in ("space",)
            ]
        )
        out.append((tuple([(t[0], t[1]) for t in toks]), tuple([t[2] for t in toks])))
        pos += len(chunk) + 1
    return tuple(out)


def _plain_times(toks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """GSM8K writes ``12 x 2``: an ``x`` between two values is a multiplication sign, and so is a spaced
    ``x`` before a capital letter the trace names a quantity by (``3 x Y = 15 x 8``)."""
    out = []
    for i, t in enumerate(toks):
        if t[0] == "letter" and t[1] in "xX" and 0 < i < len(toks) - 1:
            prev, nxt = toks[i - 1], toks[i + 1]
            spaced = prev[2] + len(prev[1]) < t[2] and nxt[2] > t[2] + 1
            named = nxt[0] == "letter" and nxt[1].isupper() and len(nxt[1]) == 1 and spaced
            if prev[0] in ("num", "blank", "close", "pct") and (nxt[0] in ("num", "blank", "open") or named):
                out.append(("op", "x", t[2]))
                continue
        out.append(t)
    return out


def _side(
    toks: list[tuple[str, str, int]], unknown_of, text: str, named: _Named | None = None
) -> Side | None:
    """The expression ``toks`` spell as a side, or ``None`` when they spell none."""
    if named is None:
        return _side_at(tuple([(t[0], t[1]) for t in toks]), [t[2] for t in toks], unknown_of)
    # a reader of named quantities parses against what it knows so far (functions, vectors): never remembered
    toks = [t for t in toks if not (t[0] == "cmd" and t[1][1:] in _SPACING)]
    while toks and toks[-1][0] in ("dot", "sep"):
        toks.pop()
    while toks and toks[0][0] in ("sep",):
        toks.pop(0)
    if not toks or len(toks) > _MAX_TOKENS:
        return None
    if not any(_is_operand(t[0], t[1]) for t in toks):
        return None
    p = _Parser(list(toks), unknown_of, named)
    try:
        tree = p.parse()
    except (_Fail, ValueError, ZeroDivisionError, RecursionError):
        return None
    return Side(tree, tree_unknowns(tree), toks[0][2], toks[-1][2] + len(toks[-1][1]))


def _side_at(key: tuple[tuple[str, str], ...], starts: list[int], unknown_of) -> Side | None:
    """The side spelled by the tokens of kinds and texts ``key`` standing at ``starts``.

    Parsing depends on the tokens' kinds and texts alone, never on where they stand: the parse is
    remembered by them (:class:`_Template`), and a repeat (the same step in words and in its calculator
    note, the same line in the next repair round, ``24`` in the next row) only names its unknowns, asking
    ``unknown_of`` for the same tokens in the same order as the parse would."""
    template = _TEMPLATES.get(key)
    if template is None:
        template = _template(key)
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        _TEMPLATES[key] = template
    names = [unknown_of(key[k][0], key[k][1], starts[k]) for k in template.calls]
    if template.tree is None:
        return None
    tree = _named(template.tree, names) if names else template.tree
    last = template.last
    return Side(tree, frozenset(names), starts[template.first], starts[last] + len(key[last][1]))


@dataclass(frozen=True, slots=True)
class _Template:
    """A side's parse with its unknowns left unnamed: ``("u", k)`` is the unknown of the ``k``-th call the
    parse made to ``unknown_of``, on token ``calls[k]`` (an index into the side's tokens); ``tree`` is
    ``None`` when the tokens spell no side (the calls made before the parse failed still count: they
    record the blanks); ``first`` and ``last`` are the tokens the side spans."""

    tree: tuple | None
    calls: tuple[int, ...]
    first: int = 0
    last: int = 0


_TEMPLATES: dict[tuple[tuple[str, str], ...], _Template] = {}
_MAX_TEMPLATES = 50_000


def _is_operand(kind: str, tok: str) -> bool:
    """A token a side needs one of: a number, a blank, a letter (``x``, ``\\theta``), ``\\pi``."""
    return kind in ("num", "blank", "letter", "note", "vec") or tok == "\\pi" or tok[1:] in _GREEK


def _template(key: tuple[tuple[str, str], ...]) -> _Template:
    kept = [k for k, t in enumerate(key) if not (t[0] == "cmd" and t[1][1:] in _SPACING)]
    while kept and key[kept[-1]][0] in ("dot", "sep"):
        kept.pop()
    while kept and key[kept[0]][0] in ("sep",):
        kept.pop(0)
    if not kept or len(kept) > _MAX_TOKENS:
        return _Template(None, ())
    if not any(_is_operand(*key[k]) for k in kept):
        return _Template(None, ())
    calls: list[int] = []

    def unnamed(kind: str, tok: str, start: int) -> int:
        calls.append(start)  # the parser's own tokens carry the index of the side's token as start
        return len(calls) - 1

    p = _Parser([(key[k][0], key[k][1], k) for k in kept], unnamed)
    try:
        tree = p.parse()
    except (_Fail, ValueError, ZeroDivisionError, RecursionError):
        return _Template(None, tuple(calls))
    return _Template(tree, tuple(calls), kept[0], kept[-1])


def _named(tree: tuple, names: list[str]) -> tuple:
    """A template's tree with its unknowns named."""
    op = tree[0]
    if op == "u":
        return ("u", names[tree[1]])
    if op == "n" or op == "c":
        return tree
    return (op, *[_named(t, names) if isinstance(t, tuple) else t for t in tree[1:]])


def _runs(
    text: str,
    math_ranges: Ranges,
    skip: set[int],
    named: _Named | None = None,
    singles: list[list[tuple[str, str, int]]] | None = None,
    in_order: bool = False,
) -> list[list[list[tuple[str, str, int]]]]:
    """Cut the text into runs of expression tokens; each run is split at ``=`` into pieces (a run of one
    piece, an expression before ``\\ge`` or a comma, goes to ``singles`` when given, or stays among the
    runs, in the text's order, with ``in_order``)."""
    runs: list[list[list[tuple[str, str, int]]]] = []
    run: list[list[tuple[str, str, int]]] = [[]]

    def close_run() -> None:
        if len(run) > 1 and _dangling_minus(text, run[0], math_ranges):
            del run[0]  # the first side's first operand is in the prose before it
        if len(run) > 1 or in_order and run[0]:
            runs.append([_plain_times(p) for p in run])
        elif singles is not None and run[0]:
            singles.append(_plain_times(run[0]))
        run.clear()
        run.append([])

    previous_end = -1
    for line_start, n in _lines_with_equals(text):
        if line_start > previous_end + 1 or not _CONTINUES_CHAIN.match(text, line_start):
            close_run()  # a line break ends a run, unless the next line goes on with "&=" (align)
        _scan_line(text, line_start, n, math_ranges, skip, run, close_run, named)
        previous_end = n
    close_run()
    return runs


#: after a number in prose, the rest of it when a comma stands before four digits or more ("13,2000"; a
#: list "2,3" and a decimal comma "1,50" are not read as one)
_MISGROUPED = re.compile(r",\d{4,}(?:,\d+)*(?:\.\d+)?")


#: a value and the words of its unit, up to a dash: "[N]kg in items –", "380 pounds of food -" (no word
#: that starts a clause: "On day 2 the temperature was - 5 + 3" writes a negative value)
_VALUE_AND_WORDS = re.compile(
    r"(?:\d|\[[A-Z]+(?:_\d+)?\])[A-Za-z]*"
    r"(?:[ \t]+(?!(?:the|a|an|was|were|is|are|be|and|so|then|that|which|it|he|she|they|we)\b)"
    r"[A-Za-z]{1,14}){1,4}"
    r"[ \t]*\Z",
    re.I,
)


def _dangling_minus(text: str, piece: list[tuple[str, str, int]], math_ranges: Ranges) -> bool:
    """Does ``piece`` start with a subtraction whose first operand is written in prose before it, a value
    and its unit words ("[N]kg in items – 300kg weight limit = ...")? A dash in plain text with a space
    after it; it is no negative value there ("Therefore - 3 Losses = -90" is one)."""
    if not piece or piece[0][0] != "op" or piece[0][1] not in "-–−" or piece[0][2] in math_ranges:
        return False
    at = piece[0][2]
    line = text.rfind("\n", 0, at) + 1
    return text[at + 1 : at + 2] in (" ", "\t") and _VALUE_AND_WORDS.search(text, line, at) is not None


_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
#: spaces and words of prose, as :data:`_TOKEN` reads them (its ``space`` and ``word`` tokens)
_PROSE_RUN = re.compile(r"(?:[ \t\r\xa0]+[A-Za-z]{2,})+")
_CONTINUES_CHAIN = re.compile(r"[ \t]*(?:&[ \t]*)?(?:=|\\approx(?![a-zA-Z]))")


def _lines_with_equals(text: str) -> list[tuple[int, int]]:
    """The lines that hold an ``=``: no other line can show an equation (runs end at line breaks)."""
    out = []
    pos = 0
    while (eq := text.find("=", pos)) >= 0:
        start = text.rfind("\n", 0, eq) + 1
        before = text.rfind("\n", 0, max(start - 1, 0)) + 1
        if (
            start > pos
            and before >= pos
            and _CONTINUES_CHAIN.match(text, start)
            and text[before : start - 1].rstrip().endswith("\\\\")
        ):
            start = before  # "&\ge B \\ &= C": the line above holds the left side of "= C"
        end = text.find("\n", eq)
        end = len(text) if end < 0 else end
        while (
            end < len(text)
            and (
                text[start:end].rstrip().endswith("=")  # "... =" at a line's end: the right side comes next
                or (text[start:end].rstrip().endswith("\\\\") and _CONTINUES_CHAIN.match(text, end + 1))
            )
        ):
            nxt = text.find("\n", end + 1)
            end = len(text) if nxt < 0 else nxt
        out.append((start, end))
        pos = end + 1
    return out


#: what may stand right before an absolute value's opening bar: an operator, a relation, an opening, a
#: segment's or a line's start (not a value: ``3 | 12`` is "divides")
_BEFORE_BAR = re.compile(
    r"(?:[-+*/=<>(\[{}&,^$\n]|\\(?:left|cdot|times|le|ge|lfloor|lceil|ln|sqrt|sin|cos|tan|log)|_\d|\\\(|\\\[)\s*$"
)
#: what an absolute value never holds: a relation, a line's end, an alignment, a set-builder's condition
_NOT_IN_BARS = re.compile(r"[=<>&\n]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|in|mid)(?![a-zA-Z])|\\\\")
#: the most characters between an absolute value's bars
_MAX_BARRED = 160


def _absolute_bars(text: str, pos: int, n: int, math_ranges: Ranges) -> frozenset[int]:
    """Where the bars of absolute values stand in ``text[pos:n]`` (``|1 + x| + |y|``): pairs in a math
    segment, in order, the opening one after an operator, a relation, an opening or the segment's start,
    the two around an expression with no relation; a bar of ``\\|`` (a norm), of "divides" (``3 | 12``),
    of a set-builder (``\\{x | x > 0\\}``) or without its pair is none (it separates, as before)."""
    found: list[int] = []
    at = text.find("|", pos, n)
    while at >= 0:
        close = text.find("|", at + 1, min(n, at + 1 + _MAX_BARRED))
        if close < 0:  # no pair near: this bar separates, a later one may still open a pair
            at = text.find("|", at + 1, n)
            continue
        inner = text[at + 1 : close]
        if (
            at in math_ranges
            and text[close - 1 : close] != "\\"  # (an opening ``\\|`` has no operator before its bar)
            and inner.strip()
            and not _NOT_IN_BARS.search(inner)
            and _BEFORE_BAR.search(text, max(0, at - 8), at)
        ):
            found += (at, close)
            at = text.find("|", close + 1, n)
        else:
            at = close
    return frozenset(found)


def _scan_line(
    text: str,
    pos: int,
    n: int,
    math_ranges: Ranges,
    skip: set[int],
    run: list[list[tuple[str, str, int]]],
    close_run: Callable[[], None],
    named: _Named | None = None,
) -> None:
    """Tokens of ``text[pos:n]`` into ``run`` (its pieces); ``close_run`` where prose ends the run. With
    ``named``, a segment's name (``DF``) is one unknown and a column vector one token."""
    bars = _absolute_bars(text, pos, n, math_ranges) if text.find("|", pos, n) >= 0 else frozenset()
    while pos < n:
        m = _SPACED_TOKEN.match(text, pos, n)  # spaces end no run and join no piece: read past them
        assert m is not None
        kind = m.lastgroup or "other"
        tok = m.group(kind)
        start = m.start(kind)
        pos = m.end()
        if start in skip:
            continue
        if kind == "nl" and (not run[-1] or _CONTINUES_CHAIN.match(text, pos)):
            continue  # the chain goes on on the next line
        if kind == "space" or tok == "&" or (tok == "\\\\" and _LINE_END.match(text, pos)):
            continue  # align's "\\\\" before a line break: the next line decides
        if tok == "\\\\" and _CONTINUES_CHAIN.match(text, pos):
            continue  # "\\\\ &= ..." on one line: the chain goes on
        if kind == "cmd" and tok in ("\\text", "\\mathrm", "\\mbox", "\\textbf", "\\operatorname"):
            brace = text.find("{", pos, pos + 3)
            close = match_brace(text, brace) if brace >= 0 else -1
            if close > 0:
                inner = text[brace + 1 : close].strip()
                pos = close + 1
                if inner and any(c.isalpha() for c in inner) and not _is_unit(inner):
                    close_run()
                continue
            close_run()
            continue
        if kind == "eq":
            run.append([])
            continue
        if start in bars or tok in ("\\lvert", "\\rvert"):
            run[-1].append(("bar", tok, start))  # |1 + x|, \lvert x \rvert: an absolute value's bar
            continue
        if tok == "\\pm" and len(run) > 1 and not run[-1]:
            continue  # "x - 2 = \\pm 16^{3/2}": the reader takes the root with a plus first
        if kind == "num" and start not in math_ranges and (bad := _MISGROUPED.match(text, pos)) is not None:
            close_run()  # "13,2000 / 60": a number with its commas misplaced reads as no value
            pos = bad.end()
            continue
        if kind in ("note", "blank", "num", "op", "open", "close", "pct"):
            run[-1].append((kind, tok, start))
            continue
        if kind == "cmd" and named is not None and tok == "\\begin":
            vec = _vector(text, start, pos, n, named)
            if vec is not None:
                run[-1].append(("vec", "\\vec", start))
                pos = vec
                continue
        if kind == "cmd" and tok in _CANCELS:
            if tok == "\\cancelto" and text.startswith("{", pos):  # \cancelto{2}{8}: the 8 the step shows
                pos = max(pos, match_brace(text, pos) + 1)
            continue  # \cancel{5}: the 5 stands in the product, struck through
        if kind == "cmd" and tok in ("\\boxed", "\\fbox") and text.startswith("{", pos):
            continue  # "= \\boxed{[EXPR]}": the box is the step's result, its braces a group
        if kind == "cmd" and named is not None and tok == "\\angle":
            angle = _ANGLE_NAME.match(text, pos, n)
            if angle is not None:  # \angle ADC: one quantity, as a segment's name is
                run[-1].append(("letter", "angle " + _one_way(angle.group(1), named), start))
                pos = angle.end()
                continue
        if kind == "cmd":
            name = tok[1:]
            if name in _EXPR_COMMANDS or tok in ("\\%",):
                run[-1].append(("op" if tok == "\\%" else "cmd", tok if tok != "\\%" else "%", start))
                continue
            close_run()
            if text.startswith("{", pos):  # \overline{a}, \sin{x}: its argument goes with it
                close = match_brace(text, pos)
                if close > 0:
                    pos = close + 1
            continue
        if named is not None and kind == "word" and start in math_ranges and tok.isupper() and len(tok) <= 3:
            run[-1].append(("letter", _one_way(tok, named), start))  # DF, AB: a segment is one quantity
            continue
        if (
            named is not None
            and kind == "word"
            and start in math_ranges
            and len(tok) <= 4
            and tok.lower() not in _NOT_PRODUCTS
            and text[pos - 2 : pos - 1] != "\\"
        ):
            # $na_1$, $\frac{1}{3}Bh$: letters of a product; the last one takes a subscript
            last = pos - 1 if text.startswith("_", pos) else pos
            run[-1].extend(("letter", c, start + k) for k, c in enumerate(text[start:last]))
            pos = last
            continue
        if (
            kind == "word"
            and start in math_ranges
            and len(tok) <= 4
            and tok.lower() not in _NOT_PRODUCTS
            and _letters_product(text, start, pos)
        ):
            run[-1].extend(("letter", c, start + k) for k, c in enumerate(tok))  # $ab + 5b$: a times b
            continue
        if (
            kind == "word"
            and start not in math_ranges
            and (bridge := _unit_bridge(text, start, run, math_ranges))
        ):
            pos = bridge  # "$50$ mph $\\times 2$ hours $= [N]$": the units between segments end no step
            continue
        if kind == "word" and start not in math_ranges and (units := _prose_units(text, start, run[-1])) > 0:
            pos = units  # "12 floors/building x 2 buildings = [N]": a value's unit words end no step
            continue
        if kind == "word":
            close_run()
            if start not in math_ranges:
                # a word of prose ends the run; the words and spaces after it, up to the next math segment,
                # end nothing more: step over them at once
                prose = _PROSE_RUN.match(text, pos, n)
                if prose is not None and prose.end() <= math_ranges.next_start(start):
                    pos = prose.end()
            continue
        if kind == "letter":
            if text[start - 1 : start] in ("'", "\u2019") or _ARTICLE.match(text, start):
                close_run()  # "that's", "[NUMBER] a week": prose, even between a GSM8K trace's currency "$"s
                continue
            if start not in math_ranges and (units := _prose_units(text, start, run[-1])) > 0:
                pos = units  # "[N] g + 200 g = ...": a unit symbol after a value, no variable
                continue
            if tok in "xX" or start in math_ranges or _variable_in_prose(text, start, pos):
                run[-1].append((kind, tok, start))
                continue
            close_run()
            continue
        if kind == "dot":
            if start in math_ranges:
                run[-1].append(("sep", tok, start))
                continue
            close_run()
            continue
        if named is not None and tok == "$" and start in math_ranges and start + 1 not in math_ranges:
            close_run()  # "$D=6$ ($C$ and ...": the segment ends the expression
            continue
        if tok == "_" and run[-1] and run[-1][-1][1] == "\\log":
            run[-1].append(("op", tok, start))  # \log_2: the base follows
            continue
        if kind == "other" and len(tok) == 1 and unicodedata.category(tok) == "Sc":
            continue  # a currency sign: $, ¢, €, £, ¥, ₹ ...
        close_run()


#: one or two unit words between math segments (the first already read), up to the next segment's ``$``
_UNIT_GAP = re.compile(r"[A-Za-z]{1,12}(?:[ \t]+[A-Za-z]{1,12})?[ \t]*(?=\$)")
#: a math segment that goes on with the step before it: it opens with a binary operator or ``=``
_GOES_ON = re.compile(r"\$[ \t]*(?:=|\\times(?![a-zA-Z])|\\cdot(?![a-zA-Z])|\\div(?![a-zA-Z])|[*/+×÷·])")


def _one_way(name: str, named: _Named) -> str:
    """In a text about a figure, a segment's or an angle's name read either way is one quantity: ``DB`` is
    ``BD``, ``\\angle CBA`` is ``\\angle ABC``."""
    return min(name, name[::-1]) if named.geometric else name


#: words of a figure: what makes two-letter names segments, not digits (``AB`` and ``BA`` of a digit puzzle)
_GEOMETRIC = re.compile(
    r"\\(?:triangle|overline|angle|overarc|parallel|perp)(?![A-Za-z])|\[asy\]"
    r"|\b(?:triangles?|segments?|altitudes?|medians?|hypotenuse|perpendicular|parallel|circles?"
    r"|rectangles?|quadrilaterals?|polygons?|trapezoids?|rhombus|parallelograms?)\b",
    re.IGNORECASE,
)


def _unit_bridge(text: str, start: int, run: list[list[tuple[str, str, int]]], math_ranges: Ranges) -> int:
    """Where the step goes on when the word at ``start`` is a unit between two math segments of one
    step: the segment before ends with a value (``$50$ mph``), one or two unit words follow, and the next
    segment opens with an operator or ``=`` (``$\\times 2$ hours $= [NUMBER]$``); 0 when it does not."""
    piece = run[-1]
    if not piece or piece[-1][0] not in ("num", "blank", "close"):
        return 0
    before = text[:start].rstrip(" \t")
    if not before.endswith("$") or len(before) - 1 not in math_ranges:
        return 0
    gap = _UNIT_GAP.match(text, start)
    if gap is None or gap.end() != math_ranges.next_start(start):
        return 0
    if any(w.lower() in NOT_UNITS for w in gap.group().split()) or not _GOES_ON.match(text, gap.end()):
        return 0
    return gap.end()


def _prose_units(text: str, start: int, piece: list[tuple[str, str, int]]) -> int:
    """Where the step goes on when the word at ``start`` begins the unit words of the value just read, in
    a computation written in prose ("12 floors/building x 2 buildings = 24", "$5/hour x 4 hours"): the
    operator or ``=`` after them goes on with it (:func:`unit_gap`), and before an ``=`` the step has
    computed ("100 miles = 1 hour" is a correspondence of units); 0 when it does not. A rate's ``/``
    ("$5/hour") belongs to the unit and leaves the piece."""
    if not piece:
        return 0
    kind, tok, at = piece[-1]
    rate = kind == "op" and tok == "/" and len(piece) > 1 and not text[at + 1 : start].strip()
    if rate:
        kind, tok, at = piece[-2]
        if kind != "num" or text[at + len(tok) : piece[-1][2]].strip():
            return 0
    elif kind not in ("num", "blank", "close", "pct") or text[at + len(tok) : start].strip():
        return 0
    end = unit_gap(text, piece[-1][2] if rate else start)
    if end < 0:
        return 0
    if rate:
        piece.pop()
    if text[end:].lstrip(" \t").startswith("=") and not any(_times_or_op(t) for t in piece):
        return 0
    return end


def _times_or_op(tok: tuple[str, str, int]) -> bool:
    return tok[0] == "op" or (tok[0] == "letter" and tok[1] in "xX")


def _letters_product(text: str, start: int, end: int) -> bool:
    """``ab`` in ``$ab + 5b$``, ``\\sqrt[4]{abcd}``, ``6xyz``, ``(-3)bt``: a short word between operators,
    braces or digits is a product of variables, not a word of prose ("$12 each and", "= $25 left": currency
    "$"s pair up around prose, and those words stay words)."""
    before = text[max(0, start - 40) : start].rstrip()
    after = text[end : end + 40].lstrip()
    # "[NUMBER]xyz" and "(-3)bt", glued to a bracket, where "[NUMBER] left" and "(see above) then" are prose
    glued = text[start - 1 : start] in ("]", ")")
    return (
        bool(before) and (before[-1] in _PRODUCT_PREV or glued) and after[:1] in _PRODUCT_NEXT and after != ""
    )


_PRODUCT_PREV = frozenset("0123456789$({[+-*/=^_|")
_PRODUCT_NEXT = frozenset("$)}]+-*/=^_\\|")
#: an article or a pronoun before a word of prose ("a week", "I need"), never a variable
_ARTICLE = re.compile(r"[aAI][ \t]+[a-z]{3,}\b")
_PROSE_PREV = re.compile(r"[\d\])+\-*/=(][ \t]*$")
_PROSE_NEXT = re.compile(r"[ \t]*[+\-*/=)^]")


def _variable_in_prose(text: str, start: int, end: int) -> bool:
    """A lone letter outside math is a variable when an operator, ``=`` or a value touches it
    (``2S``, ``S + 2S = 847``), not an article or a pronoun."""
    return bool(_PROSE_PREV.search(text, max(0, start - 4), start) or _PROSE_NEXT.match(text, end))


_UNIT_WORDS = re.compile(r"^[\s\\,]*[a-zA-Z]{1,12}(?:\^?\d)?[\s.]*$")


def _is_unit(inner: str) -> bool:
    """``\\text{ cm}``, ``\\text{dollars}``: a unit after a value, not prose that ends an expression."""
    return (
        bool(_UNIT_WORDS.match(inner))
        and len(inner.split()) == 1
        and inner.strip(" \\,.") not in _CONNECTIVES
    )


#: words a ``\\text{}`` holds between two relations (``x = 4 \\text{ or } x = 1``): prose, never a unit
_CONNECTIVES = frozenset({"or", "and", "if", "so", "then", "thus", "hence", "since", "when", "where", "but"})


# --------------------------------------------------------------------------- named unknowns


@dataclass(slots=True)
class _Named:
    """What a reader of named quantities knows while parsing: the letters written as functions (``f(x)``),
    and the column vectors read so far (by the offset of their ``\\begin``)."""

    functions: frozenset[str]
    unknown_of: Callable[[str, str, int], str]
    vectors: dict[int, tuple] = field(default_factory=dict)
    #: a text about a figure (a triangle, a segment, an angle): a name read either way is one quantity there
    #: (``DB`` is ``BD``), never in a digit puzzle (``AB - BA = 9A - 9B``)
    geometric: bool = False


#: a letter applied to a variable (``f(x)``, ``p(x)``): that letter is a function wherever it is applied
#: the name after ``\\angle``: ``\\angle ADC``, ``\\angle B``
_ANGLE_NAME = re.compile(r"\s*(?:\{\s*)?([A-Z]{1,3})\s*\}?(?![A-Za-z])")
_FUNCTION_NAME = re.compile(r"(?<![A-Za-z\\])([A-Za-z])\(\s*([a-zA-Z])\s*\)")
_VECTOR_ENVS = ("pmatrix", "bmatrix")
_ROW_BREAK = re.compile(r"\\\\")
#: definitions a reading expands into each other, at most this deep (``f(x) = q(x)(x^2-1) + r(x)``)
_MAX_EXPANSION = 4


def read_named(text: str) -> Reading:
    """The trace as a reader who names quantities reads it: like :func:`read_equations` (blanks linked
    alike), and besides, a segment's name (``DF``) and ``\\sin D`` are unknowns of their own, a column
    vector is read (``\\begin{pmatrix} 2 \\\\ y \\end{pmatrix} \\cdot ...`` is a dot product; an equation
    of vectors, one per component), a function defined once in the trace (``p(x) = (x-1)(x-r)``) is
    applied where it is written (``p(0)``; an undefined one, ``f(1)``, is a quantity of its own), and
    ``sides`` holds every expression the trace shows, in math mode without a relation too."""
    reading = Reading()
    if "=" not in text:
        return reading
    segments = [m.span() for m in _MATH_SEGMENT.finditer(text)]
    math_ranges = Ranges(segments)

    def unknown_of(kind: str, tok: str, start: int) -> str:
        if kind == "blank":
            name = blank_unknown(start, tok)
            reading.blanks[start] = name
            return name
        return f"note{start}" if kind == "note" else f"v:{tok}"

    functions = frozenset(
        m.group(1)
        for m in _FUNCTION_NAME.finditer(text)
        if m.group(1) != m.group(2) and m.start() in math_ranges
    )
    named = _Named(functions, unknown_of, geometric=_GEOMETRIC.search(text) is not None)
    pairs: list[tuple[Side, Side]] = []
    alone: list[Side] = []
    seen: dict[str, list[str]] = {}
    singles: list[list[tuple[str, str, int]]] = []
    for run in _runs(text, math_ranges, set(), named, singles):
        sides = [_linked(_side(piece, unknown_of, text, named), text, seen) for piece in run]
        alone.extend(s for s in sides if s is not None)
        pairs.extend(
            (a, b) for a, b in zip(sides, sides[1:], strict=False) if a is not None and b is not None
        )
        pairs.extend((eq.left, eq.right) for eq in _chain_reach(sides, named=True))
    alone.extend(s for s in (_side(p, unknown_of, text, named) for p in singles) if s is not None)
    for start, end in segments:
        if "=" not in text[start:end]:
            alone.extend(_expressions(text, start, end, math_ranges, named))
    defs = _definitions(pairs)
    # (blanks read, the sorted starts of the typed ones among them), read again only when a blank is added:
    # a blank's name is fixed by its start (blank_unknown), so a count that stands means the same blanks
    typed: tuple[int, list[int]] = (-1, [])

    def final(side: Side) -> Side | None:
        nonlocal typed
        if typed[0] != len(reading.blanks):
            typed = (len(reading.blanks), sorted(p for p, n in reading.blanks.items() if n.startswith("u")))
        used: set[str] = set()
        tree = _devector(_expand(_linked_inside(side, text, reading.blanks, typed[1]), defs, 0, used))
        if tree is None:
            return None
        tree, unknowns = _fold(tree)
        if used:
            reading.expanded[side.start] = defs[min(used)][2]
        return Side(tree, unknowns, side.start, side.end)

    for a, b in pairs:
        fa, fb = final(a), final(b)
        if fa is None or fb is None:
            continue
        if fa.tree[0] == "vec" and fb.tree[0] == "vec" and len(fa.tree[1]) == len(fb.tree[1]):
            for ca, cb in zip(fa.tree[1], fb.tree[1], strict=True):  # one equation per component
                reading.equations.append(
                    Equation(
                        Side(ca, tree_unknowns(ca), fa.start, fa.end),
                        Side(cb, tree_unknowns(cb), fb.start, fb.end),
                    )
                )
        elif fa.tree[0] != "vec" and fb.tree[0] != "vec":
            reading.equations.append(Equation(fa, fb))
    vector_starts: set[int] = set()
    for side in alone:
        f = final(side)
        if f is None:
            continue
        if f.tree[0] != "vec":
            reading.sides.append(f)
        elif f.start not in vector_starts:
            vector_starts.add(f.start)
            reading.vectors.append(f)
    return reading


def applies_no_function(text: str) -> bool:
    """Does ``text`` apply no letter to a variable (no ``f(x)``)? Then :func:`read_named` reads no function
    (its parser makes no ``app`` node), finds no definition and applies none: its ``expanded`` stays empty."""
    return _FUNCTION_NAME.search(text) is None


_PLACEHOLDERS_OUT = re.compile(r"\[[A-Z][A-Z]+(?:_\d+)?\]|\\[a-zA-Z]+")


def _linked_inside(side: Side, text: str, blanks: dict[int, str], typed: list[int]) -> tuple:
    """``side``'s tree, its typed blanks renamed as in the first place the trace writes the same text
    (``-2y - [NUMBER] = 5`` after ``\\frac{-2y - [NUMBER]}{6}``): a reader takes them for one value.
    ``typed``: the sorted starts of the typed blanks of ``blanks``."""

    def within(lo: int, hi: int) -> list[int]:
        return typed[bisect_left(typed, lo) : bisect_left(typed, hi)]

    written = text[side.start : side.end]
    own = within(side.start, side.end)
    if not own or len(written) < 5 or not re.search(r"[a-zA-Z]", _PLACEHOLDERS_OUT.sub("", written)):
        return side.tree
    first = text.find(written)
    if first < 0 or first == side.start:
        return side.tree
    theirs = within(first, first + len(written))
    if len(theirs) != len(own):
        return side.tree
    return _rename(side.tree, {blanks[a]: blanks[b] for a, b in zip(own, theirs, strict=True)})


def _expressions(text: str, start: int, end: int, math_ranges: Ranges, named: _Named) -> list[Side]:
    """The expressions of one math segment that shows no ``=`` (``$\\sqrt{DF^2 - EF^2}$``)."""
    pieces: list[list[tuple[str, str, int]]] = []
    run: list[list[tuple[str, str, int]]] = [[]]

    def close_run() -> None:
        pieces.extend(p for p in run if p)
        run.clear()
        run.append([])

    _scan_line(text, start, end, math_ranges, set(), run, close_run, named)
    close_run()
    sides = [_side(p, named.unknown_of, text, named) for p in pieces]
    return [s for s in sides if s is not None]


def _vector(text: str, start: int, pos: int, n: int, named: _Named) -> int | None:
    """Read the column vector whose ``\\begin`` is at ``start`` into ``named.vectors``; where it ends."""
    env = next((e for e in _VECTOR_ENVS if text.startswith("{" + e + "}", pos)), None)
    if env is None:
        return None
    body = pos + len(env) + 2
    close = text.find("\\end{" + env + "}", body, n)
    if close < 0 or "&" in text[body:close]:
        return None  # not on this line, or a matrix
    cuts = [body, *(m.start() for m in _ROW_BREAK.finditer(text, body, close)), close]
    entries = []
    for k, (a, b) in enumerate(itertools.pairwise(cuts)):
        a = a if k == 0 else a + 2
        toks = [
            (m.lastgroup or "", m.group(), m.start())
            for m in _TOKEN.finditer(text, a, b)
            if m.lastgroup not in ("space", "nl")
        ]
        side = _side(toks, named.unknown_of, text, named)
        if side is None:
            return None
        entries.append(side.tree)
    if len(entries) < 2:
        return None
    end = close + len(env) + 6
    named.vectors[start] = tuple(_alike_vector(text, start, end, entries))
    return end


def _alike_vector(text: str, start: int, end: int, entries: list[tuple]) -> list[tuple]:
    """``entries`` with their typed blanks renamed as in the first vector the trace writes alike (the
    projection ``\\begin{pmatrix} -[EXPR] \\\\ -\\frac{3}{[NUMBER]} \\end{pmatrix}`` doubled in the next
    line): a reader takes them for the same values."""
    written = text[start:end]
    first = text.find(written) if "[" in written else -1
    if first < 0 or first == start:
        return entries
    own = [m for m in PLACEHOLDER.finditer(text, start, end) if not _INDEXED.fullmatch(m.group())]
    end_first = first + len(written)
    theirs = [m for m in PLACEHOLDER.finditer(text, first, end_first) if not _INDEXED.fullmatch(m.group())]
    if not own or len(own) != len(theirs):
        return entries
    names = {
        blank_unknown(a.start(), a.group()): blank_unknown(b.start(), b.group())
        for a, b in zip(own, theirs, strict=True)
    }
    return [_rename(e, names) for e in entries]


def _definitions(pairs: list[tuple[Side, Side]]) -> dict[str, tuple[str, tuple, tuple[int, int]]]:
    """``p(x) = <body>`` written with one body per function (its blanks are the same value wherever it is
    applied; a bare blank is a hidden result, no body): its parameter, its body and where it stands."""
    bodies: dict[str, set[str]] = {}
    out: dict[str, tuple[str, tuple, tuple[int, int]]] = {}
    for a, b in pairs:
        for head, body in ((a, b), (b, a)):
            t = head.tree
            if not (t[0] == "app" and t[2][0] == "u" and t[2][1].startswith("v:")):
                continue
            if body.tree[0] == "u" and not body.tree[1].startswith("v:"):
                continue  # r(x) = [EXPR]: a hidden result, not a definition
            if any(u.startswith("note") for u in body.unknowns) or _applies(body.tree, t[1]):
                continue
            bodies.setdefault(t[1], set()).add(repr(body.tree))
            out.setdefault(t[1], (t[2][1], body.tree, (body.start, body.end)))
    return {f: d for f, d in out.items() if len(bodies[f]) == 1}


def _applies(tree: tuple, name: str) -> bool:
    if tree[0] == "app" and tree[1] == name:
        return True
    return any(isinstance(t, tuple) and t and isinstance(t[0], str) and _applies(t, name) for t in tree[1:])


def _expand(
    tree: tuple, defs: dict[str, tuple[str, tuple, tuple[int, int]]], depth: int, used: set[str]
) -> tuple:
    """Applications of defined functions replaced by their bodies (``used`` collects which)."""
    op = tree[0]
    if op == "app":
        arg = _expand(tree[2], defs, depth, used)
        if tree[1] in defs and depth < _MAX_EXPANSION:
            param, body, _ = defs[tree[1]]
            used.add(tree[1])
            return _expand(substitute(body, param, arg), defs, depth + 1, used)
        try:
            key = str(evaluate(arg, {}))
        except Undefined:
            key = repr(arg)
        return ("u", f"v:{tree[1]}({key})")  # f(1) with no definition: a quantity of its own
    if op in ("n", "c", "u"):
        return tree
    if op == "vec":
        return ("vec", tuple(_expand(t, defs, depth, used) for t in tree[1]))
    return (op, *(_expand(t, defs, depth, used) if isinstance(t, tuple) else t for t in tree[1:]))


def substitute(tree: tuple, name: str, value: tuple) -> tuple:
    """``tree`` with every ``("u", name)`` leaf written as the tree ``value``."""
    op = tree[0]
    if op == "u":
        return value if tree[1] == name else tree
    if op in ("n", "c"):
        return tree
    if op == "vec":
        return ("vec", tuple(substitute(t, name, value) for t in tree[1]))
    return (op, *(substitute(t, name, value) if isinstance(t, tuple) else t for t in tree[1:]))


def _fold(tree: tuple) -> tuple[tuple, frozenset[str]]:
    """Constant parts evaluated (exactly); a product with a zero factor is zero (``q(1)(1^2-1)``). With the
    folded tree's unknowns (:func:`tree_unknowns` of it), gathered on the way up: asking them of each node
    again walked every subtree once per node above it."""
    op = tree[0]
    if op == "n" or op == "c":
        return tree, _NO_UNKNOWNS
    if op == "u":
        return tree, frozenset((tree[1],))
    if op == "vec":
        comps = [_fold(t) for t in tree[1]]
        return ("vec", tuple(c for c, _ in comps)), _NO_UNKNOWNS.union(*(u for _, u in comps))
    kids: list = []
    unknowns: set[str] = set()
    for t in tree[1:]:
        if isinstance(t, tuple):
            k, u = _fold(t)
            kids.append(k)
            unknowns.update(u)
        else:
            kids.append(t)
    out = (op, *kids)
    if op == "*" and any(k == ("n", 0) for k in kids):
        return ("n", Fraction(0)), _NO_UNKNOWNS
    if op in ("app", "fn") or unknowns:
        return out, frozenset(unknowns)
    try:
        v = evaluate(out, {})
    except (Undefined, ArithmeticError, ValueError):
        return out, _NO_UNKNOWNS
    return (("n", v) if isinstance(v, Fraction) and finite(v) else out), _NO_UNKNOWNS


def _devector(tree: tuple) -> tuple | None:
    """``tree`` with vectors worked out: a scalar tree, ``("vec", components)``, or ``None`` (no sense)."""
    op = tree[0]
    if op in ("n", "c", "u"):
        return tree
    if op == "vec":
        comps = [_devector(t) for t in tree[1]]
        if any(c is None or c[0] == "vec" for c in comps):
            return None
        return ("vec", tuple(c for c in comps if c is not None))
    kids: list = [_devector(t) if isinstance(t, tuple) else t for t in tree[1:]]
    if any(k is None for k in kids):
        return None
    vecs = [k for k in kids if isinstance(k, tuple) and k[0] == "vec"]
    if not vecs:
        return (op, *kids)
    a: tuple = kids[0]
    b: tuple = kids[1] if len(kids) > 1 else ("n", Fraction(0))
    if op == "neg":
        return ("vec", tuple(("neg", c) for c in a[1]))
    both = len(vecs) == 2 and len(a[1]) == len(b[1])
    if op in ("+", "-") and both:
        return ("vec", tuple((op, x, y) for x, y in zip(a[1], b[1], strict=True)))
    if op == "*" and both:  # u \cdot v
        terms = [("*", x, y) for x, y in zip(a[1], b[1], strict=True)]
        total = terms[0]
        for t in terms[1:]:
            total = ("+", total, t)
        return total
    if op == "*" and len(vecs) == 1:
        vec, k = (a, b) if a[0] == "vec" else (b, a)
        return ("vec", tuple(("*", k, c) for c in vec[1]))
    if op == "/" and a[0] == "vec" and b[0] != "vec":
        return ("vec", tuple(("/", c, b) for c in a[1]))
    return None


_NO_UNKNOWNS: frozenset[str] = frozenset()


#: the highest degree :func:`polynomial_degree` reads
_MAX_DEGREE = 8


def polynomial_degree(tree: tuple, letter: str) -> int | None:
    """An upper bound of ``tree``'s degree in ``letter``, read off its shape, when it is a polynomial in it of
    degree at most 8 (blanks and other names are coefficients); ``None`` otherwise: the letter in a
    denominator, a function or an exponent, a power that is no small whole number, or a power of a power
    (``((x)^{64})^{64}`` would take a value of billions of digits to evaluate). Read before a tree is
    evaluated at several values of the letter."""
    op = tree[0]
    if op == "u":
        return int(tree[1] == letter)
    if op in ("n", "c"):
        return 0
    if op == "neg":
        return polynomial_degree(tree[1], letter)
    if op in ("+", "-", "*", "/"):
        a, b = polynomial_degree(tree[1], letter), polynomial_degree(tree[2], letter)
        if a is None or b is None or (op == "/" and b > 0):
            return None
        degree = a + b if op == "*" else max(a, b)
        return degree if degree <= _MAX_DEGREE else None
    if op == "^":
        base, power = tree[1], tree[2]
        if base[0] == "^" or power[0] != "n" or power[1].denominator != 1 or not 0 <= power[1] <= 64:
            return None
        inner = polynomial_degree(base, letter)
        if inner is None or inner * int(power[1]) > _MAX_DEGREE:
            return None
        return inner * int(power[1])
    return None if letter in tree_unknowns(tree) else 0


def exact_sqrt(v: Fraction) -> Fraction | None:
    """The square root of ``v >= 0`` where it is rational, else ``None``."""
    n, d = math.isqrt(v.numerator), math.isqrt(v.denominator)
    return Fraction(n, d) if n * n == v.numerator and d * d == v.denominator else None


def linear_root(tree: tuple, letter: str) -> Fraction | None:
    """The root of ``tree`` in ``letter`` where it is linear in it (:func:`polynomial_degree`) with rational
    values (every other unknown absent), else ``None``."""
    if polynomial_degree(tree, letter) != 1:
        return None
    try:
        at0, at1 = evaluate(tree, {letter: Fraction(0)}), evaluate(tree, {letter: Fraction(1)})
    except (Undefined, ZeroDivisionError, OverflowError):
        return None
    if type(at0) is not Fraction or type(at1) is not Fraction or at0 == at1:
        return None
    return -at0 / (at1 - at0)


def quadratic_coefficients(
    tree: tuple, letter: str, env: Mapping[str, Value]
) -> tuple[Fraction, Fraction, Fraction] | None:
    """``(a, b, c)`` of ``tree = a x^2 + b x + c`` in ``letter`` at ``env`` (every other unknown's value),
    when ``tree`` is a polynomial of degree exactly 2 in it with plain rational coefficients there: its
    shape first (:func:`polynomial_degree`: no letter under a function, nothing too large to evaluate),
    then its values at 0..4 (third differences zero, the second not); else ``None``."""
    if polynomial_degree(tree, letter) is None:
        return None
    try:
        at = [evaluate(tree, {**env, letter: Fraction(t)}) for t in range(5)]
    except (Undefined, ZeroDivisionError, OverflowError):
        return None
    f = [v for v in at if type(v) is Fraction]
    if len(f) < len(at):
        return None
    a = (f[2] - 2 * f[1] + f[0]) / 2
    if a == 0 or any(f[k + 3] - 3 * f[k + 2] + 3 * f[k + 1] - f[k] for k in range(2)):
        return None
    return a, f[1] - f[0] - a, f[0]


def tree_unknowns(tree: tuple) -> frozenset[str]:
    """The unknowns a tree reads: the names of its ``("u", name)`` leaves, a vector's components' and every
    other node's tuple operands' (a walk with a stack: the solver asks this of every side it meets)."""
    op = tree[0]
    if op == "u":
        return frozenset((tree[1],))
    if op == "n" or op == "c":
        return _NO_UNKNOWNS
    out: set[str] = set()
    stack = [tree]
    pop, push = stack.pop, stack.append
    while stack:
        t = pop()
        op = t[0]
        if op == "u":
            out.add(t[1])
        elif op == "n" or op == "c":
            continue
        elif op == "vec":
            stack.extend(t[1])
        else:
            for k in t[1:]:
                if isinstance(k, tuple):
                    push(k)
    return frozenset(out)


# --------------------------------------------------------------------------- evaluation


class Undefined(Exception):
    """The tree has no value here (an unknown without a value, a division by zero, a huge power)."""


def evaluate(tree: tuple, env: dict[str, Value]) -> Value:
    """``tree``'s value at ``env``: exact (a Fraction) while every operand is, else complex. The evaluation
    code asks ``type(v) is Fraction``: no value is a subclass of it, and ``isinstance`` against Fraction (an
    ABC) runs ``ABCMeta.__instancecheck__`` in Python for every complex operand of a grid's float points."""
    op = tree[0]
    if op == "n":
        return tree[1]
    if op == "c":
        return complex(tree[1])
    if op == "u":
        v = env.get(tree[1])
        if v is None:
            raise Undefined(tree[1])
        return v
    if op == "neg":
        return -evaluate(tree[1], env)
    if op == "fact":
        a = evaluate(tree[1], env)
        if not (type(a) is Fraction and a.denominator == 1 and 0 <= a <= 200):
            raise Undefined("factorial")
        return Fraction(math.factorial(int(a)))
    if op == "log":
        a = evaluate(tree[1], env)
        try:
            return complex(cmath.log(complex(a)))
        except (ValueError, OverflowError) as e:
            raise Undefined("log") from e
    if op == "fn":
        try:
            return _TRIG[tree[1]](complex(evaluate(tree[2], env)))
        except (ValueError, OverflowError, ZeroDivisionError) as e:
            raise Undefined(tree[1]) from e
    if op in ("floor", "ceil"):
        return _rounded(evaluate(tree[1], env), op)
    if op == "abs":
        a = evaluate(tree[1], env)
        return abs(a) if type(a) is Fraction else complex(abs(complex(a)))
    if op == "binom":
        a, b = evaluate(tree[1], env), evaluate(tree[2], env)
        if not (type(a) is Fraction and type(b) is Fraction) or not all(
            x.denominator == 1 and 0 <= x <= 10**4 for x in (a, b)
        ):
            raise Undefined("binom")
        return Fraction(math.comb(int(a), int(b)))
    a, b = evaluate(tree[1], env), evaluate(tree[2], env)
    if op == "+":
        return a + b if type(a) is Fraction and type(b) is Fraction else complex(a) + complex(b)
    if op == "-":
        return a - b if type(a) is Fraction and type(b) is Fraction else complex(a) - complex(b)
    if op == "*":
        return a * b if type(a) is Fraction and type(b) is Fraction else complex(a) * complex(b)
    if op == "/":
        if b == 0:
            raise Undefined("division by zero")
        return a / b if type(a) is Fraction and type(b) is Fraction else complex(a) / complex(b)
    if op == "^":
        return _power(a, b)
    raise Undefined(op)


#: what :func:`compile_tree` builds: a tree's value at an environment, as :func:`evaluate` gives it
Compiled = Callable[[dict[str, Value]], Value]


def compile_tree(tree: tuple) -> Compiled:
    """``tree`` as a function of the environment that gives what ``evaluate(tree, env)`` gives, operation
    for operation and failure for failure, without reading the tree's operators on every call: for a tree
    evaluated at hundreds of points (a grid). An operator it does not build is left to :func:`evaluate`."""
    op = tree[0]
    if op == "n":
        value = tree[1]
        return lambda env: value
    if op == "u":
        name = tree[1]

        def unknown(env: dict[str, Value]) -> Value:
            v = env.get(name)
            if v is None:
                raise Undefined(name)
            return v

        return unknown
    if op == "neg" and isinstance(tree[1], tuple):
        inner = compile_tree(tree[1])
        return lambda env: -inner(env)
    if op in ("+", "-", "*", "/", "^") and len(tree) == 3 and all(isinstance(t, tuple) for t in tree[1:]):
        fa, fb = compile_tree(tree[1]), compile_tree(tree[2])
        return _BINARY[op](fa, fb)
    return lambda env: evaluate(tree, env)


def _add(fa: Compiled, fb: Compiled) -> Compiled:
    def f(env: dict[str, Value]) -> Value:
        a, b = fa(env), fb(env)
        return a + b if type(a) is Fraction and type(b) is Fraction else complex(a) + complex(b)

    return f


def _sub(fa: Compiled, fb: Compiled) -> Compiled:
    def f(env: dict[str, Value]) -> Value:
        a, b = fa(env), fb(env)
        return a - b if type(a) is Fraction and type(b) is Fraction else complex(a) - complex(b)

    return f


def _mul(fa: Compiled, fb: Compiled) -> Compiled:
    def f(env: dict[str, Value]) -> Value:
        a, b = fa(env), fb(env)
        return a * b if type(a) is Fraction and type(b) is Fraction else complex(a) * complex(b)

    return f


def _div(fa: Compiled, fb: Compiled) -> Compiled:
    def f(env: dict[str, Value]) -> Value:
        a, b = fa(env), fb(env)
        if b == 0:
            raise Undefined("division by zero")
        return a / b if type(a) is Fraction and type(b) is Fraction else complex(a) / complex(b)

    return f


def _pow(fa: Compiled, fb: Compiled) -> Compiled:
    return lambda env: _power(fa(env), fb(env))


_BINARY: dict[str, Callable[[Compiled, Compiled], Compiled]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "^": _pow,
}


def _rounded(a: Value, op: str) -> Fraction:
    """``\\lfloor a \\rfloor`` or ``\\lceil a \\rceil`` of a real value (a float within 1e-9 of an integer is
    that integer: ``\\sqrt{49}`` computed in floating point)."""
    if isinstance(a, Fraction):
        return Fraction(math.floor(a) if op == "floor" else math.ceil(a))
    if abs(a.imag) > 1e-9 or not math.isfinite(a.real) or abs(a.real) > 1e15:
        raise Undefined(op)
    near = round(a.real)
    if abs(a.real - near) < 1e-9:
        return Fraction(near)
    return Fraction(math.floor(a.real) if op == "floor" else math.ceil(a.real))


#: the most bits an exact power may hold (about 6,000 digits): ``((x)^{64})^{64}`` nested five times would
#: take billions of digits and minutes to compute; a value that large is no value a reader works with
_MAX_POWER_BITS = 20_000


def _power(a: Value, b: Value) -> Value:
    if type(a) is Fraction and type(b) is Fraction:
        bits = max(a.numerator.bit_length(), a.denominator.bit_length())
        # integers only, and only for a large base: a base under 2^300 to a power up to 64 stays in bounds
        if bits > 300 and bits * abs(b.numerator) > _MAX_POWER_BITS * b.denominator:
            raise Undefined("huge power")
        if b.denominator == 1 and (abs(b) <= 64 or a in (-1, 0, 1)):  # (-1)^{85}
            if a == 0 and b < 0:
                raise Undefined("0 to a negative power")
            return a ** int(b)
        if a >= 0 and b.denominator <= 12 and abs(b.numerator) <= 64 and bits <= 1000:  # a float's range
            q = b.denominator
            num, den = round(a.numerator ** (1 / q)), round(a.denominator ** (1 / q))
            if num**q == a.numerator and den**q == a.denominator and not (num == 0 and b < 0):
                return Fraction(num, den) ** b.numerator
    try:
        ca, cb = complex(a), complex(b)
        if abs(cb) > 64 or abs(ca) > 1e12:
            raise Undefined("huge power")
        return ca**cb
    except (OverflowError, ZeroDivisionError) as e:
        raise Undefined(str(e)) from e


def finite(v: Value) -> bool:
    if type(v) is not complex and isinstance(v, Fraction):  # a complex one skips the ABC's instance check
        return abs(v.numerator) < 10**30 and v.denominator < 10**30
    return not (math.isnan(v.real) or math.isnan(v.imag) or math.isinf(abs(v)) or abs(v) > 1e30)


__all__ = [
    "Equation",
    "PLACEHOLDER",
    "Reading",
    "Side",
    "Undefined",
    "applies_no_function",
    "compile_tree",
    "evaluate",
    "finite",
    "lone_expressions",
    "read_equations",
    "read_expression",
    "read_named",
    "tree_unknowns",
    "values_equal",
]
