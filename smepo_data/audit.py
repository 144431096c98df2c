"""Audit any masked dataset: the domain leak audit and structure measures, row by row, summed per source.

    from smepo_data.audit import audit_dataset
    report = audit_dataset("out/gsm8k")                       # ours: an OUT_DIR, or its data/ files
    report = audit_dataset("smepo_math.parquet", preset="smepo")   # the released SMEPO layout
    report = audit_dataset("theirs.jsonl", columns={"masked_trace": "hint", "answer": "gold"})

Rows are streamed in batches (memory stays flat), each is judged by the same verifier the masker's
repair loop uses (:func:`smepo_data._api.attack_trace`), so "0 leaks" means the same thing for our
output and for a dataset another tool produced. Fields: ``masked_trace`` and ``answer`` (required),
``question`` (the math and search audits let values copied from it stay), ``trace`` (the original, for
the masked fraction), ``id``, ``domain``, ``spans`` and ``guided_prompt`` (the guidance a stock trainer shows:
when it is not a prefix of the masked trace, the row is flagged and that text is attacked too).
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._api import attack_trace
from ._domains import DEFAULT_DOMAIN, DOMAINS
from ._model import Example
from ._runfolder import RunFolder
from .guidance import shown_guidance
from .io.presets import get_path
from .io.readers import read_rows
from .row_domain import guess_domain
from .search._damage import spans_damage
from .stats import BINS

AUDIT_FIELDS = ("masked_trace", "answer", "question", "trace", "id", "domain", "spans", "guided_prompt")

#: field -> candidate dotted paths, first present wins
AUDIT_PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    # our own output rows (smepo_data.io.writer.OUTPUT_SCHEMA)
    "smepo_data": {
        "masked_trace": ("masked_trace",),
        "answer": ("reward_model.ground_truth", "answer"),
        "question": ("question",),
        "trace": ("trace",),
        "id": ("id",),
        "domain": ("ability",),
        "spans": ("spans",),
        "guided_prompt": ("guided_prompt",),
    },
    # the released SMEPO training data (verl layout): the trace the trainer injects is extra_info.teacher_ds;
    # a top-level teacher_ds is the expert's original trace, as for `smepo-data mask --format smepo` and
    # smepo-train (--column masked_trace=teacher_ds audits a file that keeps its masked trace there)
    "smepo": {
        "masked_trace": ("extra_info.teacher_ds",),
        "trace": ("teacher_ds",),
        "answer": ("reward_model.ground_truth",),
        "question": ("question", "extra_info.question"),
        "id": ("id", "extra_info.id", "extra_info.index"),
        "domain": ("ability",),
    },
}

#: a placeholder token: [NUMBER], [CODE], [ANSWER], [MASK], [BLANK_3], [ENTITY] ...
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z]+(?:_\d+)?\]")
#: structure the masking should have left alone: step labels, variable indices, a minus sign swallowed
#: between two blanks, the reference release's broken label protection
DAMAGE = {
    "hidden label": re.compile(r"(?i:\b(?:step|case|part|stage|method)s?)\s*#?\[NUMBER\]"),
    "hidden index": re.compile(r"[A-Za-z]_\{?\[NUMBER\]"),
    "glued blanks": re.compile(r"\[NUMBER\]\[NUMBER\]"),
    "broken placeholder": re.compile(r"__STRUCTURAL_[A-Z_]*\[NUMBER\]"),
}
_FIGURE = re.compile(r"\[asy\].*?(?:\[/asy\]|\Z)", re.S)
_QUOTED = re.compile(r'"[^"\n]*"')
#: what may stand before a sign that is unary: a relation or operator command (\\equiv -5), a relation, an
#: opening bracket, the start, or a word of prose (from -3 to 7)
_UNARY_CONTEXT = re.compile(
    r"(?:\\(?:equiv|le|leq|ge|geq|ne|neq|lt|gt|cdot|times|div|pm|mp|Rightarrow|Longrightarrow|implies|to"
    r"|approx|quad|qquad|left|sim|cong|in|colon|mid|text\{[^{}]*\})|[=<>(\[{,:;^_*/&$]"
    r"|(?<![a-zA-Z\\])[a-zA-Z]{2,}[ \t]+|^)[ \t]*$"
)


def span_damage(trace: str | None, spans: Any, masked: str) -> Counter[str]:
    """Damage that only the original shows: a span that starts with a binary operator (``16\\pi-4\\pi``
    -> ``[EXPR][EXPR]``, ``(y -3)`` -> ``(y [NUMBER])``), a variable ``e`` read as scientific notation
    (``2e+9``), and placeholders inside figure code, outside its quoted labels."""
    out: Counter[str] = Counter()
    for fig in _FIGURE.finditer(masked) if "[asy]" in masked else ():
        code = _QUOTED.sub(lambda m: " " * len(m.group()), fig.group())
        if hits := len(PLACEHOLDER.findall(code)):
            out["placeholder in figure code"] += hits
    if not isinstance(trace, str) or not isinstance(spans, list):
        return out
    for s in spans:
        if not isinstance(s, Mapping):
            continue
        start, end = int(s.get("start", 0)), int(s.get("end", 0))
        text = trace[start:end]
        before = trace[max(0, start - 24) : start]
        if (
            text[:1] in "-+"
            and len(text) > 1
            and before.strip()
            and re.match(r"[\w)\]}]", before.rstrip(" \t")[-1])
            and not _UNARY_CONTEXT.search(before)
        ):
            out["swallowed operator"] += 1  # "16\\pi-4\\pi" -> "[EXPR][EXPR]": the minus went with a blank
        if re.search(r"\de[+-]\d", text):
            out["e as scientific notation"] += 1
    return out


@dataclass
class GroupAudit:
    """The audit of one source (``data_source``, else the domain) of a dataset."""

    name: str
    domain: str
    rows: int = 0
    leaks: int = 0
    unaudited: Counter[str] = field(default_factory=Counter)
    fraction_sum: float = 0.0
    #: masked-fraction histogram, as in stats.json: memory stays flat however many rows
    fraction_hist: list[int] = field(default_factory=lambda: [0] * BINS)
    fraction_measure: Counter[str] = field(default_factory=Counter)
    placeholders: Counter[str] = field(default_factory=Counter)
    span_kinds: Counter[str] = field(default_factory=Counter)
    damage: Counter[str] = field(default_factory=Counter)
    #: rows each named attack reached the answer in
    attacks: Counter[str] = field(default_factory=Counter)
    examples: list[dict[str, str]] = field(default_factory=list)

    @property
    def audited(self) -> int:
        return self.rows - sum(self.unaudited.values())

    @property
    def leak_rate(self) -> float:
        return self.leaks / self.audited if self.audited else 0.0

    def add_fraction(self, fraction: float, measure: str) -> None:
        self.fraction_hist[min(int(fraction * BINS), BINS - 1)] += 1
        self.fraction_sum += fraction
        self.fraction_measure[measure] += 1

    def quantile(self, q: float) -> float:
        """Approximate quantile of the masked fraction (upper edge of its histogram bin)."""
        target, seen = q * sum(self.fraction_hist), 0
        for i, n in enumerate(self.fraction_hist):
            seen += n
            if n and seen >= target:
                return (i + 1) / BINS
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        n = sum(self.fraction_hist)
        return {
            "name": self.name,
            "domain": self.domain,
            "rows": self.rows,
            "audited": self.audited,
            "unaudited": dict(self.unaudited),
            "leaks": self.leaks,
            "leak_rate": round(self.leak_rate, 4),
            "leak_examples": self.examples,
            "masked_fraction": {
                "mean": round(self.fraction_sum / n, 4) if n else None,
                "p50": round(self.quantile(0.5), 4),
                "p90": round(self.quantile(0.9), 4),
                "measure": dict(self.fraction_measure),
                "histogram": {"bin_width": 1 / BINS, "counts": self.fraction_hist},
            },
            "placeholders": dict(self.placeholders.most_common()),
            "span_kinds": dict(self.span_kinds.most_common()),
            "structure_damage": dict(self.damage.most_common()),
            "leaks_by_attack": dict(sorted(self.attacks.items())),
        }


@dataclass
class AuditReport:
    """Per-source audits of one dataset, in the order the sources first appear."""

    path: str
    preset: str
    groups: dict[str, GroupAudit] = field(default_factory=dict)
    #: what the reader should know before trusting the figures (an unfinished run)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(g.rows for g in self.groups.values())

    @property
    def leaks(self) -> int:
        return sum(g.leaks for g in self.groups.values())

    @property
    def audited(self) -> int:
        return sum(g.audited for g in self.groups.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "preset": self.preset,
            "rows": self.rows,
            "audited": self.audited,
            "leaks": self.leaks,
            "warnings": self.warnings,
            "groups": [g.to_dict() for g in self.groups.values()],
        }


def dataset_files(path: str | Path) -> Path:
    """What to read for ``path``: an OUT_DIR's ``data/`` folder (not its rejects), else ``path`` itself."""
    p = Path(path)
    if RunFolder(p).is_run():
        return RunFolder(p).data
    if p.is_dir() and (runs := sorted(c.name for c in p.iterdir() if RunFolder(c).is_run())):
        raise ValueError(
            f"{p} holds {len(runs)} smepo runs ({', '.join(runs[:5])}); audit each run's folder on its own"
        )
    return p


def resolve_columns(
    first_row: Mapping[str, Any], preset: str = "auto", columns: Mapping[str, str] | None = None
) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The preset name and field -> paths used to read a dataset whose first row is ``first_row``.

    ``columns`` (``field=path``, as on the command line) override the preset's paths field by field."""
    unknown = set(columns or {}) - set(AUDIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; audit fields are {', '.join(AUDIT_FIELDS)}")
    if preset == "auto":
        if get_path(first_row, "masked_trace")[0]:
            preset = "smepo_data"
        elif any(get_path(first_row, p)[0] for p in AUDIT_PRESETS["smepo"]["masked_trace"]):
            preset = "smepo"
        elif columns:
            preset = "columns"
        else:
            raise ValueError(
                f"cannot tell where the masked trace is (columns: {', '.join(sorted(first_row))}); "
                "pass --format smepo_data/smepo or --column masked_trace=COLUMN --column answer=COLUMN"
            )
    if preset != "columns" and preset not in AUDIT_PRESETS:
        raise ValueError(f"unknown audit format {preset!r}; choose one of {', '.join(AUDIT_PRESETS)}")
    paths = dict(AUDIT_PRESETS.get(preset, {}))
    paths.update({k: (v,) for k, v in (columns or {}).items()})
    missing = {"masked_trace", "answer"} - set(paths)
    if missing:
        raise ValueError(f"the column mapping must name {', '.join(sorted(missing))}")
    return preset, paths


def _value(row: Mapping[str, Any], paths: tuple[str, ...]) -> Any:
    for path in paths:
        found, value = get_path(row, path)
        if found and value is not None:
            return value
    return None


def _question(row: Mapping[str, Any], paths: tuple[str, ...]) -> str:
    """The question: its column, else the last user turn of a chat ``prompt`` (verl's layout)."""
    value = _value(row, paths)
    if isinstance(value, str):
        return value
    prompt = row.get("prompt")
    if isinstance(prompt, list):
        turns = [m.get("content") for m in prompt if isinstance(m, Mapping) and m.get("role") == "user"]
        if turns and isinstance(turns[-1], str):
            return turns[-1]
    return prompt if isinstance(prompt, str) else ""


def masked_fraction(masked: str, trace: str | None, spans: list[Any] | None) -> tuple[float, str]:
    """``(fraction, measure)``: the share of the original trace that is hidden.

    ``spans``: exact, from the masking record. ``aligned``: the original is known but not the spans, so
    the text between placeholders is found in the original, in order, and the rest counts as hidden.
    ``placeholder share``: no original, so the share of the masked text taken by placeholders."""
    if trace and spans is not None:
        try:
            hidden = sum(int(s["end"]) - int(s["start"]) for s in spans)
        except (KeyError, TypeError, ValueError):  # a foreign "spans" column of another shape
            hidden = None
        if hidden is not None:
            return min(1.0, hidden / len(trace)), "spans"
    if trace:
        kept, pos = 0, 0
        for segment in PLACEHOLDER.split(masked):
            at = trace.find(segment, pos) if segment else -1
            if at >= 0:
                kept += len(segment)
                pos = at + len(segment)
        return max(0.0, 1.0 - kept / len(trace)), "aligned"
    if not masked:
        return 0.0, "placeholder share"
    return sum(len(m) for m in PLACEHOLDER.findall(masked)) / len(masked), "placeholder share"


def _placeholder_name(token: str) -> str:
    return re.sub(r"_\d+\]$", "_n]", token)


def audit_dataset(
    path: str | Path,
    *,
    preset: str = "auto",
    columns: Mapping[str, str] | None = None,
    domain: str | None = None,
    limit: int | None = None,
    examples: int = 3,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> AuditReport:
    """Audit every row of the masked dataset at ``path`` (an OUT_DIR, a Parquet/JSONL/JSON file, or a
    folder of them). ``domain`` forces the domain of every row; else a ``domain`` column (verl's
    ``ability``) names it, else the gold answer's shape does. ``examples``: leaks kept per source."""
    if domain is not None and domain not in DOMAINS:
        raise ValueError(f"unknown domain {domain!r}; choose one of {', '.join(DOMAINS)}")
    source = dataset_files(path)
    warnings = []
    if source != Path(path) and not RunFolder(path).finished:
        warnings.append(f"{path} is an unfinished run (no _SUCCESS): only its finished shards are audited")
    rows = _rows(source, batch_size, limit)
    leading, first = [], None  # the first readable row names the columns; unreadable ones before it wait
    for raw in rows:
        if raw.data is not None:
            first = raw
            break
        leading.append(raw)
    name, paths = resolve_columns(first.data, preset, columns) if first else (preset, {})
    report = AuditReport(str(path), name, warnings=warnings)
    for n, raw in enumerate(itertools.chain(leading, [first] if first else [], rows)):
        if raw.data is None:  # counted, not fatal: the rest of the file is still audited
            group = report.groups.setdefault("(unreadable rows)", GroupAudit("(unreadable rows)", "-"))
            group.rows += 1
            group.unaudited[f"unreadable: {raw.error}"[:80]] += 1
        else:
            _audit_row(report, raw.data, n, paths, domain, examples)
        if progress is not None:
            progress(1)
    return report


def _rows(source: Path, batch_size: int, limit: int | None) -> Iterator[Any]:
    for i, raw in enumerate(read_rows(source, batch_size)):
        if limit is not None and i >= limit:
            return
        yield raw


def _audit_row(
    report: AuditReport,
    row: Mapping[str, Any],
    index: int,
    paths: Mapping[str, tuple[str, ...]],
    domain: str | None,
    keep: int,
) -> None:
    masked = _value(row, paths["masked_trace"])
    answer = _value(row, paths["answer"])
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        answer = str(answer)
    named = str(_value(row, paths.get("domain", ())) or "").lower()
    guessed = guess_domain(answer) if isinstance(answer, str) else DEFAULT_DOMAIN
    row_domain = domain or (named if named in DOMAINS else guessed)
    data_source = row.get("data_source")
    source = data_source if isinstance(data_source, str) else row_domain
    group = report.groups.get(source) or report.groups.setdefault(source, GroupAudit(source, row_domain))
    group.rows += 1
    if not isinstance(masked, str) or not isinstance(answer, str):
        what = "masked_trace" if not isinstance(masked, str) else "answer"
        group.unaudited[f"no {what}"] += 1
        return
    row_id = _value(row, paths.get("id", ()))
    row_id = str(index if row_id is None else row_id)
    trace = _value(row, paths.get("trace", ()))
    spans = _value(row, paths.get("spans", ()))
    trace = trace if isinstance(trace, str) else None
    fraction, measure = masked_fraction(masked, trace, spans if isinstance(spans, list) else None)
    group.add_fraction(fraction, measure)
    found = Counter(_placeholder_name(t) for t in PLACEHOLDER.findall(masked))
    # a bracketed token the original (else the question) already had ("the area [ABC]") is no placeholder
    original = trace or _question(row, paths.get("question", ()))
    if original:
        found -= Counter(_placeholder_name(t) for t in PLACEHOLDER.findall(original))
    group.placeholders.update(found)
    if isinstance(spans, list):
        group.span_kinds.update(str(s.get("kind")) for s in spans if isinstance(s, Mapping))
    for name, pattern in DAMAGE.items():
        if hits := len(pattern.findall(masked)):
            group.damage[name] += hits
    group.damage.update(span_damage(trace, spans, masked))
    if row_domain == "search" and trace is not None and isinstance(spans, list):
        group.damage.update(spans_damage(trace, spans))  # a swallowed quote, merged sentences
    question = _question(row, paths.get("question", ()))
    example = Example(row_id, row_domain, question, trace or masked, answer)
    texts = [masked]
    guided = _value(row, paths.get("guided_prompt", ()))
    if guided is not None:
        shown = shown_guidance(guided, question)
        if shown is None or not masked.startswith(shown):
            group.damage["guided_prompt not the masked trace"] += 1
            texts.append(shown if shown is not None else json.dumps(guided, default=str))
    try:
        findings = [f for text in texts for f in attack_trace(example, text)]
    except (ValueError, TypeError, RecursionError, ArithmeticError) as e:  # RowError is a ValueError
        group.unaudited[f"unauditable: {getattr(e, 'reason', type(e).__name__)}"] += 1
        return
    leak = str(findings[0]) if findings else None
    group.attacks.update({f.attack for f in findings})
    if leak is not None:
        group.leaks += 1
        if len(group.examples) < keep:
            group.examples.append({"id": row_id, "leak": leak})


def _share(counter: Counter[str], total: int | None = None, top: int = 4) -> str:
    items = counter.most_common()
    text = ", ".join(f"{k} {v:,}" for k, v in items[:top])
    if len(items) > top:
        text += f", +{len(items) - top} more"
    return text or "none"


def print_report(report: AuditReport, console: Any) -> None:
    """Print the audit: one two-column table per source (it fits any terminal), then the total."""
    from rich.markup import escape
    from rich.table import Table

    title = f"[bold]smepo-data audit[/] {escape(report.path)} (format: {report.preset})"
    console.print(title, highlight=False)
    for g in report.groups.values():
        table = Table(title=f"{g.name} ({g.domain})", show_header=False, title_justify="left")
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        n = sum(g.fraction_hist)
        measure = ", ".join(g.fraction_measure)
        rows = [
            (
                "rows",
                f"{g.rows:,}"
                + (
                    f" ({sum(g.unaudited.values()):,} not audited: {_share(g.unaudited)})"
                    if g.unaudited
                    else ""
                ),
            ),
            ("leaks", f"{g.leaks:,} of {g.audited:,} audited ({100 * g.leak_rate:.1f}%)"),
            *((f"leak id={e['id']}", e["leak"]) for e in g.examples),
            (
                "masked fraction",
                f"mean {g.fraction_sum / n:.3f}, p50 <= {g.quantile(0.5):.2f}, "
                f"p90 <= {g.quantile(0.9):.2f} (from {measure})"
                if n
                else "-",
            ),
            ("placeholders", _share(g.placeholders, top=6)),
            ("structure damage", _share(g.damage, top=6)),
            ("leaks by attack", _share(g.attacks, top=8)),
        ]
        if g.span_kinds:
            rows.append(("span kinds", _share(g.span_kinds, top=6)))
        for key, value in rows:
            style = "red" if key.startswith("leak") and g.leaks else None
            table.add_row(escape(key), escape(value), style=style)
        console.print(table)
    for warning in report.warnings:
        console.print(f"warning: {warning}", style="bold yellow", highlight=False)
    total, audited = report.leaks, report.audited
    if not audited:
        console.print(
            f"{report.rows:,} rows, none audited (see 'not audited' above): check the column mapping "
            "(--column masked_trace=... --column answer=...) or --format",
            style="bold red",
            highlight=False,
        )
        return
    console.print(
        f"{report.rows:,} rows, {audited:,} audited, {total:,} leaking"
        + (" - no leaks found" if not total else ""),
        style="bold red" if total else "bold green",
        highlight=False,
    )
