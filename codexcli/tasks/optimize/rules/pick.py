"""Rewrites of loops and sorts that pick one item into one builtin call that does
the loop in C (Ruff PERF/FURB, Refurb FURB's "use max()/min()", "use list.index()"). Each keeps
the original's semantics on every input named below; the behaviour check still decides.

* ``min-max``: ``for x in xs: if x > best: best = x`` (``best < x`` too; ``<`` for min; a key
  ``if f(x) > f(best)``; the index form ``if xs[i] > xs[best_i]: best_i = i``), ``best`` set just
  before the loop -> ``best = max((best, *xs))``: max compares ``item > current`` in the same
  order, from the same start, so ties (the first one kept), NaN and the exceptions of mixed types
  are the original's (``best < x`` is taken as ``x > best``: the reflected operator, the same for
  numbers and str). With a key, ``max((best, *xs), key=...)`` only when ``xs`` is not empty
  (the loop never evaluates ``f(best)`` otherwise). ``>=``/``<=`` (the last tie kept) are left
  alone: ``max(reversed(...))`` is the same only for a total order, not for NaN.
* ``find-index``: ``for i in range(len(xs)): if xs[i] == t: return i`` (or ``found = i; break``;
  or ``for i, x in enumerate(xs): if x == t``) -> ``try: return xs.index(t)`` ``except
  ValueError: pass``, the code after the loop unchanged (the not-found path: ``return -1``,
  ``None``, falling through). ``list.index`` compares ``item == t`` as the loop does, but tries
  ``item is t`` first: different only for an object not equal to itself (NaN) that is both
  searched for and in the list, or for an ``==`` that itself raises ValueError (taken for "not
  found"). Not for a name known to be a str (``s.index(t)`` finds substrings); an ``enumerate``
  over an iterator has no ``index`` (AttributeError): the behaviour check sees those.
* ``sorted-first``: ``sorted(xs)[0]`` -> ``heapq.nsmallest(1, xs)[0]`` (min underneath: the first
  minimal item, as the stable sort puts first; the same IndexError on empty), ``sorted(xs)[-1]``
  -> ``heapq.nlargest(1, reversed(list(xs)))[0]`` (the last maximal item), ``key=`` and
  ``reverse=True`` kept in meaning, ``sorted(xs)[:k]`` -> ``heapq.nsmallest(k, xs)`` for a
  literal ``k > 0`` (documented as the same as the sorted slice, stable).
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import (
    Namer,
    block_statements,
    code_of,
    is_name,
    loop_body_one,
    single_small,
    target_names,
    walk,
)
from codexcli.tasks.optimize.rules.reduce import _init, _loop_var_free, _mentions, fold_function

_FLIP = {"GreaterThan": "LessThan", "LessThan": "GreaterThan"}


def _if_then(stmt: cst.BaseStatement | None) -> tuple[cst.BaseExpression, list[cst.BaseStatement]] | None:
    """(test, body) of a plain ``if`` without ``else``."""
    if isinstance(stmt, cst.If) and stmt.orelse is None:
        return stmt.test, block_statements(stmt.body)
    return None


def _simple(expr: cst.BaseExpression) -> bool:
    """Evaluated once instead of every pass without a difference: no call, no walrus, no lambda."""
    return not any(isinstance(n, (cst.Call, cst.NamedExpr, cst.Lambda, cst.Yield, cst.Await)) for n in walk(expr))


def _renamed(expr: cst.BaseExpression, old: str, new: str) -> str:
    class Rename(cst.CSTTransformer):
        def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
            return updated.with_changes(value=new) if updated.value == old else updated

    out = expr.visit(Rename())
    assert isinstance(out, cst.BaseExpression)
    return code_of(out)


def _extreme(test: cst.BaseExpression, item: str, best: str) -> tuple[str, str | None] | None:
    """("max"|"min", key text or None) for ``E(item) > E(best)`` (``<``, or mirrored)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    op = type(test.comparisons[0].operator).__name__
    left, right = test.left, test.comparisons[0].comparator
    if op not in _FLIP:
        return None
    if _mentions(left, best) and not _mentions(left, item):  # best < x is x > best
        left, right, op = right, left, _FLIP[op]
    which = "max" if op == "GreaterThan" else "min"
    if _mentions(left, best) or not _mentions(left, item) or _renamed(left, item, best) != code_of(right):
        return None
    if is_name(left, item):
        return which, None
    if (
        isinstance(left, cst.Call)
        and isinstance(left.func, cst.Name)
        and len(left.args) == 1
        and is_name(left.args[0].value, item)
    ):
        return which, left.func.value
    if isinstance(left, cst.Subscript) and isinstance(left.value, cst.Name) and not _mentions(left.value, item):
        if len(left.slice) == 1 and isinstance(left.slice[0].slice, cst.Index):
            if is_name(left.slice[0].slice.value, item):
                return which, f"{left.value.value}.__getitem__"
    return which, f"lambda {item}: {code_of(left)}"


def fold_min_max(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    """See the module docstring (``min-max``)."""
    loop = stmts[i]
    init = _init(stmts[i - 1]) if i > 0 else None
    if init is None or not isinstance(loop, cst.For) or not isinstance(loop.target, cst.Name):
        return None
    best, item = init[0], loop.target.value
    found = _if_then(loop_body_one(loop))
    if found is None or len(found[1]) != 1 or not _loop_var_free(fn, loop) or _mentions(loop.iter, best):
        return None
    kept = single_small(found[1][0])
    if not (isinstance(kept, cst.Assign) and len(kept.targets) == 1 and is_name(kept.targets[0].target, best)):
        return None
    picked = _extreme(found[0], item, best) if is_name(kept.value, item) else None
    if picked is None:
        return None
    which, key = picked
    iterable = code_of(loop.iter)
    if key is None:
        return 1, f"{best} = {which}(({best}, *{iterable}))"
    items = Namer(fn).fresh(f"{best}_items")
    return 1, f"if {items} := (*{iterable},):\n    {best} = {which}(({best}, *{items}), key={key})"


def _found_index(loop: cst.For) -> tuple[str, str, str] | None:
    """(sequence, item, index name) of ``for i in range(len(xs)): if xs[i] == t`` or ``for i, x in
    enumerate(xs): if x == t``."""
    test = _if_then(loop_body_one(loop))
    if test is None or not isinstance(test[0], cst.Comparison) or len(test[0].comparisons) != 1:
        return None
    cmp = test[0].comparisons[0]
    if not isinstance(cmp.operator, cst.Equal):
        return None
    left, wanted = test[0].left, cmp.comparator
    it, target = loop.iter, loop.target
    if not (isinstance(it, cst.Call) and isinstance(it.func, cst.Name) and len(it.args) == 1):
        return None
    inner = it.args[0].value
    if it.func.value == "enumerate" and isinstance(target, cst.Tuple) and len(target.elements) == 2:
        index, value = (e.value for e in target.elements)
        if isinstance(index, cst.Name) and is_name(left, getattr(value, "value", None)) and isinstance(value, cst.Name):
            seq = inner
        else:
            return None
    elif it.func.value == "range" and isinstance(target, cst.Name) and isinstance(inner, cst.Call):
        index = target
        if not (is_name(inner.func, "len") and len(inner.args) == 1):
            return None
        seq = inner.args[0].value
        if not (isinstance(left, cst.Subscript) and code_of(left.value) == code_of(seq) and len(left.slice) == 1):
            return None
        sub = left.slice[0].slice
        if not (isinstance(sub, cst.Index) and is_name(sub.value, index.value)):
            return None
    else:
        return None
    if not isinstance(seq, (cst.Name, cst.Attribute)) or not _simple(wanted) or not _simple(seq):
        return None
    if any(_mentions(wanted, n) for n in target_names(target)):
        return None
    return code_of(seq), code_of(wanted), index.value


def _fold_find_index(
    fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int, str_names: frozenset[str]
) -> tuple[int, str] | None:
    loop = stmts[i]
    if not isinstance(loop, cst.For) or loop.orelse is not None or not _loop_var_free(fn, loop):
        return None
    found = _found_index(loop)
    if found is None or found[0] in str_names:
        return None
    seq, wanted, index = found
    then = _if_then(loop_body_one(loop))
    assert then is not None
    body = [single_small(s) for s in then[1]]
    if len(body) == 1 and isinstance(body[0], cst.Return) and is_name(body[0].value, index):
        action = f"return {seq}.index({wanted})"
    elif len(body) == 2 and isinstance(body[1], cst.Break) and isinstance(body[0], cst.Assign):
        assign = body[0]
        if len(assign.targets) != 1 or not is_name(assign.value, index):
            return None
        action = f"{code_of(assign.targets[0].target)} = {seq}.index({wanted})"
    else:
        return None
    return 1, f"try:\n    {action}\nexcept ValueError:\n    pass"


def find_index(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``find-index``): not on a name known to be a str."""
    return fold_function(fn, lambda f, stmts, i: _fold_find_index(f, stmts, i, str_names))


def _sorted_pick(node: cst.Subscript, heap: str) -> str | None:
    """The heapq call that gives ``sorted(...)[0]``, ``[-1]`` or ``[:k]``, else None."""
    call = node.value
    if not (isinstance(call, cst.Call) and is_name(call.func, "sorted")) or len(node.slice) != 1:
        return None
    if not call.args or call.args[0].keyword or call.args[0].star:
        return None
    seq, reverse, key = code_of(call.args[0].value), False, ""
    for arg in call.args[1:]:
        name = arg.keyword.value if arg.keyword else None
        if name == "key" and not arg.star:
            key = f", key={code_of(arg.value)}"
        elif name == "reverse" and isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False"):
            reverse = arg.value.value == "True"
        else:
            return None
    small, large = ("nlargest", "nsmallest") if reverse else ("nsmallest", "nlargest")
    part = node.slice[0].slice
    if isinstance(part, cst.Index):
        where = code_of(part.value).replace(" ", "")
        if where == "0":
            return f"{heap}.{small}(1, {seq}{key})[0]"
        if where == "-1":
            return f"{heap}.{large}(1, reversed(list({seq})){key})[0]"
        return None
    if isinstance(part, cst.Slice) and part.lower is None and part.step is None and isinstance(part.upper, cst.Integer):
        if int(part.upper.value, 0) > 0:
            return f"{heap}.{small}({part.upper.value}, {seq}{key})"
    return None


def sorted_first(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``sorted-first``); ``import heapq`` goes first in the body."""
    heap = Namer(fn).fresh("heapq")

    class Picks(cst.CSTTransformer):
        changed = False

        def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
            text = _sorted_pick(updated, heap)
            if text is None:
                return updated
            Picks.changed = True
            return cst.parse_expression(text)

    new = fn.visit(Picks())
    assert isinstance(new, cst.FunctionDef) and isinstance(new.body, cst.IndentedBlock)
    if not Picks.changed:
        return fn
    stmts = list(new.body.body)
    first = 1 if stmts and isinstance(single_small(stmts[0]), cst.Expr) else 0  # after a docstring
    alias = "" if heap == "heapq" else f" as {heap}"
    stmts.insert(first, cst.parse_statement(f"import heapq{alias}\n"))
    return new.with_changes(body=new.body.with_changes(body=stmts))
