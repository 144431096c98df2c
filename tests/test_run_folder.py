"""RunFolder: the one place that names a run folder's parts, read by the pipeline, audit, publish, report
and the trainer alike."""

from __future__ import annotations

import json

import pytest

from smepo_data._runfolder import RunFolder
from smepo_data.audit import dataset_files
from smepo_data.pipeline import PipelineConfig, run

from .conftest import SAMPLES, load_jsonl


def test_the_parts_of_a_finished_run(masked_outputs):
    out = masked_outputs["gsm8k"]
    folder = RunFolder(out)
    assert folder.is_run() and folder.finished
    assert (folder.data, folder.rejects, folder.marker("00000"), folder.log("00000")) == (
        out / "data",
        out / "rejects",
        out / "_shards" / "00000.json",
        out / "_logs" / "00000.log",
    )
    assert folder.data_files() == sorted((out / "data").glob("*.parquet")) and folder.data_files()
    assert folder.reject_files() == sorted((out / "rejects").glob("*.parquet"))
    assert folder.read_config()["preset"] == "gsm8k"
    assert folder.read_stats()["rows_out"] == 40
    assert folder.marker("00000").exists() and folder.shard_files(folder.data, "00000")
    assert dataset_files(out) == folder.data


def test_what_is_not_a_run(tmp_path):
    assert not RunFolder(tmp_path / "missing").is_run()
    (tmp_path / "data").mkdir()
    assert not RunFolder(tmp_path).is_run()  # a data/ folder alone: not ours
    (tmp_path / "config.json").write_text("{}")
    assert RunFolder(tmp_path).is_run() and not RunFolder(tmp_path).finished  # a run in progress
    assert (
        RunFolder(tmp_path).reject_files() == []
        and RunFolder(tmp_path).shard_files(tmp_path / "x", "0") == []
    )


@pytest.fixture(scope="module")
def run_with_a_reject(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rejected")
    rows = load_jsonl(SAMPLES / "gsm8k_sample.jsonl")[:2] + [
        {"question": "2+2?", "answer": "no final answer"}
    ]
    (tmp / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    stats = run(PipelineConfig(inputs=[str(tmp / "in.jsonl")], output=str(tmp / "out"), preset="gsm8k"))
    assert (stats.rows_out, stats.rows_rejected) == (2, 1)
    return tmp / "out"


def test_the_trainer_reads_a_runs_masked_rows_not_its_rejects(run_with_a_reject):
    pytest.importorskip("torch")
    from smepo_train.data import load_samples, parquet_files

    folder = RunFolder(run_with_a_reject)
    assert parquet_files(str(run_with_a_reject)) == [str(f) for f in folder.data_files()]
    assert [s.answer for s in load_samples(str(run_with_a_reject))] == ["72", "10"]
    assert parquet_files(str(folder.rejects)) == [str(f) for f in folder.reject_files()]  # asked for by name
