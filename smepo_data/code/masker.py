"""The code masker: which spans of a code trace to hide, at each level (tree-sitter decides).

- ``block``: every code block hidden whole (the reference release's choice, without its leaks).
- ``body`` (default): imports, class and function signatures, docstrings and comments stay; each
  function or method body, and top-level executable code, is hidden (one span per run of statements
  between the comments that carry the plan).
- ``skeleton``: control flow stays (``for``/``while``/``if``/``return`` and their nesting, signatures,
  comments); conditions, expressions, literals and assignments are hidden.

Inline code holding an expression or a call is hidden at every level; a bare identifier stays. Code that
does not parse is hidden whole, with the reason on its span. Prose is the plan: it stays.
"""

from __future__ import annotations

import hashlib
import re
from itertools import accumulate
from typing import Any

from .._leak import Finding
from .._model import Example, RowError, Span
from .._render import merge_spans
from ._blocks import CodeBlock, find_code
from ._grammars import COMMENTS, GRAMMARS, Grammar, detect_language, parse
from .spec import parse_spec

LEVELS = ("block", "body", "skeleton")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_CONTROL = frozenset(
    {
        "if_statement",
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
        "try_statement",
        "with_statement",
        "switch_statement",
        "for_range_loop",
        "enhanced_for_statement",
        "match_statement",
        "case_statement",
        "switch_expression",
        "switch_block",
        "switch_block_statement_group",
        "try_with_resources_statement",
        "synchronized_statement",
        "labeled_statement",
    }
)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class CodeMasker:
    """Find the spans to hide in a code trace. Parsers load once per process."""

    levels = LEVELS
    default_level = "body"

    def validate(self, example: Example) -> None:
        parse_spec(example.answer)  # raises RowError for tests it cannot read
        if not find_code(example.trace):
            raise RowError("no_code", "the trace holds no code block, indented code or inline code")

    def repair(
        self, example: Example, spans: list[Span], start: int, end: int, finding: Finding
    ) -> list[Span]:
        """Nothing: visible code that passes the tests is hidden by the next stricter level, not piecemeal."""
        return []

    def find_spans(self, example: Example, level: str = "body") -> list[Span]:
        if level not in LEVELS:
            raise ValueError(f"unknown code level {level!r}; choose one of {', '.join(LEVELS)}")
        spans: list[Span] = []
        for block in find_code(example.trace):
            if block.kind == "inline":
                spans.extend(_inline(example.trace, block))
            else:
                spans.extend(_block(example.trace, block, level))
        return merge_spans(spans)


def _inline(text: str, block: CodeBlock) -> list[Span]:
    code = text[block.code_start : block.code_end]
    if _IDENTIFIER.fullmatch(code.strip()):
        return []  # a name the plan refers to
    return [
        Span(block.code_start, block.code_end, "code", "inline code with an expression or a call", _key(code))
    ]


def _view(text: str, block: CodeBlock) -> tuple[str, list[int] | None]:
    """The block's code as the parser should see it, and where each of its characters sits in ``text``
    (``None``: at ``code_start + i``). Indented blocks lose their 4-space indent."""
    if block.kind != "indented":
        return text[block.code_start : block.code_end], None
    chars: list[str] = []
    where: list[int] = []
    pos = block.code_start
    for line in text[block.code_start : block.code_end].splitlines(keepends=True):
        cut = 4 if line.startswith("    ") else 1 if line.startswith("\t") else 0
        chars.append(line[cut:])
        where.extend(range(pos + cut, pos + len(line)))
        pos += len(line)
    return "".join(chars), where


def _block(text: str, block: CodeBlock, level: str) -> list[Span]:
    code, where = _view(text, block)
    if not code.strip():
        return []

    def whole(reason: str) -> list[Span]:
        return [Span(block.code_start, block.code_end, "code", reason, _key(code))]

    if level == "block":
        return whole("level 'block' hides whole code blocks")
    language = block.language or detect_language(code)
    if language is None:
        tag = f"tag {block.tag!r}" if block.tag else "no language tag"
        return whole(f"language not recognised ({tag}): whole block hidden")
    tree = parse(code, language)
    if tree.root_node.has_error:
        return whole(f"does not parse as {language}: whole block hidden")
    data = code.encode("utf-8")
    chars = None if len(data) == len(code) else [0, *accumulate(len(c.encode("utf-8")) for c in code)]
    to_char = (lambda b: b) if chars is None else _byte_to_char(chars)
    walker = _Walker(GRAMMARS[language], level, data)
    walker.members(tree.root_node, top=True)
    out = []
    for b0, b1, reason in walker.hidden:
        s, e = to_char(b0), to_char(b1)
        if where is None:
            s, e = block.code_start + s, block.code_start + e
        else:
            s, e = where[s], where[e - 1] + 1
        out.append(Span(s, e, "code", reason, _key(text[s:e])))
    return out


def _byte_to_char(chars: list[int]) -> Any:
    index = {b: i for i, b in enumerate(chars)}
    return index.__getitem__


class _Walker:
    """Walk a syntax tree and collect ``(start_byte, end_byte, reason)`` of what to hide."""

    def __init__(self, grammar: Grammar, level: str, data: bytes):
        self.g = grammar
        self.level = level
        self.data = data
        self.hidden: list[tuple[int, int, str]] = []

    def hide(self, node: Any, reason: str) -> None:
        self.hide_nodes([node], reason)

    def hide_nodes(self, nodes: list[Any], reason: str) -> None:
        """Hide from the first node's start to the last one's end, except the comments inside (the plan)."""
        pos, end = nodes[0].start_byte, nodes[-1].end_byte
        for c_start, c_end in sorted(_comments(nodes)):
            self._add(pos, c_start, reason)
            pos = c_end
        self._add(pos, end, reason)

    def _add(self, start: int, end: int, reason: str) -> None:
        while start < end and self.data[start] in b" \t\r\n":
            start += 1
        while end > start and self.data[end - 1] in b" \t\r\n":
            end -= 1
        if end > start:
            self.hidden.append((start, end, reason))

    def members(self, container: Any, top: bool = False, in_function: bool = False) -> None:
        """Definitions keep their heads; comments, imports and docstrings stay; the rest is code."""
        run: list[Any] = []
        reason = "function body" if in_function else "top-level code" if top else "class-level code"

        def flush() -> None:
            if run:
                self.hide_nodes(run, f"{reason} (level 'body')")
                run.clear()

        first = True
        for child in container.named_children:
            t = child.type
            if t in COMMENTS or t in self.g.keep or (first and _is_docstring(child)):
                flush()
            elif t in self.g.functions or t in self.g.classes or t in self.g.wrappers:
                flush()
                self.definition(child)
            elif self.level == "skeleton":
                self.skeleton(child)
            elif not top and not in_function and t == "field_declaration":
                flush()
                self.field(child)
            else:
                run.append(child)
            first = first and t in COMMENTS
        flush()

    def definition(self, node: Any) -> None:
        t = node.type
        if t in self.g.wrappers:
            for child in node.named_children:
                if child.type in self.g.containers:
                    self.members(child, top=True)
                elif (
                    child.type in self.g.functions
                    or child.type in self.g.classes
                    or child.type in self.g.wrappers
                ):
                    self.definition(child)
            return
        body = node.child_by_field_name("body")
        if body is None:
            return  # a declaration without a body
        if t in self.g.classes:
            self.members(body)
        else:
            self.members(body, in_function=True)

    def field(self, node: Any) -> None:
        """A class field keeps its declaration; an initial value is code."""
        for value in _descendants(node, ("default_value", "value")):
            self.hide(value, "field initialiser (level 'body')")

    def skeleton(self, node: Any) -> None:
        t = node.type
        if t in COMMENTS or t in self.g.plain or t in self.g.keep:
            return
        if t in self.g.functions or t in self.g.classes or t in self.g.wrappers:
            self.definition(node)
        elif t in self.g.returns:
            for child in node.named_children:
                self.hide(child, "returned value (level 'skeleton')")
        elif t in self.g.containers:
            self.members(node)
        elif t in _CONTROL or t.endswith("_clause"):
            for child in node.named_children:
                ct = child.type
                if ct in self.g.containers or ct in _CONTROL or ct.endswith("_clause") or _is_statement(ct):
                    self.skeleton(child)
                elif ct not in COMMENTS:
                    self.hide(child, "condition or expression (level 'skeleton')")
        else:
            self.hide(node, "statement (level 'skeleton')")


def _is_statement(t: str) -> bool:
    return t.endswith(("_statement", "_declaration", "_definition")) or t == "declaration"


def _is_docstring(node: Any) -> bool:
    return (
        node.type == "expression_statement"
        and node.named_child_count == 1
        and node.named_children[0].type in ("string", "concatenated_string")
    )


def _comments(nodes: list[Any]) -> list[tuple[int, int]]:
    """Byte ranges of the comments inside ``nodes``."""
    out = []
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if n.type in COMMENTS:
            out.append((n.start_byte, n.end_byte))
        else:
            stack.extend(n.named_children)
    return out


def _descendants(node: Any, fields: tuple[str, ...]) -> list[Any]:
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        for f in fields:
            c = n.child_by_field_name(f)
            if c is not None:
                out.append(c)
        stack.extend(n.named_children)
    return out
