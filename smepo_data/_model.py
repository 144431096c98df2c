"""The data model shared by every domain: an example in, spans out, a masked result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Example:
    """One expert trace to mask.

    ``trace`` is the expert's worked solution, ``answer`` the gold answer the reward checks against
    (for code: the tests), ``meta`` anything else a domain needs (entry points, aliases, ...).
    """

    id: str
    domain: str
    question: str
    trace: str
    answer: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A hidden region ``trace[start:end]``.

    ``kind`` says what was hidden and picks the typed placeholder (``number`` -> ``[NUMBER]``);
    ``reason`` says why, in words a reader can check; ``value`` is a canonical key for the hidden
    value, so the ``indexed`` placeholder style gives equal values the same blank.
    """

    start: int
    end: int
    kind: str
    reason: str
    value: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(
            int(d["start"]), int(d["end"]), str(d["kind"]), str(d["reason"]), str(d.get("value") or "")
        )


@dataclass(frozen=True, slots=True)
class MaskResult:
    """What :func:`smepo_data.mask_text` returns.

    ``text`` is the masked trace, ``spans`` the hidden regions (offsets into the original trace),
    ``leak`` ``None`` when the audit found nothing, else what it found; ``level`` the level that was
    finally applied (stricter than the one asked for when the audit forced an escalation).
    """

    text: str
    spans: list[Span]
    leak: str | None
    level: str
    requested_level: str
    placeholder: str
    #: why the trace's own answer is not the gold, when the caller asked to keep wrong traces
    wrong_trace: str | None = None

    @property
    def repairs(self) -> list[str]:
        """The attacks whose findings the masker repaired (one entry per span it added)."""
        return [a for s in self.spans if (a := repaired_by(s.reason))]

    @property
    def escalated(self) -> bool:
        return self.level != self.requested_level

    def masked_fraction(self, trace: str) -> float:
        """Share of the original trace's characters that are hidden."""
        if not trace:
            return 0.0
        return sum(s.end - s.start for s in self.spans) / len(trace)


#: how the reason of a span added by a repair starts: ``audit (<attack>): <detail>``
REPAIR_PREFIX = "audit ("


def repair_reason(attack: str, detail: str, limit: int = 240) -> str:
    """The reason of a span a repair adds: ``audit (<attack>): <detail>``, clipped to ``limit``."""
    reason = f"{REPAIR_PREFIX}{attack}): {detail}"
    return reason if len(reason) <= limit else reason[: limit - 3] + "..."


def repaired_by(reason: str) -> str | None:
    """The attack a span was hidden for, when a repair added it (its reason ``audit (<attack>): ...``)."""
    return reason[len(REPAIR_PREFIX) : reason.index(")")] if reason.startswith(REPAIR_PREFIX) else None


class RowError(ValueError):
    """A row that cannot be masked; it goes to the rejects with ``reason`` (a short code such as
    ``missing_field`` or ``unparsable_answer``) and ``detail`` (what exactly was wrong)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


#: deepest bracket nesting a text may have (real LaTeX and code stay far below; parsers recurse on it)
MAX_NESTING = 200

_BRACKETS = {"{": "}", "(": ")", "[": "]"}


def check_text(name: str, value: str) -> str:
    """``value`` if it is text every domain can mask: no NUL byte, no lone surrogate (invalid UTF-8),
    brackets nested at most :data:`MAX_NESTING` deep; else :class:`RowError` (``invalid_text``,
    ``too_deep``)."""
    if "\x00" in value:
        raise RowError("invalid_text", f"{name!r} contains a NUL byte")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise RowError("invalid_text", f"{name!r} is not valid Unicode (lone surrogate at {e.start})") from e
    for open_, close in _BRACKETS.items():
        if value.count(open_) > MAX_NESTING and (depth := _nesting(value, open_, close)) > MAX_NESTING:
            raise RowError("too_deep", f"{name!r} nests {open_!r} {depth:,} deep (limit {MAX_NESTING})")
    return value


def _nesting(text: str, open_: str, close: str) -> int:
    depth = deepest = 0
    for m in re.finditer(re.escape(open_) + "|" + re.escape(close), text):
        depth = depth + 1 if m.group() == open_ else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest
