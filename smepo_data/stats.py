"""Run statistics: counted per row, mergeable across shards, written as ``stats.json``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ._model import repaired_by

BINS = 20  # masked-fraction histogram: [0, 0.05), [0.05, 0.1), ..., [0.95, 1.0]
#: masked fractions are summed in these units, as integers: a float sum would depend on how the rows
#: were cut into shards, and the stats must not
_UNIT = 10**9


def _exact(fraction: float) -> int:
    return round(fraction * _UNIT)


@dataclass
class Stats:
    rows_in: int = 0
    rows_out: int = 0
    rows_rejected: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    span_kinds: Counter[str] = field(default_factory=Counter)
    levels: Counter[str] = field(default_factory=Counter)
    escalations: Counter[str] = field(default_factory=Counter)
    #: spans the masker added to repair what the recoverability audit found, by attack
    repairs: Counter[str] = field(default_factory=Counter)
    #: rows with at least one repair
    rows_repaired: int = 0
    #: traces written although their own answer is not the gold (``--keep-wrong-traces``)
    wrong_traces_kept: int = 0
    #: written rows whose id an other written row has too (ids are written as the input gives them), and
    #: the first few such ids in sorted order; counted over the whole run once its shards are merged
    duplicate_ids: int = 0
    duplicate_id_examples: list[str] = field(default_factory=list)
    fraction_hist: list[int] = field(default_factory=lambda: [0] * BINS)
    #: the masked fractions' sum, in units of 1e-9 (see ``_UNIT``)
    fraction_sum: int = 0
    chars_in: int = 0
    #: time the shards took, summed over shards (worker time)
    seconds: float = 0.0
    #: rows masked by the last invocation of the run and its wall time (a resumed run did fewer rows)
    rows_run: int = 0
    wall_seconds: float = 0.0

    def add_output(self, row: dict[str, Any]) -> None:
        """Count one written row (a row of the output schema)."""
        self.rows_in += 1
        self.rows_out += 1
        self.chars_in += len(row["trace"])
        self.span_kinds.update(s["kind"] for s in row["spans"])
        self.levels[row["mask_level"]] += 1
        if row["mask_level"] != row["requested_level"]:
            self.escalations[f"{row['requested_level']}->{row['mask_level']}"] += 1
        repairs = [a for s in row["spans"] if (a := repaired_by(s["reason"]))]
        self.repairs.update(repairs)
        self.rows_repaired += bool(repairs)
        self.wrong_traces_kept += row.get("wrong_trace") is not None
        fraction = row["masked_fraction"]
        self.fraction_hist[min(int(fraction * BINS), BINS - 1)] += 1
        self.fraction_sum += _exact(fraction)

    def add_reject(self, reason: str) -> None:
        self.rows_in += 1
        self.rows_rejected += 1
        self.rejects[reason] += 1

    def merge(self, other: Stats) -> Stats:
        for name in (
            "rows_in",
            "rows_out",
            "rows_rejected",
            "fraction_sum",
            "chars_in",
            "seconds",
            "rows_repaired",
            "wrong_traces_kept",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("rejects", "span_kinds", "levels", "escalations", "repairs"):
            getattr(self, name).update(getattr(other, name))
        self.fraction_hist = [a + b for a, b in zip(self.fraction_hist, other.fraction_hist, strict=True)]
        return self

    def quantile(self, q: float) -> float:
        """Approximate quantile of the masked fraction (upper edge of the histogram bin)."""
        target, seen = q * self.rows_out, 0
        for i, n in enumerate(self.fraction_hist):
            seen += n
            if n and seen >= target:
                return (i + 1) / BINS
        return 0.0

    @property
    def leaks_caught(self) -> int:
        """Rows the audit caught leaking: fixed by a stricter level, or rejected."""
        return sum(self.escalations.values()) + self.rejects.get("leak", 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_rejected": self.rows_rejected,
            "rows_accounted": self.rows_in == self.rows_out + self.rows_rejected,
            "reject_reasons": dict(sorted(self.rejects.items())),
            "span_kinds": dict(sorted(self.span_kinds.items())),
            "spans_total": sum(self.span_kinds.values()),
            "levels_applied": dict(sorted(self.levels.items())),
            "leaks_caught": {
                "total": self.leaks_caught,
                "escalated": dict(sorted(self.escalations.items())),
                "rejected": self.rejects.get("leak", 0),
            },
            "repairs": {"rows": self.rows_repaired, "by_attack": dict(sorted(self.repairs.items()))},
            "wrong_traces_kept": self.wrong_traces_kept,
            "duplicate_ids": {"rows": self.duplicate_ids, "examples": self.duplicate_id_examples},
            "masked_fraction": {
                "mean": round(self.fraction_sum / _UNIT / self.rows_out, 4) if self.rows_out else 0.0,
                "sum": self.fraction_sum / _UNIT,
                "p50": self.quantile(0.5),
                "p90": self.quantile(0.9),
                "histogram": {"bin_width": 1 / BINS, "counts": self.fraction_hist},
            },
            "chars_in": self.chars_in,
            "throughput": {
                "rows_per_s": round(self.rows_run / self.wall_seconds, 1) if self.wall_seconds else None,
                "wall_seconds": round(self.wall_seconds, 3),
                "rows_this_run": self.rows_run,
                "worker_seconds": round(self.seconds, 3),
                "rows_per_worker_s": round(self.rows_in / self.seconds, 1) if self.seconds else None,
                "chars_per_worker_s": round(self.chars_in / self.seconds, 1) if self.seconds else None,
            },
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Stats:
        return cls(
            rows_in=d["rows_in"],
            rows_out=d["rows_out"],
            rows_rejected=d["rows_rejected"],
            rejects=Counter(d["reject_reasons"]),
            span_kinds=Counter(d["span_kinds"]),
            levels=Counter(d["levels_applied"]),
            escalations=Counter(d["leaks_caught"]["escalated"]),
            fraction_hist=list(d["masked_fraction"]["histogram"]["counts"]),
            fraction_sum=_exact(d["masked_fraction"]["sum"]),
            repairs=Counter(d.get("repairs", {}).get("by_attack", {})),
            rows_repaired=d.get("repairs", {}).get("rows", 0),
            wrong_traces_kept=d.get("wrong_traces_kept", 0),
            duplicate_ids=d.get("duplicate_ids", {}).get("rows", 0),
            duplicate_id_examples=list(d.get("duplicate_ids", {}).get("examples", [])),
            chars_in=d["chars_in"],
            seconds=d["throughput"]["worker_seconds"],
        )
