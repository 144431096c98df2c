"""Rewards: the row's domain verifier from smepo_data (the same one the leak audit uses) and user functions.

Names in ``reward_funcs``:

* ``domain``: the ``reward`` of the row's domain verifier (the one the leak audit uses, also behind the
  rewards for stock TRL and verl in :mod:`smepo_data.rewards`): math-verify for math, the
  sandboxed tests for code (on the completion's last code block; raises ``SandboxError`` where the sandbox
  cannot run programs at all, rather than scoring every completion 0), exact match for search;
* ``search_f1``: token F1 of a search answer (0 for rows of other domains);
* ``"module:function"``: a user callable, called as ``f(completion=..., **columns)`` with the row's
  columns plus ``question``, ``answer`` and ``domain``; it returns a float (None counts as 0).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial

from smepo_data import get_domain
from smepo_data.rewards import search_f1 as f1_score

from .data import Sample

RewardFunc = Callable[..., float | None]


def domain_reward(completion: str, sample: Sample) -> float:
    """1.0 when the row's domain verifier accepts ``completion``, else 0.0: the verifier's ``reward`` (the
    one implementation stock TRL and verl use too), given the row's other columns."""
    columns = {k: v for k, v in sample.row.items() if k not in ("completion", "answer")}
    return float(get_domain(sample.domain).verifier.reward(completion, sample.answer, **columns))


def search_f1(completion: str, sample: Sample) -> float:
    return f1_score(sample.domain, completion, sample.answer)


BUILTIN: dict[str, Callable[[str, Sample], float]] = {"domain": domain_reward, "search_f1": search_f1}


def load_callable(path: str) -> RewardFunc:
    """The function ``module:function`` names."""
    module, sep, name = path.partition(":")
    if not sep or not module or not name:
        raise ValueError(f"a reward function is 'domain', 'search_f1' or 'module:function'; got {path!r}")
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        raise ValueError(f"cannot load reward function {path!r}: {e}") from e
    if not callable(fn):
        raise ValueError(f"reward function {path!r} is not callable")
    return fn


class Rewards:
    """Scores completions with every configured function; ``names`` label the metrics."""

    def __init__(self, names: list[str], weights: list[float]) -> None:
        self.names = list(names)
        self.weights = list(weights)
        self._funcs: list[Callable[[str, Sample], float]] = []
        for name in self.names:
            if name in BUILTIN:
                self._funcs.append(BUILTIN[name])
            else:
                user = load_callable(name)
                self._funcs.append(partial(_call_user, user))

    def score(
        self, completions: list[str], samples: list[Sample]
    ) -> tuple[list[float], dict[str, list[float]]]:
        """The weighted total per completion, and each function's raw scores by name."""
        per_func = {
            name: [float(fn(c, s)) for c, s in zip(completions, samples, strict=True)]
            for name, fn in zip(self.names, self._funcs, strict=True)
        }
        totals = [
            sum(w * per_func[name][i] for name, w in zip(self.names, self.weights, strict=True))
            for i in range(len(completions))
        ]
        return totals, per_func


def _call_user(fn: RewardFunc, completion: str, sample: Sample) -> float:
    columns = dict(sample.row)
    columns.update(question=sample.question, answer=sample.answer, domain=sample.domain)
    columns.pop("completion", None)
    value = fn(completion=completion, **columns)
    return 0.0 if value is None else float(value)
