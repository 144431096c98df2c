"""GRPO's arithmetic as pure torch functions: advantages, per-token log-probs, the clipped surrogate
and its aggregations.

Aggregations (as TRL names them), for per-token losses ``l`` and completion mask ``m`` over the whole
batch of one optimizer update (all gradient-accumulation micro-batches together):

* ``grpo``: mean over each sequence's tokens, then mean over sequences;
* ``dapo``: sum over all tokens / number of completion tokens in the batch;
* ``dr_grpo``: sum over all tokens / (number of sequences * ``max_completion_length``).

:func:`policy_loss` takes the *batch-wide* counts as normalisers, so the losses of the micro-batches add up
to the loss of the whole batch: gradient accumulation gives the same gradient as one big batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


def group_advantages(
    rewards: torch.Tensor, num_generations: int, scale_rewards: str = "group"
) -> torch.Tensor:
    """``(r - mean of the group) / (std + 1e-4)``; groups are ``num_generations`` contiguous rewards.
    ``scale_rewards``: "group" divides by the group's std, "batch" by the whole batch's, "none" not at all.
    """
    grouped = rewards.view(-1, num_generations)
    centred = (grouped - grouped.mean(dim=1, keepdim=True)).reshape(-1)
    if scale_rewards == "group":
        std = grouped.std(dim=1).repeat_interleave(num_generations)
    elif scale_rewards == "batch":
        std = rewards.std().expand_as(rewards) if rewards.numel() > 1 else torch.zeros_like(rewards)
    elif scale_rewards == "none":
        return centred
    else:
        raise ValueError(f"scale_rewards must be group, batch or none; got {scale_rewards!r}")
    return centred / (std + 1e-4)


def selective_log_softmax(logits: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """``log_softmax(logits).gather(-1, index)`` without materialising the full log-softmax."""
    if logits.dtype in (torch.float32, torch.float64):
        picked = torch.gather(logits, -1, index.unsqueeze(-1)).squeeze(-1)
        return picked - torch.logsumexp(logits, dim=-1)
    # low precision: logsumexp loses too much; go row by row in float32
    rows = [
        torch.log_softmax(lg.float(), dim=-1).gather(-1, ix.unsqueeze(-1)).squeeze(-1)
        for lg, ix in zip(logits, index, strict=True)
    ]
    return torch.stack(rows)


def entropy_from_logits(logits: torch.Tensor) -> torch.Tensor:
    """Per-position entropy of the softmax over the vocabulary."""
    logp = torch.log_softmax(logits.float(), dim=-1)
    return -(logp.exp() * logp).sum(-1)


@dataclass
class LossParts:
    """The micro-batch's loss contribution and its statistics (sums, to be added across micro-batches)."""

    loss: torch.Tensor
    #: completion tokens whose ratio was clipped below / above / either, summed (unnormalised)
    clipped_low: float
    clipped_high: float
    #: summed per-token KL (k3) over completion tokens; 0 when beta == 0
    kl_sum: float
    #: completion tokens whose loss the dual-clip bound (``clip_ratio_c``) capped, summed
    clipped_dual: float = 0.0


def policy_loss(
    logps: torch.Tensor,
    old_logps: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    *,
    loss_type: str,
    epsilon: float,
    epsilon_high: float,
    num_sequences: int,
    num_tokens: int,
    max_completion_length: int,
    beta: float = 0.0,
    ref_logps: torch.Tensor | None = None,
    clip_ratio_c: float | None = None,
) -> LossParts:
    """The clipped surrogate for one micro-batch, normalised by batch-wide counts.

    ``logps``, ``old_logps``, ``ref_logps``, ``mask``: (sequences, tokens); ``advantages``: (sequences,).
    ``num_sequences`` / ``num_tokens``: sequences and completion tokens (mask sum) in the *whole*
    accumulated batch of this optimizer update. Per token: ``-min(ratio * A, clip(ratio, 1 - epsilon,
    1 + epsilon_high) * A) + beta * KL``, with ``ratio = exp(logp - old_logp)`` and the k3 estimator
    ``KL = exp(ref - logp) - (ref - logp) - 1``. ``clip_ratio_c`` (dual-clip, verl's): where the advantage
    is negative, the surrogate term is at most ``-A * clip_ratio_c``, so a huge ratio on a bad token
    cannot blow the loss up (the release uses 3).
    """
    mask = mask.to(logps.dtype)
    ratio = torch.exp(logps - old_logps)
    clipped = torch.clamp(ratio, 1 - epsilon, 1 + epsilon_high)
    adv = advantages.unsqueeze(1)
    per_token = -torch.min(ratio * adv, clipped * adv)
    dual = torch.zeros_like(per_token, dtype=torch.bool)
    if clip_ratio_c is not None:
        bound = -adv * clip_ratio_c
        dual = (adv < 0) & (per_token > bound)
        per_token = torch.where(adv < 0, torch.minimum(per_token, bound), per_token)
    kl_sum = 0.0
    if beta != 0.0:
        if ref_logps is None:
            raise ValueError("beta != 0 needs ref_logps")
        delta = ref_logps - logps
        kl = torch.exp(delta) - delta - 1
        per_token = per_token + beta * kl
        kl_sum = float((kl.detach() * mask).sum())
    if loss_type == "grpo":
        per_seq = (per_token * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        loss = per_seq.sum() / num_sequences
    elif loss_type == "dapo":
        loss = (per_token * mask).sum() / max(num_tokens, 1)
    elif loss_type == "dr_grpo":
        loss = (per_token * mask).sum() / (num_sequences * max_completion_length)
    else:
        raise ValueError(f"loss_type must be grpo, dapo or dr_grpo; got {loss_type!r}")
    with torch.no_grad():
        low = ((ratio < 1 - epsilon) & (adv < 0)).to(mask.dtype) * mask
        high = ((ratio > 1 + epsilon_high) & (adv > 0)).to(mask.dtype) * mask
        capped = float((dual.to(mask.dtype) * mask).sum())
    return LossParts(loss, float(low.sum()), float(high.sum()), kl_sum, capped)
