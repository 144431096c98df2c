"""The domain registry against what is written about it: the README's level tables name each bundled
domain's levels, in order, with its default marked; a bad spec is refused with a clear error; each domain
holds its own presets, and the generic preset machinery in io/ names no domain."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from smepo_data._domains import DOMAINS, all_presets, span_kinds
from smepo_data.domain_spec import DomainSpec, SpanKind

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def readme_levels(domain: str) -> list[str]:
    """The rows of the first table under '### Levels (DOMAIN)': '`name`' plus ' (default)' where marked."""
    text = README.read_text()
    section = text.split(f"### Levels ({domain})", 1)[1]
    table = re.search(r"\| level \| hides \|\n\|---\|---\|\n((?:\|.*\n)+)", section)
    assert table, f"no levels table under 'Levels ({domain})'"
    return [line.split("|")[1].strip() for line in table.group(1).splitlines()]


@pytest.mark.parametrize("name", ["math", "code", "search"])
def test_readme_level_tables_match_the_registry(name):
    spec = DOMAINS[name]
    expected = [f"`{lv}` (default)" if lv == spec.default_level else f"`{lv}`" for lv in spec.levels]
    assert readme_levels(name) == expected


def test_span_kinds_are_consistent_and_coloured_in_legend_order():
    kinds = span_kinds()
    assert [t for t, k in kinds.items() if k.colour] == ["answer", "number", "expression", "code", "entity"]
    assert kinds["figure"].strength > kinds["answer"].strength > kinds["number"].strength


def test_a_bad_spec_is_refused_clearly():
    with pytest.raises(ValueError, match="default level 'x' is not one of a"):
        DomainSpec("d", "m:M", "m:V", {"a": "all"}, "x")
    with pytest.raises(ValueError, match="is not 'module:Class'"):
        DomainSpec("d", "m.M", "m:V", {"a": "all"}, "a")
    with pytest.raises(ValueError, match="colour 'red'"):
        SpanKind("k", "[K]", 1, "red")
    with pytest.raises(ValueError, match="column_base 'p' is not one of its presets"):
        DomainSpec("d", "m:M", "m:V", {"a": "all"}, "a", column_base="p")


def test_presets_live_in_their_domain_packages_in_cli_order():
    assert list(all_presets()) == [
        *("gsm8k", "math", "smepo", "humaneval", "mbpp", "smepo_code"),
        *("hotpotqa", "searchr1", "react", "ircot"),
    ]
    for name in ("math", "code", "search"):
        presets = DOMAINS[name].presets
        assert presets and all(p.domain == name for p in presets.values())
        for preset in presets.values():  # what a preset runs is its own domain's code, or the generic io
            own = (f"smepo_data.{name}.presets", f"smepo_data.{name}._sources", "smepo_data.io.presets")
            for fn in [*preset.derive.values(), *preset.meta.values(), preset.gold, preset.guess]:
                assert fn is None or fn.__module__ in own, (preset.name, fn)


def test_io_imports_no_domain_package():
    domains = tuple(f"smepo_data.{name}" for name in DOMAINS if (ROOT / "smepo_data" / name).is_dir())
    for path in sorted((ROOT / "smepo_data" / "io").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = {0: "", 1: "smepo_data.io", 2: "smepo_data"}[node.level]
                module = ".".join(part for part in (base, node.module) if part)
                assert not module.startswith(domains), f"{path.name} imports {module}"
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith(domains) for a in node.names), path.name
