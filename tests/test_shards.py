"""Deterministic shards, the process-pool executor, and resuming a killed run."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smepo_data.executor import plan_shards
from smepo_data.pipeline import PipelineConfig, run

from .conftest import SAMPLES

GSM8K = str(SAMPLES / "gsm8k_sample.jsonl")


def rows(out):
    return pq.read_table(out / "data").to_pylist()


def test_shards_depend_on_inputs_and_shard_rows_only(tmp_path):
    table = pa.Table.from_pylist(
        [json.loads(line) for line in (SAMPLES / "gsm8k_sample.jsonl").read_text().splitlines()]
    )
    pq.write_table(table, tmp_path / "g.parquet", row_group_size=7)
    shards = plan_shards([GSM8K, str(tmp_path / "g.parquet")], 15, None, lambda p: "gsm8k")
    assert [(s.path.rsplit("/", 1)[-1], s.start, s.stop) for s in shards] == [
        ("gsm8k_sample.jsonl", 0, 15),
        ("gsm8k_sample.jsonl", 15, 30),
        ("gsm8k_sample.jsonl", 30, 40),
        ("g.parquet", 0, 15),
        ("g.parquet", 15, 30),
        ("g.parquet", 30, 40),
    ]
    limited = plan_shards([GSM8K, str(tmp_path / "g.parquet")], 15, 50, lambda p: "gsm8k")
    assert [(s.start, s.stop) for s in limited] == [(0, 15), (15, 30), (30, 40), (0, 10)]


def test_two_workers_give_the_same_dataset_as_one(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    s1 = run(PipelineConfig(inputs=[GSM8K], output=str(one), preset="gsm8k", shard_rows=10, workers=1))
    s2 = run(PipelineConfig(inputs=[GSM8K], output=str(two), preset="gsm8k", shard_rows=10, workers=2))
    assert rows(one) == rows(two) and len(rows(one)) == 40
    assert s1.to_dict()["span_kinds"] == s2.to_dict()["span_kinds"]
    assert len(list((two / "_shards").glob("*.json"))) == 4


def test_a_killed_run_resumes_and_ends_with_the_same_dataset(tmp_path):
    full, killed = tmp_path / "full", tmp_path / "killed"
    cfg = dict(inputs=[GSM8K], preset="gsm8k", shard_rows=10)
    expected = run(PipelineConfig(output=str(full), **cfg)).to_dict()
    run(PipelineConfig(output=str(killed), **cfg))
    # what a kill -9 leaves: two shards without their marker, one half-written file, no stats or _SUCCESS
    for name in ("00001", "00003"):
        (killed / "_shards" / f"{name}.json").unlink()
        (killed / "data" / f"part-{name}-00000.parquet").rename(
            killed / "data" / f".part-{name}-00000.parquet.tmp"
        )
    (killed / "stats.json").unlink()
    (killed / "_SUCCESS").unlink()
    resumed = run(PipelineConfig(output=str(killed), **cfg)).to_dict()
    assert rows(killed) == rows(full)
    for key in ("rows_in", "rows_out", "rows_rejected", "span_kinds", "levels_applied", "masked_fraction"):
        assert resumed[key] == expected[key], key
    assert not list((killed / "data").glob(".*.tmp"))


def test_rerunning_with_another_configuration_is_refused(tmp_path):
    run(PipelineConfig(inputs=[GSM8K], output=str(tmp_path), preset="gsm8k"))
    with pytest.raises(FileExistsError, match=r"another configuration \(level differ\)"):
        run(PipelineConfig(inputs=[GSM8K], output=str(tmp_path), preset="gsm8k", level="all"))
    stats = run(
        PipelineConfig(inputs=[GSM8K], output=str(tmp_path), preset="gsm8k", level="all"), overwrite=True
    )
    assert stats.levels == {"all": 40}
