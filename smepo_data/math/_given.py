"""The values a question gives: numerals, numeric LaTeX and number words ("half", "a dozen")."""

from __future__ import annotations

import re
from functools import lru_cache

from ._lexer import values_in
from ._rational import Fraction
from ._values import Value, value_key

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORDS: dict[str, tuple[Fraction, ...]] = {w: (Fraction(i),) for i, w in enumerate(_UNITS)}
_WORDS.update({w: (Fraction(20 + 10 * i),) for i, w in enumerate(_TENS)})
_WORDS.update(
    {
        "hundred": (Fraction(100),),
        "thousand": (Fraction(1000),),
        "million": (Fraction(10**6),),
        "billion": (Fraction(10**9),),
        "dozen": (Fraction(12),),
        "dozens": (Fraction(12),),
        "pair": (Fraction(2),),
        "pairs": (Fraction(2),),
        "twice": (Fraction(2),),
        "double": (Fraction(2),),
        "doubled": (Fraction(2),),
        "triple": (Fraction(3),),
        "tripled": (Fraction(3),),
        "thrice": (Fraction(3),),
        "quadruple": (Fraction(4),),
        # the verbs of those factors: "the cost is halved every 10 years", "doubles each day"
        "halve": (Fraction(2), Fraction(1, 2)),
        "halved": (Fraction(2), Fraction(1, 2)),
        "halving": (Fraction(2), Fraction(1, 2)),
        "doubles": (Fraction(2),),
        "doubling": (Fraction(2),),
        "triples": (Fraction(3),),
        "tripling": (Fraction(3),),
        "quadrupled": (Fraction(4),),
        "quadruples": (Fraction(4),),
        "half": (Fraction(2), Fraction(1, 2)),
        "halves": (Fraction(2), Fraction(1, 2)),
        "third": (Fraction(3), Fraction(1, 3)),
        "thirds": (Fraction(3), Fraction(1, 3)),
        "quarter": (Fraction(4), Fraction(1, 4)),
        "quarters": (Fraction(4), Fraction(1, 4)),
        "fourth": (Fraction(4), Fraction(1, 4)),
        "fourths": (Fraction(4), Fraction(1, 4)),
        "fifth": (Fraction(5), Fraction(1, 5)),
        "sixth": (Fraction(6),),
        "seventh": (Fraction(7),),
        "eighth": (Fraction(8),),
        "ninth": (Fraction(9),),
        "tenth": (Fraction(10), Fraction(1, 10)),
        "percent": (Fraction(100),),
        "%": (Fraction(100),),
        # rates and units whose conversion constant the question implies ("quarterly": 4 a year)
        "quarterly": (Fraction(4),),
        "monthly": (Fraction(12),),
        "weekly": (Fraction(7), Fraction(52)),
        "daily": (Fraction(7), Fraction(365), Fraction(30)),
        "biweekly": (Fraction(2), Fraction(26)),
        "semiannually": (Fraction(2),),
        "annually": (Fraction(12),),
        "yearly": (Fraction(12),),
        "hourly": (Fraction(60), Fraction(24)),
        "hour": (Fraction(60),),
        "hours": (Fraction(60),),
        "minute": (Fraction(60),),
        "minutes": (Fraction(60),),
        "week": (Fraction(7),),
        "weeks": (Fraction(7),),
        "year": (Fraction(12), Fraction(52), Fraction(365)),
        "years": (Fraction(12), Fraction(52), Fraction(365)),
        "decade": (Fraction(10),),
        "century": (Fraction(100),),
        "cents": (Fraction(100),),
        "cent": (Fraction(100),),
        "feet": (Fraction(12),),
        "foot": (Fraction(12),),
        "yard": (Fraction(3),),
        "yards": (Fraction(3),),
        "degrees": (Fraction(180), Fraction(360)),
        "degree": (Fraction(180), Fraction(360)),
    }
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?|%")
_TOKEN = re.compile(r"\S+")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])")
_SPACE = re.compile(r"\s+")


#: the denominators of fractions in words, by their singular: "one-quarter", "three-fifths"
_FRACTION_TAILS = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6}
_FRACTION_TAILS.update({"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10})


def _word_values(word: str) -> tuple[Fraction, ...]:
    if word in _WORDS:
        return _WORDS[word]
    if "-" in word:  # twenty-five; one-quarter (4 and 1/4), three-fifths (5, 3 and 3/5)
        tens, _, unit = word.partition("-")
        if tens in _TENS and unit in _UNITS[1:10]:
            return (_WORDS[tens][0] + _WORDS[unit][0],)
        den = _FRACTION_TAILS.get(unit[:-1] if unit.endswith("s") else unit)
        if den is not None and tens in _UNITS[1:10]:
            num = _UNITS.index(tens)
            return (Fraction(den), Fraction(num), Fraction(num, den))
    return ()


class Given:
    """Membership test for values given by a question (sign-insensitive: ``f(-2)`` gives 2). 0 and 1 are
    always given: no reader needs them stated (the 1 of ``24 \\cdot (1/4)`` after "a quarter")."""

    def __init__(self, values: list[Value]):
        # exact values as (numerator, denominator), either sign: a pair of ints hashes much faster than a
        # Fraction, and equal Fractions have equal pairs
        self.exact = {(0, 1), (1, 1), (-1, 1)}
        for v in values:
            if isinstance(v, Fraction):
                self.exact.add((v.numerator, v.denominator))
                self.exact.add((-v.numerator, v.denominator))
        self.approx = {value_key(v) for v in values if not isinstance(v, Fraction)}
        self.approx |= {value_key(-v) for v in values if not isinstance(v, Fraction)}

    def __contains__(self, v: Value) -> bool:
        if isinstance(v, Fraction):
            return (v.numerator, v.denominator) in self.exact
        return value_key(v) in self.approx


#: the most digits a question's thousands-separated number may have to be read as a value
_MOST_DIGITS = 30


@lru_cache(maxsize=4096)
def given_values(question: str) -> Given:
    values: list[Value] = values_in(question)
    for m in _THOUSANDS.finditer(question):  # "$66,200$": thousands even inside math
        digits = m.group().replace(",", "")
        if len(digits) <= _MOST_DIGITS:  # (no value a reader works with past it, and int() refuses 4,300)
            values.append(Fraction(digits))
    for w in _WORD.findall(question.lower()):
        if w in _WORDS:
            values.extend(_WORDS[w])
        elif "-" in w:
            values.extend(_word_values(w))
    return Given(values)


def copied_from_question(text: str, start: int, end: int, question: str) -> bool:
    """Is ``text[start:end]``, with two words either side of it, a quote of the question?

    Case and runs of spaces are ignored. The audit lets a value equal to the answer stay visible
    only where the trace restates the question like this.
    """
    left = _TOKEN.findall(text[max(0, start - 80) : start])[-2:]
    right = _TOKEN.findall(text[end : end + 80])[:2]
    if not (left or right):
        return False
    before = text[max(0, start - 80) : start]
    after = text[end : end + 80]
    glue_left = "" if before[-1:].isspace() else left.pop() if left else ""
    glue_right = "" if after[:1].isspace() else right.pop(0) if right else ""
    quote = " ".join([*left, glue_left + text[start:end] + glue_right, *right])
    return _SPACE.sub(" ", quote).lower() in _question_key(question)


@lru_cache(maxsize=4096)
def _question_key(question: str) -> str:
    return _SPACE.sub(" ", question).lower()
