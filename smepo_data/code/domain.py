"""The code domain's registration: programs in fenced blocks, verified by running the tests in the sandbox."""

from __future__ import annotations

from ..domain_spec import DomainSpec, SpanKind, json_keys
from .presets import PRESETS


def claims(answer: str) -> bool:
    """A test spec (``{"tests": ...}`` or stdin/stdout ``{"inputs": ...}``) is a code answer."""
    return bool({"inputs", "tests"} & json_keys(answer))


SPEC = DomainSpec(
    "code",
    "smepo_data.code.masker:CodeMasker",
    "smepo_data.code.verifier:CodeVerifier",
    {
        "skeleton": "expressions, keeping the control-flow shape",
        "body": "function bodies, keeping imports, signatures, docstrings and comments",
        "block": "whole code blocks",
    },
    "body",
    kinds=(SpanKind("code", "[CODE]", 3, "#a9cdfb"),),
    claims=claims,
    keywords=(
        "code",
        "humaneval",
        "mbpp",
        "apps",
        "taco",
        "leetcode",
        "livecodebench",
        "codeforces",
        "primeintellect",
    ),  # fmt: skip
    presets=PRESETS,
    hub_task="text-generation",
    extra="code",
)
