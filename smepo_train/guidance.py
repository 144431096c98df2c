"""The guidance knobs beyond the release (issue 14): when a prompt is guided, how many of its group's
completions are, and how much of the trace is shown as training goes on; and the metrics that say what the
guidance did.

* ``guidance_when: always`` (the release) shows the trace on every step; ``all_fail`` (Scaf-GRPO / SAGE)
  first samples the whole group without guidance and, for a prompt whose ``num_generations`` unguided
  completions all fail (reward below ``solve_threshold``), samples ``num_guided_generations`` guided
  completions that *replace* the first ones of its group; nothing is guided during the first
  ``guidance_warmup_steps`` steps. The replaced unguided completions are not trained on (they count in the
  metrics only).
* ``num_guided_generations`` (k of n, LUFFY / G2RPO): the first k completions of each group are sampled
  from the guided prompt, the other n - k from the bare question; None guides all n (the release).
* ``prefix_ratio_schedule``: the share of the trace shown at step t decays from ``prefix_ratio`` to
  ``prefix_ratio_min``, reaching the floor on the last step (QuestA / UFT).

Advantages are always computed over the group as trained (guided and unguided completions of a prompt
together, group-normalised as configured), and each completion's log-probs are taken under the prompt it
was sampled from.
"""

from __future__ import annotations

import math
from typing import Any

GUIDANCE_WHEN = ("always", "all_fail")
PREFIX_RATIO_SCHEDULES = ("constant", "linear", "cosine")


def prefix_ratio_at(cfg: Any, step: int) -> float:
    """The prefix ratio of the step that starts after ``step`` steps (0 for the first): ``prefix_ratio``
    on the first step, ``prefix_ratio_min`` on step ``max_steps`` (the last), decayed linearly or along a
    half cosine in between."""
    start, floor = cfg.prefix_ratio, cfg.prefix_ratio_min
    if cfg.prefix_ratio_schedule == "constant" or cfg.max_steps <= 1:
        return start
    progress = min(1.0, max(0, step) / (cfg.max_steps - 1))
    if cfg.prefix_ratio_schedule == "linear":
        return floor + (start - floor) * (1.0 - progress)
    return floor + (start - floor) * 0.5 * (1.0 + math.cos(math.pi * progress))


def guided_per_group(cfg: Any) -> int:
    """How many completions of a group are sampled with guidance: k of ``num_generations``."""
    if cfg.guidance == "none":
        return 0
    return cfg.num_generations if cfg.num_guided_generations is None else cfg.num_guided_generations


def gating_active(cfg: Any, step: int) -> bool:
    """Whether step number ``step`` (1-based) may guide prompts under ``guidance_when: all_fail``."""
    return cfg.guidance != "none" and step > cfg.guidance_warmup_steps


def all_failed(rewards: list[float], threshold: float) -> bool:
    """No completion of the group reached ``threshold``."""
    return all(r < threshold for r in rewards)


def guidance_metrics(
    guided: list[bool],
    rewards: list[float],
    unguided_by_group: list[list[float]],
    threshold: float,
    prefix_ratio: float,
) -> dict[str, float | None]:
    """A step's guidance metrics. ``guided`` and ``rewards`` are per trained completion; ``unguided_by_group``
    holds, per prompt, the rewards of every completion sampled without guidance this step (those replaced
    under ``all_fail`` included). A rate with nothing to count is None (null in metrics.jsonl)."""
    unguided = [r for group in unguided_by_group for r in group]
    with_guidance = [r for r, g in zip(rewards, guided, strict=True) if g]
    had_unguided = [group for group in unguided_by_group if group]
    return {
        "guidance/solve_rate_unguided": _rate([r >= threshold for r in unguided]),
        "guidance/solve_rate_guided": _rate([r >= threshold for r in with_guidance]),
        "guidance/all_fail_frac": _rate([all_failed(group, threshold) for group in had_unguided]),
        "guidance/guided_frac": _rate(guided) or 0.0,
        "guidance/prefix_ratio": prefix_ratio,
    }


def guidance_summary(m: dict[str, Any]) -> str:
    """The guidance part of the console line."""

    def show(key: str) -> str:
        value = m.get(key)
        return "-" if value is None else f"{value:.2f}"

    return (
        f"solve unguided {show('guidance/solve_rate_unguided')} guided {show('guidance/solve_rate_guided')} "
        f"all-fail {show('guidance/all_fail_frac')} guided {show('guidance/guided_frac')} "
        f"ratio {show('guidance/prefix_ratio')}"
    )


def _rate(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None
