"""The ``replay`` attack over arithmetic a trace spells in words, step after step.

"Continuing this sequence from the 27, we add four to make [NUMBER], then multiply [NUMBER] by four to make
[NUMBER], then add five to [NUMBER] to make [NUMBER]": a reader starts at 27, adds 4, multiplies by 4, adds 5
and has 129, whatever the blanks hide, for each blank the steps work on is the result just made. No equation
is written, so no other attack reads it.

A step is a verb, its operands and its result, in words: "add A (to B)", "subtract A (from B)", "multiply (B)
by A", "divide (B) by A", "double / triple / halve / square (B)", then "to make / to get / giving / which
gives / for R". Operands and results are numerals (``1,000``; not a fraction's ``1/2``), number words
("four", "twenty-five") or blanks; B may be "it", "that", "this", "that number" or "the result". A step
without its result ("add 5 to both sides", "divide by 2 to find the width") computes nothing a reader can
follow. Steps chain while each follows the last within a few words in one paragraph, and no sentence between
them starts a value of its own (a numeral of the new sentence before its step starts a new chain; a blank
there is the result just made, "... to make [NUMBER]. We take the [NUMBER] and double it"). A missing or
pronoun B, or a blank one, is the latest result; the first step's is the last value written before it in its
sentence ("from the 27"), unknown when that is a blank or none is written. Numerals of more than 30
digits and values past 400 bits ("square it" twenty times) are no values a reader works with: the chain
stops. A visible result replaces the computed one (the reader takes what is written), a blank result is
the computed value. A computed result equal to the gold leaks. Blamed on the chain from its first operand
to the step that reaches the gold (the repair hides one of its values, a copy of a question value first). A
chain whose every step, verb and operand, the question spells in order from a value it gives is the task's
("Start with 36, add four, then multiply the result by four"; "Multiply 4 by 3, then add 5": the operand after
"by"; values compared as values, "36.", "1,000", "thirty-six"; the verbs in their own forms, not
"additional" or "multiplication").
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

from .._leak import Finding
from ._answer import Gold
from ._given import _TENS, _UNITS, _word_values
from ._rational import Fraction

_WORD = "|".join(sorted({*_UNITS, *_TENS, *(f"{t}-{u}" for t in _TENS for u in _UNITS[1:10])}, key=len)[::-1])
#: a numeral: thousands commas, a decimal; not the start of a fraction, a power or a longer token
_NUMERAL = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d^\w]|[,./]\d)"
#: an operand or a result: a blank, a numeral (in a math segment or not), a number word
_VALUE = rf"(?:\[[A-Z]+\]|\$?{_NUMERAL}\$?|(?:{_WORD})(?![\w-]))"
_PRONOUN = r"(?:that number|this number|the result|it|that|this)"
_TARGET = rf"(?:{_VALUE}|{_PRONOUN})"
# ``\s*(?:,\s*)?``, not ``\s*,?\s*``: two runs of blanks side by side split a long run every way (quadratic)
_RESULT = (
    r"\s*(?:,\s*)?(?:to (?:make|get|obtain|give|reach)|(?:which |this |that )?(?:gives|makes|yields)|giving|"
    rf"yielding|making|(?:and |we |to )get|for)\s+(?:us\s+)?(?P<r>{_VALUE})"
)
_STEP = re.compile(
    r"(?i)\b(?:"
    rf"(?P<add>add(?:s|ed|ing)?)\s+(?P<a1>{_VALUE})(?:\s+to\s+(?P<b1>{_TARGET}))?"
    rf"|(?P<sub>subtract(?:s|ed|ing)?)\s+(?P<a2>{_VALUE})(?:\s+from\s+(?P<b2>{_TARGET}))?"
    rf"|(?P<mul>multipl(?:y|ies|ied|ying))\s+(?:(?P<b3>{_TARGET})\s+)?by\s+(?P<a3>{_VALUE})"
    rf"|(?P<div>divid(?:e|es|ed|ing))\s+(?:(?P<b4>{_TARGET})\s+)?by\s+(?P<a4>{_VALUE})"
    rf"|(?P<unary>doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|halv(?:e|es|ed|ing)|squar(?:e|es|ed|ing))"
    rf"(?:\s+(?P<b5>{_TARGET}))?"
    rf"){_RESULT}"
)
#: a value before the first step, in its sentence: the chain's start ("from the 27, we add"), or a blank
_START = re.compile(rf"(?<![\w.])(?:\$?({_NUMERAL})\$?|(\[[A-Z]+\]))")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
#: how far back the start of a step's sentence is looked for
_SENTENCE_BACK = 400
#: the most characters between two steps of one chain
_GAP = 60
#: the longest numeral read as a value, and the most bits a computed value may hold (``square it`` twenty
#: times over would hold a million digits): past either, the chain stops
_LONGEST_NUMERAL = 30
_MOST_BITS = 400
_BINARY: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
}
#: a unary verb's stem -> what it does to its target
_UNARY: dict[str, Callable[[Fraction], Fraction]] = {
    "doubl": lambda x: x * 2,
    "tripl": lambda x: x * 3,
    "halv": lambda x: x / 2,
    "squar": lambda x: x * x,
}
#: a verb of the question and the value after it: the steps the question itself spells
_ASKED_STEP = re.compile(
    r"(?i)\b(?:(add)(?:s|ed|ing)?|(subtract)(?:s|ed|ing)?|(multipl)(?:y|ies|ied|ying)|(divid)(?:e|es|ed|ing)"
    r"|(doubl|tripl|halv|squar)(?:e|es|ed|ing))\b"
)
#: the operand a question's step names: right after the verb ("add four"), or after "by" ("multiply 4 by 3")
_ASKED_OPERAND = re.compile(rf"(?i)(?:\s+(?:it|that|the result|{_VALUE}))?\s+by\s+({_VALUE})|\s+({_VALUE})")
#: a value the question writes: a numeral or a number word
_QUESTION_VALUE = re.compile(rf"(?i)(?<![\w.]){_VALUE}")


def _value(text: str) -> Fraction | None:
    """What an operand or a result states; ``None`` for a blank or a pronoun (the reader's latest)."""
    t = text.strip().strip("$").strip().lower()
    if t.startswith("["):
        return None
    if t[:1].isdigit() or t[:1] == "-":
        digits = t.replace(",", "")
        return Fraction(digits) if len(digits) <= _LONGEST_NUMERAL else None
    values = _word_values(t)
    return values[0] if values else None


def _latest(text: str | None) -> bool:
    """Whether a target is the reader's latest result: none written, a pronoun or a blank."""
    return text is None or text[:1] == "[" or text[:1].isalpha() and _value(text) is None


def _kind(m: re.Match[str]) -> str:
    return next(k for k in ("add", "sub", "mul", "div", "unary") if m.group(k))


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``at`` starts (looked for at most :data:`_SENTENCE_BACK` back)."""
    lo = max(0, at - _SENTENCE_BACK)
    return max((e.end() for e in _SENTENCE_END.finditer(text, lo, at)), default=lo)


def _asked(question: str, steps: list[tuple[str, Fraction | None]], start: Fraction | None) -> bool:
    """Whether the question spells the chain itself: its start value (a numeral or a number word it
    writes), then each step's verb (and operand, where the step has one) in order."""
    if start is None or start not in {_value(m.group()) for m in _QUESTION_VALUE.finditer(question)}:
        return False
    asked: list[tuple[str, Fraction | None]] = []
    for m in _ASKED_STEP.finditer(question):
        stem = next(g for g in m.groups() if g).lower()
        o = _ASKED_OPERAND.match(question, m.end())
        asked.append((stem, _value(o.group(1) or o.group(2)) if o else None))
    k = 0
    for verb, operand in steps:
        while k < len(asked) and not (
            verb.lower().startswith(asked[k][0]) and (operand is None or asked[k][1] == operand)
        ):
            k += 1
        if k == len(asked):
            return False
        k += 1
    return True


def worded(question: str, masked: str, gold: Gold) -> list[Finding]:
    """The findings of the module's attack on ``masked``."""
    if not isinstance(gold.value, Fraction) or not _STEP.search(masked):
        return []
    latest: Fraction | None = None
    chain_start, last_end = -1, -1
    start_value: Fraction | None = None
    steps: list[tuple[str, Fraction | None]] = []
    for m in _STEP.finditer(masked):
        sentence = _sentence_start(masked, m.start())
        fresh = sentence > last_end and any(x.group(1) for x in _START.finditer(masked, sentence, m.start()))
        if last_end < 0 or m.start() - last_end > _GAP or "\n\n" in masked[last_end : m.start()] or fresh:
            latest, chain_start, steps = None, m.start(), []  # a new chain
            before = list(_START.finditer(masked, sentence, m.start()))
            if before and before[-1].group(1):  # a blank before the step: the start is unknown
                latest, chain_start = _value(before[-1].group(1)), before[-1].start()
        last_end = m.end()
        kind = _kind(m)
        target = next((m.group(f"b{i}") for i in range(1, 6) if m.group(f"b{i}") is not None), None)
        x = latest if _latest(target) else _value(target or "")
        if not steps:
            start_value = x  # the chain's first value: the start before it, or its own target
        result = _value(m.group("r"))
        computed: Fraction | None = None
        operand: Fraction | None = None
        if kind == "unary":
            verb = m.group("unary").lower()
            stem = next(s for s in _UNARY if verb.startswith(s))
            computed = _UNARY[stem](x) if x is not None else None
            steps.append((stem, None))
        else:
            operand = _value(next(m.group(f"a{i}") for i in range(1, 5) if m.group(f"a{i}") is not None))
            if x is not None and operand is not None and not (kind == "div" and operand == 0):
                computed = _BINARY[kind](x, operand)
            steps.append((m.group(kind).lower(), operand))
        if (
            computed is not None
            and max(computed.numerator.bit_length(), computed.denominator.bit_length()) > _MOST_BITS
        ):
            computed = None  # no value a reader works with
        latest = result if result is not None else computed
        if result is None and computed is not None and gold.equals(computed):
            if _asked(question, steps, start_value):
                continue  # the question spells these steps itself: working them is the task
            what = f"{masked[chain_start : m.end()]!r}, worked in words, gives the gold {computed}"
            return [Finding("replay", what, chain_start, m.end())]
    return []
