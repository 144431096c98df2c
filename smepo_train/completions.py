"""Completions: what one is (:class:`Completion`), where it ends (:class:`Stops`) and the progress line
printed while they are made (:class:`Progress`), shared by every generation backend.

* :class:`Stops` knows where a completion ends: at EOS, at any of ``stop_token_ids`` (chat models whose
  turn-end token is not their EOS) or once the text holds one of ``stop_strings``; both backends cut their
  completions with it, so they agree on what a finished completion is.
* :class:`Progress` prints "generating: 3/16 prompts, 2,048 tokens, 410 tok/s" every few seconds, so a
  long rollout shows it is alive within seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class Completion:
    """One sampled completion: its token ids (through the end token, when one was produced)."""

    ids: list[int]
    #: stopped at an end token (False: cut at ``max_new_tokens``)
    finished: bool


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
