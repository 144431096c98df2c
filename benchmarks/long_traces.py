"""CPU time to mask one long math trace, by length: a reasoning model's trace runs to tens of kilobytes.

    python benchmarks/long_traces.py [--data ../shared/data/math/math500_test.jsonl] [--sizes 1,8,32,64,96]
                                     [--starts 0,100,200]

A trace of size k starting at row s is the solutions of rows s+1 .. s+k-1 and then row s's, joined by
"Wait, let me reconsider." (boxes removed but the last, which answers row s's question), masked at
``critical`` with the audit, in this process. For each size and start it prints the characters, the CPU
seconds and the milliseconds per thousand characters: where that last figure grows with the size, the work
grows faster than the text; rows that take more than 30 s need a larger ``--row-timeout`` than the
default. The cost depends on what the solutions hold (how many equations, which readings run), so each
size is tried from several starts. The bundled 40-row sample stands in when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from smepo_data import mask_text

ROOT = Path(__file__).resolve().parent.parent


def long_trace(rows: list[dict], k: int, start: int) -> tuple[str, dict]:
    """k solutions joined: k - 1 others first, then the solution of the row whose question is asked."""
    last = rows[start]
    others = [r["solution"].replace("\\boxed", "") for r in rows[start + 1 : start + k]]
    return "\n\nWait, let me reconsider.\n\n".join([*others, last["solution"]]), last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = ROOT.parent / "shared" / "data" / "math" / "math500_test.jsonl"
    if not default.exists():
        default = ROOT / "examples" / "data" / "math500_sample.jsonl"
    ap.add_argument("--data", type=Path, default=default)
    ap.add_argument("--sizes", default="1,8,32,64,96")
    ap.add_argument("--starts", default="0,100,200")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    mask_text("math", "1+2=3", question="x", answer="3")  # imports and compiled patterns
    print(f"{'solutions':>9} {'start':>6} {'chars':>8} {'CPU s':>8} {'ms per 1k chars':>16}")
    for k in (int(x) for x in args.sizes.split(",")):
        for s in (int(x) for x in args.starts.split(",")):
            if s + k > len(rows):
                print(f"{k:>9} {s:>6} (the file has {len(rows)} rows)")
                continue
            trace, row = long_trace(rows, k, s)
            begin = time.process_time()
            mask_text("math", trace, question=row["problem"], answer=row["answer"], level="critical")
            spent = time.process_time() - begin
            per_k = 1e6 * spent / len(trace)
            print(f"{k:>9} {s:>6} {len(trace):>8,} {spent:>8.2f} {per_k:>16.1f}", flush=True)


if __name__ == "__main__":
    main()
