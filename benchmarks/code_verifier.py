#!/usr/bin/env python
"""Every HumanEval and sanitized-MBPP reference solution must pass the code verifier's sandbox.

    python benchmarks/code_verifier.py [--data /work/shared/data/code] [--jobs 2]

Loads the 164 HumanEval tasks (program: ``prompt + canonical_solution``; tests: ``test``, called with
``entry_point``) and the 427 sanitized MBPP tasks (program: ``code``; tests: ``test_list``, with
``test_imports``), runs each through :class:`CodeVerifier`, and prints the pass count per corpus, every
failure with its detail, and verifier runs/s. ``--jobs`` runs tasks in that many threads (each run is its
own sandboxed process under its own uid, so threads are enough). Exits 1 if any reference fails.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from smepo_data.code.verifier import CodeVerifier, Verdict

DEFAULT_DATA = Path("/work/shared/data/code")


def humaneval(data: Path) -> list[tuple[str, dict]]:
    with gzip.open(data / "HumanEval.jsonl.gz", "rt") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [
        (
            row["task_id"],
            {
                "program": row["prompt"] + row["canonical_solution"],
                "tests": row["test"],
                "entry_point": row["entry_point"],
            },
        )
        for row in rows
    ]


def mbpp(data: Path) -> list[tuple[str, dict]]:
    rows = json.loads((data / "sanitized-mbpp.json").read_text())
    return [
        (
            f"MBPP/{row['task_id']}",
            {"program": row["code"], "tests": "\n".join(row["test_list"]), "imports": row["test_imports"]},
        )
        for row in rows
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()

    verifier = CodeVerifier()

    def check(task: dict) -> Verdict:
        return verifier.run_asserts(
            task["program"],
            task["tests"],
            entry_point=task.get("entry_point"),
            imports=task.get("imports", ()),
        )

    failed = 0
    for corpus, tasks in (("HumanEval", humaneval(args.data)), ("MBPP sanitized", mbpp(args.data))):
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            verdicts = list(pool.map(check, [task for _, task in tasks]))
        elapsed = time.perf_counter() - start
        runs = sum(v.runs for v in verdicts)
        passed = sum(v.passed for v in verdicts)
        print(
            f"{corpus:15s} {passed}/{len(tasks)} references pass   "
            f"{runs} runs in {elapsed:.1f} s = {runs / elapsed:.1f} runs/s (jobs={args.jobs})"
        )
        for (task_id, _), verdict in zip(tasks, verdicts, strict=True):
            if not verdict.passed:
                print(f"  FAIL {task_id}: {verdict.status}: {verdict.detail}")
        failed += len(tasks) - passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
