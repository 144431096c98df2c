"""Mask one example: find spans, render, attack, repair what the attacks blame, escalate if that fails."""

from __future__ import annotations

from typing import Any

from ._domains import Domain, get_domain
from ._leak import Finding
from ._model import Example, MaskResult, RowError, Span, check_text
from ._render import PLACEHOLDER_STYLES, merge_spans, render, to_original

#: rounds of repair at one level before the row is masked again at the next stricter one
MAX_REPAIRS = 6
#: the most repairs tried visible again once a row is clean (one attack pass each), widest first
MAX_SHOWN_AGAIN = 8


def audit_trace(example: Example, masked: str) -> str | None:
    """The leak audit: what in ``masked`` still gives ``example.answer`` away, or ``None``.

    The one place the audit is asked: the masker's repair loop below and the dataset audit
    (:mod:`smepo_data.audit`) both come here, so a trace the pipeline wrote and a trace another tool
    wrote are judged by the same domain attacks.
    """
    found = attack_trace(example, masked)
    return str(found[0]) if found else None


def attack_trace(example: Example, masked: str) -> list[Finding]:
    """Every finding of the domain's recoverability audit on ``masked`` (see :func:`audit_trace`)."""
    return get_domain(example.domain).verifier.attacks(example, masked)


def mask_example(
    example: Example, level: str | None = None, placeholder: str = "typed", keep_wrong_traces: bool = False
) -> MaskResult:
    """Mask ``example`` at ``level`` (the domain's default when ``None``).

    The domain's attacks then try to recover the answer from the masked trace; what they blame is
    hidden too (a *repair*: the operand of a step that computes the answer, a value equal to it, the
    word that names it), up to :data:`MAX_REPAIRS` rounds. Only when a finding cannot be repaired is the
    row masked again at the next stricter level; if it leaks even at the strictest, ``leak`` says what
    was found and the caller must not use the text as clean. Raises :class:`RowError` for rows that
    cannot be masked (broken LaTeX, an unreadable answer) and, unless ``keep_wrong_traces``, for a
    trace whose own final answer is not the gold (``wrong_trace``: a wrong trace is no guidance).
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
    wrong = domain.verifier.wrong_trace(example)
    if wrong is not None and not keep_wrong_traces:
        raise RowError("wrong_trace", wrong)
    result = None
    for lvl in domain.stricter(requested):
        spans = domain.masker.find_spans(example, lvl)
        text, spans, findings = _repaired(domain, example, spans, placeholder)
        leak = str(findings[0]) if findings else None
        result = MaskResult(text, spans, leak, lvl, requested, placeholder, wrong)
        if leak is None:
            break
    assert result is not None
    return result


def _repaired(
    domain: Domain, example: Example, spans: list[Span], placeholder: str
) -> tuple[str, list[Span], list[Finding]]:
    """Render, attack, and hide what the findings blame until nothing is found or nothing more can be
    hidden; the masked text, its spans and what is still found."""
    first = spans
    tidy = getattr(domain.masker, "tidy", None)
    text = render(example.trace, spans, placeholder)
    findings = domain.verifier.attacks(example, text)
    for _ in range(MAX_REPAIRS):
        if not findings:
            break
        extra: list[Span] = []
        for f in findings:
            if not f.located:
                continue
            start, end = to_original(example.trace, spans, placeholder, f.start, f.end)
            if end > start:
                extra.extend(domain.masker.repair(example, spans, start, end, f))
        merged = merge_spans([*spans, *extra])
        if tidy is not None:
            merged = tidy(example, merged)
        if merged == spans:
            break
        spans = merged
        text = render(example.trace, spans, placeholder)
        findings = domain.verifier.attacks(example, text)
    if not findings and spans != first:
        spans = _shown_again(domain, example, first, spans, placeholder)
        text = render(example.trace, spans, placeholder)
    return text, spans, findings


def _shown_again(
    domain: Domain, example: Example, first: list[Span], spans: list[Span], placeholder: str
) -> list[Span]:
    """``spans`` without each span a repair added that the attacks no longer need: repairs are greedy,
    and a later round's cut can make an earlier one (a whole expression, a figure) useless. Only for a
    masker with a ``may_show_again(span)`` that says which repairs to try (widest first, at most
    :data:`MAX_SHOWN_AGAIN`, one more attack pass each), and never a span that overlaps one the masker
    chose itself."""
    may_show_again = getattr(domain.masker, "may_show_again", None)
    if may_show_again is None:
        return spans
    own = [(s.start, s.end) for s in first]
    tried = [s for s in spans if may_show_again(s) and not any(a < s.end and s.start < b for a, b in own)]
    for span in sorted(tried, key=lambda s: (s.start - s.end, s.start))[:MAX_SHOWN_AGAIN]:
        trial = [s for s in spans if s != span]
        if not domain.verifier.attacks(example, render(example.trace, trial, placeholder)):
            spans = trial
    return spans


def mask_text(
    domain: str,
    trace: str,
    *,
    question: str = "",
    answer: str = "",
    level: str | None = None,
    placeholder: str = "typed",
    meta: dict[str, Any] | None = None,
    keep_wrong_traces: bool = False,
) -> MaskResult:
    """Mask one expert trace.

    >>> q = "48 in April, half as many in May"
    >>> r = mask_text("math", "48/2 = 24, so 48+24 = 72.\\n#### 72", question=q, answer="72")
    >>> r.text
    '48/[NUMBER] = [NUMBER], so 48+[NUMBER] = [NUMBER].\\n#### [NUMBER]'

    ``r.spans`` lists what was hidden (offsets into ``trace``, with kind and reason); ``r.leak`` is
    ``None`` when the audit found nothing of the answer left.
    """
    for name, value in (("trace", trace), ("question", question), ("answer", answer)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    example = Example("0", domain, question, trace, answer, dict(meta or {}))
    return mask_example(example, level, placeholder, keep_wrong_traces)
