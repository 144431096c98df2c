"""The report's charts, drawn as inline SVG: the masked-fraction histogram and the span kinds."""

from __future__ import annotations

import html

from .colours import kind_colour
from .formatting import fmt_html


def svg_histogram(counts: list[int], width: int = 380, height: int = 150) -> str:
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
            f'class="bar"><title>{lo:.2f}-{hi:.2f}: {fmt_html(n)} rows</title></rect>'
        )
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = pad_l + plot_w * frac
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" class="tick" text-anchor="middle">{frac:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_kinds(kinds: dict[str, int], width: int = 380) -> str:
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
            f'stroke="#00000022"><title>{html.escape(kind)}: {fmt_html(n)} spans</title></rect>'
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="label">{fmt_html(n)}</text>')
    parts.append("</svg>")
    return "".join(parts)
