"""Deterministic shards, the process-pool executor, and resuming a killed run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smepo_data.executors import plan_shards
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


KILL_ARGS = ["--shard-rows", "100", "--workers", "2"]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The 3,000-row corpus and its run without interruption (shared by the kill tests)."""
    tmp = tmp_path_factory.mktemp("uninterrupted")
    src = _corpus(tmp / "corpus.jsonl", 3000)
    subprocess.run(_mask_cmd(src, tmp / "full") + KILL_ARGS + ["-q"], check=True, capture_output=True)
    return src, tmp / "full"


def test_kill_9_of_the_whole_run_then_the_same_command_gives_the_same_dataset(tmp_path, uninterrupted):
    src, full = uninterrupted
    args = [*KILL_ARGS, "-q"]
    killed = tmp_path / "killed"
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


def test_a_killed_worker_is_reported_its_shard_retried_and_the_run_completes(tmp_path, uninterrupted):
    src, full = uninterrupted
    args = KILL_ARGS
    hit = tmp_path / "hit"
    proc = _start(_mask_cmd(src, hit) + args)
    _wait_for_markers(proc, hit, 4)
    workers = _workers_of(proc.pid)
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)
    output = proc.communicate(timeout=300)[0].decode()
    assert proc.returncode == 0, output
    # with the other worker busy, both shards are retried one at a time and neither is charged yet
    assert (
        "a worker process died while it and others ran; retrying them one at a time" in output
        or "a worker process died while running it (attempt 1 of 3); retrying" in output
    ), output
    assert _by_id(hit) == _by_id(full)
    assert json.loads((hit / "stats.json").read_text())["rows_out"] == 3000


def _gone(pids, timeout=30):
    """Whether every process in ``pids`` has ended (a zombie awaiting its reaper counts as ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError):
                continue
            if state != "Z":
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_kill_9_of_the_driver_alone_takes_its_workers_and_the_same_command_resumes(tmp_path, uninterrupted):
    src, full = uninterrupted
    killed = tmp_path / "killed"
    proc = _start(_mask_cmd(src, killed) + KILL_ARGS + ["-q"])
    _wait_for_markers(proc, killed, 4)
    workers = _workers_of(proc.pid)
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)  # the driver only, as the OOM killer would
    proc.communicate()
    assert _gone(workers), "workers outlived their driver"
    done = len(list((killed / "_shards").glob("*.json")))
    assert not (killed / "_SUCCESS").exists() and 4 <= done < 30
    again = subprocess.run(_mask_cmd(src, killed) + KILL_ARGS, capture_output=True, text=True, env=WIDE)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _by_id(killed) == _by_id(full) and len(_by_id(full)) == 3000
    stats = [json.loads((o / "stats.json").read_text()) for o in (full, killed)]
    assert _stable(stats[0]) == _stable(stats[1])
    assert (killed / "_SUCCESS").exists()
    assert not [p for d in ("data", "rejects", "_shards") for p in (killed / d).glob(".*.tmp")]


def test_a_second_run_into_the_same_folder_is_refused_and_the_first_ends_intact(tmp_path, uninterrupted):
    src, full = uninterrupted
    out = tmp_path / "out"
    first = _start(_mask_cmd(src, out) + KILL_ARGS + ["-q"])
    try:
        _wait_for_markers(first, out, 1)
        second = subprocess.run(_mask_cmd(src, out) + KILL_ARGS + ["-q"], capture_output=True, text=True)
        assert first.poll() is None, "the first run ended before the second started: nothing was tested"
        assert second.returncode == 2
        assert second.stderr.strip() == (
            f"smepo-data mask: another run, pid {first.pid}, is writing here ({out})"
        )
        assert first.wait(timeout=300) == 0, first.communicate()[0]
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.communicate()
    assert _by_id(out) == _by_id(full)
    assert _stable(json.loads((out / "stats.json").read_text())) == _stable(
        json.loads((full / "stats.json").read_text())
    )


def test_a_shard_whose_file_does_not_match_its_marker_is_run_again_and_success_waits_for_it(tmp_path):
    cfg = dict(inputs=[GSM8K], preset="gsm8k", shard_rows=10)
    out = tmp_path / "out"
    run(PipelineConfig(output=str(out), **cfg))
    expected = rows(out)
    broken = out / "data" / "part-00002-00000.parquet"
    broken.write_bytes(broken.read_bytes()[:-100])  # a footer cut short, its marker still there
    (out / "_shards" / "00003.json").unlink()  # a shard not done, with a file it does not write
    stray = out / "data" / "part-00003-00001.parquet"
    stray.write_bytes((out / "data" / "part-00003-00000.parquet").read_bytes())
    seen = []

    def event(message):
        seen.append((message, (out / "_SUCCESS").exists()))

    run(PipelineConfig(output=str(out), **cfg), events=event)
    assert seen[0][0].startswith("shard 00002: ") and "running it again" in seen[0][0]
    assert not any(success for _, success in seen)  # removed before anything else happened
    assert rows(out) == expected and (out / "_SUCCESS").exists() and not stray.exists()


def _files(out):
    return {
        str(p.relative_to(out)): p.read_bytes()
        for d in ("data", "rejects")
        for p in sorted((out / d).iterdir())
    }


def test_a_small_file_is_cut_into_pieces_for_every_worker_and_the_files_are_byte_identical(tmp_path):
    one, four = tmp_path / "one", tmp_path / "four"
    a = run(PipelineConfig(inputs=[GSM8K], output=str(one), preset="gsm8k", workers=1))
    b = run(PipelineConfig(inputs=[GSM8K], output=str(four), preset="gsm8k", workers=4))
    pieces = sorted(p.name for p in (four / "_logs").iterdir())
    assert pieces == ["00000.000.log", "00000.001.log", "00000.002.log", "00000.003.log"]
    assert "rows 30-40" in (four / "_logs" / "00000.003.log").read_text()
    assert _files(one) == _files(four) and list(_files(one)) == [
        "data/part-00000-00000.parquet",
        "rejects/part-00000.parquet",
    ]
    assert a.to_dict() | {"throughput": None} == b.to_dict() | {"throughput": None}
    assert [p.name for p in (four / "_shards").iterdir()] == ["00000.json"] and not (
        four / "_pieces"
    ).exists()


def _wait_for_two_workers_at_work(out, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = " ".join(p.read_text() for p in (out / "_logs").glob("*.log"))
        if len(set(re.findall(r" pid (\d+) ", logs))) >= 2:
            return
        time.sleep(0.05)
    raise AssertionError("the second worker never started a shard")


def _as_in_a_terminal() -> None:
    """The run's SIGINT as a terminal's foreground command has it: a suite started in the background of a
    non-interactive shell (``pytest ... &``) ignores SIGINT, and a child inherits that; Python then installs
    no handler and Ctrl-C would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_ctrl_c_prints_one_line_stops_the_workers_and_the_same_command_resumes(tmp_path):
    src = _corpus(tmp_path / "corpus.jsonl", 1500)
    out = tmp_path / "out"
    args = ["--shard-rows", "50", "--workers", "2", "-q"]
    proc = subprocess.Popen(
        _mask_cmd(src, out) + args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )
    try:
        _wait_for_markers(proc, out, 1)
        _wait_for_two_workers_at_work(out)  # past their start-up, where Ctrl-C is theirs to ignore
        workers = _workers_of(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole foreground group
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, (proc.returncode, stdout.decode()[-500:], stderr.decode()[-500:])
    assert stderr.decode() == "interrupted; rerun the same command to resume\n" and not stdout
    assert workers and _gone(workers)
    assert not (out / "_SUCCESS").exists()
    again = subprocess.run(_mask_cmd(src, out) + args[:-1], capture_output=True, text=True, env=WIDE)
    assert again.returncode == 0 and "done by an earlier run" in again.stdout, again.stdout + again.stderr
    assert len(_by_id(out)) == 1500


def test_a_run_folder_from_before_a_setting_existed_still_resumes(tmp_path):
    cfg = dict(inputs=[GSM8K], preset="gsm8k", shard_rows=10)
    run(PipelineConfig(output=str(tmp_path), **cfg))
    expected = rows(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    del config["max_line_bytes"]  # what an older version wrote
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "_shards" / "00001.json").unlink()
    stats = run(PipelineConfig(output=str(tmp_path), **cfg))
    assert rows(tmp_path) == expected and stats.rows_run == 10
    config["max_line_bytes"] = 1000  # a real change is still refused
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(FileExistsError, match=r"another configuration \(max_line_bytes differ\)"):
        run(PipelineConfig(output=str(tmp_path), **cfg))


def test_a_folder_that_holds_something_else_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="is not empty and holds no smepo run"):
        run(PipelineConfig(inputs=[GSM8K], output=str(tmp_path), preset="gsm8k"))
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
