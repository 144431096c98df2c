"""A singular noun right after a blank: the ``equivalent_form`` of a count of one, in words.

``Tyler needs to buy [NUMBER] - 3 = <<[NUMBER]-3=[NUMBER]>>[NUMBER] more egg.`` for "how many more eggs":
whatever the blank hides, "egg" (where the question or the trace counts "eggs") says it is 1. Where the gold
is 1, the noun reads the answer off. A noun is countable when its plural is written after a count ("3 eggs")
in the question or the masked trace, or anywhere where the word is no common verb ("remains"). Singular
whatever its count, and so telling nothing: a compound modifier (``[NUMBER]-hour``, ``[NUMBER] hour's``), a
noun modifying another ("[NUMBER] ounce bottle", "[NUMBER] fruit types"), a noun after an amount of money
("the $[NUMBER] cost"). The question's own "1 apple" ("one apple") is its value, read back from it, except
where the trace states a result (after ``=``, a calculator note or "equals", or on its last line). The repair
hides the noun (``[NUMBER] more [ENTITY]``): the count and the plan stay.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .._leak import Finding
from ._answer import Gold

#: a blank that may hide a count: a placeholder, not a word's or a figure's ("[ENTITY] remains": no count)
_COUNT_BLANK = r"\[(?!ENTITY|FIGURE)[A-Z][A-Z]+(?:_\d+)?\]"
#: the few words a count and its noun take between them ("[NUMBER] more egg", "[NUMBER] whole cookie", "only
#: [NUMBER] such number", "[NUMBER] real root"): adjectives, never a noun that may be the counted one
_BETWEEN = (
    r"(?:more|extra|additional|whole|full|single|other|remaining|new|left|such|possible|distinct|real|"
    r"positive|negative|valid|different|odd|even|nonzero|unique)"
)
_AFTER_BLANK = re.compile(
    rf"(?:{_COUNT_BLANK})(?:[ \t]*[}}$]){{0,2}}[ \t]+(?:{_BETWEEN}[ \t]+)?([a-z]{{3,}})(?![\w'’-])"
)
#: nouns a math trace counts, countable whether or not their plural is written ("only [NUMBER] number
#: between 1 and 100", "[NUMBER] real root")
_COUNTABLE = frozenset(
    [
        "number",
        "integer",
        "solution",
        "root",
        "value",
        "way",
        "element",
        "point",
        "term",
        "digit",
        "factor",
        "divisor",
        "multiple",
        "pair",
        "triangle",
        "square",
        "case",
        "choice",
        "outcome",
        "arrangement",
    ]
)
#: the words that may follow a counted noun ("[NUMBER] pizza because", "[NUMBER] mile to tie", "[NUMBER] year
#: older", "[NUMBER] orange costs"); any other word after it is the noun it modifies ("[NUMBER] ounce
#: bottle", "[NUMBER] fruit types", "[NUMBER] hour break"), and a modifier is singular whatever its count
_FOLLOWS_A_COUNT = frozenset(
    re.findall(
        r"\w+",
        """of to from on in at for per with than by after before each a an the and or because so but since
        which that then while when if as more less long left ago remaining total extra apart away back later
        earlier is was are were has had does did will would can could should must costs weighs takes needs
        makes holds contains gets uses lasts equals remains comes pays sells eats runs works means leaves
        gives stays buys between among into within under over below above divisible satisfying whose where
        who""",
    )
)
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)")
_IRREGULAR = {
    "person": "people",
    "man": "men",
    "woman": "women",
    "child": "children",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "goose": "geese",
    "ox": "oxen",
}


def plurals(noun: str) -> tuple[str, ...]:
    """The plural forms ``noun`` may take: regular (eggs, boxes, berries, loaves) and a few irregular."""
    out = [noun + "s", noun + "es"]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        out.append(noun[:-1] + "ies")
    if noun.endswith("f"):
        out.append(noun[:-1] + "ves")
    if noun.endswith("fe"):
        out.append(noun[:-2] + "ves")
    if noun in _IRREGULAR:
        out.append(_IRREGULAR[noun])
    return tuple(out)


#: cardinals and the multipliers after a count ("goes into 999 six times", "[NUMBER] million"): never a
#: counted noun (an ordinal, "pair", "time", "half" are: "[NUMBER] second longer", "[NUMBER] pair of shoes")
_NUMBER_WORD = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|billion|dozen|score)s?"
)
#: a count and the word after it ("3 eggs", "[NUMBER] more eggs", "five buses", "many more pears")
_AFTER_A_COUNT = re.compile(
    rf"(?:\d+(?:\.\d+)?|{_COUNT_BLANK}|\b(?:{_NUMBER_WORD.pattern}|many|several|few|both))[ \t]+"
    rf"(?:{_BETWEEN}[ \t]+)?([A-Za-z]+)",
    re.I,
)


#: verbs whose -s form a trace writes ("1 cookie remains"), so their plural-looking form counts nothing
_VERBS = frozenset(
    re.findall(
        r"[a-z]+",
        """remain leave stay join win lose earn spend save grow walk read play fit go do have get make take
        give come need use eat sell buy pay last mean hold contain weigh equal run work cost""",
    )
)


@lru_cache(maxsize=1024)
def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", text.lower()))


@lru_cache(maxsize=1024)
def _counted_words(text: str) -> frozenset[str]:
    """The words ``text`` writes right after a count ("3 eggs", "[NUMBER] more eggs", "five buses"): the
    plurals that make a noun countable (a verb, "6 remain", takes no count before it in the same way)."""
    return frozenset(w.lower() for w in _AFTER_A_COUNT.findall(text))


def singular_nouns(question: str, masked: str, gold: Gold) -> list[Finding]:
    """A countable noun in the singular right after a blank, where the gold is 1 (blamed on the noun)."""
    if gold.value != 1 or "[" not in masked:
        return []
    counted = _counted_words(question) | _counted_words(masked)
    written = _words(question) | _words(masked)  # a plural anywhere: countable, unless the word is a verb
    out = []
    for m in _AFTER_BLANK.finditer(masked):
        noun = m.group(1)
        if not _a_count(masked, m.start(), masked[m.start() : m.start(1)]):
            continue
        if _NUMBER_WORD.fullmatch(noun) or (noun.endswith("s") and noun + "es" not in counted):
            continue  # a number word ("goes into [NUMBER] six times"), a plural, a verb ("is", "was")
        if (
            noun not in _COUNTABLE
            and not any(p in counted for p in plurals(noun))
            and (noun in _VERBS or not any(p in written for p in plurals(noun)))
        ):
            continue  # no count of this noun: "[NUMBER] per", "[NUMBER] remain in the jar" ("remains")
        after = _NEXT_WORD.match(masked, m.end(1))
        if after is not None and not _follows_a_count(after.group(1)):
            continue  # a noun modifying another ("[NUMBER] fruit types", "[NUMBER] ounce bottle")
        if masked[max(0, m.start() - 1) : m.start()] in ("$", "€", "£"):
            continue  # "the $[NUMBER] cost": an amount of money, the noun is what it is
        if _counted_once(question, noun) and not _at_a_result(masked, m.start()):
            continue  # the question's own "1 apple": the blank is its value, read back from it
        detail = f"{noun!r} after a blank is singular: the blank is 1, the gold answer"
        out.append(Finding("equivalent_form", detail, m.start(1), m.end(1)))
    return out


#: what stands before a blank that is no count of the noun after it: an exponent or index (``x^{[N]}``,
#: ``r_{[N]}``), a letter's value (``n=[N]``, ``\\le [N]``; a step's result, "4-3 = [N] more egg", counts),
#: a denominator (``\\frac{1}{[N]}``)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:[\^_]\{?|(?<![A-Za-z\\])[A-Za-z]\s*=|\\(?:le|ge|leq|geq|ne|neq|lt|gt)|\}\{)\s*$"
)


def _a_count(masked: str, start: int, between: str) -> bool:
    """The blank at ``start`` may count the noun after it (``between`` is the text from the blank to the
    noun): not an exponent, an index, a relation's value or a denominator, and a brace closed after it
    only a box's (``\\boxed{[NUMBER]}$ such number``)."""
    before = masked[max(0, start - 12) : start]
    if _NOT_A_COUNT_BEFORE.search(before):
        return False
    return "}" not in between or re.search(r"\\boxed\s*\{\s*$", before) is not None


def _counted_once(question: str, noun: str) -> bool:
    """The question writes a count of one ``noun`` ("1 apple", "one more egg")."""
    return re.search(rf"(?i)\b(?:1|one)\s+(?:{_BETWEEN}\s+)?{noun}\b", question) is not None


def _at_a_result(masked: str, start: int) -> bool:
    """The blank at ``start`` is a step's result (after ``=``, a calculator note, "equals") or stands on the
    trace's last line before its answer line: where a trace says what it found."""
    if re.search(r"(?:=|>>|\bequals|\bis)[ \t$]*$", masked[max(0, start - 12) : start]):
        return True
    lines = [ln for ln in masked[start:].split("\n")[1:] if ln.strip() and not ln.startswith("####")]
    return not lines


def _follows_a_count(word: str) -> bool:
    """``word`` may follow a counted noun: a word of the table, an -ing, -ed, -er or -ly form."""
    return word in _FOLLOWS_A_COUNT or word.endswith(("ing", "ed", "er", "ly"))


_COUNT_BEFORE = re.compile(
    rf"(?:\d+(?:\.\d+)?|{_COUNT_BLANK}|(?<![A-Za-z]){_NUMBER_WORD.pattern})(?:[ \t]*[}}$]){{0,2}}[ \t]+"
    rf"(?:{_BETWEEN}[ \t]+)?$",
    re.I,
)


#: any word with a number's value (ordinals, fractions, "twice", "pair", "time" too): the repair hides it as
#: a number, as it hides "sixth" or "twice" that equal the answer, never as a noun
_NUMBER_LIKE = re.compile(
    rf"(?:{_NUMBER_WORD.pattern}|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|half|halve"
    r"|quarter|once|twice|thrice|double|triple|pair|time)s?)"
)


def counted_noun(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a noun right after a count ("1 more egg", "[NUMBER] more egg"), no number
    word: what :func:`singular_nouns` blames, and the repair hides as a word, never merged into the count."""
    word = text[start:end]
    return (
        re.fullmatch(r"[a-z]{3,}", word) is not None
        and _NUMBER_LIKE.fullmatch(word) is None
        and _COUNT_BEFORE.search(text, max(0, start - 40), start) is not None
    )
