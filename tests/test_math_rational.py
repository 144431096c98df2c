"""One rational type for the math domain (``smepo_data.math._rational``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_math_module_takes_fraction_from_rational():
    """A module importing a Fraction type of its own would make values of two types, and the ``type(v) is
    Fraction`` fast paths would take the slow (inexact) branch for one of them."""
    stray = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "smepo_data").rglob("*.py"))
        if p.name != "_rational.py"
        and re.search(
            r"^\s*(?:from (?:fractions|quicktions) import|import (?:fractions|quicktions))",
            p.read_text(encoding="utf-8"),
            re.M,
        )
    ]
    assert stray == []


def test_the_rational_type_is_the_standard_library_s():
    import fractions

    from smepo_data.math._rational import Fraction

    assert Fraction is fractions.Fraction
