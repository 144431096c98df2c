"""The math domain's registration: GSM8K / MATH-style worked solutions, verified with math-verify."""

from __future__ import annotations

from ..domain_spec import DomainSpec, SpanKind
from ._damage import spans_damage
from .presets import PRESETS

SPEC = DomainSpec(
    "math",
    "smepo_data.math.masker:MathMasker",
    "smepo_data.math.verifier:MathVerifier",
    {
        "answer": "the final answer and every span equal to it, in any form sympy agrees with, plus an "
        "operand of each step a calculator could replay into it",
        "critical": "the answer plus the values derived on the critical path, and one operand (a copy of a "
        "question value first) of each step whose result is hidden, so no visible-only computation "
        "reaches the answer; step labels, variable indices, exponents and constants of formulas stay",
        "all": "every value in the trace; exponents, labels, indices and formula constants stay",
    },
    "critical",
    kinds=(SpanKind("figure", "[FIGURE]", 5),),
    keywords=("math", "gsm8k", "aime", "amc", "olympiad", "numina", "dapo", "deepscaler"),
    presets=PRESETS,
    column_base="math",
    hub_task="text-generation",
    extra="math",
    damage=spans_damage,
)
