"""A corpus of bad rows in every domain: the run finishes, each bad row is a reject with its specific
reason, and every good (or merely nasty) row of the same file is written."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smepo_data._domains import find_preset
from smepo_data.cli import main
from smepo_data.pipeline import PipelineConfig, run

from .conftest import SAMPLES

TEN_MB = "A line of a very long trace that goes on and on.\n" * 210_000


def jsonl(path):
    return [json.loads(line) for line in (SAMPLES / path).read_text().splitlines()]


def code_rows():
    """HumanEval rows in the released SMEPO code layout (question, teacher_ds, reward_model)."""
    out = []
    for i, row in enumerate(jsonl("humaneval_sample.jsonl")[:3]):
        ex = find_preset("humaneval").to_example(row, source="humaneval", index=i)
        out.append(
            {
                "id": ex.id,
                "question": ex.question,
                "teacher_ds": ex.trace,
                "reward_model": {"ground_truth": ex.answer},
            }
        )
    return out


def unterminated(trace: str) -> str:
    return trace.rstrip().removesuffix("```").rstrip() + "\n"


# domain: (preset, good rows, question key, trace key, a nasty but valid trace the masker must still handle)
DOMAINS = {
    "math": (
        "gsm8k",
        jsonl("gsm8k_sample.jsonl")[:3],
        "question",
        "answer",
        lambda t: "\\text{" * 150 + "}" * 150 + "9" * 30_000 + " and " + " " * 30_000 + "\n" + t,
    ),
    "code": ("smepo_code", code_rows(), "question", "teacher_ds", unterminated),
    "search": (
        "searchr1",
        [*jsonl("searchr1_sample.jsonl"), dict(jsonl("searchr1_sample.jsonl")[0], id="searchr1-again")],
        "question",
        "trace",
        lambda t: "Action: " + " " * 50_000 + "\n" + "Paris " * 5_000 + "\n" + t,
    ),
}


def corpus(domain: str) -> tuple[list[bytes], list[str]]:
    """Lines of a JSONL file and, for each, ``"out"`` or the reject reason it must get."""
    _, good, q, t, nasty = DOMAINS[domain]
    g = good[0]

    def row(**change):
        return json.dumps({**g, **change}).encode()

    cases = [
        (json.dumps(good[0]).encode(), "out"),
        (row(**{t: None}), "missing_field"),  # null
        (row(**{q: 12}), "wrong_type"),  # a number where text belongs
        (row(**{t: ["step one", "step two"]}), "wrong_type"),  # a list where text belongs
        (json.dumps({"id": "x", q: g[q]}).encode(), "missing_field"),  # missing columns
        (row(**{t: "  \n"}), "empty_trace"),
        (json.dumps(good[1]).encode(), "out"),
        (row(**{t: TEN_MB + g[t]}), "too_large"),  # a 10 MB trace
        (row(**{t: g[t][:20] + "\x00" + g[t][20:]}), "invalid_text"),  # a NUL byte
        (row(**{t: g[t] + " \ud800"}), "invalid_text"),  # a lone surrogate
        (b'{"' + q.encode() + b'": "caf\xe9 \xff", "x": 1}', "unreadable_row"),  # invalid UTF-8
        (row(**{t: "{" * 10_000 + "}" * 10_000 + "\n" + g[t]}), "too_deep"),  # 10,000 nested braces
        (b'{"question": "unterminated', "unreadable_row"),  # not JSON
        (b'{"id": "deep", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "too_deep"),  # RecursionError
        (b'{"id": "long", "x": ' + b"9" * 5_000 + b"}", "unreadable_row"),  # int past the digit limit
        (
            json.dumps({**good[2], t: nasty(good[2][t])}).encode(),
            "out",
        ),  # regex-pathological / unterminated fence
        (json.dumps(good[2]).encode(), "out"),
    ]
    return [line for line, _ in cases], [want for _, want in cases]


@pytest.mark.parametrize("domain", list(DOMAINS))
def test_every_bad_row_is_rejected_with_its_reason_and_every_good_row_is_written(tmp_path, domain):
    lines, expected = corpus(domain)
    src = tmp_path / f"{domain}.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out"
    # a tight CPU budget: a pathological-but-valid row that got slow would be rejected as "timeout"
    stats = run(
        PipelineConfig(inputs=[str(src)], output=str(out), preset=DOMAINS[domain][0], row_timeout_s=10)
    )
    rows = {r["extra_info"]["index"]: r for r in pq.read_table(out / "data").to_pylist()}
    written = set(rows)
    rejects = {r["row_index"]: r for r in pq.read_table(out / "rejects").to_pylist()}
    got = ["out" if i in written else rejects[i]["reason"] for i in range(len(lines))]
    assert got == expected
    assert (stats.rows_in, stats.rows_out + stats.rows_rejected) == (len(lines), len(lines))
    for i, r in rejects.items():
        assert r["detail"], i
        assert r["row"], i  # the original row travels with the reject
    assert "10,000 deep" in next(r["detail"] for r in rejects.values() if r["reason"] == "too_deep")
    assert "10,29" in next(r["detail"] for r in rejects.values() if r["reason"] == "too_large")
    assert [r["detail"] for r in rejects.values() if r["reason"] == "too_deep"][1] == (
        "JSON nested too deeply to parse"
    )
    too_long_int = next(r for r in rejects.values() if r["row"].startswith('{"id": "long"'))
    assert "integer string conversion" in too_long_int["detail"]
    nasty, plain = rows[len(lines) - 2], rows[len(lines) - 1]
    assert nasty["leak"] is None and nasty["spans"]
    if domain == "code":  # the unterminated block is still code, and its body is hidden as in the closed one
        assert nasty["masked_trace"].startswith(plain["masked_trace"].rstrip().removesuffix("```").rstrip())


def test_an_over_long_line_is_skipped_in_chunks_and_rejected_and_the_next_row_is_read(tmp_path):
    good = jsonl("gsm8k_sample.jsonl")[:2]
    src = tmp_path / "bomb.jsonl.gz"
    with gzip.open(src, "wb") as f:  # 3 MB of one line between two good rows, under a 1 MB bound
        f.write(json.dumps(good[0]).encode() + b"\n")
        f.write(b'{"question": "' + b"7" * 3_000_000 + b'"}\n')
        f.write(json.dumps(good[1]).encode() + b"\n")
    out = tmp_path / "out"
    stats = run(PipelineConfig(inputs=[str(src)], output=str(out), preset="gsm8k", max_line_bytes=2**20))
    (reject,) = pq.read_table(out / "rejects").to_pylist()
    assert (reject["row_index"], reject["reason"]) == (1, "too_large")
    assert reject["detail"] == (
        "a line of 3,000,017 bytes, over the 1,048,576-byte bound (max_line_bytes); not read"
    )
    assert reject["row"].startswith('{"question": "777') and len(reject["row"]) == 200
    assert (stats.rows_in, stats.rows_out) == (3, 2)


def test_a_parquet_schema_nested_too_deeply_is_a_one_line_error(tmp_path, capsys):
    nested, value = pa.string(), "x"
    for _ in range(60):  # 120 schema levels, past pyarrow's limit of 100
        nested, value = pa.list_(nested), [value]
    src = tmp_path / "deep.parquet"
    pq.write_table(pa.table({"question": ["q"], "x": pa.array([value], type=nested)}), src)
    assert main(["mask", str(src), "-o", str(tmp_path / "out"), "--format", "gsm8k", "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read this Parquet file" in err and "deep.parquet" in err
    assert "Traceback" not in err


def test_a_json_array_past_its_bound_is_a_one_line_error_not_read_whole(tmp_path, capsys):
    src = tmp_path / "big.json.gz"
    with gzip.open(src, "wb") as f:
        f.write(b'[{"question": "' + b"7" * 3_000_000 + b'"}]')
    cfg = ["--format", "gsm8k", "-q"]
    assert main(["mask", str(src), "-o", str(tmp_path / "out"), *cfg]) == 1  # under 8 x 32 MiB: read
    assert pq.read_table(tmp_path / "out" / "rejects").column("reason").to_pylist() == ["too_large"]
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text("max_line_bytes: 262144\n")  # 8 x 256 KiB = 2 MiB
    assert main(["mask", str(src), "-o", str(tmp_path / "o2"), "--pipeline", str(pipeline), *cfg]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a JSON array over 2,097,152 bytes is not read whole" in err
