"""Rows/s with 1 and 2 worker processes on a math corpus of GSM8K rows repeated with distinct ids.

python benchmarks/workers.py [--rows 20000] [--data ../shared/data/math/gsm8k_train.jsonl]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from smepo_data.pipeline import PipelineConfig, run

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "math" / "gsm8k_train.jsonl"))
    args = ap.parse_args()
    source = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w") as f:
            for i in range(args.rows):
                f.write(json.dumps(dict(source[i % len(source)], id=f"row-{i}")) + "\n")
        rates = {}
        for workers in (1, 2):
            start = time.perf_counter()
            stats = run(
                PipelineConfig(
                    inputs=[str(corpus)],
                    output=f"{tmp}/out{workers}",
                    preset="gsm8k",
                    workers=workers,
                    shard_rows=2000,
                )
            )
            rates[workers] = stats.rows_in / (time.perf_counter() - start)
            print(f"{workers} worker(s): {rates[workers]:,.0f} rows/s ({stats.rows_out:,} written)")
        print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
