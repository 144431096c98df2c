"""Where the masked trace goes in a chat prompt: the one layout ``smepo-data mask`` writes (``guided_prompt``)
and ``smepo-train`` renders, so stock TRL and verl train on the same guided prompts as our trainer.

    from smepo_data.guidance import guided_messages
    guided_messages([{"role": "user", "content": q}], masked_trace, position="assistant_turn")

The guidance is ``guidance_intro`` ("Here is an example solution:") on its own line, then a prefix of the
trace: ``prefix_ratio`` of it, cut back to the last line boundary (a cut inside the first line keeps the raw
cut, so a one-line trace still guides). Without a tokenizer the ratio counts characters (so in
``guided_prompt``); the trainer passes its tokenizer and counts tokens. ``position`` says where it goes:

* ``assistant_turn`` (the release's format): a closed assistant turn after the question. A chat template
  rendering the messages with ``add_generation_prompt=True`` (as TRL's GRPOTrainer and verl's RLHFDataset do)
  closes it and opens a fresh assistant turn for the policy;
* ``user``: appended to the last user turn after a blank line.

No torch, no tokenizer needed: a tokenizer is only duck-typed (called on text, optionally with offsets).
"""

from __future__ import annotations

from typing import Any

GUIDANCE_POSITIONS = ("user", "assistant_turn")
#: the release's intro line (its PREFIX_INTRO, "Here is an example solution:\n")
DEFAULT_GUIDANCE_INTRO = "Here is an example solution:"


def check_guidance_options(position: str, prefix_ratio: float) -> None:
    """Raise ``ValueError`` for a position or a prefix ratio the layout does not know."""
    if position not in GUIDANCE_POSITIONS:
        raise ValueError(
            f"guidance_position must be one of {', '.join(GUIDANCE_POSITIONS)}, got {position!r}"
        )
    if (
        isinstance(prefix_ratio, bool)
        or not isinstance(prefix_ratio, int | float)
        or not 0 < prefix_ratio <= 1
    ):
        raise ValueError(f"prefix_ratio must be a number in (0, 1], got {prefix_ratio!r}")


def line_prefix(trace: str, ratio: float, tokenizer: Any = None) -> str:
    """The first ``ratio`` of ``trace`` (by ``tokenizer``'s tokens; by characters without one), cut back
    to the last line boundary; the whole trace for ratio 1.0. When the cut falls inside the first line
    the raw cut is kept: a long single-line trace still gives guidance."""
    if ratio >= 1.0:
        return trace
    cut = token_cut(trace, ratio, tokenizer) if tokenizer is not None else int(len(trace) * ratio)
    newline = trace.rfind("\n", 0, cut + 1)
    return trace[: newline + 1] if newline >= 0 else trace[:cut]


def token_cut(text: str, ratio: float, tokenizer: Any) -> int:
    """The character offset where the first ``int(tokens * ratio)`` tokens of ``text`` end."""
    try:
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = enc["offset_mapping"]
    except (NotImplementedError, TypeError, ValueError, KeyError):  # a slow tokenizer: decode instead
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        keep = int(len(ids) * ratio)
        return min(len(text), len(tokenizer.decode(ids[:keep]))) if keep else 0
    keep = int(len(offsets) * ratio)
    return offsets[keep - 1][1] if keep else 0


def line_ends(text: str) -> list[int]:
    """Lengths of the line-boundary prefixes of ``text`` (each ending after a newline), then its length."""
    ends = [i + 1 for i, c in enumerate(text) if c == "\n"]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def guidance_text(trace: str, intro: str = DEFAULT_GUIDANCE_INTRO) -> str:
    """What is shown: the intro line, then the trace (prefix)."""
    intro = intro.rstrip("\n")
    return f"{intro}\n{trace}" if intro else trace


def place_guidance(
    messages: list[dict[str, str]], guidance: str, position: str, system_prompt: str = ""
) -> list[dict[str, str]]:
    """A copy of ``messages`` with ``system_prompt`` first (when given and there is no system message) and
    ``guidance`` (already with its intro; "" for none) placed at ``position``."""
    if position not in GUIDANCE_POSITIONS:
        raise ValueError(
            f"guidance_position must be one of {', '.join(GUIDANCE_POSITIONS)}, got {position!r}"
        )
    for m in messages:
        if (
            not isinstance(m, dict)
            or not isinstance(m.get("role"), str)
            or not isinstance(m.get("content"), str)
        ):
            raise ValueError(f"a chat message needs a text role and text content, got {m!r:.120}")
    msgs = [{"role": m["role"], "content": m["content"]} for m in messages]
    if not any(m["role"] == "user" for m in msgs):
        raise ValueError("the prompt has no user message to guide")
    if system_prompt and msgs[0]["role"] != "system":
        msgs.insert(0, {"role": "system", "content": system_prompt})
    guidance = guidance.rstrip()
    if not guidance:
        return msgs
    if position == "assistant_turn":
        return [*msgs, {"role": "assistant", "content": guidance}]
    last_user = max(i for i, m in enumerate(msgs) if m["role"] == "user")
    msgs[last_user]["content"] = f"{msgs[last_user]['content'].rstrip()}\n\n{guidance}"
    return msgs


def guided_messages(
    messages: list[dict[str, str]],
    trace: str | None,
    *,
    position: str = "assistant_turn",
    prefix_ratio: float = 1.0,
    intro: str = DEFAULT_GUIDANCE_INTRO,
    system_prompt: str = "",
    tokenizer: Any = None,
) -> list[dict[str, str]]:
    """``messages`` with ``prefix_ratio`` of ``trace`` shown as guidance at ``position``; the messages
    unguided when there is no trace or its prefix is blank."""
    check_guidance_options(position, prefix_ratio)
    prefix = line_prefix(trace, prefix_ratio, tokenizer) if trace else ""
    shown = guidance_text(prefix, intro) if prefix.strip() else ""
    return place_guidance(messages, shown, position, system_prompt)


def shown_guidance(guided: Any, question: str, intro: str = DEFAULT_GUIDANCE_INTRO) -> str | None:
    """The trace text a ``guided_prompt`` shows, without its intro line: the closed assistant turn
    (``assistant_turn``) or what follows the question in the last user turn (``user``); "" for an unguided
    prompt, None for something that is not a chat of that layout."""
    if not isinstance(guided, list) or not guided or not all(isinstance(m, dict) for m in guided):
        return None
    last = guided[-1]
    content = last.get("content")
    if not isinstance(content, str):
        return None
    if last.get("role") == "assistant":
        text = content
    elif last.get("role") == "user":
        head = question.rstrip()
        if content in (question, head):
            return ""
        if not content.startswith(f"{head}\n\n"):
            return None
        text = content[len(head) + 2 :]
    else:
        return None
    intro = intro.rstrip("\n")
    return text.removeprefix(f"{intro}\n") if intro else text
