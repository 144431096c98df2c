"""Rows in and out: an input row as an :class:`Example` (or its reject row), a masked example as an output
row, a refused row as a reject row."""

from __future__ import annotations

from typing import Any

from .._model import Example, MaskResult, RowError
from ..guidance import guided_messages
from ..io.presets import Preset
from ..io.readers import RawRow
from ..io.writer import row_json
from .config import PipelineConfig


def output_row(ex: Example, result: MaskResult, cfg: PipelineConfig, data_source: str) -> dict[str, Any]:
    """One output row: verl's columns, TRL's conversational prompt, the guided prompt (the masked trace
    placed as smepo-train places it, per ``cfg``'s guidance settings) and the masking record."""
    prompt = [{"role": "user", "content": ex.question}]
    return {
        "data_source": data_source,
        "prompt": prompt,
        "guided_prompt": guided_messages(
            prompt, result.text, position=cfg.guidance_position, prefix_ratio=cfg.prefix_ratio
        ),
        "ability": ex.domain,
        "reward_model": {"style": "rule", "ground_truth": ex.answer},
        "extra_info": {
            "index": ex.meta.get("index"),
            "split": cfg.split,
            "id": ex.id,
            "source": ex.meta.get("source"),
            "teacher_ds": result.text,
        },
        "id": ex.id,
        "question": ex.question,
        "trace": ex.trace,
        "masked_trace": result.text,
        "spans": [s.to_dict() for s in result.spans],
        "mask_level": result.level,
        "requested_level": result.requested_level,
        "placeholder": result.placeholder,
        "masked_fraction": result.masked_fraction(ex.trace),
        "leak": result.leak,
        "wrong_trace": result.wrong_trace,
    }


def reject_row(raw: RawRow, reason: str, detail: str, example_id: str | None = None) -> dict[str, Any]:
    return {
        "source": raw.source,
        "row_index": raw.index,
        "id": example_id,
        "reason": reason,
        "detail": detail,
        "row": row_json(raw.data) if raw.data is not None else (raw.raw or ""),
    }


def to_example(raw: RawRow, preset: Preset, cfg: PipelineConfig) -> Example | dict[str, Any]:
    """The row as an :class:`Example`, or its reject row."""
    if raw.data is None:
        return reject_row(raw, raw.reason, raw.error or "unreadable")
    try:
        return preset.to_example(raw.data, source=raw.source, index=raw.index, max_chars=cfg.max_chars)
    except RowError as e:
        return reject_row(raw, e.reason, e.detail)
    except RecursionError:
        return reject_row(raw, "too_deep", "a value nested too deeply to read")
