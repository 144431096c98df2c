"""The prefilters in front of the GSM8K readers find what the full pattern or check finds: ``_at_words``
tries ``_PHRASE`` and ``_FRACTION`` only at some word starts, ``standard_constants`` looks its table up by
(numerator, denominator), ``stated_in_words`` skips atoms no kept number word states. Constructed texts,
non-ASCII letters (Unicode case folding: the long s, the Kelvin sign, a dotted capital I) among them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from smepo_data.math import _words
from smepo_data.math._rational import Fraction
from smepo_data.math._words import (
    _CONSTANT_KEYS,
    _CONSTANT_WORDS,
    _FRACTION,
    _FRACTION_FIRST,
    _PHRASE,
    _PHRASE_FIRST,
    _at_words,
    number_words,
    stated_in_words,
    two_counts,
)

_PIECES = [
    *("two", "Two", "TWENTY", "twenty-five", "a", "an", "one", "third", "thirds", "Quarter", "half"),
    *("twice", "dozen", "hundred", "of", "as", "the", "cats", "step", "x", "-", "\\", "_", "3", "4.5"),
    *("ſix", "ſeven", "\u212aite", "İ", "énorme", "thirdé", "éthree", "σ", "двa", "ｔｗｏ", "two\u0301"),
]
_GLUE = [" ", "  ", "", "-", ", ", ". ", "\n", "$", "\\", "é", "_", "(", ")"]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        out.append("".join(rng.choice(_PIECES) + rng.choice(_GLUE) for _ in range(rng.randint(1, 12))))
    return out


def _found(matches) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in matches]


@pytest.mark.parametrize(("pattern", "first"), [(_PHRASE, _PHRASE_FIRST), (_FRACTION, _FRACTION_FIRST)])
def test_at_words_finds_what_the_pattern_finds(pattern, first):
    texts = _texts(3000, 11) + ["ſix ſeven", "\u212aite two-thirds of", "İ two", "two\u0301 three quarters."]
    for text in texts:
        assert _found(_at_words(pattern, first, text)) == _found(pattern.finditer(text)), text


def test_constant_keys_decide_as_the_table():
    values = {Fraction(n, d) for n in range(-30, 6000, 7) for d in (1, 2, 3, 4, 10, 20, 100, 1000)}
    values |= set(_CONSTANT_WORDS) | {-v for v in _CONSTANT_WORDS}
    for v in values:
        assert ((v.numerator, v.denominator) in _CONSTANT_KEYS) == (v in _CONSTANT_WORDS), v


def _stated_in_words_reference(text: str) -> frozenset[int]:
    """``stated_in_words`` before its prefilter: every atom against every word."""
    words = number_words(text)
    if not words:
        return frozenset()
    out = []
    for a in _words.scan_cached(text).atoms:
        if a.role != "value" or a.figure:
            continue
        for w in words:
            if w.kind == "ordinal" or w.values[0] == 2 and w.kind == "cardinal" and not two_counts(text, w):
                continue
            if not any(v in w.values for v in a.values):
                continue
            lo, hi = (a.end, w.start) if a.start < w.start else (w.end, a.start)
            if (
                hi - lo < 300
                and not _words.SENTENCE_END.search(text, lo, hi)
                and _words._PROSE_WORD.search(text, lo, hi)
            ):
                out.append(a.start)
                break
    return frozenset(out)


def test_stated_in_words_keeps_what_every_word_states():
    texts = [
        "Freyja is ten years old, Eli is 10+9 = <<10+9=19>>19 years old.",
        "He buys two dozen eggs: 2 * 12 = <<2*12=24>>24 eggs, twice 24 is 48.",
        "The third box holds 3 pens and a half of 1/2 of them, two-thirds is 2/3 or 0.5.",
        "six cats and 6 dogs; the two cases give 2 + 2 = <<2+2=4>>4 and one third of 3, énorme σ 3.",
        "$\\frac{1}{2}$ of three quarters. Three is 3i, 3.0 and 3e0.",
    ] + _texts(300, 5)
    for text in texts:
        if "ſ" in text:
            continue  # number_words raises KeyError on "ſix" (re.I reads ſ as s, lower() keeps ſ): main too
        assert stated_in_words(text) == _stated_in_words_reference(text), text


def _standard_constants_reference(text: str) -> frozenset[int]:
    """``standard_constants`` before its bisect and remembered word: a search per constant for its sentence's
    end and for a word in the sentence."""
    sc = _words.scan_cached(text)
    computed = {a.values[0] for a in sc.atoms if a.result and a.values}
    out = []
    for a in sc.atoms:
        if a.role != "value" or a.figure or a.result or not a.values:
            continue
        v = a.values[0]
        if not isinstance(v, Fraction) or v not in _CONSTANT_WORDS or v in computed:
            continue
        if (
            v == 100
            and a.start not in sc.math
            and _words._PER_HUNDRED.search(text, max(0, a.start - 12), a.start)
        ):
            out.append(a.start)
            continue
        back = max(0, a.start - 300)
        lo = max((m.end() for m in _words.SENTENCE_END.finditer(text, back, a.start)), default=back)
        hi_m = _words.SENTENCE_END.search(text, a.end)
        hi = hi_m.start() if hi_m else len(text)
        if _CONSTANT_WORDS[v].search(text, lo, hi):
            out.append(a.start)
    out.extend(_words._ordinal_positions(text))
    return frozenset(out)


_CONSTANT_PIECES = [
    *("2", "4", "12", "60", "100", "0.25", "1/2", "$\\frac{1}{2}$", "3", "7", "52", "365", "1000", "5280"),
    *("wheels", "legs", "dozen", "hours", "minutes", "kilometers", "kilo5_miles", "round trip", "round-trip"),
    *("weeks", "days", "triangle", "cone", "sphere", "degrees", "apples", "the", "Then", "$x$", "30/100 *"),
    *("= <<2*4=8>>8", "<<60*2=120>>120", "5th", "\\[", "\\]", "A", "\\frac"),
]
_CONSTANT_GLUE = [" ", ". ", ".\n", "? ", "! ", "\n", "\n\n", ", ", ".", "", " x ", " * "]


def test_standard_constants_find_what_a_search_per_sentence_finds():
    rng = random.Random(7)
    texts = [
        "".join(rng.choice(_CONSTANT_PIECES) + rng.choice(_CONSTANT_GLUE) for _ in range(rng.randint(2, 40)))
        for _ in range(1500)
    ]
    texts.append("1+2+3+4 and 135, " * 200 + "4 wheels. So $N = 27$.")  # one sentence 3,000 characters long
    root = Path(__file__).resolve().parent.parent / "examples" / "data"
    for name in ("gsm8k_sample.jsonl", "math500_sample.jsonl"):
        for line in (root / name).read_text().splitlines():
            row = json.loads(line)
            texts.append(row.get("answer") if name.startswith("gsm8k") else row.get("solution"))
    assert sum(bool(_standard_constants_reference(t)) for t in texts) > 300  # the texts have constants
    for text in texts:
        assert _words.standard_constants(text) == _standard_constants_reference(text), text
