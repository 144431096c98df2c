"""Acceptance for search masking on every trace in ../shared/data/search.

    python benchmarks/search_acceptance.py [--data ../shared/data/search]

Converts the raw files (benchmarks/search_data.py), masks each at the three levels through the
pipeline, and checks the output:
  * leaks: the search verifier's attacks on each written masked trace (final answer, mentions in any
    form, elimination of a comparison's options, a yes / no conclusion, glued titles, other units) must
    find nothing;
  * question entities kept (at critical): the named entities spaCy finds in the QUESTION (person, place,
    organisation, work, event, ... labels), minus the answer and its aliases and, for a comparison
    question ("Which is older, A or B?"), minus its options (answer candidates, hidden alike so that
    hiding the answer does not single it out), and for a yes / no question minus the value it asks about
    (``yes_no_property``: "American" of "both American?", "Massachusetts" of "based in Massachusetts?",
    hidden for every subject alike); each of their mentions in the trace
    (case/article/punctuation-insensitive) counts as visible when no span touches it; mentions inside a
    mention of the answer ("Amsterdam" in "Stedelijk Museum Amsterdam") or inside a hidden yes / no
    conclusion are not counted, since hiding the answer must hide them;
  * bridge mentions hidden (at critical), counted from the trace's structure, not from NER: HotpotQA's
    supporting-fact titles, less a "(disambiguation)" (also unescaped: "Of Mice &amp; Men" is written
    "Of Mice & Men"); for ReAct
    and Search-R1, the targets of search queries (of up to 6 words) that the trace mentioned before
    searching them; for IRCoT, the titles (less a disambiguation) that the chain of thought names; each minus
    those the question names (every word of it, a title's "(disambiguation)" left out, in the question;
    a case "A v B" when the question names a party) and the answer. Every mention of them in the trace
    counts; hidden when a span covers it or every letter and digit of it is in a span (a quote between
    pieces stays visible), letters of a mention of the question's entities aside ("[ENTITY], Oklahoma"
    for the bridge "Ada, Oklahoma" when the question names Oklahoma is hidden).
  * attacks, per level, straight on the masker (find_spans, render, the verifier's attacks), then
    through the repair loop (each finding mapped back and handed to the masker's ``repair``): rows, rows
    with findings before repair (by attack), rows with findings after repair (must be 0), and the mean
    masked fraction. ``--show N`` prints N masked rows per file at critical, to read as a hostile reader.
  * independent checks (this file's own rules, no masker or verifier code), per level, on the rows the
    pipeline wrote (masked text and spans after the audit's repairs), and on the reference-style
    masking (every number as [NUMBER], as the released data does):
    ``variant`` (the gold in another case, plural or possessive still visible: "loopers" for Looper),
    ``alias`` (a name the original trace equates with the gold, "Cambodia (..., or Kampuchea)",
    "X, also known as Y", a common noun's other name up to its head noun ("sinoatrial (SA) node" written
    "sinoatrial node (SA node), also known as sinus node"), a name after a ``;`` or after pronunciation
    junk in the parenthesis after it, "Stedelijk Museum Amsterdam (] ; Municipal Museum Amsterdam)",
    still visible),
    ``agreement`` (for the count one, a hidden "one" whose noun stays visible: "won [ENTITY] award"),
    ``gold_number`` (a number of the gold, "685" of "after 685", or one a range in the trace joins to it,
    "from c. 676 to 685 or 686", still visible; not for yes / no and comparison questions),
    ``given_name`` (a person gold's first name written in full, a known long form or one whose short form
    is quoted before the surname, still visible: "Timothy" of "Timothy Michael Kaine" for Tim Kaine,
    "Matthew" of 'Matthew Abraham "Matt" Groening' for Matt Groening),
    ``fuller_name`` (the gold is a person's first names and the trace writes more of the name,
    "Frederick Alexander Lindemann": the added words still visible in the full or short name or right
    after a placeholder), ``paren_form`` (a gold with a parenthesis inside, "sinoatrial (SA) node",
    still visible without it), ``lone_word`` (a capitalised word of a gold of several words, no name head
    like "River" and not in the question, still visible alone: "The Sooners play" for Oklahoma Sooners),
    ``place_chain`` (the question asks for a place and a hidden gold comes after places inside it,
    "Kandahar, Afghanistan", or before an apposition naming one, ", a suburb of Minneapolis", one of them,
    not named by the question, still visible),
    ``initials`` (a name gold's initials in capitals, "N.Y." or "NY" for
    New York), ``built_from`` (the name a place-name gold is made of, "Mark" of "Marktown"),
    ``derived`` (the stem of a lower-case agent-noun gold, "novels" for novelist, "singing" for
    singer), ``damage`` (a span holding a double quote, unless the quote is alone on its line or the span
    is a quoted title whole with the bracket after it, '"Now and Then" (1995)', or one
    bracket of a pair, or running over a sentence end or line break, or a list of lower-case items with
    its commas and "and", "director, screenwriter, and actor", hidden as one), ``split_answer`` (the last
    answer slot is the gold alone and is masked as several placeholders cut at a lone quote or at words:
    ``[ENTITY]" [ENTITY]`` for the gold 'Jonny" Craig' copies the shape of a document's
    'Jonathan Monroe "[ENTITY]" [ENTITY]'), ``short_long`` (a name and its acronym that the original trace
    pairs, "University of Nevada, Las Vegas (UNLV)": one form hidden somewhere and the other still visible,
    which names what was hidden; the answer's pair and a bridge's alike), ``verdict`` (a comparison's
    reasoning still rules an option out, which names the other: "not Finnish rock groups", "must instead
    be"), ``countable`` (in a comparison by count, "more bands", a list of the counted things or a group's
    size in a word, "trio", still visible), ``place`` (in a comparison by place, "further north", "founded
    in Missouri", a US state or a country still visible), ``order`` (in a comparison of when things
    happened, a word of order, "a previous film", in a sentence with an option or a placeholder),
    ``abbreviation`` (a word with an inner capital made of the starts of three or more words of the gold in
    a row, "GesmbH", "mbH" for "Gesellschaft mit beschränkter Haftung", still visible),
    ``option_tag`` (a comparison whose question calls one option by a kind, "Shape magazine", "the band
    Hole", and not the other: the kind still visible right before or after a hidden option (a span over a
    mention of one) or in a title's disambiguation after it, "[ENTITY] magazine", "[ENTITY] (magazine)"),
    ``script`` (the gold labels a text in another script, "Russian: Леонид Хачиян": the text still
    visible; an epithet in apposition, "Sarah Kerrigan, the Queen of Blades, in ...", is an ``alias``),
    ``attribute`` (a yes / no
    question comparing its subjects by a kind, "the same type of work", "both film directors?", by a
    nationality or by a place: a word of the predicate of "E is a/an/the ..." about a subject, "Leonid
    Levin is a mathematician", "an American screenwriter", or a place after "based in", still visible;
    not at ``answer``, these are facts of the question's type), ``kind_word`` (a kind question, "a genus
    of orchids?": the last word of a subject's predicate in the original trace that not every subject's
    predicate holds, "ferns", still visible, also as the start of a capitalised word, "Orchidaceae"; not at
    ``answer``), ``slot`` (a yes / no question: a lower-case word after a bracket or an article that stands
    before a placeholder in one place and before a capitalised name in another, "(family [ENTITY])" beside
    "the family Lygodiaceae": one subject's value hidden and the other's visible; not at ``answer``),
    ``paraphrase`` (a descriptive gold,
    "fortnightly women interest magazine": a stretch of a clause holding most of its content words,
    "fortnightly lifestyle and women's magazine", still visible). Rows with a finding must be 0 for
    the masker.
It also prints masking throughput (traces/s, words/s; spaCy, spans, render and audit; one process).
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from smepo_data import Example, mask_example
from smepo_data._domains import find_preset, get_domain
from smepo_data._render import merge_spans, render, to_original
from smepo_data.io.readers import read_rows
from smepo_data.pipeline import PipelineConfig, run
from smepo_data.search._reader import comparison
from smepo_data.search._trace import parse_trace
from smepo_data.search.answers import find_mentions, normalize_answer, parse_answers

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}


def named_by(question: str, text: str) -> bool:
    """Every word of ``text`` (a title's "(disambiguation)" left out) is in the question, allowing plural
    and possessive forms, punctuation and accents read either way; or ``text`` is a case ("A v B") and
    the question names one of its parties."""
    text = unaccented(re.sub(r"\s*\([^()]*\)\s*$", "", text) or text)
    parties = re.split(r"\s+vs?\.?\s+", text)
    if len(parties) == 2 and any(named_by(question, p) for p in parties):
        return True  # a case, "Rock Nominees Ltd v ISS UK Ltd", whose party the question names
    question = unaccented(question)
    words = set(normalize_answer(question).split()) | set(spaced(question).split())
    return any(
        all(w in words or w + "s" in words or w.rstrip("s") in words for w in form.split())
        for form in (normalize_answer(text), spaced(text))
        if form
    )


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def spaced(text: str) -> str:
    return normalize_answer(re.sub(r"[^\w\s]", " ", text))


def undisambiguated(title: str) -> str:
    """A title less its "(disambiguation)": "Turtle" of "Turtle (Entourage)"."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", title) or title


def bridges(name: str, ex: Example) -> list[str]:
    """The bridge entities of a trace, from its structure (see the module docstring)."""
    _, steps = parse_trace(ex.trace)
    if name == "hotpotqa":  # titles come escaped as HTML ("Of Mice &amp; Men"); the text writes "&"
        titles = list(ex.meta.get("bridge_titles") or [])
        found = [undisambiguated(t) for t in titles + [html.unescape(t) for t in titles]]
    elif name == "ircot":
        chain = ex.trace.rsplit("\nA:", 1)[-1]
        titles = [
            line[len("Wikipedia Title: ") :].strip()
            for line in ex.trace.splitlines()
            if line.startswith("Wikipedia Title: ")
        ]
        found = [undisambiguated(t) for t in titles if find_mentions(chain, [undisambiguated(t)])]
    else:  # query targets the trace mentioned before it searched them
        found = [
            ex.trace[s.start : s.end]
            for s in steps
            if s.kind == "query"
            and len(ex.trace[s.start : s.end].split()) <= 6
            and find_mentions(ex.trace[: s.start], [ex.trace[s.start : s.end]])
        ]
    answers = {normalize_answer(a) for a in parse_answers(ex.answer)}
    return [
        b for b in dict.fromkeys(found) if not named_by(ex.question, b) and normalize_answer(b) not in answers
    ]


def covered(
    spans: list[dict], start: int, end: int, trace: str = "", free: list[tuple[int, int]] | None = None
) -> bool:
    """One span holds ``[start, end)``, or (given ``trace``) every letter and digit of it is in some span:
    a mention cut at a quote the text keeps (``"Jerry" Orbach`` as ``"[ENTITY]" [ENTITY]``) is hidden;
    letters inside ``free`` (mentions of the question's entities: "Oklahoma" of "Ada, Oklahoma" when the
    question names Oklahoma) need not be, what the question names telling nothing new. A mention wholly
    inside ``free`` still needs its span."""
    if any(s["start"] <= start and end <= s["end"] for s in spans):
        return True
    free = [(a, b) for a, b in free or [] if not (a <= start and end <= b)]
    return bool(trace) and all(
        any(s["start"] <= i < s["end"] for s in spans)
        for i in range(start, end)
        if trace[i].isalnum() and not any(a <= i < b for a, b in free)
    )


def touched(spans: list[dict], start: int, end: int) -> bool:
    return any(s["start"] < end and start < s["end"] for s in spans)


def repaired(domain, ex: Example, spans: list, rounds: int = 6) -> tuple[list, list]:
    """The repair loop, directly on the masker and verifier: render, attack, map each located finding
    back to the original trace, ask the masker to hide it; the spans and what is still found."""
    for _ in range(rounds):
        found = domain.verifier.attacks(ex, render(ex.trace, spans))
        if not found:
            return spans, []
        extra = []
        for f in found:
            if f.located:
                start, end = to_original(ex.trace, spans, "typed", f.start, f.end)
                extra += domain.masker.repair(ex, spans, start, end, f)
        merged = merge_spans([*spans, *extra])
        if merged == spans:
            break
        spans = merged
    return spans, domain.verifier.attacks(ex, render(ex.trace, spans))


_QUOTE_CHARS = '"\u201c\u201d'
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
_SAYS_ALIAS = re.compile(
    r"(?:\bor|also known as|also called|better known as|aka|a\.k\.a\.|formerly(?: known as)?|born"
    r"|n[e\u00e9]e|abbreviated(?: as)?|abbr\.|nicknamed|shortened to)"
    r"\s+(?:the\s+)?([^\s,;()\[\]]+(?:\s+[^\s,;()\[\]]+){0,3})",
    re.I,
)


def _gold_pattern(gold: str, suffix: str = "") -> re.Pattern[str]:
    words = [re.escape(w) for w in re.findall(r"\w+", gold)]
    return re.compile(r"(?<!\w)" + r"\W{1,3}".join(words) + suffix + r"(?!\w)", re.I)


def _name_like(text: str) -> bool:
    words = text.split()
    latin = all(c.isascii() or not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)
    return bool(words) and not any(c.isdigit() for c in text) and (not latin or words[0][:1].isupper())


def _visible(masked: str, name: str, question: str) -> list[str]:
    """Whole-word, case-blind mentions of ``name`` in ``masked`` outside copies of the question."""
    text = masked.replace(question, " " * len(question)) if question.strip() else masked
    return [m.group() for m in _gold_pattern(name).finditer(text)] if re.search(r"\w", name) else []


def paren_aliases(content: str) -> list[str]:
    """Other names in a parenthesis right after the gold: a labelled segment ("Khmer: ..."), one a word
    like "or" / "also known as" introduces, and any capitalised segment after a ``;`` or after what a
    pronunciation leaves once its symbols are gone ("] ; Municipal Museum Amsterdam")."""
    out = []
    junk_before = False
    for i, part in enumerate(content.split(";")):
        for j, seg in enumerate(part.split(",")):
            label = re.match(r"\s*[A-Z][\w ]{0,30}:\s*(.+)", seg)
            said = _SAYS_ALIAS.search(seg)
            bare = seg.strip(" \t\"'[]/|.")
            junk = not re.search(r"[A-Za-z]{2}", re.sub(r"\[[^\]]*\]?|/[^/]*/?", "", seg))
            cands = ([label.group(1)] if label else []) + ([said.group(1)] if said else [])
            if not cands and not junk and (junk_before or (i > 0 and j == 0)):
                cands.append(bare)
            out += [c.strip(" \"'[].") for c in cands]
            junk_before = junk
    return out


def gold_numbers_visible(ex: Example, masked: str) -> int:
    """Number tokens of the gold (digits; "685" of "after 685", "1,800" read as 1800), and the numbers a
    range or an alternative in the original trace joins to them ("676 to 685 or 686"), still visible in
    ``masked`` outside copies of the question; numbers the question writes do not count."""

    def values(text: str) -> list[tuple[int, int, int]]:
        return [
            (m.start(), m.end(), int(m.group(1).replace(",", "")))
            for m in re.finditer(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![.,]?\d)", text)
        ]

    golds = parse_answers(ex.answer)
    if normalize_answer(golds[0]) in ("yes", "no") or comparison(ex.question, golds) is not None:
        return 0
    asked = {v for _, _, v in values(ex.question)}
    wanted = {v for g in golds for _, _, v in values(g)} - asked
    if not wanted:
        return 0
    found = values(ex.trace)
    for (_, e1, v1), (s2, _, v2) in zip(found, found[1:], strict=False):
        joined = re.fullmatch(r"\s*(?:-|\u2013|\u2014|/|to|or)\s*(?:c\.\s*)?", ex.trace[e1:s2], re.I)
        if joined and (v1 in wanted or v2 in wanted):
            wanted |= {v1, v2} - asked
    q = ex.question.strip()
    plain = masked.replace(q, " " * len(q)) if q else masked
    return sum(v in wanted for _, _, v in values(plain))


def paren_forms_visible(gold: str, plain: str) -> int:
    """A gold with a parenthesis inside ("sinoatrial (SA) node"): the gold without it still visible."""
    m = re.fullmatch(r"(.+?)\s*\([^()]*\)\s*(.*)", gold)
    return len(_gold_pattern(f"{m.group(1)} {m.group(2)}".strip()).findall(plain)) if m else 0


def initials_visible(gold: str, plain: str) -> int:
    """A name gold of 2 to 5 capitalised words (small words like "of" between, no comma): its initials,
    in capitals, with or without points ("N.Y.", "NY" for New York), still visible."""
    words = gold.split()
    caps = [w for w in words if w[:1].isupper()]
    if "," in gold or not 2 <= len(caps) <= 5 or any(len(w) > 3 and not w[:1].isupper() for w in words):
        return 0
    letters = [w[0] for w in caps]
    dotted = r"\.\s?".join(letters) + r"\."
    return len(re.findall(rf"(?<![\w.])(?:{dotted}|{''.join(letters)}\b(?!\.\w))", plain))


PLACE_ENDINGS = ("town", "ville", "burg", "burgh", "borough", "field", "ford", "land", "port", "wood", "dale")


def bases_visible(gold: str, plain: str, trace: str) -> int:
    """A gold word made of a name and a place ending ("Marktown"): the name (four letters or more), when
    the original trace writes it as a person's name ("Clayton Mark", "Mark's"), still visible as a word
    of its own, capitalised."""
    n = 0
    for word in re.findall(r"\b[A-Z][a-z]+\b", gold):
        for ending in PLACE_ENDINGS:
            base = word[: -len(ending)]
            named = re.search(
                rf"\b(?!(?:The|A|An|In|On|At|Of|By|For|To)\b)[A-Z][a-z]+\s+{base}\b|\b{base}'s\b", trace
            )
            if word.lower().endswith(ending) and len(base) >= 4 and named:
                n += len(re.findall(rf"(?<![\w-]){base}(?![\w-])", plain))
    return n


def stems_visible(gold: str, plain: str) -> int:
    """A lower-case agent-noun gold ("novelist", "singer"): a word of its stem ("novels", "singing")
    still visible."""
    n = 0
    for word in re.findall(r"\b[a-z]{6,}\b", gold):
        for suffix in ("ist", "er", "or"):
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 4:
                ends = r"(?:s|ism|izations?)?" if suffix == "ist" else r"(?:s|e|es|ed|ing|ings)?"
                n += len(re.findall(rf"(?<![\w-]){stem}{ends}(?![\w-])", plain, re.I))
                break
    return n


_ACRONYM = re.compile(r"\(\s*([A-Z](?:\.?[A-Z]){1,7}\.?)\s*\)")
_SMALL = {"of", "the", "and", "for", "in", "on", "at", "de", "du", "la", "le", "von", "van", "a", "an", "&"}


def short_long_pairs(trace: str) -> list[tuple[str, str]]:
    """The (name, acronym) pairs the trace writes as "Name (ACR)": the shortest run of words right before
    the bracket, starting with a capital, whose capitalised words' initials (or all words') spell ACR."""
    out = []
    for m in _ACRONYM.finditer(trace):
        acronym = m.group(1).replace(".", "")
        line = trace[trace.rfind("\n", 0, m.start()) + 1 : m.start()]
        words = list(re.finditer(r"[^\W\d_]+|&", line))
        if not words or line[words[-1].end() :].strip():
            continue
        for n in range(1, min(len(words), 10) + 1):
            run = words[-n:]
            gaps = [line[a.end() : b.start()] for a, b in zip(run, run[1:], strict=False)]
            if any(not re.fullmatch(r"[\s,\-\u2010-\u2015']*", g) for g in gaps):
                break
            if not run[0].group()[:1].isupper():
                continue
            big = "".join(w.group()[0] for w in run if w.group().lower() not in _SMALL).upper()
            every = "".join(w.group()[0] for w in run).upper()
            if acronym in (big, every):
                out.append((line[run[0].start() : run[-1].end()], m.group(1)))
                break
    return list(dict.fromkeys(out))


def short_long_visible(ex: Example, masked_spans: list[tuple[int, int]]) -> int:
    """Pairs of :func:`short_long_pairs` (none the question names) with one form hidden at some mention
    (every letter in a span) and the other visible at another (no span touching it)."""
    spans = [{"start": a, "end": b} for a, b in masked_spans]
    n = 0
    for long, short in short_long_pairs(ex.trace):
        if named_by(ex.question, long) or named_by(ex.question, short):
            continue
        states = []
        for form in (long, short):
            pattern = _gold_pattern(form)
            if form == short:  # an acronym is written in capitals ("THE", Times Higher Education; no "the")
                pattern = re.compile(pattern.pattern)
            found = [m.span() for m in pattern.finditer(ex.trace)]
            states.append(
                (
                    any(covered(spans, a, b, ex.trace) for a, b in found),
                    any(not touched(spans, a, b) for a, b in found),
                )
            )
        (long_hidden, long_seen), (short_hidden, short_seen) = states
        n += (long_hidden and short_seen) or (short_hidden and long_seen)
    return n


#: a yes / no question about a kind of thing: "the same type of work", "what profession", "both film
#: directors?", "a genus of orchids?"
_ASKS_KIND = re.compile(
    r"\b(?:type|kind|line|field) of (?:work|job|profession|career)\b|\b(?:profession|occupation|job)s?\b"
    r"|\bsame (?:type|kind|field|job|line)\b|\bboth (?:[a-z]+ )?[a-z]+s\?|\b(?:an?|the) [a-z]+ of [a-z]+s?\?"
)
#: a yes / no question about nationality ("both American?", "from the same country?")
_ASKS_NATION = re.compile(r"\b(?:country|countries|nationality|nationalities|national|citizens?)\b")
_BOTH_NATION = re.compile(r"\bboth ([A-Z][a-z]+)\?")
_ASKS_PLACE = re.compile(r"\b(?:based|headquartered|located) in (?:the )?([A-Z][\w-]*(?: [A-Z][\w-]*)*)")
#: where the predicate of "E is a/an/the ..." ends: a clause mark, a relative word, a preposition other
#: than "of", a participle of the usual kinds, a comma not followed by another item of a list
_PREDICATE_END = re.compile(
    r"[.;:(\n]|\b(?:who|which|that|whose|where|when|with|in|from|on|at|by|for|to|as|based|known|born"
    r"|published|founded|formed|located|headquartered|native|best)\b"
    r"|,(?!\s+(?:and\s+|or\s+)?[a-z]+(?:\s+[a-z]+)?\s*(?:,|\band\b|\bor\b|[.;]|$))"
)
_LOW = {"of", "and", "or", "the", "about", "some", "more", "than", "also", "both", "very", "most", "many"}


def yes_no_property(question: str) -> list[str]:
    """The value a yes / no question names as its property, not a subject: the nationality of "both
    American?", the place of "based in Massachusetts?"."""
    return [m.group(1) for m in (_BOTH_NATION.search(question), _ASKS_PLACE.search(question)) if m]


def _subjects(question: str) -> set[str]:
    """A yes / no question's subjects' words: its capitalised words (not the first) that its property
    does not name."""
    asked = {w for v in yes_no_property(question) for w in v.split()}
    return {
        w
        for w in (re.sub(r"['\u2019]s$|\W+$", "", x) for x in question.split()[1:])
        if w[:1].isupper() and len(w) >= 3 and w not in asked
    }


def _subject_sentence(question: str) -> re.Pattern[str] | None:
    """ "E is a/an/the PREDICATE" for a subject E of a yes / no question (a capitalised word of it), an
    apposition between commas allowed ("Maxillaria, abbreviated as Max in the trade, is a ...")."""
    subjects = _subjects(question)
    if not subjects:
        return None
    name = "|".join(map(re.escape, sorted(subjects)))
    return re.compile(
        rf"(?<!\w)(?:{name})(?!\w)(?:[ \t]+[A-Z][\w'\u2019.-]*)*(?:[ \t]*\([^()\n]*\))?"
        r"(?:,[^,.;()\n]{1,80},)?,?[ \t]+"
        r"(?:is|are|was|were)[ \t]+(?:also[ \t]+)?(?:an?|the)[ \t]+([^.;\n]*)"
    )


def kind_words_visible(question: str, trace: str, plain: str) -> int:
    """A kind question ("a genus of orchids?"): the last lower-case word of each subject's predicate in
    the original trace ("genus of about 40 species of ferns", "genus of orchids") that not every predicate
    holds tells the kinds apart; each visible copy of it in ``plain`` counts, read singular, and for a word
    of five letters or more, a capitalised word it begins ("(climbing fern)", "family Orchidaceae")."""
    sentence = _subject_sentence(question) if _ASKS_KIND.search(question) else None
    if sentence is None:
        return 0
    predicates = []
    for m in sentence.finditer(trace):
        words = re.findall(r"\b[a-z][a-z'-]{2,}\b", _PREDICATE_END.split(m.group(1), maxsplit=1)[0])
        words = [_singular(w) for w in words if w not in _LOW]
        if words:
            predicates.append(words)
    if len(predicates) < 2:
        return 0
    shared = set.intersection(*(set(p) for p in predicates))
    kinds = {p[-1] for p in predicates if len(p[-1]) >= 4} - shared
    n = 0
    for w in re.findall(r"[A-Za-z]{4,}", _PLACEHOLDER.sub(" ", plain)):
        low = w.lower()
        n += _singular(low) in kinds or (
            w[0].isupper() and any(len(k) >= 5 and low.startswith(k) for k in kinds)
        )
    return n


def slots_visible(question: str, plain: str) -> int:
    """A yes / no question: the capitalised names (each word a capital, then lower case) that follow a
    lower-case word of four letters or more, itself after an opening bracket or an article or possessive,
    which elsewhere in ``plain`` is followed by a placeholder (a bracket between allowed, on one line): the
    same slot, one subject's hidden and another's visible. Words that name no slot ("with", "from", an
    "-ing" form, "born") and names the question writes aside."""
    opens = r"(?:\(|\b(?:the|a|an|its|his|her|their)[ \t]+)"
    word = r"[A-Z][a-z][\w'’-]*"
    name = rf"{word}(?:[ \t]+(?:of[ \t]+)?{word})*"
    pairs = re.findall(rf"(?i:{opens})([a-z]+)[ \t]+\(?(\[[A-Z][A-Z0-9_]*\]|{name})", plain)
    cues = {w for w, after in pairs if after.startswith("[") and len(w) >= 4 and not w.endswith("ing")}
    cues -= _NO_SLOT
    asked = question.lower()
    return sum(
        1 for w, after in pairs if w in cues and not after.startswith("[") and after.lower() not in asked
    )


#: lower-case words before a placeholder that name no slot
_NO_SLOT = set(
    re.findall(
        r"\w+",
        "also about after before between during from have into onto over than that their them then there "
        "these they this those under were what when where which while whom whose with been born first second "
        "third last next same other only main former latter original current early late",
    )
)


def attributes_visible(question: str, plain: str) -> int:
    """A yes / no question comparing its subjects by a kind, a nationality or a place: the compared
    attribute still visible in ``plain`` (the masked trace less copies of the question). For a kind
    question, a lower-case word of a predicate "E is a/an/the ..." whose subject E ends in a capitalised
    word of the question ("Leonid Levin is a mathematician"); for a nationality question, a capitalised
    word of such a predicate that the question's subjects do not hold ("an American screenwriter"); for
    a place question ("based in Massachusetts?"), a capitalised word right after "based / headquartered
    / located in". A placeholder ends nothing: the words after it still count."""
    kind, nation = (
        bool(_ASKS_KIND.search(question)),
        bool(_ASKS_NATION.search(question) or _BOTH_NATION.search(question)),
    )
    n = 0
    sentence = _subject_sentence(question)
    if sentence is not None and (kind or nation):
        subjects = _subjects(question)
        for m in sentence.finditer(plain):
            predicate = _PREDICATE_END.split(m.group(1), maxsplit=1)[0]
            predicate = _PLACEHOLDER.sub(" ", predicate)
            lower = [w for w in re.findall(r"\b[a-z][a-z'-]{2,}\b", predicate) if w not in _LOW]
            capital = [w for w in re.findall(r"\b[A-Z][a-z]+\b", predicate) if w not in subjects]
            n += bool((kind and lower) or (nation and capital))
    place = _ASKS_PLACE.search(question)
    if place:
        n += len(re.findall(r"\b(?:based|headquartered|located)\s+in\s+(?:the\s+)?[A-Z]", plain))
    return n


def _singular(word: str) -> str:
    """A word read singular and without a possessive ("women's" -> "woman", "magazines" -> "magazine")."""
    w = re.sub(r"['\u2019]s?$", "", word.lower())
    w = {"women": "woman", "men": "man", "children": "child", "people": "person"}.get(w, w)
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w


_PLAIN_WORDS = {"the", "and", "for", "with", "from", "that", "this", "which", "what", "who", "are", "was"}


#: what a question may call one option and a title's disambiguation may call its page ("Shape magazine",
#: "Shape (magazine)"); this file's own list
_OPTION_KINDS = re.compile(
    r"magazines?|newspapers?|journals?|websites?|blogs?|podcasts?|films?|movies?|series|sitcoms?|documentar(?:y|ies)"
    r"|bands?|albums?|songs?|novels?|musicals?|operas?|comics?|manga|anime|franchises?|(?:video )?games?"
    r"|compan(?:y|ies)|brands?|universit(?:y|ies)|colleges?|schools?|cit(?:y|ies)|towns?|villages?|rivers?"
    r"|lakes?|mountains?|islands?|teams?|clubs?|stations?|networks?|channels?|airlines?|restaurants?|museums?"
)


def _told_kinds(question: str, golds: list[str]) -> set[str]:
    """The kinds a comparison's question writes beside one option and nowhere else ("magazine" of "Is
    Velvetpark or Shape magazine ...?", of "Shape (magazine)"; "band" of "the band Hole")."""
    comp = comparison(question, golds)
    if comp is None:
        return set()
    told: set[str] = set()
    for option in comp.options:
        o = re.escape(option)
        for m in re.finditer(o, question):
            after = re.match(r"\s*\(?\s*([A-Za-z]+)", question[m.end() :])
            before = re.search(r"([A-Za-z]+)\s+$", question[: m.start()])
            for near in (after, before):
                w = near.group(1).lower() if near else ""
                if not (w and _OPTION_KINDS.fullmatch(w)):
                    continue
                uses = len(re.findall(rf"(?i)\b{w}\b", question))
                beside = len(re.findall(rf"(?i)\b{w}\s+{o}\b|\b{o}\s*\(?\s*{w}\b", question))
                if uses == beside:
                    told.add(w)
    return told - {w.lower() for o in comp.options for w in re.findall(r"[A-Za-z]+", o)}


_QUOTE_AFTER = "[\"'\u201d\u2019*_]*"
_QUOTE_BEFORE = "[\"'\u201c\u2018*_]*"


def option_tags_visible(
    question: str, golds: list[str], masked: str, trace: str | None = None, spans: list | None = None
) -> int:
    """A comparison whose question calls one option by a kind (see :func:`_told_kinds`): that kind still
    visible right before or after a hidden option, "[ENTITY] magazine", "the band [ENTITY]", or in a
    parenthesis of four words at most after it, "[ENTITY] (magazine, 1981)", which tells the hidden options
    apart. Given the original ``trace`` and the hidden ``spans``, a hidden option is a span over a mention of
    one; given the masked text alone, any placeholder of a name (not a number's or an expression's)."""
    told = _told_kinds(question, golds)
    if not told:
        return 0
    if trace is None or spans is None:
        text = masked
        names = [m.span() for m in re.finditer(r"\[(?!NUMBER\]|EXPR\])[A-Z][A-Z0-9_]*\]", masked)]
        hidden: list = []
    else:
        comp = comparison(question, golds)
        assert comp is not None
        text, hidden = trace, [(a, b) for a, b in spans]
        names = [
            (a, b)
            for a, b in hidden
            if any(re.search(rf"(?i)(?<!\w){re.escape(o)}(?!\w)", trace[a:b]) for o in comp.options)
        ]

    def visible(a: int, b: int) -> bool:
        return not any(x <= a and b <= y for x, y in hidden)

    count = 0
    for s, e in names:
        after = re.match(rf"{_QUOTE_AFTER}[ \t\u00a0]+([A-Za-z]+)", text[e:])
        if after and after.group(1).lower() in told and visible(e + after.start(1), e + after.end(1)):
            count += 1
        before = re.search(rf"(?<![A-Za-z])([A-Za-z]+)[ \t\u00a0]+{_QUOTE_BEFORE}$", text[max(0, s - 40) : s])
        if before and before.group(1).lower() in told:
            at = max(0, s - 40)
            count += visible(at + before.start(1), at + before.end(1))
        tag = re.match(r"[ \t\u00a0]*(?:[\"'\u201d\u2019][ \t\u00a0]*)?\(([^()\n]*)\)", text[e:])
        if tag:
            words = list(re.finditer(r"[^\W_]+", tag.group(1)))
            count += len(words) <= 4 and any(
                w.group().lower() in told
                and visible(e + tag.start(1) + w.start(), e + tag.start(1) + w.end())
                for w in words
            )
    return count


def paraphrases_visible(gold: str, question: str, plain: str) -> int:
    """A gold that describes rather than names (two content words or more, most of them lower-case:
    "fortnightly women interest magazine"): stretches of ``plain`` (the masked trace less copies of the
    question), inside a clause and between placeholders, of at most the gold's length plus two words
    that hold more than half of its content words (two at least, read singular and without a
    possessive), one of them a word the question lacks ("a fortnightly lifestyle and women's
    magazine"). Counts the clauses with one."""
    content = [w for w in re.findall(r"[^\W\d_]+", gold) if len(w) >= 3 and w.lower() not in _PLAIN_WORDS]
    if len(content) < 2 or 2 * sum(w.islower() for w in content) <= len(content):
        return 0
    want = {_singular(w) for w in content}
    need = max(2, len(want) // 2 + 1)
    asked = {_singular(w) for w in re.findall(r"[^\W\d_]+", question)}
    n = 0
    for clause in re.split(r"[.,;:!?()\"\u201c\u201d\n]|\[[A-Z][A-Z0-9_]*\]", plain):
        keys = [_singular(w) for w in re.findall(r"[^\W\d_]+(?:['\u2019]s)?", clause)]
        size = len(want) + 2
        n += any(
            len(hits := set(keys[i : i + size]) & want) >= need and hits - asked
            for i in range(max(1, len(keys) - size + 1))
        )
    return n


#: what may follow "one" without being a noun it counts
_NOT_COUNTED = re.compile(
    r"(?:of|the|an?|and|n?or|but|to|in|on|at|by|for|with|from|as|is|was|are|were|be|been|being|ha[sd]|have|than"
    r"|th(?:at|is)|wh(?:ich|o|om|ose)|more|less|another|other|day|time|can|could|will|would|shall|should|may"
    r"|might|must|do|does|did|not|also)"
)


def singular_beside_one(ex: Example, spans: list[tuple[int, int]]) -> int:
    """For the count one, a hidden "one" whose noun stays visible beside it ("won [ENTITY] award": the
    singular tells the count)."""
    if normalize_answer(parse_answers(ex.answer)[0]) not in ("one", "1"):
        return 0
    n = 0
    for m in re.finditer(r"(?<![\w-])(one|1)[ \t]+([a-z][a-z'-]*)", ex.trace, re.I):
        if _NOT_COUNTED.fullmatch(m.group(2).lower()):
            continue
        one_hidden = any(a <= m.start(1) and m.end(1) <= b for a, b in spans)
        noun_seen = not any(a < m.end(2) and m.start(2) < b for a, b in spans)
        n += one_hidden and noun_seen
    return n


#: letters of no Latin script (Cyrillic, Greek, Arabic, CJK, ...), a run of them with spaces and hyphens
_NON_LATIN_RUN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f](?:[^\n;,()]*[^\W\d_A-Za-z\u00c0-\u024f])?")


def word_starts_visible(gold: str, plain: str) -> int:
    """A gold of three to eight words: a word with a capital after its first letter made of the first one to
    four letters of three or more of its words in a row ("GesmbH", "mbH" for "Gesellschaft mit beschränkter
    Haftung") still visible in ``plain``."""
    words = re.findall(r"[^\W\d_]+", gold)
    if not 3 <= len(words) <= 8:
        return 0

    def start(w: str) -> str:  # the word's first letter, then up to three more, each optional in turn
        tail = "".join(f"(?:{re.escape(c)}" for c in w[1:4]) + ")?" * len(w[1:4])
        return re.escape(w[0]) + tail

    windows = [words[i:j] for i in range(len(words)) for j in range(i + 3, len(words) + 1)]
    pattern = re.compile("|".join("".join(start(w) for w in window) for window in windows))
    own = {w.lower() for w in words}
    return sum(
        1
        for m in re.finditer(r"(?<![\w.-])[^\W\d_]{3,8}(?![\w-])", plain)
        if any(c.isupper() for c in m.group()[1:])
        and m.group().lower() not in own
        and pattern.fullmatch(m.group())
    )


def labelled_script_visible(trace: str, golds: list[str], masked: str) -> int:
    """A gold that labels a text in another script ("Russian: Леонид Хачиян"): the text still visible in
    ``masked`` (its script names the language)."""
    n = 0
    for gold in golds:
        for m in re.finditer(rf"(?<!\w){re.escape(gold)}\s*:\s*", trace):
            run = _NON_LATIN_RUN.match(trace, m.end())
            n += bool(run) and run.group() in masked
    return n


#: full given names and the short forms people go by (this file's own list)
LONG_FORMS = {
    "Abraham": "Abe",
    "Albert": "Al",
    "Alan": "Al",
    "Alfred": "Al",
    "Alexander": "Al Alex",
    "Alexandra": "Alex",
    "Andrew": "Andy",
    "Benjamin": "Ben",
    "William": "Bill Will",
    "Willard": "Will",
    "Robert": "Bob Rob",
    "Christopher": "Chris",
    "Christine": "Chris",
    "Daniel": "Dan",
    "David": "Dave",
    "Richard": "Dick Rick",
    "Donald": "Don",
    "Douglas": "Doug",
    "Edward": "Ed Ted",
    "Edwin": "Ed",
    "Edmund": "Ed",
    "Frederick": "Fred Rick",
    "Eugene": "Gene",
    "Gregory": "Greg",
    "Henry": "Hank Harry",
    "Harold": "Harry",
    "Jacob": "Jake",
    "Jeffrey": "Jeff",
    "Jeffery": "Jeff",
    "Gerald": "Jerry",
    "Jerome": "Jerry",
    "James": "Jim Jimmy",
    "Joseph": "Joe",
    "Jonathan": "Jon",
    "Kenneth": "Ken",
    "Katherine": "Kate",
    "Catherine": "Kate",
    "Lawrence": "Larry",
    "Elizabeth": "Liz",
    "Matthew": "Matt",
    "Margaret": "Meg",
    "Michael": "Mike",
    "Nathan": "Nate",
    "Nathaniel": "Nate",
    "Nicholas": "Nick",
    "Patrick": "Pat",
    "Patricia": "Pat",
    "Phillip": "Phil",
    "Philip": "Phil",
    "Raymond": "Ray",
    "Samuel": "Sam",
    "Samantha": "Sam",
    "Steven": "Steve",
    "Stephen": "Steve",
    "Susan": "Sue",
    "Theodore": "Ted",
    "Timothy": "Tim",
    "Thomas": "Tom",
    "Anthony": "Tony",
    "Vincent": "Vince",
    "Walter": "Walt",
    "Zachary": "Zach",
}


def given_names_visible(gold: str, trace: str, spans: list[tuple[int, int]]) -> int:
    """A person gold of 2 to 4 capitalised words ("Tim Kaine", "Matt Groening"): a longer given name the
    first word is short for (:data:`LONG_FORMS`: "Timothy Michael Kaine") or whose short form the trace
    quotes before the surname ('Matthew Abraham "Matt" Groening'), before the gold's other words with at
    most two names between, still visible: the short name is read off the full one."""
    words = gold.split()
    if not 2 <= len(words) <= 4 or not all(re.fullmatch(r"[A-Z][a-z'\-]+", w) for w in words):
        return 0
    first, rest = re.escape(words[0]), r"[ \t]+".join(map(re.escape, words[1:]))
    longs = [full for full, shorts in LONG_FORMS.items() if words[0] in shorts.split()]
    between = r'(?:[ \t]+(?:[A-Z][\w.\-]*|"[^"\n]{1,30}"|\u201c[^\u201d\n]{1,30}\u201d)){0,2}'
    patterns = [rf"(?<![\w-])({'|'.join(longs)})(?={between}[ \t]+{rest}\b)"] if longs else []
    if len(words[0]) >= 3:
        nick = rf'(?:"{first}"|\u201c{first}\u201d)'
        patterns.append(
            rf"(?<![\w-])({first}[a-z]{{1,6}})(?=(?:[ \t]+[A-Z][\w.\-]*)?[ \t]+{nick}[ \t]+{rest}\b)"
        )
    found = {x.span(1) for p in patterns for x in re.finditer(p, trace)}
    return sum(not any(s <= a and b <= e for s, e in spans) for a, b in found)


#: a question whose answer is a region: "In what state ...", "Which country ..." (no capitalised word
#: between: "what Fayette County, Kentucky airport" asks for an airport)
_WHERE_ASKED = re.compile(
    r"\b(?i:what|which)\b(?:\s+(?:[a-z]+|U\.S\.|US)){0,2}?\s+(?i:countr(?:y|ies)|nations?|states?|provinces?"
    r"|count(?:y|ies)|cit(?:y|ies)|towns?|villages?|regions?|territor(?:y|ies)|islands?|continents?)\b"
)
#: the place right before a comma, up to the text's end: capitalised words, "upon" / "am" / "de" between
_PLACE_BEFORE = re.compile(
    r"(?<![\w'\u2019.-])([A-Z][^\s,.;:()\[\]]*"
    r"(?:[ \t]+(?:upon[ \t]+|am[ \t]+|de[ \t]+)?[A-Z][^\s,.;:()\[\]]*){0,4}),[ \t]+$"
)
#: an apposition right after a place that names a place inside it: ", a suburb of Minneapolis"
_PLACE_AFTER = re.compile(
    r",[ \t]+(?:a|an|the)[ \t]+(?:[a-z-]+[ \t]+){0,3}?(?:of|in|near|outside)[ \t]+"
    r"([A-Z][^\s,.;:()\[\]]*(?:[ \t]+[A-Z][^\s,.;:()\[\]]*){0,4})"
)
_SENTENCE_WORDS = frozenset(
    {"In", "At", "From", "Near", "On", "By", "Of", "To", "For", "With", "And", "Or", "The"}
)


def contained_places_visible(
    question: str, golds: list[str], trace: str, spans: list[tuple[int, int]]
) -> int:
    """``place_chain``: the question asks for a place, and a hidden mention of the gold comes after the
    places inside it, joined by commas ("Waldkirch, Baden-Württemberg, Germany"; "Kandahar, Afghanistan"),
    or before an apposition naming one (", a suburb of Minneapolis"), one of which, not named by the
    question, is still visible: a reader who knows the world knows what holds it."""
    if not _WHERE_ASKED.search(question):
        return 0
    hidden = lambda a, b: any(s <= a and b <= e for s, e in spans)  # noqa: E731
    dicts = [{"start": s, "end": e} for s, e in spans]
    seen = 0
    for gold in golds:
        for m in _gold_pattern(gold).finditer(trace):
            if not hidden(*m.span()):
                continue
            at = m.start()
            for _ in range(3):  # up to three places before it, innermost last
                before = _PLACE_BEFORE.search(trace, max(0, at - 120), at)
                if before is None:
                    break
                a, b = before.span(1)
                words = trace[a:b].split()
                while words and words[0] in _SENTENCE_WORDS:
                    a = trace.index(words[1], a) if len(words) > 1 else b
                    words = words[1:]
                if words and not named_by(question, trace[a:b]) and not touched(dicts, a, b):
                    seen += 1
                at = before.start(1)
            after = _PLACE_AFTER.match(trace, m.end())
            if (
                after is not None
                and not named_by(question, after.group(1))
                and not touched(dicts, *after.span(1))
            ):
                seen += 1
    return seen


def independent(ex: Example, masked: str, spans: list[tuple[int, int]], level: str = "critical") -> Counter:
    """This file's own checks of one masked row (see the module docstring): finding kind -> count."""
    out: Counter = Counter()
    out["short_long"] += short_long_visible(ex, spans)
    out["agreement"] += singular_beside_one(ex, spans)
    golds = parse_answers(ex.answer)
    q = ex.question.strip()
    plain = masked.replace(q, " " * len(q)) if q else masked
    if normalize_answer(golds[0]) in ("yes", "no"):
        if level != "answer":  # the compared attribute is a fact of the question's type: critical's
            out["attribute"] += attributes_visible(ex.question, plain)
            out["kind_word"] += kind_words_visible(ex.question, ex.trace, plain)
            out["slot"] += slots_visible(ex.question, plain)
        return out
    if comparison(ex.question, golds) is None:
        out["paraphrase"] += sum(paraphrases_visible(gold, ex.question, plain) for gold in golds)
    out["gold_number"] += gold_numbers_visible(ex, masked)
    out["script"] += labelled_script_visible(ex.trace, golds, masked)
    for gold in golds:
        # any form: exact, other case, plural, possessive
        out["variant"] += len(_gold_pattern(gold, r"(?:e?s|['\u2019]s?)?").findall(plain))
        if gold.endswith("y") and len(gold.split()[-1]) >= 3:
            out["variant"] += len(_gold_pattern(gold[:-1] + "ies").findall(plain))
        trace = ex.trace
        aliases: list[str] = []
        bare = re.sub(r"\s*\([^()]*\)", "", gold).strip()  # "sinoatrial (SA) node" written "sinoatrial node"
        head = (
            gold.split()[-1]
            if gold.split() and gold.split()[-1].isalpha() and gold.split()[-1].islower()
            else ""
        )
        said_as = [_gold_pattern(gold)] + ([_gold_pattern(bare)] if bare and bare != gold else [])
        for m in (x for pattern in said_as for x in pattern.finditer(trace)):
            after = trace[m.end() : m.end() + 200].split("\n", 1)[0]
            paren = re.match(r"\s*\(([^()]*)\)", after)
            if paren:
                aliases += paren_aliases(paren.group(1))
            said = re.match(
                r"(?:\s*\([^()]*\))?(?:,\s+(?:\d+(?:st|nd|rd|th)\s+)?[A-Z][^,.;()]*)?,?\s+"
                r"(?:also known as|better known as|otherwise known as|formerly known as|aka)"
                r"\s+(?:the\s+)?([^,.;()]+)",
                after,
            )
            comma_or = re.match(r",\s+or\s+([^,.;()]+),", after)
            # an epithet between commas, the sentence going on in lower case: ", the Queen of Blades, in"
            epithet = re.match(r",\s+the\s+([A-Z][^,.;()]*),\s+(?!and\b|or\b|the\b)[a-z]", after)
            # or alone in a parenthesis or between dashes: "(the Queen of Blades)", "– the Queen of Blades –"
            aside = re.match(
                r"\s*(?:\(|[\u2013\u2014]\s*)[Tt]he\s+([A-Z][^()\u2013\u2014,.;]*?)(?:\)|\s*[\u2013\u2014])",
                after,
            )
            aliases += [x.group(1).strip() for x in (said, comma_or, epithet, aside) if x]
        if head:  # a common noun's other name ends in its head noun: "also known as sinus node is a ..."
            cut = [re.match(rf"(\w+(?:\s+\w+)*?\s+{re.escape(head)})\b", a) for a in aliases]
            aliases += [c.group(1) for c in cut if c and not _name_like(c.group(1))]
        for alias in dict.fromkeys(aliases):
            common = bool(head) and alias.endswith(" " + head) and len(alias.split()) <= 4
            if (
                (_name_like(alias) or common)
                and not _gold_pattern(gold).search(alias)
                and not (bare and _gold_pattern(bare).search(alias))
                and alias.lower() not in q.lower()
            ):
                out["alias"] += len(_visible(masked, alias, q))
                # an acronym inside a word: "gGmbH" for GmbH
                if re.fullmatch(r"[a-z]*[A-Z][a-z]*[A-Z][A-Za-z]{0,5}", alias):
                    out["alias"] += len(re.findall(rf"\w{re.escape(alias)}|{re.escape(alias)}\w", plain))
                if common:  # its own words left beside a blank for the head: "sinus [ENTITY]"
                    own = re.escape(alias[: -len(head)].strip())
                    out["alias"] += len(re.findall(rf"(?<!\w){own}\s+{_PLACEHOLDER.pattern}", masked, re.I))
        words = gold.split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
            # one more capitalised word on the same line, not itself followed by another ("New York
            # Prosecutors Institute" names an institute)
            full = (
                r"(?<!\w)" + r"[ \t]+".join(map(re.escape, words)) + r"[ \t]+([A-Z][a-z]\w+)\b(?![ \t]+[A-Z])"
            )
            for m in re.finditer(full, trace):
                tail = m.group(1)
                if tail in {"The", "In", "And", "Of", "Was", "Is", "Has", "Had"}:
                    continue
                out["fuller_name"] += len(_visible(masked, f"{gold} {tail}", q))
                out["fuller_name"] += len(_visible(masked, f"{words[0]} {tail}", q))
                out["fuller_name"] += len(
                    re.findall(rf"{_PLACEHOLDER.pattern}\s+{re.escape(tail)}\b", masked)
                )
    out["given_name"] += sum(given_names_visible(gold, ex.trace, spans) for gold in golds)
    out["place_chain"] += contained_places_visible(ex.question, golds, ex.trace, spans)
    out["verdict"] += verdicts_visible(ex.question, golds, masked)
    out["countable"] += counts_visible(ex.question, golds, plain)
    out["option_tag"] += option_tags_visible(ex.question, golds, masked, ex.trace, spans)
    if level != "answer":  # the deciding facts of a comparison are critical's, as its dates are
        out["place"] += places_visible(ex.question, golds, plain)
        out["order"] += order_visible(ex.question, golds, plain)
    if comparison(ex.question, golds) is None:
        out["lone_word"] += sum(lone_words_visible(gold, ex.question, plain) for gold in golds)
    for gold in golds:
        out["paren_form"] += paren_forms_visible(gold, plain)
        out["initials"] += initials_visible(gold, plain)
        out["abbreviation"] += word_starts_visible(gold, plain)
        out["built_from"] += bases_visible(gold, plain, ex.trace)
        out["derived"] += stems_visible(gold, plain)
    out["split_answer"] += split_answer(ex.trace, masked, golds)
    slots = list(_SLOT.finditer(ex.trace))
    final = slots[-1].span() if slots else (0, 0)
    for a, b in spans:
        text = ex.trace[a:b]
        # a quote alone on its line is a source's junk (the gold 'Jonny" Craig'), no half of a pair
        line = ex.trace[ex.trace.rfind("\n", 0, a) + 1 :].split("\n", 1)[0]
        lone = sum(line.count(c) for c in _QUOTE_CHARS) == 1
        # a quoted title hidden whole with its bracket ('"Now and Then" (1995)') leaves no half of a pair
        title = re.fullmatch(r'\s*["\u201c][^"\u201c\u201d]+["\u201d](?:\s*\([^()]*\))?\s*', text)
        broken = (not lone and not title and any(c in text for c in _QUOTE_CHARS)) or "\n" in text
        # a list of common nouns hidden whole ("director, screenwriter, and actor" as one placeholder), but
        # in the final answer slot, which is the answer and one placeholder (``split_answer``)
        broken |= not (final[0] <= a and b <= final[1]) and bool(
            re.fullmatch(r"[a-z][a-z' -]*(?:, [a-z][a-z' -]*)+,? (?:and|or) [a-z][a-z' -]*", text.strip())
        )
        ends = re.finditer(r"(\w*[a-z]{2})[.!?]\s+[A-Z]", text)
        broken |= any(m.group(1) not in {"vs", "Bros", "Inc", "Ltd", "Corp"} for m in ends)
        # a bracket whose partner stays outside the span ("[ENTITY]SNC)")
        for pair in ("()", "[]"):
            depth = 0
            for c in text:
                depth += (c == pair[0]) - (c == pair[1])
                broken |= depth < 0
            broken |= depth != 0
        out["damage"] += broken
    return out


_SLOT = re.compile(r"<answer>(.*?)</answer>|Finish\[(.*?)\]|So the answer is:?([^\n]*)", re.S)


#: heads of names that say what is named, not which one ("River", "University"), months and days: alone they
#: tell nothing
_NAME_HEADS = frozenset(
    re.findall(
        r"\w+",
        "University College School Institute Academy County City Town Village State Province District "
        "River Lake Mountain Mount Island Islands Bay Sea Ocean Park Street Road Avenue Square Bridge "
        "Church Cathedral Temple Castle Palace Hall House Museum Gallery Library Hospital Airport Station "
        "Records Company Corporation Group Club Team League Association Society Party Band Orchestra "
        "Festival Award Awards Prize Film Series Show Magazine Newspaper Journal Press National "
        "International United American British English French German New North South East West Saint "
        "Great Little Old Royal King Queen Prince Princess Lord Sir The And For Jr January February March "
        "April May June July August September October November December Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday",
    )
)


_DENIAL = re.compile(r"(?i)^(?:not|never|neither|nor|no|nothing|none|without|unrelated|\w+n['\u2019]t)$")
_POINTER = re.compile(
    r"(?i)^(?:instead|rather|latter|second|remaining|leaving|eliminates|eliminated|excluded)$"
)
_QUESTION_STOP = frozenset(
    re.findall(
        r"\w+",
        "which who whom whose what where when why how is are was were does did do has have had the and "
        "for with from that this of or an in on at to by about into than over",
    )
)
#: the reasoning of a trace: a ReAct thought (up to its action), an "A:" chain of thought, a <think> block
_REASONING = re.compile(
    r"^Thought[^:\n]{0,12}:(.*?)(?=^Action|^Observation|\Z)|^A:(.*)|<think>(.*?)</think>", re.M | re.S
)


def verdicts_visible(question: str, golds: list[str], masked: str) -> int:
    """``verdict``: in a comparison ("Which documentary is about Finnish rock groups, A or B?"), the
    reasoning still rules an option out, which names the other: in a clause, a denial ("not", "isn't",
    "nothing", "rather than", ...) beside a word of the question (not of its options, nor the kind after
    "which": "documentary") up to eight words away on either side ("not Finnish rock groups", "Finnish
    rock groups are not"), a word that points at the other option ("instead", "the latter", "the
    second", "leaving") in a clause with such a word or "answer", or "the other" standing for an option."""
    comp = comparison(question, golds)
    if comp is None:
        return 0
    options = {w.lower() for o in comp.options for w in re.findall(r"\w+", o)}
    kinds = {m.group(1).lower() for m in re.finditer(r"(?i)\b(?:which|what)\s+(\w+)", question)}
    asked = {
        w.lower()
        for w in re.findall(r"[A-Za-z]+", question)
        if len(w) >= 3 and w.lower() not in options | kinds and w.lower() not in _QUESTION_STOP
    }
    parts = ["".join(g) for g in _REASONING.findall(masked)]  # "Thought [NUMBER]:" too
    found = 0
    for part in parts:
        # "the other" standing for an option: "so it must be the other, [ENTITY]", "the other one"
        found += len(re.findall(r"(?i)\bthe other(?=\s*(?:[,;:.!?)]|$|(?:one|option|choice)\b|\[))", part))
        # a question word starts a clause of its own: "I do not know which documentary is about ..." is plan
        for clause in re.split(r"[,;:.!?()]|\b(?:which|whether|what|who|whom|if|how|where|when|why)\b", part):
            words = re.findall(r"\[[A-Z]+\]|[A-Za-z'\u2019]+", clause)
            low = [w.lower() for w in words]
            near = [{x for x in low[max(0, i - 8) : i + 9] if x in asked} for i in range(len(low))]
            stated = bool(asked & set(low)) or "answer" in low
            found += sum(bool(_POINTER.match(w)) and (stated or w.lower() == "latter") for w in words)
            found += sum(bool(_DENIAL.match(w)) and bool(near[i]) for i, w in enumerate(words))
            found += sum(
                a == "rather" and b == "than" and bool(near[i])
                for i, (a, b) in enumerate(zip(low, low[1:], strict=False))
            )
    return found


_SIZE_WORD = re.compile(r"(?i)\b(?:duo|trio|quartet|quintet|sextet|septet|octet|threesome|foursome)s?\b")
_COUNT_ITEM = r"(?:\[[A-Z]+\]|[^\W_][\w'.&-]*(?:[ \t]+[\w'.&-]+){0,6}?)(?:[ \t]*\([^()\n]*\))?"
#: a list right where it starts: items joined by commas with a last "and" / "or" / "&", or three or more
#: names joined by commas alone
_COUNT_LIST = re.compile(
    rf"{_COUNT_ITEM}(?:[ \t]*,[ \t]*{_COUNT_ITEM})*,?[ \t]+(?:and|or|&)[ \t]+{_COUNT_ITEM}"
    r"|(?:\[[A-Z]+\]|[A-Z][\w'.&-]*(?:[ \t]+[A-Z][\w'.&-]*){0,4})"
    r"(?:[ \t]*,[ \t]*(?:\[[A-Z]+\]|[A-Z][\w'.&-]*(?:[ \t]+[A-Z][\w'.&-]*){0,4})){2,}"
)
_COUNT_LEAD = re.compile(
    r"(?i)(?:[ \t]*(?::|,|\b(?:are|were|is|was|includes?|included|including|such as)\b))*[ \t]*"
)
_IRREGULAR_PLURALS = {
    "children": "child|children",
    "people": "people|persons?",
    "men": "m[ae]n",
    "women": "wom[ae]n",
}


def counts_visible(question: str, golds: list[str], plain: str) -> int:
    """``countable``: in a comparison by count ("Which of A and B has been a member of more bands?"), what
    a reader counts is still visible: a list of two or more items or placeholders right after the counted
    noun (or after "These include" in the next sentence; a lead "are", "include" or ":" allowed) in its
    sentence ("the bands Dance Gavin Dance, Emarosa, and Slaves", "members: [ENTITY], [ENTITY] and
    [ENTITY]"), or a group's size in a word ("trio", unless the question says one)."""
    if comparison(question, golds) is None:
        return 0
    asked = re.search(
        r"(?i)\b(?:more|most|fewer|fewest)\s+(?:(?!\w+ly\b)[a-z-]+\s+){0,2}?(children|people|men|women|[a-z]+?(?:es|s))\b",
        question,
    )
    if asked is None or asked.group(1).lower().endswith(("ous", "ss", "ly")):
        return 0
    word = asked.group(1).lower()
    forms = (
        _IRREGULAR_PLURALS.get(word)
        or re.escape(re.sub(r"(?:(?<=ch)|(?<=sh)|(?<=x))es$|s$", "", word)) + "(?:e?s)?"
    )
    found = 0 if _SIZE_WORD.search(question) else len(_SIZE_WORD.findall(plain))
    noun = re.compile(rf"(?i)\b(?:{forms})\b")
    for line in plain.splitlines():
        named = False
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\[])", line):
            m = noun.search(sentence)
            after = (
                re.match(r"(?i)(?:these|they|those)\s+(?:include[sd]?|are|were)\b", sentence)
                if named
                else None
            )
            named = m is not None
            for at in (m, after):
                lead = _COUNT_LEAD.match(sentence, at.end()) if at is not None else None
                if lead is not None and _COUNT_LIST.match(sentence, lead.end()):
                    found += 1
    return found


_PLACE_COMPARED = re.compile(
    r"(?i)\b(?:further|farther|more|most)\s+(?:north|south|east|west)(?:erly)?\b"
    r"|\b(?:north|south|east|west)ernmost\b"
)
_PLACE_ASKED = re.compile(
    r"\b(?:located|based|headquartered|situated|founded|born|formed|established|opened) in (?:the )?"
    r"([A-Z][a-z][\w-]*(?: [A-Z][\w-]*)*)"
)
#: the places this script knows by name (the US states and some countries), any case, where a place stands:
#: after "in", "of", "from", "near", "at" or a comma ("based in Dedham, Massachusetts"), not "New England"
_KNOWN_PLACES = re.compile(
    r"(?i)(?:\b(?:in|of|from|near|at)\s+(?:the\s+)?|,\s*)(?<!new )"
    r"(Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    r"|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota"
    r"|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York"
    r"|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina"
    r"|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
    r"|England|Scotland|Wales|Ireland|France|Germany|Italy|Spain|Canada|Mexico|Australia|Japan|China|India"
    r"|Brazil|Russia|Sweden|Norway|Finland|Denmark|Netherlands|Belgium|Switzerland|Austria|Poland)\b"
)


def compared_place(question: str, golds: list[str]) -> list[str]:
    """The place a comparison asks about ("Which facility was founded in Missouri, A or B?"), if any."""
    m = _PLACE_ASKED.search(question)
    return [m.group(1)] if m and comparison(question, golds) is not None else []


def places_visible(question: str, golds: list[str], plain: str) -> int:
    """``place``: in a comparison by place ("whose headquarters is further north, A or B?", "founded in
    Missouri, A or B?"), a state or country this script knows by name is still visible where a place
    stands ("in Texas", ", Massachusetts"), which tells where an option is (no word of an option)."""
    comp = comparison(question, golds)
    if comp is None or not (_PLACE_COMPARED.search(question) or _PLACE_ASKED.search(question)):
        return 0
    own = {w.lower() for o in comp.options for w in re.findall(r"\w+", o)}
    return sum(1 for m in _KNOWN_PLACES.finditer(plain) if not set(m.group(1).lower().split()) <= own)


_ORDER_WORD = re.compile(
    r"(?i)(?<![\w-])(?:previous(?:ly)?|earlier|later|prior|subsequent(?:ly)?|sequel|prequel|predecessor"
    r"|successor|follow-up|preceded|preceding|followed|succeeded)(?![\w-])"
)


def order_visible(question: str, golds: list[str], plain: str) -> int:
    """``order``: in a comparison of when things happened ("Which movie was filmed first, A or B?"; not
    one of ages), a word of order ("a previous film", "later") still visible in a sentence that names an
    option or holds a placeholder (which may stand for one)."""
    comp = comparison(question, golds)
    when = re.search(
        r"(?i)\b(?:first|earlier|earliest|before|after|later|latest|newer|newest|recent)\b", question
    )
    age = re.search(r"(?i)\b(?:older|oldest|younger|youngest|born|age)\b", question)
    if comp is None or not when or age:
        return 0
    names = [o.lower() for o in comp.options]
    return sum(
        1
        for sentence in re.split(r"(?<=[.!?])\s+|\n", plain)
        if _ORDER_WORD.search(sentence)
        and ("[ENTITY]" in sentence or any(n in sentence.lower() for n in names))
    )


def lone_words_visible(gold: str, question: str, plain: str) -> int:
    """``lone_word``: a capitalised word (3+ letters) of a gold of several words, one the question does not
    use and no name head, still visible on its own ("The Sooners play ..." for "Oklahoma Sooners"; one of
    six letters or more also with a short ending, "Gesellschafter" for "Gesellschaft mit ..."), not
    as a part of another name (a capitalised word or a number next to it, but a leading "The") unless that
    name is a quoted nickname the sentence gives ('Dubbed ... (as well as "Super Mario")')."""
    words = re.findall(r"[A-Za-z][\w'-]*", gold)
    if len(words) < 2:
        return 0
    asked = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", question)}
    count = 0
    for w in dict.fromkeys(re.sub(r"'s$", "", w) for w in words):
        if len(w) >= 3 and w[0].isupper() and w.lower() not in asked and w not in _NAME_HEADS:
            tail = "[a-z]{0,4}" if len(w) >= 6 else ""  # "Gesellschafter" says "Gesellschaft"
            for m in re.finditer(rf"(?<![\w-]){re.escape(w)}{tail}(?![\w-])", plain):
                before = [
                    w.lstrip("\"'(\u201c\u2018") for w in plain[max(0, m.start() - 30) : m.start()].split()
                ]
                after = plain[m.end() : m.end() + 30].split()
                named_before = bool(before) and plain[m.start() - 1] == " " and before[-1][:1].isupper()
                named_before &= bool(before) and before[-1][-1:].isalnum()  # "Norman, Oklahoma": a place
                named_before &= before[-1] not in ("The", "A", "An") if before else False
                named_after = bool(after) and plain[m.end() : m.end() + 1] == " " and after[0][:1].isupper()
                named_after |= bool(after) and plain[m.end() : m.end() + 1] == " " and after[0][:1].isdigit()
                count += not (named_before or named_after) or _in_nickname(plain, m.start(), m.end())
    return count


def _in_nickname(plain: str, start: int, end: int) -> bool:
    """``plain[start:end]`` sits in a quoted nickname ('Dubbed "The Magnificent One" (as well as "Super
    Mario")', 'a.k.a. "Super Mario"'): a name in double quotes right after dubbed / nicknamed / known as /
    called / a.k.a. / as well as, or right after another such quote and "or", "and" or a comma."""
    open_q = max(plain.rfind('"', 0, start), plain.rfind("\u201c", 0, start))
    if open_q < 0 or "\n" in plain[open_q:start] or start - open_q > 60:
        return False
    if re.search(r'["\u201d]', plain[end : end + 60]) is None:
        return False
    return _nickname_quote(plain, open_q, 3)


def _nickname_quote(plain: str, open_q: int, depth: int) -> bool:
    before = plain[max(0, open_q - 60) : open_q]
    cue = r"(?i)\b(dubbed|nicknamed?|known as|called|a\.k\.a\.?|aka|moniker|as well as)\s*(?:the\s+)?\(?\s*$"
    if re.search(cue, before):
        return True
    joined = re.search(r'["\u201d]\s*(?:,|or|and|,\s*or|,\s*and)\s*\(?\s*$', before)
    if joined is None or depth == 0:
        return False
    close = max(0, open_q - 60) + joined.start()
    prev = max(plain.rfind('"', 0, close), plain.rfind("\u201c", 0, close))
    return prev >= 0 and _nickname_quote(plain, prev, depth - 1)


def split_answer(trace: str, masked: str, golds: list[str]) -> int:
    """1 when the trace's last answer slot (``<answer>``, ``Finish[...]``, "So the answer is:") is the gold
    alone and its masked form cuts it into several placeholders (``[ENTITY]" [ENTITY]`` for 'Jonny" Craig'
    copies the shape of a nickname-quoted name in the documents; ``"[ENTITY]" [EXPR]`` for '"Now and Then"
    (1995)' is a film whose year alone is hidden among films whose years are visible); an article left
    before the placeholder is no split. Else 0."""
    slots = list(_SLOT.finditer(trace))
    masked_slots = list(_SLOT.finditer(masked))
    if not slots or not masked_slots:
        return 0
    original = next(g for g in slots[-1].groups() if g is not None).strip().rstrip(".")
    if normalize_answer(original) not in {normalize_answer(g) for g in golds}:
        return 0
    hidden = next(g for g in masked_slots[-1].groups() if g is not None).strip().rstrip(".")
    placeholders = list(_PLACEHOLDER.finditer(hidden))
    if len(placeholders) < 2:
        return 0
    return 1


def reference_spans(trace: str) -> list[tuple[int, int]]:
    """The reference release's masking: every number (``\\d+(\\.\\d+)?``) becomes [NUMBER]."""
    return [m.span() for m in re.finditer(r"\d+(?:\.\d+)?", trace)]


#: the independent checks, in the order they are printed
INDEPENDENT_KINDS = (
    "variant",
    "alias",
    "fuller_name",
    "given_name",
    "gold_number",
    "paren_form",
    "initials",
    "built_from",
    "derived",
    "lone_word",
    "damage",
    "split_answer",
    "short_long",
    "attribute",
    "kind_word",
    "slot",
    "paraphrase",
    "agreement",
    "verdict",
    "countable",
    "place",
    "order",
    "script",
    "abbreviation",
    "option_tag",
    "place_chain",
)


def independent_line(label: str, rows: Counter, fractions: list[float]) -> None:
    """One line of the independent table: rows with each finding, the mean masked fraction."""
    kinds = ", ".join(f"{k} {rows[k]}" for k in INDEPENDENT_KINDS)
    print(
        f"  independent {label:9} rows with findings: {kinds}; "
        f"mean masked fraction {sum(fractions) / max(len(fractions), 1):.3f}"
    )


def independent_written(by_id: dict[str, Example], rows: list[dict], level: str) -> bool:
    """This file's own checks on the rows the pipeline wrote at ``level`` (masked text and spans as
    written, after the audit's repairs). True when a row has a finding."""
    found_rows, fractions = Counter(), []
    for r in rows:
        ex = by_id[r["id"]]
        pairs = [(sp["start"], sp["end"]) for sp in r["spans"]]
        found = independent(ex, r["masked_trace"], pairs, level)
        found_rows.update(k for k, v in found.items() if v)
        fractions.append(sum(b - a for a, b in pairs) / max(len(ex.trace), 1))
    independent_line(level, found_rows, fractions)
    return sum(found_rows.values()) > 0


def independent_reference(examples: list[Example]) -> None:
    """The same checks on the reference release's masking (every number as [NUMBER]), for comparison."""
    found_rows, fractions = Counter(), []
    for ex in examples:
        pairs = reference_spans(ex.trace)
        found = independent(ex, re.sub(r"\d+(?:\.\d+)?", "[NUMBER]", ex.trace), [], "reference")
        found_rows.update(k for k, v in found.items() if v)
        fractions.append(sum(b - a for a, b in pairs) / max(len(ex.trace), 1))
    independent_line("reference", found_rows, fractions)


def attack_table(domain, name: str, examples: list[Example], show: int) -> bool:
    """Per level: rows with a finding straight from ``find_spans`` (by attack), rows with a finding
    after the repair loop, the mean masked fraction; ``show`` masked rows printed at critical.
    True when a finding survives the repairs."""
    failed = False
    domain.masker.prepare(examples)
    for level in ("answer", "critical", "entities"):
        before, after, fractions, by_attack = 0, 0, [], Counter()
        shown = 0
        for ex in examples:
            spans = domain.masker.find_spans(ex, level)
            found = domain.verifier.attacks(ex, render(ex.trace, spans))
            before += bool(found)
            by_attack.update({f.attack for f in found})
            spans, left = repaired(domain, ex, spans) if found else (spans, [])
            after += bool(left)
            fractions.append(sum(s.end - s.start for s in spans) / max(len(ex.trace), 1))
            if level == "critical" and shown < show:
                shown += 1
                print(
                    f"\n--- {name} {ex.id} | Q: {ex.question} | gold: {ex.answer}\n{render(ex.trace, spans)}"
                )
        attacks = ", ".join(f"{k} {v}" for k, v in sorted(by_attack.items())) or "-"
        print(
            f"  attacks {level:9} rows {len(examples)}, with findings before repair {before} ({attacks}), "
            f"after repair {after}; mean masked fraction {sum(fractions) / max(len(fractions), 1):.3f}"
        )
        failed |= after > 0
    return failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "search"))
    ap.add_argument("--show", type=int, default=0, help="print this many masked rows per file (critical)")
    args = ap.parse_args()
    domain = get_domain("search")
    nlp = domain.masker.nlp
    failed = False
    totals = {"q": 0, "q_kept": 0, "b": 0, "b_hidden": 0}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "search_data.py"), tmp, "--data", args.data],
            check=True,
        )
        for name in ("searchr1", "react", "ircot", "hotpotqa"):
            path = Path(tmp) / f"{name}.jsonl"
            examples = [
                find_preset(name).to_example(r.data, source=path.name, index=r.index) for r in read_rows(path)
            ]
            start = time.perf_counter()
            for ex in examples:
                mask_example(ex)
            seconds = time.perf_counter() - start
            words = sum(len(ex.trace.split()) for ex in examples)
            print(
                f"\n{name}: {len(examples)} traces, {len(examples) / seconds:,.1f} traces/s, "
                f"{words / seconds:,.0f} words/s (critical, with the audit)"
            )
            failed |= attack_table(domain, name, examples, args.show)
            by_id = {ex.id: ex for ex in examples}
            for level in ("answer", "critical", "entities"):
                out = Path(tmp) / f"out-{name}-{level}"
                stats = run(PipelineConfig(inputs=[str(path)], output=str(out), preset=name, level=level))
                rows = pq.read_table(out / "data").to_pylist()
                leaks = sum(domain.verifier.leak(by_id[r["id"]], r["masked_trace"]) is not None for r in rows)
                rejects = dict(stats.rejects) or 0
                line = (
                    f"  {level:9} written {stats.rows_out}/{stats.rows_in}, rejects {rejects}, leaks {leaks}"
                )
                failed |= leaks > 0 or stats.rows_out != stats.rows_in
                if level == "critical":
                    q_total = q_kept = b_total = b_hidden = 0
                    for r in rows:
                        ex = by_id[r["id"]]
                        answers = {normalize_answer(a) for a in parse_answers(ex.answer)}
                        q_ents = {e.text for e in nlp(ex.question).ents if e.label_ in NAMES}
                        # a yes / no question's property ("both American?") or the place a comparison
                        # asks about ("founded in Missouri, A or B?"): hidden for every subject alike
                        asked = (
                            yes_no_property(ex.question)
                            if answers & {"yes", "no"}
                            else compared_place(ex.question, parse_answers(ex.answer))
                        )
                        q_ents = [e for e in q_ents if normalize_answer(e) not in answers and e not in asked]
                        comp = comparison(ex.question, parse_answers(ex.answer))
                        if comp is not None:  # the options are answer candidates: hidden alike by design
                            q_ents = [e for e in q_ents if not any(named_by(o, e) for o in comp.options)]
                        inside_answer = find_mentions(ex.trace, list(answers | set(parse_answers(ex.answer))))
                        inside_answer += [
                            (sp["start"], sp["end"])
                            for sp in r["spans"]
                            if "yes / no conclusion" in sp["reason"] or "rules an option out" in sp["reason"]
                        ]
                        q_mentions = find_mentions(ex.trace, q_ents)
                        for s, e in q_mentions:
                            if any(a <= s and e <= b for a, b in inside_answer):
                                continue
                            q_total += 1
                            q_kept += not touched(r["spans"], s, e)
                        for s, e in find_mentions(ex.trace, bridges(name, ex)):
                            b_total += 1
                            b_hidden += covered(r["spans"], s, e, ex.trace, q_mentions)
                    line += f"; question-entity mentions visible {pct(q_kept, q_total)}"
                    line += f"; bridge mentions hidden {pct(b_hidden, b_total)}"
                    totals["q"] += q_total
                    totals["q_kept"] += q_kept
                    totals["b"] += b_total
                    totals["b_hidden"] += b_hidden
                print(line)
                failed |= independent_written(by_id, rows, level)
            independent_reference(examples)
    q, b = pct(totals["q_kept"], totals["q"]), pct(totals["b_hidden"], totals["b"])
    print(f"\nall traces at critical: question-entity mentions visible {q}; bridge mentions hidden {b}")
    failed |= totals["q_kept"] < 0.95 * totals["q"] or totals["b_hidden"] < 0.95 * totals["b"]
    raise SystemExit(1 if failed else 0)


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / max(whole, 1):.1f}%"


if __name__ == "__main__":
    main()
