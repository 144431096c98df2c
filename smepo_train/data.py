"""Training rows from Parquet: our masked layout, verl's layout and the released SMEPO schema.

Every row becomes a :class:`Sample`: the chat messages to prompt with, the original and the masked trace
(either may be missing), the gold answer as the verifier reads it, and the domain whose verifier scores it.
The domain comes from ``ability`` when it names one of smepo_data's domains, else from keywords in
``ability`` / ``data_source`` (``gsm8k`` -> math, ``humaneval`` -> code, ``hotpot`` -> search, ...).
"""

from __future__ import annotations

import dataclasses
import glob
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from smepo_data import DOMAINS
from smepo_data._model import RowError
from smepo_data.io.presets import PRESETS, Preset, column_preset, get_path, guess_preset
from smepo_data.io.readers import read_rows

#: keywords in ``ability`` / ``data_source`` -> domain, for rows whose ``ability`` is not a domain name
DOMAIN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "math": ("math", "gsm8k", "aime", "amc", "olympiad", "numina", "dapo", "deepscaler"),
    "code": (
        "code",
        "humaneval",
        "mbpp",
        "apps",
        "taco",
        "leetcode",
        "livecodebench",
        "codeforces",
        "primeintellect",
    ),
    "search": ("search", "qa", "hotpot", "nq", "trivia", "musique", "2wiki", "popqa", "bamboogle", "fact"),
}

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
    """The Parquet files ``path`` names: a file, a folder (searched recursively; in a ``smepo-data mask``
    run folder, its ``data/``) or a glob."""
    p = Path(path)
    if (p / "data").is_dir() and (p / "rejects").is_dir():  # a `smepo-data mask` run folder: its rows
        p = p / "data"
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
    ability = str(row.get("ability") or "").lower()
    if ability in DOMAINS:
        return ability
    text = f"{ability} {str(row.get('data_source') or '').lower()}"
    for domain, words in DOMAIN_KEYWORDS.items():
        if any(w in text for w in words):
            return domain
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


def is_trainer_layout(row: dict[str, Any]) -> bool:
    """Whether ``row`` is in a layout :func:`to_sample` reads: ours, verl's or the released SMEPO files'."""
    return isinstance(row.get("prompt"), list) or "reward_model" in row or "masked_trace" in row


def load_eval_samples(
    path: str,
    fmt: str = "auto",
    columns: dict[str, str] | None = None,
    domain: str | None = None,
    limit: int | None = None,
) -> list[Sample]:
    """Rows to evaluate on: our run folders, verl-layout and released SMEPO Parquet (as :func:`load_samples`),
    or any file ``smepo-data mask`` reads (JSONL, JSON, Parquet, dataset folders) through its presets
    (``fmt``: a preset name or "auto") or a column mapping. For a preset's rows the trace is optional (a
    benchmark file has none): ``full_trace`` is the preset's trace, ``masked_trace`` None."""
    p = Path(path)
    if fmt == "auto" and not columns:
        first = _first_parquet_row(path)
        if first is not None and is_trainer_layout(first):
            return load_samples(path, domain, limit)
    if not p.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    raws = read_rows(p, stop=limit)
    out: list[Sample] = []
    preset = None
    for i, raw in enumerate(raws):
        where = f"{raw.source} row {raw.index}"
        if raw.data is None:
            raise ValueError(f"{where}: {raw.error}")
        if preset is None:
            preset = _trace_optional(_eval_preset(raw.data, fmt, columns, domain))
        try:
            ex = preset.to_example(raw.data, source=raw.source, index=raw.index, domain=domain)
        except RowError as e:
            raise ValueError(f"{where}: {e.reason}: {e.detail} (format {preset.name})") from None
        out.append(
            Sample(
                index=i,
                messages=[{"role": "user", "content": ex.question}],
                question=ex.question,
                answer=ex.answer,
                domain=ex.domain,
                full_trace=ex.trace or None,
                masked_trace=None,
                row=raw.data,
            )
        )
    return out


def _first_parquet_row(path: str) -> dict[str, Any] | None:
    """The first row of the Parquet ``path`` names (None when it names no Parquet, or they hold no rows)."""
    try:
        files = parquet_files(path)
    except FileNotFoundError:
        return None
    if not files[0].endswith(".parquet"):  # a file of another format
        return None
    batch = next(pq.ParquetFile(files[0]).iter_batches(batch_size=1), None)
    return batch.to_pylist()[0] if batch is not None and batch.num_rows else None


def _eval_preset(row: dict[str, Any], fmt: str, columns: dict[str, str] | None, domain: str | None) -> Preset:
    """The preset ``fmt`` names (or the column mapping, or for "auto" the one ``smepo-data mask`` guesses)."""
    if columns:
        return column_preset({**columns, "trace": columns.get("trace", "trace")}, domain or "math")
    name = fmt
    if fmt == "auto":  # mask's guess; AIME-style rows (problem, answer, no solution) read as MATH's
        name = guess_preset(row) or ("math" if "problem" in row and "answer" in row else None)
        if name is None:
            raise ValueError(
                f"cannot guess the format from the columns ({', '.join(sorted(row))}); "
                f"pass --format {'/'.join(PRESETS)} or --column FIELD=COLUMN"
            )
    if name not in PRESETS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(PRESETS)}, or map columns")
    return PRESETS[name]


def _trace_optional(preset: Preset) -> Preset:
    """``preset`` with its trace optional: read from the preset's trace columns or derivation when there,
    else "" (evaluation needs the trace only for guidance)."""
    paths = preset.columns.get("trace", ())
    own = preset.derive.get("trace")

    def trace(row: dict[str, Any], fields: dict[str, Any]) -> Any:
        for path in paths:
            found, value = get_path(row, path)
            if found and value is not None:
                return value
        if own is None:
            return ""
        try:
            return own(row, fields)
        except RowError:
            return ""

    columns = {k: v for k, v in preset.columns.items() if k != "trace"}
    return dataclasses.replace(preset, columns=columns, derive={**preset.derive, "trace": trace})
