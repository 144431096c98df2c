"""The report page: a sample row's article, a run's section, the overview table and the legend, put into
the template (``template.html``, which carries the CSS and the script) under a Content-Security-Policy,
and written to a file."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from .charts import svg_histogram, svg_kinds
from .colours import kind_colours
from .formatting import fmt, fmt_html
from .highlight import highlight_masked, highlight_original, row_spans
from .view import RunView, load_view


def _row_html(run: int, row: dict[str, Any]) -> str:
    spans = row_spans(row)
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
        f'<span class="badge">masked {fmt_html(row["masked_fraction"], ".1%")}</span>{leak}</header>'
        f'<details open><summary>question</summary><pre class="q">{html.escape(row["question"] or "")}</pre>'
        f'</details><div class="pair"><div><h4>original</h4><pre class="trace">'
        f"{highlight_original(row['trace'] or '', spans)}</pre></div>"
        f'<div><h4>masked</h4><pre class="trace">{highlight_masked(row, spans)}</pre></div></div>'
        f"</article>"
    )


def _kv(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k}: {fmt(v)}" for k, v in d.items()) or "none"


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
            fmt_html(s["rows_in"]),
            fmt_html(s["rows_out"]),
            fmt_html(s["rows_rejected"]),
            fmt_html(leaks["total"]),
            fmt_html(s["spans_total"]),
            f"{fmt_html(mf['mean'], '.3f')} / {fmt_html(mf['p50'], '.2f')} / {fmt_html(mf['p90'], '.2f')}",
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
                f"{fmt(s['rows_in'])} in = {fmt(s['rows_out'])} written + {fmt(s['rows_rejected'])} rejected",
            ),
            ("reject reasons", _counts(s["reject_reasons"])),
            ("levels applied", _counts(s["levels_applied"])),
            (
                "leaks caught",
                f"{fmt(leaks['total'])} (escalated: {_counts(leaks['escalated'])}; "
                f"rejected {fmt(leaks['rejected'])})",
            ),
            ("span kinds", _counts(s["span_kinds"])),
        ]
    )
    if v.rejects:
        rej_rows = "".join(
            f"<tr><td>{html.escape(str(r['id'] or '-'))}</td><td>{fmt_html(r['row_index'])}</td>"
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
            f"({fmt_html(leaks['total'])} caught and fixed by a stricter level or rejected)</p>"
        )
    kinds = sorted({s.kind for r in v.rows for s in row_spans(r)})
    options = "".join(f'<option value="{html.escape(k)}">{html.escape(k)}</option>' for k in kinds)
    rows = "".join(_row_html(i, r) for r in v.rows)
    n_spans = sum(len(r.get("spans") or []) for r in v.rows)
    return f"""
<section class="run" id="run-{i}">
  <h2>{html.escape(v.name)}</h2>
  <div class="cols">
    <table class="facts">{facts}</table>
    <figure><figcaption>masked fraction per row ({fmt_html(s["rows_out"])} rows)</figcaption>
      {svg_histogram(s["masked_fraction"]["histogram"]["counts"])}</figure>
    <figure><figcaption>hidden spans by kind ({fmt_html(s["spans_total"])})</figcaption>
      {svg_kinds(s["span_kinds"])}</figure>
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
    template = files("smepo_data.report").joinpath("template.html").read_text(encoding="utf-8")
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
    from ..hub.layout import config_names, load_run

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
