"""Shards: a run cut into deterministic pieces (by file, then by row ranges within a file) that depend
only on the inputs and ``shard_rows``, never on the number of workers, so a rerun makes the same shards
and each shard the same output (:func:`plan_shards`); and the work units that run them (:func:`cut`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..io.readers import MAX_LINE_BYTES, exact_count


@dataclass(frozen=True, slots=True)
class Shard:
    """Rows ``start`` to ``stop`` of input ``path``, read with preset ``preset``."""

    index: int
    path: str
    start: int
    stop: int
    preset: str
    #: a piece of the shard (see :func:`cut`): its number, of ``pieces``; None: the whole shard
    piece: int | None = None
    pieces: int = 1

    @property
    def name(self) -> str:
        return f"{self.index:05d}" if self.piece is None else f"{self.index:05d}.{self.piece:03d}"


def plan_shards(
    inputs: list[str],
    shard_rows: int,
    limit: int | None,
    preset_for: Callable[[str], str],
    max_line_bytes: int = MAX_LINE_BYTES,
) -> list[Shard]:
    """Cut the inputs into shards of at most ``shard_rows`` rows, keeping the first ``limit`` rows."""
    shards: list[Shard] = []
    left = limit
    for path in inputs:
        n = exact_count(path, max_line_bytes)
        if left is not None:
            n = min(n, left)
            left -= n
        if n == 0:
            continue
        preset = preset_for(path)
        for start in range(0, n, shard_rows):
            shards.append(Shard(len(shards), path, start, min(n, start + shard_rows), preset))
    return shards


def cut(shards: list[Shard], workers: int) -> list[Shard]:
    """The work units for ``shards``: the shards themselves when there are at least ``workers`` of them,
    else each cut into enough pieces (of at least one row) to give every worker one. Pieces keep every
    worker busy on a small input; the pipeline joins their files into their shard's
    (:mod:`smepo_data.pipeline.pieces`)."""
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
