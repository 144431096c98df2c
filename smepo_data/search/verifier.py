"""The search verifier: the trainer's reward and the leak audit's judge for multi-hop QA traces.

``score`` asks "does this completion's final answer match the gold answer or an alias?" (SQuAD exact
match); ``leak`` asks "would this masked trace alone earn that reward, or does it still name the
answer?". Both read the final answer the same way (:func:`smepo_data.search._trace.final_answer`), so a
masked trace that passes the audit gives the policy no answer the reward would accept.
"""

from __future__ import annotations

import re

from .._model import Example
from ._trace import STRUCTURE, final_answer
from .answers import exact_match, find_mentions, normalize_answer, parse_answers, token_f1

#: placeholders a masker renders (``[ANSWER]``, ``[ENTITY]``, ``[BLANK_3]``): never part of an answer
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
#: answers that are ordinary words: a "no" in prose does not give a yes/no answer away
_COMMON_WORDS = frozenset({"yes", "no"})


class SearchVerifier:
    """Reward and leak audit for search QA answers (a plain string or ``{"answers": [...]}``)."""

    def extract_answer(self, completion: str) -> str | None:
        """The completion's final answer: the last ``<answer>...</answer>``, else the last
        ``Finish[...]``, else what follows the last "So the answer is" / "answer is:"."""
        span = final_answer(completion)
        return completion[span[0] : span[1]] if span else None

    def score(self, completion: str, answer: str) -> float:
        """1.0 when the final answer matches the gold answer or an alias (exact match), else 0.0."""
        answers = parse_answers(answer)
        pred = self.extract_answer(completion)
        return 1.0 if pred is not None and any(exact_match(pred, a) for a in answers) else 0.0

    def f1(self, completion: str, answer: str) -> float:
        """The best token F1 of the final answer against the gold answer and its aliases (0.0 without one)."""
        answers = parse_answers(answer)
        pred = self.extract_answer(completion)
        return 0.0 if pred is None else max(token_f1(pred, a) for a in answers)

    def validate(self, example: Example) -> None:
        """Raise :class:`RowError` (``unparsable_answer``) when the gold answer cannot be read."""
        parse_answers(example.answer)

    def leak(self, example: Example, masked: str) -> str | None:
        """What in ``masked`` still gives the answer away, or ``None``.

        A masked trace leaks when (1) its final answer matches the gold answer or an alias, or (2) an
        answer or alias is still mentioned anywhere (see :func:`find_mentions`), except inside a verbatim
        copy of the question (which the policy sees anyway) and except "yes" / "no" answers, which are
        ordinary words and only leak through (1). Placeholders and tags never match.
        """
        answers = parse_answers(example.answer)
        text = _blank(_PLACEHOLDER, masked)
        span = final_answer(text)
        if span:
            pred = text[span[0] : span[1]]
            gold = next((a for a in answers if exact_match(pred, a)), None)
            if gold is not None:
                return f"the final answer at {span[0]} ({pred!r}) matches the gold answer {gold!r}"
        text = _blank(STRUCTURE, text)  # an answer "Information" is not leaked by <information>
        question = example.question.strip()
        copies = [m.span() for m in re.finditer(re.escape(question), text)] if question else []
        for gold in answers:
            if normalize_answer(gold) in _COMMON_WORDS:
                continue
            for start, end in find_mentions(text, [gold]):
                if not any(a <= start and end <= b for a, b in copies):
                    context = masked[max(0, start - 30) : end + 30]
                    return f"the gold answer {gold!r} is still mentioned at {start}: {context!r}"
        return None


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with every match of ``pattern`` turned into spaces (offsets unchanged)."""
    return pattern.sub(lambda m: " " * len(m.group()), text)
