"""The README's first command: the demo masks every bundled sample and writes the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_masks_every_domain_and_writes_a_report(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py"), str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for name, rows in (("gsm8k", 40), ("math", 40), ("humaneval", 20), ("mbpp", 20), ("hotpotqa", 20)):
        stats = json.loads((tmp_path / name / "stats.json").read_text())
        assert (stats["rows_in"], stats["rows_out"]) == (rows, rows), name
    page = (tmp_path / "report.html").read_text()
    assert page.count('<section class="run"') == 5
    # the console wraps long paths at its width (80 columns under pytest-xdist): read the lines joined
    assert "[NUMBER]" in done.stdout and "[ANSWER]" not in done.stdout
    assert "report.html" in done.stdout.replace("\n", "")
