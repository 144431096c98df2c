"""The exact rational type every math module computes with: the standard library's ``fractions.Fraction``.

Every module imports ``Fraction`` from here (a test holds it), so the ``type(v) is Fraction`` fast paths see
one type, and a faster drop-in can be tried in one place. quicktions' compiled ``Fraction`` was tried (the
twenty-first session): masking ran 1.2x faster on MATH-500 with the same output, but after masking one row
in a process, reading a 3 MB gzip file in that process failed (``EOFError``) and torch checkpoints no longer
loaded (``Trying to resize storage that is not resizable``); with quicktions blocked, both work. Not kept.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["Fraction"]
