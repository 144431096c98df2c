"""Masking rows: a batch of input rows in, output or reject rows out, each row within its CPU budget."""

from __future__ import annotations

from typing import Any

from .._api import mask_example
from .._domains import get_domain
from .._model import Example, RowError
from ..io.presets import Preset
from ..io.readers import RawRow
from .budget import RowTimeout, cpu_budget
from .config import PipelineConfig
from .rows import output_row, reject_row, to_example


def mask_row(raw: RawRow, ex: Example, cfg: PipelineConfig, data_source: str) -> tuple[str, dict[str, Any]]:
    """``("out", row)`` or ``("reject", row)`` for one example. Never raises for a bad row; a row that
    runs past ``cfg.row_timeout_s`` of CPU time is rejected with reason ``timeout``."""
    try:
        with cpu_budget(cfg.row_timeout_s):
            result = mask_example(ex, cfg.level, cfg.placeholder, cfg.keep_wrong_traces)
    except RowTimeout as e:
        return "reject", reject_row(raw, "timeout", str(e), ex.id)
    except RowError as e:
        return "reject", reject_row(raw, e.reason, e.detail, ex.id)
    except (RecursionError, MemoryError, ValueError, TypeError, ArithmeticError) as e:
        return "reject", reject_row(raw, "masker_error", f"{type(e).__name__}: {e}", ex.id)
    if result.leak is not None:
        return "reject", reject_row(
            raw, "leak", f"still leaks at level {result.level!r}: {result.leak}", ex.id
        )
    return "out", output_row(ex, result, cfg, data_source)


def process_batch(
    raws: list[RawRow], preset: Preset, cfg: PipelineConfig, data_source: str
) -> list[tuple[str, dict[str, Any]]]:
    """Rows in, output or reject rows out, in order. A masker with a ``prepare`` hook sees the whole
    batch first (the search masker runs spaCy over it with ``nlp.pipe``)."""
    parsed = [(raw, to_example(raw, preset, cfg)) for raw in raws]
    masker = get_domain(cfg.domain or preset.domain).masker
    prepare = getattr(masker, "prepare", None)
    examples = [ex for _, ex in parsed if isinstance(ex, Example)]
    if prepare is not None and examples:
        try:  # the batch's share of the rows' budgets; past it, rows are prepared one by one, each in its own
            with cpu_budget(cfg.row_timeout_s * len(examples)):
                prepare(examples)
        except RowTimeout:
            pass
    return [
        mask_row(raw, ex, cfg, data_source) if isinstance(ex, Example) else ("reject", ex)
        for raw, ex in parsed
    ]
