"""The code domain's presets (HumanEval, MBPP, the released SMEPO code schema): the reference program
becomes a trace of one fenced block, the tests a JSON test spec."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._model import RowError
from ..io.presets import Preset, row_value, smepo_preset


def fenced(code: str, language: str = "python") -> str:
    """A program as a trace: one fenced block (a longer fence when the code itself holds backticks)."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code.rstrip()}\n{fence}\n"


def _humaneval_trace(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    return fenced(row_value(row, "prompt") + row_value(row, "canonical_solution"))


def _humaneval_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    return json.dumps({"tests": row_value(row, "test"), "entry_point": row_value(row, "entry_point")})


def _mbpp_trace(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    return fenced(row_value(row, "code"))


def _mbpp_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    tests = row_value(row, "test_list", list)
    imports = row_value(row, "test_imports", list) if row.get("test_imports") is not None else []
    if not all(isinstance(t, str) for t in [*tests, *imports]):
        raise RowError("wrong_type", "'test_list' and 'test_imports' must hold strings")
    return json.dumps({"tests": "\n".join(tests), "imports": list(imports)})


PRESETS: dict[str, Preset] = {
    "humaneval": Preset(
        "humaneval",
        "code",
        {"question": ("prompt",), "id": ("task_id",)},
        derive={"trace": _humaneval_trace, "answer": _humaneval_answer},
        data_source="openai/openai_humaneval",
        description="HumanEval: prompt + canonical_solution (the trace: one fenced block), test, entry_point",
        guess=lambda row: "canonical_solution" in row and "entry_point" in row,
    ),
    "mbpp": Preset(
        "mbpp",
        "code",
        {"question": ("prompt", "text"), "id": ("task_id",)},
        derive={"trace": _mbpp_trace, "answer": _mbpp_answer},
        data_source="google-research-datasets/mbpp",
        description="MBPP (sanitized or full): prompt/text, code (the trace), test_list, test_imports",
        guess=lambda row: "test_list" in row and ("code" in row or "prompt" in row),
    ),
    "smepo_code": smepo_preset(
        "smepo_code",
        "code",
        "released SMEPO code schema: question, teacher_ds, reward_model.ground_truth (stdin/out)",
        guess_order=1,  # before math's smepo: the same columns, a stdin/stdout test spec as ground truth
        is_domain=lambda truth: isinstance(truth, str) and '"inputs"' in truth,
    ),
}
