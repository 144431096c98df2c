"""smepo_train config (YAML + overrides), Parquet layouts (ours, verl's, released SMEPO) and rewards."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smepo_train import GRPOConfig
from smepo_train.data import check_guidance, check_masked_traces, load_samples, row_domain
from smepo_train.rewards import Rewards

from .train_support import EVAL, TRAIN, one_thread, quiet, tiny_config  # noqa: F401  (one_thread: a fixture)


def test_yaml_and_overrides_with_type_coercion(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("train_file: a.parquet\nnum_generations: 4\nper_device_train_batch_size: 8\nbeta: 0\n")
    cfg = GRPOConfig.load(
        path,
        [
            "beta=0.04",
            "learning_rate=1e-5",
            "max_train_samples=10",
            "mask_truncated_completions=true",
            "reward_funcs=[domain, search_f1]",
            "epsilon_high=0.28",
            "eval_max_samples=null",
        ],
    )
    assert cfg.num_generations == 4 and cfg.beta == 0.04 and isinstance(cfg.beta, float)
    assert (
        cfg.learning_rate == 1e-5 and cfg.max_train_samples == 10 and cfg.mask_truncated_completions is True
    )
    assert cfg.reward_funcs == ["domain", "search_f1"] and cfg.reward_weights == [1.0, 1.0]
    assert cfg.epsilon_high == 0.28 and cfg.eval_max_samples is None
    assert cfg.prompts_per_step == 2
    assert GRPOConfig.load(path).epsilon_high == cfg.epsilon  # defaults to epsilon
    assert "num_generations: 4" in cfg.to_yaml()


def test_unknown_keys_and_bad_values_are_clear_errors(tmp_path):
    with pytest.raises(
        ValueError, match=r"unknown config key\(s\): 'num_generation' \(did you mean num_generations"
    ):
        GRPOConfig.load(None, ["num_generation=4"])
    with pytest.raises(ValueError, match="max_steps' takes a int"):
        GRPOConfig.load(None, ["max_steps=ten"])
    with pytest.raises(ValueError, match="loss_type must be one of grpo, dapo, dr_grpo"):
        GRPOConfig.load(None, ["loss_type=bnpo"])
    with pytest.raises(ValueError, match="multiple of num_generations"):
        GRPOConfig.load(None, ["num_generations=3", "per_device_train_batch_size=8"])
    with pytest.raises(ValueError, match="key=value"):
        GRPOConfig.load(None, ["beta"])


def test_our_masked_layout():
    samples = load_samples(str(TRAIN))
    assert len(samples) == 32
    s = samples[0]
    assert s.domain == "math" and s.answer == "72"
    assert s.messages == [{"role": "user", "content": s.question}]
    assert "#### 72" in s.full_trace and s.masked_trace.endswith("#### [NUMBER]")
    assert "72" not in s.masked_trace and "24" not in s.masked_trace  # the answer and the value it comes from
    assert s.trace("none") is None and s.trace("masked") == s.masked_trace


def _write(path, rows):
    pq.write_table(pa.Table.from_pylist(rows), path)
    return str(path)


def test_verl_layout_and_released_smepo_schema(tmp_path):
    verl = _write(
        tmp_path / "verl.parquet",
        [
            {
                "data_source": "openai/gsm8k",
                "prompt": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "1+1?"}],
                "ability": "arithmetic",
                "reward_model": {"style": "rule", "ground_truth": "2"},
                "extra_info": {"index": 0, "teacher_ds": "1+1 = [ANSWER]"},
            }
        ],
    )
    (s,) = load_samples(verl)
    assert s.domain == "math"  # from data_source: "gsm8k"
    assert s.question == "1+1?" and s.messages[0]["role"] == "system"
    assert s.masked_trace == "1+1 = [ANSWER]" and s.full_trace is None and s.answer == "2"
    with pytest.raises(ValueError, match="guidance='full' but no row has a trace"):
        check_guidance([s], "full")

    code_spec = json.dumps({"inputs": ["1\n"], "outputs": ["2\n"]})
    smepo = _write(
        tmp_path / "smepo.parquet",
        [
            {
                "question": "Add one.",
                "teacher_ds": "Read n; print n+1.",
                "reward_model": {"ground_truth": code_spec},
            }
        ],
    )
    (c,) = load_samples(smepo, domain="code")
    assert c.domain == "code" and c.full_trace == "Read n; print n+1." and c.answer == code_spec
    with pytest.raises(ValueError, match="set `domain` in the config"):
        load_samples(smepo)


def test_row_domain():
    assert row_domain({"ability": "code"}) == "code"
    assert row_domain({"ability": "", "data_source": "hotpotqa/hotpot_qa"}) == "search"
    assert row_domain({"data_source": "openai/openai_humaneval"}) == "code"
    with pytest.raises(ValueError, match="unknown domain"):
        row_domain({}, "chemistry")


def echo_question_reward(completion: str, question: str, reward_model: dict, **columns) -> float:
    """A user reward for the test below: 1.0 when the completion contains the gold answer."""
    return float(reward_model["ground_truth"] in completion) + 0.5 * ("mask_level" in columns)


def test_domain_verifiers_and_user_rewards(tmp_path):
    math_row = load_samples(str(TRAIN))[0]
    search = _write(
        tmp_path / "s.parquet",
        [{"question": "Who?", "ability": "search", "reward_model": {"ground_truth": "Marie Curie"}}],
    )
    (search_row,) = load_samples(search)
    rewards = Rewards(["domain", "search_f1", f"{__name__}:echo_question_reward"], [1.0, 0.5, 2.0])
    completions = [
        "So 48 + 24 = 72.\n#### 72",
        "#### 71",
        "<answer>Marie Curie</answer>",
        "<answer>Curie</answer>",
    ]
    totals, per_func = rewards.score(completions, [math_row, math_row, search_row, search_row])
    assert per_func["domain"] == [1.0, 0.0, 1.0, 0.0]
    assert per_func["search_f1"][:3] == [0.0, 0.0, 1.0] and 0 < per_func["search_f1"][3] < 1
    assert per_func[f"{__name__}:echo_question_reward"] == [1.5, 0.5, 1.0, 0.0]
    assert totals[0] == pytest.approx(1.0 + 0 + 2 * 1.5)
    with pytest.raises(ValueError, match="cannot load reward function"):
        Rewards(["nowhere.module:f"], [1.0])


def test_code_reward_runs_the_completions_program_in_the_sandbox(tmp_path):
    spec = json.dumps({"inputs": ["3\n"], "outputs": ["4\n"]})
    path = _write(
        tmp_path / "c.parquet",
        [{"question": "n+1", "ability": "code", "reward_model": {"ground_truth": spec}}],
    )
    (row,) = load_samples(path)
    good = "Read it.\n```python\nprint(int(input()) + 1)\n```"
    bad = "```python\nprint(int(input()) + 2)\n```"
    totals, _ = Rewards(["domain"], [1.0]).score([good, bad, "no code at all"], [row] * 3)
    assert totals == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"temperature": float("nan")}, "temperature must be a finite number > 0"),
        ({"temperature": float("inf")}, "temperature must be a finite number > 0"),
        ({"temperature": 0.0}, "temperature must be a finite number > 0"),
        ({"top_p": 0.0}, r"top_p must be in \(0, 1\], got 0.0"),
        ({"top_p": 1.5}, r"top_p must be in \(0, 1\], got 1.5"),
        ({"top_p": float("nan")}, r"top_p must be in \(0, 1\], got nan"),
        ({"generation_batch_size": 0}, "generation_batch_size must be >= 1 or null, got 0"),
        ({"eval_num_generations": 0}, "eval_num_generations must be >= 1, got 0"),
    ],
)
def test_bad_sampling_settings_are_refused_when_loaded(values, message):
    """Refused at load, not deep inside generation (or, for the eval's k, after the first training steps)."""
    with pytest.raises(ValueError, match=message):
        GRPOConfig.from_dict(values)


def test_text_overrides_keep_colons_and_hashes_and_bad_counts_are_refused():
    cfg = GRPOConfig.load(
        None, ["guidance_intro=Here is a worked solution:", "system_prompt=End with: #### N"]
    )
    assert (cfg.guidance_intro, cfg.system_prompt) == ("Here is a worked solution:", "End with: #### N")
    for bad in ("logging_steps=0", "per_device_train_batch_size=0", "gradient_accumulation_steps=0"):
        with pytest.raises(ValueError, match="must be >= 1"):
            GRPOConfig.load(None, [bad])


def test_cli_errors_after_loading_the_config_are_messages_not_tracebacks(tmp_path, capsys):
    from smepo_train.cli import main

    config = tmp_path / "c.yaml"
    config.write_text(f"train_file: {tmp_path / 'nope.parquet'}\noutput_dir: {tmp_path / 'out'}\n")
    assert main([str(config)]) == 2
    said = capsys.readouterr()
    assert "smepo-train: " in said.err
    # the first line comes before torch and the model load, so a run shows it started at once
    assert said.out.startswith(f"smepo-train: {config}: loading a randomly initialised model and ")
    config.write_text("learning_rate: [1\n")
    assert main([str(config)]) == 2
    assert "is not valid YAML" in capsys.readouterr().err


def _release_rows(masked: bool, count: int = 8) -> list[dict]:
    """Rows in the released SMEPO verl layout, built from the bundled GSM8K sample: the trace in
    ``extra_info.teacher_ds`` is the masked one (``masked``) or the original, answer and all."""
    rows = []
    for r in pq.read_table(TRAIN).slice(0, count).to_pylist():
        rows.append(
            {
                "data_source": "openai/gsm8k",
                "prompt": [{"role": "user", "content": r["question"]}],
                "ability": "math",
                "reward_model": {"style": "rule", "ground_truth": r["reward_model"]["ground_truth"]},
                "extra_info": {"index": len(rows), "teacher_ds": r["masked_trace" if masked else "trace"]},
            }
        )
    return rows


def test_a_masked_column_that_holds_full_traces_is_refused(tmp_path):
    leaking = _write(tmp_path / "full.parquet", _release_rows(masked=False))
    samples = load_samples(leaking)
    assert all(s.masked_trace and s.full_trace is None for s in samples)
    with pytest.raises(ValueError) as e:
        check_masked_traces(samples)
    said = str(e.value)
    assert "extra_info.teacher_ds" in said and "8 of 8 rows audited" in said
    assert "masked_trace_column_holds: full" in said and "masked_trace_column_holds: masked" in said

    # masked traces pass (half of the bundled sample's are still read by the audit's replay attack, an
    # inference, not the answer written out); so does a file where only a minority of rows leak
    check_masked_traces(load_samples(_write(tmp_path / "masked.parquet", _release_rows(masked=True))))
    mixed = _release_rows(masked=True)
    mixed[:3] = _release_rows(masked=False, count=3)
    check_masked_traces(load_samples(_write(tmp_path / "mixed.parquet", mixed)))
    mixed[3:5] = _release_rows(masked=False, count=5)[3:5]  # 5 of 8 leak: most rows
    with pytest.raises(ValueError, match="5 of 8 rows audited"):
        check_masked_traces(load_samples(_write(tmp_path / "most.parquet", mixed)))
    # only the first `rows` traces are read
    check_masked_traces(load_samples(_write(tmp_path / "late.parquet", _release_rows(True, 4) + mixed)), 4)


def test_masked_trace_column_holds_full_serves_full_guidance(tmp_path):
    leaking = _write(tmp_path / "full.parquet", _release_rows(masked=False))
    samples = load_samples(leaking, masked_trace_column_holds="full")
    originals = [r["trace"] for r in pq.read_table(TRAIN).slice(0, 8).to_pylist()]
    assert [s.full_trace for s in samples] == originals and all(s.masked_trace is None for s in samples)
    check_guidance(samples, "full")
    with pytest.raises(ValueError, match="guidance='masked' but no row has a trace"):
        check_guidance(samples, "masked")
    with pytest.raises(ValueError, match="masked_trace_column_holds must be one of auto, masked, full"):
        load_samples(leaking, masked_trace_column_holds="unmasked")
    with pytest.raises(ValueError, match="masked_trace_column_holds must be one of"):
        GRPOConfig.from_dict({"masked_trace_column_holds": "yes"})


@pytest.mark.usefixtures("one_thread")
def test_trainer_refuses_a_leaking_masked_file_unless_told(tmp_path):
    from smepo_train import GRPOTrainer

    leaking = _write(tmp_path / "full.parquet", _release_rows(masked=False))
    with pytest.raises(ValueError, match="masked trace column extra_info.teacher_ds gives the gold answer"):
        GRPOTrainer(tiny_config(tmp_path, train_file=leaking), log=quiet)
    trusted = GRPOTrainer(
        tiny_config(tmp_path, train_file=leaking, masked_trace_column_holds="masked"), log=quiet
    )
    assert trusted.samples[0].masked_trace.endswith("#### 72")
    full = GRPOTrainer(
        tiny_config(tmp_path, train_file=leaking, masked_trace_column_holds="full", guidance="full"),
        log=quiet,
    )
    prompt = full.sample_prompts()[0][1]
    assert prompt.guidance and "####" in prompt.guidance


def test_bundled_masked_sample_is_what_mask_writes_today(tmp_path):
    """examples/data/gsm8k_masked_{train,eval}.parquet are the NOTICE's command's output, rows 0-31 and 32-39:
    a masker change that alters them fails here until the files are regenerated (the trainer's example and
    tests must not train on guidance the masker no longer writes)."""
    from smepo_data.pipeline import PipelineConfig, run

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    run(
        PipelineConfig.from_yaml(
            root / "pipelines" / "gsm8k.yaml",
            inputs=[str(root / "examples" / "data" / "gsm8k_sample.jsonl")],
            output=str(out),
            workers=1,
        )
    )
    fresh = pa.concat_tables(pq.read_table(f) for f in sorted((out / "data").glob("*.parquet")))
    bundled = pa.concat_tables([pq.read_table(TRAIN), pq.read_table(EVAL)])
    assert fresh.num_rows == bundled.num_rows == 40
    for column in ("id", "masked_trace", "guided_prompt", "spans"):
        assert fresh.column(column).to_pylist() == bundled.column(column).to_pylist(), column


def _verl_rows(tmp_path, rows: list[dict]) -> str:
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    return str(path)


def test_search_r1_gold_reads_as_compute_score_reads_it(tmp_path):
    """Search-R1's own verl rows keep the gold as {"target": [...]}: smepo-train and smepo-eval score them
    as verl's compute_score does, not with an unparsable-answer error at the first reward."""
    path = _verl_rows(
        tmp_path,
        [
            {
                "data_source": "nq",
                "prompt": [{"role": "user", "content": "Capital of France?"}],
                "ability": "search",
                "reward_model": {"style": "rule", "ground_truth": {"target": ["Paris", "Paris, France"]}},
            }
        ],
    )
    (sample,) = load_samples(path)
    assert sample.answer == '{"answers": ["Paris", "Paris, France"]}'
    assert Rewards(["domain"], [1.0]).score(
        ["<answer>paris</answer>", "<answer>Lyon</answer>"], [sample] * 2
    )[0] == [1.0, 0.0]


@pytest.mark.parametrize(
    ("prompt", "message"),
    [
        ([{"role": "user", "content": None}], "prompt message 0 needs a text role and text content"),
        (
            [{"content": "What is 1 + 1?"}],
            "prompt message 0 needs a text role and text content, got role None",
        ),
        (
            [{"role": "user", "content": ["a", "b"]}],
            r"prompt message 0 .* got role 'user' and content \['a', 'b'\]",
        ),
    ],
)
def test_malformed_prompt_messages_are_refused(tmp_path, prompt, message):
    """A message without text content was read as the text "None" (or its list's repr); one without a role
    raised a bare KeyError."""
    path = _verl_rows(
        tmp_path, [{"data_source": "gsm8k", "prompt": prompt, "reward_model": {"ground_truth": "2"}}]
    )
    with pytest.raises(ValueError, match=f"row 0: {message}"):
        load_samples(path)
