"""The executors that run a mask run's shards, and the one registry of them (read by the CLI's
``--executor`` choices and the pipeline file's ``executor``).

- ``local`` (:mod:`.local`): a process pool on this machine;
- ``ray`` (:mod:`.ray`, ``pip install 'smepo[ray]'``): Ray tasks, on this machine or a cluster.

Both run the same shards (:mod:`.shards`) behind the same interface (:class:`.base.Executor`), whose
``run_shards`` is the one shard lifecycle (skip finished shards, run the rest, mark each done); work code
reports its progress with :func:`report` under either.
"""

from __future__ import annotations

from .base import Executor, OnProgress, OnRetry, WorkerDied
from .local import LocalExecutor, report
from .ray import RayExecutor
from .shards import Shard, plan_shards

#: executor name -> class (Ray itself is imported only when a Ray run starts)
EXECUTORS: dict[str, type[Executor]] = {"local": LocalExecutor, "ray": RayExecutor}


def executor_for(name: str, workers: int | None) -> Executor:
    """The executor registered as ``name``, running at most ``workers`` items at once."""
    if name not in EXECUTORS:
        raise ValueError(f"unknown executor {name!r}; choose {' or '.join(EXECUTORS)}")
    return EXECUTORS[name](workers)


__all__ = [
    "EXECUTORS",
    "Executor",
    "LocalExecutor",
    "OnProgress",
    "OnRetry",
    "RayExecutor",
    "Shard",
    "WorkerDied",
    "executor_for",
    "plan_shards",
    "report",
]
