"""Definitions of JavaScript, TypeScript, Java, C, C++, Go, Rust and C# files, through the
tree-sitter grammar wheels from PyPI (offline: each wheel carries its compiled grammar).

Grammars are imported on first use of their language; a missing one is reported as
GrammarMissing naming what to install, and the index skips that language's files.
One generic walk serves every language: the language's entry in codexcli/languages.py
(``tree_sitter``, a langspec.TreeSitter) says which node types are functions, which are classes
(their names prefix the definitions inside), and which only name a scope (a Rust impl, a C++
namespace).
"""

from __future__ import annotations

import importlib
import os
import re
from typing import Any

from codexcli import languages
from codexcli.index.defs import Definition, clip
from codexcli.languages import TreeSitter

INSTALL_HINT = "pip install 'codexcli[index]'"
CLASS_TEXT = 1500  # a class's own text is cut shorter: its methods are definitions of their own


class GrammarMissing(Exception):
    """The tree-sitter grammar (or tree-sitter itself) for a language is not installed."""


_PARSERS: dict[tuple[str, str], Any] = {}
_NAME_TYPES = {
    "identifier",
    "field_identifier",
    "qualified_identifier",
    "destructor_name",
    "operator_name",
    "type_identifier",
}


def spec_of(language: str) -> TreeSitter:
    """The tree-sitter spec of a language's entry (KeyError for one the index does not parse)."""
    spec = languages.get(language).tree_sitter
    if spec is None:
        raise KeyError(f"{language} has no tree-sitter spec")
    return spec


def parser_for(language: str, suffix: str = "") -> Any:
    """The tree-sitter parser of ``language`` for files with ``suffix`` (cached by grammar);
    GrammarMissing when not installed."""
    spec = spec_of(language)
    key = (spec.module, spec.function_for(suffix.lower()))
    if key not in _PARSERS:
        try:
            import tree_sitter

            grammar = importlib.import_module(spec.module)
        except ImportError:
            raise GrammarMissing(f"no tree-sitter grammar for {language} is installed ({INSTALL_HINT})") from None
        _PARSERS[key] = tree_sitter.Parser(tree_sitter.Language(getattr(grammar, key[1])()))
    return _PARSERS[key]


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _name(node: Any) -> str:
    """The name a definition node declares ('' when it has none, e.g. an anonymous struct)."""
    if node.type == "impl_item":
        return _text(node.child_by_field_name("type"))
    named = node.child_by_field_name("name")
    if named is not None:
        return _text(named)
    declarator = node.child_by_field_name("declarator")  # C/C++: int *f(int x) -> f
    while declarator is not None:
        if declarator.type in _NAME_TYPES:
            return _text(declarator)
        declarator = declarator.child_by_field_name("declarator")
    return ""


def _signature(node: Any) -> str:
    body = node.child_by_field_name("body")
    raw = node.text[: body.start_byte - node.start_byte] if body is not None else node.text.split(b"\n", 1)[0]
    return " ".join(raw.decode("utf-8", "replace").split()).rstrip("{ ").strip()


_XML_TAG = re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?/?>")
_COMMENT_MARKS = re.compile(r"^\s*(/\*\*?|\*/|\*|///?|//!)\s?")


def _comments_above(node: Any, wrappers: frozenset[str]) -> str:
    """The comment block right above a definition (or its export/template wrapper), unmarked."""
    anchor = node
    while anchor.parent is not None and anchor.parent.type in wrappers:
        anchor = anchor.parent
    found: list[str] = []
    row = anchor.start_point[0]
    sibling = anchor.prev_sibling
    while sibling is not None and (
        "comment" in sibling.type or sibling.type in ("attribute_item", "decorator", "attribute_list")
    ):
        if sibling.end_point[0] < row - 1:
            break
        if "comment" in sibling.type:
            found.append(_text(sibling))
        row = sibling.start_point[0]
        sibling = sibling.prev_sibling
    lines = [
        _COMMENT_MARKS.sub("", l).rstrip().removesuffix("*/").rstrip() for c in reversed(found) for l in c.splitlines()
    ]
    text = "\n".join(l for l in lines if l.strip()).strip()
    return _XML_TAG.sub("", text)  # C#'s <summary> and friends


def tree_sitter_definitions(path: str, data: bytes, language: str, *, docstrings: bool = True) -> list[Definition]:
    """The functions, methods and classes of one file (GrammarMissing without its grammar)."""
    spec = spec_of(language)
    tree = parser_for(language, os.path.splitext(path)[1]).parse(data)
    out: list[Definition] = []

    def visit(node: Any, prefix: str, in_class: bool) -> None:
        for child in node.named_children:
            kind = None
            name = ""
            if child.type in spec.functions:
                kind = "method" if in_class or child.type in spec.receivers else "function"
                name = _name(child)
                if child.type in spec.receivers:
                    receiver = child.child_by_field_name("receiver")
                    owner = re.findall(r"[A-Za-z_]\w*", _text(receiver))
                    name = f"{owner[-1]}.{name}" if owner else name
            elif child.type == "variable_declarator" and (value := child.child_by_field_name("value")) is not None:
                if value.type in ("arrow_function", "function_expression", "function"):
                    kind, name = "function", _name(child)
            elif child.type in spec.classes:
                if child.type in ("struct_specifier", "class_specifier") and child.child_by_field_name("body") is None:
                    visit(child, prefix, in_class)
                    continue
                if child.type == "type_spec" and (t := child.child_by_field_name("type")) is not None:
                    if t.type not in ("struct_type", "interface_type"):
                        continue
                kind, name = "class", _name(child)
            elif child.type in spec.scopes:
                scope = _name(child)
                visit(child, f"{prefix}{scope}." if scope else prefix, child.type == "impl_item")
                continue
            if kind is None or not name:
                visit(child, prefix, in_class)
                continue
            qualname = name if "." in name or "::" in name else f"{prefix}{name}"
            text = _text(child)
            out.append(
                Definition(
                    path,
                    language,
                    kind,
                    name.rsplit(".", 1)[-1].rsplit("::", 1)[-1],
                    qualname,
                    child.start_point[0] + 1,
                    child.end_point[0] + 1,
                    _signature(child),
                    _comments_above(child, spec.wrappers) if docstrings else "",
                    clip(text, CLASS_TEXT) if kind == "class" else clip(text),
                )
            )
            if kind == "class":
                visit(child, f"{qualname}.", True)

    visit(tree.root_node, "", False)
    return out
