"""The pipeline at scale, on a math corpus of GSM8K rows repeated with distinct ids (100k rows by default):

1. rows/s with 1 and with 2 worker processes (the `smepo-data mask` CLI, uninterrupted runs), and the
   CPU time each used, so a shared machine's noise can be told from the pipeline's own scaling;
2. kill -9 of a 2-worker run halfway (the CLI and its workers, as an OOM kill would), then the same
   command again: the dataset is compared with the uninterrupted run row by row by id, and stats.json
   key by key (all but the timings);
3. peak memory (max RSS of the process doing the work, 1 worker) for 10k versus 100k rows.

    python benchmarks/scale.py [--rows 100000] [--small 10000] [--data ../shared/data/math/gsm8k_train.jsonl]
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

import polars as pl

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(path: Path, source: list[dict], n: int) -> Path:
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps(dict(source[i % len(source)], id=f"row-{i:07d}")) + "\n")
    return path


def mask_cmd(src: Path, out: Path, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "smepo_data.cli", "mask", str(src), "-o", str(out),
        "--format", "gsm8k", "--workers", str(workers), "--shard-rows", "5000", "-q",
    ]  # fmt: skip


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the CLI and the workers it waited for) and peak RSS in MiB of the largest
    single process (with 1 worker: the one doing all the work). GNU time starts the command, because a
    child forked from this (big) process would report this process's RSS as its own high-water mark."""
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr}")
    user, system, rss_kb = done.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(rss_kb) // 1024


def killed_and_resumed(src: Path, out: Path, n_shards: int) -> tuple[int, float]:
    proc = subprocess.Popen(
        mask_cmd(src, out, 2), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    markers = out / "_shards"
    while len(list(markers.glob("*.json")) if markers.exists() else []) < n_shards // 2:
        if proc.poll() is not None:
            raise SystemExit("the run finished before it could be killed")
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(markers.glob("*.json")))
    start = time.perf_counter()
    subprocess.run(mask_cmd(src, out, 2), check=True, stdout=subprocess.DEVNULL)
    return done, time.perf_counter() - start


def compare(a: Path, b: Path) -> tuple[int, int]:
    """Rows, and rows that differ in any column, joined by id."""
    left = pl.read_parquet(a / "data" / "*.parquet").sort("id")
    right = pl.read_parquet(b / "data" / "*.parquet").sort("id")
    if left.height != right.height or left["id"].to_list() != right["id"].to_list():
        return left.height, abs(left.height - right.height) or left.height
    differ = sum(1 for x, y in zip(left.iter_rows(), right.iter_rows(), strict=True) if x != y)
    return left.height, differ


def stable_stats(out: Path) -> dict:
    return {k: v for k, v in json.loads((out / "stats.json").read_text()).items() if k != "throughput"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "math" / "gsm8k_train.jsonl"))
    args = ap.parse_args()
    source = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        big = make_corpus(tmp / "big.jsonl", source, args.rows)
        small = make_corpus(tmp / "small.jsonl", source, args.small)

        runs = {}
        for workers in (1, 2):
            runs[workers] = timed(mask_cmd(big, tmp / f"w{workers}", workers))
            wall, cpu, rss = runs[workers]
            print(
                f"{args.rows:,} rows, {workers} worker(s): {args.rows / wall:,.0f} rows/s "
                f"({wall:.1f} s wall, {cpu:.1f} s CPU)"
            )
        print(f"speed-up with 2 workers: {runs[1][0] / runs[2][0]:.2f}x (target >= 1.8x)")
        print(f"CPU time, 2 workers over 1: {runs[2][1] / runs[1][1]:.2f}x (what the second process costs)")

        shards = -(-args.rows // 5000)
        done, resume_s = killed_and_resumed(big, tmp / "killed", shards)
        rows, differ = compare(tmp / "w2", tmp / "killed")
        same_stats = stable_stats(tmp / "w2") == stable_stats(tmp / "killed")
        print(
            f"kill -9 after {done}/{shards} shards, resumed in {resume_s:.1f} s: {rows:,} rows compared "
            f"by id, {differ} differ; stats.json {'matches' if same_stats else 'DIFFERS'} (timings aside)"
        )

        small_run = timed(mask_cmd(small, tmp / "small", 1))
        print(
            f"peak memory, 1 worker: {args.small:,} rows {small_run[2]} MiB, "
            f"{args.rows:,} rows {runs[1][2]} MiB ({runs[1][2] / small_run[2] - 1:+.1%}; target within 10%)"
        )


if __name__ == "__main__":
    main()
