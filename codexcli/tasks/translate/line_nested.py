"""`codex translate`, line by line: codex's rules for lists of lists and dicts (issue 28; hooks
of tasks/translate/line_rules.py and line_plan.py, spelled by tasks/translate/dict_syntax.py).

- A list of lists (kind ``int[][]``: Java ``long[][]``, C++ ``std::vector<std::vector<long
  long>>``) is read, indexed, measured and looped over as any list (line_rules.py); here: a store
  into a row, ``m[i][j] = v`` (the name it changes is ``m``), and a new one,
  ``[[fill] * w for _ in range(h)]`` or ``[]``.
- A dict of scalar keys and values (kind ``dict[str,int]``): ``d[k]`` (a missing key raises, as
  Python's KeyError), ``d.get(k, v)``, ``k in d``, ``len(d)``, ``d[k] = v``, ``d[k] += v``,
  ``d = {}`` and ``for k in d`` / ``for k in d.keys()`` / ``for k, v in d.items()``.
- Order: Java's dicts keep insertion order (``LinkedHashMap``), as Python's. C++'s ``std::map``
  iterates in key order, so a loop over a dict is laid out for C++ only when its result cannot
  depend on the order (``order_free``): its body only adds or multiplies into int locals,
  stores into another dict at the loop's own key, and tests; a loop that picks a best key,
  appends, breaks or returns is not laid out.
"""

from __future__ import annotations

import ast
from typing import Callable

from codexcli.tasks.translate.kinds import dict_parts
from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.rendered import Rendered

Render = Callable[[ast.expr], "Rendered | None"]


def store_root(target: ast.expr) -> str:
    """The name a store changes (``a[i] = v`` -> ``a``; into a list of lists, ``m[i][j] = v``
    -> ``m``): the innermost name of one or more subscripts; "" for anything else."""
    node = target
    while isinstance(node, ast.Subscript):
        node = node.value
    return node.id if isinstance(target, ast.Subscript) and isinstance(node, ast.Name) else ""


def _key(d: Rendered, key: Rendered, syntax: LineSyntax) -> tuple[str, str, dict[str, str]] | None:
    """A dict's key and value kinds and the template fields for looking up ``key`` in ``d``;
    None when ``d`` is not a dict, ``key`` not of its key kind, or the target has no dict rules."""
    parts = dict_parts(d.kind)
    if parts is None or syntax.dicts is None or key.kind != parts[0]:
        return None
    fields = {"d": d.within(12), "k": key.text, "key": syntax.type_of(parts[0]), "type": syntax.type_of(parts[1])}
    return parts[0], parts[1], fields


def dict_read(d: Rendered, index: ast.expr, go: Callable[[ast.expr], Rendered], syntax: LineSyntax) -> Rendered | None:
    """``d[k]`` on a dict (None when ``d`` is not one)."""
    if dict_parts(d.kind) is None:
        return None
    found = _key(d, go(index), syntax)
    if found is None or syntax.dicts is None:
        return None
    return Rendered(syntax.dicts.read.format(**found[2]), found[1])


def dict_call(
    node: ast.Call, args: list[Rendered], go: Callable[[ast.expr], Rendered], syntax: LineSyntax
) -> Rendered | None:
    """``len(d)`` and ``d.get(k, v)`` (v of the values' kind) on a dict; None for any other call."""
    if syntax.dicts is None:
        return None
    func = node.func
    if isinstance(func, ast.Name) and func.id == "len" and len(args) == 1 and dict_parts(args[0].kind):
        return Rendered(syntax.dicts.size.format(d=args[0].within(12)), "int", 11)
    if not (isinstance(func, ast.Attribute) and func.attr == "get" and len(args) == 2):
        return None
    d = go(func.value)
    found = _key(d, args[0], syntax)
    if found is None or not (args[1].kind == found[1] or (args[1].kind, found[1]) == ("int", "float")):
        return None
    return Rendered(syntax.dicts.get.format(**found[2], v=args[1].text), found[1])


def dict_has(key: Rendered, d: Rendered, syntax: LineSyntax) -> str | None:
    """``k in d`` on a dict (None when ``d`` is not one, or ``k`` not of its key kind)."""
    found = _key(d, key, syntax)
    return syntax.dicts.has.format(**found[2]) if found is not None and syntax.dicts is not None else None


def dict_store(node: ast.Assign | ast.AugAssign, kinds: dict[str, str], syntax: LineSyntax, render: Render) -> str:
    """``d[k] = v`` and ``d[k] += v`` on a dict (the latter reads ``d[k]``: a missing key raises);
    "" when the target is not a dict's item or a part has no rule."""
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
        return ""
    if dict_parts(kinds.get(target.value.id, "")) is None or syntax.dicts is None:
        return ""
    value = node.value if isinstance(node, ast.Assign) else ast.BinOp(target, node.op, node.value)
    d, key, item = render(target.value), render(target.slice), render(value)
    found = _key(d, key, syntax) if d is not None and key is not None else None
    if found is None or item is None or not (item.kind == found[1] or (item.kind, found[1]) == ("int", "float")):
        return ""
    return syntax.dicts.put.format(**found[2], v=item.text)


def new_container(value: ast.expr, kind: str, target: str, syntax: LineSyntax, render: Render, k: int) -> str:
    """``x = {}`` / ``dict()`` (a dict kind), ``x = []`` and ``x = [[fill] * w for _ in
    range(h)]`` (a list of lists) as the target's statement; "" when ``value`` is none of these."""
    dicts = syntax.dicts
    if dicts is None:
        return ""
    if dict_parts(kind):
        empty = (isinstance(value, ast.Dict) and not value.keys) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"
        )
        empty = empty and not (isinstance(value, ast.Call) and (value.args or value.keywords))
        return f"{target} = {syntax.default(kind)};" if empty else ""
    if not kind.endswith("[][]"):
        return ""
    fields = {
        "x": target,
        "elem": syntax.type_of(kind[:-4]),
        "row": syntax.type_of(kind[:-2]),
        "type": syntax.type_of(kind),
    }
    if isinstance(value, ast.List) and not value.elts:
        return dicts.no_rows.format(**fields)
    sizes = _rows(value)
    if sizes is None:
        return ""
    fill, w, h = (render(n) for n in sizes)
    if fill is None or w is None or h is None or not (syntax.integral(w.kind) and syntax.integral(h.kind)):
        return ""
    if syntax.widen(fill.kind) != syntax.widen(kind[:-4]) and (fill.kind, kind[:-4]) != ("int", "float"):
        return ""
    return dicts.rows.format(**fields, h=h.text, w=w.text, fill=fill.text, hidden=f"codex_r{k}")


def _rows(value: ast.expr) -> tuple[ast.expr, ast.expr, ast.expr] | None:
    """The fill, row length and row count of ``[[fill] * w for _ in range(h)]`` (the loop's
    variable unused, ``w`` not depending on it), or None."""
    if not (isinstance(value, ast.ListComp) and len(value.generators) == 1):
        return None
    gen, row = value.generators[0], value.elt
    if gen.ifs or gen.is_async or not isinstance(gen.target, ast.Name):
        return None
    it = gen.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and len(it.args) == 1):
        return None
    if not (isinstance(row, ast.BinOp) and isinstance(row.op, ast.Mult) and isinstance(row.left, ast.List)):
        return None
    if len(row.left.elts) != 1 or any(isinstance(n, ast.Name) and n.id == gen.target.id for n in ast.walk(row)):
        return None
    return row.left.elts[0], row.right, it.args[0]


def loop_names(node: ast.For) -> list[str]:
    """The names ``for k, v in d.items()`` binds (``[k, v]``); ``[x]`` for ``for x in ...``."""
    if isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node.target, ast.Tuple) and all(isinstance(e, ast.Name) for e in node.target.elts):
        return [e.id for e in node.target.elts if isinstance(e, ast.Name)]
    return []


def items_loop(node: ast.For) -> bool:
    """Whether ``node`` is ``for k, v in d.items()``."""
    it = node.iter
    return (
        len(loop_names(node)) == 2
        and isinstance(it, ast.Call)
        and isinstance(it.func, ast.Attribute)
        and it.func.attr == "items"
        and not it.args
    )


def dict_loop(
    node: ast.For, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], render: Render, k: int
) -> str | None:
    """The header of a loop over a dict's keys or items, with the Python variables assigned;
    None when ``node`` does not loop over a dict, "" when it does and codex has no rule (C++:
    a loop whose result may depend on the order)."""
    it, bound = node.iter, loop_names(node)
    keys = isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr == "keys" and not it.args
    owner = it.func.value if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) else it
    d = render(owner) if (keys or items_loop(node) or isinstance(it, ast.Name)) else None
    parts = dict_parts(d.kind) if d is not None else None
    if d is None or parts is None:
        return None
    dicts = syntax.dicts
    wanted = list(parts[: len(bound)]) if (items_loop(node) or len(bound) == 1) else []
    if dicts is None or not wanted or [kinds.get(n) for n in bound] != wanted:
        return ""
    if not dicts.ordered and not order_free(node, kinds):
        return ""
    template = dicts.items if len(bound) == 2 else dicts.keys
    boxed = {"boxed_key": syntax.nullable.get(parts[0], ""), "boxed": syntax.nullable.get(parts[1], "")}
    spelled = [names.get(n, n) for n in bound] + [""]
    return template.format(
        d=d.within(12),
        key=syntax.type_of(parts[0]),
        hidden=f"codex_i{k}",
        name=spelled[0],
        value_name=spelled[1],
        **boxed,
    )


def order_free(node: ast.For, kinds: dict[str, str]) -> bool:
    """Whether a loop's result cannot depend on the order it visits a dict's keys: every
    statement of its body (through ``if``) adds, multiplies or ors into an int local, stores
    into a dict at the loop's own key (each visit a different item), tests, or continues."""
    key = loop_names(node)[0] if loop_names(node) else ""

    def free(stmts: list[ast.stmt]) -> bool:
        for s in stmts:
            if isinstance(s, (ast.Pass, ast.Continue)):
                continue
            if isinstance(s, ast.If):
                if not (free(s.body) and free(s.orelse)):
                    return False
                continue
            target = s.target if isinstance(s, ast.AugAssign) else s.targets[0] if isinstance(s, ast.Assign) else None
            if isinstance(s, ast.AugAssign) and isinstance(target, ast.Name):
                if kinds.get(target.id) != "int" or not isinstance(s.op, (ast.Add, ast.Mult, ast.BitOr, ast.BitAnd)):
                    return False
                continue
            keyed = isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Name) and target.slice.id == key
            if not (keyed and isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
                return False
            value = s.value if isinstance(s, (ast.Assign, ast.AugAssign)) else None
            if not dict_parts(kinds.get(target.value.id, "")) or _reads(value, target.value.id):
                return False
        return True

    return bool(key) and free(node.body)


def _reads(node: ast.expr | None, name: str) -> bool:
    return node is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))
