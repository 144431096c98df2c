"""A third-party smepo domain: unit conversions ("How many m in 3 km?" -> ``3000 m``).

It lives outside smepo_data and smepo_train and registers through the ``smepo.domains`` entry point (see
pyproject.toml); the tests put it on the path and prove that mask, audit, report, publish, smepo-eval and a
trainer step work for it with no edit inside the packages.
"""

from __future__ import annotations

import re

from smepo_data.domain_spec import DomainSpec, SpanKind

from .presets import PRESETS

#: a quantity: a number and a unit word
QUANTITY = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)\b")


def claims(answer: str) -> bool:
    """A gold answer that is exactly a quantity (``3000 m``) is a unit conversion."""
    return QUANTITY.fullmatch(answer.strip()) is not None


SPEC = DomainSpec(
    "units",
    "smepo_units.masker:UnitsMasker",
    "smepo_units.verifier:UnitsVerifier",
    {
        "answer": "the final quantity and every number equal to its value",
        "factors": "the answer plus every conversion factor",
        "all": "every number in the trace",
    },
    "factors",
    kinds=(SpanKind("factor", "[FACTOR]", 2, "#c7e9f1"),),
    claims=claims,
    keywords=("units", "conversion"),
    presets=PRESETS,
    hub_task="question-answering",
)
