"""Small readers of a function's AST for parameter inference (infer_types.py, infer_str.py): a name
or a call's name, literal kinds, locals first set to a str or float literal, and locals that hold
ints (loop counters, lengths, floor quotients)."""

from __future__ import annotations

import ast


def is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def const_kind(node: ast.AST) -> str | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
        return {int: "int", float: "float", str: "str"}.get(type(node.value))
    return None


def local_kinds(fn: ast.AST) -> dict[str, str]:
    """Locals first set to a str or float literal (``out = ""``): ``ch + out`` then says ``ch``
    is a str as ``ch + ""`` would. Ints are left out (``n = 0`` counters say little)."""
    kinds: dict[str, str] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            kind = const_kind(node.value)
            if kind in ("str", "float"):
                kinds.setdefault(node.targets[0].id, kind)
    return kinds


def int_locals(fn: ast.AST) -> set[str]:
    """Locals that hold ints: ``for i in range(...)``, ``i, x in enumerate(...)``, ``n = len(...)``,
    ``mid = (lo + hi) // 2``, ``k = 0``."""
    names: set[str] = set()
    for node in ast.walk(fn):
        if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.iter, ast.Call):
            called = called_name(node.iter)
            target = node.target
            if called == "range" and isinstance(target, ast.Name):
                names.add(target.id)
            elif called == "enumerate" and isinstance(target, ast.Tuple) and isinstance(target.elts[0], ast.Name):
                names.add(target.elts[0].id)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if (
                const_kind(value) == "int"
                or isinstance(value, ast.Call)
                and called_name(value) in ("len", "int", "ord")
                or isinstance(value, ast.BinOp)
                and isinstance(value.op, (ast.FloorDiv, ast.Mod))
            ):
                names.add(node.targets[0].id)
    return names
