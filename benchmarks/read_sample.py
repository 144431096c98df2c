#!/usr/bin/env python
"""Print N random masked rows for a blind reader: the question and the masked trace first, the original
trace and the gold answer after a separator, so a reader can judge before seeing the answer.

    python benchmarks/read_sample.py OUT_DIR [--n 30] [--seed 0] [--blind] [--answers FILE]

``--blind`` prints only question + masked trace (row ids to match later) and writes nothing else;
``--answers FILE`` writes the originals and gold answers, keyed by row id, to FILE for the reveal.
It reads the published columns only (``id``, ``question``, ``masked_trace``, ``trace``,
``reward_model.ground_truth``), so it works on any masked dataset in our layout.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import pyarrow.parquet as pq


def rows(out_dir: Path) -> list[dict]:
    files = sorted((out_dir / "data").glob("*.parquet")) if (out_dir / "data").is_dir() else [out_dir]
    cols = ["id", "question", "masked_trace", "trace", "reward_model"]
    out: list[dict] = []
    for f in files:
        out.extend(pq.read_table(f, columns=cols).to_pylist())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--blind", action="store_true", help="question and masked trace only")
    ap.add_argument("--answers", type=Path, help="write originals and golds here (JSONL), keyed by id")
    args = ap.parse_args(argv)
    data = rows(args.out_dir)
    picked = random.Random(args.seed).sample(data, min(args.n, len(data)))
    for i, r in enumerate(picked, 1):
        print(f"=== {i}/{len(picked)}  id={r['id']}")
        print("QUESTION:\n" + r["question"].strip())
        print("\nMASKED TRACE:\n" + r["masked_trace"].strip())
        if not args.blind:
            print("\n--- reveal ---")
            print("ORIGINAL TRACE:\n" + r["trace"].strip())
            print("GOLD: " + str((r.get("reward_model") or {}).get("ground_truth")))
        print()
    if args.answers:
        with args.answers.open("w") as f:
            for r in picked:
                gold = (r.get("reward_model") or {}).get("ground_truth")
                f.write(json.dumps({"id": r["id"], "trace": r["trace"], "gold": gold}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
