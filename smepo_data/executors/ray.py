"""Run shards on Ray (``pip install 'smepo[ray]'``), behind the same interface as the local executor.

    smepo-data mask big.parquet -o out/big --executor ray --workers 8

Connects to the cluster named by ``RAY_ADDRESS`` (or one already initialised in this process), and
otherwise starts a local Ray instance for the run. Each shard is one task asking for half a CPU: on a
small machine, whole-CPU tasks next to Ray's own processes can leave nothing to schedule (the deadlock
DESIGN.md warns about). At most ``workers`` shards run at once. Ray reuses its worker processes, so the
domain models a worker loads stay loaded for its next shards; a worker that dies has its shard retried by
Ray. Shards write their output files themselves, so the output folder must be reachable from every node.
"""

from __future__ import annotations

import os
from typing import Any

from .base import Executor, OnProgress, OnRetry, Results, Work, WorkerDied

#: CPUs each shard task asks Ray for
TASK_CPUS = 0.5


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:
        raise ImportError("the Ray executor needs Ray: pip install 'smepo[ray]'") from e
    return ray


class RayExecutor(Executor):
    """Shards as Ray tasks; ``workers`` of them in flight at once (default: the machine's cores)."""

    #: times Ray starts a task again after its worker process died
    max_retries = 2

    def _map(self, fn: Work, items: list[Any], on_progress: OnProgress, on_retry: OnRetry) -> Results:
        ray = _ray()
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(
                address=os.environ.get("RAY_ADDRESS") or None,
                num_cpus=None if os.environ.get("RAY_ADDRESS") else os.cpu_count(),
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        task = ray.remote(num_cpus=TASK_CPUS, max_retries=self.max_retries, retry_exceptions=False)(fn)
        try:
            queued = list(enumerate(items))
            running: dict[Any, int] = {}
            while queued or running:
                while queued and len(running) < self.workers:
                    key, item = queued.pop(0)
                    running[task.remote(item)] = key
                done, _ = ray.wait(list(running), num_returns=1)
                key = running.pop(done[0])
                try:
                    result = ray.get(done[0])
                except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError) as e:
                    raise WorkerDied(
                        items[key], f"its Ray worker died {self.max_retries + 1} times: {e}"
                    ) from e
                yield items[key], result
        finally:
            if started_here:
                ray.shutdown()
