"""What the recoverability audit reports: a named attack that reached the answer, and where.

Every domain's verifier runs its attacks on ``(question, masked trace, gold answer)`` alone, never on the
masker's spans, so the same attacks judge our output and any other tool's. A :class:`Finding` names the
attack, says in words what gave the answer away and, when it can, points at the offending text in the
masked trace, so the masker can hide exactly that (a repair) instead of escalating a whole level.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a reader recovers the gold answer from a masked trace.

    ``attack`` is the attack's name (``extract``, ``visible_value``, ``equivalent_form``, ``placeholder``,
    ``constraints``, ``replay``, ``elimination``, ``yes_no``, ``title``, ``tests_pass``, ...); ``detail``
    says what gave the answer away; ``start``/``end`` are offsets into the masked text of the text that
    did (``-1`` when no single place is to blame). ``shape``: that text's shape gives the answer away (the
    equations fix its blanks by matching coefficients), so hiding one more of its values cuts nothing.
    """

    attack: str
    detail: str
    start: int = -1
    end: int = -1
    shape: bool = False

    def __str__(self) -> str:
        return f"{self.attack}: {self.detail}"

    @property
    def located(self) -> bool:
        return 0 <= self.start < self.end
