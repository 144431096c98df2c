"""The CPU dry run of benchmarks/gpu_probe.py (``--tiny``): one command, every phase through the trainer's
code, a figures table on the console and the figures in OUT/gpu_probe.json."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys

import pytest

from tests.train_support import ROOT

SCRIPT = ROOT / "benchmarks" / "gpu_probe.py"


def probe_module():
    spec = importlib.util.spec_from_file_location("gpu_probe", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_probe(out, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--tiny", "--out", str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_tiny_dry_run_gives_every_phase_its_figures(tmp_path):
    done = run_probe(tmp_path / "probe")
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads((tmp_path / "probe" / "gpu_probe.json").read_text())
    assert record["device"] == "cpu" and record["sizes"] == ["tiny"]
    phases = {e["phase"]: e for e in record["phases"]}
    assert list(phases) == [
        "generation generate",
        "update full fine-tuning",
        "update LoRA",
        "generation loop",
    ]
    for e in phases.values():
        assert "error" not in e and "skipped" not in e, e
        assert e["peak_gib"] > 0
    settings = record["settings"]
    expected_tokens = settings["gen_prompts"] * settings["generations"] * settings["gen_new_tokens"]
    for name in ("generation generate", "generation loop"):  # no end token: every completion runs in full
        assert phases[name]["tokens"] == expected_tokens
        assert phases[name]["warm_tokens_per_s"] > 0
    full, lora = phases["update full fine-tuning"], phases["update LoRA"]
    assert full["trainable"] == full["parameters"] == probe_module().num_parameters_of("tiny")
    assert 0 < lora["trainable"] < lora["parameters"]
    for e in (full, lora):
        # the token budget (64) splits the 4 rows of up to 16 + 24 tokens into more than one micro-batch
        assert e["micro_batches"] >= 2 and e["padded_tokens"] >= e["tokens"]
        assert math.isfinite(e["loss"]) and math.isfinite(e["grad_norm"]) and e["grad_norm"] > 0
        assert e["step_s"] > 0 and e["tokens_per_s"] > 0
    # the console shows the table, one line per phase
    table = done.stdout[done.stdout.index("size  phase") :]
    assert all(name in table for name in phases)


def test_bad_arguments_are_refused_by_name(tmp_path, capsys):
    probe = probe_module()
    out = str(tmp_path / "probe")
    for args, said in (
        (["--sizes", "7B"], "unknown size(s) 7B"),
        (["--completion-len", "9,3"], "LOW,HIGH with 1 <= LOW <= HIGH, got '9,3'"),
    ):
        with pytest.raises(SystemExit) as e:
            probe.parse(["--tiny", "--out", out, *args])
        assert e.value.code == 2 and said in capsys.readouterr().err
    args = probe.parse(["--out", out])  # the GPU run's defaults: both real shapes, realistic lengths
    assert args.sizes == "0.5B,1.5B" and args.device == "cuda" and args.completion_len == "4096,8192"
    # the budget's estimates scale by parameter count, counted as built (Qwen2.5's 0.49B and 1.54B)
    assert probe.SHAPES["1.5B"]["vocab_size"] == 151_936
    assert (probe.num_parameters_of("0.5B"), probe.num_parameters_of("1.5B")) == (494_032_768, 1_543_714_304)
