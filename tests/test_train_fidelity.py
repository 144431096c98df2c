"""smepo_train against the release's method (issue 13): dual-clip and mini-batch updates against values
worked by hand, exact sampling, where completions end, dropout, the recipe files, and what the console
tells a user."""

from __future__ import annotations

import copy
import json
import math

import pytest
import yaml

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from smepo_train import GRPOConfig, GRPOTrainer  # noqa: E402
from smepo_train.cli import main  # noqa: E402
from smepo_train.generation import GenerateBackend, make_backend  # noqa: E402
from smepo_train.logprobs import completion_logps_chunked  # noqa: E402
from smepo_train.loss import group_advantages, policy_loss  # noqa: E402
from smepo_train.model import pad_batch  # noqa: E402
from smepo_train.rollout import TransformersBackend  # noqa: E402
from smepo_train.sampling import sample_tokens  # noqa: E402
from smepo_train.trainer import lr_lambda  # noqa: E402

from .train_support import (  # noqa: E402
    ROOT,
    TINY_MODEL,
    TOKENIZER,
    TRAIN,
    one_thread,  # noqa: E402, F401  (the fixture)
    quiet,
    tiny_config,
    tokenizer,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # every test here on one thread


def zero_reward(completion: str, **columns) -> float:
    return 0.0


# -- the update --------------------------------------------------------------------------------------------


def test_dual_clip_and_the_releases_clip_range_by_hand():
    # the release: clip range [1 - 0, 1 + 5] and dual-clip c = 3; ratios set through logp (old logp 0)
    ratios = torch.tensor([[5.0, 0.5, 1.5], [7.0, 0.5, 2.0]])
    logps = ratios.log().requires_grad_(True)
    adv = torch.tensor([-1.0, 1.0])
    kw = dict(loss_type="grpo", epsilon=0.0, epsilon_high=5.0, num_sequences=2, num_tokens=6)
    mask = torch.ones(2, 3)
    parts = policy_loss(logps, torch.zeros(2, 3), adv, mask, max_completion_length=3, clip_ratio_c=3.0, **kw)
    # A = -1: per token max(r, clip(r, 1, 6)) = [5, 1, 1.5], then capped at -A * 3 = 3 -> [3, 1, 1.5]
    # A = +1: per token -min(r, clip(r, 1, 6)) = [-6, -0.5, -2]
    expected = ((3 + 1 + 1.5) / 3 + (-6 - 0.5 - 2) / 3) / 2
    assert float(parts.loss.detach()) == pytest.approx(expected)
    assert (parts.clipped_dual, parts.clipped_low, parts.clipped_high) == (
        1.0,
        1.0,
        1.0,
    )  # 3 tokens: 5, 0.5 (A<0), 7
    parts.loss.backward()
    # d/dlogp of -A * r is -A * r; capped or clipped tokens carry none; / 3 tokens / 2 sequences
    grad = torch.tensor([[0.0, 0.0, 1.5], [0.0, -0.5, -2.0]]) / 6
    torch.testing.assert_close(logps.grad, grad)
    without = policy_loss(logps, torch.zeros(2, 3), adv, mask, max_completion_length=3, **kw)
    assert float(without.loss.detach()) == pytest.approx(((5 + 1 + 1.5) / 3 + (-6 - 0.5 - 2) / 3) / 2)
    with pytest.raises(ValueError, match="clip_ratio_c"):
        GRPOConfig(clip_ratio_c=1.0)


def test_steps_per_generation_makes_one_update_per_mini_batch(tmp_path):
    """Two mini-batches of 4 completions: two AdamW updates, the second on a policy the first moved, both
    against the log-probs the completions were sampled with; replayed here by hand."""
    cfg = tiny_config(
        tmp_path,
        per_device_train_batch_size=2,
        gradient_accumulation_steps=2,
        steps_per_generation=2,
        loss_type="grpo",
        epsilon=0.0,
        epsilon_high=5.0,
        clip_ratio_c=3.0,
        max_steps=3,
    )
    assert cfg.prompts_per_step == 2 and cfg.completions_per_update == 4
    trainer = GRPOTrainer(cfg, log=quiet)
    start = copy.deepcopy(trainer.model)
    model = copy.deepcopy(start)
    rollout = trainer.generate(trainer.sample_prompts())
    rollout.rewards = [0.0, 1.0, 0.0, 2.0, 1.0, 1.0, 0.0, 3.0]
    adv = group_advantages(torch.tensor(rollout.rewards), 4)
    trainer.update(rollout, adv)
    assert trainer.scheduler.last_epoch == 2  # two optimizer updates for one generated batch

    opt = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, betas=(0.9, 0.99), weight_decay=0.0)
    batch = pad_batch(
        [p.ids for p in rollout.prompts],
        [c.ids for c in rollout.completions],
        tokenizer().pad_token_id,
        torch.device("cpu"),
    )
    with torch.no_grad():
        old = completion_logps_chunked(model, batch[0], batch[1], batch[2].shape[1], cfg.temperature)[0]
    for half in (slice(0, 4), slice(4, 8)):
        opt.zero_grad()
        ids, attn, mask = (t[half] for t in batch)
        logps = completion_logps_chunked(model, ids, attn, mask.shape[1], cfg.temperature)[0]
        loss = policy_loss(
            logps,
            old[half],
            adv[half],
            mask,
            loss_type="grpo",
            epsilon=0.0,
            epsilon_high=5.0,
            num_sequences=4,
            num_tokens=int(mask.sum()),
            max_completion_length=cfg.max_completion_length,
            clip_ratio_c=3.0,
        ).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    for (name, ours), theirs in zip(
        trainer.model.state_dict().items(), model.state_dict().values(), strict=True
    ):
        torch.testing.assert_close(
            ours, theirs, rtol=1e-4, atol=2e-5, msg=lambda m, name=name: f"{name}: {m}"
        )
    assert not torch.equal(trainer.model.lm_head.weight, start.lm_head.weight)  # the updates moved it


def test_warmup_ratio_counts_every_optimizer_update():
    cfg = GRPOConfig(max_steps=10, steps_per_generation=4, warmup_ratio=0.1, lr_scheduler_type="cosine")
    f = lr_lambda(cfg)  # 40 updates, 4 of warm-up
    assert [f(0), f(3), f(4)] == pytest.approx([1 / 5, 4 / 5, 1.0])
    assert f(22) == pytest.approx(0.5 * (1 + math.cos(math.pi * 18 / 36)))


# -- sampling and stops ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("temperature", "top_p"), [(1.0, 1.0), (0.7, 1.0), (1.3, 0.8)])
def test_exact_sampling_frequencies_match_the_softmax(temperature, top_p):
    logits = torch.tensor([2.0, -1.0, 0.5, 1.5, -3.0, 0.0])
    draws = 40_000
    g = torch.Generator().manual_seed(1)
    counts = (
        torch.bincount(sample_tokens(logits.expand(draws, 6), temperature, top_p, g), minlength=6) / draws
    )
    probs = torch.softmax(logits / temperature, -1)
    if top_p < 1.0:  # the nucleus: tokens by probability until their mass reaches top_p
        order = probs.argsort(descending=True)
        outside = probs[order].cumsum(0) - probs[order] > top_p
        probs[order[outside]] = 0.0
        probs = probs / probs.sum()
    # 4.5 standard errors of a frequency at 40,000 draws
    tolerance = 4.5 * (probs * (1 - probs) / draws).sqrt() + 1e-9
    assert ((counts - probs).abs() <= tolerance).all(), (counts, probs)
    assert (counts[probs == 0] == 0).all()


def test_sampling_is_seeded_and_leaves_the_global_rng_alone():
    logits = torch.randn(64, 50)
    state = torch.random.get_rng_state()
    a = sample_tokens(logits, 1.0, 0.9, torch.Generator().manual_seed(7))
    b = sample_tokens(logits, 1.0, 0.9, torch.Generator().manual_seed(7))
    assert torch.equal(a, b) and torch.equal(state, torch.random.get_rng_state())


@pytest.fixture(scope="module")
def tiny_model():
    from transformers import AutoConfig, AutoModelForCausalLM

    torch.manual_seed(0)
    tok = tokenizer()
    config = AutoConfig.for_model(**TINY_MODEL, vocab_size=len(tok), pad_token_id=tok.pad_token_id)
    return AutoModelForCausalLM.from_config(config).eval()


@pytest.mark.parametrize("backend", [TransformersBackend, GenerateBackend])
def test_stop_token_ids_and_stop_strings_end_completions(tiny_model, backend):
    tok = tokenizer()
    prompts = [tok("Hello there", add_special_tokens=False)["input_ids"]]
    kw = dict(num_generations=2, max_new_tokens=8, do_sample=False, seed=0)
    free = backend(tiny_model, tok).generate(prompts, **kw)
    assert not free[0].finished and len(free[0].ids) == 8
    stop = free[0].ids[3]
    assert stop not in free[0].ids[:3]
    by_id = backend(tiny_model, tok, stops=_stops(tok, tiny_model, [stop], [])).generate(prompts, **kw)
    assert [c.ids for c in by_id] == [free[0].ids[:4]] * 2 and all(c.finished for c in by_id)
    # a stop string the 3rd token completes: the completion keeps that token and ends
    text3 = tok.decode(free[0].ids[:3])
    needle = text3[len(tok.decode(free[0].ids[:2])) - 1 :]
    assert needle and needle not in tok.decode(free[0].ids[:2])
    by_text = backend(tiny_model, tok, stops=_stops(tok, tiny_model, [], [needle])).generate(prompts, **kw)
    assert [c.ids for c in by_text] == [free[0].ids[:3]] * 2 and all(c.finished for c in by_text)


def _stops(tok, model, ids, strings):
    from smepo_train.completions import Stops

    return Stops(tok, model, ids, strings)


def test_both_backends_agree_greedily_and_the_generate_backend_is_seeded(tiny_model):
    tok = tokenizer()
    prompts = [tok(t, add_special_tokens=False)["input_ids"] for t in ("Hello there", "Hi")]
    greedy = dict(num_generations=2, max_new_tokens=6, do_sample=False, seed=0)
    loop = TransformersBackend(tiny_model, tok).generate(prompts, **greedy)
    gen = GenerateBackend(tiny_model, tok).generate(prompts, **greedy)
    assert [c.ids for c in loop] == [c.ids for c in gen]
    state = torch.random.get_rng_state()
    sampled = [
        [
            c.ids
            for c in GenerateBackend(tiny_model, tok).generate(
                prompts, num_generations=3, max_new_tokens=6, seed=5
            )
        ]
        for _ in range(2)
    ]
    assert sampled[0] == sampled[1] and len({tuple(r) for r in sampled[0]}) > 1
    assert torch.equal(state, torch.random.get_rng_state())
    # "auto" takes the loop on CPU (measured faster there) and generate() on CUDA
    assert type(make_backend("auto", tiny_model, tok)) is TransformersBackend
    assert type(make_backend("generate", tiny_model, tok)) is GenerateBackend
    with pytest.raises(ValueError, match="unknown generation_backend"):
        make_backend("vllm", tiny_model, tok)


def test_dropout_is_off_by_default(tmp_path):
    model_config = {**TINY_MODEL, "attention_dropout": 0.5}
    on = GRPOTrainer(tiny_config(tmp_path, model_config=model_config, disable_dropout=False), log=quiet)
    off = GRPOTrainer(tiny_config(tmp_path, model_config=model_config), log=quiet)
    rates = [
        [m.attention_dropout for m in t.model.modules() if hasattr(m, "attention_dropout")] for t in (on, off)
    ]
    assert rates[0] and set(rates[0]) == {0.5} and set(rates[1]) == {0.0}


# -- the recipe files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["smepo_math", "smepo_code"])
def test_recipe_files_parse_print_and_run_a_step(tmp_path, capsys, name):
    path = ROOT / "examples" / f"{name}.yaml"
    cfg = GRPOConfig.load(path)
    assert (cfg.num_generations, cfg.prompts_per_step, cfg.steps_per_generation) == (8, 32, 4)
    assert cfg.completions_per_update == 64 and cfg.loss_type == "grpo" and cfg.beta == 0.0
    assert (cfg.epsilon, cfg.epsilon_high, cfg.clip_ratio_c) == (0.0, 5.0, 3.0)
    assert (cfg.learning_rate, cfg.lr_scheduler_type, cfg.warmup_ratio, cfg.weight_decay) == (
        1e-6,
        "cosine",
        0.1,
        0.1,
    )
    assert (cfg.adam_beta1, cfg.adam_beta2, cfg.temperature, cfg.top_p) == (0.9, 0.999, 0.8, 1.0)
    assert (cfg.max_prompt_length, cfg.max_completion_length) == (4096, 12288)
    assert cfg.guidance_position == "assistant_turn"
    # every value carries its source
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            assert "#" in line, f"{name}: no source for {line!r}"

    overrides = ["model_name_or_path=", "max_completion_length=4"]
    assert main(["--print-config", str(path), *overrides]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == GRPOConfig.load(path, overrides).to_dict()
    assert printed["model_name_or_path"] is None and printed["max_completion_length"] == 4

    # the recipe as it is, with the tiny model, the bundled sample and short completions swapped in
    tiny = GRPOConfig.load(
        path,
        {
            "model_name_or_path": None,
            "tokenizer_name_or_path": str(TOKENIZER),
            "model_config": dict(TINY_MODEL),
            "train_file": str(TRAIN),
            "max_completion_length": 4,
            "dtype": "fp32",
            "max_steps": 1,
            "output_dir": str(tmp_path / "run"),
        },
    )
    trainer = GRPOTrainer(tiny, log=quiet)
    (metrics,) = trainer.train()
    assert trainer.scheduler.last_epoch == 4  # 4 mini-batch updates for the one rollout batch
    assert metrics["step"] == 1 and math.isfinite(metrics["loss"])
    assert len((tmp_path / "run" / "rollouts.jsonl").read_text().splitlines()) == 256


# -- what a user sees --------------------------------------------------------------------------------------


def test_console_progress_prompt_time_first_rollouts_and_zero_variance(tmp_path):
    lines: list[str] = []
    cfg = tiny_config(
        tmp_path,
        reward_funcs=[f"{__name__}:zero_reward"],
        log_rollouts_steps=50,
        generation_progress_s=1e-9,
        max_steps=2,
    )
    GRPOTrainer(cfg, log=lines.append).train()
    progress = [line for line in lines if "generating:" in line]
    assert progress and "2/2 prompts" in progress[-1] and "tok/s" in progress[-1]
    notes = [line for line in lines if "zero reward variance" in line]
    assert len(notes) == 2 and "no gradient" in notes[0] and "Try:" in notes[0]
    rollouts = (tmp_path / "run" / "rollouts.jsonl").read_text().splitlines()
    assert {json.loads(r)["step"] for r in rollouts} == {1}  # the first step, though 50 is the interval
    metrics = [json.loads(m) for m in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert all(m["time/prompts_s"] > 0 for m in metrics)
    assert any("prompts " in line and "gen " in line for line in lines if line.startswith("step "))
