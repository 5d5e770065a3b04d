"""Rewrites for work at the front of a sequence, which CPython does by moving every other item
(quadratic in a loop; Perflint W8401-style "use a deque", Refurb FURB's queue idioms):

* ``deque``: a list made in the function (``[...]`` or ``list(x)``) and used only as a queue (``q.pop(0)``,
  ``q.insert(0, x)``, ``q.append(x)``, ``len(q)``, ``while q``, ``q[0]``, ``x in q``, ``for x in
  q``) -> a ``collections.deque``, ``q.popleft()`` and ``q.appendleft(x)``. Not when the list is
  returned, compared, sliced, passed to anything but a builtin that only reads it, or rebound.
* ``prepend-reverse``: ``out = []`` + a loop that only does ``out.insert(0, x)`` -> ``out.append(x)``
  and one ``out.reverse()`` after the loop; ``s = ""`` + a loop that only does ``s = piece + s``
  -> the pieces in a list and ``"".join(reversed(pieces))`` after the loop. Only when the loop
  reads nothing else of ``out``/``s``.

Each is only a candidate: the behaviour check and the timing decide.
"""

from __future__ import annotations

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import AppendPieces, Namer, code_of, is_name, single_small, top_assigns, walk

# Methods a deque has with the list's meaning (pop and insert are checked for their arguments).
_QUEUE_METHODS = frozenset({"append", "extend", "pop", "insert", "count", "index", "remove", "clear", "reverse"})
# Builtins that only iterate or measure their argument: a deque gives them the same answer.
_READERS = frozenset({"len", "bool", "sum", "min", "max", "sorted", "list", "tuple", "set", "frozenset", "any", "all"})


def _int_arg(call: cst.Call, index: int) -> int | None:
    if len(call.args) <= index or call.args[index].keyword or call.args[index].star:
        return None
    value = call.args[index].value
    if isinstance(value, cst.Integer):
        return int(value.value)
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        return -int(value.expression.value) if isinstance(value.expression, cst.Integer) else None
    return None


def _front_call(call: cst.Call) -> str | None:
    """``popleft``/``appendleft``/``pop`` for ``pop(0)``/``insert(0, x)``/``pop(-1)``."""
    if not isinstance(call.func, cst.Attribute):
        return None
    method = call.func.attr.value
    if method == "pop" and len(call.args) == 1:
        where = _int_arg(call, 0)
        return {0: "popleft", -1: "pop"}.get(where) if where is not None else None
    if method == "insert" and len(call.args) == 2 and _int_arg(call, 0) == 0:
        return "appendleft"
    return None


def _allowed_uses(fn: cst.FunctionDef, name: str, init: cst.Assign) -> set[int]:
    """ids of the Name nodes ``name`` whose use a deque serves exactly as the list did."""
    ok = {id(init.targets[0].target)}
    for n in walk(fn):
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and is_name(n.func.value, name):
            method = n.func.attr.value
            plain = method not in ("pop", "insert") or (method == "pop" and not n.args)
            if method in _QUEUE_METHODS and (plain or method == "insert" or _front_call(n)):
                ok.add(id(n.func.value))  # deque.insert(i, x) exists too
        elif isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value in _READERS:
            if len(n.args) == 1 and not n.args[0].keyword and not n.args[0].star and is_name(n.args[0].value, name):
                ok.add(id(n.args[0].value))
        elif isinstance(n, (cst.If, cst.While)) and is_name(n.test, name):
            ok.add(id(n.test))
        elif isinstance(n, cst.UnaryOperation) and isinstance(n.operator, cst.Not) and is_name(n.expression, name):
            ok.add(id(n.expression))
        elif isinstance(n, cst.Subscript) and is_name(n.value, name):
            if all(isinstance(e.slice, cst.Index) for e in n.slice):
                ok.add(id(n.value))
        elif isinstance(n, (cst.For, cst.CompFor)) and is_name(n.iter, name):
            ok.add(id(n.iter))
        elif isinstance(n, cst.ComparisonTarget) and isinstance(n.operator, (cst.In, cst.NotIn)):
            if is_name(n.comparator, name):
                ok.add(id(n.comparator))
    return ok


def _front_in_loop(fn: cst.FunctionDef, name: str) -> bool:
    for loop in walk(fn):
        if isinstance(loop, (cst.For, cst.While)):
            for n in walk(loop.body):
                if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and is_name(n.func.value, name):
                    if _front_call(n) in ("popleft", "appendleft"):
                        return True
    return False


def deque_queue(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``deque``)."""
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    for stmt in body.body:
        small = single_small(stmt)
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and _list_made(small.value)):
            continue
        if not isinstance(small.targets[0].target, cst.Name):
            continue
        name = small.targets[0].target.value
        uses = [n for n in walk(fn) if is_name(n, name)]
        if not _front_in_loop(fn, name) or any(id(u) not in _allowed_uses(fn, name, small) for u in uses):
            continue
        deque = Namer(fn).fresh("deque")
        new = fn.visit(_ToDeque(name, small, deque))
        assert isinstance(new, cst.FunctionDef)
        return new
    return fn


def _list_made(value: cst.BaseExpression) -> bool:
    """A new list: a literal, or ``list(x)`` of one argument (``deque(x)`` takes the same)."""
    if isinstance(value, cst.List):
        return True
    return (
        isinstance(value, cst.Call)
        and is_name(value.func, "list")
        and len(value.args) == 1
        and not value.args[0].keyword
    )


class _ToDeque(cst.CSTTransformer):
    def __init__(self, name: str, init: cst.Assign, deque: str) -> None:
        self.name, self.init, self.deque = name, init, deque

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if single_small(original) is self.init:
            value = self.init.value
            made_from = code_of(value.args[0].value) if isinstance(value, cst.Call) else code_of(value)
            made = cst.parse_statement(f"{self.name} = {self.deque}({made_from})\n")
            alias = "" if self.deque == "deque" else f" as {self.deque}"
            imported = cst.parse_statement(f"from collections import deque{alias}\n")
            return cst.FlattenSentinel([imported.with_changes(leading_lines=updated.leading_lines), made])
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not (isinstance(original.func, cst.Attribute) and is_name(original.func.value, self.name)):
            return updated
        front = _front_call(original)
        if front is None:
            return updated
        args = [updated.args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] if front == "appendleft" else []
        return cst.parse_expression(f"{self.name}.{front}()").with_changes(args=args)


def _prepended(small: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The item of ``name.insert(0, item)`` or the piece of ``name = piece + name``."""
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        if isinstance(call.func, cst.Attribute) and is_name(call.func.value, name) and call.func.attr.value == "insert":
            if len(call.args) == 2 and _int_arg(call, 0) == 0 and not call.args[1].keyword and not call.args[1].star:
                return call.args[1].value
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and is_name(small.targets[0].target, name):
        value = small.value
        if (
            isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, cst.Add)
            and is_name(value.right, name)
        ):
            return value.left
    return None


def _only_prepended(loop: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` is mentioned in ``loop`` only by lines that prepend a piece not
    mentioning it (and there is one)."""
    count, expected = 0, 0
    for line in (n for n in walk(loop) if isinstance(n, cst.SimpleStatementLine)):
        for small in line.body:
            piece = _prepended(small, name)
            if piece is not None and not any(is_name(n, name) for n in walk(piece)):
                count += 1
                expected += 1 if isinstance(small, cst.Expr) else 2
    return count > 0 and sum(1 for n in walk(loop) if is_name(n, name)) == expected


def prepend_reverse(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``prepend-reverse``)."""
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    for i, stmts, small, name in top_assigns(fn):
        stmt = stmts[i]
        is_list = isinstance(small.value, cst.List) and not small.value.elements
        is_str = isinstance(small.value, cst.SimpleString) and small.value.evaluated_value == ""
        after = next((j for j in range(i + 1, len(stmts)) if any(is_name(n, name) for n in walk(stmts[j]))), None)
        if not (is_list or is_str) or after is None or not isinstance(stmts[after], (cst.For, cst.While)):
            continue
        if not _only_prepended(stmts[after], name):
            continue
        parts = name if is_list else Namer(fn).fresh(f"{name}_parts")
        loop = stmts[after].visit(AppendPieces(name, parts, _prepended))
        assert isinstance(loop, cst.BaseStatement)
        if is_list:
            head, tail = [stmt], [cst.parse_statement(f"{name}.reverse()\n")]
        else:
            head = [
                cst.parse_statement(f"{parts} = []\n").with_changes(leading_lines=getattr(stmt, "leading_lines", ()))
            ]
            tail = [cst.parse_statement(f"{name} = {code_of(small.value)}.join(reversed({parts}))\n")]
        new = [*stmts[:i], *head, *stmts[i + 1 : after], loop, *tail, *stmts[after + 1 :]]
        return fn.with_changes(body=body.with_changes(body=new))
    return fn
