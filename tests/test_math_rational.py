"""One rational type for the math domain (``smepo_data.math._rational``), and output that does not depend on
which one it is (quicktions' compiled Fraction or the standard library's)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: masks the bundled samples and prints one line per row: the masked text, the spans, the level, the leak
_MASK_SAMPLES = """
import json, sys
if sys.argv[1] == "stdlib":
    sys.modules["quicktions"] = None  # the import in smepo_data.math._rational fails: the fallback
from smepo_data import mask_example
from smepo_data._domains import find_preset
from smepo_data.math._rational import Fraction
print(Fraction.__module__)
samples = (("math", "examples/data/math500_sample.jsonl"), ("gsm8k", "examples/data/gsm8k_sample.jsonl"))
for preset, path in samples:
    lines = [l for l in open(path, encoding="utf-8") if l.strip()]
    for i, line in enumerate(lines):
        ex = find_preset(preset).to_example(json.loads(line), source=path, index=i)
        try:
            r = mask_example(ex, "critical")
            print(json.dumps([r.text, [repr(s) for s in r.spans], r.level, repr(r.leak)]))
        except Exception as e:  # a rejected row: its reason
            print(json.dumps([type(e).__name__, str(e)]))
"""


def test_every_math_module_takes_fraction_from_rational():
    """A module importing the standard library's Fraction directly would make values of two types, and the
    ``type(v) is Fraction`` fast paths would take the slow (inexact) branch for one of them."""
    stray = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "smepo_data").rglob("*.py"))
        if p.name != "_rational.py"
        and re.search(r"^\s*(?:from fractions import|import fractions)", p.read_text(encoding="utf-8"), re.M)
    ]
    assert stray == []


def test_rational_is_quicktions_when_installed():
    pytest.importorskip("quicktions")
    from smepo_data.math._rational import Fraction

    assert Fraction.__module__ == "quicktions"


def test_masking_is_the_same_with_either_fraction():
    """The bundled MATH-500 and GSM8K samples masked with quicktions and with fractions.Fraction (quicktions
    blocked): the same masked text, spans, levels and leaks, row for row."""
    pytest.importorskip("quicktions")
    out = {}
    for kind in ("quicktions", "stdlib"):
        run = subprocess.run(
            [sys.executable, "-c", _MASK_SAMPLES, kind],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        out[kind] = run.stdout.splitlines()
    assert out["quicktions"][0] == "quicktions" and out["stdlib"][0] == "fractions"
    assert len(out["quicktions"]) == 81  # the module line and 80 rows
    rows = [json.loads(line) for line in out["quicktions"][1:]]
    assert sum(len(r) == 4 for r in rows) >= 70  # most rows are masked, not rejected
    assert out["quicktions"][1:] == out["stdlib"][1:]
