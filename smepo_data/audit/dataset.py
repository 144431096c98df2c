"""The dataset walk: every row of a masked dataset read, attacked by its domain's verifier and measured,
summed per source into an :class:`AuditReport`."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._api import attack_trace
from .._domains import DEFAULT_DOMAIN, DOMAINS
from .._model import Example
from .._runfolder import RunFolder
from ..guidance import shown_guidance
from ..io.readers import read_rows
from ..row_domain import guess_domain
from ..stats import BINS
from .columns import field_value, resolve_columns, row_question
from .damage import structure_damage
from .measure import masked_fraction, new_placeholders


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
    masked = field_value(row, paths["masked_trace"])
    answer = field_value(row, paths["answer"])
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        answer = str(answer)
    named = str(field_value(row, paths.get("domain", ())) or "").lower()
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
    row_id = field_value(row, paths.get("id", ()))
    row_id = str(index if row_id is None else row_id)
    trace = field_value(row, paths.get("trace", ()))
    spans = field_value(row, paths.get("spans", ()))
    trace = trace if isinstance(trace, str) else None
    fraction, measure = masked_fraction(masked, trace, spans if isinstance(spans, list) else None)
    group.add_fraction(fraction, measure)
    question = row_question(row, paths.get("question", ()))
    group.placeholders.update(new_placeholders(masked, trace or question))
    if isinstance(spans, list):
        group.span_kinds.update(str(s.get("kind")) for s in spans if isinstance(s, Mapping))
    group.damage.update(structure_damage(masked, trace, spans))
    own_damage = DOMAINS[row_domain].damage if row_domain in DOMAINS else None
    if own_damage is not None and trace is not None and isinstance(spans, list):
        group.damage.update(own_damage(trace, spans))  # the domain's own check (search: swallowed quotes)
    example = Example(row_id, row_domain, question, trace or masked, answer)
    texts = [masked]
    guided = field_value(row, paths.get("guided_prompt", ()))
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
    group.attacks.update(sorted({f.attack for f in findings}))  # a set iterates in hash order
    if leak is not None:
        group.leaks += 1
        if len(group.examples) < keep:
            group.examples.append({"id": row_id, "leak": leak})
