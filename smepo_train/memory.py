"""Setting the policy up for training: which dtype its weights live in, whether activations are
recomputed (gradient checkpointing), dropout off, LoRA adapters, and a micro-batch's log-probs in chunks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from .logprobs import completion_logps_chunked
from .lora import apply_lora
from .precision import weights_dtype

if TYPE_CHECKING:
    from .config import GRPOConfig


def num_parameters(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())


def wants_checkpointing(cfg: GRPOConfig, model: Any) -> bool:
    """``gradient_checkpointing`` if set, else whether the model has more than
    ``gradient_checkpointing_min_params`` parameters."""
    if cfg.gradient_checkpointing is not None:
        return cfg.gradient_checkpointing
    return num_parameters(model) > cfg.gradient_checkpointing_min_params


def prepare_weights(model: Any, cfg: GRPOConfig, compute_dtype: torch.dtype) -> Any:
    """The policy with its weights in the configured dtype, wrapped with LoRA when ``use_peft``."""
    dtype = weights_dtype(compute_dtype, cfg.fp32_master_weights)
    if cfg.use_peft:
        return apply_lora(model, cfg, base_dtype=compute_dtype)
    return model.to(dtype=dtype)


def micro_logps(
    model: Any, cfg: GRPOConfig, mb: dict[str, torch.Tensor], with_entropy: bool = False
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Log-probs (and entropies when ``with_entropy`` and ``compute_entropy``) of micro-batch ``mb``'s
    completion tokens, chunked by ``logprob_chunk_size`` positions."""
    return completion_logps_chunked(
        model,
        mb["ids"],
        mb["attn"],
        mb["mask"].shape[1],
        cfg.temperature,
        with_entropy=with_entropy and cfg.compute_entropy,
        mask=mb["mask"],
        chunk_tokens=cfg.logprob_chunk_size,
    )


def disable_dropout(model: Any) -> None:
    """Every dropout probability to 0 (TRL's ``disable_dropout``), issue 13."""
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
        if isinstance(getattr(module, "attention_dropout", None), float):  # attention reads its own copy
            module.attention_dropout = 0.0
    config = getattr(model, "config", None)
    for key in ("attention_dropout", "hidden_dropout", "dropout", "resid_pdrop", "attn_pdrop", "embd_pdrop"):
        if isinstance(getattr(config, key, None), float):
            setattr(config, key, 0.0)


def enable_checkpointing(model: Any) -> None:
    """Recompute activations in the backward pass (transformers >= 5 calls it activation checkpointing)."""
    if hasattr(model, "activation_checkpointing_enable"):
        model.activation_checkpointing_enable(activation_checkpointing_kwargs={"use_reentrant": False})
    else:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
