"""``smepo-data audit`` on our masked outputs and on datasets masked the reference release's way."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smepo_data.audit import audit_dataset, masked_fraction, resolve_columns
from smepo_data.cli import main

#: the reference release's masking (benchmarks/math_acceptance.py --reference): every fenced code block
#: becomes [CODE], every number [NUMBER]
REFERENCE_NUMBER = re.compile(r"\d+(\.\d+)?")
REFERENCE_FENCE = re.compile(r"```.*?```", re.S)


def reference_mask(trace: str) -> str:
    return REFERENCE_NUMBER.sub("[NUMBER]", REFERENCE_FENCE.sub("[CODE]", trace))


def released_layout(out_dir, path, keep_trace: bool = False):
    """Our OUT_DIR's rows re-masked the reference way, laid out like the released SMEPO training data
    (verl: data_source, prompt, ability, reward_model.ground_truth, extra_info.teacher_ds)."""
    rows = []
    for r in pq.read_table(out_dir / "data").to_pylist():
        row = {
            "data_source": r["data_source"],
            "prompt": r["prompt"],
            "ability": r["ability"],
            "reward_model": r["reward_model"],
            "extra_info": {
                "index": r["extra_info"]["index"],
                "split": "train",
                "teacher_ds": reference_mask(r["trace"]),
            },
        }
        if keep_trace:
            row["original"] = r["trace"]
        rows.append(row)
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.mark.parametrize("name", ["gsm8k", "math500", "humaneval", "mbpp", "hotpotqa"])
def test_our_outputs_have_no_leaks(masked_outputs, name):
    report = audit_dataset(masked_outputs[name])
    assert report.preset == "smepo_data"
    [group] = report.groups.values()
    assert group.rows == group.audited == (40 if name in ("gsm8k", "math500") else 20)
    assert group.leaks == 0 and not group.unaudited
    assert group.fraction_measure == {"spans": group.rows}  # exact, from the masking record
    assert group.placeholders and sum(group.span_kinds.values()) == sum(group.placeholders.values())
    assert not group.damage  # labels and indices stay


def test_reference_masking_of_math500_leaks_non_numeric_answers(masked_outputs, tmp_path):
    path = released_layout(masked_outputs["math500"], tmp_path / "math.parquet")
    report = audit_dataset(path, examples=10)
    assert report.preset == "smepo"  # found extra_info.teacher_ds and reward_model.ground_truth
    [group] = report.groups.values()
    assert (group.rows, group.domain) == (40, "math")
    assert group.leaks == 5
    leaked = " ".join(e["leak"] for e in group.examples)
    assert "\\text{Evelyn}" in leaked and "\\pi" in leaked
    assert "lists of 3 x 3 items multiplied" in leaked  # the divisors of 196: "0, 1, or 2" twice, multiplied
    assert "a list of 4 items" in leaked  # an align of four groupings, one row each: "how many values?"
    assert group.placeholders == {"[NUMBER]": 1096} and group.fraction_measure == {"placeholder share": 40}
    assert group.damage["hidden label"] == 2  # "Step 1" comes out as "Step [NUMBER]"


def test_reference_masking_of_hotpotqa_leaks_the_answers(masked_outputs, tmp_path):
    path = released_layout(masked_outputs["hotpotqa"], tmp_path / "search.parquet")
    [group] = audit_dataset(path).groups.values()
    assert group.domain == "search" and group.leaks == 17  # no entity masking at all


def test_reference_code_masking_hides_whole_blocks(masked_outputs, tmp_path):
    for name in ("humaneval", "mbpp"):
        path = released_layout(masked_outputs[name], tmp_path / f"{name}.parquet", keep_trace=True)
        [group] = audit_dataset(path, columns={"trace": "original"}).groups.values()
        assert group.leaks == 0 and group.placeholders == {"[CODE]": 20}
        assert group.fraction_measure == {"aligned": 20} and group.fraction_sum / 20 > 0.9


def test_a_foreign_jsonl_with_a_column_mapping(tmp_path):
    src = tmp_path / "theirs.jsonl"
    q = "Tom has 3 apples and buys 4 more. How many?"
    rows = [
        {"qid": "a", "q": q, "hint": "Add what he buys to what he has: [MASK].", "gold": "7"},
        {"qid": "b", "q": q, "hint": "He has 3 + 4 = 7 apples.", "gold": 7},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    columns = {"masked_trace": "hint", "answer": "gold", "question": "q", "id": "qid"}
    [group] = audit_dataset(src, columns=columns).groups.values()
    assert (group.rows, group.leaks, group.examples[0]["id"]) == (2, 1, "b")
    assert group.placeholders == {"[MASK]": 1}


def test_the_column_mapping_must_name_the_masked_trace():
    with pytest.raises(ValueError, match="cannot tell where the masked trace is"):
        resolve_columns({"q": "x"})
    with pytest.raises(ValueError, match="unknown field"):
        resolve_columns({"q": "x"}, columns={"solution": "q"})


def test_masked_fraction_measures():
    assert masked_fraction("a [X] c", "a bbb c", [{"start": 2, "end": 5}]) == (3 / 7, "spans")
    assert masked_fraction("a [NUMBER] c", "a 123 c", None) == (pytest.approx(3 / 7), "aligned")
    assert masked_fraction("[CODE]", None, None) == (1.0, "placeholder share")


def test_cli_prints_the_table_and_fails_on_leak_only_when_asked(masked_outputs, tmp_path, capsys):
    path = released_layout(masked_outputs["math500"], tmp_path / "math.parquet")
    assert main(["audit", str(path), "--json", str(tmp_path / "audit.json")]) == 0
    out = capsys.readouterr().out
    assert "hendrycks/MATH" in out and "12.5%" in out and "[NUMBER] 1,096" in out and "id=4" in out
    assert json.loads((tmp_path / "audit.json").read_text())["leaks"] == 5
    assert main(["audit", str(path), "--fail-on-leak"]) == 1
    assert main(["audit", str(masked_outputs["gsm8k"]), "--fail-on-leak"]) == 0
    assert "no leaks found" in capsys.readouterr().out


def test_a_dataset_where_no_row_could_be_audited_never_passes(tmp_path, capsys):
    src = tmp_path / "hints.jsonl"
    src.write_text(json.dumps({"hint": "So the answer is 12.", "gold": "12"}) + "\n")
    code = main(["audit", str(src), "--column", "masked_trace=hintt", "--column", "answer=gold", "-q"])
    assert code == 1 and "none audited" in capsys.readouterr().out
    # our own column names with a plain "answer" column are audited (and this row leaks)
    src.write_text(json.dumps({"masked_trace": "So the answer is 12.", "answer": "12"}) + "\n")
    assert main(["audit", str(src), "-q", "--fail-on-leak"]) == 1
    assert "1 audited, 1 leaking" in capsys.readouterr().out


def test_a_foreign_spans_column_of_another_shape_falls_back_to_alignment():
    fraction, measure = masked_fraction("It is [NUMBER].", "It is 12.", ["12"])
    assert measure == "aligned" and fraction == pytest.approx(2 / 9)


def test_unreadable_rows_are_counted_and_the_rest_audited(tmp_path, capsys):
    src = tmp_path / "mixed.jsonl"
    good = json.dumps({"masked_trace": "So it is [ANSWER].", "answer": "12"})
    broken = b"{oops\n" + b'{"masked_trace": "caf\xe9"}\n'
    src.write_bytes(broken + good.encode() + b"\n" + broken + good.encode() + b"\n")
    report = audit_dataset(src)  # unreadable rows before the first good one count too
    assert (report.rows, report.audited, report.leaks) == (6, 2, 0)
    assert sum(report.groups["(unreadable rows)"].unaudited.values()) == 4


def test_a_folder_of_runs_and_an_unfinished_run_are_named(masked_outputs, tmp_path, capsys):
    with pytest.raises(ValueError, match="smepo runs .*audit each run's folder"):
        audit_dataset(masked_outputs["gsm8k"].parent)
    import shutil

    run = tmp_path / "run"
    shutil.copytree(masked_outputs["gsm8k"], run)
    (run / "_SUCCESS").unlink()
    assert "unfinished run" in audit_dataset(run).warnings[0]


def test_bracketed_capitals_from_the_question_are_not_counted_as_placeholders(tmp_path):
    src = tmp_path / "area.jsonl"
    row = {"question": "Find the area [ABC].", "masked_trace": "The area [ABC] is [NUMBER].", "answer": "6"}
    src.write_text(json.dumps(row) + "\n")
    (group,) = audit_dataset(src).groups.values()
    assert dict(group.placeholders) == {"[NUMBER]": 1}


def test_search_span_damage_is_reported(tmp_path):
    # HotpotQA 5adcdea8 as the masker wrote it before: '"Jerry" Orbach' hidden whole, quotes and all
    trace = 'Jerome Bernard "Jerry" Orbach (October 20, 1935) was an actor. He starred in Chinese Coffee.'
    quoted = (trace.index('"Jerry"'), trace.index(" (October"))
    merged = (trace.index("actor"), trace.index(" starred"))
    rows = []
    for i, spans in enumerate([[quoted, merged], []]):
        masked = trace
        for s, e in sorted(spans, reverse=True):
            masked = masked[:s] + "[ENTITY]" + masked[e:]
        spans = [{"start": s, "end": e, "kind": "entity"} for s, e in spans]
        rows.append(
            {"id": str(i), "domain": "search", "question": "Which film?", "answer": "Chinese Coffee"}
            | {"trace": trace, "masked_trace": masked.replace("Chinese Coffee", "[ENTITY]"), "spans": spans}
        )
    src = tmp_path / "search.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    [group] = audit_dataset(src, domain="search").groups.values()
    assert group.damage == {"swallowed quote": 1, "merged sentences": 1}


def test_the_printed_audit_is_the_same_whatever_the_hash_seed(tmp_path):
    """A row that several attacks break: the table lists them in one order, not in the order a set of
    their names happened to iterate in (which Python's string hashing changes from process to process)."""
    src = tmp_path / "leak.json"
    # the question does not write 2+3 (its own expression, written again, is the task: no replay)
    row = {"question": "What do two and three make?", "masked_trace": "2+3=5 so 5", "answer": "5"}
    src.write_text(json.dumps([row]))
    root = str(Path(__file__).resolve().parents[1])
    printed = set()
    for seed in ("1", "2", "3"):
        env = os.environ | {"PYTHONHASHSEED": seed, "PYTHONPATH": root, "COLUMNS": "120"}
        done = subprocess.run(
            [sys.executable, "-m", "smepo_data.cli", "audit", str(src)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        (line,) = [x for x in done.stdout.splitlines() if "leaks by attack" in x]
        printed.add(line)
    assert len(printed) == 1, printed
    assert "extract 1, replay 1, visible_value 1" in printed.pop()


def test_math_span_damage_is_reported(tmp_path):
    # constructed: an exponent's token hidden with what follows it, a bare variable hidden before the
    # boxed answer, a space-grouped number cut at its space, two numbers of a triangle's name; the boxed
    # answer and a whole number are no damage
    tex = "The area is $2^2 \\sqrt{3}$, so $t=\\boxed{7}$."
    prose = "It cost $80 000, so half is $40 000.\n#### 40000"
    cases = [
        (tex, ["2 \\sqrt{3}", "t", "7"]),
        (prose, ["80", "40 000", "40000"]),
        ("Two $30-60-90$ triangles, so it is $\\boxed{6}$.", ["30", "90", "6"]),
    ]
    rows = []
    for i, (trace, hidden) in enumerate(cases):
        spans, masked, pos = [], trace, 0
        for h in hidden:
            start = trace.index(h, pos)
            spans.append({"start": start, "end": start + len(h), "kind": "number"})
            pos = start + len(h)
        for sp in reversed(spans):
            masked = masked[: sp["start"]] + "[NUMBER]" + masked[sp["end"] :]
        rows.append(
            {"id": str(i), "domain": "math", "question": "Find it.", "answer": hidden[-1]}
            | {"trace": trace, "masked_trace": masked, "spans": spans}
        )
    src = tmp_path / "math.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    [group] = audit_dataset(src, domain="math").groups.values()
    assert group.damage == {
        "hidden exponent": 1,
        "hidden variable": 1,
        "split number": 1,
        "hidden triangle name": 2,
    }
