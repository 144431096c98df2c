"""Running one shard (or a piece of one): its rows read, masked and written into the run folder, with its
log. Marking it done is the executor's (:meth:`smepo_data.executors.Executor.run_shards`)."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from .._domains import DEFAULT_DOMAIN, column_preset, find_preset, preset_into
from .._runfolder import RunFolder
from ..executors import Shard, report
from ..io.readers import read_rows
from ..io.writer import OUTPUT_SCHEMA, REJECT_SCHEMA, ParquetShardWriter
from ..stats import Stats
from .config import PipelineConfig
from .masking import process_batch


class RunError(RuntimeError):
    """The run could not finish: a shard kept killing its worker, or the rows did not add up."""


def run_shard(cfg: PipelineConfig, shard: Shard) -> dict[str, Any]:
    """Mask one shard into ``OUT/data`` and ``OUT/rejects`` (temporary names, renamed when complete) and
    return its stats, which the executor writes as its completion marker ``OUT/_shards/NNNNN.json``. A piece
    of a shard (:mod:`.pieces`) goes to ``OUT/_pieces/NNNNN.PPP/`` instead."""
    named = (
        column_preset(cfg.columns, cfg.domain or DEFAULT_DOMAIN) if cfg.columns else find_preset(shard.preset)
    )
    preset = preset_into(named, cfg.domain)
    domain = cfg.domain or preset.domain
    shard_cfg = replace(cfg, domain=domain)
    data_source = cfg.data_source or preset.data_source or preset.name
    run_folder = RunFolder(cfg.output)
    into, prefix = (
        (run_folder, f"part-{shard.name}")
        if shard.piece is None
        else (RunFolder(run_folder.pieces / shard.name), "part")
    )
    data = ParquetShardWriter(
        into.data, OUTPUT_SCHEMA, prefix=prefix, batch_rows=cfg.batch_size, rows_per_file=10**12
    )
    rejects = ParquetShardWriter(
        into.rejects, REJECT_SCHEMA, prefix=prefix, batch_rows=cfg.batch_size, rows_per_file=10**12
    )
    stats = Stats()
    start = time.perf_counter()
    with ShardLog(run_folder.log(shard.name)) as log:
        log.write(f"start {shard.path} rows {shard.start}-{shard.stop} pid {os.getpid()} domain {domain}")
        rows = read_rows(shard.path, cfg.batch_size, shard.start, shard.stop, cfg.max_line_bytes)
        try:
            while batch := list(islice(rows, cfg.batch_size)):
                for where, row in process_batch(batch, preset, shard_cfg, data_source):
                    if where == "out":
                        data.write(row)
                        stats.add_output(row)
                    else:
                        rejects.write(row)
                        stats.add_reject(row["reason"])
                        log.write(f"reject row {row['row_index']} ({row['reason']}): {row['detail'][:200]}")
                report(len(batch))
                rate = stats.rows_in / (time.perf_counter() - start)
                log.write(f"{stats.rows_in}/{shard.stop - shard.start} rows, {rate:,.0f} rows/s")
        except BaseException as e:
            log.write(f"failed: {type(e).__name__}: {e}")
            data.abort()
            rejects.abort()
            raise
        data.close(empty_file=False)
        rejects.close(empty_file=False)
        stats.seconds = time.perf_counter() - start
        if stats.rows_in != shard.stop - shard.start:
            expected = shard.stop - shard.start
            raise RunError(f"shard {shard.name}: read {stats.rows_in} rows, expected {expected}")
        log.write(f"done: {stats.rows_out} written, {stats.rows_rejected} rejected in {stats.seconds:.1f} s")
        return stats.to_dict()


class ShardLog:
    """A shard's log file (``OUT/_logs/NNNNN.log``), started afresh by each attempt at the shard; line
    buffered, so a killed shard's log ends with its last line."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("w", buffering=1)

    def write(self, line: str) -> None:
        self._file.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")

    def __enter__(self) -> ShardLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()
