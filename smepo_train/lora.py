"""LoRA through ``peft`` (``use_peft``; TRL's option names). The reference model for the KL term is the
policy with its adapters disabled (``PeftModel.disable_adapter()``): no second copy of the weights."""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from .config import GRPOConfig


def is_peft(model: Any) -> bool:
    return hasattr(model, "peft_config") and hasattr(model, "disable_adapter")


def apply_lora(model: Any, cfg: GRPOConfig, base_dtype: torch.dtype) -> Any:
    """``model`` wrapped with LoRA adapters; the frozen base weights are stored in ``base_dtype`` (no
    master copy is needed for weights that never change), the adapters in float32."""
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError:
        raise ImportError("use_peft: true needs peft: pip install 'smepo[lora]'") from None
    model.to(dtype=base_dtype)
    targets = cfg.lora_target_modules
    config = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        # TRL's "all-linear" is a string to peft, not a module name
        target_modules="all-linear" if targets == ["all-linear"] else targets,
        bias="none",
        task_type="CAUSAL_LM",
    )
    with warnings.catch_warnings():  # peft reads transformers' deprecated is_gradient_checkpointing
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        peft_model = get_peft_model(model, config)
    for p in peft_model.parameters():
        if p.requires_grad:
            p.data = p.data.float()
    return peft_model


def reference(model: Any) -> contextlib.AbstractContextManager[Any]:
    """A context in which ``model`` computes the reference policy: adapters disabled."""
    return model.disable_adapter()


def load_adapter(model: Any, path: Path) -> None:
    """Load the adapter weights a checkpoint saved (``adapter_model.safetensors``) into ``model``."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    file = path / "adapter_model.safetensors"
    if not file.exists():
        raise RuntimeError(f"checkpoint {path} holds no LoRA adapter ({file.name}) for this use_peft run")
    device = str(next(model.parameters()).device)
    result = set_peft_model_state_dict(model, load_file(str(file), device=device))
    unexpected = getattr(result, "unexpected_keys", [])
    if unexpected:
        raise RuntimeError(f"checkpoint {path} does not fit the adapter: unexpected {unexpected}")
