"""Never imported: mypy (``./dev check``) reads it to hold each bundled domain's classes to the protocols of
:mod:`smepo_data.domain_spec` (the registry imports them only by name, which mypy cannot follow)."""

from __future__ import annotations

from .code.masker import CodeMasker
from .code.verifier import CodeVerifier
from .domain_spec import Masker, Verifier
from .math.masker import MathMasker
from .math.verifier import MathVerifier
from .search.masker import SearchMasker
from .search.verifier import SearchVerifier

_MASKERS: tuple[type[Masker], ...] = (MathMasker, CodeMasker, SearchMasker)
_VERIFIERS: tuple[type[Verifier], ...] = (MathVerifier, CodeVerifier, SearchVerifier)
