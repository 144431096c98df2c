"""Stock TRL on our export: GRPOTrainer trains 2 steps with a tiny random Llama on a `smepo-data mask` output,
its guided_prompt as TRL's prompt, with smepo_data.rewards' reward functions."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

pytest.importorskip("trl")
pytest.importorskip("torch")

from smepo_data.cli import main as cli_main  # noqa: E402
from smepo_data.rewards import compute_score, domain_reward, search_f1_reward  # noqa: E402

from .conftest import SAMPLES  # noqa: E402
from .train_support import (  # noqa: E402
    one_thread,  # noqa: F401  (the fixture)
    tiny_config,
    tokenizer,
)

INTRO = "Here is an example solution:"


def vowel_share(completions, **_):
    """A signal a random model's completions vary in (ours are all 0 for it), so the weights move."""
    texts = [c[-1]["content"] for c in completions]
    return [sum(ch in "aeiou" for ch in t) / max(1, len(t)) for t in texts]


def tiny_model(tmp_path, tok):
    """The tiny random Llama of the smepo-train tests, built by smepo-train's own loader."""
    import torch

    from smepo_train.model import build_model

    return build_model(tiny_config(tmp_path), tok, torch.device("cpu"), torch.float32)


@pytest.mark.slow
# TRL 1.16 still calls transformers 5.24's deprecated aliases (is_gradient_checkpointing, ...): its warnings
@pytest.mark.filterwarnings("ignore:.*is deprecated and will be removed in v6:FutureWarning")
@pytest.mark.usefixtures("one_thread")
def test_trl_grpo_trains_on_a_guided_export_with_our_rewards(tmp_path):
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    out = tmp_path / "masked"
    args = ["mask", str(SAMPLES / "gsm8k_sample.jsonl"), "-o", str(out), "--format", "gsm8k"]
    assert cli_main([*args, "--limit", "4", "--workers", "1", "-q"]) == 0
    table = pq.read_table(out / "data")
    # what a user does: the guided prompt becomes TRL's conversational prompt; every other column stays
    dataset = Dataset(table).remove_columns("prompt").rename_column("guided_prompt", "prompt")
    assert len(dataset) == 4

    calls = []

    def recorded_domain_reward(completions, **columns):
        scores = domain_reward(completions, **columns)
        calls.append((columns["prompts"], completions, columns, scores))
        return scores

    tok = tokenizer()
    config = GRPOConfig(
        output_dir=str(tmp_path / "trl"),
        num_generations=2,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=1,
        max_completion_length=8,
        max_steps=2,
        learning_rate=1e-3,
        beta=0.0,
        use_cpu=True,
        bf16=False,
        report_to="none",
        save_strategy="no",
        logging_steps=1,
        activation_checkpointing=False,
        disable_tqdm=True,
        seed=0,
    )
    trainer = GRPOTrainer(
        model=tiny_model(tmp_path, tok),
        reward_funcs=[recorded_domain_reward, search_f1_reward, vowel_share],
        args=config,
        train_dataset=dataset,
        processing_class=tok,
    )
    before = {n: p.detach().clone() for n, p in trainer.model.named_parameters()}
    trainer.train()

    assert trainer.state.global_step == 2
    logged = [h for h in trainer.state.log_history if "rewards/recorded_domain_reward/mean" in h]
    assert len(logged) == 2 and all("rewards/search_f1_reward/mean" in h for h in logged)
    assert any(not p.detach().equal(before[n]) for n, p in trainer.model.named_parameters())
    # our function scored every completion of both steps: guided prompts, the rows' own gold and domain
    assert len(calls) == 2
    golds = {r["reward_model"]["ground_truth"] for r in table.to_pylist()}
    for prompts, completions, columns, scores in calls:
        assert len(prompts) == len(completions) == len(scores) == 4
        for prompt, completion, source, model, ability, masked, score in zip(
            prompts,
            completions,
            columns["data_source"],
            columns["reward_model"],
            columns["ability"],
            columns["masked_trace"],
            scores,
            strict=True,
        ):
            # the guided prompt: the question, then the masked trace as a closed assistant turn
            assert prompt[0]["role"] == "user" and prompt[-1]["role"] == "assistant"
            assert prompt[-1]["content"] == f"{INTRO}\n{masked.rstrip()}" and "[NUMBER]" in masked
            assert source == "openai/gsm8k" and ability == "math" and model["ground_truth"] in golds
            text = completion[-1]["content"]  # conversational completions
            assert score == compute_score(source, text, model["ground_truth"], {"ability": ability})
        # the columns TRL hands over are enough to score: the rows' own expert traces earn the reward
        assert domain_reward(columns["trace"], **columns) == [1.0] * 4
