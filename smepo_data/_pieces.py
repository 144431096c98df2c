"""Pieces: more work units than shards when a run has fewer shards than workers, with the same output.

Shards decide the files a run writes (they depend on the inputs and ``shard_rows`` only), so a small
input is one shard however many workers there are. To keep every worker busy, each pending shard is cut
into pieces; every piece is masked on its own into ``OUT/_pieces/NNNNN.PPP/``, and once all pieces of a
shard are done the driver writes the shard's files from them, row by row in order, through the same
writer and batch size a whole shard uses. The files are byte for byte those of the shard run whole, and
the shard's marker carries the pieces' stats merged. Pieces are not resumable on their own: a run killed
midway runs the shard again (they only exist for small inputs).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from ._runfolder import RunFolder, temp_name
from .executors import Shard
from .io.readers import parquet_file
from .io.writer import OUTPUT_SCHEMA, REJECT_SCHEMA, ParquetShardWriter
from .stats import Stats


def cut(shards: list[Shard], workers: int) -> list[Shard]:
    """The work units for ``shards``: the shards themselves when there are at least ``workers`` of them,
    else each cut into enough pieces (of at least one row) to give every worker one."""
    if not shards or len(shards) >= workers:
        return shards
    per = -(-workers // len(shards))
    units: list[Shard] = []
    for s in shards:
        n = min(per, s.stop - s.start)
        if n <= 1:
            units.append(s)
            continue
        rows = s.stop - s.start
        units += [
            replace(s, start=s.start + i * rows // n, stop=s.start + (i + 1) * rows // n, piece=i, pieces=n)
            for i in range(n)
        ]
    return units


def write_marker(out: Path, name: str, stats: dict[str, Any]) -> None:
    """Mark shard ``name`` done: its stats in ``OUT/_shards/NNNNN.json``, written under a temporary name."""
    marker = RunFolder(out).marker(name)
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(marker)
    tmp.write_text(json.dumps(stats))
    os.replace(tmp, marker)


def assemble(out: Path, shard: Shard, piece_stats: list[dict[str, Any]], batch_rows: int) -> dict[str, Any]:
    """Write shard ``shard``'s files from its finished pieces (in order) and its marker; returns its stats."""
    whole = replace(shard, piece=None, pieces=1)
    stats = Stats()
    for s in piece_stats:
        stats.merge(Stats.from_dict(s))
    run = RunFolder(out)
    pieces = [RunFolder(run.pieces / replace(shard, piece=i).name) for i in range(shard.pieces)]
    for i, schema in enumerate((OUTPUT_SCHEMA, REJECT_SCHEMA)):  # data/, then rejects/
        writer = ParquetShardWriter(
            run.outputs[i], schema, prefix=f"part-{whole.name}", batch_rows=batch_rows, rows_per_file=10**12
        )
        for piece in pieces:
            for f in sorted(piece.outputs[i].glob("*.parquet")):
                for batch in parquet_file(f).iter_batches(batch_size=batch_rows):
                    for row in batch.to_pylist():
                        writer.write(row)
        writer.close(empty_file=False)
    done = stats.to_dict()
    write_marker(out, whole.name, done)
    for piece in pieces:
        shutil.rmtree(piece.path, ignore_errors=True)
    with contextlib.suppress(OSError):
        run.pieces.rmdir()  # once no other shard's pieces are waiting there
    return done
