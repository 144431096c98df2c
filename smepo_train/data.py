"""Training rows from Parquet: our masked layout, verl's layout and the released SMEPO schema.

Every row becomes a :class:`Sample`: the chat messages to prompt with, the original and the masked trace
(either may be missing), the gold answer as the verifier reads it, and the domain whose verifier scores it.
The domain comes from ``ability`` when it names one of smepo_data's domains, else from keywords in
``ability`` / ``data_source`` (``gsm8k`` -> math, ``humaneval`` -> code, ``hotpot`` -> search, ...:
:mod:`smepo_data.row_domain`).
"""

from __future__ import annotations

import dataclasses
import glob
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from smepo_data import DOMAINS, Example
from smepo_data._api import attack_trace
from smepo_data._domains import (
    DEFAULT_DOMAIN,
    all_presets,
    column_preset,
    find_preset,
    guess_preset,
    preset_into,
)
from smepo_data._model import RowError
from smepo_data._runfolder import RunFolder
from smepo_data.io.presets import Preset, get_path
from smepo_data.io.readers import read_rows
from smepo_data.rewards import gold_text
from smepo_data.row_domain import domain_from_names

from .config import TRACE_COLUMN_HOLDS

#: where each field is looked for, first present wins (dotted paths reach into structs)
QUESTION_PATHS = ("question", "extra_info.question")
#: the original (unmasked) trace: our ``trace``; the released SMEPO files' top-level ``teacher_ds``
FULL_TRACE_PATHS = ("trace", "teacher_ds")
#: the masked trace: ours; verl layout keeps it in ``extra_info.teacher_ds``
MASKED_TRACE_PATHS = ("masked_trace", "extra_info.teacher_ds")
ANSWER_PATHS = ("reward_model.ground_truth", "answer", "ground_truth")
#: rows whose masked trace the leak audit reads under "auto" (the first ones that have one)
LEAK_CHECK_ROWS = 64
#: the leak audit's attacks that find the answer written in the text (a full trace's final answer, the
#: program that passes the tests); inferences (replay, constraints, ...) can flag a masked trace too
STATED_ANSWER_ATTACKS = frozenset(
    {"extract", "visible_value", "equivalent_form", "answer_text", "tests_pass"}
)


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
    """The Parquet files ``path`` names: a file, a run folder of ``smepo-data mask`` (its masked rows, not
    its rejects), another folder (searched recursively) or a glob."""
    p = Path(path)
    if RunFolder(p).is_run():
        files = [str(f) for f in RunFolder(p).data_files()]
    elif p.is_dir():
        files = sorted(str(f) for f in p.rglob("*.parquet") if not f.name.startswith("."))
    elif p.is_file():
        files = [str(p)]
    else:
        files = sorted(glob.glob(path))
    if not files:
        raise FileNotFoundError(f"no Parquet files at {path!r}")
    return files


def _first(row: dict[str, Any], paths: tuple[str, ...]) -> Any:
    return _first_with_path(row, paths)[1]


def _first_with_path(row: dict[str, Any], paths: tuple[str, ...]) -> tuple[str | None, Any]:
    """The first of ``paths`` that holds a value in ``row``, and the value (``(None, None)``: none does)."""
    for path in paths:
        found, value = get_path(row, path)
        if found and value is not None and value != "":
            return path, value
    return None, None


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


def to_sample(
    row: dict[str, Any], index: int, domain: str | None = None, masked_trace_column_holds: str = "auto"
) -> Sample:
    """A :class:`Sample` from one Parquet row of any supported layout; with ``masked_trace_column_holds``
    "full", the masked-trace column is read as the full trace (where the row has no full trace of its own)."""
    prompt = row.get("prompt")
    question = _first(row, QUESTION_PATHS)
    if isinstance(prompt, list) and prompt:
        messages = [_message(m, index, j) for j, m in enumerate(prompt)]
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
    if not isinstance(answer, str):  # as verl's compute_score reads it (Search-R1's {"target": [...]} too)
        try:
            answer = gold_text(answer)
        except ValueError as e:
            raise ValueError(f"row {index}: {e}") from None
    full, masked = _first(row, FULL_TRACE_PATHS), _first(row, MASKED_TRACE_PATHS)
    if masked_trace_column_holds == "full":
        full, masked = (masked if full is None else full), None
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


def _message(message: Any, index: int, position: int) -> dict[str, str]:
    """One chat message of a row's prompt, refused unless it has a text role and text content."""
    if not isinstance(message, dict):
        raise ValueError(
            f"row {index}: prompt message {position} is a {type(message).__name__}, not a chat message"
        )
    role, content = message.get("role"), message.get("content")
    if not isinstance(role, str) or not isinstance(content, str):
        raise ValueError(
            f"row {index}: prompt message {position} needs a text role and text content, "
            f"got role {role!r} and content {content!r:.80}"
        )
    return {"role": role, "content": content}


def load_samples(
    path: str, domain: str | None = None, limit: int | None = None, masked_trace_column_holds: str = "auto"
) -> list[Sample]:
    """Every row under ``path`` as a :class:`Sample` (the first ``limit`` rows when given)."""
    rows: list[dict[str, Any]] = []
    for f in parquet_files(path):
        rows.extend(pq.read_table(f).to_pylist())
        if limit is not None and len(rows) >= limit:
            break
    rows = rows[:limit] if limit is not None else rows
    if masked_trace_column_holds not in TRACE_COLUMN_HOLDS:
        raise ValueError(
            f"masked_trace_column_holds must be one of {', '.join(TRACE_COLUMN_HOLDS)}; "
            f"got {masked_trace_column_holds!r}"
        )
    return [to_sample(r, i, domain, masked_trace_column_holds) for i, r in enumerate(rows)]


def check_guidance(samples: list[Sample], guidance: str) -> None:
    """Refuse a guidance mode the data cannot serve (no row has the trace it shows)."""
    if guidance == "none" or not samples:
        return
    paths = FULL_TRACE_PATHS if guidance == "full" else MASKED_TRACE_PATHS
    if all(s.trace(guidance) is None for s in samples):
        raise ValueError(
            f"guidance={guidance!r} but no row has a trace in {' / '.join(paths)}"
            + (
                " (masked_trace_column_holds: full reads the masked column as full)"
                if guidance == "full"
                else ""
            )
        )


def check_masked_traces(samples: list[Sample], rows: int = LEAK_CHECK_ROWS) -> None:
    """Refuse masked traces that are not masked: when the leak audit of their domain finds the gold answer
    written in more than half of the first ``rows`` masked traces (:data:`STATED_ANSWER_ATTACKS`), the
    column holds full traces (some released SMEPO files keep the original trace in
    ``extra_info.teacher_ds``), and guidance=masked would show the answer. The message names the column
    and ``masked_trace_column_holds``."""
    checked = [s for s in samples if s.masked_trace is not None][:rows]
    leaks: list[tuple[Sample, str]] = []
    audited = 0
    for s in checked:
        example = Example(str(s.index), s.domain, s.question, s.masked_trace or "", s.answer)
        try:
            findings = attack_trace(example, s.masked_trace or "")
        except (ValueError, TypeError, RecursionError, ArithmeticError):  # unauditable: not counted
            continue
        audited += 1
        stated = [f for f in findings if f.attack in STATED_ANSWER_ATTACKS]
        if stated:
            leaks.append((s, str(stated[0])))
    if audited and 2 * len(leaks) > audited:
        first, finding = leaks[0]
        column = _first_with_path(first.row, MASKED_TRACE_PATHS)[0]
        raise ValueError(
            f"the masked trace column {column} gives the gold answer away in {len(leaks)} of {audited} "
            f"rows audited (the first {len(checked)} that have one; row {first.index}: {finding}): it "
            "holds full traces, not masked ones, and guidance=masked would show the answer. If it does "
            "hold the full trace, set masked_trace_column_holds: full (and guidance=full); if you know it "
            "is masked, masked_trace_column_holds: masked skips this check"
        )


def is_trainer_layout(row: dict[str, Any]) -> bool:
    """Whether ``row`` is in a layout :func:`to_sample` reads: ours, verl's or the released SMEPO files'."""
    return isinstance(row.get("prompt"), list) or "reward_model" in row or "masked_trace" in row


def load_eval_samples(
    path: str,
    fmt: str = "auto",
    columns: dict[str, str] | None = None,
    domain: str | None = None,
    limit: int | None = None,
    masked_trace_column_holds: str = "auto",
) -> list[Sample]:
    """Rows to evaluate on: our run folders, verl-layout and released SMEPO Parquet (as :func:`load_samples`,
    with ``masked_trace_column_holds``),
    or any file ``smepo-data mask`` reads (JSONL, JSON, Parquet, dataset folders) through its presets
    (``fmt``: a preset name or "auto") or a column mapping. For a preset's rows the trace is optional (a
    benchmark file has none): ``full_trace`` is the preset's trace, ``masked_trace`` None."""
    p = Path(path)
    if RunFolder(p).is_run():
        samples = load_samples(path, domain, limit, masked_trace_column_holds)
        if not samples:
            raise ValueError(
                f"{path}: this smepo-data mask run folder has no rows in data/ (see its rejects/)"
            )
        return samples
    if fmt == "auto" and not columns:
        first = _first_parquet_row(path)
        if first is not None and is_trainer_layout(first):
            return load_samples(path, domain, limit, masked_trace_column_holds)
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
            preset = preset_into(_trace_optional(_eval_preset(raw.data, fmt, columns, domain)), domain)
        try:
            ex = preset.to_example(raw.data, source=raw.source, index=raw.index)
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
        return column_preset({**columns, "trace": columns.get("trace", "trace")}, domain or DEFAULT_DOMAIN)
    name = fmt
    if fmt == "auto":  # mask's guess; AIME-style rows (problem, answer, no solution) read as MATH's
        guessed = guess_preset(row) or ("math" if "problem" in row and "answer" in row else None)
        if guessed is None:
            raise ValueError(
                f"cannot guess the format from the columns ({', '.join(sorted(row))}); "
                f"pass --format {'/'.join(all_presets())} or --column FIELD=COLUMN"
            )
        name = guessed
    return find_preset(name)


def _trace_optional(preset: Preset) -> Preset:
    """``preset`` with its trace optional: read from the preset's trace columns or derivation when there,
    else "" (evaluation needs the trace only for guidance)."""
    paths = preset.columns.get("trace", ())
    own = preset.derive.get("trace")

    def trace(row: Mapping[str, Any], fields: dict[str, Any]) -> str:
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
