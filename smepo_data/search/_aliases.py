"""Other names of the answer that the trace itself gives, in plain rules shared by the verifier's
``alias`` attack (which reads them off the original trace, as a reader who knows the world would, and
looks for them in the masked one) and the masker (which hides them), so the two agree by construction.

* aliases the trace equates with the answer (:func:`find_aliases`): "X (also known as / formerly /
  officially / or / born Y)", "X, or Y,", "X, also known as Y", "Y (also known as X)", and the names in
  a parenthesis right after the answer that a language label introduces ("Cambodia (Khmer: ...,
  or Kampuchea)"); the lead words include "otherwise / better known as", "styled", "a.k.a.", and an
  appositive may stand between the answer and them ("X, 14th Duke of Hamilton, otherwise known as Lord
  Clydesdale"); and the peerage titles of an appositive right after the answer ("X, 14th Duke of
  Hamilton and 11th Duke of Brandon"), which name the same person;
* fuller names of a person answer (:func:`find_extensions`): "Frederick Alexander Lindemann" where the
  gold is "Frederick Alexander": hiding the gold alone leaves "[ENTITY] Lindemann", so the full name
  and its short form ("Frederick Lindemann") are hidden too.

No model: the verifier is also the trainer's reward and stays light.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from ._reader import MONTH, answer_forms
from .answers import MentionFinder, normalize_answer

#: words by which a trace says that what follows is another name of what precedes
_LEAD = (
    r"(?:(?:also|better|commonly|colloquially|popularly|locally|simply|often|widely|otherwise)\s+"
    r"(?:known\s+as|called)|styled(?:\s+as)?"
    r"|also\s+(?:spelled|spelt)|known\s+as|a\.?k\.?a\.?|formerly(?:\s+(?:known\s+as|called))?"
    r"|officially(?:\s+(?:known\s+as|called))?|nicknamed|styli[sz]ed\s+as|abbreviated(?:\s+as)?|abbr\."
    r"|shortened\s+to|born|n[\u00e9e]e|short\s+for|lit\.|literally|translated\s+as)"
)
#: inside a parenthesis right after the answer, a bare "or" introduces another name too
_PAREN_LEAD = rf"(?:{_LEAD}|or)"
_CONNECT = r"(?:of|the|and|de|du|da|la|le|von|van|der|del|di|y|al|bin)"
#: a name: capitalised words (or words in a non-Latin script), connectors allowed inside, up to 6 words
_NAME = rf"(?:[^\W\d_][\w'\u2019.-]*)(?:[ \t]+(?:{_CONNECT}[ \t]+)*[^\W\d_][\w'\u2019.-]*){{0,5}}"
#: a peerage or courtesy title that a name can be given by ("Duke of Hamilton", "Lord Clydesdale")
_TITLE = (
    r"(?:Duke|Duchess|Earl|Count|Countess|Marquess|Marquis|Marchioness|Viscount|Viscountess|Baron|Baroness"
    r"|Lord|Lady|Prince|Princess)"
)
#: such a title with its ordinal ("14th Duke of Hamilton"); the name is the title less the ordinal
_CAPITALISED = rf"[A-Z][\w'\u2019-]*(?:[ \t]+(?:{_CONNECT}[ \t]+)*[A-Z][\w'\u2019-]*){{0,3}}"
_STYLE = re.compile(rf"(?:\d+(?:st|nd|rd|th)[ \t]+)?({_TITLE}(?:[ \t]+of)?[ \t]+{_CAPITALISED})")
_STYLE_NEXT = re.compile(r",[ \t]+|[ \t]+and[ \t]+")
#: an appositive between the answer and the lead word ("X, 14th Duke of Hamilton, otherwise known as Y")
_APPOSITIVE = r"(?:,[ \t]+(?:the[ \t]+)?(?:\d+(?:st|nd|rd|th)[ \t]+)?" + _NAME + r")?"
# each blank run read once, atomically (``(?>\s*)``): as ``\s*(...)?(...)?\s*,?[ \t]+`` three runs met
# where the optional parts are absent and split a long run every way (cubic: 143 s on 2,000 blanks); a
# run before the lead word without a comma must end in a blank or a tab, which the look-behind checks
_AFTER = re.compile(
    rf"(?>\s*)(?:\([^()\n]{{0,200}}\))?{_APPOSITIVE}(?>\s*)(?:,[ \t]+|(?<=[ \t]))"
    rf"(?:{_LEAD})[ \t]+(?:the[ \t]+)?({_NAME})"
)
#: an epithet in apposition right after the answer: "voicing Sarah Kerrigan, the Queen of Blades, in ...",
#: the sentence going on with a preposition, a relative pronoun or a verb; never an item of a list ("France,
#: the UK, etc.", "Paris, the Louvre, then Rome": see also :func:`find_aliases`, no answer after a list comma)
_EPITHET = re.compile(
    rf",[ \t]+[Tt]he[ \t]+[\"\u201c]?({_CAPITALISED})[\"\u201d]?,[ \t]+"
    r"(?:in|on|at|of|for|from|with|to|by|into|who|whom|whose|which|that|where|when|is|was|are|were|has|had"
    r"|have|will|would|can|could|said|says|appears|appeared|returns|returned)\b"
)
#: an epithet alone in a parenthesis or between dashes right after the answer, the whole of it a name
_EPITHET_ASIDE = re.compile(
    rf"[ \t]*(?:\(|[\u2013\u2014][ \t]*)[Tt]he[ \t]+({_CAPITALISED})(?:\)|[ \t]*[\u2013\u2014])"
)
_COMMA_OR = re.compile(rf",[ \t]+or[ \t]+(?:the[ \t]+)?({_NAME}),")
_PAREN = re.compile(r"[ \t]*\(([^()\n]{1,300})\)")
_BEFORE = re.compile(
    rf"({_NAME})(?:[ \t]*\([ \t]*|,?[ \t]+)(?:(?:also|otherwise|better)\s+known\s+as|a\.?k\.?a\.?|"
    rf"formerly(?:\s+known\s+as)?|or)[ \t]+(?:the[ \t]+)?$"
)
_LEAD_WORD = re.compile(r"as|a\.?k\.?a\.?|formerly|or")
#: the farthest back a name "also known as" the answer may start (six words, the connector and "the")
_BEFORE_REACH = 400
_LABEL = re.compile(r"^\s*([A-Z][\w .-]{0,30}?)\s*:\s*")
_LEAD_START = re.compile(rf"^(?:{_PAREN_LEAD})[ \t]+(?:the[ \t]+)?", re.I)
_CONNECT_WORD = re.compile(rf"{_CONNECT}", re.I)


def _non_latin(text: str) -> bool:
    """Whether ``text`` has a letter outside the Latin script (Khmer, Greek, Cyrillic, CJK, ...)."""
    return any(c.isalpha() and not unicodedata.name(c, "LATIN").startswith("LATIN") for c in text)


def _is_name(text: str) -> bool:
    """A name: no digit, 1 to 6 words, every word capitalised or a connector, or written in a non-Latin
    script."""
    words = text.split()
    if not 1 <= len(words) <= 6 or any(c.isdigit() for c in text):
        return False
    if _non_latin(text):
        return True
    return words[0][:1].isupper() and all(w[:1].isupper() or _CONNECT_WORD.fullmatch(w) for w in words)


#: a word of a date, no name ("born October 21, 1990", "born on Monday")
_DATE_WORD = re.compile(
    rf"(?i:{MONTH})|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Spring|Summer|Autumn|Fall"
    r"|Winter)\.?"
)
#: lead words after which one word is a name ("abbreviated as Lough", "also known as Lough for short"); not
#: "born British", "lit. English translation", "formerly Head of MI6"
_SHORT_FORM = re.compile(
    r"(?i)abbreviat|abbr\.|\bshort(?:ened)?\s+(?:to|for)\b|nicknamed|known\s+as|called|styled|a\.?k\.?a\.?"
)
#: abbreviations that end in a point inside a name ("Dr. Dre", "St. Louis")
_POINTED = frozenset({"Dr", "Mr", "Mrs", "Ms", "St", "Jr", "Sr", "Mt", "Ft", "Co", "Inc", "Ltd"})


def _name_head(text: str, short: bool = False) -> str:
    """The name ``text`` starts with ("Lough" of "Lough for post-nominals", "John Smith" of "John Smith in
    1950"), up to a sentence's end ("Lough. It was founded" gives "Lough"), or ``""``. One word is a name only
    after a lead word of a ``short`` form ("abbreviated as Lough"): "born British in 1950" gives none."""
    words: list[str] = []
    for w in text.split():
        core = w.rstrip(".,;:!?")
        named = core[:1].isupper() or (words and _CONNECT_WORD.fullmatch(core))
        if not named or any(c.isdigit() for c in w):
            break
        if w.endswith(".") and w[:-1] == core and (len(core) == 1 or core in _POINTED):
            words.append(w)  # an initial or a title's point: "J. R. R. Tolkien", "Dr. Dre"
            continue
        words.append(core)
        if core != w:
            break  # a sentence's or a clause's end: "Lough. It", "Lough, which"
    head = _trim_name(" ".join(words))
    if not head or not _is_name(head) or _DATE_WORD.fullmatch(head.split()[0]):
        return ""
    return head if len(head.split()) > 1 or (short and len(head) > 1 and head not in _POINTED) else ""


def _trim_name(name: str) -> str:
    """A matched name less trailing connectors and points ("Kampuchea ]" is cut before, "Paris of" at)."""
    words = name.strip().strip(".,;:\"'\u201c\u201d[]").split()
    while words and _CONNECT_WORD.fullmatch(words[-1]):
        words.pop()
    return " ".join(words)


#: what is left of a pronunciation or a native spelling once a corpus strips its symbols: "]", "[ˈsteːdələk]",
#: "/ˈfoʊ/", "listen", "pronounced ..."; no name follows from it, but a name after it is an alternative name
_JUNK = re.compile(
    r"^[\s\]\[/|.\u02c8\u02cc\u02d0]*(?:\[[^\]]*\]?|/[^/]*/?|\(?listen\)?|pronounced\b.*|"
    r"pronunciation\b.*)?[\s\]\[/|.]*$",
    re.I,
)


def _initials(name: str) -> set[str]:
    """The acronyms of ``name``: the initials of its words, with and without its connectors."""
    words = re.findall(r"[^\W\d_]+", name)
    return {
        "".join(w[0] for w in words).upper(),
        "".join(w[0] for w in words if not _CONNECT_WORD.fullmatch(w)).upper(),
    }


def _paren_names(content: str, answer: str = "") -> list[str]:
    """Names in a parenthesis right after the answer: a segment (cut at ``;`` and ``,``, its names also at
    a bare "or") that a lead word introduces ("or Kampuchea", "born Frances Gumm"), that follows a
    language label ("Khmer: ...", which holds for the segments after it until the next label), that
    follows a ``;`` (the separator between a pronunciation or native name and the other names), or that
    follows pronunciation junk ("(] ; Municipal Museum Amsterdam)", "(/ˈfoʊ/, Foo City)"); and the
    answer's acronym, alone or anywhere in it ("Universal Music Group (UMG)")."""
    out = []
    labelled = False
    after_junk = False
    for i, part in enumerate(content.split(";")):
        for j, segment in enumerate(part.split(",")):
            label = _LABEL.match(segment)
            if label:
                labelled = not any(c.isdigit() for c in label.group(1))
                segment = segment[label.end() :]
            if _JUNK.match(segment):
                after_junk = True
                continue
            lead = _LEAD_START.match(segment.strip())
            body = segment.strip()[lead.end() :] if lead else segment
            acronym = segment.strip().replace(".", "")
            if (
                2 <= len(acronym) <= 8
                and acronym.isalpha()
                and acronym.isupper()
                and acronym in _initials(answer)
            ):
                out.append(segment.strip())
                continue
            if lead or labelled or after_junk or (i > 0 and j == 0):
                names = [_trim_name(body), *(_trim_name(n) for n in re.split(r"[ \t]+or[ \t]+", body))]
                if lead:  # a name and what follows it: the name ("abbreviated as Lough for post-nominals")
                    short = bool(_SHORT_FORM.match(lead.group()))
                    names = [n if _is_name(n) and "." not in n else _name_head(n, short) for n in names]
                out += [n for n in dict.fromkeys(names) if n and _is_name(n)]
            after_junk = False
    return out


def _styles(text: str, pos: int, end: int) -> list[str]:
    """The titles in an appositive right after the answer, which name the same person: "X, 14th Duke of
    Hamilton and 11th Duke of Brandon" gives "Duke of Hamilton" and "Duke of Brandon"; but "14th Duke of
    Hamilton", ordinal and all, when the text also names another holder of the title ("13th Duke of
    Hamilton"), who is not the answer and stays visible."""
    out: list[str] = []
    sep = re.compile(r",[ \t]+").match(text, pos, end)
    while sep:
        style = _STYLE.match(text, sep.end(), end)
        if not style:
            break
        title = _trim_name(style.group(1))
        ordinal = style.group()[: style.start(1) - style.start()].strip()
        holders = {
            m.group(1).lower()
            for m in re.finditer(rf"(\d+(?:st|nd|rd|th))[ \t]+{re.escape(title)}(?![\w-])", text)
        }
        out.append(f"{ordinal} {title}" if ordinal and holders - {ordinal.lower()} else title)
        sep = _STYLE_NEXT.match(text, style.end(), end)
    return out


def find_aliases(
    text: str, answers: Sequence[str], question: str = "", finder: MentionFinder | None = None
) -> list[str]:
    """The other names ``text`` equates with the answer (see the module docstring), in order of first
    appearance, without the answers themselves, names holding an answer ("Kingdom of Cambodia": hiding
    the answer there hides the name) and names the question uses."""
    finder = finder or MentionFinder(text)
    forms = list(dict.fromkeys(f for a in answers for f in answer_forms(a)))  # "sinoatrial node" too
    keys = {normalize_answer(a) for a in forms}
    found: list[str] = []
    styles: list[str] = []  # titles, an ordinal allowed ("14th Duke of Hamilton")
    for s, e in finder.find(forms):
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        listed = text[:s].rstrip().endswith(",")  # "Germany, France, the Netherlands": an item, no epithet
        for m in (
            _AFTER.match(text, e, line_end),
            _COMMA_OR.match(text, e, line_end),
            None if listed else _EPITHET.match(text, e, line_end),
        ):
            if not m:
                continue
            name = _trim_name(m.group(1))
            if m.re is _AFTER and not (_is_name(name) and "." not in name):  # "also known as Lough for short"
                name = _name_head(name, bool(_SHORT_FORM.search(m.group()))) or name
            found.append(name)
        styles += _styles(text, e, line_end)
        paren = _PAREN.match(text, e, line_end)
        if paren:
            found += _paren_names(paren.group(1), text[s:e])
        aside = None if listed else _EPITHET_ASIDE.match(text, e, line_end)
        if aside:  # "Sarah Kerrigan (the Queen of Blades)", "Sarah Kerrigan – the Queen of Blades –"
            found.append(aside.group(1))
        # (only after a lead word's last letter, and from at most _BEFORE_REACH characters back: a search from
        # the line's start read a long line once per mention, quadratic in a trace that names the answer
        # hundreds of times on one line)
        if _lead_ends_at(text, s):
            line_start = max(text.rfind("\n", 0, s) + 1, s - _BEFORE_REACH)
            before = _BEFORE.search(text, line_start, s)
            if before:
                found.append(_trim_name(before.group(1)))
    q = normalize_answer(question)
    out = []
    heads = _heads(answers)
    for name in dict.fromkeys(_common(n, heads) for n in found + styles):
        named = _is_name(name) or (name in styles and _is_name(name.split(" ", 1)[-1]))
        named = named or any(name.endswith(" " + head) for head in heads)
        key = normalize_answer(name)
        if not key or key in keys or not named or (q and f" {key} " in f" {q} "):
            continue
        if _DATE_WORD.fullmatch(name):
            continue
        if MentionFinder(name).find(forms):
            continue
        out.append(name)
    return out


def _lead_ends_at(text: str, end: int) -> bool:
    """Could :data:`_BEFORE` end at ``end``: blanks before it, "the" and blanks maybe, and before them a lead
    word ("as", "aka", "a.k.a.", "formerly", "or")? A cheap test before the search."""
    j = end
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == end:
        return False
    if text[j - 3 : j] == "the" and j > 3 and text[j - 4] in " \t":
        j -= 3
        while j > 0 and text[j - 1] in " \t":
            j -= 1
    k = j
    while k > 0 and j - k < 8 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    return bool(_LEAD_WORD.fullmatch(text, k, j))


def _heads(answers: Iterable[str]) -> set[str]:
    """The head nouns of common-noun answers: the last word of an answer written in lower case
    ("node" of "sinoatrial (SA) node")."""
    out = set()
    for answer in answers:
        words = answer.split()
        if words and words[-1].isalpha() and words[-1].islower():
            out.add(words[-1])
    return out


def _common(name: str, heads: set[str]) -> str:
    """A lower-case other name of a common-noun answer, up to the answer's head noun: "also known as sinus
    node is a group" names "sinus node" where the answer is "sinoatrial (SA) node" (``heads``: the answers'
    head nouns, :func:`_heads`). The name as found where it is no such name (a name in capitals, or no head
    noun after a first word)."""
    words = name.split()
    if _is_name(name) or len(words) < 2:
        return name
    for i, word in enumerate(words[1:], start=1):
        if word in heads:
            return " ".join(words[: i + 1])
    return name


_EXTENSION = re.compile(r"[ \t]+((?:[A-Z][\w'\u2019-]*)(?:[ \t]+[A-Z][\w'\u2019-]*)?)")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NOT_NAME = _wordset(
    "The A An In On At Of And Or But For To By From With As Is Was Were Are Be Has Had Have He She It They "
    "His Her Its Their This That These Those Who Which When Where What While After Before Since"
)
#: head words that make a fuller name another thing ("New York Prosecutors Institute" is not New York)
_OTHER_THING = _wordset(
    "Institute University College School Academy Airport Stadium Arena Park Street Avenue Road Bridge County "
    "City State Province District Times Post Journal Magazine River Lake Mountain Island Hall Center Centre "
    "Museum Library Church Cathedral Award Awards Prize Trophy Cup League Championship Club Team Records "
    "Festival Hotel Hospital Station Square Tower Building Airlines Airways Railway Railroad Bank Party Army "
    "Navy Police Department Ministry Council Society Association Foundation Fund Theatre Theater Opera "
    "Orchestra Choir Band Series Show Film Novel Album Song Line Highway Route Bay Harbor Harbour Port"
)


def find_extensions(text: str, answers: Iterable[str]) -> list[str]:
    """For a person-like answer (two to four capitalised words), the fuller names ``text`` writes it in:
    the answer followed on its line by one or two more capitalised words ("Frederick Alexander
    Lindemann" for "Frederick Alexander"), and that name's short form (first word and the added ones,
    "Frederick Lindemann")."""
    out: list[str] = []
    for answer in answers:
        words = answer.split()
        if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            continue
        pattern = re.compile(r"(?<![\w-])" + r"[ \t]+".join(map(re.escape, words)) + r"(?![\w-])")
        for m in pattern.finditer(text):
            ext = _EXTENSION.match(text, m.end())
            if not ext:
                continue
            tail = ext.group(1).split()
            while tail and tail[-1] in _NOT_NAME:
                tail.pop()
            if not tail or tail[0] in _NOT_NAME or any(w.strip(".") in _OTHER_THING for w in tail):
                continue
            out.append(f"{' '.join(words)} {' '.join(tail)}")
            short = f"{words[0]} {' '.join(tail)}"
            if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text):
                out.append(short)
    return list(dict.fromkeys(out))


#: an acronym in brackets right after a name: "University of Nevada, Las Vegas (UNLV)"
_BRACKETED_ACRONYM = re.compile(r"\([ \t]*([A-Z](?:\.?[A-Z]){1,7}\.?)[ \t]*\)")
_ACRONYM_WORD = re.compile(r"[^\W\d_]+|&")
#: what may stand between two words of a name an acronym is made of (blanks, commas, hyphens and dashes)
_ACRONYM_GAP = re.compile(r"[ \t,'\u2019\u2010-\u2015-]*")


def acronym_pairs(text: str) -> list[tuple[str, str]]:
    """The (name, acronym) pairs ``text`` defines by writing the acronym in brackets right after the name
    ("Savannah College of Art and Design (SCAD)"): the name is the shortest run of words before the bracket,
    on its line, starting with a capital, whose initials spell the acronym (with or without its
    connectors). Both are names of one thing: what hides one must hide the other."""
    out: list[tuple[str, str]] = []
    for m in _BRACKETED_ACRONYM.finditer(text):
        acronym = m.group(1).replace(".", "")
        line_start = text.rfind("\n", 0, m.start()) + 1
        words = list(_ACRONYM_WORD.finditer(text, line_start, m.start()))
        if not words or text[words[-1].end() : m.start()].strip():
            continue
        for n in range(1, min(len(words), 10) + 1):
            run = words[-n:]
            if n > 1 and not _ACRONYM_GAP.fullmatch(text, run[0].end(), run[1].start()):
                break
            if run[0].group()[:1].isupper() and acronym in _initials(" ".join(w.group() for w in run)):
                out.append((text[run[0].start() : run[-1].end()], m.group(1)))
                break
    return list(dict.fromkeys(out))


def other_names(text: str, answers: Sequence[str], question: str = "") -> list[str]:
    """:func:`find_aliases` and :func:`find_extensions` together: every other name of the answer the
    trace gives."""
    if normalize_answer(answers[0]) in ("yes", "no"):
        return []
    return list(dict.fromkeys([*find_aliases(text, answers, question), *find_extensions(text, answers)]))
