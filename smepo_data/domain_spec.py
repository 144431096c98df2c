"""What a domain is: a :class:`DomainSpec` (levels, span kinds, answer sniffing, presets, the Hub task and
where its masker and verifier live) and the :class:`Masker` / :class:`Verifier` protocols they follow.

A domain package builds one ``DomainSpec`` and registers it: the bundled ones are listed in
:mod:`smepo_data._domains`, a third-party one through the ``smepo.domains`` entry point group (see
ARCHITECTURE.md, "Add a domain"). Everything else (the CLI's choices, the dataset card, the report's colours,
the renderer's placeholders, the trainer's rewards) reads the registry.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ._leak import Finding
from ._model import Example, Span

if TYPE_CHECKING:
    from .io.presets import Preset


class Masker(Protocol):
    """A domain's masker. Optional: ``may_show_again(span) -> bool``, which spans a repair added are tried
    visible again once the row is clean (kept visible when the attacks then find nothing; one more attack
    pass each); ``tidy(example, spans) -> spans``, the spans after each round of repairs as the masker
    would write them (two blanks side by side made one)."""

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


@runtime_checkable
class GradedVerifier(Verifier, Protocol):
    """A verifier that also gives partial credit (search: token F1): what
    :func:`smepo_data.rewards.search_f1` and smepo-train's ``search_f1`` reward read. A domain whose verifier
    has no ``partial_reward`` scores 0.0 there."""

    def partial_reward(self, completion: str, answer: str) -> float:
        """A graded reward in [0, 1] of ``completion`` against the gold ``answer``."""


_NAME = re.compile(r"[a-z][a-z0-9_]*")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class SpanKind:
    """A kind of hidden span: ``tag`` is what ``Span.kind`` says, ``placeholder`` what the ``typed`` style
    renders it as, ``colour`` its highlight in the report (``None``: the report's grey), ``strength`` which
    kind a fused span keeps when spans of two kinds overlap (the higher)."""

    tag: str
    placeholder: str
    strength: int
    colour: str | None = None

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.tag):
            raise ValueError(f"span kind tag {self.tag!r}: lower-case letters, digits and '_'")
        if not (self.placeholder.startswith("[") and self.placeholder.endswith("]")):
            raise ValueError(f"span kind {self.tag!r}: placeholder {self.placeholder!r} is not '[...]'")
        if self.colour is not None and not _COLOUR.fullmatch(self.colour):
            raise ValueError(f"span kind {self.tag!r}: colour {self.colour!r} is not '#rrggbb'")


#: the kinds the renderer knows: it disguises an answer as a number, an expression or an entity
ANSWER = SpanKind("answer", "[ANSWER]", 4, "#f8b4b4")
NUMBER = SpanKind("number", "[NUMBER]", 1, "#fcd98a")
EXPRESSION = SpanKind("expression", "[EXPR]", 2, "#d6c4fb")
ENTITY = SpanKind("entity", "[ENTITY]", 3, "#9fe3b5")
#: the kinds every domain may use without declaring them
CORE_KINDS = (ANSWER, NUMBER, EXPRESSION)


@dataclass(frozen=True, slots=True)
class DomainSpec:
    """Everything about one domain.

    ``masker`` / ``verifier``: ``"module:Class"``, imported (and built once per process) on first use, so
    listing domains costs no heavy import. ``levels``: level -> what it hides (the dataset card and the
    README say it), least to most strict: a row that still leaks at one level is masked again at the next.
    ``kinds``: the span kinds its masker emits beyond :data:`CORE_KINDS`. ``claims(answer)``: whether a gold
    answer has this domain's shape (a row named by nothing else goes to the first domain that claims it,
    else to the default domain). ``keywords``: words in a row's ``ability`` / ``data_source`` that name
    this domain (``humaneval`` -> code). ``presets``: input schemas (``--format NAME``) reading into it
    (a domain package keeps them in its ``presets.py``). ``column_base``: the preset whose gold reading and
    derived fields a column mapping (or a preset of another domain read into this one) takes for the fields
    it does not name (math: ``"math"``, the last ``\\boxed{}`` as the answer; ``None``: none).
    ``hub_task``: the Hub task category of its datasets. ``metrics``: reward functions (names smepo-train
    knows, or ``module:function``) that smepo-eval reports beside the verifier's reward, weight 0, for a
    dataset with rows of this domain (search: ``search_f1``). ``extra``: the ``smepo[...]`` extra its masker
    and verifier need (``None``: nothing beyond what the domain's own package requires). ``damage(trace,
    spans)``: the domain's own structure-damage check of a row's spans (dicts with ``start`` and ``end``,
    as written), damage kind -> count, which the audit adds to the damage every domain gets (search: a
    swallowed quote, merged sentences); it reads the original and the spans only, never a masker decision."""

    name: str
    masker: str
    verifier: str
    levels: Mapping[str, str]
    default_level: str
    kinds: tuple[SpanKind, ...] = ()
    claims: Callable[[str], bool] | None = None
    keywords: tuple[str, ...] = ()
    presets: Mapping[str, Preset] = field(default_factory=dict)
    column_base: str | None = None
    hub_task: str = "text-generation"
    metrics: tuple[str, ...] = ()
    extra: str | None = None
    damage: Callable[[str, Sequence[Any]], Counter[str]] | None = None

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"domain name {self.name!r}: lower-case letters, digits and '_'")
        for what, path in (("masker", self.masker), ("verifier", self.verifier)):
            if not re.fullmatch(r"[\w.]+:\w+", path):
                raise ValueError(f"domain {self.name!r}: {what} {path!r} is not 'module:Class'")
        if not self.levels:
            raise ValueError(f"domain {self.name!r} has no levels")
        if self.default_level not in self.levels:
            raise ValueError(
                f"domain {self.name!r}: default level {self.default_level!r} is not one of "
                f"{', '.join(self.levels)}"
            )
        for name, preset in self.presets.items():
            if preset.domain != self.name or preset.name != name:
                raise ValueError(
                    f"domain {self.name!r}: preset {name!r} is named {preset.name!r} and reads into "
                    f"domain {preset.domain!r}"
                )
        if self.column_base is not None and self.column_base not in self.presets:
            raise ValueError(
                f"domain {self.name!r}: column_base {self.column_base!r} is not one of its presets "
                f"({', '.join(self.presets) or 'none'})"
            )


def json_keys(answer: str) -> set[str]:
    """The keys of ``answer`` when it is a JSON object, else none: what ``claims`` of a domain whose gold
    answers are JSON objects looks at."""
    text = answer.strip()
    if not text.startswith("{"):
        return set()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return set()
    return set(data) if isinstance(data, dict) else set()
