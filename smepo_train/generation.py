"""Generation backends beyond smepo's own loop, and :func:`make_backend`, which picks one by name.

* :class:`GenerateBackend` samples with transformers' ``model.generate`` (its KV cache: dynamic on CPU,
  static on CUDA, where transformers compiles the decode step), seeded through a forked global RNG so a
  step's completions are the same on resume. :class:`~smepo_train.rollout.TransformersBackend` (the
  per-token loop) stays the fallback, and ``benchmarks/generation_backends.py`` puts the two side by side.
* :func:`make_backend`: the backend a config names ("auto", "generate", "transformers").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch
from transformers import StoppingCriteria, StoppingCriteriaList

from .completions import Completion, Progress, Stops
from .rollout import Draw, GenerationBackend, TransformersBackend, left_pad


class GenerateBackend(TransformersBackend):
    """Sampling through ``model.generate`` (transformers' own decoding loop and KV cache); the chunking,
    progress and stops are the loop's (:class:`~smepo_train.rollout.TransformersBackend`)."""

    def __init__(self, model: Any, tokenizer: Any, batch_size: int | None = None, **kwargs: Any) -> None:
        super().__init__(model, tokenizer, batch_size, **kwargs)
        self.tokenizer = tokenizer

    @contextlib.contextmanager
    def _seeded(self, seed: int, device: torch.device) -> Iterator[Any]:
        """``generate`` draws from the global RNG: seed it inside a fork, so the caller's stays as it was."""
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
            torch.manual_seed(seed)
            yield None

    def _batch(self, prompts: list[list[int]], draw: Draw) -> list[Completion]:
        n, temperature, device = draw.n, draw.temperature, draw.device
        ids, attn = left_pad(prompts, self.pad_id, device)
        kwargs: dict[str, Any] = {
            "max_new_tokens": draw.max_new_tokens,
            "min_new_tokens": 0,
            "num_return_sequences": n if temperature > 0 else 1,
            "eos_token_id": self.stops.ids,
            "pad_token_id": self.pad_id,
            "stopping_criteria": StoppingCriteriaList([_Counter(draw.progress)]),
        }
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature, top_p=draw.top_p, top_k=0)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if self.stops.strings:
            kwargs.update(stop_strings=self.stops.strings, tokenizer=self.tokenizer)
        if device.type == "cuda":
            kwargs["cache_implementation"] = "static"
        with _quiet_generation_config(self.model):
            out = self.model.generate(input_ids=ids, attention_mask=attn, **kwargs)
        rows = out[:, ids.shape[1] :].tolist()
        if temperature == 0:  # greedy: one completion per prompt serves its whole group
            rows = [r for r in rows for _ in range(n)]
        return [self.stops.cut(r) for r in rows]


class _Counter(StoppingCriteria):
    """A stopping criterion that never stops: it counts the tokens of each decoding step for progress."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, input_ids: torch.Tensor, scores: Any, **kwargs: Any) -> torch.Tensor:
        self.progress.add(tokens=int(input_ids.shape[0]))
        return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)


@contextlib.contextmanager
def _quiet_generation_config(model: Any) -> Any:
    """The model's generation config without its own sampling defaults (top_k=50, a repetition
    penalty, ...): the backend's arguments say everything, as the loop's do."""
    config = getattr(model, "generation_config", None)
    if config is None:
        yield
        return
    saved = config.to_dict()
    for key, value in (("top_k", None), ("repetition_penalty", None), ("min_p", None), ("typical_p", None)):
        if hasattr(config, key):
            setattr(config, key, value)
    try:
        yield
    finally:
        for key, value in saved.items():
            with contextlib.suppress(AttributeError):
                setattr(config, key, value)


def make_backend(
    name: str,
    model: Any,
    tokenizer: Any,
    batch_size: int | None = None,
    *,
    stop_token_ids: Any = (),
    stop_strings: Any = (),
    progress_log: Any = None,
    progress_every_s: float = 5.0,
) -> GenerationBackend:
    """The backend ``name``: "transformers" (the per-token loop,
    :class:`~smepo_train.rollout.TransformersBackend`), "generate" (transformers' ``generate``,
    :class:`GenerateBackend`) or "auto" (``generate`` on CUDA, the loop on CPU, where
    ``benchmarks/generation_backends.py`` measured the loop faster: it prefills a prompt once per group)."""
    stops = Stops(tokenizer, model, stop_token_ids, stop_strings)
    common = {"stops": stops, "progress_log": progress_log, "progress_every_s": progress_every_s}
    if name == "auto":  # generate() on CUDA (static cache); on CPU the loop measured faster (see benchmarks/)
        on_cuda = next(model.parameters()).device.type == "cuda"
        name = "generate" if on_cuda and hasattr(model, "generate") else "transformers"
    if name == "transformers":
        return TransformersBackend(model, tokenizer, batch_size, **common)
    if name == "generate":
        return GenerateBackend(model, tokenizer, batch_size, **common)
    raise ValueError(f"unknown generation_backend {name!r}; available: auto, generate, transformers")
