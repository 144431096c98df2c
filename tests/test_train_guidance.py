"""The guidance knobs of issue 14 on CPU with a tiny random Llama: which completions are guided and when
(``guidance_when: all_fail`` after a warm-up, with a reward that fails chosen prompts), k of n, the prefix
ratio schedule against hand-computed values, the guidance metrics on a constructed rollout, the copy gap."""

from __future__ import annotations

import json
import math

import pyarrow.parquet as pq
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from smepo_train import GRPOConfig, GRPOTrainer  # noqa: E402
from smepo_train.guidance import guidance_metrics, prefix_ratio_at  # noqa: E402
from smepo_train.prompts import Prompt  # noqa: E402
from smepo_train.rollout import Completion  # noqa: E402
from smepo_train.trainer import Rollout, console_line  # noqa: E402

from .train_support import (  # noqa: E402
    EVAL,
    TRAIN,
    one_thread,  # noqa: E402, F401  (the fixture)
    quiet,
    tiny_config,
)

pytestmark = pytest.mark.usefixtures("one_thread")

IDS = pq.read_table(TRAIN, columns=["id"]).column("id").to_pylist()
#: the training rows whose every completion fails (rows 0 and 3 of the file)
FAILING = {IDS[0], IDS[3]}


def fail_chosen(completion: str, id: str, **columns) -> float:
    """0 for the rows in FAILING, 1 for every other row, whatever the completion."""
    return 0.0 if id in FAILING else 1.0


FAIL_CHOSEN = f"{__name__}:fail_chosen"


def rollouts_of(tmp_path) -> list[dict]:
    return [json.loads(x) for x in (tmp_path / "run" / "rollouts.jsonl").read_text().splitlines()]


def metrics_of(tmp_path) -> list[dict]:
    return [json.loads(x) for x in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]


def test_prefix_ratio_schedules_match_hand_computed_values():
    def cfg(schedule):
        return GRPOConfig(
            guidance="full",
            prefix_ratio=0.8,
            prefix_ratio_min=0.2,
            prefix_ratio_schedule=schedule,
            max_steps=5,
        )

    steps = range(5)
    assert [prefix_ratio_at(cfg("constant"), t) for t in steps] == [0.8] * 5
    assert [prefix_ratio_at(cfg("linear"), t) for t in steps] == pytest.approx([0.8, 0.65, 0.5, 0.35, 0.2])
    # 0.2 + 0.6 * (1 + cos(pi * t / 4)) / 2
    assert [prefix_ratio_at(cfg("cosine"), t) for t in steps] == pytest.approx(
        [0.8, 0.2 + 0.3 * (1 + math.sqrt(0.5)), 0.5, 0.2 + 0.3 * (1 - math.sqrt(0.5)), 0.2]
    )
    assert prefix_ratio_at(cfg("linear"), 9) == pytest.approx(0.2)  # past the end: the floor


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"guidance_when": "sometimes"}, "guidance_when must be one of always, all_fail"),
        ({"num_guided_generations": 9}, "num_guided_generations must be between 1 and num_generations = 8"),
        ({"num_guided_generations": 0}, "num_guided_generations must be between 1"),
        ({"prefix_ratio": 0.5, "prefix_ratio_min": 0.6}, r"prefix_ratio_min must be in \[0, prefix_ratio"),
        ({"prefix_ratio_schedule": "step"}, "prefix_ratio_schedule must be one of constant, linear, cosine"),
        ({"guidance_warmup_steps": -1}, "guidance_warmup_steps must be >= 0"),
        ({"solve_threshold": float("nan")}, "solve_threshold must be a finite number, got nan"),
        ({"guidance": "none", "guidance_when": "all_fail"}, "guidance_when='all_fail' needs guidance"),
        ({"guidance": "none", "num_guided_generations": 2}, "num_guided_generations=2 needs guidance"),
    ],
)
def test_bad_guidance_knobs_are_refused(values, message):
    with pytest.raises(ValueError, match=message):
        GRPOConfig.from_dict(values)


def test_k_of_n_guides_the_first_k_of_each_group_and_trains(tmp_path):
    cfg = tiny_config(
        tmp_path, guidance="masked", num_guided_generations=1, max_steps=1, log_rollouts_steps=1
    )
    trainer = GRPOTrainer(cfg, log=quiet)
    batch = trainer.sample_prompts()
    rollout = trainer.generate(batch)
    assert rollout.guided == [True, False, False, False] * 2
    for i, (sample, guided, bare) in enumerate(batch):
        assert sample.masked_trace.splitlines()[0] in guided.text and guided.guidance
        assert rollout.prompts[4 * i] is guided
        assert all(p is bare and not p.guidance for p in rollout.prompts[4 * i + 1 : 4 * i + 4])
    # through the loop: rollouts.jsonl says which completions were guided, the metrics count them
    trainer.train()
    shown = [bool(r["guidance"]) for r in rollouts_of(tmp_path)]
    assert shown == [True, False, False, False] * 2
    (m,) = metrics_of(tmp_path)
    assert m["guidance/guided_frac"] == 0.25 and m["prompts/guided_frac"] == 1.0
    assert m["guidance/prefix_ratio"] == 1.0


def test_release_default_guides_every_completion(tmp_path):
    trainer = GRPOTrainer(tiny_config(tmp_path, guidance="full"), log=quiet)
    assert trainer.generate(trainer.sample_prompts()).guided == [True] * 8


def test_all_fail_gating_guides_only_failed_prompts_after_the_warm_up(tmp_path):
    """Two prompts a step, rows in file order: step 1 = rows 0, 1 (warm-up: row 0 fails but is not
    guided), step 2 = rows 2, 3 (row 3 fails: its first 2 completions are resampled with guidance), step 3
    = rows 0, 1 again (row 0 fails: guided)."""
    cfg = tiny_config(
        tmp_path,
        guidance="masked",
        guidance_when="all_fail",
        guidance_warmup_steps=1,
        num_guided_generations=2,
        reward_funcs=[FAIL_CHOSEN],
        max_train_samples=4,
        shuffle=False,
        max_steps=3,
        log_rollouts_steps=1,
    )
    GRPOTrainer(cfg, log=quiet).train()
    rollouts = rollouts_of(tmp_path)
    assert len(rollouts) == 3 * 8
    guided = {(r["step"], r["id"]): [] for r in rollouts}
    for r in rollouts:
        guided[(r["step"], r["id"])].append(bool(r["guidance"]))
    none, first_two = [False] * 4, [True, True, False, False]
    assert guided == {
        (1, IDS[0]): none,
        (1, IDS[1]): none,
        (2, IDS[2]): none,
        (2, IDS[3]): first_two,
        (3, IDS[0]): first_two,
        (3, IDS[1]): none,
    }
    m1, m2, m3 = metrics_of(tmp_path)
    # the warm-up step: half the prompts all failed, nothing guided
    assert m1["guidance/all_fail_frac"] == 0.5 and m1["guidance/guided_frac"] == 0.0
    assert m1["guidance/solve_rate_unguided"] == 0.5 and m1["guidance/solve_rate_guided"] is None
    for m in (m2, m3):
        # the replaced unguided completions still count: 4 of 8 unguided completions solved
        assert m["guidance/all_fail_frac"] == 0.5 and m["guidance/solve_rate_unguided"] == 0.5
        assert m["guidance/guided_frac"] == 0.25 and m["guidance/solve_rate_guided"] == 0.0
        assert m["prompts/guided_frac"] == 0.5


def test_schedule_shortens_the_guidance_shown_over_training(tmp_path):
    cfg = tiny_config(
        tmp_path,
        guidance="full",
        prefix_ratio=1.0,
        prefix_ratio_min=0.2,
        prefix_ratio_schedule="linear",
        max_train_samples=2,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=1,
        shuffle=False,
        max_steps=3,
        log_rollouts_steps=1,
    )
    GRPOTrainer(cfg, log=quiet).train()
    assert [m["guidance/prefix_ratio"] for m in metrics_of(tmp_path)] == pytest.approx([1.0, 0.6, 0.2])
    rows = rollouts_of(tmp_path)
    by_step = {r["step"]: r["guidance"] for r in rows if r["id"] == IDS[0]}  # row 0 is in steps 1 and 3
    assert set(by_step) == {1, 3}
    assert len(by_step[3]) < len(by_step[1]) and by_step[1].startswith(by_step[3])


def test_metrics_of_a_constructed_rollout(tmp_path):
    trainer = GRPOTrainer(tiny_config(tmp_path, guidance="masked", num_generations=4), log=quiet)
    guided, bare = Prompt("g", [1, 2, 3], "trace"), Prompt("b", [1, 2], "")
    sample = trainer.samples[0]
    rollout = Rollout(
        samples=[sample] * 8,
        prompts=[guided, guided, bare, bare] + [bare] * 4,
        completions=[Completion([5, 6], True)] * 8,
        texts=["x"] * 8,
        rewards=[1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0],
        per_func={"domain": [1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]},
        replaced=[[0.0, 0.0], []],  # prompt 0's first two unguided completions failed and were replaced
    )
    update = dict.fromkeys(
        ("loss", "kl", "entropy", "clip_low", "clip_high", "grad_norm", "nonfinite_skipped"), 0.0
    )
    update.update(micro_batches=1.0, padded_tokens=10.0)
    m = trainer.step_metrics(rollout, update, gen_s=1.0, reward_s=0.0, update_s=0.0)
    assert m["guidance/solve_rate_unguided"] == 3 / 8  # 0,0 + 0,0 replaced + 1,1,0,1
    assert m["guidance/solve_rate_guided"] == 0.5
    assert m["guidance/all_fail_frac"] == 0.5
    assert m["guidance/guided_frac"] == 0.25
    assert m["guidance/prefix_ratio"] == 1.0
    line = console_line(m, 10)
    assert "solve unguided 0.38 guided 0.50 all-fail 0.50 guided 0.25 ratio 1.00" in line
    # nothing to count: None, not 0
    empty = guidance_metrics([False] * 2, [0.0, 1.0], [[0.0, 1.0]], 1.0, 0.5)
    assert empty["guidance/solve_rate_guided"] is None and empty["guidance/all_fail_frac"] == 0.0


def vowel_share(completion: str, **columns) -> float:
    return sum(c in "aeiou" for c in completion) / max(1, len(completion))


def copy_gap_config(tmp_path) -> GRPOConfig:
    """One masked step, then the eval on 2 rows in each guidance mode, scored by :func:`vowel_share`."""
    return tiny_config(
        tmp_path,
        guidance="masked",
        max_steps=1,
        eval_steps=1,
        eval_file=str(EVAL),
        eval_max_samples=2,
        eval_copy_gap=True,
        reward_funcs=[f"{__name__}:vowel_share"],
    )


def test_copy_gap_on_the_eval_set(tmp_path):
    """eval_copy_gap: the eval runs three times on the same rows (no, full, masked guidance) and logs each
    guided reward minus the unguided one."""
    cfg = copy_gap_config(tmp_path)
    lines: list[str] = []
    trainer = GRPOTrainer(cfg, log=lines.append)
    seen: list[list[str]] = []
    generate = trainer.backend.generate

    def recording(prompts, **kw):  # the real backend, remembering what it was asked
        seen.append(trainer.tokenizer.batch_decode(prompts))
        return generate(prompts, **kw)

    trainer.backend.generate = recording
    trainer.train()
    (m,) = metrics_of(tmp_path)
    train_call, unguided, full, masked = seen
    rows = trainer.eval_samples
    assert len(unguided) == 2 and all(r.question in text for r, text in zip(rows, unguided, strict=True))
    assert not any(cfg.guidance_intro in text for text in unguided)
    for r, text in zip(rows, full, strict=True):
        assert r.full_trace.splitlines()[0] in text
    for r, text in zip(rows, masked, strict=True):
        assert r.masked_trace.splitlines()[0] in text and r.full_trace.splitlines()[0] not in text
    for mode in ("full", "masked"):
        assert m[f"eval/copy_gap_{mode}"] == pytest.approx(m[f"eval/reward_{mode}"] - m["eval/reward"])
    assert any("copy gap full" in line and "copy gap masked" in line for line in lines)


def test_copy_gap_pairs_rows_when_some_have_no_trace(tmp_path):
    """A row without a full trace is left out of both sides of the full gap: the gap is the guided reward
    minus the unguided reward of the same rows, not of every eval row."""
    cfg = copy_gap_config(tmp_path)
    trainer = GRPOTrainer(cfg, log=lambda line: None)
    trainer.eval_samples[1].full_trace = None
    texts: list[list[str]] = []
    generate = trainer.backend.generate

    def recording(prompts, **kw):
        out = generate(prompts, **kw)
        texts.append(trainer.tokenizer.batch_decode([c.ids for c in out], skip_special_tokens=True))
        return out

    trainer.backend.generate = recording
    trainer.train()
    (m,) = metrics_of(tmp_path)
    _, unguided, full, _ = texts
    assert len(unguided) == 2 and len(full) == 1  # greedy, one completion per row; row 1 has no full trace
    expected = vowel_share(full[0]) - vowel_share(unguided[0])
    assert m["eval/copy_gap_full"] == pytest.approx(expected)
    assert m["eval/reward_full"] == pytest.approx(vowel_share(full[0]))


def test_copy_gap_refuses_an_eval_file_whose_masked_column_holds_full_traces(tmp_path):
    """The eval file's "masked" column holds the original traces: its masked - none gap would be the full
    trace's. Refused at start as the train file is; masked_trace_column_holds: masked trusts it."""
    import pyarrow as pa

    rows = [
        {
            "data_source": "openai/gsm8k",
            "prompt": [{"role": "user", "content": f"What is {i} + {i} + 2?"}],
            "ability": "math",
            "reward_model": {"style": "rule", "ground_truth": str(2 * i + 2)},
            "extra_info": {
                "index": i,
                "teacher_ds": f"{i} + {i} = {2 * i}.\nThe answer is \\boxed{{{2 * i + 2}}}.",
            },
        }
        for i in range(3)
    ]
    leaky = tmp_path / "eval.parquet"
    pq.write_table(pa.Table.from_pylist(rows), leaky)
    cfg = tiny_config(tmp_path, eval_file=str(leaky), eval_steps=1, eval_copy_gap=True)
    with pytest.raises(
        ValueError, match=f"eval_file {leaky}: the masked trace column extra_info.teacher_ds gives"
    ):
        GRPOTrainer(cfg, log=lambda line: None)
    trusted = tiny_config(
        tmp_path, eval_file=str(leaky), eval_steps=1, eval_copy_gap=True, masked_trace_column_holds="masked"
    )
    assert len(GRPOTrainer(trusted, log=lambda line: None).eval_samples) == 3
