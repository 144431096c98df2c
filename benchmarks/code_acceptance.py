"""Acceptance for code masking on the full HumanEval (164) and sanitized MBPP (427) files.

    python benchmarks/code_acceptance.py [--data ../shared/data/code] [--levels skeleton body block]

For each corpus and level it runs the pipeline (which rejects rows whose reference fails its tests and
audits every masked trace in the sandbox), then checks the output again on its own:
  * leaks: the code left visible in each masked trace, run in the sandbox against the row's tests, must
    not pass (0 expected);
  * structure at ``body``: the function signatures, docstrings and comments of the original program,
    found with Python's own ``ast`` and ``tokenize`` (not tree-sitter), must appear verbatim in the masked
    trace (target >= 99%).
It also prints masking throughput (no execution) and verifier runs/s.
"""

from __future__ import annotations

import argparse
import ast
import io
import tempfile
import time
import tokenize
from pathlib import Path

import pyarrow.parquet as pq

from smepo_data import Example, render
from smepo_data._domains import find_preset, get_domain
from smepo_data.code._extract import programs
from smepo_data.code.spec import parse_spec
from smepo_data.io.readers import read_rows
from smepo_data.pipeline import PipelineConfig, run

ROOT = Path(__file__).resolve().parent.parent


def plan_pieces(code: str) -> list[str]:
    """Signatures (``def ...:`` headers), docstrings and comments of a Python program."""
    pieces = []
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body_line = node.body[0].lineno
            header = "".join(lines[node.lineno - 1 : body_line - 1]) if body_line > node.lineno else None
            if header is None:  # one-line def: the header ends at the colon before the body
                line = lines[node.lineno - 1]
                header = line[: line.index(":", line.index(node.name)) + 1]
            pieces.append(header.rstrip())
            doc = node.body[0]
            if (
                isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                pieces.append(ast.get_source_segment(code, doc))
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT:
            pieces.append(tok.string)
    return [p for p in pieces if p and p.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "code"))
    ap.add_argument("--levels", nargs="+", default=["skeleton", "body", "block"])
    ap.add_argument("--corpora", nargs="+", default=["humaneval", "mbpp"], choices=["humaneval", "mbpp"])
    args = ap.parse_args()
    data = Path(args.data)
    files = {"humaneval": data / "HumanEval.jsonl.gz", "mbpp": data / "sanitized-mbpp.json"}
    corpora = {name: files[name] for name in args.corpora}
    verifier = get_domain("code").verifier
    masker = get_domain("code").masker
    failed = False
    for name, path in corpora.items():
        examples = [
            find_preset(name).to_example(r.data, source=path.name, index=r.index) for r in read_rows(path)
        ]
        # masking throughput: spans + render only, no program runs
        start = time.perf_counter()
        for ex in examples:
            render(ex.trace, masker.find_spans(ex, "body"))
        mask_rate = len(examples) / (time.perf_counter() - start)
        # verifier throughput: every reference program once
        start, passed = time.perf_counter(), 0
        for ex in examples:
            spec = parse_spec(ex.answer)
            passed += verifier.check(programs(ex.trace)[0], spec).passed
        verify_rate = len(examples) / (time.perf_counter() - start)
        print(f"\n{name}: {len(examples)} rows; references passing their tests: {passed}/{len(examples)}")
        print(f"  masking {mask_rate:,.0f} rows/s (no execution); verifier {verify_rate:,.1f} runs/s")
        failed |= passed != len(examples)
        for level in args.levels:
            with tempfile.TemporaryDirectory() as out:
                start = time.perf_counter()
                stats = run(PipelineConfig(inputs=[str(path)], output=out, preset=name, level=level))
                seconds = time.perf_counter() - start
                rows = pq.read_table(Path(out) / "data").to_pylist()
            leaks = kept = total = 0
            for row in rows:
                ex = Example(
                    row["id"], "code", row["question"], row["trace"], row["reward_model"]["ground_truth"]
                )
                spec = parse_spec(ex.answer)
                leaks += any(verifier.check(p, spec).passed for p in programs(row["masked_trace"]))
                if level == "body":
                    for piece in plan_pieces(programs(row["trace"])[0]):
                        total += 1
                        kept += piece in row["masked_trace"]
            d = stats.to_dict()
            line = (
                f"  {level:9} written {d['rows_out']}/{d['rows_in']}, rejected {d['reject_reasons'] or 0}, "
                f"escalated {d['leaks_caught']['escalated'] or 0}, leaks on re-check {leaks}, "
                f"masked fraction {d['masked_fraction']['mean']:.2f}, {seconds:.1f} s"
            )
            if level == "body":
                share = 100 * kept / max(total, 1)
                line += f", signatures/docstrings/comments kept {kept}/{total} = {share:.1f}%"
                failed |= kept < 0.99 * total
            print(line)
            failed |= leaks > 0
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
