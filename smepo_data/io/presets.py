"""Presets: how the rows of a known corpus become examples (which column holds what, and how to
find the gold answer). A column mapping covers any other corpus.

This module is the generic machinery: :class:`Preset`, dotted paths and the text checks. The presets
themselves belong to their domains (``smepo_data/<domain>/presets.py``, listed by each ``DomainSpec``);
:mod:`smepo_data._domains` finds one by name, guesses one from a row or builds one from a column mapping.

Paths are dotted (``reward_model.ground_truth``); a field may list several paths, the first present wins.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._model import Example, RowError, check_text

FIELDS = ("id", "question", "trace", "answer")
MAX_TEXT_CHARS = 200_000


def get_path(row: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    """``(found, value)`` for a dotted path into nested mappings."""
    cur: Any = row
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return False, None
        cur = cur[part]
    return True, cur


@dataclass(frozen=True)
class Preset:
    """``columns``: field -> candidate paths; ``derive``: field -> function computing it from the other
    fields when no column holds it (GSM8K's answer from its ``####`` line); ``meta``: name -> function
    of the row, whose values go into ``Example.meta`` (HotpotQA's bridge titles). ``gold``: how the answer
    value becomes the gold answer (math: what a whole reference solution ends with; ``preset_into`` in
    :mod:`smepo_data._domains` reads a preset into another domain, with that domain's). ``guess``: whether
    a row has this preset's columns (``--format auto``); presets are tried by ``guess_order`` (lower first:
    distinctive columns before generic ones), then in registry order."""

    name: str
    domain: str
    columns: Mapping[str, tuple[str, ...]]
    derive: Mapping[str, Callable[[Mapping[str, Any], dict[str, Any]], str]] = field(default_factory=dict)
    meta: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)
    data_source: str = ""
    description: str = ""
    gold: Callable[[str], str] | None = None
    guess: Callable[[Mapping[str, Any]], bool] | None = None
    guess_order: int = 0

    def to_example(
        self,
        row: Mapping[str, Any],
        *,
        source: str,
        index: int,
        max_chars: int = MAX_TEXT_CHARS,
    ) -> Example:
        """Build an :class:`Example` or raise :class:`RowError` saying exactly what is wrong."""
        fields: dict[str, Any] = {}
        for name in ("question", "trace", "answer", "id"):
            paths = self.columns.get(name, ())
            found = [(p, r[1]) for p in paths if (r := get_path(row, p))[0]]
            hit = next(((p, v) for p, v in found if v is not None), None)
            if hit is None:
                if name in self.derive:
                    fields[name] = _as_text(name, "(derived)", self.derive[name](row, fields), max_chars)
                    continue
                if name == "id":
                    fields["id"] = f"{source.rsplit('/', 1)[-1]}:{index}"
                    continue
                if found:
                    raise RowError("missing_field", f"{name!r} (column {found[0][0]!r}) is null")
                looked = ", ".join(paths) or "(no column mapped)"
                raise RowError("missing_field", f"no {name!r} value (looked for: {looked})")
            fields[name] = _as_text(name, *hit, max_chars)
            if name == "trace" and not fields["trace"].strip():
                raise RowError("empty_trace", "the trace is empty")
        if not fields["answer"].strip():
            raise RowError("unparsable_answer", "the answer is empty")
        if self.gold is not None:
            fields["answer"] = self.gold(fields["answer"])
        return Example(
            fields["id"],
            self.domain,
            fields["question"],
            fields["trace"],
            fields["answer"],
            {"source": source, "index": index, **{k: f(row) for k, f in self.meta.items()}},
        )


def _as_text(name: str, path: str, value: Any, max_chars: int) -> str:
    if name in ("answer", "id") and isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):  # NaN: a reader's missing value
            reason = "unparsable_answer" if name == "answer" else "wrong_type"
            raise RowError(reason, f"{name!r} (column {path!r}) is {value}, not a value")
        value = str(value)
    if not isinstance(value, str):
        raise RowError("wrong_type", f"{name!r} (column {path!r}) is {type(value).__name__}, expected text")
    if len(value) > max_chars:
        raise RowError("too_large", f"{name!r} has {len(value):,} characters (limit {max_chars:,})")
    return check_text(name, value)


def row_value(row: Mapping[str, Any], key: str, kind: type = str) -> Any:
    """``row[key]``, which must be present and a ``kind``; else :class:`RowError` saying which."""
    if row.get(key) is None:
        raise RowError("missing_field", f"no {key!r} value")
    if not isinstance(row[key], kind):
        raise RowError("wrong_type", f"{key!r} is {type(row[key]).__name__}, expected {kind.__name__}")
    return row[key]


#: the released SMEPO schema (mit-han-lab/SMEPO), the same for each of its domains
SMEPO_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "question": ("question", "extra_info.question"),
    "trace": ("teacher_ds", "extra_info.teacher_ds"),
    "answer": ("reward_model.ground_truth",),
    "id": ("id", "extra_info.index"),
}


def smepo_preset(
    name: str,
    domain: str,
    description: str,
    guess_order: int,
    gold: Callable[[str], str] | None = None,
    is_domain: Callable[[Any], bool] = lambda truth: True,
) -> Preset:
    """A preset of the released SMEPO schema for ``domain``: a row with ``teacher_ds`` or ``reward_model``
    columns whose ground truth ``is_domain``."""

    def guess(row: Mapping[str, Any]) -> bool:
        return ("teacher_ds" in row or "reward_model" in row) and is_domain(
            get_path(row, "reward_model.ground_truth")[1]
        )

    return Preset(
        name,
        domain,
        SMEPO_COLUMNS,
        data_source="mit-han-lab/SMEPO",
        description=description,
        gold=gold,
        guess=guess,
        guess_order=guess_order,
    )
