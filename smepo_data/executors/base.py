"""What every executor is: it maps a function over work items on its workers (:meth:`Executor.run`), and it
owns a run's shard lifecycle (:meth:`Executor.run_shards`), as datatrove's executors own their ranks: skip
the shards the run folder marks finished, run the rest, mark each done once its files are written."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .._runfolder import RunFolder, clear_shards, done_shards, remove_temporaries
from .shards import Shard, cut

OnProgress = Callable[[Any, int], None]
OnRetry = Callable[[Any, str], None]
#: the work on one item, run on a worker
Work = Callable[[Any], Any]
#: ``(item, result)`` as each item finishes
Results = Iterator[tuple[Any, Any]]
#: a shard's (or a piece's) work: writes its files into the run folder, returns its stats (a dict)
ShardWork = Callable[[Shard], dict[str, Any]]
#: writes a shard's files from its finished pieces, given their stats in order; returns the shard's stats
JoinPieces = Callable[[Shard, list[dict[str, Any]]], dict[str, Any]]


class Executor:
    """Runs work items on at most ``workers`` at once (default: the machine's cores). A subclass says how,
    in :meth:`_map`; everything else (the call, the shard lifecycle) is this class's, shared by all."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)

    def run(
        self,
        fn: Work,
        items: Iterable[Any],
        on_progress: OnProgress | None = None,
        on_retry: OnRetry | None = None,
    ) -> Results:
        """Run ``fn(item)`` for each item and yield ``(item, result)`` as each finishes (in any order).

        ``on_progress(item, rows)`` is called in the driver as work reports rows done (executors that cannot
        forward it call it never; the caller tops up when the item finishes); ``on_retry(item, reason)`` when
        an item is started again after its worker died (rows reported for it before no longer count). An
        item that kills its worker more often than the executor retries raises :class:`WorkerDied`.
        """
        yield from self._map(
            fn, list(items), on_progress or (lambda item, rows: None), on_retry or (lambda item, reason: None)
        )

    def _map(self, fn: Work, items: list[Any], on_progress: OnProgress, on_retry: OnRetry) -> Results:
        raise NotImplementedError

    def run_shards(
        self,
        work: ShardWork,
        shards: list[Shard],
        folder: RunFolder,
        join: JoinPieces,
        progress: Callable[[int], None],
        events: Callable[[str], None],
    ) -> list[Shard]:
        """Run a run's ``shards`` into ``folder`` (whose lock the caller holds); returns those that ran.

        What killed runs left half-written goes first; a shard whose marker is there and matches its files is
        finished and skipped (a marker that does not match is dropped and its shard runs again); a shard about
        to run starts from no file of its own. The rest run as ``work(shard)``, cut into pieces when there are
        fewer of them than workers (``join`` writes a shard's files from its pieces), and each is marked done
        with its stats (:meth:`RunFolder.mark_done`) once its files are written: a whole shard by its worker,
        a shard in pieces by the driver after ``join``. ``progress(rows)`` hears of rows done (negative when a
        shard whose worker died starts again); ``events(message)`` of skipped, finished and retried shards.
        """
        remove_temporaries(folder.path)
        done = done_shards(folder.path, [s.name for s in shards], events)
        pending = [s for s in shards if s.name not in done]
        clear_shards(folder.path, [s.name for s in pending])
        if len(pending) < len(shards):
            progress(sum(s.stop - s.start for s in shards if s.name in done))
            events(f"resuming: {len(shards) - len(pending)} of {len(shards)} shards already done")
        reported: dict[str, int] = {}

        def on_progress(job: _Job, rows: int) -> None:
            reported[job[2].name] = reported.get(job[2].name, 0) + rows
            progress(rows)

        def on_retry(job: _Job, reason: str) -> None:
            shard = job[2]
            progress(-reported.pop(shard.name, 0))
            events(f"shard {shard.name} ({shard.path} rows {shard.start}-{shard.stop}): {reason}")

        jobs = [(work, str(folder.path), unit) for unit in cut(pending, self.workers)]
        pieces: dict[int, dict[int, dict[str, Any]]] = {}
        try:
            for (_, _, shard), shard_stats in self.run(_run_and_mark, jobs, on_progress, on_retry):
                progress(shard.stop - shard.start - reported.pop(shard.name, 0))
                if shard.piece is not None:
                    piece_stats = pieces.setdefault(shard.index, {})
                    piece_stats[shard.piece] = shard_stats
                    if len(piece_stats) < shard.pieces:
                        continue
                    shard_stats = join(shard, [piece_stats[i] for i in sorted(piece_stats)])
                    shard = replace(shard, piece=None, pieces=1)
                    folder.mark_done(shard.name, shard_stats)
                events(
                    f"shard {shard.name} done: {shard_stats['rows_out']:,} written, "
                    f"{shard_stats['rows_rejected']:,} rejected"
                )
        except WorkerDied as e:
            raise WorkerDied(e.item[2], str(e)) from e
        return pending


_Job = tuple[ShardWork, str, Shard]


def _run_and_mark(job: _Job) -> dict[str, Any]:
    """Run one shard or piece on a worker; a whole shard is marked done there, once its files are written."""
    work, folder, shard = job
    stats = work(shard)
    if shard.piece is None:
        RunFolder(Path(folder)).mark_done(shard.name, stats)
    return stats


class WorkerDied(RuntimeError):
    """An item killed its worker more often than the executor retries; ``item`` is that item (the shard,
    from :meth:`Executor.run_shards`)."""

    def __init__(self, item: Any, message: str):
        super().__init__(message)
        self.item = item
