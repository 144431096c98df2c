"""A search trace as steps: which text is a query, which was retrieved, which is the expert's own
reasoning and which is the final answer, so a masker can treat each differently.

Three layouts are read:

* ``search_r1``: ``<think>``, ``<search>``, ``<information>``, ``<answer>`` tags (Search-R1), alone or
  inside a ChatML transcript, where only the assistant turns count (the user prompt quotes the tags);
  text outside any tag is reasoning too (Search-R1 policies often reason there).
* ``react``: ``Thought n:`` / ``Action n: Search[x]``, ``Lookup[x]``, ``Finish[x]`` / ``Observation n:``.
* ``cot``: IRCoT-style chains (``Wikipedia Title: ...`` paragraphs, ``Q: ...``, ``A: ... So the answer
  is: X``) and plain chains of thought.

A step's offsets cover its content only, trimmed of surrounding whitespace: the tags, labels and the
``Search[``/``]`` syntax are structure that stays visible. Parsing never raises: an unterminated tag runs
to the next opening tag or the end, and odd text just yields fewer steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("think", "query", "retrieved", "answer", "reasoning")
FORMATS = ("search_r1", "react", "cot")


@dataclass(frozen=True, slots=True)
class Step:
    """``trace[start:end]`` is the content of one step; ``kind`` is one of :data:`KINDS`."""

    start: int
    end: int
    kind: str


_TAG = re.compile(r"<(/?)(think|search|information|answer)>")
_TAG_KIND = {"think": "think", "search": "query", "information": "retrieved", "answer": "answer"}
_ASSISTANT = re.compile(r"<\|im_start\|>assistant[ \t]*\n?")
_CHAT_MARK = re.compile(r"<\|im_(?:start|end)\|>")
#: tags and chat markers: structure around the steps, never their content
STRUCTURE = re.compile(rf"{_TAG.pattern}|{_CHAT_MARK.pattern}")

_REACT_LABEL = re.compile(r"^[ \t]*(Question|Thought|Action|Observation)(?:[ \t]+\d+)?[ \t]*:[ \t]*", re.M)
_ACTION = re.compile(r"(Search|Lookup|Finish)\[")  # after an "Action:" label, which takes the blanks

_COT_LABEL = re.compile(r"(Wikipedia Title|Q|Question|A)[ \t]*:[ \t]*|# METADATA:")
_COT_KIND = {"Wikipedia Title": "retrieved", "Q": "question", "Question": "question"}
#: "So the answer is: X" (IRCoT), "So the answer is X", "The final answer is: X"
ANSWER_IS = re.compile(r"\bso the answer is\b[ \t]*:?|\banswer is[ \t]*:", re.I)


def detect_format(text: str) -> str:
    """``"search_r1"`` when the text has Search-R1 tags, ``"react"`` when it has ReAct thoughts,
    actions or observations, else ``"cot"``."""
    if _TAG.search(text):
        return "search_r1"
    react = (m.group(1) != "Question" for m in _REACT_LABEL.finditer(text))
    if any(react) or _ACTION.search(text):
        return "react"
    return "cot"


def parse_trace(text: str) -> tuple[str, list[Step]]:
    """The trace's format (see :func:`detect_format`) and its steps, sorted and non-overlapping."""
    fmt = detect_format(text)
    parse = {"search_r1": _parse_search_r1, "react": _parse_react, "cot": _parse_cot}[fmt]
    return fmt, parse(text)


def final_answer(text: str) -> tuple[int, int] | None:
    """The span of the final answer: the last non-empty ``<answer>`` (in the assistant turns of a
    transcript), else the last ``Finish[...]``, else what follows the last "So the answer is" /
    "answer is:" on its line (less one trailing period); ``None`` when there is none."""
    answers = [s for s in _parse_search_r1(text) if s.kind == "answer"]
    if answers:
        return answers[-1].start, answers[-1].end
    finish = text.rfind("Finish[")
    if finish >= 0:
        span = _bracket(text, finish + len("Finish["))
        if span[0] < span[1]:
            return span
    return answer_after(text, 0, len(text))


def answer_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The answer after the last "So the answer is" marker in ``text[start:end]``: the rest of that
    line, trimmed, less one trailing period; ``None`` when there is no marker or nothing follows it."""
    marks = list(ANSWER_IS.finditer(text, start, end))
    if not marks:
        return None
    line_end = text.find("\n", marks[-1].end(), end)
    a, b = _strip(text, marks[-1].end(), end if line_end < 0 else line_end)
    if b > a and text[b - 1] == ".":
        a, b = _strip(text, a, b - 1)
    return (a, b) if b > a else None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _step(text: str, start: int, end: int, kind: str) -> list[Step]:
    """A step for the trimmed ``text[start:end]``, or none when it is blank."""
    a, b = _strip(text, start, end)
    return [Step(a, b, kind)] if b > a else []


def _bracket(text: str, start: int) -> tuple[int, int]:
    """The content of a ``Name[`` action opened just before ``start``: up to the last ``]`` on the
    line (brackets may nest: ``Search[High Plains (US) [2]]``), or the line's end when unterminated."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    close = text.rfind("]", start, line_end)
    return _strip(text, start, line_end if close < 0 else close)


def _regions(text: str) -> list[tuple[int, int]]:
    """The assistant turns of a ChatML transcript (each up to the next chat marker), else the whole text."""
    starts = [m.end() for m in _ASSISTANT.finditer(text)]
    if not starts:
        return [(0, len(text))]
    regions = []
    for s in starts:
        mark = _CHAT_MARK.search(text, s)
        regions.append((s, mark.start() if mark else len(text)))
    return regions


def _parse_search_r1(text: str) -> list[Step]:
    steps: list[Step] = []
    for lo, hi in _regions(text):
        pos = lo  # where the untagged text (reasoning) since the last step begins
        opens = [m for m in _TAG.finditer(text, lo, hi) if not m.group(1)]
        for i, m in enumerate(opens):
            if m.start() < pos:
                continue  # a tag quoted inside the previous step
            name = m.group(2)
            close = text.find(f"</{name}>", m.end(), hi)
            same = next((o.start() for o in opens[i + 1 :] if o.group(2) == name), hi)
            if 0 <= close < same:
                end, after = close, close + len(name) + 3
            else:  # unterminated: runs to the next opening tag
                end = after = opens[i + 1].start() if i + 1 < len(opens) else hi
            steps += _gap(text, pos, m.start())
            steps += _step(text, m.end(), end, _TAG_KIND[name])
            pos = after
        steps += _gap(text, pos, hi)
    return steps


def _gap(text: str, start: int, end: int) -> list[Step]:
    """Reasoning steps for the untagged text between tagged steps, split at stray tags."""
    steps: list[Step] = []
    for m in STRUCTURE.finditer(text, start, end):
        steps += _step(text, start, m.start(), "reasoning")
        start = m.end()
    return steps + _step(text, start, end, "reasoning")


def _parse_react(text: str) -> list[Step]:
    labels = list(_REACT_LABEL.finditer(text))
    steps: list[Step] = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        label = m.group(1)
        if label == "Thought":
            steps += _step(text, m.end(), end, "reasoning")
        elif label == "Observation":
            steps += _step(text, m.end(), end, "retrieved")
        elif label == "Action":
            action = _ACTION.match(text, m.end(), end)
            if action:
                a, b = _bracket(text, action.end())
                kind = "answer" if action.group(1) == "Finish" else "query"
                steps += _step(text, a, b, kind)
    return steps


def _parse_cot(text: str) -> list[Step]:
    """Line blocks: a labelled line opens a block that runs over the following unlabelled lines; a
    blank line ends a paragraph or question block (a chain, after ``A:``, runs on). Unlabelled text is
    reasoning; the question and ``# METADATA`` lines are structure."""
    blocks: list[tuple[int, int, str]] = []  # content start, end, kind
    kind, start, pos = "reasoning", 0, 0
    for line in text.splitlines(keepends=True):
        label = _COT_LABEL.match(line)
        blank = not line.strip()
        if label or (blank and kind in ("retrieved", "question", "metadata")):
            blocks.append((start, pos, kind))
            if label:
                name = label.group(1)
                kind = "metadata" if name is None else _COT_KIND.get(name, "reasoning")
                start = pos + label.end()
            else:
                kind, start = "reasoning", pos
        pos += len(line)
    blocks.append((start, pos, kind))
    reasoning = [b for b in blocks if b[2] == "reasoning" and ANSWER_IS.search(text, b[0], b[1])]
    steps: list[Step] = []
    for a, b, k in blocks:
        if k in ("question", "metadata"):
            continue
        answer = answer_after(text, a, b) if reasoning and (a, b, k) == reasoning[-1] else None
        if answer is None:
            steps += _step(text, a, b, k)
            continue
        mark = list(ANSWER_IS.finditer(text, a, b))[-1]
        line_end = text.find("\n", answer[1], b)
        steps += _step(text, a, mark.start(), k)
        steps.append(Step(*answer, "answer"))
        steps += _step(text, b if line_end < 0 else line_end, b, k)
    return steps
