"""Shards and the executors that run them.

A run is cut into deterministic shards (by file, then by row ranges within a file) that depend only on
the inputs and ``shard_rows``, never on the number of workers, so a rerun makes the same shards and each
shard the same output. The local executor runs shards on a process pool (spawn, not fork); each worker
process loads a domain's models once and keeps them for every shard it runs. A worker that dies (killed,
out of memory, a crash in native code) is reported and its shard retried in a fresh pool. The Ray executor
(:mod:`smepo_data.ray_executor`, an optional extra) runs the same shards behind the same interface.

Work code reports progress with :func:`report` (rows done); the executor forwards it to the driver.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .io.readers import MAX_LINE_BYTES, exact_count


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


OnProgress = Callable[[Any, int], None]
OnRetry = Callable[[Any, str], None]


class Executor:
    """Runs ``fn(item)`` for each item on at most ``workers`` at once (default: the machine's cores) and
    yields ``(item, result)`` as each finishes (in any order).

    ``on_progress(item, rows)`` is called in the driver as work reports rows done (executors that cannot
    forward it call it never; the caller tops up when the item finishes); ``on_retry(item, reason)`` when
    an item is started again after its worker died (rows reported for it before no longer count).
    """

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)

    def run(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Any],
        on_progress: OnProgress | None = None,
        on_retry: OnRetry | None = None,
    ) -> Iterator[tuple[Any, Any]]:
        raise NotImplementedError


class WorkerDied(RuntimeError):
    """An item killed its worker more often than the executor retries; ``item`` is that item."""

    def __init__(self, item: Any, message: str):
        super().__init__(message)
        self.item = item


# progress from work code to the driver: a queue in pool workers, a callback in process
_queue: Any = None
_direct: Callable[[Any, int], None] | None = None
_current: Any = None


def report(rows: int) -> None:
    """Tell the driver that ``rows`` more rows of the current item are done (a no-op outside executors)."""
    if _current is None:
        return
    if _queue is not None:
        _queue.put((_current, rows))
    elif _direct is not None:
        _direct(_current, rows)


def _init_worker(q: Any, driver: int) -> None:
    import signal

    global _queue
    _queue = q
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle: it stops the workers
    die_with(driver)


def die_with(driver: int) -> None:
    """Have the kernel kill this process when its parent (the driver, pid ``driver``) dies, however it
    dies (``kill -9``, the OOM killer): an orphaned worker would go on writing into the run folder.
    Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere a no-op."""
    import ctypes
    import ctypes.util
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    pr_set_pdeathsig = 1
    if libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != driver:  # the driver died before the line above: no signal will come
        os._exit(1)


def _call(fn: Callable[[Any], Any], key: Any, item: Any) -> Any:
    global _current
    _current = key
    report(0)  # "started": tells the driver which items were running if the worker dies
    try:
        return fn(item)
    finally:
        _current = None


def executor_for(name: str, workers: int | None) -> Executor:
    """The executor registered as ``name`` (``local`` or ``ray``)."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        from .ray_executor import RayExecutor

        return RayExecutor(workers)
    raise ValueError(f"unknown executor {name!r}; choose local or ray")


class LocalExecutor(Executor):
    """A process pool of ``workers`` spawned processes (the work runs in this process when 1)."""

    #: times an item may be started before a worker death fails the run
    max_attempts = 3

    def run(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Any],
        on_progress: OnProgress | None = None,
        on_retry: OnRetry | None = None,
    ) -> Iterator[tuple[Any, Any]]:
        items = list(items)
        on_progress = on_progress or (lambda item, rows: None)
        if self.workers == 1 or len(items) <= 1:
            yield from self._in_process(fn, items, on_progress)
        else:
            yield from self._pool(fn, items, on_progress, on_retry or (lambda item, reason: None))

    @staticmethod
    def _in_process(fn: Callable[[Any], Any], items: list[Any], on_progress: OnProgress) -> Iterator[Any]:
        global _direct

        def forward(key: int, rows: int) -> None:
            if rows:
                on_progress(items[key], rows)

        _direct = forward
        try:
            for key, item in enumerate(items):
                yield item, _call(fn, key, item)
        finally:
            _direct = None

    def _pool(
        self, fn: Callable[[Any], Any], items: list[Any], on_progress: OnProgress, on_retry: OnRetry
    ) -> Iterator[tuple[Any, Any]]:
        context = multiprocessing.get_context("spawn")
        events = context.SimpleQueue()  # put writes at once (no feeder thread): a worker killed right
        # after reporting has still reported
        pending = set(range(len(items)))

        def forward(key: int, rows: int) -> None:
            on_progress(items[key], rows)

        attempts: Counter[int] = Counter()
        while pending:
            started: set[int] = set()
            pool = ProcessPoolExecutor(
                max_workers=min(self.workers, len(pending)),
                mp_context=context,
                initializer=_init_worker,
                initargs=(events, os.getpid()),
            )
            broken = False
            try:
                with _sigint_ignored():  # the workers, spawned by submit, start with Ctrl-C ignored
                    futures = {
                        pool.submit(_call, fn, (key, attempts[key]), items[key]): key
                        for key in sorted(pending)
                    }
                running = set(futures)
                while running:
                    done, running = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                    _drain(events, pending, attempts, started, forward)
                    for future in sorted(done, key=futures.__getitem__):
                        key = futures[future]
                        try:
                            result = future.result()
                        except BrokenProcessPool:
                            broken = True
                            continue
                        pending.discard(key)
                        yield items[key], result
            except BaseException:  # Ctrl-C, or the caller gave up: stop the workers now, not after their item
                for process in list((pool._processes or {}).values()):
                    process.kill()
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            if broken:
                _drain(events, pending, attempts, started, forward)
                for key in sorted(started & pending or pending):  # the items that were running
                    attempts[key] += 1
                    if attempts[key] >= self.max_attempts:
                        raise WorkerDied(
                            items[key],
                            f"it killed its worker process {attempts[key]} times "
                            "(a signal, running out of memory or a crash in native code)",
                        )
                    on_retry(
                        items[key],
                        f"a worker process died while running it (attempt {attempts[key]} of "
                        f"{self.max_attempts}); retrying",
                    )


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT in the block, so processes started there inherit it ignored from their first
    instruction (a Ctrl-C while a worker starts up would print its traceback); main thread only."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _drain(
    events: Any, pending: set[int], attempts: Counter[int], started: set[int], forward: OnProgress
) -> None:
    """Forward the progress the workers queued; ``(key, attempt)`` tells a live attempt from a dead one."""
    while not events.empty():
        (key, attempt), rows = events.get()
        if key in pending and attempt == attempts[key]:
            started.add(key)
            if rows:
                forward(key, rows)
