"""Tree-sitter grammars (the per-language packages, loaded lazily, one parser per process) and what
each language's syntax tree calls its functions, classes, blocks and control flow."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Grammar:
    name: str
    package: str  # the per-language grammar package
    functions: frozenset[str]  # function / method definitions: signature kept, body hidden
    classes: frozenset[str]  # class-like definitions: header kept, members handled one by one
    containers: frozenset[str]  # bodies that hold statements or members ({ ... }, an indented block)
    keep: frozenset[str]  # kept whole at every level but block: imports, includes, package lines
    returns: frozenset[str]  # skeleton keeps the keyword and hides the value
    plain: frozenset[str]  # skeleton keeps these statements as they are (break, continue, pass)
    wrappers: frozenset[str]  # nodes that only wrap a definition (decorators, templates, namespaces)


GRAMMARS = {
    "python": Grammar(
        "python",
        "tree_sitter_python",
        functions=frozenset({"function_definition"}),
        classes=frozenset({"class_definition"}),
        containers=frozenset({"block", "module"}),
        keep=frozenset({"import_statement", "import_from_statement", "future_import_statement"}),
        returns=frozenset({"return_statement", "yield"}),
        plain=frozenset({"break_statement", "continue_statement", "pass_statement"}),
        wrappers=frozenset({"decorated_definition", "decorator"}),
    ),
    "cpp": Grammar(
        "cpp",
        "tree_sitter_cpp",
        functions=frozenset({"function_definition"}),
        classes=frozenset({"class_specifier", "struct_specifier", "union_specifier"}),
        containers=frozenset(
            {"compound_statement", "translation_unit", "field_declaration_list", "declaration_list"}
        ),
        keep=frozenset(
            {
                "preproc_include",
                "using_declaration",
                "alias_declaration",
                "preproc_def",
                "preproc_call",
                "access_specifier",
                "namespace_alias_definition",
            }
        ),
        returns=frozenset({"return_statement"}),
        plain=frozenset({"break_statement", "continue_statement"}),
        wrappers=frozenset({"template_declaration", "namespace_definition", "linkage_specification"}),
    ),
    "java": Grammar(
        "java",
        "tree_sitter_java",
        functions=frozenset({"method_declaration", "constructor_declaration"}),
        classes=frozenset(
            {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}
        ),
        containers=frozenset(
            {"block", "program", "class_body", "interface_body", "enum_body", "constructor_body"}
        ),
        keep=frozenset({"import_declaration", "package_declaration"}),
        returns=frozenset({"return_statement"}),
        plain=frozenset({"break_statement", "continue_statement"}),
        wrappers=frozenset(),
    ),
}
COMMENTS = frozenset({"comment", "line_comment", "block_comment"})


@cache
def parser(language: str) -> Any:
    """The tree-sitter parser for ``language``, built once per process."""
    try:
        import tree_sitter
    except ImportError as e:
        raise ImportError("the code domain needs tree-sitter: pip install 'smepo[code]'") from e
    grammar = GRAMMARS[language]
    try:
        module = importlib.import_module(grammar.package)
    except ImportError as e:
        package = grammar.package.replace("_", "-")
        raise ImportError(f"no grammar for {language}: pip install {package} (or 'smepo[code]')") from e
    return tree_sitter.Parser(tree_sitter.Language(module.language()))


def parse(code: str, language: str) -> Any:
    return parser(language).parse(code.encode("utf-8"))


_HINTS = (
    ("cpp", re.compile(r"#include\s*[<\"]|\bstd::|\bcout\s*<<|\bint\s+main\s*\(")),
    ("java", re.compile(r"\bpublic\s+(?:static\s+)?(?:class|void|int)\b|\bSystem\.out\.|\bimport\s+java\.")),
    (
        "python",
        re.compile(r"^\s*(?:def|class|import|from|for|while|if|return|print)\b.*:?\s*$|^\s*\w+\s*=", re.M),
    ),
)


def detect_language(code: str, strict: bool = False) -> str | None:
    """The language ``code`` is written in: a telling keyword first, then whichever grammar parses it
    without errors. ``strict``: ``None`` unless some grammar parses it cleanly (so prose is not code)."""
    for language, hint in _HINTS:
        if hint.search(code):
            tree = parse(code, language)
            if not tree.root_node.has_error:
                return language
            if not strict:
                return language
    for language in ("python", "cpp", "java"):
        if not parse(code, language).root_node.has_error and _looks_like_code(code):
            return language
    return None


def _looks_like_code(code: str) -> bool:
    """Prose also parses as Python sometimes ("Hello world" is two identifiers): require code punctuation."""
    return bool(re.search(r"[=(){}\[\];:]", code))
