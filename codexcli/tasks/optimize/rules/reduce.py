"""Rewrites of manual loops that a builtin or a comprehension does (Ruff PERF401, Refurb
FURB, Perflint's "use a comprehension"): each replaces a loop and the line next to it.

* ``comprehension``: ``out = []`` + ``for x in xs: [if c:] out.append(e)`` -> ``out = [e for x in
  xs if c]``.
* ``sum``: ``total = 0`` + ``for x in xs: [if c:] total += e`` -> ``total = sum(e for x in xs if
  c)`` (``sum(..., start)`` for another start: the additions happen in the same order).
* ``any-all``: ``for x in xs: if c: return True`` + ``return False`` -> ``return any(c for x in
  xs)`` (and ``all`` for the opposite); ``found = False`` + ``for ...: if c: found = True; break``
  -> ``found = any(...)``.
* ``contains``: the same loops when ``c`` is ``x == t`` -> ``t in xs`` (``not in``), and ``n = 0``
  + ``for x in xs: if x == t: n += 1`` -> ``n = xs.count(t)``: the search runs in C (a generator
  in any() is often slower than the loop it replaces).

Only when the loop variable is not used after the loop (a comprehension does not leave it set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import (
    block_statements,
    code_of,
    is_name,
    loop_body_one,
    single_expr_call,
    single_small,
    target_names,
    walk,
)


@dataclass(frozen=True)
class _Search:
    """A loop that stops at the first item passing ``test``: the answer ``yes`` when one does,
    returned, or set in ``flag`` (``found = True; break``)."""

    loop: cst.For
    test: cst.BaseExpression
    yes: bool
    flag: str | None


# (the function, the block's statements, the index) -> (how many statements it replaces, the new one)
Fold = Callable[[cst.FunctionDef, Sequence[cst.BaseStatement], int], "tuple[int, str] | None"]


def _guarded(stmt: cst.BaseStatement) -> tuple[cst.BaseStatement, str]:
    """``if c: s`` -> (s, " if c"); any other statement -> (it, "")."""
    if isinstance(stmt, cst.If) and stmt.orelse is None:
        inner = block_statements(stmt.body)
        if len(inner) == 1:
            return inner[0], f" if {code_of(stmt.test)}"
    return stmt, ""


def _loop_var_free(fn: cst.FunctionDef, loop: cst.For) -> bool:
    """Whether the loop's variables are mentioned nowhere in ``fn`` outside the loop."""
    return names_free(fn, loop, target_names(loop.target))


def names_free(fn: cst.FunctionDef, loop: cst.CSTNode, names: set[str]) -> bool:
    """Whether ``names`` are mentioned nowhere in ``fn`` outside ``loop``."""
    inside = sum(1 for n in walk(loop) if isinstance(n, cst.Name) and n.value in names)
    total = sum(1 for n in walk(fn) if isinstance(n, cst.Name) and n.value in names)
    return inside == total


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return any(is_name(n, name) for n in walk(node))


def _init(stmt: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    small = single_small(stmt)
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value, small.value
    return None


def _head(loop: cst.For) -> str:
    return f"for {code_of(loop.target)} in {code_of(loop.iter)}"


def fold_comprehension(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    init, loop = _init(stmts[i]), stmts[i + 1] if i + 1 < len(stmts) else None
    if init is None or not isinstance(init[1], cst.List) or init[1].elements or not isinstance(loop, cst.For):
        return None
    name, one = init[0], loop_body_one(loop)
    if one is None or not _loop_var_free(fn, loop):
        return None
    inner, cond = _guarded(one)
    call = single_expr_call(inner)
    if call is None or not isinstance(call.func, cst.Attribute) or not is_name(call.func.value, name):
        return None
    if call.func.attr.value != "append" or len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    if _mentions(call.args[0].value, name) or _mentions(loop.iter, name):
        return None
    if isinstance(one, cst.If) and _mentions(one.test, name):
        return None
    return 2, f"{name} = [{code_of(call.args[0].value)} {_head(loop)}{cond}]"


def fold_sum(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    init, loop = _init(stmts[i]), stmts[i + 1] if i + 1 < len(stmts) else None
    if init is None or not isinstance(init[1], (cst.Integer, cst.Float)) or not isinstance(loop, cst.For):
        return None
    name, start = init[0], init[1]
    one = loop_body_one(loop)
    if one is None or not _loop_var_free(fn, loop):
        return None
    inner, cond = _guarded(one)
    small = single_small(inner)
    piece = None
    if isinstance(small, cst.AugAssign) and is_name(small.target, name) and isinstance(small.operator, cst.AddAssign):
        piece = small.value
    if piece is None or _mentions(piece, name) or _mentions(loop.iter, name):
        return None
    if isinstance(one, cst.If) and _mentions(one.test, name):
        return None
    gen = f"{code_of(piece)} {_head(loop)}{cond}"
    if isinstance(start, cst.Integer) and start.evaluated_value == 0:
        return 2, f"{name} = sum({gen})"
    return 2, f"{name} = sum(({gen}), {code_of(start)})"


def _any_all_parts(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> _Search | None:
    """The search loop at ``stmts[i]``: ``for ...: if c: return True`` + ``return False`` (or
    the opposite), or ``found = False`` + ``for ...: if c: found = True; break``."""
    first = stmts[i]
    if isinstance(first, cst.For):  # for ...: if c: return True / return False
        after = single_small(stmts[i + 1]) if i + 1 < len(stmts) else None
        one = loop_body_one(first)
        if one is None or not isinstance(one, cst.If) or one.orelse is not None or not isinstance(after, cst.Return):
            return None
        inner = block_statements(one.body)
        returned = single_small(inner[0]) if len(inner) == 1 else None
        if not isinstance(returned, cst.Return):
            return None
        yes, no = _bool(returned.value), _bool(after.value)
        if yes is None or no is None or yes == no:
            return None
        return _Search(first, one.test, yes, None)
    init, loop = _init(first), stmts[i + 1] if i + 1 < len(stmts) else None
    if init is None or _bool(init[1]) is not False or not isinstance(loop, cst.For) or not _loop_var_free(fn, loop):
        return None
    one = loop_body_one(loop)
    if not isinstance(one, cst.If) or one.orelse is not None or _mentions(one.test, init[0]):
        return None
    inner = block_statements(one.body)
    if len(inner) != 2 or not isinstance(single_small(inner[1]), cst.Break):
        return None
    set_true = _init(inner[0])
    if set_true is None or set_true[0] != init[0] or _bool(set_true[1]) is not True:
        return None
    return _Search(loop, one.test, True, init[0])


def fold_any_all(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    found = _any_all_parts(fn, stmts, i)
    if found is None:
        return None
    loop, test = found.loop, code_of(found.test)
    if found.flag is not None:
        return 2, f"{found.flag} = any({test} {_head(loop)})"
    return 2, f"return any({test} {_head(loop)})" if found.yes else f"return all(not ({test}) {_head(loop)})"


def _equal_item(test: cst.BaseExpression, loop: cst.For) -> str | None:
    """``t`` of a test ``x == t``, ``x`` the loop's variable and ``t`` free of it and of calls
    (evaluated once instead of every pass): ``t in xs`` asks the same, in C."""
    if not isinstance(loop.target, cst.Name) or not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal) or not is_name(test.left, loop.target.value):
        return None
    item = target.comparator
    if _mentions(item, loop.target.value) or any(isinstance(n, (cst.Call, cst.NamedExpr)) for n in walk(item)):
        return None
    return code_of(item)


def _iterable(loop: cst.For) -> str:
    text = code_of(loop.iter)
    return text if isinstance(loop.iter, (cst.Name, cst.Attribute, cst.Subscript)) else f"({text})"


def fold_contains(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    """A search loop for an equal item -> ``t in xs``; a loop counting equal items -> ``xs.count(t)``."""
    found = _any_all_parts(fn, stmts, i)
    if found is not None and (item := _equal_item(found.test, found.loop)) is not None:
        if found.flag is not None:
            return 2, f"{found.flag} = {item} in {_iterable(found.loop)}"
        return 2, f"return {item} {'in' if found.yes else 'not in'} {_iterable(found.loop)}"
    init, loop = _init(stmts[i]), stmts[i + 1] if i + 1 < len(stmts) else None
    if init is None or not isinstance(init[1], cst.Integer) or init[1].evaluated_value != 0:
        return None
    if not isinstance(loop, cst.For) or not _loop_var_free(fn, loop):
        return None
    one = loop_body_one(loop)
    inner = block_statements(one.body) if isinstance(one, cst.If) and one.orelse is None else []
    small = single_small(inner[0]) if len(inner) == 1 else None
    if not (isinstance(small, cst.AugAssign) and is_name(small.target, init[0])):
        return None
    if not isinstance(small.operator, cst.AddAssign) or not (
        isinstance(small.value, cst.Integer) and small.value.value == "1"
    ):
        return None
    assert isinstance(one, cst.If)
    item = _equal_item(one.test, loop)
    return None if item is None else (2, f"{init[0]} = {_iterable(loop)}.count({item})")


def _bool(node: cst.CSTNode | None) -> bool | None:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def fold_function(fn: cst.FunctionDef, fold: Fold) -> cst.FunctionDef:
    """``fn`` with ``fold`` applied in every block (a loop inside a loop too)."""

    class Blocks(cst.CSTTransformer):
        def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
            stmts = list(updated.body)
            out: list[cst.BaseStatement] = []
            i = 0
            while i < len(stmts):
                found = fold(fn, stmts, i) if not isinstance(stmts[i], cst.FunctionDef) else None
                if found is None:
                    out.append(stmts[i])
                    i += 1
                    continue
                count, text = found
                new = cst.parse_statement(text + "\n")
                lines = getattr(stmts[i], "leading_lines", ())
                out.append(new.with_changes(leading_lines=lines))
                i += count
            return updated.with_changes(body=out)

    new = fn.visit(Blocks())
    assert isinstance(new, cst.FunctionDef)
    return new
