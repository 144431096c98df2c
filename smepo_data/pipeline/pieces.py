"""Pieces: a shard's files written from its pieces, with the same bytes as the shard run whole.

Shards decide the files a run writes (they depend on the inputs and ``shard_rows`` only), so a small
input is one shard however many workers there are. To keep every worker busy, the executor cuts each
pending shard into pieces (:func:`smepo_data.executors.shards.cut`); every piece is masked on its own into
``OUT/_pieces/NNNNN.PPP/``, and once all pieces of a shard are done :func:`assemble` writes the shard's files
from them, row by row in order, through the same writer and batch size a whole shard uses. The files are
byte for byte those of the shard run whole, and the executor marks the shard done with the pieces' stats
merged. Pieces are not resumable on their own: a run killed midway runs the shard again (they only exist
for small inputs).
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from .._runfolder import RunFolder
from ..executors import Shard
from ..io.readers import parquet_file
from ..io.writer import OUTPUT_SCHEMA, REJECT_SCHEMA, ParquetShardWriter
from ..stats import Stats


def assemble(out: Path, shard: Shard, piece_stats: list[dict[str, Any]], batch_rows: int) -> dict[str, Any]:
    """Write the files of the shard that ``shard`` (a piece) is part of from its finished pieces (their stats
    in order); returns the shard's stats, the pieces' merged."""
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
    for piece in pieces:
        shutil.rmtree(piece.path, ignore_errors=True)
    with contextlib.suppress(OSError):
        run.pieces.rmdir()  # once no other shard's pieces are waiting there
    return stats.to_dict()
