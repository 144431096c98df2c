"""Printing an audit: one two-column table per source (it fits any terminal), then the total."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .dataset import AuditReport


def _share(counter: Counter[str], total: int | None = None, top: int = 4) -> str:
    items = counter.most_common()
    text = ", ".join(f"{k} {v:,}" for k, v in items[:top])
    if len(items) > top:
        text += f", +{len(items) - top} more"
    return text or "none"


def print_report(report: AuditReport, console: Any) -> None:
    """Print the audit: one two-column table per source (it fits any terminal), then the total."""
    from rich.markup import escape
    from rich.table import Table

    title = f"[bold]smepo-data audit[/] {escape(report.path)} (format: {report.preset})"
    console.print(title, highlight=False)
    for g in report.groups.values():
        table = Table(title=f"{g.name} ({g.domain})", show_header=False, title_justify="left")
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        n = sum(g.fraction_hist)
        measure = ", ".join(g.fraction_measure)
        rows = [
            (
                "rows",
                f"{g.rows:,}"
                + (
                    f" ({sum(g.unaudited.values()):,} not audited: {_share(g.unaudited)})"
                    if g.unaudited
                    else ""
                ),
            ),
            ("leaks", f"{g.leaks:,} of {g.audited:,} audited ({100 * g.leak_rate:.1f}%)"),
            *((f"leak id={e['id']}", e["leak"]) for e in g.examples),
            (
                "masked fraction",
                f"mean {g.fraction_sum / n:.3f}, p50 <= {g.quantile(0.5):.2f}, "
                f"p90 <= {g.quantile(0.9):.2f} (from {measure})"
                if n
                else "-",
            ),
            ("placeholders", _share(g.placeholders, top=6)),
            ("structure damage", _share(g.damage, top=6)),
            ("leaks by attack", _share(g.attacks, top=8)),
        ]
        if g.span_kinds:
            rows.append(("span kinds", _share(g.span_kinds, top=6)))
        for key, value in rows:
            style = "red" if key.startswith("leak") and g.leaks else None
            table.add_row(escape(key), escape(value), style=style)
        console.print(table)
    for warning in report.warnings:
        console.print(f"warning: {warning}", style="bold yellow", highlight=False)
    total, audited = report.leaks, report.audited
    if not audited:
        console.print(
            f"{report.rows:,} rows, none audited (see 'not audited' above): check the column mapping "
            "(--column masked_trace=... --column answer=...) or --format",
            style="bold red",
            highlight=False,
        )
        return
    console.print(
        f"{report.rows:,} rows, {audited:,} audited, {total:,} leaking"
        + (" - no leaks found" if not total else ""),
        style="bold red" if total else "bold green",
        highlight=False,
    )
