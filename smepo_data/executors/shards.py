"""Shards: a run cut into deterministic pieces (by file, then by row ranges within a file) that depend
only on the inputs and ``shard_rows``, never on the number of workers, so a rerun makes the same shards
and each shard the same output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..io.readers import MAX_LINE_BYTES, exact_count


@dataclass(frozen=True, slots=True)
class Shard:
    """Rows ``start`` to ``stop`` of input ``path``, read with preset ``preset``."""

    index: int
    path: str
    start: int
    stop: int
    preset: str
    #: a piece of the shard (see :mod:`smepo_data._pieces`): its number, of ``pieces``; None: the whole shard
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
