"""Shared pieces of the smepo_train tests: the real SmolLM2 tokenizer (tests/data/smollm2_tokenizer) and
a config for a tiny randomly initialised Llama on the bundled masked GSM8K sample."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKENIZER = Path(__file__).parent / "data" / "smollm2_tokenizer"
TRAIN = ROOT / "examples" / "data" / "gsm8k_masked_train.parquet"
EVAL = ROOT / "examples" / "data" / "gsm8k_masked_eval.parquet"

TINY_MODEL = {
    "model_type": "llama",
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 2048,
}


@cache
def tokenizer() -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(TOKENIZER))


def tiny_config(tmp_path: Path, **overrides: Any) -> Any:
    """A fast config: a tiny random Llama, small groups, short completions, output under ``tmp_path``."""
    from smepo_train import GRPOConfig

    values: dict[str, Any] = {
        "tokenizer_name_or_path": str(TOKENIZER),
        "model_config": dict(TINY_MODEL),
        "train_file": str(TRAIN),
        "num_generations": 4,
        "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 2,
        "max_completion_length": 8,
        "max_prompt_length": 512,
        "learning_rate": 1e-3,
        "output_dir": str(tmp_path / "run"),
        "log_rollouts_steps": 0,
        "save_steps": 0,
        "seed": 0,
        "generation_progress_s": 0,  # no progress lines: what a test reads does not depend on timing
    }
    values.update(overrides)
    return GRPOConfig.from_dict(values)


@pytest.fixture
def one_thread():
    """Tiny models run fastest on one thread, and a busy second core would stall every op on two."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def quiet(_: str) -> None:
    """A ``log`` that prints nothing."""
