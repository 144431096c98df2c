"""The exact rational type every math module computes with.

``quicktions.Fraction`` (a compiled drop-in for :class:`fractions.Fraction`: the same values, operations,
hashes and errors) when it is installed, else the standard library's. The solver and the attacks spend a
fifth of their time in rational arithmetic; with quicktions the masking of MATH-500 runs ~1.2x faster and
writes the same bytes (``benchmarks/throughput.py``). Every module imports ``Fraction`` from here, so the
``type(v) is Fraction`` fast paths see one type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # quicktions ships no type information; it mirrors fractions.Fraction
    from fractions import Fraction
else:
    try:
        from quicktions import Fraction
    except ImportError:  # pragma: no cover - the math extra installs it
        from fractions import Fraction

__all__ = ["Fraction"]
