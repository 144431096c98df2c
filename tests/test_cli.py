"""``smepo-data mask`` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from smepo_data.cli import main
from smepo_data.pipeline import PipelineConfig

from .conftest import ROOT, SAMPLES

GSM8K = str(SAMPLES / "gsm8k_sample.jsonl")


def test_mask_with_a_pipeline_file(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["mask", GSM8K, "-o", str(out), "--pipeline", str(ROOT / "pipelines" / "gsm8k.yaml"), "-q"])
    assert code == 0
    text = capsys.readouterr().out
    assert "rows in" in text and "40" in text and "masked fraction" in text and "leaks caught" in text
    assert pq.read_table(out / "data").num_rows == 40


def test_flags_override_the_pipeline_file(tmp_path):
    out = tmp_path / "out"
    main(
        [
            "mask",
            GSM8K,
            "-o",
            str(out),
            "--pipeline",
            str(ROOT / "pipelines" / "gsm8k.yaml"),
            "--level",
            "all",
            "--placeholder",
            "indexed",
            "--limit",
            "5",
            "-q",
        ]
    )
    rows = pq.read_table(out / "data").to_pylist()
    assert len(rows) == 5
    assert {r["mask_level"] for r in rows} == {"all"} and "[BLANK_1]" in rows[0]["masked_trace"]


def test_column_mapping_from_the_command_line(tmp_path):
    src = tmp_path / "mine.jsonl"
    src.write_text(
        json.dumps(
            {
                "prompt": "Tom has 3 apples and buys 4 more. How many?",
                "worked": "3 + 4 = 7 apples.\nThe answer is 7.",
                "gold": 7,
            }
        )
        + "\n"
    )
    out = tmp_path / "out"
    code = main(
        [
            "mask",
            str(src),
            "-o",
            str(out),
            "--domain",
            "math",
            "--column",
            "question=prompt",
            "--column",
            "trace=worked",
            "--column",
            "answer=gold",
            "-q",
        ]
    )
    assert code == 0
    row = pq.read_table(out / "data").to_pylist()[0]
    # 3 + 4 would replay into the answer: the question's 3 is cut; the answer is a blank like any other
    assert row["masked_trace"] == "[NUMBER] + 4 = [NUMBER] apples.\nThe answer is [NUMBER]."


def test_errors_are_one_clear_line(tmp_path, capsys):
    assert main(["mask", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o")]) == 2
    assert "missing.jsonl does not exist" in capsys.readouterr().err
    assert main(["mask", GSM8K, "-o", str(tmp_path / "o2"), "--level", "nope", "-q"]) == 2
    assert "unknown level 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:  # a malformed --column is a usage error, as argparse's are
        main(["mask", GSM8K, "-o", str(tmp_path / "o3"), "--column", "question", "-q"])
    assert exited.value.code == 2
    assert "--column takes FIELD=COLUMN" in capsys.readouterr().err


def test_console_script_runs_with_a_progress_bar(tmp_path):
    out = tmp_path / "out"
    exe = ROOT / ".venv" / "bin" / "smepo-data"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "smepo_data.cli"]
    res = subprocess.run([*cmd, "mask", GSM8K, "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "rows written" in res.stdout
    assert json.loads((out / "stats.json").read_text())["rows_out"] == 40


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--shard-rows", "-5"], "shard_rows must be a whole number >= 1"),
        (["--shard-rows", "0"], "shard_rows must be a whole number >= 1"),
        (["--limit", "-1"], "limit must be a whole number >= 1"),
        (["--workers", "0"], "workers must be a whole number >= 1"),
        (["--row-timeout", "-1"], "row_timeout_s must be >= 0"),
        (["--split", "test-a"], "split 'test-a': use letters, digits and underscores"),
    ],
)
def test_bad_settings_are_refused_before_any_row_is_read(tmp_path, capsys, flags, message):
    assert main(["mask", GSM8K, "-o", str(tmp_path / "o"), "--format", "gsm8k", "-q", *flags]) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_an_output_path_that_is_a_file_and_a_broken_pipeline_file_are_clear_errors(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["mask", GSM8K, "-o", str(tmp_path / "afile"), "--format", "gsm8k", "-q"]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err
    (tmp_path / "bad.yaml").write_text("level: [critical\n")
    assert (
        main(["mask", GSM8K, "-o", str(tmp_path / "o"), "--pipeline", str(tmp_path / "bad.yaml"), "-q"]) == 2
    )
    assert "is not valid YAML" in capsys.readouterr().err


def test_a_run_that_writes_no_row_says_so_and_fails(tmp_path, capsys):
    math500 = str(SAMPLES / "math500_sample.jsonl")
    assert main(["mask", math500, "-o", str(tmp_path / "o"), "--format", "gsm8k", "-q"]) == 1
    assert "no row was written: every row was rejected" in capsys.readouterr().out


def test_a_pipeline_files_workers_is_kept_unless_the_flag_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr("smepo_data.cli.os.cpu_count", lambda: 8)
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text("preset: gsm8k\nworkers: 1\n")
    for flags, workers in (([], 1), (["--workers", "2"], 2)):
        out = tmp_path / f"out{workers}"
        assert (
            main(["mask", GSM8K, "-o", str(out), "--pipeline", str(pipeline), "--limit", "2", "-q"] + flags)
            == 0
        )
        assert json.loads((out / "config.json").read_text())["workers"] == workers
    (tmp_path / "bare.yaml").write_text("preset: gsm8k\n")
    assert PipelineConfig.from_yaml(tmp_path / "bare.yaml", defaults={"workers": 8}).workers == 8
    assert PipelineConfig.from_yaml(pipeline, defaults={"workers": 8}).workers == 1


def test_doctor_prints_the_sandbox_isolation_report(capsys, monkeypatch):
    from smepo_data.code import _isolation, sandbox

    isolated = sandbox.isolation_report()["isolated"]
    assert main(["doctor"]) == (0 if isolated else 1)
    out = capsys.readouterr().out
    assert out.startswith("isolated ") and "namespaces" in out and "cgroup" in out
    # a machine that gives no isolation: the report says why, and the exit code says so
    denied = (False, "unshare(CLONE_NEWUSER): Operation not permitted")
    monkeypatch.setattr(_isolation, "_probe", lambda: denied)
    assert main(["doctor"]) == 1
    assert "Operation not permitted" in capsys.readouterr().out
