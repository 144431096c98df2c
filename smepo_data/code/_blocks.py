"""Find the code in a trace: fenced blocks (``` and ~~~, tagged or not, unterminated), indented blocks and
inline code spans, each with its language (from the fence tag, else detected by parsing)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*?)[ \t]*$", re.M)
_INLINE = re.compile(r"(?<!`)(?P<ticks>`{1,2})(?!`)(?P<code>[^\n]+?)(?<!`)(?P=ticks)(?!`)")
_INDENTED_LINE = re.compile(r"^(?: {4}|\t)")

#: fence tags -> language
TAGS = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "py3": "python",
    "ipython": "python",
    "cpp": "cpp",
    "c++": "cpp",
    "cc": "cpp",
    "cxx": "cpp",
    "hpp": "cpp",
    "c": "cpp",
    "h": "cpp",
    "java": "java",
}


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """``text[code_start:code_end]`` is code (fences excluded); ``kind`` is fenced, indented or inline."""

    start: int
    end: int
    code_start: int
    code_end: int
    kind: str
    language: str | None
    tag: str = ""
    terminated: bool = True


def _fences(text: str) -> list[CodeBlock]:
    out: list[CodeBlock] = []
    pos = 0
    while True:
        m = _FENCE_OPEN.search(text, pos)
        if not m:
            return out
        fence = m.group("fence")
        tag = m.group("info").split()[0].lower() if m.group("info").strip() else ""
        body_start = m.end() + 1 if m.end() < len(text) else m.end()
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M).search(
            text, body_start
        )
        if close:
            code_end = max(body_start, close.start() - 1) if close.start() > body_start else body_start
            out.append(CodeBlock(m.start(), close.end(), body_start, code_end, "fenced", TAGS.get(tag), tag))
            pos = close.end()
        else:  # unterminated: the block runs to the end of the trace
            out.append(
                CodeBlock(m.start(), len(text), body_start, len(text), "fenced", TAGS.get(tag), tag, False)
            )
            return out


def _indented(text: str, taken: list[tuple[int, int]]) -> list[CodeBlock]:
    """Runs of lines indented by 4+ spaces after a blank line, outside fences, that parse as code."""
    from ._grammars import detect_language

    out = []
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    i = 0
    while i < len(lines):
        start = offsets[i]
        blank_before = i == 0 or not lines[i - 1].strip()
        if blank_before and _INDENTED_LINE.match(lines[i]) and lines[i].strip() and not _inside(taken, start):
            j = i
            while j < len(lines) and (_INDENTED_LINE.match(lines[j]) or not lines[j].strip()):
                j += 1
            while j > i and not lines[j - 1].strip():
                j -= 1
            end = offsets[j - 1] + len(lines[j - 1].rstrip("\n"))
            code = "".join(line[4:] if line.startswith("    ") else line[1:] for line in lines[i:j])
            language = detect_language(code, strict=True)
            if language:
                out.append(CodeBlock(start, end, start, end, "indented", language))
            i = j
        else:
            i += 1
    return out


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def find_code(text: str) -> list[CodeBlock]:
    """Every code region of ``text``, in order, non-overlapping."""
    fenced = _fences(text)
    taken = [(b.start, b.end) for b in fenced]
    blocks = fenced + _indented(text, taken)
    taken = [(b.start, b.end) for b in blocks]
    for m in _INLINE.finditer(text):
        if not _inside(taken, m.start()) and m.group("code").strip():
            blocks.append(CodeBlock(m.start(), m.end(), m.start("code"), m.end("code"), "inline", None))
    return sorted(blocks, key=lambda b: b.start)
