"""Gold answers for search QA: reading them, comparing them (SQuAD / HotpotQA style) and finding where a
text still mentions them.

A gold answer is a plain string or the JSON string ``{"answers": ["Paris", "City of Paris", ...]}``
(the first is the answer, the rest are aliases any of which also earns the reward).

Two normalisations, on purpose:

* :func:`normalize_answer` is SQuAD's (lower case, ASCII punctuation deleted, articles dropped,
  whitespace collapsed), so exact match and F1 agree with the numbers papers report.
* :func:`find_mentions` must not miss a leak, so it is broader: it also folds accents and Unicode
  punctuation (curly quotes, dashes), and reads the text twice, once with punctuation as a word break
  ("the Eiffel Tower's" holds "Eiffel Tower", "Lee–Enfield" holds "Enfield") and once with punctuation
  deleted as SQuAD does ("1,800" is "1800").
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from .._model import RowError
from ._damage import stray_quotes

_PUNCT = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_ARTICLE_WORDS = frozenset({"a", "an", "the"})
_WORD = re.compile(r"\S+")
#: answers HotpotQA's F1 only credits exactly
_CLOSED = frozenset({"yes", "no", "noanswer"})


def normalize_answer(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> bool:
    """Whether the two answers are equal once normalised."""
    return normalize_answer(prediction) == normalize_answer(gold)


def token_f1(prediction: str, gold: str) -> float:
    """Token-level F1 of the normalised answers (HotpotQA's: yes / no / noanswer only match exactly)."""
    pred, ref = normalize_answer(prediction), normalize_answer(gold)
    if (pred in _CLOSED or ref in _CLOSED) and pred != ref:
        return 0.0
    common = sum((Counter(pred.split()) & Counter(ref.split())).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred.split()), common / len(ref.split())
    return 2 * precision * recall / (precision + recall)


def parse_answers(answer: str) -> list[str]:
    """The answer and its aliases, in order, without blanks or normalised duplicates; raise
    :class:`RowError` (``unparsable_answer``) when there is no usable answer."""
    if not isinstance(answer, str):
        raise RowError("unparsable_answer", f"the answer is {type(answer).__name__}, expected text")
    return list(_parse_answers(answer))


@lru_cache(maxsize=65536)
def _parse_answers(answer: str) -> tuple[str, ...]:
    text = answer.strip()
    if not text.startswith("{"):
        return _clean([text])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise RowError("unparsable_answer", f"the answer looks like JSON but is not ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise RowError("unparsable_answer", 'expected a JSON object {"answers": [answer, alias, ...]}')
    return _clean(data["answers"])


def _clean(candidates: list[Any]) -> tuple[str, ...]:
    """Answer first, then aliases: stripped, without blanks and normalised duplicates."""
    if not all(isinstance(c, str) for c in candidates):
        raise RowError("unparsable_answer", "every answer and alias must be text")
    if not candidates or not normalize_answer(candidates[0]):
        first = candidates[0] if candidates else ""
        raise RowError("unparsable_answer", f"the answer {first!r} is empty once normalised")
    out: dict[str, str] = {}
    for c in candidates:
        out.setdefault(normalize_answer(c), _tidy(c))
    out.pop("", None)
    return tuple(out.values())


def _tidy(answer: str) -> str:
    """``answer`` stripped, less the junk a source left in it: a double quote with no partner and a
    bracket with none (the gold ``Jonny" Craig`` is ``Jonny Craig``), blanks collapsed where it was."""
    drop = stray_quotes(answer)
    opened: list[int] = []
    for i, c in enumerate(answer):
        if c in "([":
            opened.append(i)
        elif c in ")]":
            if opened and answer[opened[-1]] == {")": "(", "]": "["}[c]:
                opened.pop()
            else:
                drop.add(i)
    drop.update(opened)
    if not drop:
        return answer.strip()
    return " ".join("".join(c for i, c in enumerate(answer) if i not in drop).split())


def answers_json(answers: Sequence[str]) -> str:
    """The canonical gold-answer string ``{"answers": [...]}`` for an answer and its aliases."""
    return json.dumps({"answers": list(_clean(list(answers)))}, ensure_ascii=False)


def find_mentions(text: str, answers: Iterable[str]) -> list[tuple[int, int]]:
    """Every ``(start, end)`` in ``text`` where an answer or alias is mentioned: matched on whole words,
    ignoring case, accents, articles and punctuation, also inside longer mentions ("the Eiffel Tower's"
    gives the span of "Eiffel Tower") and in the plural ("loopers" for "Looper", "daisies" for "Daisy").
    Sorted and unique; mentions of different aliases may overlap."""
    return MentionFinder(text).find(answers)


class MentionFinder:
    """:func:`find_mentions` over one text for many needles: the text's two views are built once."""

    def __init__(self, text: str):
        self.views = [_view(text, glue) for glue in (False, True)]

    def find(self, answers: Iterable[str]) -> list[tuple[int, int]]:
        answers = list(answers)
        spans: set[tuple[int, int]] = set()
        for glue, (view, offsets) in zip((False, True), self.views, strict=True):
            for answer in answers:
                needle = _needle(answer, glue)
                if not needle:
                    continue
                plural = not glue and len(needle.rsplit(" ", 1)[-1]) >= 3
                needles = [needle]
                if plural and needle.endswith("y"):  # "daisies" mentions "Daisy"
                    needles.append(needle[:-1] + "ies")
                for n in needles:
                    i = view.find(n)
                    while i >= 0:
                        j = i + len(n)
                        if plural:  # "loopers" mentions "Looper": a plural is the same name read off
                            j += next((len(x) for x in ("s", "es") if view.startswith(x, j)), 0)
                        if (i == 0 or view[i - 1] == " ") and (j == len(view) or view[j] == " "):
                            spans.add((offsets[i], offsets[j - 1] + 1))
                        i = view.find(n, i + 1)
        return sorted(spans)


@lru_cache(maxsize=65536)
def _needle(answer: str, glue: bool) -> str:
    return _view(answer, glue)[0]


@lru_cache(maxsize=4096)
def _fold(ch: str, glue: bool) -> str:
    """``ch`` lower-cased without accents; punctuation and symbols become a space (or nothing when
    ``glue``), whitespace a space."""
    out = []
    for c in unicodedata.normalize("NFKD", ch.lower()):
        if unicodedata.combining(c):
            continue
        if c in _PUNCT or unicodedata.category(c)[0] in "PS":
            out.append("" if glue else " ")
        else:
            out.append(" " if c.isspace() else c)
    return "".join(out)


def _view(text: str, glue: bool) -> tuple[str, list[int]]:
    """The folded text without articles, words one space apart, and for each of its characters the
    offset in ``text`` it came from (a separator gets the offset of the character before it)."""
    chars: list[str] = []
    source: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold(ch, glue):
            chars.append(c)
            source.append(i)
    flat = "".join(chars)
    words: list[str] = []
    offsets: list[int] = []
    for m in _WORD.finditer(flat):
        if m.group() in _ARTICLE_WORDS:
            continue
        if words:
            words.append(" ")
            offsets.append(offsets[-1])
        words.append(m.group())
        offsets.extend(source[m.start() : m.end()])
    return "".join(words), offsets
