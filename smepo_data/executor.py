"""Shards and the executors that run them.

A run is cut into deterministic shards (by file, then by row ranges within a file) that depend only on
the inputs and ``shard_rows``, never on the number of workers, so a rerun makes the same shards and each
shard the same output. The local executor runs shards on a process pool (spawn, not fork); each worker
process loads a domain's models once and keeps them for every shard it runs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from .io.readers import exact_count


@dataclass(frozen=True, slots=True)
class Shard:
    """Rows ``start`` to ``stop`` of input ``path``, read with preset ``preset``."""

    index: int
    path: str
    start: int
    stop: int
    preset: str

    @property
    def name(self) -> str:
        return f"{self.index:05d}"


def plan_shards(
    inputs: list[str], shard_rows: int, limit: int | None, preset_for: Callable[[str], str]
) -> list[Shard]:
    """Cut the inputs into shards of at most ``shard_rows`` rows, keeping the first ``limit`` rows."""
    shards: list[Shard] = []
    left = limit
    for path in inputs:
        n = exact_count(path)
        if left is not None:
            n = min(n, left)
            left -= n
        if n == 0:
            continue
        preset = preset_for(path)
        for start in range(0, n, shard_rows):
            shards.append(Shard(len(shards), path, start, min(n, start + shard_rows), preset))
    return shards


class LocalExecutor:
    """Runs ``fn(item)`` for each item, on ``workers`` processes (in this process when 1), and yields
    ``(item, result)`` as each finishes."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)

    def run(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        items = list(items)
        if self.workers == 1 or len(items) <= 1:
            for item in items:
                yield item, fn(item)
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(self.workers, len(items)), mp_context=context) as pool:
            futures = {pool.submit(fn, item): item for item in items}
            for future in as_completed(futures):
                yield futures[future], future.result()
