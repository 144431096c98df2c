"""smepo_train end to end on CPU with a tiny random Llama and the real SmolLM2 tokenizer: exact resume,
outputs (metrics, rollouts, checkpoints, eval), the CLI, and a learning test (reward rises)."""

from __future__ import annotations

import json
import time

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from smepo_train import GRPOTrainer  # noqa: E402
from smepo_train.checkpoint import checkpoints  # noqa: E402
from smepo_train.cli import main  # noqa: E402
from smepo_train.logprobs import completion_logps_chunked  # noqa: E402
from smepo_train.model import pad_batch  # noqa: E402
from smepo_train.rollout import TransformersBackend, sample_tokens  # noqa: E402

from .train_support import (  # noqa: E402
    EVAL,
    TINY_MODEL,
    one_thread,  # noqa: E402, F401  (the fixture)
    quiet,
    tiny_config,
    tokenizer,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # every test here on one thread


def vowel_share(completion: str, **columns) -> float:
    """A verifiable reward a tiny random model can learn: the share of the completion's characters that
    are lower-case vowels."""
    return sum(c in "aeiou" for c in completion) / max(1, len(completion))


VOWELS = f"{__name__}:vowel_share"


def params(trainer) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}


def test_resume_is_exact(tmp_path):
    """4 steps straight == 2 steps, then a new process-like trainer resuming from the checkpoint, then 2;
    with KL to a reference, two iterations per batch, accumulation and an epoch boundary (3 rows)."""
    common = dict(
        reward_funcs=[VOWELS],
        beta=0.04,
        num_iterations=2,
        max_train_samples=3,
        save_steps=2,
        lr_scheduler_type="cosine",
        warmup_steps=1,
        learning_rate=3e-3,
    )
    straight = GRPOTrainer(tiny_config(tmp_path / "a", max_steps=4, **common), log=quiet)
    history_a = straight.train()

    first = GRPOTrainer(tiny_config(tmp_path / "b", max_steps=4, **common), log=quiet)
    first.train(until_step=2)  # stands for a run killed after its step-2 checkpoint
    resumed = GRPOTrainer(
        tiny_config(tmp_path / "b", max_steps=4, resume_from_checkpoint="latest", **common), log=quiet
    )
    assert resumed.state["step"] == 2 and resumed.state["epoch"] == 1
    history_b = resumed.train()

    a, b = params(straight), params(resumed)
    moved = params(GRPOTrainer(tiny_config(tmp_path / "c", max_steps=0, **common), log=quiet))
    assert any(not torch.allclose(a[k], moved[k]) for k in a)  # training changed the weights
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=1e-5, atol=1e-6)
    assert [m["reward"] for m in history_a[2:]] == [m["reward"] for m in history_b]
    assert history_a[-1]["learning_rate"] == history_b[-1]["learning_rate"]


def test_gradient_checkpointing_gives_the_same_update(tmp_path):
    common = dict(reward_funcs=[VOWELS], max_steps=1, learning_rate=1e-2)
    plain = GRPOTrainer(tiny_config(tmp_path / "a", **common), log=quiet)
    plain.train()
    ckpt = GRPOTrainer(tiny_config(tmp_path / "b", gradient_checkpointing=True, **common), log=quiet)
    on = getattr(ckpt.model, "is_activation_checkpointing", None)  # transformers >= 5
    assert on if on is not None else ckpt.model.is_gradient_checkpointing
    ckpt.train()
    a, b = params(plain), params(ckpt)
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=1e-5, atol=1e-6)


def test_outputs_metrics_rollouts_checkpoints_and_eval(tmp_path):
    cfg = tiny_config(
        tmp_path,
        max_steps=3,
        save_steps=1,
        save_total_limit=2,
        log_rollouts_steps=2,
        eval_steps=3,
        eval_file=str(EVAL),
        eval_max_samples=2,
        reward_funcs=["domain", VOWELS],
        reward_weights=[1.0, 0.5],
        guidance="masked",
        beta=0.02,
    )
    lines: list[str] = []
    GRPOTrainer(cfg, log=lines.append).train()
    out = tmp_path / "run"
    metrics = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics] == [1, 2, 3]
    m = metrics[-1]
    for key in (
        "reward",
        "reward_std",
        "frac_reward_zero_std",
        "rewards/domain/mean",
        f"rewards/{VOWELS}/std",
        "completions/mean_length",
        "completions/clipped_ratio",
        "clip_ratio/low_mean",
        "clip_ratio/high_mean",
        "kl",
        "entropy",
        "grad_norm",
        "learning_rate",
        "time/generation_s",
        "time/reward_s",
        "time/update_s",
        "tokens_per_s/generation",
        "prompts/guided_frac",
        "prompts/mean_length",
        "eval/reward",
    ):
        assert key in m, key
    assert m["prompts/guided_frac"] == 1.0 and m["eval/num_prompts"] == 2.0
    assert m["kl"] > 0 and m["entropy"] > 0
    assert "eval/reward" not in metrics[0]
    assert lines[0].startswith("smepo_train config:\n") and "guidance: masked" in lines[0]
    assert lines[1].startswith("step 1/3 | reward ")

    rollouts = [json.loads(x) for x in (out / "rollouts.jsonl").read_text().splitlines()]
    # the run's first step (always) and step 2 (every 2), every completion
    assert len(rollouts) == 16 and [r["step"] for r in rollouts] == [1] * 8 + [2] * 8
    r = rollouts[0]
    assert r["guidance"].startswith("Here is an example solution:\n") and r["guidance"] in r["prompt"]
    assert set(r["rewards"]) == {"domain", VOWELS}
    assert r["reward"] == pytest.approx(r["rewards"]["domain"] + 0.5 * r["rewards"][VOWELS])

    assert [p.name for p in checkpoints(out)] == ["checkpoint-2", "checkpoint-3"]  # rotated
    assert (out / "checkpoint-3" / "model.safetensors").exists()


def test_cli_with_overrides(tmp_path, capsys):
    code = main(
        [
            "examples/train_gsm8k.yaml",
            f"model_config={json.dumps(TINY_MODEL)}",
            "model_name_or_path=null",
            "gguf_file=null",
            f"tokenizer_name_or_path={tiny_config(tmp_path).tokenizer_name_or_path}",
            f"output_dir={tmp_path / 'cli'}",
            "max_steps=1",
            "num_generations=2",
            "per_device_train_batch_size=2",
            "gradient_accumulation_steps=1",
            "max_completion_length=4",
            "eval_steps=0",
            "dtype=fp32",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "num_generations: 2" in out and "step 1/1 | reward" in out
    assert (tmp_path / "cli" / "checkpoint-1").is_dir()
    assert main(["examples/train_gsm8k.yaml", "num_generatoins=2"]) == 2
    assert "did you mean num_generations" in capsys.readouterr().err


def test_sampler_distribution_and_greedy():
    logits = torch.log(torch.tensor([[0.1, 0.6, 0.3, 0.0]])).expand(20000, 4)
    g = torch.Generator().manual_seed(0)
    counts = torch.bincount(sample_tokens(logits, 1.0, 1.0, g), minlength=4) / 20000
    assert torch.allclose(counts, torch.tensor([0.1, 0.6, 0.3, 0.0]), atol=0.015)
    nucleus = torch.bincount(sample_tokens(logits, 1.0, 0.65, g), minlength=4) / 20000
    assert nucleus[0] == 0 and nucleus[3] == 0 and abs(nucleus[1] - 2 / 3) < 0.015  # {0.6, 0.3} renormalised
    assert sample_tokens(logits[:2], 0.0, 1.0, g).tolist() == [1, 1]


def test_generation_matches_the_models_own_greedy_decoding(tmp_path):
    trainer = GRPOTrainer(tiny_config(tmp_path, max_steps=0), log=quiet)
    tok = tokenizer()
    prompts = [
        tok("Hello there", add_special_tokens=False)["input_ids"],
        tok("Hi", add_special_tokens=False)["input_ids"],
    ]
    ours = TransformersBackend(trainer.model, tok).generate(
        prompts, num_generations=2, max_new_tokens=6, do_sample=False, seed=0
    )
    for i, p in enumerate(prompts):
        ref = trainer.model.generate(
            torch.tensor([p]),
            attention_mask=torch.ones(1, len(p), dtype=torch.long),
            do_sample=False,
            max_new_tokens=6,
            pad_token_id=tok.pad_token_id,
        )[0, len(p) :].tolist()
        assert ours[2 * i].ids == ref[: len(ours[2 * i].ids)] and ours[2 * i + 1].ids == ours[2 * i].ids
    # rows that end leave the batch (and its KV cache): the others must go on exactly as before. Make the
    # third token of the first prompt's greedy completion an end token, so that row ends early.
    backend = TransformersBackend(trainer.model, tok)
    stop = ours[0].ids[2]
    backend.eos_ids = sorted({*backend.eos_ids, stop})
    pruned = backend.generate(prompts, num_generations=2, max_new_tokens=6, do_sample=False, seed=0)
    for full, cut in zip(ours, pruned, strict=True):
        end = full.ids.index(stop) + 1 if stop in full.ids else len(full.ids)
        assert cut.ids == full.ids[:end] and cut.finished == (stop in full.ids)
    assert len(pruned[0].ids) <= 3 < max(len(c.ids) for c in pruned)  # a row outlived the pruned one


def test_padded_batch_log_probs_equal_unpadded_ones(tmp_path):
    """Left-padded prompts and right-padded completions give each completion the log-probs it has alone."""
    trainer = GRPOTrainer(tiny_config(tmp_path, max_steps=0), log=quiet)
    tok = tokenizer()
    prompts = [
        tok(t, add_special_tokens=False)["input_ids"] for t in ("A much longer prompt than the other", "Hi")
    ]
    completions = [[100, 200, 300], [400, 500]]
    ids, attn, mask = pad_batch(prompts, completions, tok.pad_token_id, torch.device("cpu"))
    with torch.no_grad():
        batched, _ = completion_logps_chunked(trainer.model, ids, attn, mask.shape[1], temperature=0.7)
        for i, (p, c) in enumerate(zip(prompts, completions, strict=True)):
            alone = torch.tensor([p + c])
            logits = trainer.model(input_ids=alone).logits[0, len(p) - 1 : -1] / 0.7
            expected = torch.log_softmax(logits, -1).gather(-1, torch.tensor(c).unsqueeze(-1)).squeeze(-1)
            torch.testing.assert_close(batched[i, : len(c)], expected, rtol=1e-4, atol=1e-5)
    assert mask.tolist() == [[1, 1, 1], [1, 1, 0]]


def test_learning_reward_rises(tmp_path):
    """A fixed seed, 20 steps: the vowel-share reward of a tiny random model rises well above its start."""
    cfg = tiny_config(
        tmp_path,
        reward_funcs=[VOWELS],
        guidance="none",
        max_steps=20,
        num_generations=8,
        per_device_train_batch_size=32,
        gradient_accumulation_steps=1,
        max_completion_length=8,
        learning_rate=3e-2,
        model_config={**TINY_MODEL, "initializer_range": 0.2},
    )
    start = time.perf_counter()
    history = GRPOTrainer(cfg, log=quiet).train()
    rewards = [m["reward"] for m in history]
    first, last = sum(rewards[:5]) / 5, sum(rewards[-5:]) / 5
    print(f"learning test: reward {first:.3f} -> {last:.3f} in {time.perf_counter() - start:.1f}s")
    assert last > first + 0.08, rewards
