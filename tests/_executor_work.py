"""Work functions for the executor tests: importable by spawned worker processes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from smepo_data.executors import Shard, report


def square(item: tuple[str, int]) -> int:
    """Reports progress, then works on a little (long enough for the driver to hear of it)."""
    _, i = item
    report(1)
    time.sleep(0.5)
    return i * i


def die_once(item: tuple[str, int]) -> int:
    """Kills its own process the first time it runs item 2 (as the OOM killer or a segfault would)."""
    folder, i = item
    marker = Path(folder) / f"{i}.died"
    report(1)
    if i == 2 and not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return i * i


def always_die(item: tuple[str, int]) -> int:
    _, i = item
    if i == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return i


def die_beside_a_slow_item(item: tuple[str, int]) -> int:
    """Item 1 kills its worker while item 0, in the other worker, is still running."""
    _, i = item
    report(0)
    time.sleep(1.0 if i == 0 else 0.3)
    if i == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return i


def empty_shard(shard: Shard) -> dict[str, int]:
    """A shard's work that writes no rows: leaves ``NAME.ran`` beside its input, returns its stats."""
    (Path(shard.path).parent / f"{shard.name}.ran").touch()
    report(shard.stop - shard.start)
    return {"rows_in": shard.stop - shard.start, "rows_out": 0, "rows_rejected": 0}
