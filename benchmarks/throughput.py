"""Masking throughput on the full GSM8K and MATH-500 files, beside a bare regex pass, in one process.

    python benchmarks/throughput.py [--data ../shared/data/math] [--level critical] [--repeat 3]

For each corpus it prints rows/s for:
  regex      the reference release's approach: one re.sub of every number (no audit, no I/O)
  spans      smepo's masker alone (find spans + render)
  mask+audit smepo_data.mask_example: spans, render, the leak audit and any escalation
  pipeline   the whole `smepo-data mask` run: read JSONL, mask, audit, write Parquet + stats
All on one core (this process). Imports and one warm-up row are excluded; each figure is the best of
--repeat runs, so a noisy shared machine hurts less.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

from smepo_data import mask_example, render
from smepo_data._domains import get_domain
from smepo_data.io.presets import PRESETS
from smepo_data.pipeline import PipelineConfig, run

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "math"))
    ap.add_argument("--level", default="critical")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = Path(args.data)
    files = {"gsm8k": data / "gsm8k_train.jsonl", "math": data / "math500_test.jsonl"}
    if not all(p.exists() for p in files.values()):
        print(f"{data} not found: using the bundled samples")
        files = {
            "gsm8k": ROOT / "examples/data/gsm8k_sample.jsonl",
            "math": ROOT / "examples/data/math500_sample.jsonl",
        }
    masker = get_domain("math").masker
    print(f"level {args.level}, best of {args.repeat}, one process\n")
    header = f"{'corpus':8} {'rows':>6} {'regex':>10} {'spans':>10} {'mask+audit':>11} {'pipeline':>10}"
    print(header + "  regex/mask+audit")
    for name, path in files.items():
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        examples = [PRESETS[name].to_example(r, source=path.name, index=i) for i, r in enumerate(rows)]
        mask_example(examples[0], args.level)  # warm up: lazy imports, compiled regexes

        def regex(examples=examples) -> None:
            for ex in examples:
                NUMBER.sub("[NUMBER]", ex.trace)

        def spans(examples=examples) -> None:
            for ex in examples:
                render(ex.trace, masker.find_spans(ex, args.level))

        def audited(examples=examples) -> None:
            for ex in examples:
                mask_example(ex, args.level)

        def pipeline(path=path, name=name) -> None:
            with tempfile.TemporaryDirectory() as out:
                run(
                    PipelineConfig(inputs=[str(path)], output=out, preset=name, level=args.level),
                    overwrite=True,
                )

        n = len(examples)
        rates = [n / best(fn, args.repeat) for fn in (regex, spans, audited, pipeline)]
        print(
            f"{name:8} {n:>6} "
            + " ".join(f"{r:>10,.0f}" for r in rates[:2])
            + f" {rates[2]:>11,.0f} {rates[3]:>10,.0f}"
            f"  1/{rates[0] / rates[2]:,.0f}"
        )
    print("\nrows/s; targets on one core: GSM8K >= 3,000, MATH-500 >= 300 (mask+audit)")


if __name__ == "__main__":
    main()
