"""Rewrites that move work out of loops: a value that every pass computes the same (a loop
invariant) is computed once before the loop, in a form that makes the per-pass work cheap.

One driver (hoist_function) walks the function's blocks from the outside in; for each ``for`` or
``while`` loop (and each statement with a comprehension) it offers every expression of the loop
to one hoister, which may replace it and add setup statements placed just before the loop. An
expression is invariant when no name in it is bound or possibly changed in the loop (a method
other than the read-only ones called on it, or passed to a call other than the pure builtins).
The rules (Perflint W8201, Ruff PERF/Refurb's naming of the same naive patterns):

* ``membership-set``: ``x in items`` with ``items`` unchanged by the loop -> ``x in items_set``,
  ``items_set = set(items)`` before it (a candidate: unhashable elements make it raise).
* ``hoist-invariant``: ``len(items)``, ``max(xs)``, ``word.lower()`` ... with unchanging
  arguments -> computed once.
* ``count-dict``/``index-dict``: ``items.count(x)``, ``items.index(x)`` in a loop (a quadratic
  search) -> one counting pass into a dict, then a lookup per pass.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import Namer, bound_names, changing_names, code_of, walk

IMMUTABLE_CALLS = frozenset({
    "len", "max", "min", "sum", "any", "all", "abs", "str", "int", "float", "bool", "ord", "chr", "repr",
    "round", "frozenset", "tuple", "hash", "isinstance", "divmod",
})  # fmt: skip
IMMUTABLE_METHODS = frozenset({
    "count", "index", "lower", "upper", "strip", "lstrip", "rstrip", "casefold", "find", "rfind", "replace",
    "startswith", "endswith", "isdigit", "isalpha", "isalnum", "isspace",
})  # fmt: skip
# New mutable objects: hoisted only where they are only read (``x in sorted(a)``, ``a.split()[0]``).
MUTABLE_CALLS = frozenset({"sorted", "list", "set", "dict"})
MUTABLE_METHODS = frozenset({"split", "rsplit", "copy", "keys", "values", "items"})


@dataclass
class Scope:
    """One loop being rewritten: what changes in it, and the setup made for it so far."""

    changing: frozenset[str]
    namer: Namer
    fixed: frozenset[str]  # names never rebound in the function (builtins stay builtins)
    str_names: frozenset[str]  # known str (``in`` is a substring test) or dict/set (a lookup already)
    made: dict[str, str] = field(default_factory=dict)
    setup: list[str] = field(default_factory=list)

    def name_for(self, key: str, base: str, setup: Callable[[str], list[str]]) -> str:
        """The fresh name that holds ``key``'s value, its setup added the first time."""
        if key not in self.made:
            self.made[key] = name = self.namer.fresh(base)
            self.setup += setup(name)
        return self.made[key]

    def invariant(self, node: cst.BaseExpression) -> bool:
        """Whether ``node`` has the same value on every pass: names that do not change, literals,
        arithmetic on those, and calls of pure builtins and read-only methods on those."""
        if isinstance(node, cst.Name):
            return node.value not in self.changing
        if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
            return True
        if isinstance(node, cst.BinaryOperation):
            return self.invariant(node.left) and self.invariant(node.right)
        if isinstance(node, cst.UnaryOperation):
            return self.invariant(node.expression)
        if isinstance(node, cst.Call):
            return self.pure_call(node) is not None
        return False

    def pure_call(self, call: cst.Call) -> str | None:
        """``call``'s function or method name when it is a pure call on invariant values."""
        func = call.func
        if isinstance(func, cst.Name) and func.value in self.fixed:
            name = func.value
        elif isinstance(func, cst.Attribute) and self.invariant(func.value):
            name = func.attr.value
        else:
            return None
        if name not in IMMUTABLE_CALLS | IMMUTABLE_METHODS | MUTABLE_CALLS | MUTABLE_METHODS:
            return None
        if not all(a.star == "" and self.invariant(a.value) for a in call.args):
            return None
        if not any(isinstance(n, cst.Name) and n.value not in self.fixed for n in walk(call)):
            return None  # only literals: nothing to save
        return name


Hoister = Callable[[cst.CSTNode, Scope], "cst.CSTNode | None"]


class _Replacer(cst.CSTTransformer):
    def __init__(self, hoister: Hoister, scope: Scope) -> None:
        self.hoister, self.scope = hoister, scope

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        found = self.hoister(updated, self.scope)
        return updated if found is None else found


@dataclass(frozen=True)
class _Walk:
    hoister: Hoister
    namer: Namer
    fixed: frozenset[str]
    str_names: frozenset[str]

    def scope(self, node: cst.CSTNode) -> Scope:
        return Scope(changing_names(node), self.namer, self.fixed, self.str_names)

    def block(self, stmts: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        for stmt in stmts:
            setup: list[str] = []
            if isinstance(stmt, (cst.For, cst.While)):
                scope = self.scope(stmt)
                replacer = _Replacer(self.hoister, scope)
                stmt = stmt.with_changes(body=stmt.body.visit(replacer))
                if isinstance(stmt, cst.While):
                    stmt = stmt.with_changes(test=stmt.test.visit(replacer))
                setup = scope.setup
            elif isinstance(stmt, cst.SimpleStatementLine):
                stmt, setup = self.comprehensions(stmt)
            made = [s for src in setup for s in cst.parse_module(src + "\n").body]
            out += made
            # The names just made hold sets or computed values: the loops inside are not to
            # hoist them again (``set(items_set)`` before an inner loop).
            inner = dataclasses.replace(self, str_names=self.str_names | frozenset(bound_names(cst.Module(made))))
            out.append(inner.descend(stmt) if made else self.descend(stmt))
        return out

    def comprehensions(self, stmt: cst.SimpleStatementLine) -> tuple[cst.SimpleStatementLine, list[str]]:
        """A statement's comprehensions, their invariant parts hoisted before the statement."""
        scope = self.scope(stmt)
        replacer = _Replacer(self.hoister, scope)

        class Comps(cst.CSTTransformer):
            def visit_Lambda(self, node: cst.Lambda) -> bool:
                return False

            def leave_ListComp(self, original: cst.ListComp, updated: cst.ListComp) -> cst.BaseExpression:
                return _comp(updated, replacer)

            def leave_SetComp(self, original: cst.SetComp, updated: cst.SetComp) -> cst.BaseExpression:
                return _comp(updated, replacer)

            def leave_GeneratorExp(self, original: cst.GeneratorExp, updated: cst.GeneratorExp) -> cst.BaseExpression:
                return _comp(updated, replacer)

        new = stmt.visit(Comps())
        assert isinstance(new, cst.SimpleStatementLine)
        return new, scope.setup

    def descend(self, stmt: cst.BaseStatement) -> cst.BaseStatement:
        """``stmt`` with the blocks inside it rewritten (not nested functions or classes)."""
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine)):
            return stmt
        changes: dict[str, object] = {}
        for attr in ("body", "orelse", "finalbody"):
            part = getattr(stmt, attr, None)
            if isinstance(part, cst.IndentedBlock):
                changes[attr] = part.with_changes(body=self.block(part.body))
            elif isinstance(part, (cst.Else, cst.Finally)) and isinstance(part.body, cst.IndentedBlock):
                changes[attr] = part.with_changes(body=part.body.with_changes(body=self.block(part.body.body)))
            elif isinstance(part, cst.If):
                changes[attr] = self.descend(part)
        if isinstance(stmt, cst.Try):
            changes["handlers"] = [
                h.with_changes(body=h.body.with_changes(body=self.block(h.body.body)))
                if isinstance(h.body, cst.IndentedBlock)
                else h
                for h in stmt.handlers
            ]
        return stmt.with_changes(**changes) if changes else stmt


def _comp(comp: cst.ListComp | cst.SetComp | cst.GeneratorExp, replacer: _Replacer) -> cst.BaseExpression:
    """The comprehension with its element, conditions and inner loops rewritten (not the
    outermost iterable, which is evaluated once anyway)."""
    head = comp.for_in
    new_head = head.with_changes(
        ifs=[i.visit(replacer) for i in head.ifs],
        inner_for_in=head.inner_for_in.visit(replacer) if head.inner_for_in is not None else None,
    )
    return comp.with_changes(elt=comp.elt.visit(replacer), for_in=new_head)


def hoist_function(fn: cst.FunctionDef, hoister: Hoister, str_names: frozenset[str]) -> cst.FunctionDef:
    """``fn`` with ``hoister`` applied to each of its loops (see the module docstring)."""
    fixed = (IMMUTABLE_CALLS | MUTABLE_CALLS) - bound_names(fn)
    walker = _Walk(hoister, Namer(fn), fixed, str_names | _hashed(fn))
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    return fn.with_changes(body=body.with_changes(body=walker.block(body.body)))


def _hashed(fn: cst.FunctionDef) -> frozenset[str]:
    """Locals bound to a dict or set (``in`` on them is a lookup already)."""
    out = set()
    for n in walk(fn):
        if isinstance(n, cst.Assign) and len(n.targets) == 1 and isinstance(n.targets[0].target, cst.Name):
            value = n.value
            made = isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in _HASHED
            if made or isinstance(value, (cst.Dict, cst.Set, cst.DictComp, cst.SetComp)):
                out.add(n.targets[0].target.value)
    return frozenset(out)


_HASHED = frozenset({"set", "dict", "frozenset", "Counter", "defaultdict"})


# The hoisters ------------------------------------------------------------------------------------


def membership_set(node: cst.CSTNode, scope: Scope) -> cst.CSTNode | None:
    """``x in items`` (``items`` unchanged in the loop) -> ``x in items_set``."""
    if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
        return None
    test = node.comparisons[0]
    container = test.comparator
    if not isinstance(test.operator, (cst.In, cst.NotIn)) or not isinstance(container, cst.Name):
        return None
    name = container.value
    if name in scope.changing or name in scope.str_names:
        return None
    made = scope.name_for("set:" + name, f"{name}_set", lambda s: [f"{s} = set({name})"])
    return node.with_changes(comparisons=[test.with_changes(comparator=cst.Name(made))])


def hoist_invariant(node: cst.CSTNode, scope: Scope) -> cst.CSTNode | None:
    """A pure call on unchanging values -> a name computed once. New mutable objects (``sorted``,
    ``split``) only where they are read: the right of ``in``, a subscript's value."""
    if isinstance(node, cst.Call) and scope.pure_call(node) in IMMUTABLE_CALLS | IMMUTABLE_METHODS:
        return _hoisted(node, scope)
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        test = node.comparisons[0]
        if isinstance(test.operator, (cst.In, cst.NotIn)) and _mutable_call(test.comparator, scope):
            return node.with_changes(comparisons=[test.with_changes(comparator=_hoisted(test.comparator, scope))])
    if isinstance(node, cst.Subscript) and _mutable_call(node.value, scope):
        return node.with_changes(value=_hoisted(node.value, scope))
    return None


def _mutable_call(node: cst.BaseExpression, scope: Scope) -> bool:
    return isinstance(node, cst.Call) and scope.pure_call(node) in MUTABLE_CALLS | MUTABLE_METHODS


def _hoisted(call: cst.BaseExpression, scope: Scope) -> cst.Name:
    key = code_of(call)
    base = "_".join(n.value for n in walk(call) if isinstance(n, cst.Name))[:30]
    return cst.Name(scope.name_for(key, base, lambda s: [f"{s} = {key}"]))


def count_dict(node: cst.CSTNode, scope: Scope) -> cst.CSTNode | None:
    """``items.count(x)`` in a loop -> ``items_counts.get(x, 0)``, counted once before it."""
    found = _method_on_invariant(node, scope, "count")
    if found is None:
        return None
    name, arg = found
    loop_var = scope.namer.fresh("_item")
    made = scope.name_for(
        "count:" + name,
        f"{name}_counts",
        lambda c: [f"{c} = {{}}", f"for {loop_var} in {name}:\n    {c}[{loop_var}] = {c}.get({loop_var}, 0) + 1"],
    )
    return cst.parse_expression(f"{made}.get({code_of(arg)}, 0)")


def index_dict(node: cst.CSTNode, scope: Scope) -> cst.CSTNode | None:
    """``items.index(x)`` in a loop -> a dict of first positions (``items.index(x)`` itself when
    ``x`` is missing, so the same ValueError is raised)."""
    found = _method_on_invariant(node, scope, "index")
    if found is None or not isinstance(found[1], (cst.Name, cst.Integer, cst.SimpleString)):
        return None
    name, arg = found
    i, v = scope.namer.fresh("_i"), scope.namer.fresh("_item")
    made = scope.name_for(
        "index:" + name,
        f"{name}_first",
        lambda f: [f"{f} = {{}}", f"for {i}, {v} in enumerate({name}):\n    {f}.setdefault({v}, {i})"],
    )
    x = code_of(arg)
    return cst.parse_expression(f"({made}[{x}] if {x} in {made} else {name}.index({x}))")


def _method_on_invariant(node: cst.CSTNode, scope: Scope, method: str) -> tuple[str, cst.BaseExpression] | None:
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute) or node.func.attr.value != method:
        return None
    obj = node.func.value
    if not isinstance(obj, cst.Name) or obj.value in scope.changing or obj.value in scope.str_names:
        return None
    if len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
        return None
    return obj.value, node.args[0].value
