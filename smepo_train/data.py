"""Training rows from Parquet: our masked layout, verl's layout and the released SMEPO schema.

Every row becomes a :class:`Sample`: the chat messages to prompt with, the original and the masked trace
(either may be missing), the gold answer as the verifier reads it, and the domain whose verifier scores it.
The domain comes from ``ability`` when it names one of smepo_data's domains, else from keywords in
``ability`` / ``data_source`` (``gsm8k`` -> math, ``humaneval`` -> code, ``hotpot`` -> search, ...:
:mod:`smepo_data.row_domain`).
"""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from smepo_data import DOMAINS
from smepo_data.io.presets import get_path
from smepo_data.row_domain import domain_from_names

#: where each field is looked for, first present wins (dotted paths reach into structs)
QUESTION_PATHS = ("question", "extra_info.question")
#: the original (unmasked) trace: our ``trace``; the released SMEPO files' top-level ``teacher_ds``
FULL_TRACE_PATHS = ("trace", "teacher_ds")
#: the masked trace: ours; verl layout keeps it in ``extra_info.teacher_ds``
MASKED_TRACE_PATHS = ("masked_trace", "extra_info.teacher_ds")
ANSWER_PATHS = ("reward_model.ground_truth", "answer", "ground_truth")


@dataclass
class Sample:
    """One training prompt. ``row`` keeps every original column (user reward functions receive them)."""

    index: int
    messages: list[dict[str, str]]
    question: str
    answer: str
    domain: str
    full_trace: str | None
    masked_trace: str | None
    row: dict[str, Any]

    def trace(self, guidance: str) -> str | None:
        """The trace ``guidance`` shows: None for "none"."""
        return {"none": None, "full": self.full_trace, "masked": self.masked_trace}[guidance]


def parquet_files(path: str) -> list[str]:
    """The Parquet files ``path`` names: a file, a folder (searched recursively) or a glob."""
    p = Path(path)
    if p.is_dir():
        files = sorted(str(f) for f in p.rglob("*.parquet") if not f.name.startswith("."))
    elif p.is_file():
        files = [str(p)]
    else:
        files = sorted(glob.glob(path))
    if not files:
        raise FileNotFoundError(f"no Parquet files at {path!r}")
    return files


def _first(row: dict[str, Any], paths: tuple[str, ...]) -> Any:
    for path in paths:
        found, value = get_path(row, path)
        if found and value is not None and value != "":
            return value
    return None


def row_domain(row: dict[str, Any], default: str | None = None) -> str:
    """The smepo_data domain that scores ``row``: ``default`` if given, else from ``ability`` /
    ``data_source``."""
    if default:
        if default not in DOMAINS:
            raise ValueError(f"unknown domain {default!r}; choose one of {', '.join(DOMAINS)}")
        return default
    found = domain_from_names(row.get("ability"), row.get("data_source"))
    if found is not None:
        return found
    raise ValueError(
        f"cannot tell the domain of a row with ability={row.get('ability')!r}, "
        f"data_source={row.get('data_source')!r}; set `domain` in the config"
    )


def to_sample(row: dict[str, Any], index: int, domain: str | None = None) -> Sample:
    """A :class:`Sample` from one Parquet row of any supported layout."""
    prompt = row.get("prompt")
    question = _first(row, QUESTION_PATHS)
    if isinstance(prompt, list) and prompt:
        messages = [{"role": str(m["role"]), "content": str(m["content"])} for m in prompt]
        if question is None:
            question = next((m["content"] for m in reversed(messages) if m["role"] == "user"), None)
    elif question is not None:
        messages = [{"role": "user", "content": str(question)}]
    else:
        raise ValueError(f"row {index}: no prompt messages and no question column")
    if question is None:
        raise ValueError(f"row {index}: the prompt has no user message")
    answer = _first(row, ANSWER_PATHS)
    if answer is None:
        raise ValueError(f"row {index}: no gold answer (looked in {', '.join(ANSWER_PATHS)})")
    if not isinstance(answer, str):
        answer = json.dumps(answer, ensure_ascii=False, default=str)
    full, masked = _first(row, FULL_TRACE_PATHS), _first(row, MASKED_TRACE_PATHS)
    return Sample(
        index=index,
        messages=messages,
        question=str(question),
        answer=answer,
        domain=row_domain(row, domain),
        full_trace=None if full is None else str(full),
        masked_trace=None if masked is None else str(masked),
        row=row,
    )


def load_samples(path: str, domain: str | None = None, limit: int | None = None) -> list[Sample]:
    """Every row under ``path`` as a :class:`Sample` (the first ``limit`` rows when given)."""
    rows: list[dict[str, Any]] = []
    for f in parquet_files(path):
        rows.extend(pq.read_table(f).to_pylist())
        if limit is not None and len(rows) >= limit:
            break
    rows = rows[:limit] if limit is not None else rows
    return [to_sample(r, i, domain) for i, r in enumerate(rows)]


def check_guidance(samples: list[Sample], guidance: str) -> None:
    """Refuse a guidance mode the data cannot serve (no row has the trace it shows)."""
    if guidance == "none" or not samples:
        return
    paths = FULL_TRACE_PATHS if guidance == "full" else MASKED_TRACE_PATHS
    if all(s.trace(guidance) is None for s in samples):
        raise ValueError(f"guidance={guidance!r} but no row has a trace in {' / '.join(paths)}")
