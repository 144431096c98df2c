"""smepo_train's memory and precision (issue 13) on CPU with a tiny random Llama: chunked log-probs and
entropy equal the unchunked ones, token-budget micro-batches give the padded batch's loss and gradients,
gradient checkpointing by model size, LoRA (adapters train, the base does not, the reference is the base
model), and precision (bf16 autocast, fp16 with a GradScaler, a non-finite gradient skips the step)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from smepo_train import GRPOConfig, GRPOTrainer  # noqa: E402
from smepo_train.batching import padded_tokens, plan_microbatches  # noqa: E402
from smepo_train.logprobs import completion_logps_chunked  # noqa: E402
from smepo_train.loss import entropy_from_logits  # noqa: E402
from smepo_train.model import pad_batch  # noqa: E402
from smepo_train.rollout import Completion  # noqa: E402

from .test_train_trainer import VOWELS, one_thread, quiet  # noqa: E402, F401  (one_thread: autouse fixture)
from .train_support import tiny_config, tokenizer  # noqa: E402


def _padded_inputs():
    tok = tokenizer()
    prompts = [
        tok(t, add_special_tokens=False)["input_ids"]
        for t in ("A much longer prompt than the other one", "Hi", "Three words here")
    ]
    completions = [[100, 200, 300, 7, 9], [400, 500], [11, 12, 13, 14]]
    return pad_batch(prompts, completions, tok.pad_token_id, torch.device("cpu"))


def _grads(model) -> dict[str, torch.Tensor]:
    return {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("chunk", [1, 3, 4096])
def test_chunked_log_probs_and_entropy_equal_unchunked_with_padding(tmp_path, chunk):
    """Log-probs, entropies and the gradients through the log-probs are those of the full-logits path,
    for chunks of 1 position, an uneven 3 and one chunk for all; padded positions come back as 0."""
    model = GRPOTrainer(tiny_config(tmp_path, max_steps=0), log=quiet).model
    ids, attn, mask = _padded_inputs()
    width = mask.shape[1]
    weights = torch.linspace(0.5, 1.5, mask.numel()).view_as(mask.float())

    # the unchunked reference: the whole (batch, completion, vocab) float32 log-softmax
    model.zero_grad()
    out = model(input_ids=ids, attention_mask=attn, position_ids=(attn.cumsum(-1) - 1).clamp(min=0))
    logits = out.logits[:, -width - 1 : -1] / 0.7
    full = torch.log_softmax(logits, -1).gather(-1, ids[:, -width:].unsqueeze(-1)).squeeze(-1)
    ((full * mask * weights).sum()).backward()
    expected_grads = _grads(model)
    expected_entropy = entropy_from_logits(logits.detach())

    model.zero_grad()
    made = []  # the shape of every logits tensor the output head makes, forward and backward
    hook = model.lm_head.register_forward_hook(lambda m, i, o: made.append(tuple(o.shape)))
    chunked, entropy = completion_logps_chunked(
        model, ids, attn, width, 0.7, with_entropy=True, mask=mask, chunk_tokens=chunk
    )
    ((chunked * mask * weights).sum()).backward()
    hook.remove()
    kept = int(mask.sum())
    assert made and all(len(shape) == 2 and shape[0] <= min(chunk, kept) for shape in made)
    # each kept position: the log-probs, the entropy (apart, without autograd), the backward's recompute
    assert sum(shape[0] for shape in made) == 3 * kept
    keep = mask.bool()
    torch.testing.assert_close(chunked[keep], full[keep], rtol=1e-5, atol=1e-6)
    assert (chunked[~keep] == 0).all() and (entropy[~keep] == 0).all()
    torch.testing.assert_close(entropy[keep], expected_entropy[keep], rtol=1e-5, atol=1e-5)
    assert entropy.grad_fn is None
    grads = _grads(model)
    assert grads.keys() == expected_grads.keys()
    for k in grads:  # float32 sums in another order: tolerance relative to the tensor's largest entry
        scale = float(expected_grads[k].abs().max())
        torch.testing.assert_close(grads[k], expected_grads[k], rtol=1e-4, atol=1e-4 * scale)


def test_models_with_transformed_logits_take_their_own_forward(tmp_path):
    """A config that scales or soft-caps logits sends the computation through the model's forward (the
    log-softmax still chunked); for this Llama that attribute changes nothing, so log-probs, entropies and
    gradients are equal."""
    model = GRPOTrainer(tiny_config(tmp_path, max_steps=0), log=quiet).model
    ids, attn, mask = _padded_inputs()

    def run():
        model.zero_grad()
        logps, entropy = completion_logps_chunked(
            model, ids, attn, mask.shape[1], 0.9, with_entropy=True, mask=mask, chunk_tokens=2
        )
        (logps * mask).sum().backward()
        return logps.detach(), entropy, _grads(model)

    plain = run()
    model.config.final_logit_softcapping = 30.0
    calls = []
    hook = model.lm_head.register_forward_hook(lambda m, i, o: calls.append(i[0].shape))
    fallback = run()
    hook.remove()
    del model.config.final_logit_softcapping
    assert calls == [torch.Size([3, mask.shape[1] + 1, 64])]  # one head call on the whole logits_to_keep
    torch.testing.assert_close(fallback[0], plain[0], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(fallback[1], plain[1], rtol=1e-5, atol=1e-5)
    for k in plain[2]:
        scale = float(plain[2][k].abs().max())
        torch.testing.assert_close(fallback[2][k], plain[2][k], rtol=1e-4, atol=1e-4 * scale)


def test_plan_microbatches_packs_by_length_within_the_budget():
    prompts = [10, 2, 10, 3, 4, 1]
    completions = [5, 1, 6, 2, 20, 1]
    assert plan_microbatches(prompts, completions, 4) == [[0, 1, 2, 3], [4, 5]]
    plan = plan_microbatches(prompts, completions, 4, max_tokens=40)
    assert sorted(i for rows in plan for i in rows) == list(range(6))
    assert plan[0] == [4]  # 24 tokens: with the next row (16) the batch would pad to 2 * 30
    assert all(padded_tokens(prompts, completions, rows) <= 40 for rows in plan)
    assert plan_microbatches(prompts, completions, 4, max_tokens=1) == [[4], [2], [0], [3], [1], [5]]


def _varied_rollout(trainer):
    """A generated rollout whose completions are cut to different lengths (a tiny random model rarely stops
    by itself), with distinct rewards, and its advantages."""
    from smepo_train.loss import group_advantages

    rollout = trainer.generate(trainer.sample_prompts())
    cuts = [1, 8, 3, 5, 2, 7, 4, 6]
    rollout.completions = [
        Completion(c.ids[: cuts[i % len(cuts)]], i % 3 != 0) for i, c in enumerate(rollout.completions)
    ]
    rollout.rewards = [float(i % 5) for i in range(len(rollout.completions))]
    adv = group_advantages(torch.tensor(rollout.rewards), trainer.cfg.num_generations, "group")
    return rollout, adv


def _update_grads(trainer, rollout, adv):
    seen = {}

    def capture(params, optimizer, scheduler, max_grad_norm):
        seen.update(_grads(trainer.model))
        optimizer.zero_grad(set_to_none=True)
        return 0.0

    trainer.opt_step.step = capture
    stats = trainer.update(rollout, adv)
    return stats, seen


@pytest.mark.parametrize("loss_type", ["grpo", "dapo", "dr_grpo"])
def test_token_budget_micro_batches_give_the_padded_loss_and_gradients(tmp_path, loss_type):
    """Packing by a token budget regroups the rows (more, smaller micro-batches, fewer padded tokens) and
    leaves the loss, the gradients and the statistics as they are with fixed-size micro-batches."""
    common = dict(
        reward_funcs=[VOWELS],
        loss_type=loss_type,
        max_grad_norm=1e9,
        beta=0.04,
        mask_truncated_completions=True,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=2,
    )
    padded = GRPOTrainer(tiny_config(tmp_path / "a", **common), log=quiet)
    rollout, adv = _varied_rollout(padded)
    packed = GRPOTrainer(tiny_config(tmp_path / "b", max_tokens_per_microbatch=200, **common), log=quiet)
    stats_a, grads_a = _update_grads(padded, rollout, adv)
    stats_b, grads_b = _update_grads(packed, rollout, adv)
    assert stats_b["micro_batches"] > stats_a["micro_batches"] == 2
    assert stats_b["padded_tokens"] < stats_a["padded_tokens"]
    assert stats_b["loss"] == pytest.approx(stats_a["loss"], rel=1e-5, abs=1e-7)
    for key in ("kl", "entropy", "clip_low", "clip_high", "num_tokens"):
        assert stats_b[key] == pytest.approx(stats_a[key], rel=1e-5, abs=1e-8)
    assert grads_a and grads_a.keys() == grads_b.keys()
    assert any(g.abs().sum() > 0 for g in grads_a.values())
    for k in grads_a:  # float32 sums in another order: tolerance relative to the tensor's largest entry
        scale = float(grads_a[k].abs().max())
        torch.testing.assert_close(grads_b[k], grads_a[k], rtol=1e-4, atol=1e-4 * scale)


def test_gradient_checkpointing_by_model_size(tmp_path):
    def on(trainer) -> bool:
        flag = getattr(trainer.model, "is_activation_checkpointing", None)  # transformers >= 5
        return bool(flag if flag is not None else trainer.model.is_gradient_checkpointing)

    assert GRPOConfig().gradient_checkpointing is None
    small = GRPOTrainer(tiny_config(tmp_path / "a", max_steps=0), log=quiet)
    assert not on(small)  # a tiny model is under 100M parameters
    big = GRPOTrainer(
        tiny_config(tmp_path / "b", max_steps=0, gradient_checkpointing_min_params=1000), log=quiet
    )
    assert on(big)
    forced_off = GRPOTrainer(
        tiny_config(
            tmp_path / "c", max_steps=0, gradient_checkpointing_min_params=1000, gradient_checkpointing=False
        ),
        log=quiet,
    )
    assert not on(forced_off)


def test_non_finite_gradient_skips_the_step_and_is_counted(tmp_path):
    said: list[str] = []
    trainer = GRPOTrainer(
        tiny_config(tmp_path, reward_funcs=[VOWELS], max_steps=2, learning_rate=1e-2, warmup_steps=3),
        log=said.append,
    )
    before = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}
    param = trainer.model.model.layers[0].mlp.up_proj.weight
    handle = param.register_hook(lambda g: torch.full_like(g, float("nan")))
    first = trainer.train(until_step=1)[0]
    handle.remove()
    after = trainer.model.state_dict()
    for k in before:
        torch.testing.assert_close(after[k], before[k], rtol=0, atol=0)
    assert first["nonfinite_grad_skipped"] == 1.0 and first["nonfinite_grad_skipped_total"] == 1.0
    assert any("step 1: gradient norm nan is not finite; optimizer step skipped" in m for m in said)
    assert trainer.optimizer.state == {} and trainer.scheduler.last_epoch == 0  # no step, no schedule
    second = trainer.train()[-1]
    assert second["nonfinite_grad_skipped"] == 0.0 and second["nonfinite_grad_skipped_total"] == 1.0
    assert trainer.scheduler.last_epoch == 1
    resumed = GRPOTrainer(tiny_config(tmp_path, max_steps=2, resume_from_checkpoint="latest"), log=quiet)
    assert resumed.opt_step.skipped == 1  # the count is saved with the checkpoint
    assert any(not torch.equal(trainer.model.state_dict()[k], before[k]) for k in before)


def test_bf16_autocast_on_cpu_trains_with_fp32_or_bf16_weights(tmp_path):
    common = dict(reward_funcs=[VOWELS], max_steps=1, learning_rate=1e-2, dtype="bf16", compute_entropy=False)
    master = GRPOTrainer(tiny_config(tmp_path / "a", **common), log=quiet)
    assert {p.dtype for p in master.model.parameters()} == {torch.float32}
    m = master.train()[-1]
    assert m["nonfinite_grad_skipped"] == 0.0 and m["entropy"] == 0.0
    pure = GRPOTrainer(tiny_config(tmp_path / "b", fp32_master_weights=False, **common), log=quiet)
    assert {p.dtype for p in pure.model.parameters()} == {torch.bfloat16}
    pure.train()


def test_fp16_uses_a_grad_scaler_and_pure_fp16_is_refused(tmp_path):
    with pytest.raises(ValueError, match="fp32_master_weights"):
        tiny_config(tmp_path, dtype="fp16", fp32_master_weights=False)
    trainer = GRPOTrainer(
        tiny_config(tmp_path, reward_funcs=[VOWELS], max_steps=1, learning_rate=1e-2, dtype="fp16"), log=quiet
    )
    assert trainer.opt_step.scaler is not None
    before = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}
    m = trainer.train()[-1]
    assert m["nonfinite_grad_skipped"] == 0.0 and 0 < m["grad_norm"] < 1e3  # unscaled before clipping
    assert any(not torch.equal(trainer.model.state_dict()[k], before[k]) for k in before)
    assert trainer.state["grad_scaler"]["scale"] > 0  # saved with the checkpoint for an exact resume


def test_lora_trains_adapters_only_and_its_reference_is_the_base_model(tmp_path):
    pytest.importorskip("peft")
    common = dict(reward_funcs=[VOWELS], learning_rate=3e-2, beta=0.04, max_steps=2, save_steps=1)
    lora = dict(
        use_peft=True, lora_r=4, lora_alpha=8, lora_dropout=0.0, lora_target_modules=["q_proj", "v_proj"]
    )
    lora["gradient_checkpointing"] = True  # checkpointing through frozen embeddings and adapters
    trainer = GRPOTrainer(tiny_config(tmp_path / "a", **common, **lora), log=quiet)
    assert trainer.ref_model is None  # no second copy
    assert trainer.model.get_base_model().is_activation_checkpointing
    base = GRPOTrainer(tiny_config(tmp_path / "base", max_steps=0), log=quiet).model
    start = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}
    trainer.train(until_step=1)
    end = trainer.model.state_dict()
    adapters = [k for k in start if "lora_" in k]
    assert adapters and all("q_proj" in k or "v_proj" in k for k in adapters)
    assert any(not torch.equal(start[k], end[k]) for k in adapters if "lora_B" in k)
    for k in start:
        if "lora_" not in k:
            assert torch.equal(start[k], end[k]), k

    ids, attn, mask = _padded_inputs()
    mb = {"ids": ids, "attn": attn, "mask": mask}
    from smepo_train.memory import micro_logps

    with torch.no_grad():
        policy, _ = micro_logps(trainer.model, trainer.cfg, mb)
        with trainer._reference() as ref:
            reference, _ = micro_logps(ref, trainer.cfg, mb)
        expected, _ = micro_logps(base, trainer.cfg, mb)
    torch.testing.assert_close(reference, expected, rtol=1e-5, atol=1e-6)
    assert not torch.allclose(policy, expected)  # the adapters did change the policy

    resumed = GRPOTrainer(
        tiny_config(tmp_path / "a", **common, **lora, resume_from_checkpoint="latest"), log=quiet
    )
    for k, v in resumed.model.state_dict().items():
        torch.testing.assert_close(v, end[k], rtol=0, atol=0)
    resumed.train()
