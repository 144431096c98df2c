"""Peak memory of `smepo-data mask` on a gzip bomb: a ~1 MB .jsonl.gz that expands to one 1 GiB line.

    .venv/bin/python benchmarks/gzip_bomb.py [--gib 1] [--workers 1]

The line is over the reader's bound (``max_line_bytes``, 32 MiB), so it is skipped in chunks and rejected
as ``too_large``; the run's peak resident memory (the CLI and any workers, largest process) is printed.
Target: under 300 MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_bomb(path: Path, gib: float) -> None:
    chunk = b"7" * 2**20
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"question": "what is it?", "answer": "')
        for _ in range(int(gib * 1024)):
            f.write(chunk)
        f.write(b'"}\n')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gib", type=float, default=1.0, help="size of the expanded line (GiB)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bomb, out = Path(tmp) / "bomb.jsonl.gz", Path(tmp) / "out"
        write_bomb(bomb, args.gib)
        cmd = [sys.executable, "-m", "smepo_data.cli", "mask", str(bomb), "-o", str(out), "--format", "gsm8k"]
        cmd += ["--workers", str(args.workers), "-q"]
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        stats = json.loads((out / "stats.json").read_text()) if (out / "stats.json").exists() else {}
        print(f"input: {bomb.stat().st_size / 1e6:.2f} MB gzip, one line of {args.gib:g} GiB")
        print(f"command: {' '.join(cmd[1:])}")
        print(f"exit code {done.returncode}; rejects: {stats.get('reject_reasons')}; {seconds:.1f} s")
        print(f"peak RSS: {peak_mb:.0f} MB (largest process of the run; target < 300 MB)")
        if done.returncode not in (0, 1):
            print(done.stderr[-2000:], file=sys.stderr)
    return 0 if peak_mb < 300 and stats.get("reject_reasons") == {"too_large": 1} else 1


if __name__ == "__main__":
    sys.exit(main())
