"""The math domain's presets (GSM8K, MATH, the released SMEPO schema) and how they read a gold answer: the
ending a worked solution states (``#### N``, the last ``\\boxed{}``), with the masker's lexer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._model import RowError
from ..io.presets import Preset, smepo_preset
from ._lexer import answer_statements, match_brace

_ENDING = re.compile(r"####|\\boxed|answer\s*(?:is|:)|^\s*A\s*:", re.I | re.M)


def gold_from_solution(answer: str) -> str:
    """The gold answer of a math row whose answer column holds a whole reference solution: what its
    last ``\\boxed{}``, ``#### N``, "The answer is N" or "A: N" ending states. A short answer (one
    line, no such ending) is returned as it is."""
    if "\n" not in answer.strip() and len(answer) <= 80 and not _ENDING.search(answer):
        return answer
    statements = answer_statements(answer)  # the same reading of endings the masker uses
    marked = [s for s in statements if "boxed" in s.reason or "####" in s.reason]
    if not statements:
        return answer
    last = max(marked or statements, key=lambda s: s.start)
    return answer[last.start : last.end].strip() or answer


def last_boxed(text: str) -> str | None:
    """The content of the last ``\\boxed{...}`` (or ``\\fbox{...}``) in ``text``."""
    starts = [m.end() - 1 for m in re.finditer(r"\\(?:boxed|fbox)\s*\{", text)]
    for start in reversed(starts):
        close = match_brace(text, start)
        if close > start:
            return text[start + 1 : close].strip()
    return None


def _gsm8k_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    m = re.search(r"^\s*####\s*(.+?)\s*$", fields["trace"], re.M)
    if not m:
        raise RowError("unparsable_answer", "the solution has no '#### <answer>' line")
    return m.group(1).replace(",", "").strip()


def _math_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    boxed = last_boxed(fields["trace"])
    if not boxed:
        raise RowError("unparsable_answer", "no answer column and no \\boxed{} answer in the solution")
    return boxed


def _is_gsm8k(row: Mapping[str, Any]) -> bool:
    return "question" in row and isinstance(row.get("answer"), str) and "####" in row["answer"]


PRESETS: dict[str, Preset] = {
    "gsm8k": Preset(
        "gsm8k",
        "math",
        {"question": ("question",), "trace": ("answer",), "id": ("id",)},
        derive={"answer": _gsm8k_answer},
        data_source="openai/gsm8k",
        description="GSM8K: question, answer (worked solution ending '#### N')",
        gold=gold_from_solution,
        guess=_is_gsm8k,
        guess_order=3,  # question and answer: the most generic columns, tried last
    ),
    "math": Preset(
        "math",
        "math",
        {"question": ("problem",), "trace": ("solution",), "answer": ("answer",), "id": ("unique_id", "id")},
        derive={"answer": _math_answer},
        data_source="hendrycks/MATH",
        description="MATH / MATH-500: problem, solution with \\boxed{}, answer (else the last \\boxed{})",
        gold=gold_from_solution,
        guess=lambda row: "problem" in row and "solution" in row,
    ),
    "smepo": smepo_preset(
        "smepo",
        "math",
        "released SMEPO schema: question, teacher_ds, reward_model.ground_truth",
        guess_order=2,  # after smepo_code, whose ground truth is a test spec
        gold=gold_from_solution,
    ),
}
