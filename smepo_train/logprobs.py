"""Per-token log-probs and entropies of completion tokens without a float32 ``(batch, completion, vocab)``
tensor.

The backbone's hidden states at the completion positions go through the output head a chunk of
``chunk_tokens`` positions at a time; each chunk's logits are made, upcast to float32, reduced to one
log-prob (and one entropy) per position, and dropped. Under autograd a chunk's log-probs are computed under
``torch.utils.checkpoint``, so only its hidden states are kept for the backward pass and its logits are made
again there; the entropy (a metric, no gradient) is computed apart, without autograd and in place. The peak is
a few float32 ``(chunk_tokens, vocab)`` temporaries whatever the completion length: with a 150k vocabulary,
forward and backward of 3,000 positions took 6.7 GiB at once and 2.4 GiB in chunks of 1,024 (1.2 GiB in
chunks of 512; measured on CPU). Padding positions (``mask`` 0) are skipped altogether.

A model whose logits are more than ``output_embeddings(hidden)`` (soft-capped or scaled logits: Gemma 2,
Cohere, Granite) goes through its own forward with ``logits_to_keep`` instead, and only the log-softmax is
chunked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.utils.checkpoint

#: config attributes that make a model's logits more than its output head applied to the hidden states
_LOGIT_TRANSFORMS = ("final_logit_softcapping", "logit_scale", "logits_scaling", "output_multiplier")


def unwrap(model: Any) -> Any:
    """The transformers model inside a peft wrapper (with its adapter layers still in place), or ``model``."""
    get_base = getattr(model, "get_base_model", None)
    return get_base() if callable(get_base) else model


def _backbone_and_head(model: Any) -> tuple[Any, Callable[[torch.Tensor], torch.Tensor]] | None:
    inner = unwrap(model)
    backbone = getattr(inner, "base_model", None)
    head = inner.get_output_embeddings() if hasattr(inner, "get_output_embeddings") else None
    if backbone is None or backbone is inner or head is None:
        return None
    config = getattr(inner, "config", None)
    if any(getattr(config, name, None) not in (None, 1, 1.0) for name in _LOGIT_TRANSFORMS):
        return None
    return backbone, head


def _chunk_logps(
    head: Callable[[torch.Tensor], torch.Tensor],
    hidden: torch.Tensor,
    targets: torch.Tensor,
    temperature: float,
) -> torch.Tensor:
    """Log-probs of ``targets`` under ``head(hidden) / temperature``, with autograd (run checkpointed)."""
    logits = head(hidden).float() / temperature
    return logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, dim=-1)


@torch.no_grad()
def _no_grad_stats(
    logits: torch.Tensor,
    targets: torch.Tensor,
    temperature: float,
    with_entropy: bool,
    inplace: bool,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Log-probs and entropies of a chunk's logits without a gradient; ``inplace``: ``logits`` is a
    temporary that may be overwritten (saves a copy of the chunk)."""
    logits = logits.float()
    logits = logits.div_(temperature) if inplace else logits / temperature
    lse = torch.logsumexp(logits, dim=-1)
    logps = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - lse
    entropy = None
    if with_entropy:  # H = lse - sum(p * logits)
        probs = torch.softmax(logits, dim=-1)
        entropy = lse - probs.mul_(logits).sum(-1)
    return logps, entropy


def completion_logps_chunked(
    model: Any,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    completion_len: int,
    temperature: float,
    with_entropy: bool = False,
    mask: torch.Tensor | None = None,
    chunk_tokens: int = 1024,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Float32 log-probs ``(batch, completion_len)`` of the last ``completion_len`` tokens of ``input_ids``
    at ``temperature`` (and their entropies when ``with_entropy``; never with a gradient). Positions where
    ``mask`` (``(batch, completion_len)``) is 0 are not computed and come back as 0."""
    n, width = input_ids.shape
    position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    targets = input_ids[:, width - completion_len :]
    keep = torch.ones_like(targets, dtype=torch.bool) if mask is None else mask.bool()
    flat_targets = targets[keep]
    parts = _backbone_and_head(model)
    if parts is not None:
        backbone, head = parts
        hidden = backbone(
            input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids, use_cache=False
        ).last_hidden_state
        rows = hidden[:, width - completion_len - 1 : width - 1][keep]  # (tokens, hidden)
        grad = torch.is_grad_enabled() and rows.requires_grad

        def one(start: int, end: int) -> tuple[torch.Tensor, torch.Tensor | None]:
            h, t = rows[start:end], flat_targets[start:end]
            logps = None
            if grad:  # only h is kept for the backward pass; the logits are made again there
                logps = torch.utils.checkpoint.checkpoint(
                    _chunk_logps, head, h, t, temperature, use_reentrant=False
                )
            if logps is not None and not with_entropy:
                return logps, None
            with torch.no_grad():
                values, entropy = _no_grad_stats(head(h.detach()), t, temperature, with_entropy, inplace=True)
            return (values if logps is None else logps), entropy

    else:
        logits = model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids,
            logits_to_keep=completion_len + 1,
            use_cache=False,
        ).logits
        rows = logits[:, :-1][keep]  # (tokens, vocab) in the model's dtype

        def one(start: int, end: int) -> tuple[torch.Tensor, torch.Tensor | None]:
            chunk, t = rows[start:end], flat_targets[start:end]
            logps = _chunk_logps(lambda x: x, chunk, t, temperature) if chunk.requires_grad else None
            if logps is not None and not with_entropy:
                return logps, None
            values, entropy = _no_grad_stats(
                chunk.detach(), t, temperature, with_entropy, inplace=not rows.requires_grad
            )
            return (values if logps is None else logps), entropy

    step = max(1, chunk_tokens)
    logp_chunks, ent_chunks = [], []
    for start in range(0, flat_targets.shape[0], step):
        lp, ent = one(start, start + step)
        logp_chunks.append(lp)
        if ent is not None:
            ent_chunks.append(ent)
    flat = torch.cat(logp_chunks) if logp_chunks else targets.new_zeros(0, dtype=torch.float32)
    logps = flat.new_zeros(targets.shape).masked_scatter(keep, flat)
    entropy = None
    if with_entropy:
        flat_ent = torch.cat(ent_chunks) if ent_chunks else flat.detach()
        entropy = flat_ent.new_zeros(targets.shape).masked_scatter(keep, flat_ent.detach())
    return logps, entropy
