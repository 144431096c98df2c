"""smepo-eval: the pass@k estimator, the copy probe's gaps, and the CLI end to end on a tiny random model for
each reader (a mask run folder, verl-layout Parquet, plain benchmark JSONL)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from smepo_train.data import Sample, load_eval_samples  # noqa: E402
from smepo_train.eval_cli import main, summary_markdown  # noqa: E402
from smepo_train.evaluate import EvalRun, RowResult, copy_gaps, evaluate_samples, pass_at_k  # noqa: E402
from smepo_train.prompts import PromptBuilder  # noqa: E402
from smepo_train.rewards import Rewards  # noqa: E402
from smepo_train.rollout import Completion  # noqa: E402

from .train_support import ROOT, one_thread, tiny_config, tokenizer  # noqa: E402, F401

GSM8K = ROOT / "examples" / "data" / "gsm8k_sample.jsonl"
MATH500 = ROOT / "examples" / "data" / "math500_sample.jsonl"


# -- pass@k --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (4, 0, 1, 0.0),
        (4, 1, 1, 0.25),
        (4, 1, 2, 0.5),  # 1 - C(3,2)/C(4,2) = 1 - 3/6
        (5, 2, 3, 0.9),  # 1 - C(3,3)/C(5,3) = 1 - 1/10
        (8, 3, 4, 1 - 5 / 70),  # 1 - C(5,4)/C(8,4)
        (4, 4, 4, 1.0),
        (4, 2, 3, 1.0),  # fewer wrong (2) than k (3): every draw of 3 holds a right one
    ],
)
def test_pass_at_k_by_hand(n, c, k, expected):
    assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_matches_brute_force_enumeration():
    for n in range(1, 8):
        for c in range(n + 1):
            outcomes = [True] * c + [False] * (n - c)
            for k in range(1, n + 1):
                draws = list(itertools.combinations(outcomes, k))
                brute = sum(any(d) for d in draws) / len(draws)
                assert pass_at_k(n, c, k) == pytest.approx(brute, abs=1e-12), (n, c, k)


def test_pass_at_k_is_stable_for_large_n_and_refuses_bad_counts():
    # C(1000, 500) overflows a float; the product form does not
    assert pass_at_k(1000, 1, 500) == pytest.approx(0.5)
    assert pass_at_k(1000, 10, 1) == pytest.approx(0.01)
    assert math.isfinite(pass_at_k(2000, 3, 1000))
    for bad in [(4, 5, 1), (4, -1, 1), (4, 1, 0), (4, 1, 5)]:
        with pytest.raises(ValueError, match="pass@k needs"):
            pass_at_k(*bad)


# -- the copy probe ------------------------------------------------------------------------------------------


def _sample(i: int, full: str | None = "t", masked: str | None = "m") -> Sample:
    return Sample(i, [{"role": "user", "content": "q"}], "q", "1", "math", full, masked, {})


def _run(mode: str, scores: dict[int, list[float] | None]) -> EvalRun:
    rows = [
        RowResult(_sample(i), mode, scores=s)
        if s is not None
        else RowResult(_sample(i), mode, skipped="no trace")
        for i, s in scores.items()
    ]
    return EvalRun(mode, 2, rows)


def test_copy_gaps_are_paired_differences_of_per_row_scores():
    runs = {
        "none": _run("none", {0: [0, 0], 1: [1, 0], 2: [0, 0]}),
        "full": _run("full", {0: [1, 1], 1: [1, 1], 2: [1, 0]}),
        "masked": _run("masked", {0: [0, 1], 1: [1, 0], 2: None}),  # row 2 has no masked trace
    }
    gaps = copy_gaps(runs)
    # avg@2 per row: none 0, .5, 0; full 1, 1, .5; masked .5, .5 (row 2 skipped)
    assert gaps["full-none"] == {"rows": 3, "avg@2": pytest.approx((1 + 0.5 + 0.5) / 3), "pass@2": 2 / 3}
    # pass@2 per row: none 0, 1, 0; full 1, 1, 1; masked 1, 1 (rows 0 and 1 only)
    assert gaps["masked-none"] == {"rows": 2, "avg@2": pytest.approx(0.25), "pass@2": 0.5}
    summary = runs["masked"].summary()
    assert summary["rows"] == 3 and summary["scored"] == 2 and summary["skipped"] == {"no trace": 1}
    assert copy_gaps({"full": runs["full"]}) == {}  # no unguided run: no gap


def test_a_mode_with_no_scored_row_reports_no_score_not_zero():
    """A dataset with no traces asked for full guidance: every row skipped. Its scores and the gap are
    None ("-" in the table), never 0.000, which would read as a model that solves nothing."""
    runs = {"none": _run("none", {0: [1, 1], 1: [1, 0]}), "full": _run("full", {0: None, 1: None})}
    summary = runs["full"].summary()
    assert summary["scored"] == 0 and summary["skipped"] == {"no trace": 2}
    assert summary["avg@2"] is None and summary["pass@2"] is None and summary["pass@1"] is None
    assert summary["completion_length"] is None and summary["clipped_ratio"] is None
    gaps = copy_gaps(runs)
    assert gaps["full-none"] == {"rows": 0, "avg@2": None, "pass@2": None}
    table = summary_markdown(
        {
            "settings": {"k": 2},
            "datasets": {"d": {"modes": {m: r.summary() for m, r in runs.items()}, "gaps": gaps}},
        }
    )
    assert "| d | full | 2 | 0 | 2 no trace | - | - | - | - | - |" in table
    assert "| d | none | 2 | 2 | 0 | 0.750 | 1.000 | 0.750 |" in table
    assert "d: full - none: no row was scored in both (what a trace hands over)" in table


class Copier:
    """A generation backend that copies: it answers with the last '#### X' line its prompt shows (the
    trace's), else '#### 0'. What a model that only copies the guidance would score."""

    def __init__(self, tok):
        self.tok = tok

    def generate(self, prompts, *, num_generations, **_):
        out = []
        for ids in prompts:
            found = re.findall(r"####\s*(\S+)", self.tok.decode(ids))
            text = f"#### {found[-1] if found else 0}"
            out += [Completion(self.tok(text, add_special_tokens=False)["input_ids"], True)] * num_generations
        return out

    def sync_weights(self):
        return None


def test_copy_probe_measures_what_a_trace_hands_over():
    tok = tokenizer()
    samples = load_eval_samples(str(ROOT / "examples" / "data" / "gsm8k_masked_eval.parquet"))[:6]
    builder = PromptBuilder(tok, max_prompt_length=1024)
    runs = {
        mode: evaluate_samples(
            samples, builder, Copier(tok), tok, Rewards(["domain"], [1.0]), guidance=mode, k=2
        )
        for mode in ("none", "full", "masked")
    }
    assert all(r.prompt is not None and "#### [" in r.prompt.text for r in runs["masked"].rows)
    assert runs["full"].summary()["avg@2"] == 1.0  # the full trace ends with the answer: copied, right
    assert runs["masked"].summary()["avg@2"] == 0.0  # the masked one hides it: "#### [NUMBER]" is wrong
    none = runs["none"].summary()["avg@2"]
    gaps = copy_gaps(runs)
    assert gaps["full-none"]["avg@2"] == pytest.approx(1.0 - none)
    assert gaps["masked-none"]["avg@2"] == pytest.approx(0.0 - none)
    assert gaps["full-none"]["rows"] == gaps["masked-none"]["rows"] == 6


def test_rows_that_cannot_show_the_trace_are_reported_not_scored_unguided():
    tok = tokenizer()
    rows = load_eval_samples(str(ROOT / "examples" / "data" / "gsm8k_masked_eval.parquet"))
    long = dataclasses.replace(rows[1], messages=[{"role": "user", "content": "Count the words. " * 60}])
    samples = [long, rows[0], rows[2]]  # prompts of ~300, 146 and 73 tokens without guidance
    bare = [len(PromptBuilder(tok).render(s.messages).ids) for s in samples]
    budget = bare[
        1
    ]  # the long question is over it, rows[0] exactly at it (no room for a trace), rows[2] under
    builder = PromptBuilder(tok, max_prompt_length=budget)
    rewards = Rewards(["domain"], [1.0])
    run = evaluate_samples(samples, builder, Copier(tok), tok, rewards, guidance="full", k=1)
    reasons = {b: r.skipped.split(":")[0] for b, r in zip(bare, run.rows, strict=True)}
    assert reasons[max(bare)] == "prompt too long"
    assert reasons[budget] == "no room for the trace under max_prompt_length"
    assert reasons[min(bare)] == ""
    summary = run.summary()
    assert summary["scored"] == 1 and summary["trace_cut"] == 1
    assert summary["skipped"] == {"no room for the trace under max_prompt_length": 1, "prompt too long": 1}
    unguided = evaluate_samples(samples, builder, Copier(tok), tok, rewards, guidance="none", k=1)
    assert unguided.summary()["scored"] == 2 and unguided.trainer_metrics()["eval/num_prompts"] == 2.0


# -- readers -------------------------------------------------------------------------------------------------


def test_benchmark_files_read_with_masks_presets_trace_optional(tmp_path):
    gsm = load_eval_samples(str(GSM8K), limit=3)
    assert len(gsm) == 3 and gsm[0].answer == "72" and "#### 72" in (gsm[0].full_trace or "")
    assert gsm[0].masked_trace is None and gsm[0].domain == "math"
    math500 = load_eval_samples(str(MATH500), limit=2)
    assert math500[0].answer == r"\left( 3, \frac{\pi}{2} \right)" and math500[0].full_trace
    aime = tmp_path / "aime.jsonl"
    aime.write_text(json.dumps({"problem": "What is 6 times 7?", "answer": "42", "id": "a1"}) + "\n")
    (row,) = load_eval_samples(str(aime))
    assert row.question == "What is 6 times 7?" and row.answer == "42" and row.full_trace is None
    (mapped,) = load_eval_samples(str(aime), columns={"question": "problem", "answer": "answer"})
    assert mapped.answer == "42" and mapped.full_trace is None
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"prompt_text": "x", "gold": "1"}) + "\n")
    with pytest.raises(ValueError, match="cannot guess the format"):
        load_eval_samples(str(bad))
    with pytest.raises(ValueError, match="row 0: missing_field"):
        load_eval_samples(str(bad), fmt="math")
    for kwargs in ({}, {"columns": {"question": "problem", "answer": "answer"}}):
        with pytest.raises(ValueError, match="unknown domain 'nope'"):
            load_eval_samples(str(aime), domain="nope", **kwargs)


def test_a_nan_answer_is_refused_not_read_as_the_text_nan(tmp_path):
    """JSON's NaN (pandas' missing value) as a gold was read as "nan": a completion saying nan scored 1."""
    path = tmp_path / "aime.jsonl"
    path.write_text('{"problem": "What is 6 times 7?", "answer": NaN}\n')
    with pytest.raises(ValueError, match=r"row 0: unparsable_answer: 'answer' \(column 'answer'\) is nan"):
        load_eval_samples(str(path))


def test_a_mask_run_folder_gives_its_rows_not_its_rejects(tmp_path):
    from smepo_data.pipeline import PipelineConfig, run

    src = tmp_path / "gsm8k.jsonl"
    good = GSM8K.read_text().splitlines()[:2]
    src.write_text(
        "\n".join([good[0], json.dumps({"question": "No answer line.", "answer": "42"}), good[1]]) + "\n"
    )
    folder = tmp_path / "masked"
    run(PipelineConfig(inputs=[str(src)], output=str(folder), preset="gsm8k", workers=1))
    assert any(f.stat().st_size for f in (folder / "rejects").glob("*.parquet"))  # the bad row is there
    samples = load_eval_samples(str(folder))
    assert [s.answer for s in samples] == ["72", "10"] and all(s.masked_trace for s in samples)


def test_a_mask_run_folder_with_no_data_rows_says_so(tmp_path):
    """Every row rejected: the folder's data/ holds no row. It was read as a benchmark folder instead, and
    failed to guess a format from the stats file's keys."""
    from smepo_data.pipeline import PipelineConfig, run

    src = tmp_path / "gsm8k.jsonl"
    src.write_text(json.dumps({"question": "No answer line.", "answer": "42"}) + "\n")
    folder = tmp_path / "masked"
    run(PipelineConfig(inputs=[str(src)], output=str(folder), preset="gsm8k", workers=1))
    with pytest.raises(ValueError, match=r"masked: this smepo-data mask run folder has no rows in data/"):
        load_eval_samples(str(folder))


# -- the CLI end to end --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random Llama saved with the SmolLM2 tokenizer: a MODEL folder as smepo-eval takes it."""
    from smepo_train.model import build_model

    tok = tokenizer()
    folder = tmp_path_factory.mktemp("tiny")
    build_model(tiny_config(folder), tok, torch.device("cpu"), torch.float32).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def _eval(model: Path, out: Path, *data: str, extra: tuple[str, ...] = ()) -> dict:
    argv = [str(model), *data, "-o", str(out), "--k", "2", "--max-new-tokens", "6", "--seed", "3", "-q"]
    assert main([*argv, *extra]) == 0
    return json.loads((out / "summary.json").read_text())


def _rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "rows.jsonl").read_text().splitlines()]


def test_cli_copy_probe_on_a_mask_run_folder(tiny_model, tmp_path, one_thread, capsys):  # noqa: F811
    from smepo_data.pipeline import PipelineConfig, run

    folder = tmp_path / "masked"
    run(PipelineConfig(inputs=[str(GSM8K)], output=str(folder), preset="gsm8k", limit=3, workers=1))
    out = tmp_path / "probe"
    summary = _eval(tiny_model, out, str(folder), extra=("--guidance", "none", "full", "masked"))
    modes = summary["datasets"][str(folder)]["modes"]
    assert list(modes) == ["none", "full", "masked"]
    assert all(m["rows"] == m["scored"] == 3 and m["skipped"] == {} for m in modes.values())
    rows = _rows(out)
    assert len(rows) == 9 and all(len(r["completions"]) == len(r["scores"]) == 2 for r in rows)
    assert all(set(r["scores"]) <= {0.0, 1.0} for r in rows)
    by_mode = {m: [r for r in rows if r["guidance"] == m] for m in modes}
    assert all(r["guidance_shown"] == "" for r in by_mode["none"])
    assert all(
        "[NUMBER]" in r["guidance_shown"] or "[ANSWER]" in r["guidance_shown"] for r in by_mode["masked"]
    )
    assert all(r["guidance_shown"] and "[NUMBER]" not in r["guidance_shown"] for r in by_mode["full"])
    # the gaps are the paired per-row differences of what rows.jsonl holds
    for mode in ("full", "masked"):
        want = sum(
            sum(g["scores"]) / 2 - sum(u["scores"]) / 2
            for u, g in zip(by_mode["none"], by_mode[mode], strict=True)
        )
        gap = summary["datasets"][str(folder)]["gaps"][f"{mode}-none"]
        assert gap["rows"] == 3 and gap["avg@2"] == pytest.approx(want / 3)
    printed = capsys.readouterr().out
    assert "full - none" in printed and "masked - none" in printed and "pass@2" in printed
    md = (out / "summary.md").read_text()
    assert md.startswith("| dataset | guidance |") and "masked - none" in md
    # the same seed gives the same bytes
    again = tmp_path / "again"
    _eval(tiny_model, again, str(folder), extra=("--guidance", "none", "full", "masked"))
    for name in ("rows.jsonl", "summary.json", "summary.md"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_cli_on_verl_parquet_reports_rows_without_a_trace(tiny_model, tmp_path, one_thread):  # noqa: F811
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {
            "data_source": "openai/gsm8k",
            "prompt": [{"role": "user", "content": f"What is {i} + {i}?"}],
            "ability": "math",
            "reward_model": {"style": "rule", "ground_truth": str(2 * i)},
            "extra_info": {"index": i, "teacher_ds": "Double it: [NUMBER]" if i != 1 else None},
        }
        for i in range(3)
    ]
    path = tmp_path / "verl.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    out = tmp_path / "out"
    summary = _eval(tiny_model, out, str(path), extra=("--guidance", "none", "masked", "--k", "1"))
    modes = summary["datasets"][str(path)]["modes"]
    assert modes["none"]["scored"] == 3 and modes["masked"]["scored"] == 2
    assert modes["masked"]["skipped"] == {"no masked trace": 1}
    assert summary["datasets"][str(path)]["gaps"]["masked-none"]["rows"] == 2
    skipped = [r for r in _rows(out) if r.get("skipped")]
    assert skipped == [
        {
            "dataset": str(path),
            "row": 1,
            "id": None,
            "guidance": "masked",
            "question": "What is 1 + 1?",
            "skipped": "no masked trace",
        }
    ]
    assert summary["settings"]["k"] == 1 and all(
        len(r["completions"]) == 1 for r in _rows(out) if not r.get("skipped")
    )


def test_cli_on_plain_benchmark_jsonl(tiny_model, tmp_path, one_thread):  # noqa: F811
    math_rows = tmp_path / "math.jsonl"
    math_rows.write_text("".join(line + "\n" for line in MATH500.read_text().splitlines()[:2]))
    out = tmp_path / "out"
    summary = _eval(
        tiny_model, out, str(GSM8K), str(math_rows), extra=("--limit", "2", "--guidance", "none", "masked")
    )
    for name in (str(GSM8K), str(math_rows)):
        modes = summary["datasets"][name]["modes"]
        assert modes["none"]["scored"] == 2 and set(modes["none"]) >= {"avg@2", "pass@2", "pass@1"}
        assert modes["masked"] == modes["masked"] | {"scored": 0, "skipped": {"no masked trace": 2}}
    assert len(_rows(out)) == 8
    assert main([str(tiny_model), str(tmp_path / "nope.jsonl"), "-o", str(out), "-q"]) == 2
    assert main([str(tiny_model), str(GSM8K), "--k", "0", "-o", str(out), "-q"]) == 2


def test_cli_says_when_the_code_sandbox_cannot_run(monkeypatch, capsys, tmp_path):
    """On a host where the sandbox cannot run programs the code reward raises SandboxError (rather than
    scoring every completion 0): smepo-eval reports it in one line and exits 2, not with a traceback."""
    import smepo_train.eval_cli as eval_cli
    from smepo_data.code.sandbox import SandboxError

    def unavailable(args, log):
        raise SandboxError("the code reward cannot be computed: no user namespaces")

    monkeypatch.setattr(eval_cli, "evaluate_datasets", unavailable)
    assert main(["model", str(tmp_path / "code.jsonl"), "-q", "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        "smepo-eval: SandboxError: the code reward cannot be computed: no user namespaces\n"
    )


def _verl_with_teacher_ds(tmp_path, traces: list[str]) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {
            "data_source": "openai/gsm8k",
            "prompt": [{"role": "user", "content": f"What is {i} + {i}?"}],
            "ability": "math",
            "reward_model": {"style": "rule", "ground_truth": str(2 * i + 2)},
            "extra_info": {"index": i, "teacher_ds": trace},
        }
        for i, trace in enumerate(traces)
    ]
    path = tmp_path / "released.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    return str(path)


def test_cli_refuses_a_masked_column_that_holds_full_traces(tmp_path, capsys):
    """A released file whose masked column holds the original traces: the masked - none gap would be what
    the full trace hands over, reported as what masking hands over. smepo-eval refuses it as smepo-train
    does (before loading the model), and masked_trace_column_holds in --config reads it as full."""
    traces = [f"{i} + {i} = {2 * i}. Then add 2.\nThe answer is \\boxed{{{2 * i + 2}}}." for i in range(4)]
    path = _verl_with_teacher_ds(tmp_path, traces)
    out = str(tmp_path / "out")
    assert main([str(tmp_path / "no-model"), path, "--guidance", "none", "masked", "-q", "-o", out]) == 2
    err = capsys.readouterr().err
    assert (
        f"{path}: the masked trace column extra_info.teacher_ds gives the gold answer away in 4 of 4" in err
    )
    assert err.rstrip().endswith("(smepo-eval: set it in the --config YAML)")
    (s,) = load_eval_samples(path, limit=1, masked_trace_column_holds="full")
    assert s.full_trace == traces[0] and s.masked_trace is None
