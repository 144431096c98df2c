"""Which domain's verifier scores a row: from its ``ability``, else keywords in ``ability`` / ``data_source``,
else (where asked) the gold answer's shape (each domain's ``keywords`` and ``claims``
in the registry). One place for smepo-train's data loader, the audit and
:mod:`smepo_data.rewards`.
"""

from __future__ import annotations

from ._domains import DEFAULT_DOMAIN, DOMAINS


def guess_domain(answer: str) -> str:
    """The domain a gold answer belongs to: the first registered domain whose ``claims`` it (a test spec is
    code, ``{"answers": ...}`` is search), else the default domain."""
    for spec in DOMAINS.values():
        if spec.claims is not None and spec.claims(answer):
            return spec.name
    return DEFAULT_DOMAIN


def domain_from_names(ability: object = None, data_source: object = None) -> str | None:
    """``ability`` when it names a domain, else the first domain whose keywords ``ability`` or
    ``data_source`` contain (``gsm8k`` -> math, ``humaneval`` -> code, ``hotpot`` -> search); None if none."""
    named = str(ability or "").lower()
    if named in DOMAINS:
        return named
    text = f"{named} {str(data_source or '').lower()}"
    for spec in DOMAINS.values():
        if any(w in text for w in spec.keywords):
            return spec.name
    return None
