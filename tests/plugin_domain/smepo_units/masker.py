"""The units masker: numbers of the trace, by level (the answer's value; plus conversion factors; all)."""

from __future__ import annotations

import re

from smepo_data._leak import Finding
from smepo_data._model import Example, RowError, Span

from .verifier import quantity

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")
#: a conversion factor: the number after a multiplication or division sign
FACTOR = re.compile(r"[*/x\u00d7]\s*(\d+(?:\.\d+)?)")


class UnitsMasker:
    def validate(self, example: Example) -> None:
        if quantity(example.answer) is None:
            raise RowError("unparsable_answer", f"{example.answer!r} is not a quantity")

    def find_spans(self, example: Example, level: str) -> list[Span]:
        gold = quantity(example.answer)
        assert gold is not None  # validate() ran
        spans = {}
        for m in NUMBER.finditer(example.trace):
            if float(m.group(0)) == gold[0]:
                spans[m.start()] = Span(m.start(), m.end(), "answer", "equals the answer", m.group(0))
            elif level == "all":
                spans[m.start()] = Span(m.start(), m.end(), "number", "a number", m.group(0))
        if level in ("factors", "all"):
            for m in FACTOR.finditer(example.trace):
                spans.setdefault(m.start(1), Span(m.start(1), m.end(1), "factor", "a conversion factor",
                                                  m.group(1)))  # fmt: skip
        return [spans[k] for k in sorted(spans)]

    def repair(
        self, example: Example, spans: list[Span], start: int, end: int, finding: Finding
    ) -> list[Span]:
        return [Span(start, end, "answer", f"repair: {finding.attack}", example.trace[start:end])]
