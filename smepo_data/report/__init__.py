"""``smepo-data report``: one self-contained HTML page that shows what the masking did.

    smepo-data report out/gsm8k out/humaneval -o report.html

Per run: the stats, a chart of the masked-fraction distribution and one of the span kinds (inline SVG,
drawn here), the leaks the audit caught and the rejects, and a browsable sample of rows with the original
and the masked trace side by side: hidden spans highlighted, their kind and reason on hover. Everything
(CSS, JS, charts) is inline: the page opens offline and can be mailed around. Rows are read with polars
(``scan_parquet``), so only the sample is loaded, however large the run.

The modules, one job each: ``view`` (loading a run), ``charts`` (SVG), ``highlight`` (a row's traces),
``page`` (the HTML page and writing it), ``colours`` (span kinds' colours, from the domain registry) and
``formatting`` (numbers as text).
"""

from .colours import OTHER_COLOUR, kind_colour, kind_colours
from .highlight import highlight_masked, highlight_original
from .page import render_report, write_report
from .view import SAMPLE_COLUMNS, RunView, load_view

__all__ = [
    "OTHER_COLOUR",
    "SAMPLE_COLUMNS",
    "RunView",
    "highlight_masked",
    "highlight_original",
    "kind_colour",
    "kind_colours",
    "load_view",
    "render_report",
    "write_report",
]
