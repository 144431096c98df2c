"""The pipeline end to end on the bundled samples: layout, accounting, rejects, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from smepo_data import Span, render
from smepo_data.io.writer import OUTPUT_SCHEMA
from smepo_data.pipeline import PipelineConfig, run

from .conftest import ROOT, SAMPLES

GSM8K = str(SAMPLES / "gsm8k_sample.jsonl")
MATH = str(SAMPLES / "math500_sample.jsonl")


def read(out, folder="data"):
    return pq.read_table(out / folder).to_pylist()


@pytest.fixture(scope="module")
def math_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("math")
    run(
        PipelineConfig.from_yaml(ROOT / "pipelines" / "math.yaml", inputs=[MATH], output=str(out)),
        overwrite=True,
    )
    return out


def test_output_layout_and_columns(math_out):
    assert (math_out / "_SUCCESS").exists()
    table = pq.read_table(math_out / "data")
    assert table.schema.equals(OUTPUT_SCHEMA)
    row = table.slice(0, 1).to_pylist()[0]
    assert row["data_source"] == "hendrycks/MATH" and row["ability"] == "math"
    assert row["prompt"] == [{"role": "user", "content": row["question"]}]
    assert row["reward_model"] == {"style": "rule", "ground_truth": r"\left( 3, \frac{\pi}{2} \right)"}
    assert row["extra_info"]["teacher_ds"] == row["masked_trace"]
    assert row["extra_info"]["split"] == "test" and row["id"] == "test/precalculus/807.json"
    assert row["mask_level"] == "critical" and row["leak"] is None
    assert 0 < row["masked_fraction"] < 1


def test_spans_reproduce_the_masked_trace(math_out):
    for row in read(math_out):
        spans = [Span.from_dict(s) for s in row["spans"]]
        assert render(row["trace"], spans, row["placeholder"]) == row["masked_trace"]


def test_stats_account_for_every_row(math_out):
    stats = json.loads((math_out / "stats.json").read_text())
    assert stats["rows_in"] == 40 == stats["rows_out"] + stats["rows_rejected"]
    assert stats["rows_accounted"] is True
    assert stats["spans_total"] == sum(len(r["spans"]) for r in read(math_out))
    assert sum(stats["masked_fraction"]["histogram"]["counts"]) == stats["rows_out"]
    assert stats["throughput"]["rows_per_s"] > 0
    config = json.loads((math_out / "config.json").read_text())
    assert config["preset"] == "math" and config["level"] == "critical"


def test_ids_shared_by_rows_are_written_as_given_and_counted(tmp_path, capsys):
    """Ids are the input's: rows that share one are all written (nothing dropped), and the run counts them
    across shards in stats.json and says so, so a user joining rewards on ids is not misled."""
    from smepo_data.cli import main

    rows = [json.loads(line) for line in Path(GSM8K).read_text().splitlines()][:7]
    for i, r in enumerate(rows):
        r["id"] = f"row{min(i, 4) % 3}"  # row0 row1 row2 row0 row1 row1 row1: 6 rows share an id
    src = tmp_path / "dup.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    assert main(["mask", str(src), "-o", str(out), "--format", "gsm8k", "--shard-rows", "3", "-q"]) == 0
    assert sorted(r["id"] for r in read(out)) == sorted(r["id"] for r in rows)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["duplicate_ids"] == {"rows": 6, "examples": ["row0", "row1"]}
    assert "6 written rows share their id" in capsys.readouterr().out
    unique = tmp_path / "unique"
    run(PipelineConfig(inputs=[GSM8K], output=str(unique), preset="gsm8k"))
    assert json.loads((unique / "stats.json").read_text())["duplicate_ids"] == {"rows": 0, "examples": []}


def test_two_runs_give_identical_output(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        run(PipelineConfig(inputs=[GSM8K, MATH], output=str(out), preset="auto", placeholder="indexed"))
    assert read(a) == read(b) and read(a, "rejects") == read(b, "rejects")
    # every row written or rejected: with `indexed` (one blank per value) MATH-500 number_theory/515 leaks at
    # every level ("$(k-1)+(k)+(k+1)=[BLANK_1]k$" fixes the 3 that the answer's "[BLANK_1]^3" cubes), and so
    # does intermediate_algebra/1388 ("$n^2 + n - [BLANK_3] = ...$ This factors as $(n - [BLANK_4])(n +
    # [BLANK_3])$", one blank for both 2s: the identity fixes both roots, the answer's two values): rejected
    rejects = read(a, "rejects")
    assert len(read(a)) + len(rejects) == 80
    assert sorted((r["id"], r["reason"]) for r in rejects) == [
        ("test/intermediate_algebra/1388.json", "leak"),
        ("test/number_theory/515.json", "leak"),
    ]


def test_auto_format_is_per_run_and_reads_the_first_row(tmp_path):
    run(PipelineConfig(inputs=[GSM8K], output=str(tmp_path)))
    assert json.loads((tmp_path / "config.json").read_text())["preset"] == "gsm8k"


def test_output_loads_with_hugging_face_datasets(math_out):
    from datasets import load_dataset

    ds = load_dataset("parquet", data_files=str(math_out / "data" / "*.parquet"), split="train")
    assert ds.num_rows == 40 and ds[0]["extra_info"]["teacher_ds"] == ds[0]["masked_trace"]


def test_bad_rows_go_to_rejects_with_reasons_and_good_rows_are_written(tmp_path):
    good = [json.loads(line) for line in (SAMPLES / "math500_sample.jsonl").read_text().splitlines()][:3]
    broken = dict(good[0], solution=r"We have $\frac{1}{2$ so $\boxed{3}$")
    no_answer = {"problem": "p", "solution": "We are done."}
    no_trace = {"problem": "p", "answer": "3"}
    lines = [
        json.dumps(good[0]),
        json.dumps(broken),
        "{oops",
        json.dumps(no_answer),
        json.dumps(good[1]),
        json.dumps(no_trace),
        json.dumps(dict(good[2], solution=12)),
        json.dumps(good[2]),
    ]
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join(lines) + "\n")
    stats = run(PipelineConfig(inputs=[str(src)], output=str(tmp_path / "out"), preset="math"))
    assert (stats.rows_in, stats.rows_out, stats.rows_rejected) == (8, 3, 5)
    rejects = read(tmp_path / "out", "rejects")
    assert [(r["row_index"], r["reason"]) for r in rejects] == [
        (1, "broken_latex"),
        (2, "unreadable_row"),
        (3, "unparsable_answer"),
        (5, "missing_field"),
        (6, "wrong_type"),
    ]
    assert (
        "unclosed" in rejects[0]["detail"] and json.loads(rejects[0]["row"])["solution"] == broken["solution"]
    )
    assert rejects[1]["row"] == "{oops"
    assert [r["extra_info"]["index"] for r in read(tmp_path / "out")] == [0, 4, 7]


def test_refuses_to_write_into_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError, match="not empty"):
        run(PipelineConfig(inputs=[GSM8K], output=str(tmp_path)))
    assert (tmp_path / "keep.txt").exists()


def test_pipeline_file_checks_its_keys(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("preset: gsm8k\nlevle: all\n")
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['levle'\]"):
        PipelineConfig.from_yaml(p)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"level": "everything"}, "unknown level 'everything' for domain 'math'"),
        ({"placeholder": "fancy"}, "unknown placeholder 'fancy'"),
        ({"domain": "chemistry"}, "unknown domain 'chemistry'"),
        ({"preset": "nope"}, "unknown format 'nope'"),
    ],
)
def test_bad_configuration_is_a_clear_error(tmp_path, change, message):
    cfg = PipelineConfig(inputs=[GSM8K], output=str(tmp_path / "o"), **change)
    with pytest.raises(ValueError, match=message):
        run(cfg)


def test_all_rows_rejected_still_writes_a_readable_dataset(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text('{"question": "q", "answer": "no final line"}\n')
    stats = run(PipelineConfig(inputs=[str(src)], output=str(tmp_path / "o"), preset="gsm8k"))
    assert stats.rows_out == 0 and stats.rows_rejected == 1
    assert pq.read_table(tmp_path / "o" / "data").num_rows == 0


def test_a_row_past_its_cpu_budget_is_rejected_and_the_run_goes_on(tmp_path, monkeypatch):
    from smepo_data._domains import get_domain

    masker = get_domain("math").masker
    find_spans = masker.find_spans

    def slow_on_row_two(example, level):
        if example.meta.get("index") == 2:
            while True:  # a pathological row: spins until the budget ends it
                pass
        return find_spans(example, level)

    monkeypatch.setattr(masker, "find_spans", slow_on_row_two)
    stats = run(
        PipelineConfig(inputs=[GSM8K], output=str(tmp_path / "o"), preset="gsm8k", limit=5, row_timeout_s=0.5)
    )
    assert (stats.rows_out, stats.rows_rejected) == (4, 1)
    (reject,) = read(tmp_path / "o", "rejects")
    assert reject["reason"] == "timeout" and reject["row_index"] == 2 and "0.5 s of CPU" in reject["detail"]


def test_a_batch_preparation_past_its_budget_leaves_each_row_to_its_own(tmp_path, monkeypatch):
    from smepo_data._domains import get_domain

    src = str(SAMPLES / "hotpotqa_sample.jsonl")
    expected = run(PipelineConfig(inputs=[src], output=str(tmp_path / "e"), preset="hotpotqa", limit=4))
    masker = get_domain("search").masker
    prepare = masker.prepare
    seen = []

    def stuck_after_one(examples):
        prepare(examples[:1])  # parses the first trace, then hangs on the rest
        seen.append(len(masker._docs))
        while True:
            pass

    monkeypatch.setattr(masker, "prepare", stuck_after_one)
    cfg = PipelineConfig(inputs=[src], output=str(tmp_path / "o"), preset="hotpotqa", limit=4)
    cfg.row_timeout_s = 0.5
    stats = run(cfg)
    assert seen == [1] and (stats.rows_out, stats.rows_rejected) == (4, 0)
    assert read(tmp_path / "o") == read(tmp_path / "e") and expected.rows_out == 4


def test_a_bad_level_with_a_column_mapping_is_a_clear_error_before_any_row(tmp_path):
    """As with a named format: refused up front, not every row rejected as a masker error."""
    src = tmp_path / "mine.jsonl"
    src.write_text(json.dumps({"prompt": "What is 2+3?", "solution": "2+3=5", "final": "5"}) + "\n")
    columns = {"question": "prompt", "trace": "solution", "answer": "final"}
    cfg = PipelineConfig(inputs=[str(src)], output=str(tmp_path / "o"), columns=columns, level="entities")
    with pytest.raises(ValueError, match="unknown level 'entities' for domain 'math'"):
        run(cfg)
    assert not (tmp_path / "o").exists()
