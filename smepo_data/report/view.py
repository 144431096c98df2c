"""A run as the report shows it: its stats and configuration, an evenly spread sample of its rows, its
rejects and the rows still carrying a leak. Rows are read with polars (``scan_parquet``), so only the
sample is loaded, however large the run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from .._runfolder import RunFolder

SAMPLE_COLUMNS = ["id", "question", "trace", "masked_trace", "spans", "mask_level", "requested_level",
                  "placeholder", "masked_fraction", "leak"]  # fmt: skip


@dataclass
class RunView:
    """What the page shows of one OUT_DIR."""

    name: str
    path: Path
    config: dict[str, Any]
    stats: dict[str, Any]
    rows: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    leaks: list[dict[str, Any]]
    total_rows: int


def load_view(path: str | Path, sample: int = 50, name: str | None = None) -> RunView:
    """Read an OUT_DIR's stats and configuration, an evenly spread sample of its rows, its rejects and any
    row still carrying a leak."""
    out = Path(path)
    folder = RunFolder(out)
    if not folder.stats.exists():
        raise FileNotFoundError(f"{out}: no {folder.stats.name} (not a finished `smepo-data mask` output)")
    config = folder.read_config() if folder.config.exists() else {}
    stats = folder.read_stats()
    data = [str(f) for f in folder.data_files()]
    lazy = pl.scan_parquet(data)
    total = lazy.select(pl.len()).collect().item()
    if sample < 0:
        raise ValueError(f"--sample must be >= 0, got {sample}")
    picks = sorted({i * total // sample for i in range(sample)}) if sample and total else []  # evenly spread
    rows = (
        lazy.with_row_index("_row")
        .filter(pl.col("_row").is_in(picks))
        .select(["_row", *SAMPLE_COLUMNS])
        .collect()
        .to_dicts()
    )
    leaks = lazy.filter(pl.col("leak").is_not_null()).select(["id", "leak"]).head(200).collect().to_dicts()
    reject_files = [str(f) for f in folder.reject_files()]
    rejects = (
        pl.scan_parquet(reject_files)
        .select(["id", "row_index", "reason", "detail"])
        .head(200)
        .collect()
        .to_dicts()
        if reject_files
        else []
    )
    title = name or f"{config.get('domain', '?')}: {out.name}"
    return RunView(title, out, config, stats, rows, rejects, leaks, total)
