"""Rewrites for collections built up in loops (Perflint/Ruff PERF4xx, Refurb's naming):

* ``dedupe-set``: a list that is only appended to and tested with ``in`` (``if x not in seen:
  seen.append(x)``, a quadratic search) gets a set kept beside it, and the tests use the set;
  so does a str grown by single characters of a str and tested with them.
* ``concat-append``: ``out = out + [x]`` (a new list every pass) -> ``out.append(x)``, for a list
  the function made itself and never hands to anything that could keep it.
* ``str-join``: ``s += piece`` in a loop on a string started as a literal -> the pieces collected
  in a list and joined once after the loop, when ``s`` is not read in the loop; bytes too
  (``b += chunk`` copies the whole bytes object every time: CPython grows only str in place).

Each is only a candidate: the behaviour check and the timing decide.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import (
    PURE_CALLS,
    AppendPieces,
    Namer,
    code_of,
    is_name,
    single_expr_call,
    single_small,
    target_names,
    top_assigns,
    walk,
)


def _list_init(stmt: cst.CSTNode, empty: bool = True) -> str | None:
    """``name`` of a ``name = []`` line (any list literal when not ``empty``)."""
    small = single_small(stmt)
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        value = small.value
        if isinstance(value, cst.List) and (not empty or not value.elements):
            return small.targets[0].target.value
    return None


def _simple(node: cst.CSTNode) -> bool:
    """An expression that may be evaluated twice: no calls, no side effects."""
    return not any(isinstance(n, (cst.Call, cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda)) for n in walk(node))


def _append_arg(stmt: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    call = single_expr_call(stmt)
    if call is None or not isinstance(call.func, cst.Attribute) or not is_name(call.func.value, name):
        return None
    if call.func.attr.value != "append" or len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    return call.args[0].value


def _uses(fn: cst.CSTNode, name: str) -> list[cst.CSTNode]:
    """Every node of ``fn`` whose own children include the Name ``name`` (its parents)."""
    return [n for n in walk(fn) if any(is_name(c, name) for c in n.children)]


def _membership(node: cst.CSTNode, name: str) -> bool:
    return (
        isinstance(node, cst.ComparisonTarget)
        and isinstance(node.operator, (cst.In, cst.NotIn))
        and is_name(node.comparator, name)
    )


def dedupe_set(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``dedupe-set``); a string grown one character at a time
    (``for ch in text: if ch not in out: out += ch``) gets a set of its characters the same way."""
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    chars = _char_names(fn, str_names)
    for stmt in body.body:
        name = _list_init(stmt)
        if name is not None and _only_appended(fn, name) and any(_membership(n, name) for n in walk(fn)):
            return _with_seen_set(fn, stmt, name, lambda line, n=name: _append_arg(line, n))  # type: ignore[misc]
        name = _str_init(stmt)
        if name is not None and _only_chars_added(fn, name, chars):
            return _with_seen_set(fn, stmt, name, lambda line, n=name: _char_added(line, n, chars))  # type: ignore[misc]
    return fn


_STR_COPIES = frozenset({"upper", "lower", "casefold", "strip", "lstrip", "rstrip", "title", "swapcase"})


def _char_names(fn: cst.FunctionDef, str_names: frozenset[str]) -> frozenset[str]:
    """Loop variables that are one character of a str: ``for ch in text`` (``text.upper()``...)."""
    out = set()
    for n in walk(fn):
        if isinstance(n, (cst.For, cst.CompFor)) and isinstance(n.target, cst.Name):
            source = n.iter
            if isinstance(source, cst.Call) and isinstance(source.func, cst.Attribute) and not source.args:
                source = source.func.value if source.func.attr.value in _STR_COPIES else source
            if isinstance(source, cst.Name) and source.value in str_names:
                out.add(n.target.value)
    return frozenset(out)


def _str_init(stmt: cst.CSTNode) -> str | None:
    small = single_small(stmt)
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        if isinstance(small.value, cst.SimpleString) and small.value.evaluated_value == "":
            return small.targets[0].target.value
    return None


def _char_added(stmt: cst.CSTNode, name: str, chars: frozenset[str]) -> cst.BaseExpression | None:
    """The character of a ``name += ch`` line, ``ch`` one character of a str."""
    small = single_small(stmt)
    if isinstance(small, cst.AugAssign) and is_name(small.target, name) and isinstance(small.operator, cst.AddAssign):
        if isinstance(small.value, cst.Name) and small.value.value in chars:
            return small.value
    return None


def _only_chars_added(fn: cst.FunctionDef, name: str, chars: frozenset[str]) -> bool:
    """Whether str ``name`` is bound once, then only grown by ``name += ch`` lines, and tested with
    ``ch in name`` for such characters (a set of the characters then answers the same)."""
    stores = [
        n
        for n in walk(fn)
        if isinstance(n, (cst.AssignTarget, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr))
        and name in target_names(n.target)
    ]
    grown = [n for n in walk(fn) if _char_added(n, name, chars) is not None]
    tests = [n for n in walk(fn) if isinstance(n, cst.Comparison) and any(_membership(t, name) for t in n.comparisons)]
    if not grown or not tests or len(stores) != 1 + len(grown):
        return False
    return all(len(t.comparisons) == 1 and isinstance(t.left, cst.Name) and t.left.value in chars for t in tests)


def _only_appended(fn: cst.FunctionDef, name: str) -> bool:
    """Whether the list ``name`` is bound once and then only changed by ``name.append(simple)``
    lines (so a set beside it stays in step), read otherwise, and given to pure builtins only."""
    stores = [
        n
        for n in walk(fn)
        if isinstance(n, (cst.AssignTarget, cst.AugAssign, cst.Del, cst.For, cst.CompFor, cst.NamedExpr))
        and name in target_names(n.target)
    ]
    appends = [arg for n in walk(fn) if (arg := _append_arg(n, name)) is not None]
    methods = [n.attr.value for n in walk(fn) if isinstance(n, cst.Attribute) and is_name(n.value, name)]
    if len(stores) != 1 or not appends or not all(_simple(a) for a in appends):
        return False
    if methods.count("append") != len(appends) or set(methods) - {"append", "count", "index", "copy"}:
        return False
    return not any(
        isinstance(n, cst.Call)
        and any(is_name(a.value, name) for a in n.args)
        and not (isinstance(n.func, cst.Name) and n.func.value in PURE_CALLS)
        for n in walk(fn)
    )


def _with_seen_set(
    fn: cst.FunctionDef, init: cst.CSTNode, name: str, added: Callable[[cst.CSTNode], cst.BaseExpression | None]
) -> cst.FunctionDef:
    """``fn`` with a set beside ``name`` (made after ``init``, added to after each line that
    ``added`` finds an item in) and ``in name`` tests asked of the set."""
    seen = Namer(fn).fresh(f"{name}_seen")

    class Rewrite(cst.CSTTransformer):
        def leave_SimpleStatementLine(
            self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
        ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
            if original is init:
                return cst.FlattenSentinel([updated, cst.parse_statement(f"{seen} = set()\n")])
            arg = added(original)
            if arg is not None:
                return cst.FlattenSentinel([updated, cst.parse_statement(f"{seen}.add({code_of(arg)})\n")])
            return updated

        def leave_ComparisonTarget(
            self, original: cst.ComparisonTarget, updated: cst.ComparisonTarget
        ) -> cst.ComparisonTarget:
            return updated.with_changes(comparator=cst.Name(seen)) if _membership(original, name) else updated

    new = fn.visit(Rewrite())
    assert isinstance(new, cst.FunctionDef)
    return new


def concat_append(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``concat-append``)."""
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    for stmt in body.body:
        name = _list_init(stmt, empty=False)
        if name is None or not _kept_to_itself(fn, name):
            continue
        new = fn.visit(_Concat(name))
        assert isinstance(new, cst.FunctionDef)
        if code_of(new) != code_of(fn):
            return new
    return fn


def _concat(small: cst.CSTNode, name: str) -> cst.List | None:
    """The list literal of ``name = name + [...]`` or ``name += [...]``."""
    if isinstance(small, cst.AugAssign) and is_name(small.target, name) and isinstance(small.operator, cst.AddAssign):
        return small.value if isinstance(small.value, cst.List) else None
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and is_name(small.targets[0].target, name):
        value = small.value
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and is_name(value.left, name):
            return value.right if isinstance(value.right, cst.List) else None
    return None


def _kept_to_itself(fn: cst.FunctionDef, name: str) -> bool:
    """Whether the list ``name`` is only read, returned or concatenated onto: never stored
    elsewhere, passed to a call that could keep it, or assigned anything but itself plus a list."""
    for parent in _uses(fn, name):
        if isinstance(parent, cst.Arg):
            return False  # passed to a call (len(x) is checked below through its Call)
        if isinstance(parent, (cst.Element, cst.DictElement, cst.Yield, cst.NamedExpr)):
            return False
        if isinstance(parent, cst.AssignTarget) or isinstance(parent, cst.Assign):
            continue  # checked below: only the init and name = name + [...]
        if isinstance(parent, cst.Attribute) and parent.attr.value not in ("count", "index", "copy", "append"):
            return False
    for n in walk(fn):
        if isinstance(n, cst.Assign) and any(is_name(t.target, name) for t in n.targets):
            if not isinstance(n.value, cst.List) and _concat(n, name) is None:
                return False
            if any(is_name(c, name) for c in n.children if not isinstance(c, cst.AssignTarget)):
                return False  # other = name: an alias
        if isinstance(n, cst.Call) and any(is_name(a.value, name) for a in n.args):
            if not (isinstance(n.func, cst.Name) and n.func.value in PURE_CALLS):
                return False
    return True


class _Concat(cst.CSTTransformer):
    def __init__(self, name: str) -> None:
        self.name = name

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        small = single_small(updated)
        items = _concat(small, self.name) if small is not None else None
        if items is None or any(isinstance(e, cst.StarredElement) for e in items.elements):
            return updated
        if isinstance(small, cst.AugAssign) and len(items.elements) != 1:
            return updated  # += of several items is in place already
        if len(items.elements) == 1:
            call = f"{self.name}.append({code_of(items.elements[0].value)})"
        else:
            call = f"{self.name}.extend({code_of(items)})"
        return updated.with_changes(body=[cst.Expr(cst.parse_expression(call))])


def str_join(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``str-join``)."""
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    for i, stmts, small, name in top_assigns(fn):
        if not isinstance(small.value, cst.SimpleString):
            continue
        if small.value.prefix.lower() not in ("", "r", "u", "b", "rb", "br"):
            continue
        loop = next((j for j in range(i + 1, len(stmts)) if _mentions(stmts[j], name)), None)
        if loop is None or not isinstance(stmts[loop], (cst.For, cst.While)) or not _only_grown(stmts[loop], name):
            continue
        if any(_mentions(s, name) for s in stmts[:i]):
            continue
        parts = Namer(fn).fresh(f"{name}_parts")
        first = "[]" if not small.value.evaluated_value else f"[{code_of(small.value)}]"
        joiner = "b''" if "b" in small.value.prefix.lower() else "''"  # bytes += copies every time
        grown = stmts[loop].visit(AppendPieces(name, parts, _grow))
        assert isinstance(grown, cst.BaseStatement)
        new = [
            *stmts[:i],
            cst.parse_statement(f"{parts} = {first}\n"),
            *stmts[i + 1 : loop],
            grown,
            cst.parse_statement(f"{name} = {joiner}.join({parts})\n"),
            *stmts[loop + 1 :],
        ]
        return fn.with_changes(body=body.with_changes(body=new))
    return fn


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return any(is_name(n, name) for n in walk(node))


def _grow(small: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The piece of ``name += piece`` or ``name = name + piece``."""
    if isinstance(small, cst.AugAssign) and is_name(small.target, name) and isinstance(small.operator, cst.AddAssign):
        return small.value
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and is_name(small.targets[0].target, name):
        value = small.value
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and is_name(value.left, name):
            return value.right
    return None


def _only_grown(loop: cst.CSTNode, name: str) -> bool:
    """Whether every mention of ``name`` in ``loop`` is in a ``name += piece`` line whose piece
    does not mention it (and there is at least one)."""
    lines = [n for n in walk(loop) if isinstance(n, cst.SimpleStatementLine)]
    grown = 0
    for line in lines:
        for small in line.body:
            piece = _grow(small, name)
            if piece is not None and not _mentions(piece, name):
                grown += 1
            elif _mentions(small, name):
                return False
    mentions = sum(1 for n in walk(loop) if is_name(n, name))
    expected = sum(
        1 if isinstance(s, cst.AugAssign) else 2 for line in lines for s in line.body if _grow(s, name) is not None
    )
    return grown > 0 and mentions == expected
