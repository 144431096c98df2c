"""Rewards for stock trainers (verl, TRL), on the same verifiers as the leak audit and smepo-train.

verl (``custom_reward_function.path`` = this file, ``custom_reward_function.name=compute_score``; verl
loads the file by path, so it imports only by absolute names)::

    compute_score(data_source, solution_str, ground_truth, extra_info=None) -> float

TRL (``GRPOTrainer(reward_funcs=[domain_reward])``; TRL passes the dataset's columns as keyword arguments)::

    domain_reward(completions, **columns) -> list[float]     # 1.0 / 0.0 from the row's domain verifier
    search_f1_reward(completions, **columns) -> list[float]  # partial credit: a search answer's token F1

The verifier is the row's domain's (:func:`smepo_data.get_domain`): math-verify for math; the sandboxed
tests for code, run on the completion's last code block (a completion without one scores 0; where the
sandbox cannot run programs at all a :class:`~smepo_data.code.sandbox.SandboxError` is raised rather than
every completion scoring 0); exact match on the final answer (``<answer>``, ``Finish[...]``, "So the answer
is") for search. ``search_f1`` is the verifier's partial credit (``partial_reward`` of a
:class:`~smepo_data.domain_spec.GradedVerifier`; search: token F1), 0.0 for a domain whose verifier has none.
The domain: ``extra_info["ability"]`` (TRL: the ``ability`` column) when it names one, else
keywords in the ability or ``data_source`` (``gsm8k`` -> math, ``humaneval`` -> code, ``hotpot`` -> search,
see :mod:`smepo_data.row_domain`), else the gold answer's shape (a test spec is code, ``{"answers": ...}``
is search, anything else math). The gold: TRL's ``reward_model`` column (``ground_truth`` in it), else a
``ground_truth`` or ``answer`` column; a non-text gold is read as JSON (Search-R1's ``{"target": [...]}``
becomes ``{"answers": [...]}``). A gold the domain cannot read (a test spec that is not JSON, no gold at all)
raises ``ValueError`` saying what is wrong.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

# absolute imports: verl loads this file by path (custom_reward_function.path), outside its package
from smepo_data._domains import get_domain
from smepo_data.domain_spec import GradedVerifier
from smepo_data.row_domain import domain_from_names, guess_domain

__all__ = ["compute_score", "domain_reward", "score", "search_f1", "search_f1_reward"]


def score(domain: str, completion: str, ground_truth: str) -> float:
    """1.0 when ``domain``'s verifier accepts ``completion`` against ``ground_truth``, else 0.0."""
    return float(get_domain(domain).verifier.reward(completion, ground_truth))


def search_f1(domain: str, completion: str, ground_truth: str) -> float:
    """The graded reward of ``domain``'s verifier (its ``partial_reward``; search: the token F1 of the final
    answer against the gold), 0.0 for a domain whose verifier has none (math, code)."""
    verifier = get_domain(domain).verifier
    if not isinstance(verifier, GradedVerifier):
        return 0.0
    return float(verifier.partial_reward(completion, ground_truth))


def compute_score(
    data_source: str | None, solution_str: str, ground_truth: Any, extra_info: Mapping[str, Any] | None = None
) -> float:
    """verl's custom reward function: the row's domain verifier on ``solution_str`` (1.0 or 0.0)."""
    gold = gold_text(ground_truth)
    ability = extra_info.get("ability") if isinstance(extra_info, Mapping) else None
    return score(row_domain(ability, data_source, gold), _text(solution_str), gold)


def domain_reward(completions: Sequence[Any], **columns: Any) -> list[float]:
    """TRL reward function: each completion scored by its row's domain verifier (1.0 or 0.0)."""
    return [score(domain, text, gold) for domain, text, gold in _rows(completions, columns)]


def search_f1_reward(completions: Sequence[Any], **columns: Any) -> list[float]:
    """TRL reward function: the token F1 of each search completion's answer (0.0 for other domains)."""
    return [search_f1(domain, text, gold) for domain, text, gold in _rows(completions, columns)]


def row_domain(ability: Any, data_source: Any, gold: str) -> str:
    """The domain that scores a row: named by ``ability`` / ``data_source``, else by the gold's shape."""
    return domain_from_names(ability, data_source) or guess_domain(gold)


def gold_text(ground_truth: Any) -> str:
    """The gold answer as the verifiers read it: text as is, anything else as JSON."""
    if isinstance(ground_truth, str):
        return ground_truth
    if ground_truth is None:
        raise ValueError("no ground truth: the row has no gold answer to score against")
    if hasattr(ground_truth, "tolist"):  # a numpy scalar or array, as pandas reads Parquet
        ground_truth = ground_truth.tolist()
    if isinstance(ground_truth, float) and math.isnan(ground_truth):  # pandas' missing value
        raise ValueError("no ground truth: the gold answer is NaN (a missing value)")
    if isinstance(ground_truth, float) and math.isinf(ground_truth):
        raise ValueError(f"the ground truth is {ground_truth}: not a number the verifiers can read")
    if isinstance(ground_truth, Mapping) and "target" in ground_truth and "answers" not in ground_truth:
        target = ground_truth["target"]  # Search-R1's verl layout (a numpy array when pandas read it)
        target = target.tolist() if hasattr(target, "tolist") else target
        ground_truth = {"answers": list(target) if isinstance(target, list | tuple) else [target]}
    try:
        return json.dumps(ground_truth, ensure_ascii=False, default=_plain)
    except (TypeError, ValueError) as e:
        raise ValueError(f"the ground truth ({type(ground_truth).__name__}) cannot be read: {e}") from e


def _plain(value: Any) -> Any:
    """numpy arrays and scalars (what Parquet readers hand back) as lists and numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _text(completion: Any) -> str:
    """A completion's text: a string, or TRL's conversational list of messages (the last assistant turn;
    content as text or as a list of ``{"type": "text", "text": ...}`` parts)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence) and all(isinstance(m, Mapping) for m in completion):
        turns = [m for m in completion if m.get("role") == "assistant"] or list(completion)
        if not turns:
            return ""
        content = turns[-1].get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, Sequence):
            return "".join(p.get("text", "") for p in content if isinstance(p, Mapping))
        return ""
    raise TypeError(f"a completion is text or a list of chat messages, got {type(completion).__name__}")


def _rows(completions: Sequence[Any], columns: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(domain, completion text, gold)`` per completion from TRL's per-completion column lists."""
    n = len(completions)

    def column(name: str) -> list[Any] | None:
        values = columns.get(name)
        if values is None:
            return None
        if hasattr(values, "tolist") and not isinstance(values, str):  # a numpy array of the column
            values = values.tolist()
        if isinstance(values, str) or not isinstance(values, Sequence) or len(values) != n:
            raise ValueError(f"column {name!r}: expected one value per completion ({n})")
        return list(values)

    reward_model, ground_truth, answer = column("reward_model"), column("ground_truth"), column("answer")
    ability, data_source = column("ability"), column("data_source")
    if reward_model is None and ground_truth is None and answer is None:
        names = ", ".join(sorted(k for k in columns if not k.startswith(("trainer_state", "log_")))) or "none"
        raise ValueError(
            f"no gold answer: the dataset needs a reward_model, ground_truth or answer column ({names})"
        )
    rows = []
    for i, completion in enumerate(completions):
        gold: Any = None
        if reward_model is not None and isinstance(reward_model[i], Mapping):
            gold = reward_model[i].get("ground_truth")
        if gold is None and ground_truth is not None:
            gold = ground_truth[i]
        if gold is None and answer is not None:
            gold = answer[i]
        if gold is None:
            held = "" if reward_model is None else f" (its reward_model is {reward_model[i]!r:.80})"
            raise ValueError(
                f"completion {i}: its row has no gold answer: a reward_model mapping with ground_truth, or a "
                f"ground_truth or answer value{held}"
            )
        text = gold_text(gold)
        domain = row_domain(ability[i] if ability else None, data_source[i] if data_source else None, text)
        rows.append((domain, _text(completion), text))
    return rows
