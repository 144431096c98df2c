"""Deterministic shards, the process-pool executor, and resuming a killed run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


# --- real kills: the CLI in a subprocess, SIGKILL from outside ---------------------------------------


def _corpus(path, n):
    source = [json.loads(line) for line in (SAMPLES / "gsm8k_sample.jsonl").read_text().splitlines()]
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps(dict(source[i % len(source)], id=f"row-{i:05d}")) + "\n")
    return path


def _mask_cmd(src, out):
    return [sys.executable, "-m", "smepo_data.cli", "mask", str(src), "-o", str(out), "--format", "gsm8k"]


WIDE = dict(os.environ, COLUMNS="200")  # the summary table unwrapped


def _start(cmd):
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=WIDE
    )


def _wait_for_markers(proc, out, n, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before {n} shards were done: {proc.communicate()[0]!r}")
        if len(list((out / "_shards").glob("*.json"))) >= n if (out / "_shards").exists() else False:
            return
        time.sleep(0.05)
    raise AssertionError("no progress")


def _by_id(out):
    return {r["id"]: r for r in pq.read_table(out / "data").to_pylist()}


def _stable(stats):
    return {k: v for k, v in stats.items() if k != "throughput"}


def test_kill_9_of_the_whole_run_then_the_same_command_gives_the_same_dataset(tmp_path):
    src = _corpus(tmp_path / "corpus.jsonl", 3000)
    args = ["--shard-rows", "100", "--workers", "2", "-q"]
    full, killed = tmp_path / "full", tmp_path / "killed"
    subprocess.run(_mask_cmd(src, full) + args, check=True, capture_output=True)
    proc = _start(_mask_cmd(src, killed) + args)
    _wait_for_markers(proc, killed, 6)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, as a crash or an OOM kill would
    proc.communicate()
    done = len(list((killed / "_shards").glob("*.json")))
    assert not (killed / "_SUCCESS").exists() and 6 <= done < 30
    again = subprocess.run(_mask_cmd(src, killed) + args, capture_output=True, text=True, env=WIDE)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "rows in" in again.stdout and "done by an earlier run" in again.stdout
    expected, resumed = _by_id(full), _by_id(killed)
    assert len(expected) == 3000 and resumed == expected
    stats = [json.loads((o / "stats.json").read_text()) for o in (full, killed)]
    assert _stable(stats[0]) == _stable(stats[1])
    assert stats[1]["throughput"]["rows_this_run"] == 3000 - 100 * done
    assert not list((killed / "data").glob(".*.tmp")) and not list((killed / "rejects").glob(".*.tmp"))


def _workers_of(pid):
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(k) for k in kids if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()]


def test_a_killed_worker_is_reported_its_shard_retried_and_the_run_completes(tmp_path):
    src = _corpus(tmp_path / "corpus.jsonl", 3000)
    args = ["--shard-rows", "100", "--workers", "2"]
    full, hit = tmp_path / "full", tmp_path / "hit"
    subprocess.run(_mask_cmd(src, full) + args + ["-q"], check=True, capture_output=True)
    proc = _start(_mask_cmd(src, hit) + args)
    _wait_for_markers(proc, hit, 4)
    workers = _workers_of(proc.pid)
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)
    output = proc.communicate(timeout=300)[0].decode()
    assert proc.returncode == 0, output
    assert "worker process died while running it (attempt 1 of 3); retrying" in output
    assert _by_id(hit) == _by_id(full)
    assert json.loads((hit / "stats.json").read_text())["rows_out"] == 3000
