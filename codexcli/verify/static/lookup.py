"""A definition by its qualified name in a module's ast: ``name`` or ``Class.method`` (the way
targets are named everywhere in codex), for the checks that read or change one definition."""

from __future__ import annotations

import ast

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def find_definition(tree: ast.Module, qualname: str) -> Definition | None:
    """The def or class called ``qualname``: each dotted part is looked up in the body of the one
    before (module level first); the first definition of a name wins. None when a part is missing."""
    scope: list[ast.stmt] = tree.body
    node: Definition | None = None
    for part in qualname.split("."):
        node = next((n for n in scope if isinstance(n, Definition) and n.name == part), None)
        if node is None:
            return None
        scope = node.body
    return node


def find_function(tree: ast.Module, qualname: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """find_definition for callers that need a function: None when ``qualname`` is a class."""
    node = find_definition(tree, qualname)
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
