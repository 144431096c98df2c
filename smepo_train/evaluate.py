"""Evaluation: avg@k and unbiased pass@k of a model on rows, with or without guidance (the copy probe).

:func:`evaluate_samples` renders each row's prompt with the trainer's
:class:`~smepo_train.prompts.PromptBuilder` (guidance "none", "full" or "masked"), samples ``k`` completions
per prompt on the trainer's generation backend (greedy when ``k`` is 1) and scores them with the trainer's
:class:`~smepo_train.rewards.Rewards`. ``GRPOTrainer.eval_run`` (``eval_steps``) and ``smepo-eval`` both
call it. A row that cannot be evaluated in a mode (no trace of that kind, or a question over the prompt
budget) is kept with the reason, never dropped.

A completion counts as correct when its reward is at least 1 (the domain verifier's 1.0). Per row with
``c`` correct of ``n`` completions, pass@k is Chen et al. (2021)'s unbiased estimator
``1 - C(n-c, k) / C(n, k)``, computed as a product (:func:`pass_at_k`); avg@k is the mean reward.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from .data import Sample
from .prompts import Prompt, PromptBuilder, PromptTooLong
from .rewards import Rewards

GUIDANCE_MODES = ("none", "full", "masked")


def pass_at_k(n: int, c: int, k: int) -> float:
    """Chen et al. (2021)'s unbiased pass@k for ``c`` correct of ``n`` samples: ``1 - C(n-c,k)/C(n,k)``,
    in the numerically stable product form ``1 - prod_{i=n-c+1..n} (1 - k/i)``."""
    if not 0 <= c <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n, got c={c}, n={n}")
    if not 1 <= k <= n:
        raise ValueError(f"pass@k needs 1 <= k <= n, got k={k}, n={n}")
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(n - c + 1, n + 1):
        prod *= 1.0 - k / i
    return 1.0 - prod


@dataclass
class RowResult:
    """One row in one guidance mode: its prompt, completions and scores, or why it was not evaluated."""

    sample: Sample
    guidance: str
    prompt: Prompt | None = None
    texts: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    finished: list[bool] = field(default_factory=list)
    #: the weighted reward of each completion
    scores: list[float] = field(default_factory=list)
    #: each reward function's raw scores by name
    per_func: dict[str, list[float]] = field(default_factory=dict)
    #: why the row was not evaluated ("" when it was)
    skipped: str = ""

    @property
    def correct(self) -> int:
        return sum(s >= 1.0 for s in self.scores)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "row": self.sample.index,
            "id": self.sample.row.get("id"),
            "guidance": self.guidance,
        }
        if self.skipped:
            return out | {"question": self.sample.question, "skipped": self.skipped}
        assert self.prompt is not None
        return out | {
            "prompt": self.prompt.text,
            "guidance_shown": self.prompt.guidance,
            "answer": self.sample.answer,
            "completions": self.texts,
            "scores": self.scores,
            "rewards": self.per_func,
            "finished": self.finished,
            "lengths": self.lengths,
        }


@dataclass
class EvalRun:
    """Every row of one evaluation (one guidance mode, ``k`` completions per row)."""

    guidance: str
    k: int
    rows: list[RowResult]

    @property
    def scored(self) -> list[RowResult]:
        return [r for r in self.rows if not r.skipped]

    def summary(self) -> dict[str, Any]:
        """avg@k, pass@k and pass@1, each reward function's mean, lengths, and the skipped rows by reason;
        the averages are None (not 0) when no row was scored."""
        scored, k = self.scored, self.k
        skipped: dict[str, int] = {}
        for r in self.rows:
            if r.skipped:
                reason = r.skipped.split(":", 1)[0]
                skipped[reason] = skipped.get(reason, 0) + 1
        names = list(scored[0].per_func) if scored else []
        lengths = [n for r in scored for n in r.lengths]
        return {
            "guidance": self.guidance,
            "k": k,
            "rows": len(self.rows),
            "scored": len(scored),
            "skipped": dict(sorted(skipped.items())),
            f"avg@{k}": _mean_or_none([_mean(r.scores) for r in scored]),
            f"pass@{k}": _mean_or_none([pass_at_k(len(r.scores), r.correct, k) for r in scored]),
            "pass@1": _mean_or_none([pass_at_k(len(r.scores), r.correct, 1) for r in scored]),
            "rewards": {name: _mean([v for r in scored for v in r.per_func[name]]) for name in names},
            "completion_length": _mean_or_none(lengths),
            "clipped_ratio": _mean_or_none([float(not f) for r in scored for f in r.finished]),
            #: rows whose trace was cut (beyond prefix_ratio) to fit the prompt budget
            "trace_cut": sum(bool(r.prompt and r.prompt.budget_cut) for r in scored),
        }

    def trainer_metrics(self) -> dict[str, float]:
        """The trainer's ``eval/*`` metrics: mean reward over every completion, each function's mean."""
        scored = self.scored
        out = {
            "eval/reward": _mean([s for r in scored for s in r.scores]),
            "eval/num_prompts": float(len(scored)),
        }
        names = list(scored[0].per_func) if scored else []
        out.update({f"eval/rewards/{n}": _mean([v for r in scored for v in r.per_func[n]]) for n in names})
        out["eval/completion_length"] = _mean([n for r in scored for n in r.lengths])
        return out


def evaluate_samples(
    samples: list[Sample],
    builder: PromptBuilder,
    backend: Any,
    tokenizer: Any,
    rewards: Rewards,
    *,
    guidance: str = "none",
    k: int = 1,
    max_new_tokens: int = 256,
    temperature: float = 1.0,
    top_p: float = 1.0,
    seed: int = 0,
) -> EvalRun:
    """``k`` completions per row (greedy for ``k`` == 1) with ``guidance`` rendered as the trainer renders it,
    in one ``backend.generate`` call seeded with ``seed``, scored by ``rewards``. Rows without the trace the
    mode shows, whose question alone is over ``builder.max_prompt_length``, or whose prompt has no room left
    for any of the trace, come back with ``skipped`` (the reason)."""
    if guidance not in GUIDANCE_MODES:
        raise ValueError(f"guidance must be one of {', '.join(GUIDANCE_MODES)}; got {guidance!r}")
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    rows: list[RowResult] = []
    todo: list[RowResult] = []
    for s in samples:
        trace = s.trace(guidance)
        if guidance != "none" and not (trace or "").strip():
            rows.append(RowResult(s, guidance, skipped=f"no {guidance} trace"))
            continue
        try:
            prompt = builder.build(s.messages, trace, guidance=guidance)
        except PromptTooLong as e:
            rows.append(RowResult(s, guidance, skipped=f"prompt too long: {e}"))
            continue
        if guidance != "none" and not prompt.guidance:
            rows.append(
                RowResult(s, guidance, prompt, skipped="no room for the trace under max_prompt_length")
            )
            continue
        row = RowResult(s, guidance, prompt)
        rows.append(row)
        todo.append(row)
    if not todo:
        return EvalRun(guidance, k, rows)
    completions = backend.generate(
        [r.prompt.ids for r in todo if r.prompt is not None],
        num_generations=k,
        max_new_tokens=max_new_tokens,
        temperature=temperature,
        top_p=top_p,
        do_sample=k > 1,
        seed=seed,
    )
    texts = tokenizer.batch_decode([c.ids for c in completions], skip_special_tokens=True)
    totals, per_func = rewards.score(texts, [r.sample for r in todo for _ in range(k)])
    for i, row in enumerate(todo):
        group = slice(i * k, (i + 1) * k)
        row.texts = texts[group]
        row.lengths = [len(c.ids) for c in completions[group]]
        row.finished = [c.finished for c in completions[group]]
        row.scores = totals[group]
        row.per_func = {name: values[group] for name, values in per_func.items()}
    return EvalRun(guidance, k, rows)


def copy_gaps(runs: dict[str, EvalRun]) -> dict[str, dict[str, Any]]:
    """For each guided mode beside "none": its avg@k and pass@k minus those without guidance, over the rows
    scored in both (paired by row); ``rows`` says how many. Full - none is what a trace hands over; masked -
    none is what the masking still hands over. With no row scored in both the gaps are None (not 0)."""
    base = runs.get("none")
    if base is None:
        return {}
    k = base.k
    unguided = {r.sample.index: r for r in base.scored}
    out: dict[str, dict[str, Any]] = {}
    for mode in ("full", "masked"):
        if mode not in runs:
            continue
        pairs = [(unguided[r.sample.index], r) for r in runs[mode].scored if r.sample.index in unguided]
        out[f"{mode}-none"] = {
            "rows": len(pairs),
            f"avg@{k}": _mean_or_none([_mean(g.scores) - _mean(u.scores) for u, g in pairs]),
            f"pass@{k}": _mean_or_none(
                [
                    pass_at_k(len(g.scores), g.correct, k) - pass_at_k(len(u.scores), u.correct, k)
                    for u, g in pairs
                ]
            ),
        }
    return out


def _mean(values: list[float] | list[int]) -> float:
    return float(statistics.fmean(values)) if values else 0.0


def _mean_or_none(values: list[float] | list[int]) -> float | None:
    """The mean, or None when there is nothing to average (a score of 0 would read as a measured one)."""
    return _mean(values) if values else None
