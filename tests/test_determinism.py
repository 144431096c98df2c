"""What is written never depends on load, worker count or shard size: the masking counts work (sympy
evaluations, equations solved), never time, and the stats add up the same whichever way rows are cut."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq

from smepo_data.pipeline import PipelineConfig, run

from .conftest import SAMPLES

MATH = str(SAMPLES / "math500_sample.jsonl")

#: a busy loop on one core that ends by itself (the suite may share the machine with another run)
HOG = "import time\nend = time.time() + 60\nwhile time.time() < end:\n    pass\n"


def by_id(out):
    return {r["id"]: r for r in pq.read_table(out / "data").to_pylist()}


def without_timings(stats: dict) -> dict:
    return {k: v for k, v in stats.items() if k != "throughput"}


def test_load_workers_and_shard_size_do_not_change_a_byte_of_the_masking(tmp_path):
    quiet, loaded = tmp_path / "quiet", tmp_path / "loaded"
    a = run(PipelineConfig(inputs=[MATH], output=str(quiet), preset="math", shard_rows=1000, workers=1))
    hog = subprocess.Popen([sys.executable, "-c", HOG])
    try:
        b = run(PipelineConfig(inputs=[MATH], output=str(loaded), preset="math", shard_rows=7, workers=2))
    finally:
        hog.kill()
        hog.wait()
    rows_a, rows_b = by_id(quiet), by_id(loaded)
    assert len(rows_a) == a.rows_out > 0 and rows_a == rows_b
    assert without_timings(a.to_dict()) == without_timings(b.to_dict())
    stats_a = json.loads((quiet / "stats.json").read_text())
    stats_b = json.loads((loaded / "stats.json").read_text())
    assert without_timings(stats_a) == without_timings(stats_b)
