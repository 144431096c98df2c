"""The masking pipeline: read rows, build examples, mask and audit, write Parquet, rejects and stats.

    from smepo_data.pipeline import PipelineConfig, run
    stats = run(PipelineConfig(inputs=["gsm8k_train.jsonl"], output="out/gsm8k", preset="gsm8k"))

Every input row ends up in ``OUT/data`` or in ``OUT/rejects`` with a reason; ``stats.json`` checks that
rows in = rows written + rows rejected.

By job: :mod:`.config` (what to mask and how), :mod:`.rows` (rows in and out), :mod:`.budget` (a row's CPU
budget), :mod:`.masking` (a batch of rows masked), :mod:`.shard` (one shard run into the run folder),
:mod:`.pieces` (a shard's files joined from its pieces), :mod:`.resume` (whose a run folder is) and
:mod:`.driver` (:func:`run`). The executor (:mod:`smepo_data.executors`) owns the shard lifecycle: it skips
finished shards, runs the rest and marks each done.
"""

from __future__ import annotations

from .config import PipelineConfig
from .driver import run
from .shard import RunError

__all__ = ["PipelineConfig", "RunError", "run"]
