"""`codex translate`, line by line: tuples of mixed kinds (issue 28; kinds in tuples.py):
``return a, b`` / ``return (a, b)``, ``t[0]`` (a constant index), ``a, b = t`` and
``a, b = f(x)`` where ``f`` returns such a tuple (or one of one kind: a list). Hooks called by line_plan.py and
line_rules.py, which pass their renderers in (this module imports neither)."""

from __future__ import annotations

import ast
from typing import Callable, Sequence

from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.rendered import Rendered
from codexcli.tasks.translate.tuples import tuple_parts

_SCALARS = ("int", "float", "bool", "str")
Render = Callable[[ast.expr], "Rendered | None"]


def _item(found: Rendered, kind: str, syntax: LineSyntax) -> str | None:
    """An item's text as ``kind`` (an int where a float goes: converted), or None."""
    if found.kind == kind:
        return found.text
    if (found.kind, kind) == ("int", "float"):
        return syntax.int_to_float.format(x=found.text) if syntax.int_to_float else found.text
    return None


def tuple_return(value: ast.expr, returns: str, syntax: LineSyntax, render: Render) -> str | None:
    """``return a, b`` where the function returns a tuple of mixed kinds: a new one of the
    item kinds; "" when an item has no rule or another kind; None when this is no such return."""
    parts = tuple_parts(returns)
    if parts is None or not isinstance(value, ast.Tuple) or not syntax.tuple_new:
        return None
    if len(value.elts) != len(parts):
        return ""
    items = []
    for element, kind in zip(value.elts, parts):
        found = render(element)
        text = _item(found, kind, syntax) if found is not None else None
        if text is None:
            return ""
        items.append(text)
    new = syntax.tuple_new.format(type=syntax.type_of(returns), items=", ".join(items))
    return f"return {new};"


def tuple_item(seq: Rendered, index: ast.expr, syntax: LineSyntax) -> Rendered | None:
    """``t[k]`` for a constant ``k`` (negative counted from the end) on a tuple of mixed kinds;
    None for any other subscript."""
    parts = tuple_parts(seq.kind)
    if parts is None or not syntax.tuple_item:
        return None
    k = index.value if isinstance(index, ast.Constant) else None
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and isinstance(index.operand, ast.Constant):
        k = -index.operand.value if isinstance(index.operand.value, int) else None
    if not isinstance(k, int) or isinstance(k, bool) or not -len(parts) <= k < len(parts):
        return None
    k %= len(parts)
    return Rendered(syntax.tuple_item.format(t=seq.within(12), i=k), parts[k])


def unpack(
    targets: Sequence[ast.expr],
    value: ast.expr,
    syntax: LineSyntax,
    render: Render,
    place: Callable[[ast.expr], "tuple[str, str] | None"],
    k: int,
) -> str | None:
    """``a, b = t`` / ``a, b = f(x)`` where the value is a tuple of mixed kinds: the value held
    in one temporary (``f`` runs once), then each target (``place``: its kind and target name)
    assigned its item; "" when a target has no place or another kind; None when the value is no
    such tuple."""
    found = render(value) if isinstance(value, (ast.Name, ast.Call)) else None
    parts = tuple_parts(found.kind) if found is not None else None
    if found is not None and parts is None and found.kind.removesuffix("[]") in _SCALARS:
        parts = [found.kind[:-2]] * len(targets)  # a tuple of one kind is a list (kinds.py)
    if found is None or parts is None or not syntax.tuple_item:
        return None
    held = f"codex_tup{k}"
    lines = [syntax.declare.format(type=syntax.type_of(found.kind), name=held, value=found.text)]
    for j, (target, kind) in enumerate(zip(targets, parts)):
        slot = place(target)
        spelled = syntax.tuple_item if found.kind.startswith("tuple[") else syntax.index.replace("{seq}", "{t}")
        item = Rendered(spelled.format(t=held, i=j, idx=j), kind)
        if slot is None or (text := _item(item, slot[0], syntax)) is None:
            return ""
        lines.append(f"{slot[1]} = {text};")
    return " ".join(lines) if len(parts) == len(targets) else ""
