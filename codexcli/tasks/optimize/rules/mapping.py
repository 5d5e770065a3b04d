"""Loops that a single C call does over the whole sequence (Refurb / Ruff: "use str.translate",
"use list()", PERF: "quadratic list.remove"):

* ``translate``: ``"".join(table.get(c, c) for c in s)`` (or ``table[c]``, a list comprehension, or
  the loop ``for c in s: out += table[c]``) -> ``s.translate(t)``, ``t`` made per call from the
  characters ``s`` has, ``{ord(c): table[c] for c in set(s) if c in table}``: the loop's own
  lookups, once per distinct character (so a big table costs nothing). Guarded by ``type(s) is
  str``, ``type(table) is dict`` and str values for those characters (and, for ``table[c]``,
  every character of ``s`` a key: a missing one raises KeyError in the loop, which the ``else``
  then does).
* ``list-copy``: ``[x for x in xs]`` or ``out = []`` + ``for x in xs: out.append(x)`` -> ``list(xs)``
  (the same items from the same iteration, into a new list).
* ``remove-all``: ``while x in xs: xs.remove(x)`` (a scan and a shift per occurrence, quadratic)
  -> ``xs[:] = [y for y in xs if not (y is x or y == x)]`` (the test ``in`` and ``remove`` make,
  in the same order), when ``x in xs`` at all; guarded by ``type(xs) is list``.

Where a rewrite is guarded, the original loop stays as the ``else``: on any other value the
function runs as before.
"""

from __future__ import annotations

import re
from typing import Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import (
    Namer,
    bound_names,
    code_of,
    flat,
    guarded,
    is_name,
    single_small,
    walk,
)
from codexcli.tasks.optimize.rules.reduce import _init, _loop_var_free, fold_function
from codexcli.tasks.optimize.rules.reverse import _smalls

_STR_METHODS = ("upper", "lower", "casefold", "strip", "lstrip", "rstrip", "swapcase", "title")


def _str_base(node: cst.BaseExpression) -> str | None:
    """``s`` for ``s`` or ``s.upper()`` (a str method giving a str), else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute):
        if node.func.attr.value in _STR_METHODS and isinstance(node.func.value, cst.Name):
            return node.func.value.value
    return None


def _lookup(item: cst.BaseExpression, c: str) -> tuple[str, bool] | None:
    """(table, whether a missing key raises) of ``table.get(c, c)`` or ``table[c]``."""
    text = flat(item)
    found = re.fullmatch(rf"([A-Za-z_]\w*)\.get\({c},{c}\)", text) or re.fullmatch(rf"([A-Za-z_]\w*)\[{c}\]", text)
    if found is None or found.group(1) == c:
        return None
    return found.group(1), "[" in text


def _translated(
    target: cst.CSTNode, it: cst.BaseExpression, item: cst.BaseExpression, namer: Namer
) -> tuple[str, str] | None:
    """(guard, ``s.translate(t)``) for mapping each ``c`` of ``it`` through ``item``: the guard
    builds ``t`` from the characters ``s`` has (the same lookups as the loop, once each)."""
    base = _str_base(it)
    found = _lookup(item, target.value) if isinstance(target, cst.Name) and base is not None else None
    if found is None or found[0] == base:
        return None
    (table, strict), s = found, code_of(it)
    c, t = namer.fresh("ch"), namer.fresh("table")
    test = f"type({base}) is str and type({table}) is dict"
    test += f" and {table}.keys() >= set({s})" if strict else ""
    made = f"{{ord({c}): {table}[{c}] for {c} in set({s})" + ("}" if strict else f" if {c} in {table}}}")
    test += f" and set(map(type, ({t} := {made}).values())) <= {{str}}"
    return test, f"{s}.translate({t})"


class _JoinTranslate(cst.CSTTransformer):
    def __init__(self, namer: Namer) -> None:
        self.namer = namer

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "join" and len(updated.args) == 1):
            return updated
        if not (isinstance(func.value, cst.SimpleString) and func.value.evaluated_value == ""):
            return updated
        comp = updated.args[0].value
        if not isinstance(comp, (cst.GeneratorExp, cst.ListComp)) or updated.args[0].star:
            return updated
        loop = comp.for_in
        if loop.inner_for_in is not None or loop.ifs or loop.asynchronous is not None:
            return updated
        found = _translated(loop.target, loop.iter, comp.elt, self.namer)
        if found is None:
            return updated
        return cst.parse_expression(f"({found[1]} if {found[0]} else {code_of(updated)})")


def _translate_loop(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    loop = stmts[i]
    if not isinstance(loop, cst.For) or loop.orelse is not None or loop.asynchronous is not None:
        return None
    smalls = _smalls(loop.body)
    small = smalls[0] if smalls and len(smalls) == 1 else None
    if not (isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign)):
        return None
    if not isinstance(small.target, cst.Name) or not _loop_var_free(fn, loop):
        return None
    out, found = small.target.value, _translated(loop.target, loop.iter, small.value, Namer(fn))
    if found is None or out in flat(loop.iter) or out in flat(small.value):
        return None
    return 1, guarded(f"type({out}) is str and {found[0]}", f"{out} += {found[1]}", loop)


def translate(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``translate``)."""
    new = fold_function(fn, _translate_loop).visit(_JoinTranslate(Namer(fn)))
    assert isinstance(new, cst.FunctionDef)
    return new


def _copy_loop(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    init, loop = _init(stmts[i]), stmts[i + 1] if i + 1 < len(stmts) else None
    if init is None or not (isinstance(init[1], cst.List) and not init[1].elements) or not isinstance(loop, cst.For):
        return None
    smalls = _smalls(loop.body)
    if loop.orelse is not None or loop.asynchronous is not None or not smalls or len(smalls) != 1:
        return None
    out, x = init[0], loop.target
    if not isinstance(x, cst.Name) or flat(smalls[0]).rstrip(";") != f"{out}.append({x.value})":
        return None
    if not _loop_var_free(fn, loop) or any(is_name(n, out) for n in [loop.iter]) or out in flat(loop.iter):
        return None
    return 2, f"{out} = list({code_of(loop.iter)})"


class _CompCopy(cst.CSTTransformer):
    def leave_ListComp(self, original: cst.ListComp, updated: cst.ListComp) -> cst.BaseExpression:
        loop = updated.for_in
        if loop.inner_for_in is not None or loop.ifs or loop.asynchronous is not None:
            return updated
        if not (isinstance(loop.target, cst.Name) and is_name(updated.elt, loop.target.value)):
            return updated
        return cst.parse_expression(f"list({code_of(loop.iter)})")


def list_copy(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``list-copy``)."""
    params = {p.name.value for p in walk(fn.params) if isinstance(p, cst.Param)}
    if "list" in bound_names(fn) | params:
        return fn
    new = fold_function(fn, _copy_loop).visit(_CompCopy())
    assert isinstance(new, cst.FunctionDef)
    return new


def _remove_all(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    loop = stmts[i]
    if not isinstance(loop, cst.While) or loop.orelse is not None:
        return None
    test, smalls = loop.test, _smalls(loop.body)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1 or not smalls or len(smalls) != 1:
        return None
    x, xs = test.left, test.comparisons[0].comparator
    if not isinstance(test.comparisons[0].operator, cst.In) or not isinstance(xs, cst.Name):
        return None
    literal = isinstance(x, (cst.Integer, cst.SimpleString)) or is_name(x, "None")
    if not (literal or isinstance(x, cst.Name)) or is_name(x, xs.value):
        return None
    item, seq = code_of(x), xs.value
    small = single_small(cst.SimpleStatementLine(body=smalls))
    if small is None or flat(small).rstrip(";") != f"{seq}.remove({flat(x)})":
        return None
    y = Namer(fn).fresh("item")
    keep = f"not {y} == {item}" if literal else f"not ({y} is {item} or {y} == {item})"
    fast = f"if {item} in {seq}:\n    {seq}[:] = [{y} for {y} in {seq} if {keep}]"
    return 1, guarded(f"type({seq}) is list", fast, loop)


def remove_all(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``remove-all``)."""
    return fold_function(fn, _remove_all)
