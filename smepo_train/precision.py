"""Mixed precision and the optimizer step: which dtype the weights live in, a GradScaler for fp16, and
skipping a step whose gradient norm is not finite.

* ``bf16`` (the GPU default under ``dtype: auto``): forward passes under ``torch.autocast``; the weights and
  the optimizer state stay float32 (``fp32_master_weights: true``) or are kept in bf16 to halve their memory
  (``false``; updates smaller than bf16's resolution are then lost).
* ``fp16``: autocast plus ``torch.amp.GradScaler``: the loss is scaled before the backward pass, the
  gradients unscaled before clipping, a step with inf/NaN gradients skipped and the scale lowered. fp16
  weights cannot be unscaled, so ``fp16`` needs ``fp32_master_weights: true`` (refused otherwise).
* In every precision a non-finite gradient norm skips the optimizer and scheduler step (the weights, the
  optimizer state and the learning-rate schedule stay as they were) and is counted in the step's metrics.
"""

from __future__ import annotations

import math
from typing import Any

import torch


def weights_dtype(compute_dtype: torch.dtype, fp32_master_weights: bool) -> torch.dtype:
    """The dtype the trainable weights are stored (and optimized) in."""
    if compute_dtype == torch.float16 and not fp32_master_weights:
        raise ValueError(
            "dtype fp16 needs fp32_master_weights: true (fp16 weights cannot be unscaled by the GradScaler); "
            "or use dtype bf16"
        )
    return torch.float32 if fp32_master_weights else compute_dtype


class OptimizerStep:
    """Backward passes and optimizer steps for one precision; ``skipped`` counts non-finite steps."""

    def __init__(self, compute_dtype: torch.dtype, device: torch.device) -> None:
        self.scaler = torch.amp.GradScaler(device.type) if compute_dtype == torch.float16 else None
        self.skipped = 0

    def backward(self, loss: torch.Tensor) -> None:
        if not loss.requires_grad:  # a micro-batch whose every completion is masked out: nothing to add
            return
        (self.scaler.scale(loss) if self.scaler is not None else loss).backward()

    def step(
        self, params: list[torch.nn.Parameter], optimizer: Any, scheduler: Any, max_grad_norm: float
    ) -> float:
        """Unscale, clip to ``max_grad_norm`` and step (optimizer and scheduler) unless the gradient norm is
        not finite; returns the norm before clipping (inf or nan for a skipped step)."""
        if self.scaler is not None:
            self.scaler.unscale_(optimizer)
        norm = float(torch.nn.utils.clip_grad_norm_(params, max_grad_norm))
        if math.isfinite(norm):
            if self.scaler is not None:
                self.scaler.step(optimizer)
            else:
                optimizer.step()
            scheduler.step()
        else:
            self.skipped += 1
        if self.scaler is not None:
            self.scaler.update()
        optimizer.zero_grad(set_to_none=True)
        return norm

    def state_dict(self) -> dict[str, Any]:
        return self.scaler.state_dict() if self.scaler is not None else {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if self.scaler is not None and state:
            self.scaler.load_state_dict(state)
