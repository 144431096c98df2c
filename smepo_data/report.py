"""``smepo-data report``: one self-contained HTML page that shows what the masking did.

    smepo-data report out/gsm8k out/humaneval -o report.html

Per run: the stats, a chart of the masked-fraction distribution and one of the span kinds (inline SVG,
drawn here), the leaks the audit caught and the rejects, and a browsable sample of rows with the original
and the masked trace side by side: hidden spans highlighted, their kind and reason on hover. Everything
(CSS, JS, charts) is inline: the page opens offline and can be mailed around. Rows are read with polars
(``scan_parquet``), so only the sample is loaded, however large the run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import polars as pl

from ._domains import span_kinds
from ._model import Span
from ._render import placeholders
from ._runfolder import RunFolder
from .audit import PLACEHOLDER

#: the highlight of a span kind with no colour of its own in the registry
OTHER_COLOUR = "#e2e4e9"
SAMPLE_COLUMNS = ["id", "question", "trace", "masked_trace", "spans", "mask_level", "requested_level",
                  "placeholder", "masked_fraction", "leak"]  # fmt: skip


def kind_colours() -> dict[str, str]:
    """The highlight of each span kind that has one, from the domain registry (the legend's order)."""
    return {tag: kind.colour for tag, kind in span_kinds().items() if kind.colour}


def kind_colour(kind: str) -> str:
    return kind_colours().get(kind, OTHER_COLOUR)


@dataclass
class RunView:
    """What the page shows of one OUT_DIR."""

    name: str
    path: Path
    config: dict[str, Any]
    stats: dict[str, Any]
    rows: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    leaks: list[dict[str, Any]]
    total_rows: int


def load_view(path: str | Path, sample: int = 50, name: str | None = None) -> RunView:
    """Read an OUT_DIR's stats and configuration, an evenly spread sample of its rows, its rejects and any
    row still carrying a leak."""
    out = Path(path)
    folder = RunFolder(out)
    if not folder.stats.exists():
        raise FileNotFoundError(f"{out}: no {folder.stats.name} (not a finished `smepo-data mask` output)")
    config = folder.read_config() if folder.config.exists() else {}
    stats = folder.read_stats()
    data = [str(f) for f in folder.data_files()]
    lazy = pl.scan_parquet(data)
    total = lazy.select(pl.len()).collect().item()
    if sample < 0:
        raise ValueError(f"--sample must be >= 0, got {sample}")
    picks = sorted({i * total // sample for i in range(sample)}) if sample and total else []  # evenly spread
    rows = (
        lazy.with_row_index("_row")
        .filter(pl.col("_row").is_in(picks))
        .select(["_row", *SAMPLE_COLUMNS])
        .collect()
        .to_dicts()
    )
    leaks = lazy.filter(pl.col("leak").is_not_null()).select(["id", "leak"]).head(200).collect().to_dicts()
    reject_files = [str(f) for f in folder.reject_files()]
    rejects = (
        pl.scan_parquet(reject_files)
        .select(["id", "row_index", "reason", "detail"])
        .head(200)
        .collect()
        .to_dicts()
        if reject_files
        else []
    )
    title = name or f"{config.get('domain', '?')}: {out.name}"
    return RunView(title, out, config, stats, rows, rejects, leaks, total)


# ------------------------------------------------------------------------------------------ charts


def _svg_histogram(counts: list[int], width: int = 380, height: int = 150) -> str:
    """Bars of the masked-fraction histogram (bins of equal width over [0, 1])."""
    pad_l, pad_b, pad_t = 34, 24, 8
    plot_w, plot_h = width - pad_l - 6, height - pad_b - pad_t
    top = max(counts) or 1
    bar_w = plot_w / len(counts)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="masked fraction histogram">'
    ]
    for frac in (0.0, 0.5, 1.0):
        y = pad_t + plot_h * (1 - frac)
        parts.append(f'<line x1="{pad_l}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{pad_l - 4}" y="{y + 4:.1f}" class="tick" text-anchor="end">{round(top * frac)}</text>'
        )
    for i, n in enumerate(counts):
        h = plot_h * n / top
        x = pad_l + i * bar_w
        lo, hi = i / len(counts), (i + 1) / len(counts)
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{pad_t + plot_h - h:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
            f'class="bar"><title>{lo:.2f}-{hi:.2f}: {_n(n)} rows</title></rect>'
        )
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = pad_l + plot_w * frac
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" class="tick" text-anchor="middle">{frac:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_kinds(kinds: dict[str, int], width: int = 380) -> str:
    """Horizontal bars: hidden spans per kind, coloured as in the traces."""
    items = sorted(kinds.items(), key=lambda kv: -kv[1]) or [("none", 0)]
    row_h, label_w = 24, 90
    height = row_h * len(items) + 8
    top = max(n for _, n in items) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="span kinds">'
    ]
    for i, (kind, n) in enumerate(items):
        y = 4 + i * row_h
        w = (width - label_w - 60) * n / top
        colour = kind_colour(kind)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" class="label" text-anchor="end">{html.escape(kind)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" rx="3" fill="{colour}" '
            f'stroke="#00000022"><title>{html.escape(kind)}: {_n(n)} spans</title></rect>'
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="label">{_n(n)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------------------------------ traces


def _spans(row: dict[str, Any]) -> list[Span]:
    return [Span.from_dict(s) for s in row.get("spans") or []]


def highlight_original(trace: str, spans: list[Span]) -> str:
    """The original trace as HTML, each hidden span a ``<mark class="hidden-span">`` with its kind and
    reason (shown on hover)."""
    out, pos = [], 0
    for i, s in enumerate(spans):
        out.append(html.escape(trace[pos : s.start]))
        tip = html.escape(f"{s.kind}: {s.reason}", quote=True)
        colour = kind_colour(s.kind)
        out.append(
            f'<mark class="hidden-span" data-i="{i}" data-kind="{html.escape(s.kind, quote=True)}" '
            f'data-tip="{tip}" title="{tip}" style="background:{colour}">'
            f"{html.escape(trace[s.start : s.end])}</mark>"
        )
        pos = s.end
    out.append(html.escape(trace[pos:]))
    return "".join(out)


def highlight_masked(row: dict[str, Any], spans: list[Span]) -> str:
    """The masked trace as HTML, each placeholder a ``<span class="ph">`` linked to its span. Built from
    the spans (as the renderer does); a masked text that does not match them is shown with every
    placeholder token marked instead."""
    trace, masked = row["trace"] or "", row["masked_trace"] or ""
    tags = placeholders(spans, row.get("placeholder") or "typed", trace)
    out, pos, rebuilt = [], 0, []
    for i, (s, tag) in enumerate(zip(spans, tags, strict=True)):
        out.append(html.escape(trace[pos : s.start]))
        rebuilt += [trace[pos : s.start], tag]
        tip = html.escape(f"{s.kind}: {s.reason}", quote=True)
        colour = kind_colour(s.kind)
        out.append(
            f'<span class="ph" data-i="{i}" data-tip="{tip}" title="{tip}" style="border-color:{colour};'
            f'background:{colour}55">{html.escape(tag)}</span>'
        )
        pos = s.end
    out.append(html.escape(trace[pos:]))
    rebuilt.append(trace[pos:])
    if "".join(rebuilt) == masked:
        return "".join(out)
    parts, last = [], 0
    for m in PLACEHOLDER.finditer(masked):
        parts += [html.escape(masked[last : m.start()]), f'<span class="ph">{html.escape(m.group())}</span>']
        last = m.end()
    return "".join(parts) + html.escape(masked[last:])


def _row_html(run: int, row: dict[str, Any]) -> str:
    spans = _spans(row)
    kinds = sorted({s.kind for s in spans})
    level = row["mask_level"] + (
        f" (asked {row['requested_level']})" if row["requested_level"] != row["mask_level"] else ""
    )
    leak = f'<span class="badge bad">leak: {html.escape(row["leak"])}</span>' if row.get("leak") else ""
    search = html.escape(
        " ".join([str(row["id"]), row["question"] or "", row["trace"] or ""]).lower(), quote=True
    )
    return (
        f'<article class="row" data-run="{run}" data-kinds="{html.escape(" ".join(kinds), quote=True)}" '
        f'data-search="{search}">'
        f'<header><b>{html.escape(str(row["id"]))}</b> <span class="muted">row {row["_row"]}</span>'
        f'<span class="badge">level {html.escape(level)}</span>'
        f'<span class="badge">{len(spans)} spans</span>'
        f'<span class="badge">masked {_n(row["masked_fraction"], ".1%")}</span>{leak}</header>'
        f'<details open><summary>question</summary><pre class="q">{html.escape(row["question"] or "")}</pre>'
        f'</details><div class="pair"><div><h4>original</h4><pre class="trace">'
        f"{highlight_original(row['trace'] or '', spans)}</pre></div>"
        f'<div><h4>masked</h4><pre class="trace">{highlight_masked(row, spans)}</pre></div></div>'
        f"</article>"
    )


# ------------------------------------------------------------------------------------------ page


def _kv(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k}: {_fmt(v)}" for k, v in d.items()) or "none"


def _fmt(value: Any, spec: str = ",") -> str:
    """A number from a run folder formatted with ``spec``; anything else (a tampered file) as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, spec)
    return str(value)


def _n(value: Any, spec: str = ",") -> str:
    """:func:`_fmt`, escaped for HTML."""
    return html.escape(_fmt(value, spec), quote=True)


def _overview(views: list[RunView]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "run",
            "domain",
            "level",
            "rows in",
            "written",
            "rejected",
            "leaks caught",
            "spans",
            "masked fraction (mean / p50 / p90)",
        )  # fmt: skip
    )
    body = []
    for i, v in enumerate(views):
        s = v.stats
        mf, leaks = s["masked_fraction"], s["leaks_caught"]
        cells = [
            f'<a href="#run-{i}">{html.escape(v.name)}</a>',
            html.escape(str(v.config.get("domain", "?"))),
            html.escape(f"{v.config.get('level', '?')} ({v.config.get('placeholder', 'typed')})"),
            _n(s["rows_in"]),
            _n(s["rows_out"]),
            _n(s["rows_rejected"]),
            _n(leaks["total"]),
            _n(s["spans_total"]),
            f"{_n(mf['mean'], '.3f')} / {_n(mf['p50'], '.2f')} / {_n(mf['p90'], '.2f')}",
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="grid-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _run_section(i: int, v: RunView) -> str:
    s = v.stats
    leaks = s["leaks_caught"]
    facts = _kv(
        [
            ("output", str(v.path)),
            ("inputs", ", ".join(map(str, v.config.get("inputs", []))) or "-"),
            (
                "rows",
                f"{_fmt(s['rows_in'])} in = {_fmt(s['rows_out'])} written + "
                f"{_fmt(s['rows_rejected'])} rejected",
            ),
            ("reject reasons", _counts(s["reject_reasons"])),
            ("levels applied", _counts(s["levels_applied"])),
            (
                "leaks caught",
                f"{_fmt(leaks['total'])} (escalated: {_counts(leaks['escalated'])}; "
                f"rejected {_fmt(leaks['rejected'])})",
            ),
            ("span kinds", _counts(s["span_kinds"])),
        ]
    )
    if v.rejects:
        rej_rows = "".join(
            f"<tr><td>{html.escape(str(r['id'] or '-'))}</td><td>{_n(r['row_index'])}</td>"
            f"<td>{html.escape(str(r['reason']))}</td>"
            f"<td>{html.escape(str(r['detail'] or '')[:300])}</td></tr>"
            for r in v.rejects
        )
        rejects = (
            f'<table class="grid-table"><thead><tr><th>id</th><th>row</th><th>reason</th><th>detail</th></tr>'
            f"</thead><tbody>{rej_rows}</tbody></table>"
        )
    else:
        rejects = '<p class="ok">no rejects: every row was written</p>'
    if v.leaks:
        leak_rows = "".join(
            f"<li><b>{html.escape(str(r['id']))}</b>: {html.escape(str(r['leak']))}</li>" for r in v.leaks
        )
        leaks_html = f'<ul class="bad">{leak_rows}</ul>'
    else:
        leaks_html = (
            '<p class="ok">no written row leaks: the audit found nothing of the answer in any masked trace '
            f"({_n(leaks['total'])} caught and fixed by a stricter level or rejected)</p>"
        )
    kinds = sorted({s.kind for r in v.rows for s in _spans(r)})
    options = "".join(f'<option value="{html.escape(k)}">{html.escape(k)}</option>' for k in kinds)
    rows = "".join(_row_html(i, r) for r in v.rows)
    n_spans = sum(len(r.get("spans") or []) for r in v.rows)
    return f"""
<section class="run" id="run-{i}">
  <h2>{html.escape(v.name)}</h2>
  <div class="cols">
    <table class="facts">{facts}</table>
    <figure><figcaption>masked fraction per row ({_n(s["rows_out"])} rows)</figcaption>
      {_svg_histogram(s["masked_fraction"]["histogram"]["counts"])}</figure>
    <figure><figcaption>hidden spans by kind ({_n(s["spans_total"])})</figcaption>
      {_svg_kinds(s["span_kinds"])}</figure>
  </div>
  <h3>Leaks</h3>{leaks_html}
  <h3>Rejects</h3>{rejects}
  <h3>Sample: {len(v.rows)} of {v.total_rows:,} rows, {n_spans:,} hidden spans</h3>
  <div class="controls" data-run="{i}">
    <input type="search" placeholder="filter: id or text" aria-label="filter rows">
    <select aria-label="span kind"><option value="">all kinds</option>{options}</select>
    <span class="shown"></span>
  </div>
  <div class="rows">{rows}</div>
</section>"""


def render_report(views: list[RunView]) -> str:
    """The whole page as one HTML string."""
    template = files("smepo_data").joinpath("report_template.html").read_text(encoding="utf-8")
    legend = "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{c}"></span>{k}</span>'
        for k, c in kind_colours().items()
    )
    body = (
        f'<h1>smepo masking report</h1><p class="muted">{len(views)} run(s). Hover a highlighted span for '
        f"its kind and the reason it was hidden; the matching placeholder lights up on the masked side.</p>"
        f'<div class="legend">{legend}</div>{_overview(views)}'
        + "".join(_run_section(i, v) for i, v in enumerate(views))
    )
    total = sum(len(r.get("spans") or []) for v in views for r in v.rows)
    page = template.replace("<!--BODY-->", body).replace("<!--TOTAL_SPANS-->", str(total))
    return page.replace("<!--CSP-->", _csp(template), 1)


def _csp(template: str) -> str:
    """A Content-Security-Policy that lets the page run its own inline script (pinned by its hash) and
    nothing else: no other script, no network, no plugins, no forms; inline styles and data: images only."""
    scripts = re.findall(r"<script>(.*?)</script>", template, re.DOTALL)
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts
    )
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def write_report(out_dirs: list[str], output: str | Path, sample: int = 50) -> Path:
    """Write the report for ``out_dirs`` to ``output``; returns its path."""
    from .hub.layout import config_names, load_run

    runs = [load_run(d) for d in out_dirs]
    names = config_names(runs)
    views = [
        load_view(r.path, sample, f"{n} ({r.domain}, {r.path.name})")
        for r, n in zip(runs, names, strict=True)
    ]
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(views), encoding="utf-8")
    return path
