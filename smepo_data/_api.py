"""Mask one example: find spans, render, audit, and escalate while the audit still finds a leak."""

from __future__ import annotations

from typing import Any

from ._domains import get_domain
from ._model import Example, MaskResult, check_text
from ._render import PLACEHOLDER_STYLES, render


def audit_trace(example: Example, masked: str) -> str | None:
    """The leak audit: what in ``masked`` still gives ``example.answer`` away, or ``None``.

    The one place the audit is asked: the masker's escalation loop below and the dataset audit
    (:mod:`smepo_data.audit`) both come here, so a trace the pipeline wrote and a trace another tool
    wrote are judged by the same domain verifier.
    """
    return get_domain(example.domain).verifier.leak(example, masked)


def mask_example(example: Example, level: str | None = None, placeholder: str = "typed") -> MaskResult:
    """Mask ``example`` at ``level`` (the domain's default when ``None``).

    When the domain's audit still finds the answer in the masked trace, the example is masked again
    at the next stricter level; if it leaks even at the strictest, ``leak`` says what was found and
    the caller must not use the text as clean. Raises :class:`RowError` for rows that cannot be
    masked (broken LaTeX, an unreadable answer).
    """
    if placeholder not in PLACEHOLDER_STYLES:
        raise ValueError(
            f"unknown placeholder style {placeholder!r}; choose one of {', '.join(PLACEHOLDER_STYLES)}"
        )
    domain = get_domain(example.domain)
    requested = domain.check_level(level)
    for name in ("question", "trace", "answer"):
        check_text(name, getattr(example, name))
    domain.masker.validate(example)
    domain.verifier.validate(example)
    result = None
    for lvl in domain.stricter(requested):
        spans = domain.masker.find_spans(example, lvl)
        text = render(example.trace, spans, placeholder)
        leak = audit_trace(example, text)
        result = MaskResult(text, spans, leak, lvl, requested, placeholder)
        if leak is None:
            break
    assert result is not None
    return result


def mask_text(
    domain: str,
    trace: str,
    *,
    question: str = "",
    answer: str = "",
    level: str | None = None,
    placeholder: str = "typed",
    meta: dict[str, Any] | None = None,
) -> MaskResult:
    """Mask one expert trace.

    >>> q = "48 in April, half as many in May"
    >>> r = mask_text("math", "48/2 = 24, so 48+24 = 72.\\n#### 72", question=q, answer="72")
    >>> r.text
    '48/2 = [NUMBER], so 48+[NUMBER] = [ANSWER].\\n#### [ANSWER]'

    ``r.spans`` lists what was hidden (offsets into ``trace``, with kind and reason); ``r.leak`` is
    ``None`` when the audit found nothing of the answer left.
    """
    for name, value in (("trace", trace), ("question", question), ("answer", answer)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    example = Example("0", domain, question, trace, answer, dict(meta or {}))
    return mask_example(example, level, placeholder)
