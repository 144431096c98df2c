"""The domain registry: names used in pipeline files -> masker, verifier and levels, imported lazily."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from ._leak import Finding
from ._model import Example, Span


class Masker(Protocol):
    def validate(self, example: Example) -> None:
        """Raise ``RowError`` for an example this masker cannot handle."""

    def find_spans(self, example: Example, level: str) -> list[Span]:
        """The spans to hide at ``level``: sorted, non-overlapping, inside ``example.trace``."""

    def repair(
        self, example: Example, spans: list[Span], start: int, end: int, finding: Finding
    ) -> list[Span]:
        """More spans to hide so that ``trace[start:end]`` (what ``finding`` blamed, mapped back to the
        original trace) no longer gives the answer away; ``[]`` when this masker cannot help there (the
        row is then masked again at the next stricter level)."""


class Verifier(Protocol):
    def reward(self, completion: str, answer: str, **row: Any) -> float:
        """1.0 when ``completion`` earns the reward against the gold ``answer`` (as the dataset stores
        it), else 0.0; ``row``: the row's other columns, for a verifier that reads them. The reward of
        ``smepo-train``, of :mod:`smepo_data.rewards` (TRL, verl) and of the evaluation alike."""

    def validate(self, example: Example) -> None:
        """Raise ``RowError`` when the example cannot be audited (its own reference fails)."""

    def wrong_trace(self, example: Example) -> str | None:
        """Why the trace's own final answer disagrees with the gold (a trace that is wrong is no
        guidance), or ``None`` when it agrees or states none the verifier can read."""

    def attacks(self, example: Example, masked: str) -> list[Finding]:
        """Every way the domain's attacks recover the answer from ``masked`` (question and answer from
        ``example``; never the masker's spans): ``[]`` when none does."""

    def leak(self, example: Example, masked: str) -> str | None:
        """The first finding of :meth:`attacks` as text, or ``None``."""


@dataclass(frozen=True, slots=True)
class DomainSpec:
    """How to build a domain. ``levels`` run from least to most strict: a row that still leaks at one
    level is masked again at the next."""

    name: str
    masker: str
    verifier: str
    levels: tuple[str, ...]
    default_level: str
    extra: str


DOMAINS: dict[str, DomainSpec] = {
    "math": DomainSpec(
        "math",
        "smepo_data.math.masker:MathMasker",
        "smepo_data.math.verifier:MathVerifier",
        ("answer", "critical", "all"),
        "critical",
        "math",
    ),
    "code": DomainSpec(
        "code",
        "smepo_data.code.masker:CodeMasker",
        "smepo_data.code.verifier:CodeVerifier",
        ("skeleton", "body", "block"),
        "body",
        "code",
    ),
    "search": DomainSpec(
        "search",
        "smepo_data.search.masker:SearchMasker",
        "smepo_data.search.verifier:SearchVerifier",
        ("answer", "critical", "entities"),
        "critical",
        "search",
    ),
}


if TYPE_CHECKING:  # never run: mypy (./dev check) holds each bundled domain's classes to the protocols
    from .code.masker import CodeMasker
    from .code.verifier import CodeVerifier
    from .math.masker import MathMasker
    from .math.verifier import MathVerifier
    from .search.masker import SearchMasker
    from .search.verifier import SearchVerifier

    _MASKERS: tuple[type[Masker], ...] = (MathMasker, CodeMasker, SearchMasker)
    _VERIFIERS: tuple[type[Verifier], ...] = (MathVerifier, CodeVerifier, SearchVerifier)


@dataclass(frozen=True, slots=True)
class Domain:
    spec: DomainSpec
    masker: Masker
    verifier: Verifier

    def check_level(self, level: str | None) -> str:
        level = level or self.spec.default_level
        if level not in self.spec.levels:
            raise ValueError(
                f"unknown level {level!r} for domain {self.spec.name!r}; "
                f"choose one of {', '.join(self.spec.levels)}"
            )
        return level

    def stricter(self, level: str) -> list[str]:
        """``level`` and every stricter one, in order."""
        return list(self.spec.levels[self.spec.levels.index(level) :])


def _load(path: str, extra: str) -> Any:
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)()
    except ImportError as e:
        raise ImportError(f"{e}. This domain needs an extra: pip install 'smepo[{extra}]'") from e


@cache
def get_domain(name: str) -> Domain:
    """The domain called ``name``, built once per process (models and caches load once)."""
    spec = DOMAINS.get(name)
    if spec is None:
        raise ValueError(f"unknown domain {name!r}; choose one of {', '.join(DOMAINS)}")
    return Domain(spec, _load(spec.masker, spec.extra), _load(spec.verifier, spec.extra))
