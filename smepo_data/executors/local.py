"""The local executor: shards on a process pool (spawn, not fork); each worker process loads a domain's
models once and keeps them for every shard it runs. A worker that dies (killed, out of memory, a crash in
native code) is reported and its shard retried in a fresh pool.

Work code reports progress with :func:`report` (rows done); the executor forwards it to the driver.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from .base import Executor, OnProgress, OnRetry, Results, Work, WorkerDied

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


def _call(fn: Work, key: Any, item: Any) -> Any:
    global _current
    _current = key
    report(0)  # "started": tells the driver which items were running if the worker dies
    try:
        return fn(item)
    finally:
        _current = None


class LocalExecutor(Executor):
    """A process pool of ``workers`` spawned processes (the work runs in this process when 1)."""

    #: times an item may be started before a worker death fails the run
    max_attempts = 3

    def _map(self, fn: Work, items: list[Any], on_progress: OnProgress, on_retry: OnRetry) -> Results:
        if self.workers == 1 or len(items) <= 1:
            yield from self._in_process(fn, items, on_progress)
        else:
            yield from self._pool(fn, items, on_progress, on_retry)

    @staticmethod
    def _in_process(fn: Work, items: list[Any], on_progress: OnProgress) -> Results:
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

    def _pool(self, fn: Work, items: list[Any], on_progress: OnProgress, on_retry: OnRetry) -> Results:
        context = multiprocessing.get_context("spawn")
        events = context.SimpleQueue()  # put writes at once (no feeder thread): a worker killed right
        # after reporting has still reported
        pending = set(range(len(items)))

        def forward(key: int, rows: int) -> None:
            on_progress(items[key], rows)

        attempts: Counter[int] = Counter()
        # items that were running together when a worker died: any of them may have killed it, so they
        # run again one at a time, and only an item that was running alone is charged with a death
        suspects: set[int] = set()
        while pending:
            started: set[int] = set()
            batch = sorted(suspects & pending or pending)
            pool = ProcessPoolExecutor(
                max_workers=1 if suspects & pending else min(self.workers, len(batch)),
                mp_context=context,
                initializer=_init_worker,
                initargs=(events, os.getpid()),
            )
            broken = False
            try:
                with _sigint_ignored():  # the workers, spawned by submit, start with Ctrl-C ignored
                    futures = {pool.submit(_call, fn, (key, attempts[key]), items[key]): key for key in batch}
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
                dying = sorted(started & pending) or [k for k in batch if k in pending]  # were running
                alone = len(dying) == 1
                for key in dying:
                    if alone:
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
                        f"{self.max_attempts}); retrying"
                        if alone
                        else "a worker process died while it and others ran; retrying them one at a time",
                    )
                suspects = (suspects | set(dying)) & pending
            else:
                suspects &= pending


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
