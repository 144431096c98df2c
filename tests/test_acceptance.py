"""The issue's acceptance run on the full corpora in ../shared/data (skipped where it is absent):
mask, then check with the independent scripts (benchmarks/recover_check.py for math: its own attacks and
damage checks; code_acceptance.py; search_acceptance.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from smepo_data.pipeline import PipelineConfig, run

from .conftest import ROOT

DATA = ROOT.parent / "shared" / "data" / "math"
CODE = ROOT.parent / "shared" / "data" / "code"
SEARCH = ROOT.parent / "shared" / "data" / "search"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DATA / "math500_test.jsonl").exists(), reason="../shared/data/math is not here"),
]


def check(*outs) -> dict:
    """Run the independent recoverability checker (benchmarks/recover_check.py: its own attacks, it imports
    nothing of smepo_data); return its JSON summary per output."""
    res = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "recover_check.py"), *map(str, outs), "--json"],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert res.returncode in (0, 1), res.stderr[-3000:]
    summary = json.loads(res.stdout)
    return {s["input"]: s for s in summary["inputs"]}


def assert_clean(summary: dict, level: str) -> None:
    assert summary["leak_rows"] == 0, (level, summary["leaks"], summary["examples"])
    damage = {k: v for k, v in summary["damage"].items() if v}
    if level == "all":  # every value hidden, exponents included: only a swallowed operator or a bad render
        damage = {
            k: v for k, v in damage.items() if k in ("swallowed_operator", "render_mismatch", "unaligned")
        }
    assert not damage, (level, damage, summary["damage_examples"])


def test_math500_every_level_leaks_nothing_and_critical_keeps_the_structure(tmp_path):
    outs = {}
    for level in ("answer", "critical", "all"):
        out = tmp_path / level
        cfg = PipelineConfig(
            inputs=[str(DATA / "math500_test.jsonl")], output=str(out), preset="math", level=level
        )
        run(cfg)
        outs[level] = out
    summaries = check(*outs.values())
    for level, out in outs.items():
        assert_clean(summaries[str(out)], level)
    critical = summaries[str(outs["critical"])]
    for kept in ("operators", "step_labels", "indices"):
        assert critical["kept_pct"][kept] in (100.0, None), (kept, critical["kept_pct"])
    assert critical["hidden_zero_pct"] <= 2.0


def test_gsm8k_critical_leaks_nothing_and_keeps_the_structure(tmp_path):
    out = tmp_path / "critical"
    stats = run(PipelineConfig(inputs=[str(DATA / "gsm8k_train.jsonl")], output=str(out), preset="gsm8k"))
    assert stats.rows_in == 7473 == stats.rows_out + stats.rows_rejected
    summary = check(out)[str(out)]
    assert_clean(summary, "critical")
    assert summary["kept_pct"]["operators"] == 100.0


@pytest.mark.skipif(not (CODE / "HumanEval.jsonl.gz").exists(), reason="../shared/data/code is not here")
def test_humaneval_references_pass_and_body_masking_leaks_nothing():
    res = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "code_acceptance.py"),
            "--corpora",
            "humaneval",
            "--levels",
            "body",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout + res.stderr[-2000:]  # non-zero on a leak or < 99% plan kept
    assert "references passing their tests: 164/164" in res.stdout
    assert "leaks on re-check 0" in res.stdout


@pytest.mark.skipif(
    not (SEARCH / "reflexion_hotpotqa_distractor_sample100.jsonl").exists(), reason="no search data"
)
def test_search_traces_leak_nothing_and_keep_question_entities():
    res = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "search_acceptance.py")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout + res.stderr[-2000:]  # non-zero on a leak or < 95% kept / hidden
    assert res.stdout.count("leaks 0") == 12  # 4 sources x 3 levels
