"""``smepo-data``: mask corpora of expert traces.

    smepo-data mask data/gsm8k_train.jsonl -o out/gsm8k --pipeline pipelines/gsm8k.yaml
    smepo-data mask test.jsonl -o out/math --format math --level critical --placeholder indexed
    smepo-data mask my.parquet -o out/mine --domain math --column question=prompt --column trace=solution \\
        --column answer=final
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ._domains import DOMAINS, all_presets
from ._render import PLACEHOLDER_STYLES
from ._runfolder import RunFolder
from .executors import EXECUTORS
from .guidance import GUIDANCE_POSITIONS
from .io.readers import count_rows
from .pipeline import RunError
from .stats import Stats


def _parse_columns(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            # a usage error, like argparse's own: exit status 2
            usage = f"--column takes FIELD=COLUMN (e.g. question=problem), got {item!r}"
            print(f"smepo-data: {usage}", file=sys.stderr)
            raise SystemExit(2)
        out[key.strip()] = value.strip()
    return out


def _mask(args: argparse.Namespace, console: Console) -> int:
    from .pipeline import PipelineConfig, run

    overrides = {
        "inputs": args.inputs or None,
        "output": args.output,
        "preset": args.format,
        "domain": args.domain,
        "level": args.level,
        "placeholder": args.placeholder,
        "keep_wrong_traces": args.keep_wrong_traces or None,
        "guidance_position": args.guidance_position,
        "prefix_ratio": args.prefix_ratio,
        "data_source": args.data_source,
        "split": args.split,
        "limit": args.limit,
        "workers": args.workers,
        "executor": args.executor,
        "shard_rows": args.shard_rows,
        "row_timeout_s": args.row_timeout,
        "columns": _parse_columns(args.column) or None,
    }
    defaults = {"workers": os.cpu_count() or 1}  # beneath a pipeline file's keys, never over them
    if args.pipeline:
        cfg = PipelineConfig.from_yaml(args.pipeline, defaults=defaults, **overrides)
    else:
        cfg = PipelineConfig(**defaults | {k: v for k, v in overrides.items() if v is not None})
    total = sum(n for p in cfg.inputs if (n := count_rows(p)) is not None) if cfg.inputs else None
    if cfg.limit is not None:
        total = cfg.limit if total is None else min(total, cfg.limit)
    with Progress(
        TextColumn("[bold]masking[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=args.quiet,
    ) as bar:
        task = bar.add_task("mask", total=total or None, rate="")
        done = {"n": 0}

        def tick(n: int) -> None:
            done["n"] += n
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, advance=n, rate=f"{done['n'] / elapsed:,.0f} rows/s")

        def event(message: str) -> None:
            if not args.quiet and (args.verbose or "done:" not in message):
                bar.console.print(f"[dim]{message}[/]")

        stats = run(cfg, progress=tick, overwrite=args.overwrite, events=event)
    _summary(console, cfg.output, stats)
    return 1 if stats.rows_in and not stats.rows_out else 0  # nothing written is never a success


def _summary(console: Console, output: str, stats: Stats) -> None:
    d = stats.to_dict()
    table = Table(title=f"smepo-data mask -> {output}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("rows in", f"{d['rows_in']:,}")
    table.add_row("rows written", f"{d['rows_out']:,}")
    rejected = ", ".join(f"{k}: {v}" for k, v in d["reject_reasons"].items()) or "none"
    table.add_row("rows rejected", f"{d['rows_rejected']:,} ({rejected})")
    table.add_row("levels applied", ", ".join(f"{k}: {v:,}" for k, v in d["levels_applied"].items()) or "-")
    leaks = d["leaks_caught"]
    table.add_row(
        "leaks caught",
        f"{leaks['total']:,} (escalated {sum(leaks['escalated'].values()):,}, "
        f"rejected {leaks['rejected']:,})",
    )
    table.add_row("spans", ", ".join(f"{k}: {v:,}" for k, v in d["span_kinds"].items()) or "-")
    mf = d["masked_fraction"]
    table.add_row("masked fraction", f"mean {mf['mean']:.3f}, p50 <= {mf['p50']:.2f}, p90 <= {mf['p90']:.2f}")
    tp = d["throughput"]
    resumed = d["rows_in"] - tp["rows_this_run"]
    table.add_row(
        "throughput",
        f"{tp['rows_per_s'] or 0:,.0f} rows/s ({tp['rows_this_run']:,} rows in {tp['wall_seconds']:.1f} s"
        + (f"; {resumed:,} done by an earlier run)" if resumed else ")"),
    )
    folder = RunFolder(output)
    table.add_row("output", f"{folder.data}, rejects in {folder.rejects}, {folder.stats.name}")
    console.print(table)
    dup = d["duplicate_ids"]
    if dup["rows"]:
        shown = ", ".join(map(repr, dup["examples"][:3]))
        console.print(
            f"{dup['rows']:,} written rows share their id with another row (for example {shown}): ids "
            "are written as the input gives them; map a unique id column, or none to number rows by line",
            style="bold yellow",
        )
    if d["rows_in"] and not d["rows_out"]:
        console.print(
            f"no row was written: every row was rejected (reasons above; {folder.rejects.name}/ holds each "
            "row). Is --format (or the column mapping) right for this file?",
            style="bold red",
        )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="smepo-data", description="Mask expert traces for guided RLVR (SMEPO).")
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser(
        "mask",
        help="mask a corpus into Parquet",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    m.add_argument("inputs", nargs="*", help="Parquet, JSONL(.gz), JSON or a Hugging Face dataset folder")
    m.add_argument("-o", "--output", required=True, help="output folder")
    m.add_argument("--pipeline", help="a pipeline YAML file (pipelines/*.yaml); flags override its keys")
    m.add_argument("--format", choices=[*all_presets(), "auto"], help="input schema preset (default: auto)")
    m.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map a field (question, trace, answer, id) to a column; dotted paths reach into structs",
    )
    m.add_argument("--domain", choices=list(DOMAINS), help="default: the format's")
    m.add_argument(
        "--level",
        help="; ".join(
            f"{d.name}: " + " | ".join(f"{lv} (default)" if lv == d.default_level else lv for lv in d.levels)
            for d in DOMAINS.values()
        ),
    )
    m.add_argument(
        "--placeholder",
        choices=list(PLACEHOLDER_STYLES),
        help="typed (default): [NUMBER], [EXPR], the answer like any other value; indexed: [BLANK_n]; "
        "typed_answer: the answer as [ANSWER] (tells a reader which blank is the answer)",
    )
    m.add_argument(
        "--keep-wrong-traces",
        action="store_true",
        help="write traces whose own final answer is not the gold (flagged) instead of rejecting them",
    )
    m.add_argument(
        "--guidance-position",
        choices=list(GUIDANCE_POSITIONS),
        help="where guided_prompt shows the masked trace: assistant_turn (default, the release's: a closed "
        "assistant turn after the question) or user (after the question, in its turn)",
    )
    m.add_argument(
        "--prefix-ratio",
        type=float,
        metavar="R",
        help="share of the masked trace guided_prompt shows, in characters, cut back to a line boundary "
        "(0 < R <= 1; default 1.0, the whole trace, as the release)",
    )
    m.add_argument("--data-source", help="value of the data_source column")
    m.add_argument("--split", help="split name recorded in extra_info (default: train)")
    m.add_argument("--limit", type=int, help="mask only the first N rows")
    m.add_argument(
        "--workers",
        type=int,
        help="worker processes (default: the pipeline file's, else the machine's cores); a small input is "
        "cut into pieces so that every worker gets one",
    )
    m.add_argument(
        "--executor",
        choices=list(EXECUTORS),
        help="local: a process pool (default); ray: Ray tasks (pip install 'smepo[ray]'; "
        "RAY_ADDRESS joins a cluster)",
    )
    m.add_argument("--shard-rows", type=int, help="rows per shard (default 5000); a rerun resumes by shard")
    m.add_argument(
        "--row-timeout",
        type=float,
        metavar="SECONDS",
        help="CPU seconds a row may take before it is rejected as 'timeout' (default 30)",
    )
    m.add_argument("--overwrite", action="store_true", help="replace the output folder instead of resuming")
    m.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    m.add_argument("-v", "--verbose", action="store_true", help="a line per finished shard")
    _add_share_parsers(sub)
    sub.add_parser(
        "doctor",
        help="what code-sandbox isolation this machine gives",
        description="Prints which isolation layers the code sandbox can set up here (namespaces, read-only "
        "mounts, limits), as the code verifier and the trainer's code reward will get them.",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False)
    try:
        if args.command == "mask":
            return _mask(args, console)
        if args.command == "doctor":
            return _doctor()
        if args.command in _SHARE_HANDLERS:
            return _SHARE_HANDLERS[args.command](args, console)
    except (ValueError, FileNotFoundError, FileExistsError, ImportError, RunError) as e:
        print(f"smepo-data {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        again = "rerun the same command to resume" if args.command == "mask" else "nothing was finished"
        print(f"interrupted; {again}", file=sys.stderr)
        return 130
    return 1


def _doctor() -> int:
    """What code-sandbox isolation this machine gives (the sandbox's own probe); exit 1 without any."""
    from .code.sandbox import isolation_report

    report = isolation_report()
    width = max(map(len, report))
    print("\n".join(f"{key:{width}}  {value}" for key, value in report.items()))
    return 0 if report["isolated"] else 1


# ------------------------------------------------------------- publish / audit / report (sharing)


def _add_share_parsers(sub: argparse._SubParsersAction) -> None:
    """The ``publish``, ``audit`` and ``report`` subcommands (apart from ``mask``)."""
    pub = sub.add_parser(
        "publish",
        help="lay out OUT_DIRs as a Hugging Face Hub dataset (configs, card) and upload it",
        description="One config per OUT_DIR (named after its domain; after its data source when two runs "
        "share a domain; OUT_DIR=NAME names it), Parquet under data/<config>/, and a dataset card. The "
        "token comes from HF_TOKEN or the stored Hugging Face login and is never printed.",
    )
    pub.add_argument("out_dirs", nargs="+", metavar="OUT_DIR", help="finished `smepo-data mask` outputs")
    pub.add_argument("--repo-id", required=True, metavar="ORG/NAME", help="the dataset repository on the Hub")
    pub.add_argument("--private", action="store_true", help="create the repository private")
    pub.add_argument(
        "--dry-run",
        action="store_true",
        help="write the folder that would be uploaded (to --folder) and upload nothing",
    )
    pub.add_argument("--folder", help="where to lay out the Hub folder (default: hub_<NAME> here)")
    pub.add_argument("--message", default=None, help="commit message")

    aud = sub.add_parser(
        "audit",
        help="leak audit and structure measures of any masked dataset",
        description="Audit a masked dataset: ours (an OUT_DIR), the released SMEPO layout (--format "
        "smepo: extra_info.teacher_ds, reward_model.ground_truth), or any other with --column. Exits 0 "
        "even when it finds leaks, unless --fail-on-leak (then 1); exits 1 when no row could be audited.",
    )
    aud.add_argument("path", help="an OUT_DIR, a Parquet/JSONL/JSON file, or a folder of them")
    aud.add_argument(
        "--domain",
        choices=list(DOMAINS),
        help="the domain of every row (default: the `ability` column, else guessed from the gold answer)",
    )
    aud.add_argument("--format", default="auto", help="smepo_data (ours) | smepo (released) | auto")
    aud.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map masked_trace, answer, question, trace (the original), id, domain or spans to a column",
    )
    aud.add_argument("--limit", type=int, help="audit only the first N rows")
    aud.add_argument("--examples", type=int, default=3, help="leak examples shown per source (default 3)")
    aud.add_argument("--json", metavar="PATH", help="also write the full audit as JSON")
    aud.add_argument("--fail-on-leak", action="store_true", help="exit 1 when any row leaks")
    aud.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    rep = sub.add_parser(
        "report",
        help="one self-contained HTML page showing what the masking did",
        description="Per-domain stats, the masked-fraction distribution and span kinds, a browsable "
        "sample of rows (original and masked side by side), leaks and rejects. No network needed.",
    )
    rep.add_argument("out_dirs", nargs="+", metavar="OUT_DIR", help="finished `smepo-data mask` outputs")
    rep.add_argument("-o", "--output", required=True, help="the HTML file to write")
    rep.add_argument("--sample", type=int, default=50, help="rows shown per OUT_DIR (default 50)")


def _publish(args: argparse.Namespace, console: Console) -> int:
    from .hub.upload import publish

    return publish(
        args.out_dirs,
        args.repo_id,
        private=args.private,
        dry_run=args.dry_run,
        folder=args.folder,
        message=args.message,
        console=console,
    )


def _audit(args: argparse.Namespace, console: Console) -> int:
    import json

    from .audit import audit_dataset, print_report

    with Progress(
        TextColumn("[bold]auditing[/]"), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=args.quiet,
    ) as bar:  # fmt: skip
        task = bar.add_task("audit", total=args.limit)
        report = audit_dataset(
            args.path,
            preset=args.format,
            columns=_parse_columns(args.column),
            domain=args.domain,
            limit=args.limit,
            examples=args.examples,
            progress=lambda n: bar.advance(task, n),
        )
    print_report(report, console)
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    if not report.audited:
        return 1  # nothing could be checked: never a pass
    return 1 if args.fail_on_leak and report.leaks else 0


def _report(args: argparse.Namespace, console: Console) -> int:
    from .report import write_report

    path = write_report(args.out_dirs, args.output, sample=args.sample)
    console.print(f"report written to {path}", highlight=False)
    return 0


_SHARE_HANDLERS = {"publish": _publish, "audit": _audit, "report": _report}


if __name__ == "__main__":
    sys.exit(main())
