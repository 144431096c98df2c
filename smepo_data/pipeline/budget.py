"""A row's CPU-time budget: :func:`cpu_budget` raises :class:`RowTimeout` in a block that runs past it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class RowTimeout(BaseException):
    """A row used up its CPU-time budget (a BaseException, so no ``except Exception`` in a library on
    the way can swallow it)."""


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RowTimeout` in the block once it has used ``seconds`` of CPU time. It uses the
    virtual timer (SIGVTALRM), so it does not disturb math-verify's wall-clock alarm (SIGALRM); only
    in the main thread, where signals are delivered (a no-op elsewhere)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise RowTimeout(f"used more than {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
