"""Kill tests on a real corpus: the driver alone killed -9 mid-run, then the same command; and two runs
into one folder at once.

    .venv/bin/python benchmarks/kill_driver.py [--input ../shared/data/math/gsm8k_train.jsonl] [--workers 2]

Prints: rows and stats of the uninterrupted run against the killed-then-rerun one (by id; timings aside),
whether the workers outlived their driver, and what the second of two concurrent runs was told.
(tests/test_shards.py holds the same checks on a replicated sample, run with the suite.)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "math" / "gsm8k_train.jsonl"


def mask_cmd(src: Path, out: Path, workers: int, shard_rows: int) -> list[str]:
    return [sys.executable, "-m", "smepo_data.cli", "mask", str(src), "-o", str(out), "--format", "gsm8k",
            "--workers", str(workers), "--shard-rows", str(shard_rows), "-q"]  # fmt: skip


def markers(out: Path) -> int:
    return len(list((out / "_shards").glob("*.json"))) if (out / "_shards").exists() else 0


def workers_of(pid: int) -> list[int]:
    kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(k) for k in kids if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()]


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def stable(out: Path) -> dict:
    return {k: v for k, v in json.loads((out / "stats.json").read_text()).items() if k != "throughput"}


def by_id(out: Path) -> dict:
    return {r["id"]: r for r in pq.read_table(out / "data").to_pylist()}


def wait_markers(proc: subprocess.Popen, out: Path, n: int) -> None:
    while markers(out) < n:
        if proc.poll() is not None:
            raise SystemExit(f"the run ended before {n} shards were done")
        time.sleep(0.05)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, default=DEFAULT)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shard-rows", type=int, default=250)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        full, killed, both = (Path(tmp) / n for n in ("full", "killed", "both"))
        cmd = lambda out: mask_cmd(args.input, out, args.workers, args.shard_rows)  # noqa: E731
        t = time.perf_counter()
        subprocess.run(cmd(full), check=True, capture_output=True)
        print(f"uninterrupted: {len(by_id(full)):,} rows written in {time.perf_counter() - t:.0f} s")

        proc = subprocess.Popen(cmd(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_markers(proc, killed, 3)
        workers = workers_of(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)  # the driver only
        proc.wait()
        deadline = time.monotonic() + 30
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [w for w in workers if alive(w)]
        done = markers(killed)
        print(f"driver killed -9 after {done} shards; its {len(workers)} workers: "
              f"{'all gone' if not left else f'{len(left)} still running'}")  # fmt: skip
        again = subprocess.run(cmd(killed), capture_output=True, text=True)
        same_rows, same_stats = by_id(killed) == by_id(full), stable(killed) == stable(full)
        print(f"rerun: exit {again.returncode}; same rows by id: {same_rows}; same stats: {same_stats}")

        first = subprocess.Popen(cmd(both), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_markers(first, both, 1)
        second = subprocess.run(cmd(both), capture_output=True, text=True)
        print(f"second concurrent run: exit {second.returncode}: {second.stderr.strip()}")
        code = first.wait()
        print(f"first run (pid {first.pid}): exit {code}; same rows by id: {by_id(both) == by_id(full)}; "
              f"same stats: {stable(both) == stable(full)}")  # fmt: skip
        ok = not left and same_rows and same_stats and second.returncode == 2 and first.returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
