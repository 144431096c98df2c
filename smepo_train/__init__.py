"""smepo_train: a slim GRPO trainer that trains from masked Parquet with guidance none / full / masked.

    smepo-train examples/train_gsm8k.yaml [key=value ...]

    from smepo_train import GRPOConfig, GRPOTrainer
    GRPOTrainer(GRPOConfig.load("examples/train_gsm8k.yaml", ["max_steps=5"])).train()

torch and transformers are imported only when the trainer is (``pip install 'smepo[train]'``).
"""

from __future__ import annotations

from typing import Any

from .config import GRPOConfig

__all__ = ["GRPOConfig", "GRPOTrainer"]


def __getattr__(name: str) -> Any:
    if name == "GRPOTrainer":
        try:
            from .trainer import GRPOTrainer
        except ImportError as e:
            raise ImportError(f"{e}. The trainer needs an extra: pip install 'smepo[train]'") from e
        return GRPOTrainer
    raise AttributeError(f"module 'smepo_train' has no attribute {name!r}")
