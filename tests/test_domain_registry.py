"""The domain registry against what is written about it: the README's level tables name each bundled
domain's levels, in order, with its default marked; a bad spec is refused with a clear error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smepo_data._domains import DOMAINS, span_kinds
from smepo_data.domain_spec import DomainSpec, SpanKind

README = Path(__file__).resolve().parent.parent / "README.md"


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
