"""What `codex comment` documents in a JavaScript, TypeScript or Java file, found with the
tree-sitter grammar the index uses (index/treesitter.py), and the facts its doc comment is
checked against: the parameters, whether a value is returned, the exceptions the body throws
itself (``throw new X(...)``) or declares (Java's ``throws``).

A target is a function or method (a JavaScript ``const f = (...) => ...`` too) whose definition
starts its line; its doc comment goes in front of that line (in front of ``export`` and
``const``: the language entry's tree-sitter ``wrappers``). One that already has a ``/** ... */``
right above it is documented already. The language entry's ``doc_comment`` (langspec.DocComment)
names the node types; nothing here is specific to one language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codexcli.index.treesitter import parser_for, spec_of
from codexcli.languages import Language
from codexcli.splice.docstring import DocTarget

_FUNCTION_VALUES = {"arrow_function", "function_expression", "function", "generator_function"}
_NEW = {"new_expression", "object_creation_expression"}  # JavaScript/TypeScript, Java


@dataclass(frozen=True)
class CommentTarget(DocTarget):
    """A function of another language than Python: a DocTarget (the shared gates read it) with
    where its comment goes and what its body throws."""

    row: int  # the 0-based line the comment goes in front of
    indent: str  # that line's indentation
    thrown: tuple[str, ...]  # exception types the body throws itself or declares
    throws_other: bool  # the body also throws a value whose type is not written (`throw err`)


def text(node: Any) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def parse_function(language: Language, suffix: str) -> Any:
    """bytes -> tree for the language's files with ``suffix`` (GrammarMissing without it)."""
    return parser_for(language.name, suffix).parse


def _param_name(node: Any) -> str:
    """The name a parameter node declares ('' for a destructuring pattern or ``this``)."""
    if node.type in ("identifier", "shorthand_property_identifier_pattern"):
        return text(node)
    for field in ("pattern", "left", "name"):
        inner = node.child_by_field_name(field)
        if inner is not None:
            return _param_name(inner) if inner.type != "identifier" else text(inner)
    if node.type in ("rest_pattern", "spread_parameter"):
        for child in node.named_children:
            if child.type in ("identifier", "variable_declarator"):
                return _param_name(child)
    return ""


def params_of(fn: Any) -> tuple[str, ...]:
    """The names of a function node's parameters (destructured ones have none to document)."""
    single = fn.child_by_field_name("parameter")  # `x => ...`
    if single is not None:
        return (text(single),)
    params = fn.child_by_field_name("parameters")
    if params is None:
        return ()
    names = [_param_name(p) for p in params.named_children if "comment" not in p.type]
    return tuple(n for n in names if n and n != "this")


def own_nodes(fn: Any, nested: frozenset[str]) -> list[Any]:
    """The nodes of a function's body that belong to it (not to nested functions or classes)."""
    body = fn.child_by_field_name("body")
    out: list[Any] = []
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.named_children if c.type not in nested)
    return out


def _thrown_type(statement: Any) -> str:
    """``X`` of ``throw new X(...)``; '' for a throw of anything else."""
    value = next((c for c in statement.named_children if "comment" not in c.type), None)
    if value is None or value.type not in _NEW:
        return ""
    kind = value.child_by_field_name("constructor") or value.child_by_field_name("type")
    names = re.findall(r"[A-Za-z_$][\w$]*", text(kind))
    return names[-1] if names else ""


def code_facts(fn: Any, language: Language) -> tuple[bool, tuple[str, ...], bool]:
    """(returns a value, the exception types thrown or declared, throws something untyped)."""
    spec = language.doc_comment
    assert spec is not None
    nodes = own_nodes(fn, spec.nested)
    body = fn.child_by_field_name("body")
    value = body is not None and body.type not in ("statement_block", "block")  # `x => x + 1`
    value = value or any(n.type in spec.returns and n.named_child_count > 0 for n in nodes)
    if text(fn.child_by_field_name("type")) == "void":
        value = False
    thrown: list[str] = []
    other = False
    for node in nodes:
        if node.type in spec.throws:
            name = _thrown_type(node)
            other = other or not name
            thrown += [name] if name else []
    if spec.declared:
        for child in fn.children:
            if child.type == spec.declared:
                thrown += [re.findall(r"[A-Za-z_$][\w$]*", text(kind))[-1] for kind in child.named_children]
    return value, tuple(dict.fromkeys(thrown)), other


def _doc_above(anchor: Any) -> str | None:
    """The text of the ``/** ... */`` comment right above ``anchor`` (only blank lines between)."""
    before = anchor.prev_sibling
    if before is None or "comment" not in before.type or not text(before).startswith("/**"):
        return None
    return text(before)


def find_comment_targets(source: str, language: Language, suffix: str) -> list[CommentTarget]:
    """The functions and methods of ``source`` in file order (GrammarMissing without the grammar).

    Long: one walk of the tree; for each definition it reads the name, the class it is in, the
    line the comment goes in front of, the parameters and the facts of the body.
    """
    spec = spec_of(language.name)
    data = source.encode("utf-8")
    tree = parse_function(language, suffix)(data)
    lines = data.split(b"\n")
    out: list[CommentTarget] = []

    def visit(node: Any, prefix: str, in_class: bool) -> None:
        for child in node.named_children:
            fn = None
            if child.type in spec.functions:
                fn, name = child, text(child.child_by_field_name("name"))
            elif child.type == "variable_declarator":
                value = child.child_by_field_name("value")
                if value is not None and value.type in _FUNCTION_VALUES:
                    fn, name = value, text(child.child_by_field_name("name"))
            if fn is None or not name:
                if child.type in spec.classes:
                    visit(child, f"{prefix}{text(child.child_by_field_name('name'))}.", True)
                elif fn is None:
                    visit(child, prefix, in_class)
                continue
            anchor = child
            while anchor.parent is not None and anchor.parent.type in spec.wrappers:
                anchor = anchor.parent
            row, column = anchor.start_point
            indent = lines[row][:column]
            if indent.strip():
                continue  # the definition shares its line with other code
            returns, thrown, other = code_facts(fn, language)
            start = data.rfind(b"\n", 0, anchor.start_byte) + 1
            code = data[start : anchor.end_byte].decode("utf-8", "replace")
            out.append(
                CommentTarget(
                    len(out) + 1,
                    "method" if in_class else "function",
                    prefix + name,
                    name,
                    child.start_point[0] + 1,
                    row + 1,
                    anchor.end_point[0] + 1,
                    params_of(fn),
                    "async" in text(fn).split("(", 1)[0].split(),
                    returns,
                    "generator" in fn.type or text(fn).lstrip().startswith(("function*", "async function*")),
                    _doc_above(anchor),
                    False,
                    code,
                    code,
                    row,
                    indent.decode("utf-8", "replace"),
                    thrown,
                    other,
                )
            )

    visit(tree.root_node, "", False)
    return out
