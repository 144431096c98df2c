"""What a trace states besides its numerals: number words that read as quantities ("ten years old",
"twice", "five dozen", "the third set") and standard constants (12 a dozen, 0.25 a quarter, 60 minutes an
hour, the 0.01 of a percent, 4 wheels a car).

The masker reads both: a number word restating a value counts as a second statement of it (a cut then
prefers another operand), and a standard constant is no value of the problem (it stays visible unless a
cut has nothing else to hide). The ``restated`` attack reads the words: a hidden value whose word stays
visible as the same quantity is given back.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .._model import Span
from ._given import _TENS, _UNITS, _WORDS
from ._lexer import _FIGURE, Atom, scan_cached
from ._rational import Fraction
from ._values import Value

_CARDINAL: dict[str, int] = {w: i for i, w in enumerate(_UNITS) if i >= 2}
_CARDINAL.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
_SMALL = {w: i for i, w in enumerate(_UNITS) if 1 <= i <= 9}  # the unit of "twenty-five"
_SCALE = {"dozen": 12, "hundred": 100, "thousand": 1000}
#: words that multiply or divide by a count: "twice as many" states a factor 2, "half of" a 2 (and 1/2),
#: and their verbs: "halve the cost once: $1,000,000 / 2" states the 2 as plainly as "half"
_MULTIPLIER: dict[str, tuple[Fraction, ...]] = {
    w: _WORDS[w]
    for w in (
        *("twice", "double", "doubled", "doubles", "doubling", "triple", "tripled", "triples", "tripling"),
        *("thrice", "quadruple", "quadrupled", "quadruples", "half", "halve", "halved", "halving"),
    )
}
#: ordinals ("first" and "second" are discourse words and a time unit far more often than the values)
_ORDINAL = {
    w: i + 3
    for i, w in enumerate(
        [
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ]
    )
}

_CARD = "|".join(sorted(_CARDINAL, key=len, reverse=True))
#: the denominators fraction words state: "one-quarter", "a third of", "two-thirds", "three fifths of"
_DENOMINATOR = {
    "half": 2,
    "halves": 2,
    "quarter": 4,
    "quarters": 4,
    **_ORDINAL,
    **{w + "s": d for w, d in _ORDINAL.items()},
}
_DEN = "|".join(sorted(_DENOMINATOR, key=len, reverse=True))
#: a fraction in words: a numerator ("one", "a", a cardinal) and a denominator, hyphenated, or with a space
#: when "of", "as" or a punctuation mark follows ("a third of the class", "is one quarter.": not "a third
#: time", "three quarters and a dime")
_FRACTION = re.compile(
    rf"(?<![\w\\-])(?P<num>{_CARD}|one|an|a)(?:-(?P<den>{_DEN})|\s+(?P<spaced>{_DEN})(?=\s+(?:of|as)\b|\s*[.,;:!?)]|\s*$))"
    rf"(?![\w-])",
    re.I,
)
_PHRASE = re.compile(
    rf"(?<![\w\\-])(?:"
    rf"(?P<tens>{'|'.join(_TENS)})-(?P<unit>{'|'.join(_SMALL)})"
    rf"|(?P<card>{_CARD}|one|an|a)(?:\s+(?P<scale>dozen|hundred|thousand))?"
    rf"|(?P<mult>{'|'.join(sorted(_MULTIPLIER, key=len, reverse=True))})"
    rf"|(?P<ord>{'|'.join(sorted(_ORDINAL, key=len, reverse=True))})s?"
    rf")(?![\w-])",
    re.I,
)
#: where a phrase or a fraction in words may start: a run of letters after no letter, digit, ``\\`` or ``-``
#: (the patterns' own look-behind), and the words (lower-cased) its first run must be for either to match
_WORD_START = re.compile(r"(?<![\w\\-])[^\W\d_]+")
_PHRASE_FIRST = frozenset(
    [*_TENS, *_CARDINAL, "one", "an", "a", *_MULTIPLIER, *_ORDINAL, *(w + "s" for w in _ORDINAL)]
)
_FRACTION_FIRST = frozenset([*_CARDINAL, "one", "an", "a"])


#: letters that case-insensitive ``re`` matches as ASCII ones (the long s as "s", the Kelvin sign as "k",
#: the dotted and dotless i as "i") but that ``str.lower`` keeps: folded before a word-table lookup
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})


def _fold(word: str) -> str:
    """``word`` as the word tables spell it: lower case, the letters ``re.I`` reads as ASCII made ASCII."""
    return word.translate(_FOLD).lower()


def _at_words(pattern: re.Pattern[str], first: frozenset[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying ``pattern`` only where a run of ASCII letters in ``first`` (any
    case) starts, or any run with another letter: nowhere else can it match (a match of ``_PHRASE`` or
    ``_FRACTION`` opens with one of those words, whole), and re's scan of every position is the slow part."""
    pos = 0
    for w in _WORD_START.finditer(text):
        if w.start() < pos:
            continue
        word = w.group()
        if word.isascii() and word.lower() not in first:
            continue
        m = pattern.match(text, w.start())
        if m is not None:
            yield m
            pos = m.end()


#: what makes an ordinal a label, not a count: "the third step", "in the fourth case"
_LABEL_AFTER = re.compile(
    r"\s+(?:case|step|part|stage|phase|method|way|approach|equation|condition|option|row|column|line"
    r"|digit|term|time|place|try|attempt|round|of|one|power|root)s?\b",
    re.I,
)
_NOT_A_FACTOR = re.compile(
    r"[\s-]+(?:roots?|count(?:ed|ing)?|check(?:ed|ing)?|digits?|bonds?|integrals?)\b", re.I
)
_LABEL_BEFORE = re.compile(
    r"(?:step|case|part|stage|phase|method|problem|example|equation|question|round|chapter)\s+$", re.I
)


@dataclass(frozen=True, slots=True)
class Word:
    """A number word or phrase of a trace and the values it states. ``kind`` is ``cardinal`` ("ten",
    "five dozen"), ``multiplier`` ("twice", "half"), ``fraction`` ("one-quarter", "a third of") or
    ``ordinal`` ("third")."""

    start: int
    end: int
    values: tuple[Fraction, ...]
    kind: str


@lru_cache(maxsize=32)
def number_words(text: str) -> tuple[Word, ...]:
    """The number words of ``text`` that read as quantities of 2 or more: not inside figure code, not a
    step label ("step three", "the third case"), not a compound adjective ("two-digit"), not the pronoun
    "one" nor a bare "a"."""
    if not any(c.isalpha() for c in text):
        return ()
    figures = [m.span() for m in _FIGURE.finditer(text)] if "[asy]" in text else []
    out = _fractions(text, figures)
    for m in _at_words(_PHRASE, _PHRASE_FIRST, text):
        s, e = m.span()
        if any(a <= s < b for a, b in figures) or text[e : e + 1] == "-":
            continue
        if any(w.start <= s < w.end for w in out):
            continue  # the "two" of "two thirds of": the fraction's numerator
        if _LABEL_BEFORE.search(text, max(0, s - 12), s):
            continue
        if m.group("tens"):
            values: tuple[Fraction, ...] = (
                Fraction(_CARDINAL[_fold(m.group("tens"))] + _SMALL[_fold(m.group("unit"))]),
            )
            kind = "cardinal"
        elif m.group("card"):
            card, scale = _fold(m.group("card")), m.group("scale")
            if scale is None:
                if card in ("a", "an", "one"):
                    continue
                values, kind = (Fraction(_CARDINAL[card]),), "cardinal"
            elif card in ("a", "an", "one"):
                values, kind = (Fraction(_SCALE[_fold(scale)]),), "cardinal"  # "a dozen": 12
            else:  # "four dozen": the count is the word (4, and 48 in all); "dozen" is its unit
                n = _CARDINAL[card]
                values, kind = (Fraction(n), Fraction(n * _SCALE[_fold(scale)])), "cardinal"
                e = m.end("card")
        elif m.group("mult"):
            if _NOT_A_FACTOR.match(text, e):
                continue  # "a double root", "double counting": an adjective, no factor of the computation
            values, kind = _MULTIPLIER[_fold(m.group("mult"))], "multiplier"
        else:
            word = m.group("ord")
            if word[:1].isupper() or _LABEL_AFTER.match(text, e):
                continue  # "Third, ...", "the third case": the plan's order, not a count
            values, kind = (Fraction(_ORDINAL[_fold(word)]),), "ordinal"
        out.append(Word(s, e, values, kind))
    return tuple(sorted(out, key=lambda w: w.start))


def _fractions(text: str, figures: list[tuple[int, int]]) -> list[Word]:
    """The fractions in words of ``text`` and what they state: the denominator, a numerator of 2 or more and
    the fraction ("three-quarters": 4, 3 and 3/4)."""
    out = []
    for m in _at_words(_FRACTION, _FRACTION_FIRST, text):
        s = m.start()
        if any(a <= s < b for a, b in figures) or _LABEL_BEFORE.search(text, max(0, s - 12), s):
            continue
        den = _DENOMINATOR[_fold(m.group("den") or m.group("spaced"))]
        num = _CARDINAL.get(_fold(m.group("num")), 1)
        values = (Fraction(den), *((Fraction(num),) if num > 1 else ()), Fraction(num, den))
        out.append(Word(s, m.end(), values, "fraction"))
    return out


#: words that state a factor 2 without a number word: a round trip is the way twice, a pair two of a thing
_IMPLIED = re.compile(r"(?<![A-Za-z-])(?:round[- ]trips?|pairs?)(?![A-Za-z-])", re.I)


@lru_cache(maxsize=32)
def implied_words(text: str) -> tuple[Word, ...]:
    """The phrases of ``text`` that state a factor 2 with no number word ("a round trip", "pairs"), outside
    figure code: kind ``implied``. They restate a hidden value only as an operand of its sentence's
    computation (``280 x [NUMBER]`` for a round trip), never a count ("[NUMBER] pairs of socks"); a phrase
    a number or count word counts ("2 pairs of socks ... 60x2", "Two pairs") is a noun, no factor."""
    if "air" not in text and "rip" not in text:
        return ()
    figures = [m.span() for m in _FIGURE.finditer(text)] if "[asy]" in text else []
    return tuple(
        Word(m.start(), m.end(), (Fraction(2),), "implied")
        for m in _IMPLIED.finditer(text)
        if not any(a <= m.start() < b for a, b in figures) and not _COUNTED.search(text, 0, m.start())
    )


#: a number or a count word right before "pairs" counts them ("2 pairs of socks", "Two pairs", "several
#: pairs"): the noun, not a factor it states
_COUNTED = re.compile(
    r"(?:\d|(?<![A-Za-z])(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|few|both))\s*$",
    re.I,
)


# --------------------------------------------------------------------------- standard constants

#: a constant and the words one of which must stand in its sentence for it to be that constant
_CONSTANTS: dict[Fraction, str] = {
    Fraction(1, 100): r"%|percent|penny|pennies|cents?",
    Fraction(100): r"%|percent|cents?|centimet(?:er|re)s?|cm|century",
    Fraction(12): r"dozens?|months?|inch(?:es)?",
    Fraction(1, 4): r"quarters?",
    Fraction(25): r"quarters?",
    Fraction(1, 10): r"dimes?",
    Fraction(10): r"dimes?|decades?",
    Fraction(1, 20): r"nickels?",
    Fraction(5): r"nickels?",
    Fraction(60): r"minutes?|mins?|hours?|hrs?|seconds?",
    Fraction(24): r"hours?|hrs?",
    Fraction(7): r"week|weekly",
    Fraction(52): r"weeks|year|yearly|annual(?:ly)?",
    Fraction(365): r"days",
    Fraction(4): r"wheels?|tires?|tyres?|legs?",
    # a round trip is the way twice, a pair two of a thing: "280 x 2" for a round trip states its 2
    Fraction(2): r"wheels?|tires?|tyres?|legs?|bicycles?|bikes?|round[- ]trips?|pairs?",
    Fraction(3): r"tricycles?|yards?",
    Fraction(16): r"ounces?|oz",
    Fraction(1000): r"kilo\w*|milli\w*|km|kg|ml|mm|grams?",
    Fraction(5280): r"miles?",
    # the angles of geometry: a right angle, a straight angle (a triangle's sum), a full turn, in degrees
    Fraction(90): r"circ|degrees?",
    Fraction(180): r"circ|degrees?",
    Fraction(360): r"circ|degrees?",
    # the constant of an area or volume formula: half a base times a height, a third of a cone's or pyramid's
    # prism, four thirds of a sphere's cube
    Fraction(1, 2): r"triangles?|trapezoids?|trapezia|trapeziums?",
    Fraction(1, 3): r"cones?|pyramids?|tetrahedr(?:on|a|ons)",
    Fraction(4, 3): r"spheres?",
}
_CONSTANT_WORDS = {v: re.compile(rf"(?<![A-Za-z])(?:{w})(?![A-Za-z])", re.I) for v, w in _CONSTANTS.items()}
#: the table's values as (numerator, denominator): a Fraction is in lowest terms, so ``v in _CONSTANT_WORDS``
#: is ``(v.numerator, v.denominator) in _CONSTANT_KEYS``, without the Fraction's hash (Python code, slow)
_CONSTANT_KEYS = frozenset((v.numerator, v.denominator) for v in _CONSTANT_WORDS)
#: a sentence end: a line break (not the one that opens or closes a display, ``\\[\\n ... \\n\\]``: a display
#: belongs to the sentence that introduces it) or a point before a capital
SENTENCE_END = re.compile(r"(?<!\\\[)\n(?!\\\])|[.?!](?=\s+[A-Z$\\])")


@lru_cache(maxsize=32)
def standard_constants(text: str) -> frozenset[int]:
    """Starts of the atoms that are standard constants: a value of the table above (12, 0.25, 60, the
    0.01 and 100 of a percent ...) that no step of the trace computes, with one of its words in its
    sentence (``3*.1`` "in dimes", ``23*4`` "wheels", ``20*.01*200`` after "20%"), and the 100 a number is
    divided by in prose (``30/100 * 30``: the percent's sign may stand in the question only)."""
    sc = scan_cached(text)
    computed: set[Value] | None = None  # the values some step computes, read at the first constant
    ends: list[int] | None = None  # the sentence ends' starts, read at the first constant a word may name
    words_after: dict[tuple[int, int], tuple[int, re.Match[str] | None]] = {}
    out = []
    for a in sc.atoms:
        if a.role != "value" or a.figure or a.result or not a.values:
            continue
        v = a.values[0]
        if not isinstance(v, Fraction) or (v.numerator, v.denominator) not in _CONSTANT_KEYS:
            continue
        if computed is None:
            computed = {a.values[0] for a in sc.atoms if a.result and a.values}
        if v in computed:
            continue
        if v == 100 and a.start not in sc.math and _PER_HUNDRED.search(text, max(0, a.start - 12), a.start):
            out.append(a.start)  # 30/100 * 30: the 100 of a percent, its sign or word in the question only
            continue  # (in prose only: LaTeX's \sqrt{576/100} writes a decimal as a fraction)
        back = max(0, a.start - 300)
        lo = max((m.end() for m in SENTENCE_END.finditer(text, back, a.start)), default=back)
        if ends is None:  # (each end is one character: every one is here, as a search from a.end finds it)
            ends = [m.start() for m in SENTENCE_END.finditer(text)]
        i = bisect_left(ends, a.end)
        hi = ends[i] if i < len(ends) else len(text)
        # the first word of v's at or after lo, remembered while lo moves on behind it (atoms come in order):
        # no word crosses a sentence end (hi: a point, a mark or a line break), so it is in the sentence
        # exactly when it ends by hi
        key = (v.numerator, v.denominator)
        seen = words_after.get(key)
        if seen is None or seen[0] > lo or (seen[1] is not None and seen[1].start() < lo):
            seen = words_after[key] = (lo, _CONSTANT_WORDS[v].search(text, lo))
        if seen[1] is not None and seen[1].end() <= hi:
            out.append(a.start)
    out.extend(_ordinal_positions(text))
    return frozenset(out)


#: a numeral written as an ordinal, TeX's forms too: 4th, 5^\text{th}, 2003^{\text{rd}} (to find one; what a
#: hidden ordinal takes with it is ``ordinal_suffix``'s plain suffix, never half a TeX group)
_ORDINAL_FORM = re.compile(r"(?:\^\s*(?:\{\s*)?(?:\\(?:text|mathrm)\s*\{\s*)?)?(?:st|nd|rd|th)(?![A-Za-z])")


def _ordinal_positions(text: str) -> list[int]:
    """Starts of the numerals written as ordinals ("the county with the $4^\\text{th}$ most students"): a
    position the plan names, as a label does, not a value of the problem (a step that computes one still
    hides its result, in a calculator note's ``>>6th`` too)."""
    if not re.search(r"\d(?:st|nd|rd|th|\^)", text):
        return []
    return [
        a.start
        for a in scan_cached(text).atoms
        if a.role == "value"
        and not a.result
        and not a.figure
        and _ORDINAL_FORM.match(text, a.end)
        and not text.endswith(">>", 0, a.start)  # <<1+5=6>>6th: the note's result, written as an ordinal
    ]


#: a number divided by 100 (``30/100``): a percent written as a fraction, whatever its sentence says; not a
#: unit fraction nor a fraction a step arrives at (``= 1/100 of an hour``: a value, its 100 derived)
_PER_HUNDRED = re.compile(r"(?<![\d.=\s])\s*(?<![\d.])(?!1\s*/)\d+(?:\.\d+)?\s*/\s*$")
_PROSE_WORD = re.compile(r"[A-Za-z]{2,}")
#: an adjective a plan noun may take between it and its count or ordinal: "the three given equations"
PLAN_ADJECTIVE = r"(?:(?:given|original|above|following|remaining|other|new|resulting)\s+)"
#: what "two" counts in a plan, not in a word problem: "the two equations", "two cases"
_PLAN_NOUN = re.compile(
    rf"\s+{PLAN_ADJECTIVE}?(?:equations?|cases?|ways?|sides?|terms?|solutions?|roots?|methods?|steps?|options?|possibilities"
    r"|parts?|expressions?|variables?|digits?|conditions?|approaches|scenarios?)\b",
    re.I,
)


def two_counts(text: str, w: Word) -> bool:
    """Is the word "two" a quantity of the problem? In a worked word problem (a GSM8K trace, with calculator
    notes) it is, unless it counts the plan's own parts ("two cases"): "there are two pennies ... 6+2"."""
    return w.kind == "cardinal" and w.values[0] == 2 and "<<" in text and not _PLAN_NOUN.match(text, w.end)


def counts_anywhere(text: str, w: Word) -> bool:
    """Does the cardinal ``w`` state its value wherever the trace hides that value as a number alone, in any
    sentence ("9 rectangles ... nine blue lines")? A single cardinal word of 3 or more ("nine",
    "twenty-five", the "four" of "four dozen") that counts no part of the plan ("three given equations",
    "two cases"); "two" (a discourse word far more often), "a dozen" (a unit), ordinals, multipliers and
    fractions in words restate a value only in its sentence or by its unit word."""
    word = _fold(text[w.start : w.end])
    return (
        w.kind == "cardinal"
        and w.values[0] >= 3
        and (word in _CARDINAL or "-" in word)
        and not _PLAN_NOUN.match(text, w.end)
    )


@lru_cache(maxsize=32)
def stated_in_words(text: str) -> frozenset[int]:
    """Starts of the value atoms whose value a number word states in the same sentence, with a word
    between ("Freyja is ten years old, Eli is 10+9"): hiding such a value leaves it readable."""
    words = number_words(text)
    if not words:
        return frozenset()
    # ordinals and a "two" of the plan restate a value only by its unit word (see the restated attack)
    words = tuple(
        w
        for w in words
        if not (w.kind == "ordinal" or w.values[0] == 2 and w.kind == "cardinal" and not two_counts(text, w))
    )
    # the values those words state (numbers equal as == hash alike: ``in`` decides as the loop below does)
    stated = frozenset(v for w in words for v in w.values)
    sc = scan_cached(text)
    out = []
    for a in sc.atoms:
        if a.role != "value" or a.figure or not any(v in stated for v in a.values):
            continue
        for w in words:
            if not any(v in w.values for v in a.values):
                continue
            lo, hi = (a.end, w.start) if a.start < w.start else (w.end, a.start)
            if hi - lo < 300 and not SENTENCE_END.search(text, lo, hi) and _PROSE_WORD.search(text, lo, hi):
                out.append(a.start)
                break
    return frozenset(out)


# --------------------------------------------------------------------------- ordinal numerals

#: the suffix of an ordinal numeral: the "rd" of "the 3rd week"
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)(?![A-Za-z0-9])")
_ORDINAL_NUMERAL = re.compile(r"(?<![\w.])(\d{1,3})(?:st|nd|rd|th)(?![A-Za-z0-9])")
_ORDINAL_WORD = re.compile(
    rf"(?<![A-Za-z])({'|'.join(['first', 'second', *sorted(_ORDINAL, key=len, reverse=True)])})(?![A-Za-z])",
    re.I,
)


def ordinal_suffix(text: str, end: int) -> int:
    """Where the ordinal suffix right after the numeral ending at ``end`` ends ("3rd": after the "rd"), or
    ``end`` when none follows."""
    if end == 0 or not text[end - 1].isdigit():
        return end
    m = _ORDINAL_SUFFIX.match(text, end)
    return m.end() if m else end


@lru_cache(maxsize=4096)
def ordinals_in(question: str) -> frozenset[int]:
    """The ordinals a question names, in words or numerals ("the second stop", "his 3rd try")."""
    out = {int(m.group(1)) for m in _ORDINAL_NUMERAL.finditer(question)}
    for m in _ORDINAL_WORD.finditer(question):
        w = _fold(m.group(1))
        out.add(1 if w == "first" else 2 if w == "second" else _ORDINAL[w])
    return frozenset(out)


def ordinal_the_question_names(text: str, atom: Atom, question: str) -> bool:
    """Is ``atom`` an ordinal numeral ("the 2nd stop") of an ordinal the question names ("the second
    stop")? Such a numeral is the question's own label, not a value the trace derived."""
    if atom.result or atom.role != "value" or not atom.values or ordinal_suffix(text, atom.end) == atom.end:
        return False
    v = atom.values[0]
    return isinstance(v, Fraction) and v.denominator == 1 and int(v) in ordinals_in(question)


def with_ordinal_suffixes(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each hidden ordinal numeral's suffix hidden too: "the [NUMBER] week", not "the
    [NUMBER]rd week", whose suffix tells the blank's last digit (3, 23, 33 ...)."""
    out = []
    for s in spans:
        end = ordinal_suffix(text, s.end)
        out.append(s if end == s.end else Span(s.start, end, s.kind, s.reason, s.value))
    return out
