"""Readers and presets: every input format, and a specific reason for every bad row."""

from __future__ import annotations

import gzip
import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smepo_data._domains import column_preset, find_preset, guess_preset, preset_into
from smepo_data._model import RowError
from smepo_data.io.readers import detect_format, exact_count, read_rows
from smepo_data.math.presets import last_boxed

from .conftest import SAMPLES, load_jsonl

GSM = load_jsonl(SAMPLES / "gsm8k_sample.jsonl")[:5]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def formats(tmp_path):
    """The same five GSM8K rows in every supported input format."""
    out = {"jsonl": write_jsonl(tmp_path / "a.jsonl", GSM)}
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(out["jsonl"].read_bytes()))
    out["jsonl.gz"] = gz
    out["json"] = tmp_path / "a.json"
    out["json"].write_text(json.dumps(GSM))
    out["parquet"] = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_pylist(GSM), out["parquet"])
    hub = tmp_path / "hub" / "data"
    hub.mkdir(parents=True)
    shutil.copy(out["parquet"], hub / "train-00000-of-00001.parquet")
    out["hub folder"] = tmp_path / "hub"
    from datasets import Dataset

    Dataset.from_list(GSM).save_to_disk(str(tmp_path / "saved"))
    out["save_to_disk folder"] = tmp_path / "saved"
    return out


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "json", "parquet", "hub folder", "save_to_disk folder"])
def test_every_format_reads_the_same_rows(formats, fmt):
    rows = list(read_rows(formats[fmt]))
    assert [r.data for r in rows] == GSM
    assert [r.index for r in rows] == list(range(5))


def test_detect_format_refuses_unknown_names(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a")
    with pytest.raises(ValueError, match="cannot tell the format"):
        detect_format(p)
    with pytest.raises(FileNotFoundError):
        read_rows(tmp_path / "missing.jsonl")


def test_bad_lines_come_out_with_their_error(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_bytes(
        b'{"question": "ok", "answer": "x\\n#### 1"}\n{not json\n[1, 2]\n'
        b'\xff\xfe{"a": 1}\n\n"just a string"\n'
    )
    rows = list(read_rows(p))
    assert rows[0].data is not None and rows[0].error is None
    assert rows[1].error.startswith("invalid JSON")
    assert rows[2].error == "a JSON list, not an object"
    assert rows[3].error == "invalid UTF-8 at byte 0"
    assert rows[4].error == "a JSON str, not an object"
    assert len(rows) == 5  # the blank line is not a row


def test_gsm8k_preset_takes_the_answer_from_the_final_line():
    ex = find_preset("gsm8k").to_example(GSM[0], source="gsm8k_train.jsonl", index=0)
    assert (ex.id, ex.question[:7], ex.answer, ex.domain) == ("gsm8k_train.jsonl:0", "Natalia", "72", "math")
    row = {"question": "q", "answer": "She has 1,000 + 200 = 1,200 apples.\n#### 1,200"}
    assert find_preset("gsm8k").to_example(row, source="s", index=0).answer == "1200"


def test_math_preset_falls_back_to_the_last_boxed_answer():
    row = load_jsonl(SAMPLES / "math500_sample.jsonl")[2]
    ex = find_preset("math").to_example(row, source="m", index=2)
    assert ex.id == row["unique_id"] and ex.answer == row["answer"]
    del row["answer"]
    assert find_preset("math").to_example(row, source="m", index=2).answer == r"\frac{14}{3}"
    assert last_boxed(r"first \boxed{1} then \boxed{\frac{a}{b}}") == r"\frac{a}{b}"


def test_smepo_preset_reads_nested_columns():
    row = {
        "question": "What is 2+3?",
        "reward_model": {"ground_truth": "5", "style": "rule"},
        "extra_info": {"teacher_ds": "2+3 = 5.\nThe answer is 5.", "index": 7},
    }
    ex = find_preset("smepo").to_example(row, source="math.parquet", index=0)
    assert (ex.trace, ex.answer, ex.id) == ("2+3 = 5.\nThe answer is 5.", "5", "7")


def test_column_mapping():
    preset = column_preset({"question": "prompt", "trace": "sol.text", "answer": "final"}, "math")
    ex = preset.to_example({"prompt": "p", "sol": {"text": "t"}, "final": 3}, source="s", index=4)
    assert (ex.question, ex.trace, ex.answer, ex.id) == ("p", "t", "3", "s:4")
    with pytest.raises(ValueError, match="unknown field"):
        column_preset({"questoin": "q"}, "math")
    with pytest.raises(ValueError, match="must name trace"):
        column_preset({"question": "q", "answer": "a"}, "math")
    with pytest.raises(ValueError, match="must name answer, trace"):
        column_preset({"question": "q"}, "math")
    # math derives a missing answer from the last \boxed{} (its column_base, MATH); code cannot
    boxed = column_preset({"question": "q", "trace": "t"}, "math")
    assert boxed.to_example({"q": "p", "t": r"so \boxed{12}"}, source="s", index=0).answer == "12"
    with pytest.raises(ValueError, match="must name answer"):
        column_preset({"question": "q", "trace": "t"}, "code")


def test_guess_preset():
    assert guess_preset(GSM[0]) == "gsm8k"
    assert guess_preset({"problem": "", "solution": ""}) == "math"
    assert guess_preset({"teacher_ds": ""}) == "smepo"
    assert guess_preset({"text": ""}) is None
    assert guess_preset({"prompt": "", "canonical_solution": "", "entry_point": "f"}) == "humaneval"
    assert guess_preset({"text": "", "code": "", "test_list": []}) == "mbpp"
    assert (
        guess_preset({"reward_model": {"ground_truth": '{"inputs": ["1"], "outputs": ["1"]}'}})
        == "smepo_code"
    )
    # where two presets' columns fit, the more distinctive wins, across domains: MATH's problem/solution
    # over SMEPO's teacher_ds, SMEPO's over GSM8K's question/answer, HumanEval's over MBPP's ...
    both = {"question": "q", "answer": "x\n#### 1", "teacher_ds": "t"}
    assert guess_preset(both) == "smepo"
    assert guess_preset({**both, "problem": "p", "solution": "s"}) == "math"
    assert (
        guess_preset({**both, "canonical_solution": "", "entry_point": "f", "test_list": []}) == "humaneval"
    )
    assert guess_preset({**both, "test_list": [], "code": ""}) == "mbpp"
    assert guess_preset({"question": "q", "answer": 5}) is None


def test_math_gold_reading_follows_the_domain_read_into():
    solution = "So 3 + 4 = 7.\nThe answer is \\boxed{7}."
    row = {"question": "q", "teacher_ds": "3 + 4 = 7", "reward_model": {"ground_truth": solution}}
    assert find_preset("smepo").to_example(row, source="s", index=0).answer == "7"
    as_code = preset_into(find_preset("smepo"), "code").to_example(row, source="s", index=0)
    assert (as_code.domain, as_code.answer) == ("code", solution)
    as_math = preset_into(find_preset("smepo_code"), "math").to_example(row, source="s", index=0)
    assert (as_math.domain, as_math.answer) == ("math", "7")
    assert preset_into(find_preset("gsm8k"), None) is find_preset("gsm8k")
    columns = {"question": "question", "trace": "teacher_ds", "answer": "reward_model.ground_truth"}
    assert column_preset(columns, "math").to_example(row, source="s", index=0).answer == "7"
    assert column_preset(columns, "search").to_example(row, source="s", index=0).answer == solution


def test_empty_trace_is_rejected():
    with pytest.raises(RowError, match="empty_trace"):
        find_preset("math").to_example(
            {"problem": "p", "solution": "  \n", "answer": "1"}, source="s", index=0
        )


@pytest.mark.parametrize(
    "row, reason, detail",
    [
        ({"answer": "x\n#### 1"}, "missing_field", "no 'question' value (looked for: question)"),
        ({"question": None, "answer": "x\n#### 1"}, "missing_field", "(column 'question') is null"),
        ({"question": "q", "answer": " \n"}, "empty_trace", "the trace is empty"),
        ({"question": "q", "answer": "{" * 300 + "}" * 300 + "\n#### 1"}, "too_deep", "300 deep (limit 200)"),
        (
            {"question": 5, "answer": "x\n#### 1"},
            "wrong_type",
            "'question' (column 'question') is int, expected text",
        ),
        ({"question": ["a"], "answer": "x\n#### 1"}, "wrong_type", "is list, expected text"),
        ({"question": "q", "answer": "no final line"}, "unparsable_answer", "no '#### <answer>' line"),
        ({"question": "q\x00", "answer": "x\n#### 1"}, "invalid_text", "contains a NUL byte"),
        ({"question": "q\ud800", "answer": "x\n#### 1"}, "invalid_text", "lone surrogate"),
        (
            {"question": "q", "answer": "x" * 300_000 + "\n#### 1"},
            "too_large",
            "300,007 characters (limit 200,000)",
        ),
    ],
)
def test_bad_rows_get_a_specific_reason(row, reason, detail):
    with pytest.raises(RowError) as e:
        find_preset("gsm8k").to_example(row, source="s", index=0)
    assert e.value.reason == reason and detail in e.value.detail


@pytest.mark.parametrize(
    "imports, reason, detail",
    [
        (5, "wrong_type", "'test_imports' is int, expected list"),
        ("import math", "wrong_type", "'test_imports' is str, expected list"),
        ({"import math": 1}, "wrong_type", "'test_imports' is dict, expected list"),
        ([5], "wrong_type", "must hold strings"),
    ],
)
def test_mbpp_test_imports_of_the_wrong_type_are_rejected(imports, reason, detail):
    row = {"text": "Add.", "code": "def add(a, b):\n    return a + b", "test_list": ["assert add(1, 2) == 3"]}
    with pytest.raises(RowError) as e:
        find_preset("mbpp").to_example({**row, "test_imports": imports}, source="s", index=0)
    assert e.value.reason == reason and detail in e.value.detail
    # absent or null, or a list of import lines: read
    for fine in ({}, {"test_imports": None}, {"test_imports": ["import math"]}):
        assert find_preset("mbpp").to_example({**row, **fine}, source="s", index=0).answer


def test_a_utf8_byte_order_mark_is_no_part_of_the_first_row(tmp_path):
    rows = [{"question": "q1", "answer": "a\n#### 1"}, {"question": "q2", "answer": "b\n#### 2"}]
    lines = tmp_path / "bom.jsonl"
    lines.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in rows).encode())
    array = tmp_path / "bom.json"
    array.write_bytes(b"\xef\xbb\xbf" + json.dumps(rows).encode())
    for path in (lines, array):
        read = list(read_rows(path))
        assert [r.data for r in read] == rows and all(r.error is None for r in read)
    # a blank first line after the mark is no row either, and the count agrees
    blank = tmp_path / "bom_blank.jsonl"
    blank.write_bytes(b"\xef\xbb\xbf\n" + "".join(json.dumps(r) + "\n" for r in rows).encode())
    assert [r.data for r in read_rows(blank)] == rows and exact_count(blank) == 2
    # a mark anywhere but the start stays an error of its row
    inside = tmp_path / "inside.jsonl"
    inside.write_bytes(json.dumps(rows[0]).encode() + b"\n\xef\xbb\xbf" + json.dumps(rows[1]).encode())
    assert [r.error is None for r in read_rows(inside)] == [True, False]


def test_a_byte_order_mark_before_a_line_over_the_bound_is_one_too_large_row(tmp_path):
    """Found by the hostile reading test: the mark taken off the first line read left it under the bound,
    so the rest of that line came back as a second row."""
    from smepo_data.io.readers import exact_count, read_rows

    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"9" * 500 + b"\n" + b'{"a": 1}')
    rows = list(read_rows(path, max_line_bytes=64))
    assert [r.reason for r in rows][:1] == ["too_large"] and len(rows) == 2 == exact_count(path, 64)
    path.write_bytes(b"\xef\xbb\xbf")  # a mark alone is an empty file
    assert list(read_rows(path, max_line_bytes=64)) == [] and exact_count(path, 64) == 0
