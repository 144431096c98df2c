"""The run driver: plan the shards, take the run folder, have the executor run the shards, then check and
merge what they wrote into the run's stats and ``_SUCCESS``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .._domains import get_domain
from .._runfolder import RunFolder, RunLock, shard_mismatch
from ..executors import Shard, WorkerDied, executor_for, plan_shards
from ..io.readers import read_rows
from ..io.writer import OUTPUT_SCHEMA, REJECT_SCHEMA, ParquetShardWriter
from ..stats import Stats
from .config import PipelineConfig
from .pieces import assemble
from .resume import check_resume, content, refuse_foreign, resolved_config
from .shard import RunError, run_shard


def run(
    cfg: PipelineConfig,
    progress: Callable[[int], None] | None = None,
    overwrite: bool = False,
    events: Callable[[str], None] | None = None,
) -> Stats:
    """Mask every input row into ``cfg.output``; returns the run's :class:`Stats`.

    Shards already complete in ``cfg.output`` (a killed run) are kept and skipped, so running the same
    command again resumes; a different configuration in the same folder is refused. ``progress(rows)``
    hears of rows done as they are done (negative when a shard whose worker died starts again);
    ``events(message)`` of finished shards and retries.
    """
    cfg.check()
    domains: dict[str, str] = {}  # input -> the domain its format (or column mapping) reads into

    def preset_for(path: str) -> str:
        head = read_rows(path, 1, 0, 100, cfg.max_line_bytes)  # the first readable row tells the schema
        first = next((r for r in head if r.data is not None), None)
        preset = cfg.resolve_preset(first.data if first else None)
        domains[path] = preset.domain
        return "columns" if cfg.columns else preset.name

    shards = plan_shards(cfg.inputs, cfg.shard_rows, cfg.limit, preset_for, cfg.max_line_bytes)
    for domain in sorted(set(domains.values())):  # a column mapping's level is checked like a format's
        get_domain(cfg.domain or domain).check_level(cfg.level)
    out = Path(cfg.output)
    if not overwrite:  # before the lock, which would leave its file in a folder that is not ours
        refuse_foreign(out, content(out))
    with RunLock(out):
        return _run_locked(cfg, shards, out, overwrite, progress, events)


def _run_locked(
    cfg: PipelineConfig,
    shards: list[Shard],
    out: Path,
    overwrite: bool,
    progress: Callable[[int], None] | None,
    events: Callable[[str], None] | None,
) -> Stats:
    progress = progress or (lambda rows: None)
    events = events or (lambda message: None)
    resolved = resolved_config(cfg, shards)
    check_resume(out, resolved, overwrite)
    folder = RunFolder(out)
    folder.success.unlink(missing_ok=True)  # a run in progress is never marked finished
    out.mkdir(parents=True, exist_ok=True)
    folder.config.write_text(json.dumps(resolved, indent=2) + "\n")
    started = time.perf_counter()
    try:
        pending = executor_for(cfg.executor, cfg.workers).run_shards(
            partial(run_shard, cfg),
            shards,
            folder,
            partial(assemble, out, batch_rows=cfg.batch_size),
            progress,
            events,
        )
    except WorkerDied as e:
        shard = e.item
        raise RunError(
            f"shard {shard.name} ({shard.path} rows {shard.start}-{shard.stop}): {e}; "
            f"see {folder.log(shard.name)}"
        ) from e
    stats = Stats()
    for shard in shards:
        marker = json.loads(folder.marker(shard.name).read_text())
        if (why := shard_mismatch(out, shard.name, marker)) is not None:
            raise RunError(f"shard {shard.name}: {why}; run the same command again to redo it")
        stats.merge(Stats.from_dict(marker))
    if stats.rows_in != stats.rows_out + stats.rows_rejected or stats.rows_in != sum(
        s.stop - s.start for s in shards
    ):
        raise RunError(
            f"row accounting broke: {stats.rows_in} in, {stats.rows_out} out, {stats.rows_rejected} rejected"
        )
    stats.duplicate_ids, stats.duplicate_id_examples = duplicate_ids(folder.data)
    stats.rows_run = sum(s.stop - s.start for s in pending)
    stats.wall_seconds = time.perf_counter() - started
    # readers want a schema: a folder without rows gets an empty file
    for files, schema in zip(folder.outputs, (OUTPUT_SCHEMA, REJECT_SCHEMA), strict=True):
        if not any(files.glob("*.parquet")) if files.exists() else True:
            ParquetShardWriter(files, schema).close()
    folder.stats.write_text(json.dumps(stats.to_dict(), indent=2) + "\n")
    folder.success.write_text("")
    return stats


def duplicate_ids(data: Path, shown: int = 5) -> tuple[int, list[str]]:
    """How many rows in the Parquet files under ``data`` have an id another row there has too, and the
    first ``shown`` such ids in sorted order. Ids are written as the input gives them; a user joining on
    them (rewards, evaluation) needs to know they are not unique."""
    files = sorted(data.glob("*.parquet")) if data.exists() else []
    if not files:
        return 0, []
    ids = pa.chunked_array([pq.read_table(f, columns=["id"]).column("id") for f in files], pa.string())
    counts = pc.value_counts(ids)
    repeated = pc.filter(counts, pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return 0, []
    return pc.sum(repeated.field("counts")).as_py(), sorted(repeated.field("values").to_pylist())[:shown]
