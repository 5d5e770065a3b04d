"""`codex translate`, line by line: statements that change a list in place (issue 28): an
unpacking that assigns list elements (``a[i], a[j] = a[j], a[i]``) and a call of another of the
module's functions for what it changes (``_siftdown(heap, 0, pos)``). The functions that do
this return nothing or change a list parameter (tasks/translate/mutation.py)."""

from __future__ import annotations

import ast

from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import LineSyntax


def called(node: ast.expr, names: dict[str, str]) -> str:
    """The module function ``node`` calls (``_siftdown(heap, 0, pos)``: a name of ``names``), or ""."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return names.get(node.func.id, "")
    return ""


def slot_target(node: ast.expr) -> bool:
    """Whether an unpacking may assign ``node``: a name, or an element of a list named
    (``a[i], a[j] = a[j], a[i]``: a swap in place)."""
    return isinstance(node, ast.Name) or (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name))


def slot(
    target: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> tuple[str, str] | None:
    """The kind and text of what an unpacking assigns: a name, or an element of a list
    (``a[i]``; its index read when it is assigned, after the values, as Python does)."""
    if isinstance(target, ast.Name):
        return (kinds[target.id], names.get(target.id, target.id)) if target.id in kinds else None
    element = expression(target, kinds, syntax, names, calls) if isinstance(target, ast.Subscript) else None
    if element is None or not isinstance(target, ast.Subscript) or element.kind not in ("int", "float", "bool", "str"):
        return None
    seq = target.value
    if not (isinstance(seq, ast.Name) and kinds.get(seq.id, "").endswith("[]")):
        return None  # a str's character cannot be assigned
    return element.kind, element.text


def call_statement(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> str:
    """``f(xs, i);`` for a call of the module's function ``f`` as a statement, each argument by
    codex's rules ("" when one has none). A list argument is passed as it is: the callee's
    parameter type (a shared array, a reference) carries its changes back."""
    args = [expression(a, kinds, syntax, names, calls) for a in node.args] if isinstance(node, ast.Call) else [None]
    if not called(node, names) or any(a is None for a in args):
        return ""
    return f"{called(node, names)}({', '.join(a.text for a in args if a is not None)});"
