"""Presets: how the rows of a known corpus become examples (which column holds what, and how to
find the gold answer). A column mapping covers any other corpus.

Paths are dotted (``reward_model.ground_truth``); a field may list several paths, the first present wins.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._model import Example, RowError, check_text
from ..search._sources import bridge_titles, hotpotqa_trace, search_answer

FIELDS = ("id", "question", "trace", "answer")
MAX_TEXT_CHARS = 200_000


def get_path(row: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    """``(found, value)`` for a dotted path into nested mappings."""
    cur: Any = row
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return False, None
        cur = cur[part]
    return True, cur


def gold_from_solution(answer: str) -> str:
    """The gold answer of a math row whose answer column holds a whole reference solution: what its
    last ``\\boxed{}``, ``#### N``, "The answer is N" or "A: N" ending states. A short answer (one
    line, no such ending) is returned as it is."""
    if "\n" not in answer.strip() and len(answer) <= 80 and not _ENDING.search(answer):
        return answer
    from ..math._lexer import answer_statements  # the same reading of endings the masker uses

    statements = answer_statements(answer)
    marked = [s for s in statements if "boxed" in s.reason or "####" in s.reason]
    if not statements:
        return answer
    last = max(marked or statements, key=lambda s: s.start)
    return answer[last.start : last.end].strip() or answer


_ENDING = re.compile(r"####|\\boxed|answer\s*(?:is|:)|^\s*A\s*:", re.I | re.M)


def last_boxed(text: str) -> str | None:
    """The content of the last ``\\boxed{...}`` (or ``\\fbox{...}``) in ``text``."""
    from ..math._lexer import match_brace

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


@dataclass(frozen=True)
class Preset:
    """``columns``: field -> candidate paths; ``derive``: field -> function computing it from the other
    fields when no column holds it (GSM8K's answer from its ``####`` line); ``meta``: name -> function
    of the row, whose values go into ``Example.meta`` (HotpotQA's bridge titles)."""

    name: str
    domain: str
    columns: Mapping[str, tuple[str, ...]]
    derive: Mapping[str, Callable[[Mapping[str, Any], dict[str, Any]], str]] = field(default_factory=dict)
    meta: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)
    data_source: str = ""
    description: str = ""

    def to_example(
        self,
        row: Mapping[str, Any],
        *,
        source: str,
        index: int,
        domain: str | None = None,
        max_chars: int = MAX_TEXT_CHARS,
    ) -> Example:
        """Build an :class:`Example` or raise :class:`RowError` saying exactly what is wrong."""
        fields: dict[str, Any] = {}
        for name in ("question", "trace", "answer", "id"):
            paths = self.columns.get(name, ())
            found = [(p, r[1]) for p in paths if (r := get_path(row, p))[0]]
            hit = next(((p, v) for p, v in found if v is not None), None)
            if hit is None:
                if name in self.derive:
                    fields[name] = _as_text(name, "(derived)", self.derive[name](row, fields), max_chars)
                    continue
                if name == "id":
                    fields["id"] = f"{source.rsplit('/', 1)[-1]}:{index}"
                    continue
                if found:
                    raise RowError("missing_field", f"{name!r} (column {found[0][0]!r}) is null")
                looked = ", ".join(paths) or "(no column mapped)"
                raise RowError("missing_field", f"no {name!r} value (looked for: {looked})")
            fields[name] = _as_text(name, *hit, max_chars)
            if name == "trace" and not fields["trace"].strip():
                raise RowError("empty_trace", "the trace is empty")
        if not fields["answer"].strip():
            raise RowError("unparsable_answer", "the answer is empty")
        if (domain or self.domain) == "math":
            fields["answer"] = gold_from_solution(fields["answer"])
        return Example(
            fields["id"],
            domain or self.domain,
            fields["question"],
            fields["trace"],
            fields["answer"],
            {"source": source, "index": index, **{k: f(row) for k, f in self.meta.items()}},
        )


def _as_text(name: str, path: str, value: Any, max_chars: int) -> str:
    if name in ("answer", "id") and isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):  # NaN: a reader's missing value
            reason = "unparsable_answer" if name == "answer" else "wrong_type"
            raise RowError(reason, f"{name!r} (column {path!r}) is {value}, not a value")
        value = str(value)
    if not isinstance(value, str):
        raise RowError("wrong_type", f"{name!r} (column {path!r}) is {type(value).__name__}, expected text")
    if len(value) > max_chars:
        raise RowError("too_large", f"{name!r} has {len(value):,} characters (limit {max_chars:,})")
    return check_text(name, value)


def _column(row: Mapping[str, Any], key: str, kind: type = str) -> Any:
    if row.get(key) is None:
        raise RowError("missing_field", f"no {key!r} value")
    if not isinstance(row[key], kind):
        raise RowError("wrong_type", f"{key!r} is {type(row[key]).__name__}, expected {kind.__name__}")
    return row[key]


def fenced(code: str, language: str = "python") -> str:
    """A program as a trace: one fenced block (a longer fence when the code itself holds backticks)."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code.rstrip()}\n{fence}\n"


def _humaneval_trace(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    return fenced(_column(row, "prompt") + _column(row, "canonical_solution"))


def _humaneval_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    return json.dumps({"tests": _column(row, "test"), "entry_point": _column(row, "entry_point")})


def _mbpp_trace(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    return fenced(_column(row, "code"))


def _mbpp_answer(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
    tests = _column(row, "test_list", list)
    imports = row.get("test_imports") or []
    if not all(isinstance(t, str) for t in [*tests, *imports]):
        raise RowError("wrong_type", "'test_list' and 'test_imports' must hold strings")
    return json.dumps({"tests": "\n".join(tests), "imports": list(imports)})


PRESETS: dict[str, Preset] = {
    "gsm8k": Preset(
        "gsm8k",
        "math",
        {"question": ("question",), "trace": ("answer",), "id": ("id",)},
        derive={"answer": _gsm8k_answer},
        data_source="openai/gsm8k",
        description="GSM8K: question, answer (worked solution ending '#### N')",
    ),
    "math": Preset(
        "math",
        "math",
        {"question": ("problem",), "trace": ("solution",), "answer": ("answer",), "id": ("unique_id", "id")},
        derive={"answer": _math_answer},
        data_source="hendrycks/MATH",
        description="MATH / MATH-500: problem, solution with \\boxed{}, answer (else the last \\boxed{})",
    ),
    "smepo": Preset(
        "smepo",
        "math",
        {
            "question": ("question", "extra_info.question"),
            "trace": ("teacher_ds", "extra_info.teacher_ds"),
            "answer": ("reward_model.ground_truth",),
            "id": ("id", "extra_info.index"),
        },
        data_source="mit-han-lab/SMEPO",
        description="released SMEPO schema: question, teacher_ds, reward_model.ground_truth",
    ),
    "humaneval": Preset(
        "humaneval",
        "code",
        {"question": ("prompt",), "id": ("task_id",)},
        derive={"trace": _humaneval_trace, "answer": _humaneval_answer},
        data_source="openai/openai_humaneval",
        description="HumanEval: prompt + canonical_solution (the trace: one fenced block), test, entry_point",
    ),
    "mbpp": Preset(
        "mbpp",
        "code",
        {"question": ("prompt", "text"), "id": ("task_id",)},
        derive={"trace": _mbpp_trace, "answer": _mbpp_answer},
        data_source="google-research-datasets/mbpp",
        description="MBPP (sanitized or full): prompt/text, code (the trace), test_list, test_imports",
    ),
    "smepo_code": Preset(
        "smepo_code",
        "code",
        {
            "question": ("question", "extra_info.question"),
            "trace": ("teacher_ds", "extra_info.teacher_ds"),
            "answer": ("reward_model.ground_truth",),
            "id": ("id", "extra_info.index"),
        },
        data_source="mit-han-lab/SMEPO",
        description="released SMEPO code schema: question, teacher_ds, reward_model.ground_truth (stdin/out)",
    ),
    "hotpotqa": Preset(
        "hotpotqa",
        "search",
        {"question": ("question",), "trace": ("trace",), "id": ("id", "_id")},
        derive={"trace": hotpotqa_trace, "answer": search_answer},
        meta={"bridge_titles": bridge_titles},
        data_source="hotpotqa/hotpot_qa",
        description="HotpotQA: question, answer, supporting_facts, context (no trace: one is built over "
        "the supporting paragraphs, Search-R1 style)",
    ),
    "searchr1": Preset(
        "searchr1",
        "search",
        {"question": ("question",), "trace": ("trace",), "id": ("id",)},
        derive={"answer": search_answer},
        data_source="PeterGriffinJin/Search-R1",
        description="Search-R1 traces: question, trace (<think>/<search>/<information>/<answer>), "
        "answer / answers / golden_answers, aliases",
    ),
    "react": Preset(
        "react",
        "search",
        {"question": ("question",), "trace": ("trajectory", "trace"), "id": ("id",)},
        derive={"answer": search_answer},
        data_source="ysymyth/ReAct",
        description="ReAct trajectories: question, trajectory (Thought / Action Search[...] / Observation "
        "/ Finish[...]), answer (else the Finish[] answer)",
    ),
    "ircot": Preset(
        "ircot",
        "search",
        {"question": ("question",), "trace": ("chain", "trace"), "id": ("id", "qid")},
        derive={"answer": search_answer},
        data_source="StonyBrookNLP/ircot",
        description="IRCoT chains: question, chain (Wikipedia Title paragraphs, Q:, A: ... 'So the answer "
        "is: X'), answer (else the chain's)",
    ),
}


def column_preset(mapping: Mapping[str, str], domain: str) -> Preset:
    """A preset from a user's column mapping, e.g. ``{"question": "prompt", "trace": "solution", ...}``."""
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ValueError(
            f"unknown field(s) {sorted(unknown)} in the column mapping; fields are {', '.join(FIELDS)}"
        )
    missing = {"question", "trace", "answer"} - set(mapping)
    base = PRESETS["math"] if domain == "math" and missing == {"answer"} else None
    cols = {k: (v,) for k, v in mapping.items()}
    derive = dict(base.derive) if base else {}
    if missing - set(derive):
        raise ValueError(f"the column mapping must name {', '.join(sorted(missing - set(derive)))}")
    return Preset("columns", domain, cols, derive, description="user column mapping")


def guess_preset(row: Mapping[str, Any]) -> str | None:
    """The preset whose columns this row has, or ``None``."""
    if "problem" in row and "solution" in row:
        return "math"
    if "canonical_solution" in row and "entry_point" in row:
        return "humaneval"
    if "test_list" in row and ("code" in row or "prompt" in row):
        return "mbpp"
    truth = get_path(row, "reward_model.ground_truth")[1]
    if ("teacher_ds" in row or "reward_model" in row) and isinstance(truth, str) and '"inputs"' in truth:
        return "smepo_code"
    if "teacher_ds" in row or "reward_model" in row:
        return "smepo"
    if "question" in row and isinstance(row.get("answer"), str) and "####" in row["answer"]:
        return "gsm8k"
    return None
