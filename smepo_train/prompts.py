"""Prompts through the model's own chat template, with the expert trace as guidance.

The method injects a prefix of the expert trace (``prefix_ratio`` of its tokens, cut back to a line
boundary; a trace with no line boundary before the cut keeps the raw token cut) after an intro line
("Here is an example solution:"). ``guidance_position`` says where: ``user`` puts it in the last user turn,
after the question; ``assistant_turn`` (the release's format) makes it a closed earlier assistant turn,
followed by a fresh assistant header for the policy. Either way the conversation is rendered with
``tokenizer.apply_chat_template`` so any model's template works (the release hard-codes a ChatML tail
``<|im_end|>\n<|im_start|>assistant``; we take the header from the template). The message layout (where
the guidance goes, the intro, the line-boundary prefix) lives in :mod:`smepo_data.guidance`, which also
writes ``mask``'s ``guided_prompt`` column: both place guidance the same way by construction. Under the
token budget ``max_prompt_length`` the question is never cut: the trace is cut back line by line until the
prompt fits (no guidance at all if not even its first line fits), and a row whose question alone is over
the budget is refused with :class:`PromptTooLong`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smepo_data.guidance import (
    DEFAULT_GUIDANCE_INTRO,
    GUIDANCE_POSITIONS,
    guidance_text,
    line_ends,
    line_prefix,
    place_guidance,
    token_cut,
)

__all__ = ["GUIDANCE_POSITIONS", "Prompt", "PromptBuilder", "PromptTooLong", "line_ends", "line_prefix"]


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


class PromptBuilder:
    """Renders :class:`~smepo_train.data.Sample` rows into prompts for one tokenizer and guidance mode."""

    def __init__(
        self,
        tokenizer: Any,
        *,
        guidance: str = "masked",
        prefix_ratio: float = 1.0,
        guidance_intro: str = DEFAULT_GUIDANCE_INTRO,
        max_prompt_length: int = 1024,
        system_prompt: str = "",
        guidance_position: str = "user",
        chat_template_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if getattr(tokenizer, "chat_template", None) is None:
            raise ValueError("the tokenizer has no chat template; set one (tokenizer.chat_template = ...)")
        if guidance_position not in GUIDANCE_POSITIONS:
            raise ValueError(f"guidance_position must be one of {', '.join(GUIDANCE_POSITIONS)}")
        self.guidance_position = guidance_position
        self.chat_template_kwargs = dict(chat_template_kwargs or {})
        self.tokenizer = tokenizer
        self.guidance = guidance
        self.prefix_ratio = prefix_ratio
        self.guidance_intro = guidance_intro
        self.max_prompt_length = max_prompt_length
        self.system_prompt = system_prompt

    def guidance_text(self, trace: str) -> str:
        """What goes after the question: the intro line, then the trace (prefix)."""
        return guidance_text(trace, self.guidance_intro)

    def render(self, messages: list[dict[str, str]], guidance: str = "") -> Prompt:
        """``messages`` rendered with the chat template and a generation prompt, ``guidance`` placed by
        :func:`smepo_data.guidance.place_guidance` (the layout ``guided_prompt`` holds): appended to the
        last user turn after a blank line (``user``), or a closed assistant turn before the generation
        prompt (``assistant_turn``)."""
        msgs = place_guidance(messages, guidance, self.guidance_position, self.system_prompt)
        if guidance.strip() and self.guidance_position == "assistant_turn":
            text = self._closed_turn_then_header(msgs)
        else:
            text = self._template(msgs, add_generation_prompt=True)
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        return Prompt(text, list(ids), guidance.rstrip() if guidance else "")

    def _template(self, msgs: list[dict[str, str]], *, add_generation_prompt: bool) -> str:
        return self.tokenizer.apply_chat_template(
            msgs, tokenize=False, add_generation_prompt=add_generation_prompt, **self.chat_template_kwargs
        )

    def _closed_turn_then_header(self, msgs: list[dict[str, str]]) -> str:
        """The conversation ending in the guidance's closed assistant turn, then the template's own
        generation header (what ``add_generation_prompt`` adds after the conversation before it)."""
        closed = self._template(msgs, add_generation_prompt=False)
        without = self._template(msgs[:-1], add_generation_prompt=False)
        with_header = self._template(msgs[:-1], add_generation_prompt=True)
        if not with_header.startswith(without):
            raise ValueError(
                "guidance_position=assistant_turn: the chat template's generation prompt is not a suffix of "
                "the conversation, so it cannot be placed after a closed assistant turn; use "
                "guidance_position=user"
            )
        return closed + with_header[len(without) :]

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
        prefix = line_prefix(trace, self.prefix_ratio, self.tokenizer)
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
        if best is None and len(ends) == 1:  # one long line: cut it by tokens instead
            best = self._fit_by_tokens(messages, prefix)
        if best is None:
            return Prompt(bare.text, bare.ids, "", budget_cut=True)
        return Prompt(best.text, best.ids, best.guidance, budget_cut=True)

    def _fit_by_tokens(self, messages: list[dict[str, str]], line: str) -> Prompt | None:
        """The prompt with the longest token prefix of ``line`` that fits the budget (binary search)."""
        ids = self.tokenizer(line, add_special_tokens=False)["input_ids"]
        lo, hi, best = 1, len(ids) - 1, None
        while lo <= hi:
            mid = (lo + hi) // 2
            shown = line[: token_cut(line, mid / len(ids), self.tokenizer)]
            candidate = self.render(messages, self.guidance_text(shown)) if shown.strip() else None
            if candidate is not None and len(candidate.ids) <= self.max_prompt_length:
                best, lo = candidate, mid + 1
            else:
                hi = mid - 1
        return best
