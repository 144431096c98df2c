"""What the console says beside the per-step line: notes a new user needs to act on (issue 13)."""

from __future__ import annotations

from typing import Any


def zero_variance_note(metrics: dict[str, Any], cfg: Any) -> str:
    """A note when every group's completions got the same reward ("" otherwise): GRPO's advantages are
    then all zero, so the step changed nothing; and what to try."""
    if metrics.get("frac_reward_zero_std", 0.0) < 1.0:
        return ""
    reward = metrics.get("reward", 0.0)
    what = "every completion failed" if reward <= 0 else "every completion in a group scored the same"
    tries = [
        "show more of the trace (guidance=full, or a higher prefix_ratio)"
        if cfg.guidance != "full" or cfg.prefix_ratio < 1.0
        else "a stronger model, or easier rows",
        f"longer completions (max_completion_length={cfg.max_completion_length}: "
        f"{metrics.get('completions/clipped_ratio', 0.0):.0%} were cut)",
        f"more completions per prompt (num_generations={cfg.num_generations})",
        "a higher temperature" if cfg.temperature < 1.0 else "a system_prompt that states the answer format",
    ]
    return (
        f"  note: all groups have zero reward variance ({what}; mean reward {reward:.3f}), so every "
        "advantage is 0 and this step had no gradient: nothing was learned. Try: " + "; ".join(tries) + "."
    )
