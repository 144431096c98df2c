"""Micro-batches of an update: which completions go through one forward/backward together.

Without a token budget the rows are cut in order into micro-batches of ``per_device_train_batch_size``
(each padded to its longest prompt + longest completion). With ``max_tokens_per_microbatch`` the rows are
sorted by length (longest first) and packed greedily while ``rows * (longest prompt + longest completion)``
stays within the budget, so short completions are no longer padded to the step's longest one; a row longer
than the budget goes alone.

Regrouping does not change the loss: :func:`smepo_train.loss.policy_loss` normalises every micro-batch by
the counts of the whole accumulated batch (sequences for ``grpo`` / ``dr_grpo``, completion tokens for
``dapo``), and ``grpo``'s per-sequence token mean is taken within each row, so any partition of the rows
sums to the same loss and gradient.
"""

from __future__ import annotations


def padded_tokens(prompt_lens: list[int], completion_lens: list[int], rows: list[int]) -> int:
    """Tokens of the padded ``(rows, longest prompt + longest completion)`` batch of ``rows``."""
    if not rows:
        return 0
    width = max(prompt_lens[i] for i in rows) + max(1, max(completion_lens[i] for i in rows))
    return len(rows) * width


def plan_microbatches(
    prompt_lens: list[int],
    completion_lens: list[int],
    rows_per_batch: int,
    max_tokens: int | None = None,
) -> list[list[int]]:
    """Row indices of each micro-batch. ``max_tokens`` None: consecutive runs of ``rows_per_batch`` rows;
    else rows sorted by prompt + completion length, packed while the padded batch fits ``max_tokens``."""
    n = len(prompt_lens)
    if len(completion_lens) != n:
        raise ValueError(f"{n} prompts for {len(completion_lens)} completions")
    if max_tokens is None:
        return [list(range(s, min(s + rows_per_batch, n))) for s in range(0, n, rows_per_batch)]
    order = sorted(range(n), key=lambda i: (-(prompt_lens[i] + completion_lens[i]), i))
    plan: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and padded_tokens(prompt_lens, completion_lens, [*current, i]) > max_tokens:
            plan.append(current)
            current = []
        current.append(i)
    if current:
        plan.append(current)
    return plan
