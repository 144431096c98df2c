"""What every executor is: it runs work items on workers and yields the results as they finish."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

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
