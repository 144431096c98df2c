"""Which program a text answers with: what the reward runs for a completion and the audit runs for a
masked trace."""

from __future__ import annotations

import textwrap

from ._blocks import find_code


def programs(text: str, language: str = "python") -> list[str]:
    """Candidate programs in ``text``, the likeliest first: the last code block in ``language`` (or
    with no tag), then all such blocks joined in order (a solution split over several blocks)."""
    blocks = [b for b in find_code(text) if b.kind != "inline" and b.language in (language, None)]
    codes = [
        textwrap.dedent(text[b.code_start : b.code_end])
        if b.kind == "indented"
        else text[b.code_start : b.code_end]
        for b in blocks
    ]
    codes = [c for c in codes if c.strip()]
    if not codes:
        return []
    out = [codes[-1]]
    if len(codes) > 1:
        out.append("\n\n".join(codes))
    return out
