"""Values of math snippets: a fast exact path for numbers and numeric LaTeX, sympy for the rest.

A value is a ``Fraction`` when it is an exact rational and a ``complex`` otherwise (irrationals, and
expressions with variables evaluated at fixed points, a fingerprint that equal expressions share).
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache

from ._rational import Fraction

Value = Fraction | complex

_REL_TOL = 1e-9

#: thousands grouped by commas (1,000) or, in prose, by single spaces (80 000)
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?")


#: scientific notation past what Python prints (``1e999999999``; a Fraction of ``1e5000`` has no ``str``)
_HUGE_NUMERAL = re.compile(r"\d[eE][-+]?\d{4,}")
_SIZE_TOKEN = re.compile(r"\d+(?:\.\d+)?|\\[a-zA-Z]+|\S")
#: the most decimal digits a number may have to be computed: past 4,000, Python will not print it (its
#: 4,300-digit limit), and sympy and math-verify compute it exactly for minutes or until memory runs out
_MAX_DIGITS = 4000.0
_INFINITE = float("inf")
#: what starts a factor written right after another (``2^{10}3^{10}``, ``5\\binom{n}{k}``)
_OPERAND_STARTS = frozenset(
    ("{", "(", "[", "\\left", "\\frac", "\\dfrac", "\\tfrac", "\\binom", "\\dbinom", "\\tbinom", "\\sqrt")
)


def too_large(latex: str) -> bool:
    """Does ``latex`` write a number of more than :data:`_MAX_DIGITS` digits: a power (a tower,
    ``9^{9^{9^9}}``, an exponent that is a sum, ``2^{1+10^{10}}``, or negative), a factorial
    (``(10^{8}+1)!``), a binomial coefficient or scientific notation (``1e999999999``) that large? Its size is
    estimated, never computed. Fraction, sympy and math-verify compute such a value exactly: minutes of CPU,
    or memory until the machine kills the run (24 GB for ``(10^{10^{10}})!``). To the audit it is no value:
    the gold, a trace's answer and what the attacks read are then compared as text."""
    if _HUGE_NUMERAL.search(latex):
        return True
    if not any(c in latex for c in "^!") and "binom" not in latex:
        return False
    return _Size(latex).largest() > _MAX_DIGITS


class _Size:
    """The decimal digits of each expression of a text, estimated from its numerals and operators (a sum is
    its largest term, a product the sum of its factors', a power the base's times the exponent's value; a
    letter or anything else counts as 1)."""

    def __init__(self, text: str):
        self.toks = _SIZE_TOKEN.findall(text)
        self.i = 0

    def largest(self) -> float:
        most = 0.0
        while self.i < len(self.toks):
            start = self.i
            most = max(most, self.sum())
            if most > _MAX_DIGITS:
                return most
            if self.i == start:
                self.i += 1  # a relation, a comma, a closing bracket: the next expression
        return most

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def sum(self) -> float:
        most = self.product()
        while self.peek() in ("+", "-"):
            self.i += 1
            most = max(most, self.product())
        return most

    def product(self) -> float:
        total = self.power()
        while True:
            tok = self.peek()
            if tok in ("\\cdot", "\\times", "*", "/"):
                self.i += 1
            elif not tok or not (tok[0].isdigit() or tok in _OPERAND_STARTS):
                return total  # (a relation, "\\le" too, ends the product: each side is sized apart)
            total += self.power()  # (a quotient of exact numbers is as long as both together, at most)

    def power(self) -> float:
        digits = self.unary()
        if self.peek() == "^":
            self.i += 1
            exponent = self.power()  # right to left: 9^9^9 is 9^(9^9)
            digits = _INFINITE if exponent > 300 else max(digits, 0.0) * 10**exponent
        while self.peek() == "!":
            self.i += 1
            digits = _INFINITE if digits > 300 else 10**digits * max(digits, 1.0)
        return digits

    def unary(self) -> float:
        while self.peek() in ("-", "+", "\\left", "\\right"):
            self.i += 1
        return self.atom()

    def atom(self) -> float:
        tok = self.peek()
        if not tok:
            return 0.0
        self.i += 1
        if tok[0].isdigit():
            return math.log10(max(float(tok), 1.0)) if len(tok) < 300 else float(len(tok))
        if tok in ("{", "(", "["):
            inner = self.sum()
            if self.peek() in ("}", ")", "]"):
                self.i += 1
            return inner
        if tok in ("\\binom", "\\dbinom", "\\tbinom"):
            n, k = self.atom(), self.atom()  # C(n, k) < 2^n and < n^k
            return _INFINITE if min(n, k) > 300 else min(10**n * math.log10(2), 10**k * n)
        if tok in ("\\frac", "\\dfrac", "\\tfrac"):
            return self.atom() + self.atom()
        return 0.0  # a letter, a command, a relation: 1 (and the relation is left for the caller)


@lru_cache(maxsize=65536)
def plain_number(text: str) -> Fraction | None:
    """``"1,234.5"`` -> ``Fraction(2469, 2)``; ``None`` unless ``text`` is a plain number (remembered: the
    same numerals recur in every trace, and a ``Fraction`` read from text is slow to make). A number
    :func:`too_large` to compute (``1e999999999``) is none."""
    t = text.strip().replace("{,}", ",").replace("\\!", "")
    if not t or not _PLAIN_NUMBER.fullmatch(t) or not any(c.isdigit() for c in t):
        return None
    if ("e" in t or "E" in t) and too_large(t):
        return None
    try:
        return Fraction(t.replace(",", "").replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        return None


def values_equal(a: Value, b: Value) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    try:
        a, b = complex(a), complex(b)
    except OverflowError:  # a fraction beyond a float's range (a 400-digit gold): only an exact match counts
        return False
    return abs(a - b) <= _REL_TOL * max(1.0, abs(a), abs(b))


def value_key(v: Value) -> str:
    """A canonical string for a value (the ``indexed`` renderer groups equal keys)."""
    if isinstance(v, Fraction):
        return str(v)
    if abs(v.imag) < 1e-12:
        return f"{v.real:.10g}"
    return f"{v.real:.10g}{v.imag:+.10g}j"


# --------------------------------------------------------------------------- numeric LaTeX

_TOKEN = re.compile(
    r"\s+|\\[dt]?frac(?=\d\d)|\\[dt]?frac|\\sqrt|\\pi(?![a-zA-Z])|\\cdot|\\times|\\div|\\left|\\right"
    r"|\\[,;!: ]|\d+(?:\.\d+)?|\.\d+|[-+*/^(){}\[\]×÷]"
)
_MAX_EXP = 64
_MIXED = re.compile(r"(?<![\d.])(\d+)\s*\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")  # 1\frac{4}{5}
#: TeX's shorthand of a fraction of two digits (``\frac23``): braced first, so ``16\frac23`` is a mixed number
_SHORTHAND = re.compile(r"\\([dt]?frac)\s*(\d)\s*(\d)")


class _Unsupported(Exception):
    pass


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise _Unsupported(text[pos:])
        tok = m.group()
        pos = m.end()
        if tok.isspace() or tok in ("\\left", "\\right") or tok[:2] in ("\\,", "\\;", "\\!", "\\:", "\\ "):
            continue
        if (
            tok.startswith("\\")
            and tok.endswith("frac")
            and pos + 1 < len(text)
            and text[pos : pos + 2].isdigit()
        ):
            out += [tok, "{", text[pos], "}", "{", text[pos + 1], "}"]  # \frac12
            pos += 2
            continue
        out.append(tok)
    return out


def _mul(a: Value, b: Value) -> Value:
    return a * b if isinstance(a, Fraction) and isinstance(b, Fraction) else complex(a) * complex(b)


def _div(a: Value, b: Value) -> Value:
    if b == 0:
        raise _Unsupported("division by zero")
    return a / b if isinstance(a, Fraction) and isinstance(b, Fraction) else complex(a) / complex(b)


def _pow(a: Value, b: Value) -> Value:
    if isinstance(b, Fraction) and b.denominator == 1 and abs(b) <= _MAX_EXP and isinstance(a, Fraction):
        if a == 0 and b < 0:
            raise _Unsupported("0 to a negative power")
        return a ** int(b)
    if isinstance(a, Fraction) and isinstance(b, Fraction) and a >= 0:
        root = _exact_root(a, b)
        if root is not None:
            return root
    try:
        return complex(a) ** complex(b)
    except (OverflowError, ZeroDivisionError) as e:
        raise _Unsupported(str(e)) from e


def _exact_root(a: Fraction, b: Fraction) -> Fraction | None:
    """``a ** b`` exactly when ``b = p/q`` and ``a`` is a perfect q-th power."""
    if b.denominator > 12 or abs(b.numerator) > _MAX_EXP:
        return None
    q = b.denominator
    num, den = round(a.numerator ** (1 / q)), round(a.denominator ** (1 / q))
    if num**q == a.numerator and den**q == a.denominator:
        r = Fraction(num, den)
        return r**b.numerator if not (r == 0 and b < 0) else None
    return None


class _Parser:
    """Recursive descent over numeric LaTeX: + - * / ^, \\frac, \\sqrt[k]{}, \\pi, implicit products."""

    def __init__(self, toks: list[str]):
        self.toks, self.i = toks, 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise _Unsupported(f"expected {expected!r}, got {tok!r}")
        self.i += 1
        return tok

    def parse(self) -> Value:
        v = self.expr()
        if self.peek() is not None:
            raise _Unsupported(f"trailing {self.peek()!r}")
        return v

    def expr(self) -> Value:
        v = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            w = self.term()
            v = (
                (v + w if op == "+" else v - w)
                if isinstance(v, Fraction) and isinstance(w, Fraction)
                else (complex(v) + complex(w) if op == "+" else complex(v) - complex(w))
            )
        return v

    def term(self) -> Value:
        v = self.unary()
        while True:
            tok = self.peek()
            if tok in ("*", "\\cdot", "\\times", "×"):
                self.take()
                v = _mul(v, self.unary())
            elif tok in ("/", "\\div", "÷"):
                self.take()
                v = _div(v, self.unary())
            elif tok is not None and (
                tok[0].isdigit()
                or tok[0] == "."
                or tok in ("\\pi", "\\sqrt", "(", "{")
                or tok.endswith("frac")
            ):
                v = _mul(v, self.power())  # implicit product: 2\sqrt{3}, 3\pi
            else:
                return v

    def unary(self) -> Value:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        if self.peek() == "+":
            self.take()
        return self.power()

    def power(self) -> Value:
        base = self.atom()
        if self.peek() == "^":
            self.take()
            return _pow(base, self.unary() if self.peek() != "{" else self.atom())
        return base

    def arg(self) -> Value:
        """A command's argument: ``{...}``, or one digit (``\\frac{900}7``, ``\\frac12``)."""
        nxt = self.peek()
        if nxt is not None and nxt[0].isdigit():
            self.take()
            if len(nxt) > 1 and nxt.isdigit():
                self.toks.insert(self.i, nxt[1:])
            return Fraction(nxt[0])
        return self.group()

    def group(self) -> Value:
        self.take("{")
        v = self.expr()
        self.take("}")
        return v

    def atom(self) -> Value:
        tok = self.take()
        if tok[0].isdigit() or tok[0] == ".":
            return Fraction(tok)
        if tok == "\\pi":
            return complex(math.pi)
        if tok.endswith("frac"):
            return _div(self.arg(), self.arg())
        if tok == "\\sqrt":
            k: Value = Fraction(2)
            if self.peek() == "[":
                self.take()
                k = self.expr()
                self.take("]")
            nxt = self.peek()
            if nxt is not None and nxt[0].isdigit():  # \sqrt2: one digit is the argument
                self.take()
                if len(nxt) > 1 and nxt.isdigit():
                    self.toks.insert(self.i, nxt[1:])
                return _pow(Fraction(nxt[0]), _div(Fraction(1), k))
            return _pow(self.group(), _div(Fraction(1), k))
        if tok in ("(", "{"):
            v = self.expr()
            self.take(")" if tok == "(" else "}")
            return v
        raise _Unsupported(tok)


@lru_cache(maxsize=65536)
def numeric_value(text: str) -> Value | None:
    """The value of a numeric snippet (``72``, ``1,000``, ``-\\frac{3\\sqrt{2}}{4}``, ``2\\pi``), or ``None``.

    Pure Python and exact where it can be: this is the fast path that keeps sympy off most rows.
    """
    v = plain_number(text)
    if v is not None:
        return v
    if len(text) > 200:
        return None
    if "frac" in text:
        text = _MIXED.sub(r"(\1+\\frac{\2}{\3})", _SHORTHAND.sub(r"\\\1{\2}{\3}", text))
    try:
        toks = _tokens(text)
        if not toks:
            return None
        return _Parser(toks).parse()
    except (_Unsupported, ValueError, OverflowError, ZeroDivisionError, RecursionError):
        return None


# --------------------------------------------------------------------------- sympy path

_MAX_SYMBOLS = 8


def _probe(name: str) -> float:
    """Where the symbol ``name`` is evaluated: a fixed point in (0.5, 1.5) drawn from its name, so equal
    expressions agree there, unequal ones almost never do, and ``x`` differs from ``y``."""
    return 0.5 + zlib.crc32(name.encode()) / 2**32


class Budget:
    """A work allowance for the slow (sympy) path of one row: how many expressions it may evaluate. It
    counts work, never time, so what is masked does not depend on the machine's load."""

    def __init__(self, evaluations: int):
        self.left = evaluations

    def spent(self) -> bool:
        return self.left <= 0

    def charge(self) -> None:
        self.left -= 1


_OPENS, _CLOSES = "([{", ")]}"


def _bracketed_list(latex: str) -> bool:
    """Is ``latex`` one bracket pair around a comma-separated list (``(3, \\frac{\\pi}{2})``, ``(2,\\infty)``,
    ``[a, b]``)? latex2sympy reads that as an interval or an ordered tuple (or fails to parse it), never as
    an expression: no name stands before the bracket to apply, nothing after it to combine with."""
    text = latex.strip()
    if len(text) < 5 or text[0] not in "([" or text[-1] not in ")]":
        return False
    depth = 0
    comma = False
    for i, c in enumerate(text):
        if c in _OPENS:
            depth += 1
        elif c in _CLOSES:
            depth -= 1
            if depth == 0 and i < len(text) - 1:
                return False  # the first bracket closes before the end: "(a,b)(c,d)", "(a,b)^2"
        elif c == "," and depth == 1:
            comma = True
    return comma and depth == 0


@lru_cache(maxsize=8192)
def _sympy_fingerprint(latex: str) -> complex | None:
    if _bracketed_list(latex):
        return None  # a tuple or an interval: no value to fingerprint, without the parser's ~50 ms
    if too_large(latex):
        return None  # sympy would compute it exactly: minutes, or memory until the machine kills it
    import sympy
    from latex2sympy2_extended import latex2sympy  # lazy: the import costs ~0.5 s

    try:
        expr = latex2sympy(latex)
        if not isinstance(expr, sympy.Expr):
            return None
        syms = expr.free_symbols
        if len(syms) > _MAX_SYMBOLS or "\\text" in latex:
            return None
        val = complex(expr.evalf(subs={s: _probe(s.name) for s in syms}))
    except Exception:  # noqa: BLE001 - any parse or evaluation failure just means "no value"
        return None
    if math.isnan(val.real) or math.isnan(val.imag) or math.isinf(abs(val)):
        return None
    return val


def expression_value(latex: str, budget: Budget | None = None) -> Value | None:
    """The value of any LaTeX expression: the fast path first, then sympy while the budget lasts."""
    v = numeric_value(latex)
    if v is not None:
        return v
    if budget is not None:
        if budget.spent():
            return None
        budget.charge()
    return _sympy_fingerprint(latex)
