"""Where an audit finds its fields in a row of any dataset: the column presets, a ``--column`` mapping on
top of them, and reading a field (or the question) from a row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..io.presets import get_path

AUDIT_FIELDS = ("masked_trace", "answer", "question", "trace", "id", "domain", "spans", "guided_prompt")

#: field -> candidate dotted paths, first present wins
AUDIT_PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    # our own output rows (smepo_data.io.writer.OUTPUT_SCHEMA)
    "smepo_data": {
        "masked_trace": ("masked_trace",),
        "answer": ("reward_model.ground_truth", "answer"),
        "question": ("question",),
        "trace": ("trace",),
        "id": ("id",),
        "domain": ("ability",),
        "spans": ("spans",),
        "guided_prompt": ("guided_prompt",),
    },
    # the released SMEPO training data (verl layout): the trace the trainer injects is extra_info.teacher_ds;
    # a top-level teacher_ds is the expert's original trace, as for `smepo-data mask --format smepo` and
    # smepo-train (--column masked_trace=teacher_ds audits a file that keeps its masked trace there)
    "smepo": {
        "masked_trace": ("extra_info.teacher_ds",),
        "trace": ("teacher_ds",),
        "answer": ("reward_model.ground_truth",),
        "question": ("question", "extra_info.question"),
        "id": ("id", "extra_info.id", "extra_info.index"),
        "domain": ("ability",),
    },
}


def resolve_columns(
    first_row: Mapping[str, Any], preset: str = "auto", columns: Mapping[str, str] | None = None
) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The preset name and field -> paths used to read a dataset whose first row is ``first_row``.

    ``columns`` (``field=path``, as on the command line) override the preset's paths field by field."""
    unknown = set(columns or {}) - set(AUDIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; audit fields are {', '.join(AUDIT_FIELDS)}")
    if preset == "auto":
        if get_path(first_row, "masked_trace")[0]:
            preset = "smepo_data"
        elif any(get_path(first_row, p)[0] for p in AUDIT_PRESETS["smepo"]["masked_trace"]):
            preset = "smepo"
        elif columns:
            preset = "columns"
        else:
            raise ValueError(
                f"cannot tell where the masked trace is (columns: {', '.join(sorted(first_row))}); "
                "pass --format smepo_data/smepo or --column masked_trace=COLUMN --column answer=COLUMN"
            )
    if preset != "columns" and preset not in AUDIT_PRESETS:
        raise ValueError(f"unknown audit format {preset!r}; choose one of {', '.join(AUDIT_PRESETS)}")
    paths = dict(AUDIT_PRESETS.get(preset, {}))
    paths.update({k: (v,) for k, v in (columns or {}).items()})
    missing = {"masked_trace", "answer"} - set(paths)
    if missing:
        raise ValueError(f"the column mapping must name {', '.join(sorted(missing))}")
    return preset, paths


def field_value(row: Mapping[str, Any], paths: tuple[str, ...]) -> Any:
    """The value at the first of ``paths`` that ``row`` holds and is not null; None when none is."""
    for path in paths:
        found, value = get_path(row, path)
        if found and value is not None:
            return value
    return None


def row_question(row: Mapping[str, Any], paths: tuple[str, ...]) -> str:
    """The question: its column, else the last user turn of a chat ``prompt`` (verl's layout)."""
    value = field_value(row, paths)
    if isinstance(value, str):
        return value
    prompt = row.get("prompt")
    if isinstance(prompt, list):
        turns = [m.get("content") for m in prompt if isinstance(m, Mapping) and m.get("role") == "user"]
        if turns and isinstance(turns[-1], str):
            return turns[-1]
    return prompt if isinstance(prompt, str) else ""
