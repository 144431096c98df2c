"""The ``congruence`` attack: a chain of ``\\equiv`` under one visible modulus is a chain of relations mod m.

Every side of ``A \\equiv B \\equiv C \\pmod{7}`` (``=`` links it too) has one residue. A reader gets it from
a side whose operands are all visible (``1+3 \\equiv [N] \\pmod 7``), or, term by term, from sides written
alike (``4 \\cdot 6 \\cdot [N] \\equiv [N] \\cdot 6 \\cdot 1``: each position's visible entry, reduced mod m,
stands for the blank of the same position on another side) when every visible entry of a position agrees
mod m. That residue equal to the gold (an integer in ``[0, m)``) leaks. A side that copies the question's
own expression is the question's task, no leak; a chain with no blank is left to the other attacks.

A visible congruence linear in one letter is solved as a reader solves it (:func:`least_solutions`): "$7b + 53
\\equiv 0 \\pmod{8}$" gives ``b = 5 (mod 8)`` (sides with a blank drop out of a chain, the rest still agree),
and so do "$m = 5 + 7a$ for some integer $a$" and, for the number the trace looks for, words ("5 more than a
multiple of 8", "leaves a remainder of 3 when divided by 6"). Congruences in one letter combine (the Chinese
remainder theorem), and the bounds the trace shows on that letter ("$7b + 53 > 200$", "$b >
\\frac{200-53}{7}$", "greater than $100$", "the solutions less than $50$") leave the least solution, the
greatest or the sum of every solution, each where the question asks for it, and the least residue where the
question names the modulus. That value leaks where it is the gold, or where the boxed step's one blank operand
given it makes the gold ("$[N] \\cdot 7 = \\boxed{[N]}$": 29 gives 203). A congruence with the residue and
modulus of a condition the question states (in any spelling, in words too) is the task. Blamed on the first
congruence used: hiding one of its values (a copy of a question value first) cuts the reading.

Not covered: a congruence not linear in its letter (``n^2 \\equiv 1``), bounds that are not linear in the
letter or in words other than "greater/more/larger/less/fewer/smaller than N" and "at least/most N", a
bound in words that is about another quantity than the letter (read as the letter's: a reading that then
meets no gold says nothing), and a boxed step with more than one blank.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from math import gcd

from .._leak import Finding
from ._answer import Gold
from ._bounds import RELATION
from ._equations import Undefined, evaluate, read_expression
from ._rational import Fraction

_MATH = re.compile(
    r"\$\$(.+?)\$\$|\$(.+?)\$|\\\[(.+?)\\\]|\\\((.+?)\\\)"
    r"|\\begin\{((?:align|aligned|eqnarray|gather|split)\*?)\}(.+?)\\end\{\5\}",
    re.S,
)
_MODULUS = re.compile(
    r"\\[pb]?mod(?![a-zA-Z])\s*(?:\{\s*(\d+)\s*\}|(\d+))"
    # one blank run between "mod}" and the number: ``\\?[ ,;]?`` between two runs split a long run every way
    r"|\(\s*\\(?:text|mathrm|operatorname)\s*\{\s*mod\s*\}\s*(?:\\[ ,;]?\s*|[,;]\s*)?"
    r"(?:\{\s*)?(\d+)\s*(?:\}\s*)?\)"
)
#: what ends a chain inside one formula
_END = re.compile(
    r"\\(?:implies|Rightarrow|Longrightarrow|iff|Leftrightarrow|text|mathrm|mbox|textbf|le|ge|leq|geq|lt|gt"
    r"|ne|neq|approx|pm|mp|in|dots|ldots|cdots|begin|end)(?![a-zA-Z])|[<>,;:]"
)
#: an aligned row that goes on (with a relation or an operator) continues the chain
_ROW_GOES_ON = re.compile(r"\\\\(?=\s*(?:&\s*)?(?:\\q?quad\s*)*(?:\\equiv|=|[-+]|\\cdot))")
_FILLER = re.compile(r"&|\\q?quad(?![a-zA-Z])|\\left|\\right|\\[,;!](?![a-zA-Z])|\\boxed|\\displaystyle")
_BLANK = re.compile(r"\[[A-Z][A-Z]+(?:_\d+)?\]")
_TOKEN = re.compile(r"\s*(?:(\d+)|(@)|(\\cdot|\\times|\*)(?![a-zA-Z])|([-+^!(){}]))")
_PUNCT = re.compile(r"\s+|\\[,;!]|\\left|\\right|&|\\\\|\\q?quad(?![a-zA-Z])|\\displaystyle")
#: the largest power a reader evaluates exactly
_MAX_POWER = 4096


class _Unknown(Exception):
    pass


def _tokens(text: str) -> list[str] | None:
    """``text`` as tokens: digits, ``@`` (a blank), ``*``, ``+ - ^ ! ( ) { }``; None for anything else."""
    out, i = [], 0
    text = text.rstrip()
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:
            return None
        out.append("*" if m.group(3) else m.group(m.lastindex or 0))
        i = m.end()
    return out


class _Reader:
    """Integer arithmetic over tokens; a blank makes the value unknown."""

    def __init__(self, toks: list[str]):
        self.toks, self.i = toks, 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise _Unknown("end")
        self.i += 1
        return tok

    def whole(self) -> int:
        v = self.sum()
        if self.peek() is not None:
            raise _Unknown("trailing")
        return v

    def sum(self) -> int:
        v = self.product()
        while self.peek() in ("+", "-"):
            v = v + self.product() if self.take() == "+" else v - self.product()
        return v

    def product(self) -> int:
        v = self.signed()
        while self.peek() == "*" or self.peek() in ("(", "{"):
            if self.peek() == "*":
                self.take()
            v *= self.signed()
        return v

    def signed(self) -> int:
        if self.peek() == "-":
            self.take()
            return -self.signed()
        return self.power()

    def power(self) -> int:
        v = self.atom()
        while self.peek() in ("^", "!"):
            if self.take() == "!":
                if not 0 <= v <= 20:
                    raise _Unknown("factorial")
                v = _factorial(v)
                continue
            e = self.signed_atom()
            if not 0 <= e <= _MAX_POWER or abs(v) > 10**6:
                raise _Unknown("power")
            v = v**e
        return v

    def signed_atom(self) -> int:
        if self.peek() == "-":
            self.take()
            return -self.atom()
        return self.atom()

    def atom(self) -> int:
        tok = self.take()
        if tok.isdigit():
            return int(tok)
        if tok in ("(", "{"):
            v = self.sum()
            if self.take() != (")" if tok == "(" else "}"):
                raise _Unknown("unbalanced")
            return v
        raise _Unknown(tok)


def _factorial(n: int) -> int:
    out = 1
    for k in range(2, n + 1):
        out *= k
    return out


def _value(toks: list[str]) -> int | None:
    try:
        return _Reader(toks).whole()
    except (_Unknown, RecursionError):
        return None


def _split(toks: list[str], ops: tuple[str, ...]) -> list[list[str]]:
    """``toks`` cut at the operators ``ops`` outside brackets (the operator starts the next part)."""
    parts: list[list[str]] = [[]]
    depth = 0
    for k, tok in enumerate(toks):
        if tok in "({":
            depth += 1
        elif tok in ")}":
            depth -= 1
        if depth == 0 and tok in ops and k > 0:
            parts.append([tok] if tok == "-" else [])
            continue
        parts[-1].append(tok)
    return parts


def _entries(toks: list[str]) -> tuple[str, list[int | None]] | None:
    """A side written as a product (``*``) or a sum (``+``) of plain entries: each entry's value, None for a
    lone blank (signed for a sum); None when the side is not such a list or an entry is neither."""
    kind, parts = "*", _split(toks, ("*",))
    if len(parts) < 2:
        kind, parts = "+", _split(toks, ("+", "-"))
    if len(parts) < 2:
        return None
    out: list[int | None] = []
    for part in parts:
        bare = [t for t in part if t not in "(){}"]
        if bare in (["@"], ["-", "@"]):
            out.append(None)
            continue
        if "@" in part:
            return None
        v = _value(part)
        if v is None:
            return None
        out.append(v)
    return kind, out


def _chains(masked: str) -> list[tuple[int, list[tuple[int, int, str]]]]:
    """(modulus, sides as (start, end, text with blanks as ``@``)) of every congruence chain in ``masked``."""
    out = []
    for start, end in _segments(masked) if "\\equiv" in masked else ():
        body = masked[start:end]
        if "\\equiv" not in body:
            continue
        body = _ROW_GOES_ON.sub("  ", body)
        body = _BLANK.sub(lambda b: "@".ljust(len(b.group())), body)
        body = _FILLER.sub(lambda f: " " * len(f.group()), body).replace("\\\\", ";;")
        for piece_start, piece in _pieces(body, _END):
            if "\\equiv" not in piece:
                continue
            mods = {next(g for g in x.groups() if g) for x in _MODULUS.finditer(piece)}
            if len(mods) != 1 or len(next(iter(mods))) > _LONGEST_MODULUS:
                continue
            piece = _MODULUS.sub(lambda x: " " * len(x.group()), piece)
            sides = [
                (start + piece_start + a, start + piece_start + a + len(t), t)
                for a, t in _pieces(piece, re.compile(r"\\equiv(?![a-zA-Z])|="))
                if t.strip()
            ]
            if len(sides) >= 2:
                out.append((int(mods.pop()), sides))
    return out


def _pieces(text: str, cut: re.Pattern[str]) -> list[tuple[int, str]]:
    """``text`` cut where ``cut`` matches outside brackets: (offset, piece)."""
    out, depth, prev, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif depth == 0:
            m = cut.match(text, i)
            if m is not None and m.end() > i:
                out.append((prev, text[prev:i]))
                prev = i = m.end()
                continue
        i += 1
    out.append((prev, text[prev:]))
    return out


def _the_questions(side: str, question: str) -> bool:
    """Is ``side`` written whole in the question (not as part of a longer sum or product there)?"""
    said = _PUNCT.sub("", side)
    q = _PUNCT.sub("", question)
    start = q.find(said)
    while said and start >= 0:
        before, after = q[start - 1 : start] if start else "", q[start + len(said) : start + len(said) + 1]
        if not re.fullmatch(r"[-+*^.\d]", before or " ") and not re.fullmatch(r"[-+*^.\d\\]", after or " "):
            return True
        start = q.find(said, start + 1)
    return False


def congruences(question: str, masked: str, gold: Gold) -> list[Finding]:
    g = gold.value
    if (
        "\\equiv" not in masked
        or not isinstance(g, Fraction)
        or g.denominator != 1
        or not _BLANK.search(masked)
    ):
        return []
    target = int(g)
    for mod, sides in _chains(masked):
        if mod < 2 or not 0 <= target < mod or not any("@" in t for _, _, t in sides):
            continue
        read = [(s, e, _tokens(t)) for s, e, t in sides]
        for s, e, toks in read:
            if toks is None or "@" in toks or _the_questions(masked[s:e], question):
                continue
            v = _value(toks)
            if v is not None and v % mod == target:
                detail = f"{masked[s:e].strip()[:50]!r} is {target} mod {mod}, the gold"
                return [Finding("congruence", detail, s, e)]
        alike: dict[tuple[str, int], list[tuple[int, int, list[int | None]]]] = {}
        for s, e, toks in read:
            entries = _entries(toks) if toks and not _the_questions(masked[s:e], question) else None
            if entries is not None:
                alike.setdefault((entries[0], len(entries[1])), []).append((s, e, entries[1]))
        for (kind, _), group in alike.items():
            if len(group) < 2 or all(None not in ents for _, _, ents in group):
                continue
            seen = [
                {v % mod for v in column if v is not None}
                for column in zip(*(x[2] for x in group), strict=True)
            ]
            if any(len(col) != 1 for col in seen):
                continue
            total = 1 if kind == "*" else 0
            for col in seen:
                total = total * col.pop() if kind == "*" else total + col.pop()
            if total % mod == target:
                s, e = min(x[0] for x in group), max(x[1] for x in group)
                return [
                    Finding("congruence", f"the sides term by term give {target} mod {mod}, the gold", s, e)
                ]
    return []


#: a single letter in LaTeX (not a command's): a congruence's unknown
_LETTER = re.compile(r"\\[a-zA-Z]+|(?<![a-zA-Z])([a-zA-Z])(?![a-zA-Z])")
#: a numeral a reading takes in words (twelve digits at most: past Python's 4,300 no int is read)
_NUMERAL = r"\$?\s*(\d{1,12})(?![\d.,]\d)"
#: a bound stated in words on the value the trace solves for ("greater than $100$", "no more than 50",
#: "greater than or equal to 101", "at least 7")
_WORDED_BOUND = re.compile(
    r"\b(?:(no|not)\s+)?(greater|more|larger|bigger|less|fewer|smaller)\s+than(\s+or\s+equal\s+to)?\s*"
    + _NUMERAL
    + r"|\bat\s+(least|most)\s*"
    + _NUMERAL,
    re.I,
)
#: a congruence in words, on the number the trace looks for ("5 more than a multiple of 8", "leaves a
#: remainder of 3 when divided by 6"): the letter of its congruences is ``""``
_WORDED_CONGRUENCE = re.compile(
    r"\b(\d{1,12})\$?\s+(?:(less)|more)\s+than\s+a\s+multiple\s+of"
    + _NUMERAL
    + r"|\b(?:leaves|leaving|has|have|gives|with)\s+(?:a\s+)?remainder\s+(?:of\s+)?\$?(\d{1,12})\$?\s+when\s+"
    r"(?:it\s+is\s+|they\s+are\s+)?divided\s+by" + _NUMERAL,
    re.I,
)
#: a letter written as a linear form in another, which the prose calls an integer ("$m = 5 + 7a$ for some
#: integer $a$", "$k \in \mathbb{Z}$"): a congruence too; read inside a formula of at most
#: :data:`_LONGEST_FORM` characters, up to a relation or separator
_PARAMETRIC = re.compile(r"(?<![\\a-zA-Z])([a-zA-Z])\s*=\s*([^=<>,;]+)")
_LONGEST_FORM = 200
_INTEGER = re.compile(r"integer|\\mathbb\s*\{?\s*Z")
_ASKS_LEAST = re.compile(r"\b(?:least|smallest|minimum|minimal|fewest|lowest)\b", re.I)
_ASKS_LARGEST = re.compile(r"\b(?:largest|greatest|biggest|maximum)\b", re.I)
_ASKS_SUM = re.compile(
    r"\bsum\s+of\s+(?:all\s+)?(?:the\s+)?(?:possible\s+)?(?:values|solutions|such)\b", re.I
)
#: the boxed result of one step: ``[N] \cdot 7 = \boxed{[N]}``
_BOXED_STEP = re.compile(r"([^$=]{1,80}?)=\s*\\boxed\{\s*\[[A-Z]+\]\s*\}")
#: a modulus the question names ("\pmod{83}", "modulo 7", "divided by $8$")
_QUESTION_MODULUS = re.compile(r"(?:mod(?:ulo)?|divided\s+by)\s*\{?\s*\$?\s*(\d+)")
#: the most solutions summed (a bound far off is no list a reader adds up)
_MAX_SUMMED = 100
#: the most digits of a modulus a reading takes
_LONGEST_MODULUS = 12
#: where a form must also hold to be linear (a cubic can pass 0, 1 and 2: ``n(n-1)(n-2) + 3n``)
_CHECK_POINTS = (Fraction(97, 13), Fraction(-211, 7))


@lru_cache(maxsize=8)
def _segments(text: str) -> tuple[tuple[int, int], ...]:
    """Where the interiors of ``text``'s formulas are (:data:`_MATH`), found once per text: the readings
    of this module each walk them, and the pattern is slow on an unclosed ``\\(``."""
    out = []
    for m in _MATH.finditer(text):
        k = next(i for i in range(1, 7) if m.group(i) is not None and i != 5)
        out.append((m.start(k), m.end(k)))
    return tuple(out)


def _letters(text: str) -> set[str]:
    return {m.group(1) for m in _LETTER.finditer(text) if m.group(1)}


def _linear(text: str, letter: str) -> tuple[Fraction, Fraction] | None:
    """``text`` as ``a * letter + c`` (exact), if it spells one expression linear in ``letter`` and no
    other unknown; ``None`` otherwise."""
    tree = read_expression(text)
    if tree is None:
        return None
    name = f"v:{letter}"
    try:
        y0, y1 = (evaluate(tree, {name: Fraction(k)}) for k in (0, 1))
        if not (type(y0) is Fraction and type(y1) is Fraction):
            return None
        for x in _CHECK_POINTS:
            if evaluate(tree, {name: x}) != y0 + (y1 - y0) * x:
                return None
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None
    return y1 - y0, y0


def _solve_mod(a: int, b: int, m: int) -> tuple[int, int] | None:
    """``a x = b (mod m)`` as ``x = r (mod n)``, or ``None`` when it has no solution or fixes nothing."""
    a, b = a % m, b % m
    g = gcd(a, m)
    if a == 0 or b % g:
        return None
    n = m // g
    return (b // g) * pow(a // g, -1, n) % n if n > 1 else 0, n


def _combined(r1: int, n1: int, r2: int, n2: int) -> tuple[int, int] | None:
    """``x = r1 (mod n1)`` and ``x = r2 (mod n2)`` as one congruence (``None``: they disagree)."""
    g = gcd(n1, n2)
    if (r2 - r1) % g:
        return None
    n = n1 // g * n2
    k = ((r2 - r1) // g * pow(n1 // g, -1, n2 // g)) % (n2 // g) if n2 // g > 1 else 0
    return (r1 + n1 * k) % n, n


#: each letter's congruences: letter -> [(r, n, start, end)] for ``letter = r (mod n)``
_Congruences = dict[str, list[tuple[int, int, int, int]]]
#: each letter written as a linear form in an integer: letter -> [(that integer's letter, a, c)], ``a k + c``
_Forms = dict[str, list[tuple[str, Fraction, Fraction]]]


def _congruences_in(text: str) -> tuple[_Congruences, _Forms]:
    r"""Each letter's visible congruences, solved, from chains with no blank and one letter (a side with a
    blank drops out: ``m \equiv [N] \equiv 5``), from linear forms in a letter the prose calls an integer,
    and, under the letter ``""``, from words; and the linear forms themselves."""
    out: _Congruences = {}
    forms: _Forms = {}
    for mod, sides in _chains(text):
        shown = [(s, e, t) for s, e, t in sides if "@" not in t]
        letters = set().union(*(_letters(t) for _, _, t in shown))
        if mod < 2 or len(shown) < 2 or len(letters) != 1:
            continue
        (letter,) = letters
        read = [r for r in (_linear(t, letter) for _, _, t in shown) if r is not None]
        # every side is congruent to the first read: one pair with another coefficient solves it (a pair
        # each, not every pair: a long chain that solves nothing costs a pass)
        for other in read[1:]:
            a, c = read[0][0] - other[0], other[1] - read[0][1]
            if a.denominator != 1 or c.denominator != 1:
                continue
            solved = _solve_mod(int(a), int(c), mod)
            if solved is not None:
                out.setdefault(letter, []).append((*solved, shown[0][0], shown[-1][1]))
                break
    for start, end in _segments(text) if _INTEGER.search(text) else ():
        if end - start > _LONGEST_FORM:
            continue
        for p in _PARAMETRIC.finditer(text, start, end):
            x, form_text = p.group(1), p.group(2).rstrip(" .")
            others = _letters(form_text)
            if len(others) != 1 or x in others or not _INTEGER.search(text, max(0, start - 80), end + 80):
                continue
            (k,) = others
            form = _linear(form_text, k)  # x = a k + c, k any integer: x = c (mod a)
            if form is None or form[0].denominator != 1 or form[1].denominator != 1 or abs(form[0]) < 2:
                continue
            n = abs(int(form[0]))
            out.setdefault(x, []).append((int(form[1]) % n, n, p.start(2), p.start(2) + len(form_text)))
            forms.setdefault(x, []).append((k, *form))
    for w in _WORDED_CONGRUENCE.finditer(text):
        r, less, mod = int(w.group(1) or w.group(4)), bool(w.group(2)), int(w.group(3) or w.group(5))
        solved = _solve_mod(1, -r if less else r, mod) if mod >= 2 else None
        if solved is not None:
            out.setdefault("", []).append((*solved, *w.span()))
    return out, forms


def _bounds(text: str, letter: str, words: bool = True) -> tuple[list[Fraction], list[Fraction]]:
    """The least values (lower bounds, strict ones raised past the bound) and the greatest values (upper
    bounds) ``letter`` may take by the visible inequalities linear in it, and, with ``words``, by bounds in
    words (which name no letter: they bound the value the trace looks for)."""
    lower: list[Fraction] = []
    upper: list[Fraction] = []

    def add(a: Fraction, c: Fraction, more: bool, strict: bool) -> None:
        """``a x + c (> or <) 0``: a bound on x"""
        if a == 0:
            return
        bound = -c / a
        if a < 0:
            more = not more
        if more:
            lower.append(Fraction(math.floor(bound) + 1 if strict else math.ceil(bound)))
        else:
            upper.append(Fraction(math.ceil(bound) - 1 if strict else math.floor(bound)))

    for start, end in _segments(text) if letter else ():  # the number words describe has no inequality
        body = text[start:end]
        if "[" in body or letter not in _letters(body):
            continue
        parts = _pieces(body, RELATION)
        relations = [r.group() for r in RELATION.finditer(body)]
        if len(parts) < 2 or len(relations) != len(parts) - 1:
            continue
        for (_, left_text), (_, right_text), rel in zip(parts, parts[1:], relations, strict=False):
            left, right = _linear(left_text, letter), _linear(right_text, letter)
            if left is None or right is None:
                continue
            more = rel.lstrip("\\")[0] in "g>≥"
            strict = rel in ("<", ">", "\\gt", "\\lt")
            add(left[0] - right[0], left[1] - right[1], more, strict)
    for w in _WORDED_BOUND.finditer(text) if words else ():
        if w.group(2):  # "greater than", "no more than", "less than or equal to"
            more = w.group(2).lower() in ("greater", "more", "larger", "bigger")
            negated = bool(w.group(1))
            add(Fraction(1), -Fraction(int(w.group(4))), more != negated, not (negated or w.group(3)))
        else:  # "at least", "at most"
            add(Fraction(1), -Fraction(int(w.group(6))), w.group(5).lower() == "least", False)
    return lower, upper


def least_solutions(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A congruence linear in one letter, solved and bounded as the trace shows (see the module)."""
    g = gold.value
    if not isinstance(g, Fraction) or g.denominator != 1:
        return []
    if "\\equiv" not in masked and not _INTEGER.search(masked) and not _WORDED_CONGRUENCE.search(masked):
        return []
    found_all, forms = _congruences_in(masked)
    own = {(r, n) for entries in _congruences_in(question)[0].values() for r, n, _, _ in entries}
    for letter, found in found_all.items():
        found = [f for f in found if (f[0], f[1]) not in own]  # the question's own condition is the task
        if not found:
            continue
        r, n = found[0][0], found[0][1]
        for other in found[1:]:
            both = _combined(r, n, other[0], other[1])
            if both is None:
                break
            r, n = both
        else:
            for value, what in _bounded(question, masked, letter, r, n, forms.get(letter, [])):
                if value != g and _boxed_with(masked, value) != g:
                    continue
                s, e = found[0][2], found[0][3]
                name = f"${letter}$" if letter else "the number"
                how = "is the gold" if value == g else "in the boxed step's blank gives the gold"
                detail = f"{masked[s:e].strip()[:50]!r} solved for {name}, bounded as the trace shows"
                return [Finding("congruence", f"{detail}: {what}, {int(value)}, {how}", s, e)]
    return []


def _bounded(
    question: str, masked: str, letter: str, r: int, n: int, forms: list[tuple[str, Fraction, Fraction]]
) -> list[tuple[Fraction, str]]:
    """The values a reader takes for ``letter = r (mod n)``, with what each is, each only where the question
    asks for it: the least at or above the strongest lower bound (else the least positive), the least
    residue ``r`` where the question names the modulus as one, the greatest at or below the strongest upper
    bound, and the sum of the solutions between the two. A bound on the integer of a linear form of the letter
    (``9k + 4 > 100`` for ``m = 9k + 4``) bounds the letter too."""
    lower, upper = _bounds(masked, letter)
    for k, a, c in forms:
        low_k, high_k = _bounds(masked, k, words=False)
        lower += [a * b + c for b in (low_k if a > 0 else high_k)]
        upper += [a * b + c for b in (high_k if a > 0 else low_k)]
    low = max(lower) if lower else Fraction(1)
    least = low + (r - low) % n
    values = []
    if _ASKS_LEAST.search(question):
        values.append((least, "the least solution"))
    if not lower and str(n) in _QUESTION_MODULUS.findall(question):
        values.append((Fraction(r), "the least residue"))
    if upper:
        high = min(upper)
        if _ASKS_LARGEST.search(question):
            values.append((high - (high - r) % n, "the greatest solution"))
        if _ASKS_SUM.search(question) and least <= high and (high - least) // n < _MAX_SUMMED:
            count = int((high - least) // n) + 1
            values.append((count * least + n * count * (count - 1) // 2, "the sum of the solutions"))
    return values


def _boxed_with(masked: str, value: Fraction) -> Fraction | None:
    """The boxed step's result with ``value`` in its one blank operand (``[N] \\cdot 7 = \\boxed{[N]}``), or
    ``None`` when there is no such step."""
    steps = list(_BOXED_STEP.finditer(masked))
    if not steps:
        return None
    m = steps[-1]
    operand = m.group(1)
    if len(_BLANK.findall(operand)) != 1 or _letters(_BLANK.sub("", operand)):
        return None
    tree = read_expression(_BLANK.sub(f"({int(value)})", operand).strip())
    if tree is None:
        return None
    try:
        result = evaluate(tree, {})
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None
    return result if type(result) is Fraction else None
