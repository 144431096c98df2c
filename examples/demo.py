"""Mask the bundled samples of every domain (GSM8K, MATH-500, HumanEval, MBPP, HotpotQA) and show what the
masking did, then write an HTML report of the five runs.

    ./dev demo            # or: python examples/demo.py [OUT_DIR]

Writes OUT_DIR/<name> (default demo_out/): Parquet under data/, rejects, stats.json; and OUT_DIR/report.html.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from smepo_data.cli import _summary
from smepo_data.pipeline import PipelineConfig, run
from smepo_data.report import write_report

HERE = Path(__file__).parent
ROOT = HERE.parent
SAMPLES = {
    "gsm8k": (HERE / "data" / "gsm8k_sample.jsonl", ROOT / "pipelines" / "gsm8k.yaml"),
    "math": (HERE / "data" / "math500_sample.jsonl", ROOT / "pipelines" / "math.yaml"),
    "humaneval": (HERE / "data" / "humaneval_sample.jsonl", ROOT / "pipelines" / "humaneval.yaml"),
    "mbpp": (HERE / "data" / "mbpp_sample.json", ROOT / "pipelines" / "mbpp.yaml"),
    "hotpotqa": (HERE / "data" / "hotpotqa_sample.jsonl", ROOT / "pipelines" / "hotpotqa.yaml"),
}
SHOW = {"gsm8k": [0, 2, 5], "math": [2, 6, 9], "humaneval": [2], "mbpp": [0], "hotpotqa": [1]}


def show_rows(console: Console, out: Path, picks: list[int]) -> None:
    table = pq.read_table(out / "data", columns=["id", "reward_model", "trace", "masked_trace", "spans"])
    rows = table.to_pylist()
    for i in picks:
        r = rows[i]
        grid = Table.grid(expand=True, padding=(0, 2))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row("[bold]original[/]", "[bold]masked[/]")
        grid.add_row(r["trace"].strip(), r["masked_trace"].strip())
        kinds = ", ".join(sorted({s["kind"] for s in r["spans"]}))
        title = f"{r['id']}  gold: {r['reward_model']['ground_truth']}  ({len(r['spans'])} spans: {kinds})"
        console.print(Panel(grid, title=title, title_align="left"))
        for s in r["spans"][:4]:
            console.print(f"   [dim]{r['trace'][s['start'] : s['end']]!r} -> {s['kind']}: {s['reason']}[/]")


def main() -> None:
    console = Console()
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo_out"
    for name, (data, pipeline) in SAMPLES.items():
        out = base / name
        cfg = PipelineConfig.from_yaml(pipeline, inputs=[str(data)], output=str(out))
        stats = run(cfg, overwrite=True)
        console.rule(f"[bold]{name}: {data.name}")
        show_rows(console, out, SHOW[name])
        _summary(console, str(out), stats)
    report = write_report([str(base / name) for name in SAMPLES], base / "report.html")
    console.print(f"\nMasked datasets in {base}/ (open data/*.parquet with pandas, polars or datasets).")
    console.print(f"Report: {report} (open it in a browser: the sampled rows side by side, spans on hover).")


if __name__ == "__main__":
    main()
