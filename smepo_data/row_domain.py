"""Which domain's verifier scores a row: from its ``ability``, else keywords in ``ability`` / ``data_source``,
else (where asked) the gold answer's shape. One place for smepo-train's data loader, the audit and
:mod:`smepo_data.rewards`.
"""

from __future__ import annotations

import json

from ._domains import DOMAINS

#: keywords in ``ability`` / ``data_source`` -> domain, for rows whose ``ability`` is not a domain name
DOMAIN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "math": ("math", "gsm8k", "aime", "amc", "olympiad", "numina", "dapo", "deepscaler"),
    "code": (
        "code",
        "humaneval",
        "mbpp",
        "apps",
        "taco",
        "leetcode",
        "livecodebench",
        "codeforces",
        "primeintellect",
    ),
    "search": ("search", "qa", "hotpot", "nq", "trivia", "musique", "2wiki", "popqa", "bamboogle", "fact"),
}


def guess_domain(answer: str) -> str:
    """The domain a gold answer belongs to: test specs are code, ``{"answers": ...}`` is search."""
    text = answer.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return "math"
        if isinstance(data, dict) and ({"inputs", "tests"} & set(data)):
            return "code"
        if isinstance(data, dict) and ({"answers", "answer", "target"} & set(data)):
            return "search"
    return "math"


def domain_from_names(ability: object = None, data_source: object = None) -> str | None:
    """``ability`` when it names a domain, else the first domain whose keywords ``ability`` or
    ``data_source`` contain (``gsm8k`` -> math, ``humaneval`` -> code, ``hotpot`` -> search); None if none."""
    named = str(ability or "").lower()
    if named in DOMAINS:
        return named
    text = f"{named} {str(data_source or '').lower()}"
    for domain, words in DOMAIN_KEYWORDS.items():
        if any(w in text for w in words):
            return domain
    return None
