"""The units verifier: a completion earns the reward when its last quantity equals the gold one (the same
unit, the value within 1e-9 relative)."""

from __future__ import annotations

import math
from typing import Any

from smepo_data._leak import Finding
from smepo_data._model import Example, RowError

from . import QUANTITY


def quantity(text: str) -> tuple[float, str] | None:
    """The last quantity in ``text``: (value, unit), or None."""
    found = list(QUANTITY.finditer(text))
    if not found:
        return None
    return float(found[-1].group(1)), found[-1].group(2).lower()


def same(a: tuple[float, str] | None, b: tuple[float, str] | None) -> bool:
    return a is not None and b is not None and a[1] == b[1] and math.isclose(a[0], b[0], rel_tol=1e-9)


class UnitsVerifier:
    def reward(self, completion: str, answer: str, **row: Any) -> float:
        return 1.0 if same(quantity(completion), quantity(answer)) else 0.0

    def validate(self, example: Example) -> None:
        if quantity(example.answer) is None:
            raise RowError("unparsable_answer", f"{example.answer!r} is not a quantity")

    def wrong_trace(self, example: Example) -> str | None:
        stated = quantity(example.trace)
        if stated is None or same(stated, quantity(example.answer)):
            return None
        return f"the trace ends with {stated[0]:g} {stated[1]}, the gold is {example.answer}"

    def attacks(self, example: Example, masked: str) -> list[Finding]:
        gold = quantity(example.answer)
        return [
            Finding("visible_value", f"{m.group(0)!r} is the answer", m.start(), m.end())
            for m in QUANTITY.finditer(masked)
            if same((float(m.group(1)), m.group(2).lower()), gold)
        ]

    def leak(self, example: Example, masked: str) -> str | None:
        found = self.attacks(example, masked)
        return str(found[0]) if found else None
