"""The domain registry: every :class:`~smepo_data.domain_spec.DomainSpec`, the bundled ones and those other
packages register through the ``smepo.domains`` entry point group; maskers and verifiers imported lazily.
The input schemas are read from it too: a preset by name, guessed from a row, or built from a column
mapping."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from .domain_spec import CORE_KINDS, DomainSpec, Masker, SpanKind, Verifier
from .io.presets import FIELDS, Preset

#: the entry point group a third-party domain registers its ``DomainSpec`` in
ENTRY_POINT_GROUP = "smepo.domains"
#: the bundled domains' specs (``module:NAME``), in the order the CLI lists them
BUNDLED = ("smepo_data.math.domain:SPEC", "smepo_data.code.domain:SPEC", "smepo_data.search.domain:SPEC")
#: the domain of a row nothing names and no domain claims (a bare answer: a number or an expression)
DEFAULT_DOMAIN = "math"


def _object(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@cache
def domain_specs() -> dict[str, DomainSpec]:
    """Every registered domain by name: the bundled ones, then the entry points' (sorted by name)."""
    found: dict[str, tuple[DomainSpec, str]] = {}
    registered = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.name, ep.value))
    for where, load in [
        *((path, lambda path=path: _object(path)) for path in BUNDLED),
        *((f"entry point {ep.name} = {ep.value}", ep.load) for ep in registered),
    ]:
        try:
            spec = load()
        except Exception as e:
            raise ImportError(f"{ENTRY_POINT_GROUP}: cannot load {where}: {e}") from e
        if not isinstance(spec, DomainSpec):
            raise TypeError(f"{ENTRY_POINT_GROUP}: {where} is a {type(spec).__name__}, not a DomainSpec")
        if spec.name in found:
            raise ValueError(f"{ENTRY_POINT_GROUP}: domain {spec.name!r} from {where} is already registered "
                             f"by {found[spec.name][1]}")  # fmt: skip
        found[spec.name] = (spec, where)
    return {name: spec for name, (spec, _) in found.items()}


class _Registry(Mapping[str, DomainSpec]):
    """The registry as a read-only mapping, filled on first use (so importing smepo_data loads no plugin)."""

    def __getitem__(self, name: str) -> DomainSpec:
        return domain_specs()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(domain_specs())

    def __len__(self) -> int:
        return len(domain_specs())

    def __repr__(self) -> str:
        return f"DOMAINS({', '.join(self)})"


DOMAINS: Mapping[str, DomainSpec] = _Registry()


def domain_spec(name: str) -> DomainSpec:
    """The spec of the domain called ``name``; ``ValueError`` naming the choices when there is none."""
    spec = domain_specs().get(name)
    if spec is None:
        raise ValueError(f"unknown domain {name!r}; choose one of {', '.join(domain_specs())}")
    return spec


@cache
def span_kinds() -> dict[str, SpanKind]:
    """Every span kind by tag: the core ones, then each domain's in registry order. Two domains declaring
    one tag must declare the same kind."""
    kinds = {k.tag: k for k in CORE_KINDS}
    for spec in domain_specs().values():
        for kind in spec.kinds:
            if kinds.setdefault(kind.tag, kind) != kind:
                raise ValueError(f"domain {spec.name!r} declares span kind {kind} but {kinds[kind.tag]} is "
                                 "registered already")  # fmt: skip
    return kinds


@cache
def all_presets() -> dict[str, Preset]:
    """Every input schema (``--format NAME``) of every registered domain."""
    found: dict[str, Preset] = {}
    for spec in domain_specs().values():
        for name, preset in spec.presets.items():
            if name in found:
                raise ValueError(f"preset {name!r} of domain {spec.name!r} is registered already by domain "
                                 f"{found[name].domain!r}")  # fmt: skip
            found[name] = preset
    return found


def find_preset(name: str) -> Preset:
    """The preset called ``name``; ``ValueError`` naming the choices when there is none."""
    presets = all_presets()
    if name not in presets:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(presets)}, or map columns")
    return presets[name]


def guess_preset(row: Mapping[str, Any]) -> str | None:
    """The preset whose columns this row has, or ``None``: each preset's ``guess``, tried by
    ``guess_order``, then in registry order."""
    tried = sorted((p for p in all_presets().values() if p.guess is not None), key=lambda p: p.guess_order)
    return next((p.name for p in tried if p.guess is not None and p.guess(row)), None)


def _column_base(domain: str) -> Preset | None:
    """The preset whose gold reading ``domain``'s column mappings share; ``ValueError`` for no such domain."""
    spec = domain_spec(domain)
    return spec.presets[spec.column_base] if spec.column_base is not None else None


def column_preset(mapping: Mapping[str, str], domain: str) -> Preset:
    """A preset from a user's column mapping, e.g. ``{"question": "prompt", "trace": "solution", ...}``,
    reading into ``domain``: its ``column_base`` preset gives the gold reading, and the fields the mapping
    leaves out when it can derive all of them (math: the answer, the last ``\\boxed{}``)."""
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ValueError(
            f"unknown field(s) {sorted(unknown)} in the column mapping; fields are {', '.join(FIELDS)}"
        )
    missing = {"question", "trace", "answer"} - set(mapping)
    base = _column_base(domain)
    derive = dict(base.derive) if base is not None and missing and missing <= set(base.derive) else {}
    if missing - set(derive):
        raise ValueError(f"the column mapping must name {', '.join(sorted(missing - set(derive)))}")
    cols = {k: (v,) for k, v in mapping.items()}
    gold = base.gold if base is not None else None
    return Preset("columns", domain, cols, derive, description="user column mapping", gold=gold)


def preset_into(preset: Preset, domain: str | None) -> Preset:
    """``preset`` reading into ``domain`` (``None``: its own): its examples are of that domain and their gold
    is read the way that domain's column mapping reads it."""
    if domain is None or domain == preset.domain:
        return preset
    base = _column_base(domain)
    return replace(preset, domain=domain, gold=base.gold if base is not None else None)


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
        levels = list(self.spec.levels)
        return levels[levels.index(level) :]


def _load(path: str, extra: str | None) -> Any:
    try:
        return _object(path)()
    except ImportError as e:
        if extra is None:
            raise
        raise ImportError(f"{e}. This domain needs an extra: pip install 'smepo[{extra}]'") from e


@cache
def get_domain(name: str) -> Domain:
    """The domain called ``name``, built once per process (models and caches load once)."""
    spec = domain_spec(name)
    return Domain(spec, _load(spec.masker, spec.extra), _load(spec.verifier, spec.extra))
