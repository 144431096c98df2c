"""``mask_text`` end to end on rows built to be slow: a final-answer statement, a ``####`` line, a boxed
answer, an inline formula, a calculator note and a search answer, each holding a long run of one character
(the runs of regex_audit.py). regex_audit.py times the package's own patterns one at a time; this times
whole rows, so it also covers what they call (math-verify's LaTeX normalisation, sympy, spaCy). Prints
every row slower than --flag seconds, then the slowest row at half and at full length (a ratio near 2 is
linear, near 4 quadratic).

    python benchmarks/hostile_rows.py [--chars 20000] [--flag 2.0] [--runs ' ' '\\t' 9]
"""

from __future__ import annotations

import argparse
import contextlib
import time

from regex_audit import RUNS

from smepo_data import mask_text
from smepo_data._model import RowError

#: (domain, question, answer, trace with {run} where the run goes)
SHAPES = [
    ("math", "What is 3+4?", "7", "3 + 4 = 7.\nThe answer is 7{run}\\text{{cm}}"),
    ("math", "What is 3+4?", "7", "3 + 4 = <<3+4=7>>7\n#### 7{run}x"),
    ("math", "What is 3+4?", "7", "We add: $3 + 4 = \\boxed{{7{run}\\text{{cm}}}}$."),
    ("math", "What is 3+4?", "7", "So $x = 7{run}$ cm, and $y = 3 + 4${run}."),
    ("math", "She had 48 and gave half.", "24", "48/2 = <<48/2={run}24>>24\n#### 24"),
    ("math", "What is 3+4?", "7", "We add, $3$ and $4$:{run} $3 + 4 = 7$,{run} so\n#### 7"),
    ("search", "Where is the Louvre?", "Paris", "The Louvre is in Paris.{run}\n<answer>Paris{run}</answer>"),
    (
        "search",
        "Where is the Louvre?",
        "Paris",
        "Paris,{run} also known as{run} the City of Light.\n<answer>Paris</answer>",
    ),
    # with the run "Paris ", a trace that names the answer thousands of times on one line (two passes over
    # its mentions were quadratic: 82 s at 180 KB, now 9 s)
    (
        "search",
        "Where is the Louvre?",
        "Paris",
        "<think>The Louvre is in Paris. {run}</think>\n<answer>Paris</answer>",
    ),
]
#: the runs tried: regex_audit's, and the answer's own name
HOSTILE_RUNS = [*RUNS, "Paris "]


def row_time(shape: tuple[str, str, str, str], run: str, chars: int) -> float:
    domain, question, answer, trace = shape
    text = trace.format(run=run * max(1, chars // len(run)))
    start = time.perf_counter()
    with contextlib.suppress(RowError):  # a reject (wrong_trace, leak) is an answer too: the time counts
        mask_text(domain, text, question=question, answer=answer, level="critical")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chars", type=int, default=20000)
    ap.add_argument("--flag", type=float, default=2.0)
    ap.add_argument(
        "--runs", nargs="*", default=HOSTILE_RUNS, help="the runs (default: regex_audit's, 'Paris ')"
    )
    args = ap.parse_args()
    for shape in SHAPES:  # warm the imports and caches once, outside the timings
        row_time(shape, "x", 10)
    worst = (0.0, 0, "")
    for i, shape in enumerate(SHAPES):
        for run in args.runs:
            t = row_time(shape, run, args.chars)
            worst = max(worst, (t, i, run))
            if t > args.flag:
                print(f"slow: shape {i} ({shape[3][:30]!r}...) with run {run!r}: {t:.2f} s", flush=True)
    t, i, run = worst
    half = row_time(SHAPES[i], run, args.chars // 2)
    print(f"{len(SHAPES)} row shapes x {len(args.runs)} runs of ~{args.chars:,} characters")
    print(f"slowest: shape {i} with run {run!r}: {half:.2f} s at half length, {t:.2f} s at full")


if __name__ == "__main__":
    main()
