"""``smepo-data report``: one self-contained page, checked in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from smepo_data import Span
from smepo_data.cli import main
from smepo_data.pipeline import PipelineConfig, run
from smepo_data.report import highlight_masked, highlight_original, load_view

from .conftest import ROOT, SAMPLES, load_jsonl

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    pytest.skip(f"no headless browser ({', '.join(BROWSERS)}); on Debian: apt-get install chromium")


@pytest.fixture(scope="module")
def with_rejects(tmp_path_factory):
    """GSM8K rows plus two broken ones, so the report has rejects to list."""
    folder = tmp_path_factory.mktemp("rejects")
    rows = load_jsonl(SAMPLES / "gsm8k_sample.jsonl")[:6]
    rows += [{"question": "How many?", "answer": "no final line"}, {"question": "Q", "answer": 7}]
    src = folder / "gsm8k_broken.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    run(PipelineConfig(inputs=[str(src)], output=str(folder / "out"), preset="gsm8k"))
    return folder / "out"


def test_spans_are_highlighted_on_both_sides(masked_outputs):
    row = load_view(masked_outputs["gsm8k"], sample=1).rows[0]
    spans = [Span.from_dict(s) for s in row["spans"]]
    original = highlight_original(row["trace"], spans)
    assert original.count('<mark class="hidden-span"') == len(spans) >= 7
    assert 'title="answer: ' in original  # kind and reason on hover
    masked = highlight_masked(row, spans)
    assert masked.count('<span class="ph" data-i=') == len(spans)  # each placeholder linked to its span


def test_report_renders_in_a_headless_browser(masked_outputs, with_rejects, tmp_path, capsys):
    chrome = browser()
    page = tmp_path / "report.html"
    names = ("gsm8k", "math500", "humaneval", "mbpp", "hotpotqa")
    runs = [with_rejects] + [masked_outputs[n] for n in names]  # rejects first: in the screenshot
    assert main(["report", *map(str, runs), "-o", str(page), "--sample", "50"]) == 0
    text = page.read_text()
    assert not re.search(
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text
    )  # nothing to fetch: works offline
    # every row is in the sample (50 > 40), so the page must highlight every span the runs hid
    expected = sum(json.loads((r / "stats.json").read_text())["spans_total"] for r in runs)
    base = [chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio"]
    dom = subprocess.run(
        [*base, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert 'data-ready="1"' in dom  # the page's script ran
    assert dom.count('<mark class="hidden-span"') == expected
    assert f'data-highlighted="{expected}"' in dom  # counted by the page itself, after its script ran
    assert f"{expected} hidden spans highlighted in the sample." in dom
    assert dom.count("showing 40 of 40 rows") == 2 and "showing 20 of 20 rows" in dom
    assert "unparsable_answer" in dom and "wrong_type" in dom  # the rejects are listed
    assert dom.count("<svg") >= 2 * len(runs)  # histogram and span kinds per run
    shot = tmp_path / "report.png"
    subprocess.run(
        [*base, "--window-size=1400,2000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    kept = ROOT / "test-output" / "report.png"  # for a person to look at (git-ignored)
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(shot, kept)
    shutil.copyfile(page, kept.with_suffix(".html"))
    with capsys.disabled():
        print(f"\nreport screenshot: {kept} (page: {kept.with_suffix('.html')})")


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_every_value_from_a_run_folder_is_escaped_and_only_the_pages_own_script_may_run(
    masked_outputs, with_rejects, tmp_path
):
    import base64
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "tampered"
    shutil.copytree(with_rejects, out)
    (data,) = (out / "data").glob("*.parquet")
    rows = pq.read_table(data).to_pylist()
    rows[0]["spans"][0]["kind"] = HOSTILE  # a span kind lands in attributes and the kind filter
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(data)), data)
    (rejects,) = (out / "rejects").glob("*.parquet")
    bad = [dict(r, row_index=HOSTILE, reason=HOSTILE) for r in pq.read_table(rejects).to_pylist()]
    pq.write_table(pa.Table.from_pylist(bad), rejects)  # row_index as text, as a hand-made file may hold
    stats = json.loads((out / "stats.json").read_text())
    stats["reject_reasons"] = {HOSTILE: stats["rows_rejected"]}
    stats["leaks_caught"]["total"] = HOSTILE
    (out / "stats.json").write_text(json.dumps(stats))
    page = tmp_path / "report.html"
    assert main(["report", str(out), "-o", str(page)]) == 0
    text = page.read_text()
    assert "alert" in text and "<img" not in text and "<script>alert" not in text
    assert text.count("<script>") == 1
    script = re.search(r"<script>(.*?)</script>", text, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    (csp,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
    assert f"script-src 'sha256-{digest}';" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
