"""What a reader gets from a search trace without searching, in plain rules shared by the verifier's
attacks (run on a masked trace) and the masker (run on the original, to hide what they would find), so
the two agree by construction. No model: the verifier is also the trainer's reward and stays light.

* other ways a trace writes an answer (:func:`answer_forms`, :func:`find_answer_mentions`): a number in
  digits or words, ``No. 1`` / ``#1``, ``&`` / ``and``, a name with middle names put in ("Jeremy Graham
  Horn" for "Jeremy Horn"), an acronym spelled out ("Short Magazine Lee-Enfield" for "SMLE"), a name's
  initials ("N.Y." for "New York"), the name a place name is built from ("Mark" of "Marktown") and the
  stem of an agent noun ("novels" for "novelist");
* spellings glued into a longer token (:func:`find_glued`): "Spongecola" for "Sponge Cola",
  "WallsAndBridges", "ParisHilton";
* the options of a comparison question (:func:`comparison`): "Which is older, A or B?" names both, so
  a trace that hides one and shows the other tells which one is the answer;
* the yes/no conclusion of a trace (:func:`conclusions`): "Yes, both are ...", "they are not the same",
  "so X and Y have the same type of work", read in the trace's final reasoning and its answer slot;
* the places a trace writes before a place answer (:func:`place_chains`): "Waldkirch,
  Baden-Württemberg, Germany" tells a reader who knows the world the country once "Germany" is hidden.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ._trace import parse_trace
from .answers import MentionFinder, find_mentions, normalize_answer


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _wordlist(words: str) -> list[str]:
    return words.split()


#: placeholders a masker renders (``[ANSWER]``, ``[ENTITY]``, ``[BLANK_3]``): never part of an answer
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
#: a retriever's document header (``Doc 2(Title: "...")``): structure, like tags
DOC_MARK = re.compile(r"\bDoc[ \t]*\d+[ \t]*\(Title:")
YES_NO = frozenset({"yes", "no"})

_NUMBERS = _wordlist(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: a month's name or abbreviation, any case (a pattern to embed: "June", "Sept.", "dec")
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


def blank(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with every match of ``pattern`` turned into spaces (offsets unchanged)."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


# --- equivalent forms of an answer -----------------------------------------------------------------


@lru_cache(maxsize=4096)
def answer_forms(answer: str) -> tuple[str, ...]:
    """``answer`` and the other ways a trace may write it: a whole number in digits or words (0 to 20),
    ``No. 1`` / ``#1`` / ``Number 1``, ``&`` / ``and``; for an answer with a parenthesis inside
    ("sinoatrial (SA) node"), the answer without it and, when it holds an acronym, the acronym in place
    of the words before it ("SA node")."""
    forms = [answer.strip()]
    key = normalize_answer(answer)
    if key.isdigit() and int(key) < len(_NUMBERS):
        forms.append(_NUMBERS[int(key)])
    elif key in _NUMBERS:
        forms.append(str(_NUMBERS.index(key)))
    number = re.compile(r"(?:\bNo\.?|\bNumber|#)\s*(\d+)\b", re.I)
    if number.search(answer):
        forms += [number.sub(rf"{p}\1", answer) for p in ("No. ", "#", "Number ")]
    paren = re.fullmatch(r"(.*?\S)[ \t]*\(([^()]+)\)[ \t]*(.*)", answer.strip())
    if paren:  # "sinoatrial (SA) node": "sinoatrial node", and "SA node" (the acronym for what it follows)
        before, inner, after = paren.groups()
        forms.append(f"{before} {after}".strip())
        letters = inner.replace(".", "").strip()
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
            forms.append(f"{inner.strip()} {after}".strip())
    items = list_items(answer)
    if items:
        head = ", ".join(items[:-1])
        forms += [f"{head} and {items[-1]}", f"{head}, and {items[-1]}"]
    if "&" in answer:
        forms.append(answer.replace("&", " and "))
    elif re.search(r"\band\b", answer, re.I):
        forms.append(re.sub(r"\band\b", "&", answer, flags=re.I))
    return tuple(dict.fromkeys(f for f in forms if normalize_answer(f) or f.strip()))


def list_items(answer: str) -> list[str]:
    """The items of a list answer ("director, screenwriter, actor"), or ``[]``."""
    items = [i.strip() for i in re.split(r",\s*(?:and\s+)?|\s+and\s+", answer) if i.strip()]
    if "," not in answer or len(items) < 2 or any(len(normalize_answer(i)) < 3 for i in items):
        return []
    if len(items) == 2 and any(i[:1].isupper() for i in items):
        return []  # "Bath, Maine": a place, not a list
    return items


def _name_words(answer: str) -> list[str] | None:
    """The words of a name that may be written with middle names in between ("Jeremy Horn"): two or
    three capitalised words, particles (de, van, von, ...) allowed inside; else ``None``."""
    words = answer.split()
    if not 2 <= len(words) <= 4 or _ARTICLE.match(answer):
        return None
    particles = {"de", "da", "van", "von", "der", "del", "di", "la", "le", "du", "bin", "al"}
    if not all(w[:1].isupper() or w in particles for w in words) or not words[-1][:1].isupper():
        return None
    if any(not re.fullmatch(r"[^\W\d_][\w.'\u2019-]*", w) for w in words):
        return None
    return words


#: English given names and the full names they are short for ("Tim Kaine" is written "Timothy Michael Kaine"
#: in the lead of his biography): a reader reads the short name off the full one
_SHORT_AND_FULL = (
    "abe=abraham al=albert/alan/alfred/alexander alex=alexander/alexandra andy=andrew ben=benjamin "
    "bill=william bob=robert chris=christopher/christine dan=daniel dave=david dick=richard "
    "don=donald doug=douglas ed=edward/edwin/edmund fred=frederick gene=eugene greg=gregory "
    "hank=henry harry=henry/harold jake=jacob jeff=jeffrey/jeffery jerry=gerald/jerome jim=james "
    "jimmy=james joe=joseph jon=jonathan ken=kenneth kate=katherine/catherine larry=lawrence "
    "liz=elizabeth matt=matthew meg=margaret mike=michael nate=nathan/nathaniel nick=nicholas "
    "pat=patrick/patricia phil=phillip/philip ray=raymond rick=richard/frederick rob=robert "
    "ron=ronald sam=samuel/samantha steve=steven/stephen sue=susan ted=edward/theodore tim=timothy "
    "tom=thomas tony=anthony vince=vincent walt=walter will=william/willard zach=zachary"
)
FULL_GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    short: tuple(full.split("/")) for short, full in (pair.split("=") for pair in _SHORT_AND_FULL.split())
}


def find_name_variants(text: str, answer: str, question: str = "") -> list[tuple[int, int]]:
    """Mentions of a name with one or two capitalised middle names or initials put in ("Jeremy Graham
    Horn", "Paul William Walker" for "Paul Walker"), and mentions whose first name is the full name the
    answer's is short for ("Timothy Michael Kaine", "Timothy Kaine" for Tim Kaine; :data:`FULL_GIVEN_NAMES`)
    or the full name whose short form the trace quotes before the surname ('Matthew Abraham "Matt" Groening';
    not "Willow Smith" for Will Smith, whom neither ties to him). A full name whose given names ``question``
    writes is the question's ('Jerome Bernard "Jerry" Orbach' where it asks about Jerome Bernard)."""
    words = _name_words(answer)
    if words is None:
        return []
    # a middle name or initial ("Graham", "D.", a quoted nickname), never a word of the name itself, on
    # the same line
    own = "|".join(re.escape(w) for w in words)
    middle = rf"(?:[ \t]+(?!(?i:{own})(?!\w))(?:[A-Z][\w'\u2019-]*|[A-Z]\.|{_MIDDLE_QUOTE}))"
    pattern = "|".join(
        rf"(?<!\w)(?i:{' '.join(map(re.escape, words[:i]))}){middle}{{1,2}}[ \t]+"
        rf"(?i:{' '.join(map(re.escape, words[i:]))})(?!\w)"
        for i in range(1, len(words))
    )
    found = [m.span() for m in re.finditer(pattern, text)]
    first, rest = re.escape(words[0]), " ".join(map(re.escape, words[1:]))
    longer = []  # a full given name (then a middle name or none), the part the question may write
    full_names = FULL_GIVEN_NAMES.get(words[0].lower(), ())
    if full_names:
        full = "|".join(map(re.escape, full_names))
        longer.append(
            rf"(?<!\w)(?P<given>(?i:{full})(?:[ \t]+[A-Z][\w'\u2019-]*)?)"
            rf"{middle}{{0,2}}[ \t]+(?i:{rest})(?!\w)"
        )
    if len(words[0]) >= 3:  # "Al" starts too many names to be a nickname read off one
        longer.append(
            rf"(?<!\w)(?P<given>(?i:{first})[a-z]{{1,6}}(?:[ \t]+[A-Z][\w'\u2019-]*)?)"
            rf"[ \t]+[\"\u201c](?i:{first})[\"\u201d][ \t]+(?i:{rest})(?!\w)"
        )
    asked = " ".join(question.lower().split())
    for rx in longer:
        for m in re.finditer(rx, text):
            if not (asked and " ".join(m.group("given").lower().split()) in asked):
                found.append(m.span())
    return sorted(set(found))


#: a quoted nickname between a first name and a surname, straight or curly quotes
_MIDDLE_QUOTE = '(?:"[^"\n]{1,30}"|\u201c[^\u201d\n]{1,30}\u201d)'


def find_acronym_expansions(text: str, answer: str) -> list[tuple[int, int]]:
    """For an acronym answer ("SMLE", "UK"), the capitalised words that spell it out ("Short Magazine
    Lee-Enfield", "United Kingdom"); "of", "the", "and", "for" may come in between."""
    letters = answer.strip().replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return []
    glue = r"(?:[ \t]+(?:of|the|and|for|&)[ \t]+|[ \t]+|[-\u2010-\u2015/])"
    word = r"{}[\w'\u2019]*"
    pattern = r"(?<!\w)" + glue.join(word.format(re.escape(c)) for c in letters) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text)]


#: endings that make a place or community name of another word: "Marktown" (Mark), "Jacksonville"
_FORMANTS = _wordlist(
    "town ton ville burg burgh borough boro field ford land port wood dale stadt berg heim haven mouth dorf"
)


#: a capitalised word that may be a given name (not "The", "In", ...): "Clayton" of "Clayton Mark"
_GIVEN = (
    r"(?!(?:The|A|An|In|On|At|Of|By|For|From|To|And|Or|But|This|That|His|Her|Its|Their|Our)\b)[A-Z][a-z]+"
)


def find_name_stems(text: str, answer: str) -> list[tuple[int, int]]:
    """For an answer word built from a name and a place ending ("Marktown": Mark and town), the name where
    the trace writes it as a word of its own, capitalised ("Clayton Mark's planned worker community",
    "The Mark Manufacturing Company"), when the trace writes it as a person's name somewhere (after a
    capitalised word or with a possessive: "Clayton Mark", "Mark's"; a "Prince" of "Princeton" in "the
    Prince of Wales" is no name a town is called after): a reader adds the ending and has the answer.
    Names under four letters are left out (too common to tell anything)."""
    out: list[tuple[int, int]] = []
    for word in re.findall(r"(?<![\w-])[A-Z][a-z]+(?![\w-])", answer):
        for ending in _FORMANTS:
            stem = word[: -len(ending)]
            if not (word.lower().endswith(ending) and len(stem) >= 4):
                continue
            name = re.escape(stem)
            if re.search(rf"(?<![\w-])(?:{_GIVEN}[ \t]+{name}(?![\w-])|{name}['\u2019]s\b)", text):
                out += [m.span() for m in re.finditer(rf"(?<![\w-]){name}(?![\w-])", text)]
    return out


def find_abbreviations(text: str, answer: str) -> list[tuple[int, int]]:
    """For a name answer of two to five capitalised words (connectors like "of" aside; no comma), its
    initials as a token of their own, in capitals, with or without points: "N.Y." or "NY" for "New
    York", "JFK". Case matters: a lower-case "us" is a word, not the United States."""
    if "," in answer:
        return []
    words = re.findall(r"[^\W\d_]+", answer)
    if any(not w[:1].isupper() and w.lower() not in _CONNECTORS for w in words):
        return []
    letters = [w[0] for w in words if w[:1].isupper()]
    if not 2 <= len(letters) <= 5:
        return []
    dotted = r"\.[ \t]?".join(map(re.escape, letters)) + r"\."
    pattern = rf"(?<![\w.])(?:{dotted}|{re.escape(''.join(letters))}(?!\w|\.\w))"
    return [m.span() for m in re.finditer(pattern, text)]


#: a word that may abbreviate several words: 3 to 8 letters, a capital after the first ("GmbH", "GesmbH",
#: "mbH", "NYU"; not "Lot", which "Lord of the ..." would also start)
ABBREVIATION_WORD = re.compile(r"(?<![\w.-])(?=[^\W\d_]{3,8}(?![\w-]))[^\W\d_]+[A-Z][^\W\d_]*")
#: the longest piece of a word an abbreviation keeps ("Ges" of "Gesellschaft")
_LONGEST_PIECE = 4


def find_prefix_abbreviations(text: str, answer: str) -> list[tuple[int, int]]:
    """For an answer of three to eight words, a word of ``text`` made of the starts of three or more of its
    words in a row, each start in the case its word has: "GmbH", "GesmbH", "mbH" for "Gesellschaft mit
    beschränkter Haftung", "NYU" for "New York University". Not the answer's own words."""
    words = re.findall(r"[^\W\d_]+", answer)
    if not 3 <= len(words) <= 8:
        return []
    own = {w.lower() for w in words}
    return [
        m.span()
        for m in ABBREVIATION_WORD.finditer(text)
        if m.group().lower() not in own and _pieces_of(m.group(), words)
    ]


def _pieces_of(token: str, words: list[str]) -> bool:
    """Does ``token`` split into the starts of three or more consecutive ``words`` (a start keeps its word's
    case)?"""

    def split(pos: int, i: int, count: int) -> bool:
        if pos == len(token):
            return count >= 3
        if i == len(words):
            return False
        word = words[i]
        for n in range(min(_LONGEST_PIECE, len(word), len(token) - pos), 0, -1):
            if token[pos : pos + n] == word[:n] and split(pos + n, i + 1, count + 1):
                return True
        return False

    return any(split(0, i, 0) for i in range(len(words)))


#: an agent noun ("novelist", "singer", "songwriter", "sculptor") and the stem it is made from
_AGENT = re.compile(r"([a-z]{4,}?)(?:ist|er|or)")


def find_derived_forms(text: str, answer: str) -> list[tuple[int, int]]:
    """For an answer that is a lower-case agent noun ("novelist", "singer, songwriter"), the words of its
    stem the trace writes ("the author of 20 novels", "novelizations", "singing", "songwriting"): a reader
    adds the ending back and has the answer."""
    out: list[tuple[int, int]] = []
    for word in re.findall(r"(?<![\w-])[a-z]{6,}(?![\w-])", answer):
        m = _AGENT.fullmatch(word)
        if m is None:
            continue
        stem = m.group(1)  # "runner": "runn", so "running" and never "run" ("butter" is no "but")
        ist = word.endswith("ist")
        ends = r"(?:ism|ists?|ic|s|izations?|isations?)?" if ist else r"(?:s|e|es|ed|ing|ings)?"
        pattern = rf"(?<![\w-]){re.escape(stem)}{ends}(?![\w-])"
        out += [m.span() for m in re.finditer(pattern, text, re.I)]
    return out


def find_answer_mentions(
    text: str, answers: Iterable[str], finder: MentionFinder | None = None
) -> list[tuple[int, int]]:
    """Every mention of an answer or alias in ``text``, in any of its forms (see the module docstring);
    sorted and unique, possibly overlapping. ``finder``: a :class:`MentionFinder` of ``text`` to reuse."""
    answers = list(answers)
    forms = [f for a in answers for f in answer_forms(a)]
    spans = set((finder or MentionFinder(text)).find(forms))
    for a in answers:
        spans.update(find_name_variants(text, a))
        spans.update(find_acronym_expansions(text, a))
        spans.update(find_abbreviations(text, a))
        spans.update(find_prefix_abbreviations(text, a))
        spans.update(find_name_stems(text, a))
        spans.update(find_derived_forms(text, a))
    return sorted(spans)


_TOKEN = re.compile(r"[^\s\"'\u2018-\u201f()\[\]{}<>,;:!?]+")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")


_NOT_ALNUM = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Lower case, accents folded, letters and digits only."""
    if text.isascii():
        return _NOT_ALNUM.sub("", text.lower())
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c))


def find_glued(
    text: str, answers: Iterable[str], finder: MentionFinder | None = None
) -> list[tuple[int, int]]:
    """Where an answer sits glued inside a longer token, which :func:`find_mentions` (whole words only)
    does not see: its words written together ("Spongecola", "WallsAndBridges") or a CamelCase part of a
    token ("ParisHilton"). Yes / no and answers under 2 letters are left out (ordinary text)."""
    answers = list(answers)
    keys = set()
    for a in answers:
        for form in answer_forms(a):
            key = _letters(_ARTICLE.sub("", form))
            if len(key) >= 2 and key not in YES_NO and not key.isdigit():
                keys.add(key)
    if not keys:
        return []
    out = set()
    for m in _TOKEN.finditer(text):
        token = m.group().strip(".-\u2013\u2014/'\u2019")
        if not token:
            continue
        letters = _letters(token)
        if not any(k in letters for k in keys):
            continue
        start = m.start() + m.group().index(token)
        parts = [p.span() for p in _CAMEL.finditer(token)]
        for i in range(len(parts)):
            for j in range(i, len(parts)):
                if _letters(token[parts[i][0] : parts[j][1]]) in keys:
                    out.add((start + parts[i][0], start + parts[j][1]))
    # an answer written as whole words is a plain mention (:func:`find_mentions`), not a glued one
    plain = sorted((finder or MentionFinder(text)).find([f for a in answers for f in answer_forms(a)]))
    starts = [a for a, _ in plain]
    reach = list(itertools.accumulate((b for _, b in plain), max))  # the farthest end of a mention so far
    return sorted(s for s in out if not (i := bisect_right(starts, s[0])) or reach[i - 1] < s[1])


#: unit spellings -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {}
for _dim, _factor, _names in (
    ("length", 1.0, "m|metre|metres|meter|meters"),
    ("length", 1000.0, "km|kilometre|kilometres|kilometer|kilometers"),
    ("length", 0.01, "cm|centimetre|centimetres|centimeter|centimeters"),
    ("length", 0.001, "mm|millimetre|millimetres|millimeter|millimeters"),
    ("length", 0.3048, "ft|feet|foot"),
    ("length", 0.0254, "in|inch|inches"),
    ("length", 0.9144, "yd|yard|yards"),
    ("length", 1609.344, "mi|mile|miles"),
    ("area", 1e6, "km2|km\u00b2|sq km|square kilometres|square kilometers"),
    ("area", 1.0, "m2|m\u00b2|square metres|square meters"),
    ("area", 2589988.11, "sq mi|mi2|mi\u00b2|square miles"),
    ("area", 1e4, "ha|hectare|hectares"),
    ("area", 4046.8564, "acre|acres"),
    ("mass", 1.0, "kg|kilogram|kilograms|kilogramme|kilogrammes"),
    ("mass", 0.001, "g|gram|grams"),
    ("mass", 1000.0, "t|tonne|tonnes"),
    ("mass", 0.45359237, "lb|lbs|pound|pounds"),
    ("mass", 0.028349523, "oz|ounce|ounces"),
    ("speed", 1 / 3.6, "km/h|kph"),
    ("speed", 0.44704, "mph"),
    ("volume", 0.001, "l|litre|litres|liter|liters"),
    ("volume", 0.003785411784, "gal|gallon|gallons"),
):
    for _name in _names.split("|"):
        _UNITS[_name] = (_dim, _factor)
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUM = r"\d[\d,]*(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?<![\w.,])({_NUM})(?:[ \t]*(?:to|-|\u2013|\u2014|and)[ \t]*({_NUM}))?"
    rf"[ \t\u00a0]*({_UNIT})(?![\w\u00b2])",
    re.I,
)


def _quantities(text: str) -> list[tuple[int, int, list[float], str, float]]:
    """Amounts with a unit in ``text``: (start, end, numbers, dimension, factor to the base unit)."""
    out = []
    for m in _QUANTITY.finditer(text):
        dim, factor = _UNITS[m.group(3).lower()]
        numbers = [float(g.replace(",", "")) for g in (m.group(1), m.group(2)) if g]
        out.append((m.start(), m.end(), numbers, dim, factor))
    return out


def find_conversions(text: str, answers: Iterable[str], tolerance: float = 0.03) -> list[tuple[int, int]]:
    """Where ``text`` gives an amount answer in other units or another spelling of its unit ("550 to
    2,130 m" for "1,800 to 7,000 ft"): same dimension, every number within ``tolerance`` once
    converted."""
    golds = [q for a in answers for q in _quantities(a)]
    if not golds:
        return []
    out = []
    for s, e, numbers, dim, factor in _quantities(text):
        for _, _, g_numbers, g_dim, g_factor in golds:
            if dim != g_dim or len(numbers) != len(g_numbers):
                continue
            converted = [n * factor / g_factor for n in numbers]
            if all(
                abs(c - g) <= tolerance * max(abs(g), 1e-9) for c, g in zip(converted, g_numbers, strict=True)
            ):
                out.append((s, e))
                break
    return out


#: a number token: digits (thousands separators and a decimal part allowed; an ordinal or plural suffix
#: read with it, "8th", "1980s") or a number word from two to twenty
_NUMBER_TOKEN = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(st|nd|rd|th|s)?(?![\w])"
    r"|(?<![\w-])(" + "|".join(_NUMBERS[2:]) + r")(?![\w-])",
    re.I,
)


def number_tokens(text: str) -> list[tuple[int, int, tuple[int, bool]]]:
    """The number tokens of ``text``: (start, end, (value, ordinal)); decimals are left out."""
    out = []
    for m in _NUMBER_TOKEN.finditer(text):
        if m.group(1) is not None:
            if "." in m.group():
                continue
            value, ordinal = int(m.group(1).replace(",", "")), (m.group(2) or "").lower() not in ("", "s")
        else:
            value, ordinal = _NUMBERS.index(m.group(3).lower()), False
        out.append((m.start(), m.end(), (value, ordinal)))
    return out


#: what joins the numbers of a range or an alternative: "676 to 685", "685 or 686", "1914-1918"
_RANGE_JOIN = re.compile(r"[ \t]*(?:-|\u2013|\u2014|/|to|or|until|till)[ \t]*(?:c\.|ca\.|circa)?[ \t]*", re.I)


def gold_numbers(answers: Sequence[str], question: str = "", trace: str = "") -> set[tuple[int, bool]]:
    """The numbers that are part of the gold answer ("685" of "after 685", "1800" and "7000" of
    "1,800 to 7,000 ft", "8th" of "8th century") and, in ``trace``, the numbers a range or an
    alternative joins to one of them ("676" and "686" of "from c. 676 to 685 or 686": next to a hidden
    685 they tell it), less those the question writes (a reader has them anyway); none for a yes / no
    answer."""
    if normalize_answer(answers[0]) in YES_NO:
        return set()
    asked = {key for _, _, key in number_tokens(question)}
    keys = {key for a in answers for _, _, key in number_tokens(a)} - asked
    if keys and trace:
        tokens = number_tokens(trace)
        runs: list[list[tuple[int, bool]]] = []
        for i, (s, _, key) in enumerate(tokens):
            if i and _RANGE_JOIN.fullmatch(trace, tokens[i - 1][1], s):
                runs[-1].append(key)
            else:
                runs.append([key])
        keys |= {key for run in runs if keys.intersection(run) for key in run} - asked
    return keys


def find_gold_numbers(
    text: str, answers: Sequence[str], question: str = "", trace: str | None = None
) -> list[tuple[int, int]]:
    """Every number token of ``text`` equal to a number of the gold answer or to a range neighbour of
    one in ``trace`` (the original trace; ``text`` itself by default; :func:`gold_numbers`), wherever it
    stands: in a range ("from c. 676 to 685 or 686" for "after 685"), a date, a neighbour's sentence;
    in digits (with or without thousands separators) or, from two to twenty, in words."""
    keys = gold_numbers(answers, question, text if trace is None else trace)
    return [(s, e) for s, e, key in number_tokens(text) if key in keys] if keys else []


# --- comparison questions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comparison:
    """A question that names its candidate answers ("Which is older, A or B?"): ``options`` as the
    question writes them, ``gold`` the index of the one the gold answer is."""

    options: tuple[str, ...]
    gold: int


_QUESTION_WORDS = _wordset(
    "which who whom whose what where when why how is are was were does do did has have had can "
    "could will would should between of"
)
_CONNECTORS = _wordset("of the and for de da van von der del di la le du a an to in on at & y el")
#: "which of A or B", "one of A and B": the word before "of" that opens a list of options
_CHOOSERS = _wordset("which who one each any both either neither")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"


def _capitalised(word: str) -> bool:
    w = word.lstrip(_QUOTES + "(")
    return bool(w) and (w[0].isupper() or w[0].isdigit() or w[0] == "#")


def _run_right(q: str, i: int) -> tuple[int, int] | None:
    """The option that starts at ``q[i:]``: a quoted title, else a run of capitalised words (connectors
    allowed inside) up to punctuation or the first lower-case word."""
    while i < len(q) and q[i].isspace():
        i += 1
    if i < len(q) and q[i] in _QUOTES:
        close = next((k for k in range(i + 1, len(q)) if q[k] in _QUOTES and q[k] != "'"), -1)
        if close > i + 1:
            return i + 1, close
    words = list(re.finditer(r"\S+", q[i:]))
    end = None
    for n, w in enumerate(words):
        text = w.group()
        core = text.rstrip(",?;:!")
        if not core:
            break
        if _capitalised(core):
            end = i + w.start() + len(core)
        elif core.lower() in _CONNECTORS and n + 1 < len(words) and _capitalised(words[n + 1].group()):
            pass
        else:
            break
        if core != text:
            break
    return (i, end) if end is not None else None


def _run_left(q: str, j: int) -> tuple[int, int] | None:
    """The option that ends at ``q[:j]`` (the mirror of :func:`_run_right`)."""
    while j > 0 and (q[j - 1].isspace() or q[j - 1] == ","):
        j -= 1
    if j > 0 and q[j - 1] in _QUOTES:
        open_ = max(q.rfind(c, 0, j - 1) for c in _QUOTES if c != "'")
        if 0 <= open_ < j - 2:
            return open_ + 1, j - 1
    words = list(re.finditer(r"\S+", q[:j]))
    start = None
    for n in range(len(words) - 1, -1, -1):
        w = words[n]
        text = w.group()
        if n < len(words) - 1 and re.search(r"[,?;:!]$", text):
            break
        core = text.rstrip(",?;:!")
        if n == 0 and core.lower() in _QUESTION_WORDS:
            break
        if core.lower() == "between" or (
            core.lower() == "of" and n > 0 and words[n - 1].group().lower() in _CHOOSERS
        ):
            break
        if _capitalised(core):
            start = w.start()
        elif core.lower() in _CONNECTORS and start is not None:
            pass
        else:
            break
    if start is None:
        return None
    # leading connectors are not part of the option ("of Lee Child" -> "Lee Child")
    while True:
        m = re.match(r"(\S+)\s+", q[start:j])
        if m and m.group(1).lower() in _CONNECTORS and not _capitalised(m.group(1)):
            start += m.end()
        else:
            return start, j


def comparison(question: str, answers: Sequence[str]) -> Comparison | None:
    """The options of a comparison question whose gold answer is one of them, else ``None``.

    The gold answer is found in the question and the option beside it is read across "or" ("A or B",
    "A, B or C" reads only the neighbour), or across "and" after "between" / "which of"."""
    for gold in answers:
        if normalize_answer(gold) in YES_NO:
            return None
        for s, e in find_mentions(question, [gold]):
            before = question[:s]
            art = re.search(r"(?:\b(?:the|a|an)\s+)?[" + _QUOTES + r"]?$", before, re.I)
            s2 = art.start() if art else s
            after = question[e:]
            close = re.match(r"[" + _QUOTES + r".]*", after)
            e2 = e + (close.end() if close else 0)
            right = re.match(r"[\s,]*\bor\b", question[e2:])
            left = re.search(r"\bor[\s,]*$", question[:s2])
            pair = None
            if right:
                span = _run_right(question, e2 + right.end())
                if span:
                    pair = ((s2, e2), span, 0)
            elif left:
                span = _run_left(question, left.start())
                if span:
                    pair = (span, (s2, e2), 1)
            else:
                between = re.search(r"\b(?:between|which of|who of|one of)\s+$", question[:s2], re.I)
                right_and = re.match(r"[\s,]*\band\b", question[e2:])
                left_and = re.search(r"\b(between|which of|who of)\s+(.+?)\s+and[\s,]*$", question[:s2], re.I)
                if between and right_and:
                    span = _run_right(question, e2 + right_and.end())
                    if span:
                        pair = ((s2, e2), span, 0)
                elif left_and:
                    pair = ((left_and.start(2), left_and.end(2)), (s2, e2), 1)
            if pair is None:
                continue
            a, b, g = pair
            options = tuple(_clean_option(question[x:y]) for x, y in (a, b))
            if all(normalize_answer(o) for o in options) and len({normalize_answer(o) for o in options}) == 2:
                return Comparison(options, g)
    return None


def _clean_option(text: str) -> str:
    return text.strip().strip(_QUOTES).strip()


def distinctive_words(comp: Comparison, question: str, option: str) -> list[str]:
    """Capitalised words of ``option`` (3+ letters) that no other option has and the rest of the
    question does not use: alone they still tell which option a sentence is about ("Horn" for
    "Jeremy Horn")."""
    others = {w for o in comp.options if o != option for w in _words(o)}
    rest = question
    for o in comp.options:
        rest = rest.replace(o, " ")
    used = set(_words(rest))
    out = []
    for w in re.findall(r"[^\W_][\w\u2019'-]*", option):
        w = re.sub(r"['\u2019]s$", "", w)
        if len(w) >= 3 and w[0].isupper() and w.lower() not in others | used and w.lower() not in _CONNECTORS:
            out.append(w)
    return list(dict.fromkeys(out))


#: words of names that say what kind of thing is named, not which one, and the names of months and days (the
#: "March" of "2 March 1972" is in every date of March): alone they name no answer
_KIND_WORDS = _wordset(
    """university college school institute academy county city town village state province district
    river lake mountain mount island islands bay sea ocean park street road avenue square bridge church
    cathedral temple castle palace hall house museum gallery library hospital airport station records
    company corporation group club team league association society party band orchestra festival award
    awards prize film series show magazine newspaper journal press national international united
    american british english french german new north south east west saint great little old royal king
    queen prince princess lord sir the and for jr january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday sunday"""
)


def answer_words(question: str, answers: Sequence[str]) -> list[str]:
    """Words only the answer has: capitalised words (3+ letters) of an answer of several words that the
    question does not use and that name no kind of thing ("Sooners" and "Oklahoma" of "Oklahoma Sooners",
    "Love" of "Courtney Love"; not "University", "River"). Alone they still name the answer."""
    used = set(_words(question))
    out = []
    for gold in answers:
        words = [re.sub(r"['\u2019]s$", "", w) for w in re.findall(r"[^\W_][\w\u2019'-]*", gold)]
        if len(words) < 2:
            continue
        out += [
            w
            for w in words
            if len(w) >= 3 and w[0].isupper() and w.lower() not in used and w.lower() not in _KIND_WORDS
        ]
    return list(dict.fromkeys(out))


#: a capitalised word right before a word (a space between), or right after it: a name the word is part of
_NAME_BEFORE = re.compile(r"(?<![\w'\u2019-])(?!(?:The|A|An)\b)[A-Z][\w'\u2019-]*[ \t]+$")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z0-9]")
#: what a longer word may add to an answer's word (an inflection, a demonym)
_STEM = r"[a-z\u00e0-\u00ff]{0,4}"


def find_answer_words(text: str, question: str, answers: Sequence[str]) -> list[tuple[int, int]]:
    """Where :func:`answer_words` stand alone in ``text`` (case as written; a hyphenated word is another), a
    word of six letters or more also as the stem of a longer word ("Gesellschafter" for "Gesellschaft mit
    beschränkter Haftung", "Oklahoman"): not inside another name ("Miller Brewing Company" for "Stone
    Brewing", "World War I" for "World War II"), a sentence's "The" aside ("The Sooners play ..."), unless
    that name is a nickname the sentence gives ('Dubbed "The Magnificent One" (as well as "Super Mario")'
    for Mario Lemieux): the answer's own word inside its nickname names it."""
    words = answer_words(question, answers)
    if not words:
        return []
    nicknames = _nicknames(text)
    return sorted(
        m.span()
        for w in words
        for m in re.finditer(rf"(?<![\w-]){re.escape(w)}{_STEM if len(w) >= 6 else ''}(?![\w-])", text)
        if any(a <= m.start() and m.end() <= b for a, b in nicknames)
        or (
            not _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            and not _NAME_AFTER.match(text, m.end())
        )
    )


#: what gives a name as a nickname, right before its quote ('Dubbed "...', 'a.k.a. "...', '(as well as "...')
_NICKNAME_CUE = re.compile(
    r"(?i)\b(?:dubbed|nicknamed?|known\s+as|called|moniker|a\.k\.a\.?|aka|as\s+well\s+as)\s*(?:the\s+)?\(?\s*$"
)
#: what joins two nicknames ('"The Magnificent One" or "Le Magnifique"')
_NICKNAME_JOIN = re.compile(r"(?i)\s*(?:,|or|and|,\s*(?:or|and))?\s*\(?\s*$")
#: a quoted name: straight or curly double quotes, on one line
_QUOTED_NAME = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{1,60})[\"\u201d]")


def _nicknames(text: str) -> list[tuple[int, int]]:
    """The quoted names ``text`` gives as nicknames: a quote right after a nickname cue, or right after
    another nickname, joined to it by "or", "and" or a comma."""
    out: list[tuple[int, int]] = []
    last_end = -1
    for m in _QUOTED_NAME.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        joined = last_end >= 0 and _NICKNAME_JOIN.match(text, last_end, m.start()) is not None
        if _NICKNAME_CUE.search(before) or joined:
            out.append(m.span(1))
            last_end = m.end()
        else:
            last_end = -1
    return out


def _words(text: str) -> list[str]:
    return [re.sub(r"['\u2019]s$", "", w).lower() for w in re.findall(r"[^\W_][\w\u2019'-]*", text)]


def option_mentions(
    text: str, comp: Comparison, question: str, index: int, finder: MentionFinder | None = None
) -> list[tuple[int, int]]:
    """Where ``text`` refers to option ``index``: its mentions in any form and its distinctive words."""
    option = comp.options[index]
    finder = finder or MentionFinder(text)
    spans = set(find_answer_mentions(text, [option], finder))
    spans.update(find_glued(text, [option], finder))
    for w in distinctive_words(comp, question, option):
        spans.update(m.span() for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text))
    spans.update(kind_mentions(text, option, option_kinds(comp, question)[index]))
    # a word inside a full mention is that mention
    return sorted(s for s in spans if not any(a <= s[0] and s[1] <= b and (a, b) != s for a, b in spans))


#: nouns that say what kind of thing a name is, as a question writes them beside an option ("Shape magazine",
#: "the band Hole") and a title's disambiguation beside a name ("Shape (magazine)", "Hole (band)"); no word
#: that is as often a verb ("show", "play", "book")
_TAG_KINDS = _wordset(
    """magazine newspaper journal website blog podcast film movie series sitcom documentary band album song
    novel musical opera comic comics manga anime franchise game company brand university college school city
    town village river lake mountain island team club station network channel airline restaurant museum"""
)
#: what may stand between a name and its disambiguation: blanks (a no-break space too) and a closing quote
_TAG_GAP = r"[ \t\u00a0]*(?:[\"'\u201d\u2019][ \t\u00a0]*)?"
#: what may close a name before the word after it, or open it after the word before: a quote, markdown's
#: emphasis ("*Shape* magazine", 'the band "Hole"')
_NAME_CLOSE = r"[\"'\u201d\u2019*_]*"
_NAME_OPEN = r"[\"'\u201c\u2018*_]*"
#: blanks in a question or a trace, a no-break space too
_BLANKS = r"[ \t\u00a0]+"
#: a placeholder that may hide an option: not a number's or an expression's; matched in its own case
_OPTION_BLANK = r"(?-i:\[(?!NUMBER\]|EXPR\])[A-Z][A-Z0-9_]*\])"
#: the most words a disambiguation holds ("2015 American film", "magazine, 1981")
_TAG_WORDS = 4
#: a word of a disambiguation (digits count: "magazine, 1981" is two)
_TAG_WORD = re.compile(r"[^\W_]+")


def option_kinds(comp: Comparison, question: str) -> list[list[str]]:
    """For each option, the kind nouns the question writes right beside it (blanks between, or in a
    parenthesis after it: "Shape (magazine)") and nowhere else, in lower case ("magazine" of "Is Velvetpark
    or Shape magazine ...?", "band" of "the band Hole"; not of "Which magazine ..., Velvetpark or Shape
    magazine?", which calls both one): such a word beside a hidden option tells the options apart."""
    kinds = [
        list(
            dict.fromkeys(
                w
                for m in re.finditer(_beside(option, "([A-Za-z]+)"), question, re.I)
                if (w := (m.group(1) or m.group(2)).lower()) in _TAG_KINDS
            )
        )
        for option in comp.options
    ]
    names = [set(_words(o)) for o in comp.options]
    return [
        [
            w
            for w in own
            if not any(w in kinds[j] or w in names[j] for j in range(len(kinds)) if j != i)
            and len(re.findall(rf"(?<!\w){w}(?!\w)", question, re.I))
            == len(re.findall(_beside(comp.options[i], w), question, re.I))  # beside it wherever written
        ]
        for i, own in enumerate(kinds)
    ]


def _beside(option: str, word: str) -> str:
    """A pattern of ``word`` (a pattern of one group, or a plain word) right beside ``option`` in a
    question: before it ("the band Hole"), or after it, bare or in a parenthesis ("Shape (magazine)")."""
    o = re.escape(option)
    return (
        rf"(?<![\w'])(?:{word}){_BLANKS}(?={o}(?!\w))"  # (the option not taken: its word after may follow)
        rf"|(?<!\w){o}(?:{_BLANKS}|[ \t\u00a0]*\([ \t\u00a0]*)(?:{word})(?!\w)"
    )


def kind_mentions(text: str, option: str, kinds: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``text`` gives a mention of ``option``, or a placeholder that may hide it, one of its ``kinds``:
    right before or after it ("the band Hole", "Shape magazine", "[ENTITY] magazine": the mention with the
    word, or the word beside a placeholder) or in the disambiguation in parentheses after it (the word
    alone: "[ENTITY] (magazine, 1981)"). Any such placeholder counts, as a reader of the masked text cannot
    tell which one hides an option: a kind beside another hidden name is hidden too."""
    if not kinds:
        return []
    name = rf"(?:{_OPTION_BLANK}|(?<!\w){re.escape(option)}(?!\w))"
    kind = rf"(?:{'|'.join(re.escape(k) for k in kinds)})"

    def whole(named: str, gap: str) -> bool:  # the option's name and its kind, blanks between: one mention
        return re.fullmatch(_OPTION_BLANK, named) is None and not gap.strip(" \t\u00a0")

    out = []
    for m in re.finditer(rf"({name}){_NAME_CLOSE}{_BLANKS}({kind})(?!\w)", text, re.I):
        out.append((m.start() if whole(m.group(1), text[m.end(1) : m.start(2)]) else m.start(2), m.end()))
    for m in re.finditer(rf"(?<!\w)({kind}){_BLANKS}{_NAME_OPEN}({name})", text, re.I):
        out.append((m.start(), m.end() if whole(m.group(2), text[m.end(1) : m.start(2)]) else m.end(1)))
    for m in re.finditer(rf"{name}{_TAG_GAP}\(([^()\n]*)\)", text, re.I):
        words = list(_TAG_WORD.finditer(m.group(1)))
        if len(words) <= _TAG_WORDS:
            at = m.start(1)
            out += [(at + w.start(), at + w.end()) for w in words if w.group().lower() in kinds]
    return out


# --- yes / no conclusions ----------------------------------------------------------------------------

#: words that read a statement as "no" ("not the same", "only Allure was", "different countries")
_NEGATORS = _wordset(
    "not n't no never neither nor none only different differ differs differed unlike whereas but "
    "however instead cannot nobody nothing"
)
#: words that restate a yes/no question's comparison
_COMPARISON = _wordset("both same different differ neither either common alike similar")
#: function words a conclusion's hidden part reaches back over ("have the same", "are not")
_LEAD = _wordset(
    "is are was were be been being am has have had do does did the a an both all also not n't "
    "never only each still too either neither indeed"
)
_STOP = _wordset(
    "the a an of in on at to for from by with and or is are was were be been being has have had "
    "do does did this that these those it its as who whom whose which what when where why how "
    "their there they he she his her him them not also any some one same both"
)
_WORD = re.compile(r"\[[A-Z][A-Z0-9_]*\]|n't|[^\W_][\w\u2019'-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c(\[]?[A-Z0-9\[])|\n+")


@dataclass(frozen=True, slots=True)
class Conclusion:
    """A sentence of the trace's final reasoning that reads as ``reading`` ("yes" / "no");
    ``start``/``end`` cover what tells it (the yes/no word, the restated predicate)."""

    start: int
    end: int
    reading: str
    sentence: tuple[int, int]


def yes_no_question(question: str) -> tuple[set[str], set[str]]:
    """The subjects' words and the property words of a yes/no question ("Are A and B both American?":
    subjects A and B, property "both", "american")."""
    subjects: set[str] = set()
    for m in re.finditer(r"\s+(?:and|or)[\s,]+", question):
        for span in (_run_left(question, m.start()), _run_right(question, m.end())):
            if span:
                subjects.update(_words(question[span[0] : span[1]]))
    words = _words(question)
    first = words[:1]
    prop = {
        w
        for w in words
        if w not in subjects
        and w not in _STOP
        and w not in _QUESTION_WORDS
        and len(w) >= 3
        and w not in first
    }
    return subjects, prop


def conclusion_region(text: str) -> list[tuple[int, int]]:
    """The trace's conclusion: its reasoning and answer steps after the last retrieved text (all of
    them when nothing was retrieved)."""
    _, steps = parse_trace(text)
    last = max((i for i, s in enumerate(steps) if s.kind == "retrieved"), default=-1)
    return [(s.start, s.end) for s in steps[last + 1 :] if s.kind in ("reasoning", "think", "answer")]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into sentences (at ``. ! ?`` before a capital, and at line breaks)."""
    out = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def conclusions(text: str, question: str, skip: Sequence[tuple[int, int]] = ()) -> list[Conclusion]:
    """The yes/no readings of the sentences of the trace's conclusion (see :func:`conclusion_region`)
    that state one: an explicit "yes" / "no" ("Yes, both are ...", "so the answer is no") or a sentence
    restating the question's comparison or property ("they are not the same", "both are American",
    "X and Y have the same type of work"), read "no" when it has a negation ("not", "only",
    "different", ...) and "yes" otherwise. Sentences inside ``skip`` (copies of the question) are not
    read."""
    _, prop = yes_no_question(question)
    out = []
    for lo, hi in conclusion_region(text):
        for a, b in sentences(text, lo, hi):
            if any(x <= a and b <= y for x, y in skip):
                continue
            found = _read(text, a, b, prop)
            if found:
                out.append(found)
    return out


def _read(text: str, a: int, b: int, prop: set[str]) -> Conclusion | None:
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, a, b)]
    if not words:
        return None
    lower = [w for _, _, w in words]
    explicit = None
    lead = 0
    while lead < len(lower) and lower[lead] in ("so", "thus", "therefore", "hence", "then", "and", "overall"):
        lead += 1
    if lead < len(lower) and lower[lead] in YES_NO:
        explicit = lead
    for i in range(len(lower) - 1):
        if lower[i] == "answer" and i + 1 < len(lower):
            k = i + 1
            while k < len(lower) and lower[k] in ("is", "was", "would", "be", "will"):
                k += 1
            if k < len(lower) and lower[k] in YES_NO:
                explicit = k
    triggers = [
        i
        for i, w in enumerate(lower)
        if not w.startswith("[") and (w in _COMPARISON or w in prop or w in _NEGATORS and w != "no")
    ]
    restates = any(lower[i] in _COMPARISON or lower[i] in prop for i in triggers)
    if explicit is None and not restates:
        return None
    if explicit is not None:
        reading = lower[explicit]
        triggers = sorted({explicit, *triggers}) if restates else [explicit]
    else:
        reading = "no" if any(w in _NEGATORS for w in lower) else "yes"
    first, last = triggers[0], triggers[-1]
    while restates and first > 0 and lower[first - 1] in _LEAD:
        first -= 1
    return Conclusion(words[first][0], words[last][1], reading, (a, b))


# --- a comparison's verdict by elimination ------------------------------------------------------------

#: words that deny what follows them in their clause ("..., not Finnish rock groups", "has nothing to do
#: with ..."); any word ending in "n't" too ("isn't about ...")
_DENYING = _wordset("not never neither nor no nothing none without unrelated")
#: two-word denials: "rather than Finnish rock groups", "instead of ..."
_DENYING_PAIRS = {("rather", "than"), ("instead", "of")}
#: words that point from the option ruled out to the other one ("must instead be", "the latter", "the
#: second option") or say an option is ruled out ("that eliminates it, leaving ..."), read in a sentence
#: that restates the question's property or states the answer; "latter" always points
_POINTING = _wordset("instead rather latter second remaining leaving eliminates eliminated excludes excluded")
#: words of the question that say no property: the kind both options are ("Which documentary ...") is
#: found apart, these are prepositions
_NO_PROPERTY = _wordset("about into onto over than upon within")
#: where a denial's reach ends: a clause mark, or a question word ("I do not yet know which documentary
#: is about ..." states no verdict)
_CLAUSE_END = re.compile(r"[,;:.!?()]")
_REACH_END = _wordset("which whether what who whom if how where when why")
#: how far from a denial the question's property words are read (words)
_DENIAL_REACH = 8


def _denies(word: str) -> bool:
    return word in _DENYING or word.endswith(("n't", "n\u2019t"))


def ruled_out(
    text: str, question: str, options: Sequence[str], skip: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Where the reasoning of a comparison question rules an option out, which names the other ("Which
    documentary is about Finnish rock groups, A or B?" with "[ENTITY] (film) is about a politician, not
    Finnish rock groups. So ... must instead be [ENTITY]"):

    * a denial ("not", "isn't", "never", "nothing to do with", "rather than", ...) and the question's
      property words after it in its clause, from the denial to the last of them ("not Finnish rock
      groups"; the reach ends at a question word: "I do not know which documentary is about ..." is
      plan), or, with none after it, right before it ("Finnish rock groups are not");
    * a word that points at the other option or rules one out ("instead", "rather", "the latter", "the
      second", "eliminates", "leaving") in a sentence that restates the property or states the answer,
      and "the other" standing for an option ("so it must be the other, [ENTITY]").

    The property words are the question's less its ``options`` as written there ("first" is one in
    "Which was started first, X or First for Women?"), less the kind both options are ("documentary" of
    "Which documentary ...") and a few prepositions. Read in the reasoning, think and answer steps
    (retrieved text states facts, not verdicts); sentences inside ``skip`` (copies of the question) are
    not read."""
    rest = question
    for option in options:
        rest = rest.replace(option, " ")
    kind = {m.group(1).lower() for m in re.finditer(r"(?i)\b(?:which|what)\s+(\w+)", rest)}
    prop = {
        w
        for w in _words(rest)
        if w not in _STOP
        and w not in _QUESTION_WORDS
        and w not in _NO_PROPERTY
        and w not in kind
        and len(w) >= 3
    }
    _, steps = parse_trace(text)
    out = []
    for step in steps:
        if step.kind not in ("reasoning", "think", "answer"):
            continue
        for a, b in sentences(text, step.start, step.end):
            if any(x <= a and b <= y for x, y in skip):
                continue
            words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, a, b)]
            about = any(w in prop or w == "answer" for _, _, w in words)
            for i, (s, e, w) in enumerate(words):
                pair = i + 1 < len(words) and (w, words[i + 1][2]) in _DENYING_PAIRS
                if (w in _POINTING and (about or w == "latter") and not pair) or _the_other(
                    text, words, i, b
                ):
                    out.append((s, e))
                if not (_denies(w) or pair):
                    continue
                span = _denied(text, words, i, prop)
                if span is not None:
                    out.append(span)
    return out


#: what may follow "the other" when it stands for an option: nothing, a clause mark, "one", "option", a
#: placeholder ("So it must be the other, [ENTITY]"; not "the other document")
_OTHER_ENDS = re.compile(r"\s*(?:[,;:.!?)]|$|(?:one|option|choice|candidate)\b|\[[A-Z])")


def _the_other(text: str, words: list[tuple[int, int, str]], i: int, end: int) -> bool:
    """``words[i]`` is "other" in "the other" standing for an option (see :data:`_OTHER_ENDS`)."""
    return (
        words[i][2] == "other"
        and i > 0
        and words[i - 1][2] == "the"
        and bool(_OTHER_ENDS.match(text[words[i][1] : end]))
    )


def _denied(text: str, words: list[tuple[int, int, str]], i: int, prop: set[str]) -> tuple[int, int] | None:
    """The denial at ``words[i]`` with the property words it reaches in its clause (after it, else right
    before it), or ``None`` when it reaches none."""
    last = None
    for j in range(i + 1, min(len(words), i + 1 + _DENIAL_REACH)):
        if _CLAUSE_END.search(text, words[j - 1][1], words[j][0]) or words[j][2] in _REACH_END:
            break
        if words[j][2] in prop:
            last = j
    if last is not None:
        return words[i][0], words[last][1]
    first = None
    for j in range(i - 1, max(-1, i - 1 - _DENIAL_REACH), -1):
        if _CLAUSE_END.search(text, words[j][1], words[j + 1][0]) or words[j][2] in _REACH_END:
            break
        if words[j][2] in prop:
            first = j
    return (words[first][0], words[i][1]) if first is not None else None


# --- a comparison by count: the things counted --------------------------------------------------------

#: "more bands", "the most studio albums", "more Grand Slam titles", "fewer members": the counted noun
#: (plural, up to two words before it, none an adverb: not "more closely resembles", "more populous")
_COUNTED = re.compile(
    r"(?i)\b(?:more|most|fewer|fewest)\s+(?:(?![a-z-]+ly\b)[a-z-]+\s+){0,2}?"
    r"(children|people|men|women|(?![a-z]+ly\b)[a-z]+s)\b(?<!ous)(?<!ss)"
)
#: irregular plurals: how the trace may write the counted noun
_IRREGULAR = {"children": "child|children", "people": "people|persons?", "men": "m[ae]n", "women": "wom[ae]n"}
#: a group named by its size ("a noise rock trio")
GROUP_SIZE = re.compile(
    r"(?i)(?<!\w)(?:duo|trio|quartet|quintet|sextet|septet|octet|threesome|foursome)s?(?!\w)"
)
#: what may stand between the counted noun and the list of them ("members: A, B and C", "bands are ...")
_LIST_LEAD = re.compile(
    r"(?i)(?:\s*(?::|,|\b(?:are|were|is|was|include[sd]?|including|such as|namely)\b))*\s*"
)
#: a count right before the counted noun ("four bands", "the 4 bands", "several bands")
_COUNT_BEFORE = re.compile(
    rf"(?i)(?<![\w-])(?:\d+|{'|'.join(_NUMBERS[1:])}|several|many|numerous|multiple|various)\s+\Z"
)
#: a sentence that goes on with the list of what the sentence before counted ("These include A, B and C")
_LIST_NEXT = re.compile(r"(?i)\s*(?:these|they|those|their\s+\w+)\s+(?:include[sd]?|are|were)\b\s*:?\s*")
#: the separators of a list at bracket depth 0: a comma (with "and" / "or"), "and", "or", "&"; never
#: starting inside a run of blanks (each start would rescan the run)
_LIST_SEP = re.compile(r"(?<!\s)(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+)")
_ITEM_WORDS = 8
_LIST_WORD = re.compile(r"\[[A-Z][A-Z0-9_]*\]|[^\W_][\w'\u2019-]*")
#: how a list's first item starts: a name, a number, a quoted title or a placeholder ("toured Canada,
#: Mexico and Japan" or "with his brother and sister" lists no counted things)
_NAME_START = re.compile(r"[\"'\u201c\u2018(]?(?:\[[A-Z]|[A-Z0-9])")


def counted_noun(question: str) -> str | None:
    """The noun a comparison by count counts, as a pattern of its forms ("Which of A and B has been a
    member of more bands?": ``band(?:s|es)?``), else ``None``."""
    m = _COUNTED.search(question)
    if m is None:
        return None
    noun = m.group(1).lower()
    if noun in _IRREGULAR:
        return f"(?:{_IRREGULAR[noun]})"
    stem = noun[:-2] if noun.endswith(("ches", "shes", "xes")) else noun[:-1]
    return f"{re.escape(stem)}(?:s|es)?"


def counted(text: str, question: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """What a reader would count in ``regions`` of ``text`` when ``question`` compares counts ("Which of A
    and B has been a member of more bands?"): each list of the counted things (:func:`enumerations`) and
    each group's size in a word ("a noise rock trio"), unless the question says one ("Which trio ...")."""
    noun = counted_noun(question)
    if noun is None:
        return []
    found = enumerations(text, noun, regions)
    if not GROUP_SIZE.search(question):
        found += [
            m.span()
            for m in GROUP_SIZE.finditer(text)
            if any(a <= m.start() and m.end() <= b for a, b in regions)
        ]
    return found


def enumerations(text: str, noun: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lists of the counted things in ``regions`` of ``text`` (``noun`` as :func:`counted_noun`
    gives it): in a sentence that names the noun, what follows it, or in the next sentence what follows
    "These include" / "They are", when it is a list: items at bracket depth 0 joined by commas, "and",
    "or" or "&" (two or more with a last "and" / "or" / "&", else three or more), each of one to eight
    words, the first a name, a number, a title or a placeholder ("the bands Dance Gavin Dance, Emarosa,
    Slaves, and westerHALTS", "members: [ENTITY], [ENTITY] and [ENTITY]": a reader counts placeholders
    too). The list ends at the sentence's end, a ``;`` or a bracket it did not open; a noun right before its
    list ("the bands Dance Gavin Dance, ...") is part of it: its plural tells that there are several."""
    named = re.compile(rf"(?i)(?<!\w){noun}(?!\w)")
    out = []
    for lo, hi in regions:
        before = False
        for a, b in sentences(text, lo, hi):
            m = named.search(text, a, b)
            lead = (
                _LIST_LEAD.match(text, m.end(), b)
                if m
                else (_LIST_NEXT.match(text, a, b) if before else None)
            )
            before = m is not None
            if lead is None:
                continue
            start, end = lead.end(), _list_end(text, lead.end(), b)
            if _NAME_START.match(text, start, end) and _a_list(text, start, end):
                # the noun before its list goes too, with a count before it: "bands" against "band", "four
                # bands", "His bands are" tell the count
                if m is not None:
                    count = _COUNT_BEFORE.search(text, max(a, m.start() - 20), m.start())
                    start = count.start() if count else m.start()
                out.append((start, end))
    return out


def _list_end(text: str, start: int, end: int) -> int:
    """Where a list that starts at ``start`` ends before ``end``: a ``;``, a bracket it did not open, or
    the end less trailing punctuation and blanks."""
    depth = 0
    for k in range(start, end):
        c = text[k]
        if c == ";" and depth == 0:
            end = k
            break
        depth += (c in "([{") - (c in ")]}")
        if depth < 0:
            end = k
            break
    while end > start and text[end - 1] in ".,;:!? \t":
        end -= 1
    return end


def _a_list(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a list (see :func:`enumerations`)?"""
    cuts, depth, pos = [], 0, start
    for m in _LIST_SEP.finditer(text, start, end):
        depth += sum((c in "([{") - (c in ")]}") for c in text[pos : m.start()])
        pos = m.start()
        if depth == 0:
            cuts.append(m)
    joined = bool(cuts) and bool(re.search(r"\b(?:and|or)\b|&", cuts[-1].group()))
    if not (joined or len(cuts) >= 2):
        return False
    bounds = [start] + [x for m in cuts for x in m.span()] + [end]
    items = [text[x:y] for x, y in zip(bounds[::2], bounds[1::2], strict=True)]
    if not joined and not all(_NAME_START.match(item) for item in items):
        return False  # a list with no "and" is one of names only ("Keith Austin, Simon Shields, Mark Austin")
    return all(0 < len(_LIST_WORD.findall(item)) <= _ITEM_WORDS for item in items)


# --- a comparison by time: words of order ---------------------------------------------------------------

#: words that say which came first, read as a date is in a comparison by time ("Wingard and Barrett
#: previously collaborated on a previous film, You're Next": the other option came first)
_ORDER = re.compile(
    r"(?i)(?<![\w-])(?:previous(?:ly)?|earlier|later|prior|subsequent(?:ly)?|sequel|prequel|predecessor"
    r"|successor|follow-up|preceded|preceding|followed|succeeded)(?![\w-])"
)


def order_words(
    text: str, mentions: Sequence[tuple[int, int]], regions: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The words of order ("previous", "later", "sequel", ...) in the sentences of ``regions`` that
    mention an option (``mentions``: where the options, or placeholders for them, stand)."""
    out = []
    for lo, hi in regions:
        for a, b in sentences(text, lo, hi):
            if any(a <= s and e <= b for s, e in mentions):
                out += [m.span() for m in _ORDER.finditer(text, a, b)]
    return out


#: capital letters, Latin ones with diacritics too ("Örebro", "Łódź", "Île-de-France")
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper())
#: a question that asks for a region: "In what state ...", "Which countries ...", "What is the name of the
#: country where ..." (lower-case words between: "what Fayette County, Kentucky airport" asks for an
#: airport); not a kind of person or thing named after one ("Which country singer", "what state senator")
_ASKS_PLACE = re.compile(
    r"\b(?:[Ww]hat|[Ww]hich)\s+(?:[a-z-]+\s+|U\.?S\.?\s+){0,5}?"
    r"(?i:countr(?:y|ies)|nations?|states?|provinces?|count(?:y|ies)|cit(?:y|ies)|towns?|villages?|regions?"
    r"|territor(?:y|ies)|islands?|continents?|municipalit(?:y|ies)|boroughs?|prefectures?|capitals?)\b"
    r"(?!\s+(?:singer|music|musician|artist|band|song|album|club|team|league|senator|representative"
    r"|legislat\w*|university|college|park|police|trooper|highway|route|road|fair|house|capitol|record"
    r"|anthem|flag|bird|flower|motto|champion\w*|school|line|border)\b)"
)
#: a word of a place's name: capitalised ("St. Louis", "D.C.", "Minneapolis-St. Paul"; a word ending in any
#: other "." ends the name: "Minneapolis. The", "D.C. Later")
_PLACE_WORD = (
    rf"(?:[{_UPPER}][\w'\u2019-]*(?:\.[{_UPPER}][\w'\u2019-]*)*"
    r"(?:(?<=\.[A-Z])\.|(?<=St|Mt|Ft)\.|(?<=Ste)\.)?)"
)
#: the lower-case words inside a place's name ("Newcastle upon Tyne", "Castellón de la Plana", "Ústí nad
#: Labem"); never "of" ("the District Attorney of Albany County") nor "on" ("Berlin on Sunday")
_CONNECTOR = r"(?:upon|am|an|der|de|del|la|le|les|sur|en|nad|di|da|do|dos|das|du|des|y)"
_PLACE_NAME = (
    rf"{_PLACE_WORD}(?:(?:(?<!\.)|(?<=St\.)|(?<=Mt\.)|(?<=Ft\.)|(?<=Ste\.))[ \t]+"
    rf"(?:{_CONNECTOR}[ \t]+){{0,2}}{_PLACE_WORD}){{0,4}}"
)
#: capitalised words that start a clause before a place, not part of its name ("In Kandahar, ..."), and
#: words that are no place alone ("However, Germany ...", "On 3 October, Germany ...")
_NOT_PLACE = frozenset(
    re.findall(
        r"\w+",
        "In At From Near On By Of To For With And Or The A An According However Therefore Thus Hence So Yes "
        "No Also Then Meanwhile Moreover Furthermore Instead Finally Later Today Now Here There It He She "
        "They We I This That These Those Since After Before During While When Where January February March "
        "April May June July August September October November December Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday",
    )
)
#: the places a chain may write before the answer, and how far before it they are read
_MOST_CONTAINED = 3
_CHAIN_REACH = 400
_CHAIN_BEFORE = re.compile(
    rf"(?<![\w'\u2019.-])((?:{_PLACE_NAME},[ \t]*){{1,{_MOST_CONTAINED}}})(?:[Tt]he[ \t]+)?$"
)
#: what may follow the answer of a chain: the clause's end, a list's next item, a preposition or a name it
#: qualifies ("Albany County, N.Y. District Attorney"); not a verb ("However, Germany signed") nor a
#: possessive ("Angela Merkel, Germany's leader")
_CHAIN_CLOSED = re.compile(
    r"(?![\'\u2019]s\b)[ \t]*(?:$|[.,;:!?)\]\n\"\u201d]"
    r"|(?:and|or|from|in|on|at|to|for|with|until|since|during|near|where|which|who|that|between|before"
    rf"|after|as|under|by)\b|[{_UPPER}])"
)
#: the nouns of a place an apposition names: ", a suburb of Minneapolis", ", the county seat of ..."
_PLACE_NOUN = (
    r"(?:suburb|city|town|village|county|region|district|province|state|capital|borough|neighbou?rhood"
    r"|municipality|area|part|community|island|port|seat|commune|parish|township|hamlet)"
)
#: an apposition after a place answer that names a place inside it: "Golden Valley, Minnesota, a suburb of
#: Minneapolis", ", which is a suburb of Minneapolis", ", near Minneapolis", "(a suburb of Minneapolis)"
_APPOSITION = re.compile(
    r"(?:,[ \t]+(?:which[ \t]+is[ \t]+)?|[ \t]*\([ \t]*)"
    rf"(?:(?:a|an|the)[ \t]+(?:[a-z-]+[ \t]+){{0,2}}?{_PLACE_NOUN}[ \t]+(?:of|in|near|outside)|near|outside)"
    rf"[ \t]+({_PLACE_NAME})(?![\w'\u2019-])"
)


@dataclass(frozen=True, slots=True)
class PlaceChain:
    """Places written right before an answer mention, joined by commas, innermost first, and one an
    apposition right after it names."""

    #: ``(start, end, told)`` of each place: ``told`` when the question names it (its own knowledge) or
    #: it is an answer's name itself
    places: tuple[tuple[int, int, bool], ...]
    #: the answer mention after them
    answer: tuple[int, int]
    #: the place of the apposition after the answer (``(start, end, told)``), if any
    after: tuple[int, int, bool] | None = None


def place_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]``, a name a chain reads, less the clause's first words that are no place ("In" of
    "In Kandahar"); ``None`` when nothing is left."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group() in _NOT_PLACE:
        words.pop(0)
    return (start + words[0].start(), start + words[-1].end()) if words else None


def place_chains(question: str, trace: str, answers: Sequence[str]) -> list[PlaceChain]:
    """For a question that asks for a place ("In what state ...?"), each chain of places ``trace`` writes
    before a mention of an answer, in any of its forms ("Waldkirch, Baden-Württemberg, Germany": a town
    and a region inside the country; "Albany County, N.Y."; "Amsterdam, the Netherlands"), up to three,
    the answer closing its clause or qualifying a name (not "However, Germany signed"), and the place of
    an apposition after it (", a suburb of Minneapolis"), with at least one the question does not name.
    Hiding the answer leaves them telling it to a reader who knows the world."""
    if not _ASKS_PLACE.search(question):
        return []
    asked = f" {normalize_answer(question)} "
    golds = {normalize_answer(a) for a in answers}

    def told(s: int, e: int) -> bool:
        key = normalize_answer(trace[s:e])
        return f" {key} " in asked or key in golds

    out: list[PlaceChain] = []
    for start, end in find_answer_mentions(trace, answers):
        places: list[tuple[int, int, bool]] = []
        chain = _CHAIN_BEFORE.search(trace, max(0, start - _CHAIN_REACH), start)
        if chain is not None and _CHAIN_CLOSED.match(trace, end):
            for item in re.finditer(r"[^,]*[^,\s][^,]*", chain.group(1)):
                name = place_name(trace, chain.start(1) + item.start(), chain.start(1) + item.end())
                if name is None:
                    places = []
                    break
                places.append((*name, told(*name)))
        apposition = _APPOSITION.match(trace, end)
        after = (*apposition.span(1), told(*apposition.span(1))) if apposition is not None else None
        if not all(t for *_, t in (*places, *([after] if after else []))):
            out.append(PlaceChain(tuple(places), (start, end), after))
    return out


#: in a masked text, the places of a chain before a blank (a place already hidden leaves the one before it
#: right before a blank: "Waldkirch, [ENTITY], [ENTITY]"), and an apposition after a blank
_CHAIN_AT_BLANK = re.compile(
    rf"(?<![\w'\u2019.-])((?:{_PLACE_NAME},[ \t]*){{1,{_MOST_CONTAINED}}})"
    rf"(?:[Tt]he[ \t]+)?{PLACEHOLDER.pattern}"
)
_APPOSITION_AT_BLANK = re.compile(PLACEHOLDER.pattern + _APPOSITION.pattern)


def places_beside_blanks(masked: str, names: Collection[str]) -> list[tuple[int, int]]:
    """Where ``masked`` writes one of ``names`` (normalised) as a place of a chain before a placeholder
    ("Waldkirch, [ENTITY], [ENTITY]") or in an apposition after one ("[ENTITY], a suburb of Minneapolis"):
    one pass over the text, whatever the number of names."""
    out: list[tuple[int, int]] = []
    for m in _CHAIN_AT_BLANK.finditer(masked):
        for item in re.finditer(r"[^,]*[^,\s][^,]*", m.group(1)):
            name = place_name(masked, m.start(1) + item.start(), m.start(1) + item.end())
            if name is not None and normalize_answer(masked[name[0] : name[1]]) in names:
                out.append(name)
    for m in _APPOSITION_AT_BLANK.finditer(masked):
        if normalize_answer(m.group(1)) in names:
            out.append(m.span(1))
    return sorted(set(out))
