"""The search domain's registration: multi-hop QA traces (Search-R1, ReAct, IRCoT), exact-match verified."""

from __future__ import annotations

from ..domain_spec import ENTITY, DomainSpec, json_keys
from ._damage import spans_damage
from .presets import PRESETS


def claims(answer: str) -> bool:
    """``{"answers": [...]}`` (or ``answer`` / ``target``) is a search answer."""
    return bool({"answers", "answer", "target"} & json_keys(answer))


SPEC = DomainSpec(
    "search",
    "smepo_data.search.masker:SearchMasker",
    "smepo_data.search.verifier:SearchVerifier",
    {
        "answer": "the answer and its aliases",
        "critical": "the answer plus the bridge entities and answer-typed facts found along the way, also "
        "inside later search queries",
        "entities": "every named entity not in the question",
    },
    "critical",
    kinds=(ENTITY,),
    claims=claims,
    keywords=("search", "qa", "hotpot", "nq", "trivia", "musique", "2wiki", "popqa", "bamboogle", "fact"),
    presets=PRESETS,
    hub_task="question-answering",
    metrics=("search_f1",),
    extra="search",
    damage=spans_damage,
)
