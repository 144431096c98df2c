"""Prompts through the model's own chat template, with the expert trace as guidance.

The method injects a prefix of the expert trace, cut back to a line boundary, after an intro line
("Here is an example solution:"). We put it in the last user turn, after the question, and render the
conversation with ``tokenizer.apply_chat_template`` so any model's template works. Under the token budget
``max_prompt_length`` the question is never cut: the trace is cut back line by line until the prompt fits
(no guidance at all if not even its first line fits), and a row whose question alone is over the budget is
refused with :class:`PromptTooLong`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class PromptTooLong(ValueError):
    """The question alone (templated) exceeds the prompt budget: the row cannot be used."""


@dataclass(frozen=True)
class Prompt:
    """A rendered prompt: its text and token ids, and the guidance it shows ("" for none)."""

    text: str
    ids: list[int]
    guidance: str
    #: the trace was shortened (beyond ``prefix_ratio``) to fit the budget
    budget_cut: bool = False


def line_prefix(trace: str, ratio: float) -> str:
    """The first ``ratio`` of ``trace`` (by characters), cut back to the last line boundary; the whole
    trace for ratio 1.0, "" when the cut falls inside the first line."""
    if ratio >= 1.0:
        return trace
    cut = int(len(trace) * ratio)
    newline = trace.rfind("\n", 0, cut + 1)
    return trace[: newline + 1] if newline >= 0 else ""


def line_ends(text: str) -> list[int]:
    """Lengths of the line-boundary prefixes of ``text`` (each ending after a newline), then its length."""
    ends = [i + 1 for i, c in enumerate(text) if c == "\n"]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


class PromptBuilder:
    """Renders :class:`~smepo_train.data.Sample` rows into prompts for one tokenizer and guidance mode."""

    def __init__(
        self,
        tokenizer: Any,
        *,
        guidance: str = "masked",
        prefix_ratio: float = 1.0,
        guidance_intro: str = "Here is an example solution:",
        max_prompt_length: int = 1024,
        system_prompt: str = "",
    ) -> None:
        if getattr(tokenizer, "chat_template", None) is None:
            raise ValueError("the tokenizer has no chat template; set one (tokenizer.chat_template = ...)")
        self.tokenizer = tokenizer
        self.guidance = guidance
        self.prefix_ratio = prefix_ratio
        self.guidance_intro = guidance_intro
        self.max_prompt_length = max_prompt_length
        self.system_prompt = system_prompt

    def guidance_text(self, trace: str) -> str:
        """What goes after the question: the intro line, then the trace (prefix)."""
        intro = self.guidance_intro.rstrip("\n")
        return f"{intro}\n{trace}" if intro else trace

    def render(self, messages: list[dict[str, str]], guidance: str = "") -> Prompt:
        """``messages`` rendered with the chat template and a generation prompt; ``guidance`` appended to
        the last user turn after a blank line."""
        msgs = [dict(m) for m in messages]
        if self.system_prompt and msgs[0]["role"] != "system":
            msgs.insert(0, {"role": "system", "content": self.system_prompt})
        if guidance:
            last_user = max(i for i, m in enumerate(msgs) if m["role"] == "user")
            msgs[last_user]["content"] = f"{msgs[last_user]['content'].rstrip()}\n\n{guidance.rstrip()}"
        text = self.tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return Prompt(text, list(ids), guidance.rstrip() if guidance else "")

    def build(self, messages: list[dict[str, str]], trace: str | None, guidance: str | None = None) -> Prompt:
        """The prompt for ``messages`` with ``trace`` as guidance (None or ""/mode "none": no guidance)."""
        mode = self.guidance if guidance is None else guidance
        bare = self.render(messages)
        if len(bare.ids) > self.max_prompt_length:
            raise PromptTooLong(
                f"the question alone is {len(bare.ids)} tokens, "
                f"over max_prompt_length={self.max_prompt_length}"
            )
        if mode == "none" or not trace:
            return bare
        prefix = line_prefix(trace, self.prefix_ratio)
        if not prefix.strip():
            return bare
        full = self.render(messages, self.guidance_text(prefix))
        if len(full.ids) <= self.max_prompt_length:
            return full
        # cut the trace back line by line: the longest line-boundary prefix that fits (binary search)
        ends = line_ends(prefix)
        lo, hi, best = 0, len(ends) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            candidate = self.render(messages, self.guidance_text(prefix[: ends[mid]]))
            if len(candidate.ids) <= self.max_prompt_length:
                best, lo = candidate, mid + 1
            else:
                hi = mid - 1
        if best is None:
            return Prompt(bare.text, bare.ids, "", budget_cut=True)
        return Prompt(best.text, best.ids, best.guidance, budget_cut=True)
