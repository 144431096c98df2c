"""The ``congruence`` attack: a chain of ``\\equiv`` under one visible modulus is a chain of relations mod m.

Every side of ``A \\equiv B \\equiv C \\pmod{7}`` (``=`` links it too) has one residue. A reader gets it from
a side whose operands are all visible (``1+3 \\equiv [N] \\pmod 7``), or, term by term, from sides written
alike (``4 \\cdot 6 \\cdot [N] \\equiv [N] \\cdot 6 \\cdot 1``: each position's visible entry, reduced mod m,
stands for the blank of the same position on another side) when every visible entry of a position agrees
mod m. That residue equal to the gold (an integer in ``[0, m)``) leaks. A side that copies the question's
own expression is the question's task, no leak; a chain with no blank is left to the other attacks.
"""

from __future__ import annotations

import re

from .._leak import Finding
from ._answer import Gold
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
    for m in _MATH.finditer(masked):
        k = next(i for i in range(1, 7) if m.group(i) is not None and i != 5)
        start = m.start(k)
        body = m.group(k)
        if "\\equiv" not in body:
            continue
        body = _ROW_GOES_ON.sub("  ", body)
        body = _BLANK.sub(lambda b: "@".ljust(len(b.group())), body)
        body = _FILLER.sub(lambda f: " " * len(f.group()), body).replace("\\\\", ";;")
        for piece_start, piece in _pieces(body, _END):
            if "\\equiv" not in piece:
                continue
            mods = {next(g for g in x.groups() if g) for x in _MODULUS.finditer(piece)}
            if len(mods) != 1:
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
