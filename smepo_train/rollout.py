"""Sampling completions: the :class:`GenerationBackend` interface and its transformers implementation.

A backend turns prompt token ids into ``num_generations`` completions each, kept contiguous (prompt 0's
group first). Another engine (vLLM) plugs in by implementing the same two methods.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import torch

from .completions import Completion, Progress, Stops
from .sampling import sample_tokens


class GenerationBackend(Protocol):
    def generate(
        self,
        prompts: list[list[int]],
        *,
        num_generations: int,
        max_new_tokens: int,
        temperature: float,
        top_p: float,
        do_sample: bool,
        seed: int,
    ) -> list[Completion]:
        """``len(prompts) * num_generations`` completions, prompt by prompt, deterministic for ``seed``."""

    def sync_weights(self) -> None:
        """Make generation use the policy's current weights (a no-op when it shares the model)."""


@dataclass(frozen=True)
class Draw:
    """How one ``generate`` call samples, the same for each chunk of its prompts (a backend's ``_batch``)."""

    n: int  #: completions per prompt
    max_new_tokens: int
    temperature: float  #: 0: greedy
    top_p: float
    generator: Any  #: the randomness the backend's ``_seeded`` made for the call
    device: torch.device
    progress: Progress


class TransformersBackend:
    """Batched sampling on a transformers causal LM with its KV cache.

    Each prompt is prefilled once and its cache repeated ``num_generations`` times; then one token per
    step for the rows still generating (a row that ends leaves the batch and the cache), left-padded,
    with positions that follow the attention mask (as the update's forward pass computes them). Tokens
    are drawn from ``softmax(logits / temperature)`` (nucleus-filtered when ``top_p`` < 1) by the exponential
    race on a seeded ``torch.Generator`` (:mod:`smepo_train.sampling`): the same distribution as
    ``model.generate`` (with ``top_k=0``), exact, and reproducible without touching the global RNG.
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        batch_size: int | None = None,
        stops: Any = None,
        progress_log: Any = None,
        progress_every_s: float = 5.0,
    ) -> None:
        self.model = model
        self.pad_id = tokenizer.pad_token_id
        #: where completions end (EOS, stop tokens, stop strings): smepo_train.completions.Stops
        self.stops = stops or Stops(tokenizer, model)
        self.batch_size = batch_size
        self.progress_log = progress_log
        self.progress_every_s = progress_every_s
        # transformers >= 5.x names the KV cache argument ``cache``; before, ``past_key_values``
        params = inspect.signature(model.forward).parameters
        self._cache_arg = "cache" if "cache" in params else "past_key_values"

    @property
    def eos_ids(self) -> list[int]:
        """The token ids that end a completion (EOS and ``stop_token_ids``)."""
        return self.stops.ids

    @eos_ids.setter
    def eos_ids(self, ids: list[int]) -> None:
        self.stops.ids = list(ids)

    def sync_weights(self) -> None:
        return None

    @torch.no_grad()
    def generate(
        self,
        prompts: list[list[int]],
        *,
        num_generations: int,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_p: float = 1.0,
        do_sample: bool = True,
        seed: int = 0,
    ) -> list[Completion]:
        per_call = max(1, (self.batch_size or len(prompts) * num_generations) // num_generations)
        device = next(self.model.parameters()).device
        progress = Progress(self.progress_log, len(prompts), self.progress_every_s)
        was_training = self.model.training
        self.model.eval()
        out: list[Completion] = []
        try:
            with self._seeded(seed, device) as generator:
                temperature = temperature if do_sample else 0.0
                draw = Draw(num_generations, max_new_tokens, temperature, top_p, generator, device, progress)
                for start in range(0, len(prompts), per_call):
                    chunk = prompts[start : start + per_call]
                    out.extend(self._batch(chunk, draw))
                    progress.add(prompts=len(chunk))
        finally:
            self.model.train(was_training)
        return out

    @contextlib.contextmanager
    def _seeded(self, seed: int, device: torch.device) -> Iterator[Any]:
        """The randomness of one ``generate`` call: a seeded generator of its own."""
        yield torch.Generator(device=device).manual_seed(seed)

    def _batch(self, prompts: list[list[int]], draw: Draw) -> list[Completion]:
        n, max_new_tokens, device = draw.n, draw.max_new_tokens, draw.device
        ids, attn = left_pad(prompts, self.pad_id, device)
        positions = (attn.cumsum(-1) - 1).clamp(min=0)
        out = self.model(
            input_ids=ids, attention_mask=attn, position_ids=positions, use_cache=True, logits_to_keep=1
        )
        cache = _cache_of(out)
        logits = out.logits[:, -1, :]
        if n > 1:  # one prefill per prompt, then its cache serves the whole group
            cache.batch_repeat_interleave(n)
            logits = logits.repeat_interleave(n, dim=0)
            attn = attn.repeat_interleave(n, dim=0)
            positions = positions.repeat_interleave(n, dim=0)
        next_pos = positions[:, -1:] + 1
        eos = torch.tensor(self.eos_ids, device=device)
        tokens = torch.full((attn.shape[0], max_new_tokens), self.pad_id, dtype=torch.long, device=device)
        live = torch.arange(attn.shape[0], device=device)  # the rows still generating
        for step in range(max_new_tokens):
            token = sample_tokens(logits, draw.temperature, draw.top_p, draw.generator)
            tokens[live, step] = token
            draw.progress.add(tokens=int(token.shape[0]))
            if step == max_new_tokens - 1:
                break
            going = ~torch.isin(token, eos)
            if self.stops.strings:  # a stop string the new token completed ends its row too
                tails = tokens[live, max(0, step + 1 - self.stops.window) : step + 1].tolist()
                going &= torch.tensor([not self.stops.string_ends(t) for t in tails], device=device)
            if not bool(going.all()):  # drop finished rows from the batch and the cache
                keep = going.nonzero().squeeze(1)
                if keep.numel() == 0:
                    break
                live, token, attn, next_pos = live[keep], token[keep], attn[keep], next_pos[keep]
                cache.batch_select_indices(keep)
            attn = torch.cat([attn, attn.new_ones(attn.shape[0], 1)], dim=1)
            out = self.model(
                input_ids=token.unsqueeze(1),
                attention_mask=attn,
                position_ids=next_pos,
                use_cache=True,
                **{self._cache_arg: cache},
            )
            cache = _cache_of(out)
            logits = out.logits[:, -1, :]
            next_pos = next_pos + 1
        return [self.stops.cut(row) for row in tokens.tolist()]


def left_pad(
    prompts: list[list[int]], pad_id: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """``prompts`` left-padded to one width: token ids and attention mask."""
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    attn = torch.zeros_like(ids)
    for i, p in enumerate(prompts):
        ids[i, width - len(p) :] = torch.tensor(p, dtype=torch.long)
        attn[i, width - len(p) :] = 1
    return ids.to(device), attn.to(device)


def _cache_of(out: Any) -> Any:
    cache = getattr(out, "cache", None)
    return cache if cache is not None else out.past_key_values
