"""Generation backends beyond smepo's own loop, where completions end, and the progress line.

* :class:`GenerateBackend` samples with transformers' ``model.generate`` (its KV cache: dynamic on CPU,
  static on CUDA, where transformers compiles the decode step), seeded through a forked global RNG so a
  step's completions are the same on resume. :class:`~smepo_train.rollout.TransformersBackend` (the
  per-token loop) stays the fallback, and ``benchmarks/generation_backends.py`` puts the two side by side.
* :class:`Stops` knows where a completion ends: at EOS, at any of ``stop_token_ids`` (chat models whose
  turn-end token is not their EOS) or once the text holds one of ``stop_strings``; both backends cut their
  completions with it, so they agree on what a finished completion is.
* :class:`Progress` prints "generating: 3/16 prompts, 2,048 tokens, 410 tok/s" every few seconds, so a
  long rollout shows it is alive within seconds.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import torch
from transformers import StoppingCriteria, StoppingCriteriaList

from .rollout import Completion, TransformersBackend, left_pad


class Stops:
    """The end of a completion: EOS and ``stop_token_ids`` (the token is kept), or the first token after
    which the decoded text holds one of ``stop_strings`` (that token is kept)."""

    def __init__(self, tokenizer: Any, model: Any, stop_token_ids: Iterable[int] = (), stop_strings=()):
        ends = {tokenizer.eos_token_id, *stop_token_ids}
        gen_eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
        ends.update(gen_eos if isinstance(gen_eos, list) else [gen_eos])
        self.ids = sorted(e for e in ends if e is not None)
        self.strings = [s for s in stop_strings if s]
        self.tokenizer = tokenizer
        #: tokens decoded to look for a stop string that the newest token may have completed
        self.window = max((len(s) for s in self.strings), default=0) + 2

    def string_ends(self, tail: list[int]) -> bool:
        """Whether the text of ``tail`` (the newest tokens of a completion) holds a stop string."""
        text = self.tokenizer.decode(tail[-self.window :], skip_special_tokens=False)
        return any(s in text for s in self.strings)

    def cut(self, ids: list[int]) -> Completion:
        """``ids`` through their end (finished), or all of them (not finished)."""
        end = next((i for i, t in enumerate(ids) if t in self.ids), None)
        if self.strings:
            upto = len(ids) if end is None else end
            hit = self._first_string_end(ids[:upto])
            if hit is not None:
                end = hit
        return Completion(list(ids), False) if end is None else Completion(list(ids[: end + 1]), True)

    def _first_string_end(self, ids: list[int]) -> int | None:
        """The index of the token after which the text first holds a stop string (binary search: a
        longer prefix's text holds whatever a shorter one's does)."""

        def holds(k: int) -> bool:
            text = self.tokenizer.decode(ids[:k], skip_special_tokens=False)
            return any(s in text for s in self.strings)

        if not ids or not holds(len(ids)):
            return None
        lo, hi = 1, len(ids)
        while lo < hi:
            mid = (lo + hi) // 2
            if holds(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo - 1


class Progress:
    """Reports generation progress through ``log`` at most every ``every_s`` seconds (0: never)."""

    def __init__(self, log: Callable[[str], Any] | None, total_prompts: int, every_s: float = 5.0) -> None:
        self.log = log
        self.total = total_prompts
        self.every_s = every_s
        self.start = self.last = time.perf_counter()
        self.prompts_done = 0
        self.tokens = 0

    def add(self, tokens: int = 0, prompts: int = 0) -> None:
        self.tokens += tokens
        self.prompts_done += prompts
        now = time.perf_counter()
        if self.log is not None and self.every_s > 0 and now - self.last >= self.every_s:
            self.last = now
            self.log(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.perf_counter()) - self.start, 1e-9)
        return (
            f"  generating: {self.prompts_done}/{self.total} prompts, {self.tokens:,} tokens, "
            f"{self.tokens / elapsed:,.0f} tok/s, {elapsed:.0f}s"
        )


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

    def _batch(
        self,
        prompts: list[list[int]],
        n: int,
        max_new_tokens: int,
        temperature: float,
        top_p: float,
        generator: Any,
        device: torch.device,
        progress: Any,
    ) -> list[Completion]:
        ids, attn = left_pad(prompts, self.pad_id, device)
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "min_new_tokens": 0,
            "num_return_sequences": n if temperature > 0 else 1,
            "eos_token_id": self.stops.ids,
            "pad_token_id": self.pad_id,
            "stopping_criteria": StoppingCriteriaList([_Counter(progress)]),
        }
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature, top_p=top_p, top_k=0)
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
