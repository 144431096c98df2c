"""Drawing the next token: exact sampling from ``softmax(logits / temperature)`` on a seeded generator.

The draw is the exponential race (the Gumbel-max trick): with ``E_i ~ Exp(1)`` independent, the index that
maximises ``logit_i / temperature - log E_i`` is distributed exactly as the softmax, with no cumulative sum
over the vocabulary (a float32 cumsum over 150k entries loses the tail's mass to rounding) and no global
RNG state touched. ``top_p`` < 1 first removes the tokens outside the nucleus (the smallest set, in order
of probability, whose mass reaches ``top_p``; the token that crosses it is kept).
"""

from __future__ import annotations

import torch


def nucleus_mask(scores: torch.Tensor, top_p: float) -> torch.Tensor:
    """True where a token lies outside the ``top_p`` nucleus of ``softmax(scores)``."""
    probs = torch.softmax(scores, dim=-1)
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    outside_sorted = sorted_probs.cumsum(-1) - sorted_probs > top_p
    return torch.zeros_like(outside_sorted).scatter(-1, order, outside_sorted)


def sample_tokens(
    logits: torch.Tensor, temperature: float, top_p: float, generator: torch.Generator
) -> torch.Tensor:
    """One token per row from ``softmax(logits / temperature)`` restricted to the ``top_p`` nucleus;
    greedy (argmax) when ``temperature`` is 0."""
    if temperature == 0.0:
        return logits.argmax(dim=-1)
    scores = logits.float() / temperature
    if top_p < 1.0:
        scores = scores.masked_fill(nucleus_mask(scores, top_p), float("-inf"))
    race = torch.empty_like(scores).exponential_(generator=generator)
    return (scores - race.log()).argmax(dim=-1)
